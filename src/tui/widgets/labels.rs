//! How records read on screen in a line: an event in one summary line, a date as the forms
//! prefill it. Labels of reference codes live with the data (`domain::refdata`).

use crate::domain::idcard::district_of;
use crate::domain::{Event, Membership, format_fen, refdata};
use crate::store::legal_cases::LegalCase;
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use chrono::NaiveDate;

/// A date as the forms show and take it: "2026-03-15".
pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// "2026-03-15 · 夏送清凉 · 南开区某工地 · 南开区 · 每人 1 份 ¥0.00"; the quantity and amount
/// only for kinds that hand something out.
pub fn event_summary(event: &Event, lang: Lang) -> String {
    let mut parts = vec![
        event.held_on.format("%Y-%m-%d").to_string(),
        refdata::service_kind_name(&event.input.kind, lang),
    ];
    if !event.input.place.trim().is_empty() {
        parts.push(super::shown(&event.input.place).into_owned());
    }
    let district = refdata::district_name(&event.input.district_code, lang);
    if !district.is_empty() {
        parts.push(district);
    }
    // A health check or a legal-aid visit hands out nothing: "每人 1 份 ¥0.00" would read as
    // an amount that is missing.
    let kind_form = refdata::service_kind(&event.input.kind)
        .map(|k| k.form)
        .unwrap_or_default();
    if kind_form == refdata::KindForm::Plain {
        parts.push(tf(
            lang,
            T::PerPerson,
            &[
                &event.input.default_quantity.to_string(),
                &format_fen(event.input.default_amount_fen),
            ],
        ));
    }
    parts.join(" · ")
}

/// Where an ID number was issued: "河南省", or "天津市 和平区" when the county is a Tianjin
/// district; empty for a code the catalog does not know.
pub fn hometown_name(region_code: &str, lang: Lang) -> String {
    region_code
        .get(..2)
        .and_then(refdata::province)
        .map(|p| {
            let province = p.name(lang).to_string();
            match district_of(region_code) {
                Some(d) => format!("{province} {}", d.name(lang)),
                None => province,
            }
        })
        .unwrap_or_default()
}

/// 原有会员 / 现场入会 / 非会员, as the worker page says it.
pub fn membership_name(membership: Membership, lang: Lang) -> &'static str {
    t(
        lang,
        match membership {
            Membership::Member => T::MemberMember,
            Membership::JoinedHere => T::MemberJoinedHere,
            Membership::NotMember => T::MemberNotMember,
        },
    )
}

/// "欠薪 已结案·调解结案 主张 ¥8000.00 追回 ¥6000.00": a case as its latest visit leaves it.
pub fn case_text(c: &LegalCase, lang: Lang) -> String {
    let category = refdata::legal_aid_category_name(&c.category, lang);
    let state = match refdata::legal_aid_outcome(&c.outcome) {
        Some(o) => tf(lang, T::CaseClosedAs, &[o.name(lang)]),
        None => refdata::legal_aid_status_name(&c.status, lang),
    };
    format!(
        "{category} {state} {} {}",
        tf(lang, T::Claimed, &[&format_fen(c.claimed_fen)]),
        tf(lang, T::Recovered, &[&format_fen(c.recovered_fen)])
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EventInput;

    #[test]
    fn an_event_summary_names_kind_place_and_district_in_the_language() {
        let held_on = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let mut event = Event {
            id: 1,
            uid: "e1".into(),
            version: 1,
            input: EventInput {
                name: "夏送清凉·南开工地".into(),
                kind: "summer_cooling".into(),
                held_on: Some(held_on),
                place: "南开区某工地".into(),
                district_code: "120104".into(),
                default_quantity: 2,
                default_amount_fen: 1050,
            },
            held_on,
            served_count: 0,
            people_count: 0,
            deleted: false,
        };
        assert_eq!(
            event_summary(&event, Lang::Zh),
            "2026-03-15 · 夏送清凉 · 南开区某工地 · 南开区 · 每人 2 份 ¥10.50"
        );
        assert_eq!(
            event_summary(&event, Lang::En),
            "2026-03-15 · Summer cooling · 南开区某工地 · Nankai · 2 each, ¥10.50"
        );
        event.input.place = " ".into();
        event.input.district_code = String::new();
        assert!(
            event_summary(&event, Lang::Zh).starts_with("2026-03-15 · 夏送清凉 · 每人"),
            "no empty parts: {}",
            event_summary(&event, Lang::Zh)
        );
    }
}
