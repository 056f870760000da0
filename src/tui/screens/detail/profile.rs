//! The worker's page above the records: the profile lines, legal cases, needs and claims, and
//! what the city returned.

use super::{DetailScreen, rows};
use crate::domain::idcard::age_on;
use crate::domain::refdata;
use crate::domain::{Field, Gender};
use crate::receipt::masked_reason;
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::labels::{hometown_name, membership_name};
use crate::tui::widgets::shown;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

impl DetailScreen {
    pub(super) fn profile_lines(&self, lang: Lang) -> Vec<Line<'static>> {
        let w = &self.worker;
        let label = |s: &str| {
            Span::styled(
                format!("{} ", crate::tui::widgets::heading_label(s)),
                Style::default().add_modifier(Modifier::DIM),
            )
        };
        let value = |s: String| Span::raw(format!("{}    ", shown(&s)));
        let sex = match w.gender {
            Gender::Male => t(lang, T::Male),
            Gender::Female => t(lang, T::Female),
        };
        let hometown = hometown_name(&w.hometown_code, lang);
        let district = refdata::district(&w.input.district_code)
            .map(|d| d.name(lang).to_string())
            .unwrap_or_else(|| "—".into());
        let membership = membership_name(w.input.membership, lang);
        let or_dash = |s: &str| {
            if s.trim().is_empty() {
                "—".to_string()
            } else {
                s.to_string()
            }
        };
        let mut lines = vec![
            Line::from(vec![
                label(Field::IdNumber.label(lang)),
                value(w.input.id_number.clone()),
                label(t(lang, T::GenderLabel)),
                value(sex.to_string()),
                label(t(lang, T::BirthLabel)),
                value(format!(
                    "{} ({})",
                    w.birth_date.format("%Y-%m-%d"),
                    tf(
                        lang,
                        T::Years,
                        &[&age_on(w.birth_date, self.today).to_string()]
                    )
                )),
                label(t(lang, T::HometownLabel)),
                value(hometown),
            ]),
            Line::from(vec![
                label(Field::Phone.label(lang)),
                value(or_dash(&w.input.phone)),
                label(Field::Employer.label(lang)),
                value(or_dash(&w.input.employer)),
                label(Field::Worksite.label(lang)),
                value(or_dash(&w.input.worksite)),
            ]),
            Line::from(vec![
                label(Field::Trade.label(lang)),
                value(or_dash(&w.input.trade)),
                label(Field::District.label(lang)),
                value(district),
                label(Field::Membership.label(lang)),
                value(membership.to_string()),
                label(Field::CardNo.label(lang)),
                value(or_dash(&w.input.card_no)),
                label(t(lang, T::HardshipLabel)),
                value(t(lang, if w.input.hardship { T::Yes } else { T::No }).to_string()),
            ]),
        ];
        if !w.input.note.trim().is_empty() {
            lines.push(Line::from(vec![
                label(Field::Note.label(lang)),
                value(w.input.note.clone()),
            ]));
        }
        if !self.cases.is_empty() {
            let open = self.cases.iter().filter(|c| c.open).count();
            let mut spans = vec![label(&tf(
                lang,
                T::LegalCasesLine,
                &[&self.cases.len().to_string(), &open.to_string()],
            ))];
            spans.extend(self.cases.iter().map(|c| value(rows::case_text(c, lang))));
            lines.push(Line::from(spans));
        }
        for (heading, items) in self.aid.lines(lang) {
            let mut spans = vec![label(&heading)];
            spans.extend(items.into_iter().map(value));
            lines.push(Line::from(spans));
        }
        lines
    }

    /// What the city refused of this worker and why, so the officer corrects it before the
    /// next export; `None` when nothing waits.
    pub(super) fn returned_line(&self, lang: Lang) -> Option<String> {
        if self.returns.is_empty() {
            return None;
        }
        let reasons: Vec<String> = self
            .returns
            .iter()
            .map(|r| {
                let kind = if r.table == "worker" {
                    T::ReturnedWorker
                } else {
                    T::ReturnedService
                };
                let reason = lang.pick(&r.reason_zh, &r.reason_en);
                masked_reason(&format!("{}: {reason}", t(lang, kind)))
            })
            .collect();
        let text = tf(lang, T::ReturnedByCity, &[&self.returns.len().to_string()]);
        Some(shown(&format!("{text}{}", reasons.join(lang.pick("；", "; ")))).into_owned())
    }
}
