//! Statistics: for a period (this month, quarter, year or custom) and a district (all or one),
//! what the union's records say about workers and services, in six tabs that each fit
//! 80×24: an overview in text with registrations per month, services by kind and per month
//! as bar charts, the hardship workers not served (Enter opens one), money handed out, needs
//! beside the services that answer them, and mutual-aid claims.
//! The figures are counted on the background thread; the screen shows the last answer until
//! the next comes.

mod claims;
mod figures;
mod money;
mod needs;
mod paged;
mod popups;

use super::{Ctx, Effect, Screen, View};
use crate::domain::{mask_phone, refdata};
use crate::store::stats::{FIRST_PAGE, OpenNeedRow, UnservedWorker};
use crate::store::{Period, Statistics, StatsQuery};
use crate::text::Lang;
use crate::tui::action::{Action, Input};
use crate::tui::jobs::AppMsg;
use crate::tui::keymap::Context;
use crate::tui::routes::Route;
use crate::tui::search::{Reply, StatsRequest};
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::fit;
use crate::tui::widgets::table::{ListTable, unread_row};
use chrono::NaiveDate;
use figures::{render_overview, render_services};
use paged::Paged;
use popups::{Popup, render_dates};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Overview,
    Services,
    Hardship,
    Money,
    Needs,
    Claims,
}

const TABS: [Tab; 6] = [
    Tab::Overview,
    Tab::Services,
    Tab::Hardship,
    Tab::Money,
    Tab::Needs,
    Tab::Claims,
];

impl Tab {
    fn label(self, lang: Lang) -> &'static str {
        let key = match self {
            Tab::Overview => T::TabOverview,
            Tab::Services => T::TabServices,
            Tab::Money => T::TabMoney,
            Tab::Hardship => T::TabHardship,
            // Issue 20's tabs name themselves beside their code while text.rs is being split
            // (issue 18); both languages are here.
            Tab::Needs => return lang.pick("诉求", "Needs"),
            Tab::Claims => return lang.pick("互助保障", "Mutual aid"),
        };
        t(lang, key)
    }
}

pub struct StatsScreen {
    period: Period,
    district: Option<String>,
    query: StatsQuery,
    today: NaiveDate,
    tab: Tab,
    stats: Option<Statistics>,
    /// The hardship workers not served, as loaded so far (the figures bring the first page).
    unserved: Paged<UnservedWorker>,
    /// The hardship workers' open needs, likewise.
    open_needs: Paged<OpenNeedRow>,
    error: Option<String>,
    awaited: Option<u64>,
    popup: Option<Popup>,
    table: ListTable,
    needs_table: ListTable,
}

impl StatsScreen {
    /// Opens on this quarter (the union's season) and the district filter chosen last time
    /// in this database; the first time, on the officer's own district.
    pub fn open(ctx: &mut Ctx) -> StatsScreen {
        let today = ctx.store.clock().today();
        let district = match ctx.store.stats_district_choice().ok().flatten() {
            Some(chosen) => Some(chosen).filter(|code| refdata::district(code).is_some()),
            None => ctx
                .officer()
                .map(|o| o.district_code)
                .filter(|code| refdata::district(code).is_some()),
        };
        let period = Period::Quarter;
        let mut screen = StatsScreen {
            period,
            query: StatsQuery::new(period, today, district.clone()),
            district,
            today,
            tab: Tab::Overview,
            stats: None,
            unserved: Paged::default(),
            open_needs: Paged::default(),
            error: None,
            awaited: None,
            popup: None,
            table: ListTable::new(10),
            needs_table: ListTable::new(4),
        };
        screen.request(ctx, StatsRequest::Figures(screen.query.clone()));
        screen
    }

    fn refresh(&mut self, ctx: &mut Ctx) {
        self.today = ctx.store.clock().today();
        self.query = StatsQuery::new(self.period, self.today, self.district.clone());
        self.unserved.selected = 0;
        self.open_needs.selected = 0;
        self.request(ctx, StatsRequest::Figures(self.query.clone()));
    }

    fn request(&mut self, ctx: &mut Ctx, request: StatsRequest) {
        self.awaited = Some(ctx.search.statistics(request));
    }

    fn unserved_total(&self) -> usize {
        self.stats
            .as_ref()
            .map_or(0, |s| s.hardship_unserved.total.max(0) as usize)
    }

    fn open_needs_total(&self) -> usize {
        self.stats
            .as_ref()
            .map_or(0, |s| s.needs.hardship_open.total.max(0) as usize)
    }

    /// Moves the selection of the tab's list, asking for its next page before the selection
    /// reaches the end of what is loaded.
    fn move_to(&mut self, action: &Action, ctx: &mut Ctx) {
        let awaiting = self.awaited.is_some();
        let query = self.query.clone();
        let (unserved, needs) = (self.unserved_total(), self.open_needs_total());
        let next = match self.tab {
            Tab::Hardship => self
                .unserved
                .step(&self.table, action, unserved, awaiting)
                .map(|offset| StatsRequest::Unserved {
                    query,
                    offset,
                    limit: FIRST_PAGE,
                }),
            Tab::Needs => self
                .open_needs
                .step(&self.needs_table, action, needs, awaiting)
                .map(|offset| StatsRequest::OpenNeeds {
                    query,
                    offset,
                    limit: FIRST_PAGE,
                }),
            _ => None,
        };
        if let Some(request) = next {
            self.request(ctx, request);
        }
    }

    /// The worker of the selected row of the tab's list.
    fn selected_worker(&self) -> Option<String> {
        match self.tab {
            Tab::Hardship => self.unserved.get_selected().map(|w| w.uid.clone()),
            Tab::Needs => self.open_needs.get_selected().map(|n| n.worker_uid.clone()),
            _ => None,
        }
    }

    fn period_label(&self, lang: Lang) -> String {
        let name = match self.period {
            Period::Month => t(lang, T::PeriodMonth),
            Period::Quarter => t(lang, T::PeriodQuarter),
            Period::Year => t(lang, T::PeriodYear),
            Period::Custom { .. } => "",
        };
        let range = format!("{}～{}", self.query.from, self.query.to);
        if name.is_empty() {
            range
        } else {
            format!("{name} {range}")
        }
    }

    /// Which district filter is on, said plainly: "区：全部区" or "区：和平区".
    fn district_label(&self, lang: Lang) -> String {
        let name = match &self.district {
            Some(code) => refdata::district_name(code, lang),
            None => t(lang, T::AllDistricts).to_string(),
        };
        tf(lang, T::DistrictFilter, &[&name])
    }
}

impl Screen for StatsScreen {
    fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Period(_) | Popup::District(_)) => Context::Picker,
            Some(Popup::Dates(_)) => Context::Form,
            None => Context::Stats,
        }
    }

    fn title(&self, lang: Lang) -> String {
        t(lang, T::StatsTitle).to_string()
    }

    fn handle(&mut self, input: Input, ctx: &mut Ctx) -> Effect {
        if let Some(popup) = self.popup.take() {
            return self.handle_popup(popup, input, ctx);
        }
        let step = |tab: Tab, by: isize| {
            let at = TABS.iter().position(|&x| x == tab).unwrap_or(0) as isize;
            TABS[(at + by).rem_euclid(TABS.len() as isize) as usize]
        };
        match input {
            Input::Action(Action::Back) => return Effect::Back,
            Input::Action(Action::NextTab) => self.tab = step(self.tab, 1),
            Input::Action(Action::PrevTab) => self.tab = step(self.tab, -1),
            Input::Action(Action::Period) => {
                self.popup = Some(Popup::Period(self.period_picker(ctx.lang)));
            }
            Input::Action(Action::District) => {
                self.popup = Some(Popup::District(self.district_picker(ctx.lang)));
            }
            Input::Action(Action::Confirm) => {
                if let Some(uid) = self.selected_worker() {
                    return Effect::Push(Route::WorkerDetail(uid));
                }
            }
            Input::Action(
                action @ (Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Home
                | Action::End),
            ) => self.move_to(&action, ctx),
            _ => {}
        }
        Effect::None
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        // Services may have been logged on the worker just opened.
        let selected = (self.unserved.selected, self.open_needs.selected);
        self.refresh(ctx);
        (self.unserved.selected, self.open_needs.selected) = selected;
    }

    fn on_msg(&mut self, msg: &mut AppMsg, _ctx: &mut Ctx) -> Option<Effect> {
        let AppMsg::Search(reply) = msg else {
            return None;
        };
        match reply {
            Reply::Statistics { seq, result } if Some(*seq) == self.awaited => {
                self.awaited = None;
                match result {
                    Ok(stats) => {
                        self.stats = Some((**stats).clone());
                        let (unserved, needs) = (self.unserved_total(), self.open_needs_total());
                        self.unserved
                            .first_page(&stats.hardship_unserved.workers, unserved);
                        self.open_needs
                            .first_page(&stats.needs.hardship_open.rows, needs);
                        self.error = None;
                    }
                    Err(message) => self.error = Some(message.clone()),
                }
                Some(Effect::None)
            }
            Reply::Unserved {
                seq,
                offset,
                result,
            } if Some(*seq) == self.awaited => {
                self.awaited = None;
                if let Ok(page) = result {
                    self.unserved.more(*offset, &page.workers);
                }
                Some(Effect::None)
            }
            Reply::OpenNeeds {
                seq,
                offset,
                result,
            } if Some(*seq) == self.awaited => {
                self.awaited = None;
                if let Ok(page) = result {
                    self.open_needs.more(*offset, &page.rows);
                }
                Some(Effect::None)
            }
            _ => None,
        }
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        if area.height < 6 {
            return;
        }
        let lang = view.lang;
        self.render_heading(frame, Rect::new(area.x, area.y, area.width, 2), lang);
        let body = Rect::new(area.x, area.y + 2, area.width, area.height - 2);
        match (&self.stats, &self.error) {
            (_, Some(message)) => frame.render_widget(
                Paragraph::new(format!(" {}", tf(lang, T::Error, &[message]))),
                body,
            ),
            (None, None) => {
                frame.render_widget(Paragraph::new(format!(" {}", t(lang, T::Loading))), body)
            }
            (Some(stats), None) => match self.tab {
                Tab::Overview => render_overview(frame, body, stats, lang),
                Tab::Services => render_services(frame, body, stats, lang),
                Tab::Money => money::render_money(frame, body, stats, lang),
                Tab::Hardship => self.render_hardship(frame, body, stats, lang),
                Tab::Needs => {
                    let list = (&self.open_needs, &self.needs_table);
                    needs::render_needs(frame, body, stats, list, lang)
                }
                Tab::Claims => claims::render_claims(frame, body, stats, lang),
            },
        }
        match &self.popup {
            Some(Popup::Period(picker) | Popup::District(picker)) => {
                picker.render(frame, area, lang);
            }
            Some(Popup::Dates(dates)) => render_dates(frame, area, dates, view),
            None => {}
        }
    }

    fn footer(&self) -> Vec<Action> {
        let mut actions = vec![Action::Period, Action::District, Action::NextTab];
        if matches!(self.tab, Tab::Hardship | Tab::Needs) {
            actions.push(Action::Confirm);
        }
        actions.push(Action::Back);
        actions
    }
}

impl StatsScreen {
    /// Period, district and date on the first line; the tabs on the second.
    fn render_heading(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        let bold = Style::default().add_modifier(Modifier::BOLD);
        let mut spans = vec![
            Span::raw(" "),
            Span::styled(self.period_label(lang), bold),
            Span::raw(" · "),
            Span::styled(self.district_label(lang), bold),
        ];
        let as_of = tf(lang, T::AsOf, &[&self.today.to_string()]);
        let used = Line::from(spans.clone()).width() + Line::from(as_of.as_str()).width() + 1;
        if used < usize::from(area.width) {
            spans.push(Span::raw(" ".repeat(usize::from(area.width) - used)));
            spans.push(Span::styled(
                as_of,
                Style::default().add_modifier(Modifier::DIM),
            ));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect::new(area.x, area.y, area.width, 1),
        );
        let mut tabs = vec![Span::raw(" ")];
        for tab in TABS {
            let style = if tab == self.tab {
                Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
            } else {
                Style::default()
            };
            tabs.push(Span::styled(format!(" {} ", tab.label(lang)), style));
            tabs.push(Span::raw(" "));
        }
        frame.render_widget(
            Paragraph::new(Line::from(tabs)),
            Rect::new(area.x, area.y + 1, area.width, 1),
        );
    }

    fn render_hardship(&self, frame: &mut Frame, area: Rect, stats: &Statistics, lang: Lang) {
        let total = stats.hardship_unserved.total;
        frame.render_widget(
            Paragraph::new(format!(
                " {}",
                tf(lang, T::UnservedHeading, &[&total.to_string()])
            ))
            .style(Style::default().add_modifier(Modifier::BOLD)),
            Rect::new(area.x, area.y, area.width, 1),
        );
        if total == 0 {
            frame.render_widget(
                Paragraph::new(format!("  {}", t(lang, T::NoneUnserved))),
                Rect::new(area.x, area.y + 2, area.width, 1),
            );
            return;
        }
        // Name, district, phone, last served, employer (the rest).
        let fixed = [12usize, 12, 11, 10];
        let used = fixed.iter().sum::<usize>() + fixed.len() + 2;
        let widths = [
            fixed[0],
            fixed[1],
            fixed[2],
            fixed[3],
            usize::from(area.width).saturating_sub(used).max(4),
        ];
        let header = Row::new([
            fit(t(lang, T::ColName), widths[0]),
            fit(t(lang, T::ColDistrict), widths[1]),
            fit(t(lang, T::ColPhone), widths[2]),
            fit(t(lang, T::ColLastService), widths[3]),
            fit(t(lang, T::ColEmployer), widths[4]),
        ]);
        let list = Rect::new(
            area.x,
            area.y + 1,
            area.width,
            area.height.saturating_sub(1),
        );
        self.table.render(
            frame,
            list,
            Some(header),
            &widths,
            (self.unserved.selected, total.max(0) as usize),
            |index| match self.unserved.rows.get(index) {
                Some(w) => Row::new([
                    fit(&w.name, widths[0]),
                    fit(&refdata::district_name(&w.district_code, lang), widths[1]),
                    fit(&mask_phone(&w.phone), widths[2]),
                    fit(
                        &w.last_served_on
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| t(lang, T::Never).to_string()),
                        widths[3],
                    ),
                    fit(&w.employer, widths[4]),
                ]),
                None => unread_row(),
            },
        );
    }
}
