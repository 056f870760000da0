//! The statistics screen's pop-ups: the period and district pickers, and the two dates of a
//! custom period.

use super::StatsScreen;
use crate::domain::refdata;
use crate::store::Period;
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::keymap::Context;
use crate::tui::screens::{Ctx, Effect, View};
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::picker::{Choice, Picker, PickerOutcome};
use crate::tui::widgets::popup::{centered, clear_popup_area};
use crate::tui::widgets::text_field::TextField;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The two date fields of a custom period, with the field being typed in.
pub(super) struct DatesPopup {
    fields: [TextField; 2],
    focus: usize,
    error: Option<String>,
}

pub(super) enum Popup {
    Period(Picker),
    District(Picker),
    Dates(DatesPopup),
}

impl StatsScreen {
    pub(super) fn period_picker(&self, lang: Lang) -> Picker {
        let items = vec![
            Choice::new("month", t(lang, T::PeriodMonth)),
            Choice::new("quarter", t(lang, T::PeriodQuarter)),
            Choice::new("year", t(lang, T::PeriodYear)),
            Choice::new("custom", t(lang, T::PeriodCustom)),
        ];
        let current = match self.period {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
            Period::Custom { .. } => "custom",
        };
        Picker::new(t(lang, T::PeriodPick), items, Some(current))
    }

    pub(super) fn district_picker(&self, lang: Lang) -> Picker {
        let mut items = vec![Choice::new("", t(lang, T::AllDistricts))];
        items.extend(
            refdata::tianjin_districts()
                .iter()
                .map(|d| Choice::new(d.code.clone(), d.name(lang))),
        );
        Picker::new(
            t(lang, T::DistrictPick),
            items,
            Some(self.district.as_deref().unwrap_or("")),
        )
    }

    pub(super) fn handle_popup(&mut self, popup: Popup, input: Input, ctx: &mut Ctx) -> Effect {
        match popup {
            Popup::Period(mut picker) => match picker.handle(&input) {
                PickerOutcome::Open => self.popup = Some(Popup::Period(picker)),
                PickerOutcome::Cancelled => {}
                PickerOutcome::Chosen(choice) => {
                    let period = match choice.code.as_str() {
                        "month" => Period::Month,
                        "quarter" => Period::Quarter,
                        "year" => Period::Year,
                        _ => {
                            self.popup = Some(Popup::Dates(DatesPopup {
                                fields: [
                                    TextField::new(&self.query.from.to_string()),
                                    TextField::new(&self.query.to.to_string()),
                                ],
                                focus: 0,
                                error: None,
                            }));
                            return Effect::None;
                        }
                    };
                    self.period = period;
                    self.refresh(ctx);
                }
            },
            Popup::District(mut picker) => match picker.handle(&input) {
                PickerOutcome::Open => self.popup = Some(Popup::District(picker)),
                PickerOutcome::Cancelled => {}
                PickerOutcome::Chosen(choice) => {
                    if let Err(e) = ctx.store.remember_stats_district(&choice.code) {
                        // The filter still applies now; only the next opening forgets it.
                        tracing::warn!(error = %e, "statistics district not remembered");
                    }
                    self.district = Some(choice.code).filter(|c| !c.is_empty());
                    self.refresh(ctx);
                }
            },
            Popup::Dates(mut dates) => {
                match input {
                    Input::Action(Action::Back) => return Effect::None,
                    Input::Action(Action::NextField | Action::PrevField) => {
                        dates.focus = 1 - dates.focus;
                    }
                    Input::Action(Action::Save | Action::Confirm) => match dates.period(ctx.lang) {
                        Ok(period) => {
                            self.period = period;
                            self.refresh(ctx);
                            return Effect::None;
                        }
                        Err(message) => dates.error = Some(message),
                    },
                    Input::Action(_) => {}
                    Input::Text(edit) => {
                        dates.fields[dates.focus].apply(&edit);
                        dates.error = None;
                    }
                }
                self.popup = Some(Popup::Dates(dates));
            }
        }
        Effect::None
    }
}

impl DatesPopup {
    fn period(&self, lang: Lang) -> Result<Period, String> {
        let date = |field: &TextField| {
            let raw = field.value().trim().replace(['/', '.'], "-");
            NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                .map_err(|_| tf(lang, T::BadDate, &[field.value()]))
        };
        let (from, to) = (date(&self.fields[0])?, date(&self.fields[1])?);
        if from > to {
            return Err(t(lang, T::FromAfterTo).to_string());
        }
        Ok(Period::Custom { from, to })
    }
}

pub(super) fn render_dates(frame: &mut Frame, outer: Rect, dates: &DatesPopup, view: &View) {
    let lang = view.lang;
    let area = centered(outer, 46, 7);
    clear_popup_area(area, frame.buffer_mut());
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", t(lang, T::CustomTitle)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    for (i, label) in [T::FromLabel, T::ToLabel].into_iter().enumerate() {
        let y = inner.y + i as u16;
        let label = format!("{} ", fit(t(lang, label), 10));
        frame.render_widget(Paragraph::new(label), Rect::new(inner.x, y, 11, 1));
        let field = Rect::new(inner.x + 11, y, 12, 1);
        let caret = dates.fields[i].render(
            field,
            frame.buffer_mut(),
            Style::default().add_modifier(Modifier::UNDERLINED),
        );
        if i == dates.focus {
            frame.set_cursor_position(caret);
        }
    }
    let hint = match &dates.error {
        Some(message) => message.clone(),
        None => tf(
            lang,
            T::CustomHint,
            &[&view.key(Context::Form, Action::Save)],
        ),
    };
    frame.render_widget(
        Paragraph::new(fit(&hint, usize::from(inner.width))),
        Rect::new(inner.x, inner.y + 3, inner.width, 1),
    );
}
