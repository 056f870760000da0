//! How one record reads in a row of the worker's page: a service's details in a line, a
//! legal-aid case as its latest visit leaves it.

use crate::domain::refdata;
use crate::domain::{Service, format_fen};
use crate::store::legal_cases::LegalCase;
use crate::text::Lang;
use crate::tui::text::{T, t, tf};
use crate::tui::widgets::shown;

/// What a service was, in one line: amounts, health or legal-aid details.
pub(super) fn details(s: &Service, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(h) = &s.health {
        if !h.provider.is_empty() {
            parts.push(h.provider.clone());
        }
        if !h.blood_pressure.is_empty() {
            parts.push(tf(lang, T::BloodPressureShort, &[&h.blood_pressure]));
        }
        if let Some(g) = h.glucose_tenths {
            parts.push(tf(
                lang,
                T::GlucoseShort,
                &[&format!("{}.{}", g / 10, g % 10)],
            ));
        }
        if !h.findings.is_empty() {
            parts.push(h.findings.clone());
        }
        if h.referral {
            parts.push(t(lang, T::NeedsReferral).to_string());
        }
        if let Some(d) = h.follow_up_on {
            parts.push(tf(
                lang,
                T::FollowUpShort,
                &[&d.format("%Y-%m-%d").to_string()],
            ));
        }
    }
    if let Some(l) = &s.legal {
        if let Some(c) = refdata::legal_aid_category(&l.category) {
            parts.push(c.name(lang).to_string());
        }
        if let Some(st) = refdata::legal_aid_status(&l.status) {
            parts.push(st.name(lang).to_string());
        }
        parts.push(tf(lang, T::Claimed, &[&format_fen(l.claimed_fen)]));
        parts.push(tf(lang, T::Recovered, &[&format_fen(l.recovered_fen)]));
        if !l.description.is_empty() {
            parts.push(l.description.clone());
        }
    }
    if s.health.is_none() && s.legal.is_none() {
        if s.quantity != 1 {
            parts.push(tf(lang, T::QuantityShort, &[&s.quantity.to_string()]));
        }
        if s.amount_fen != 0 {
            parts.push(format!("¥{}", format_fen(s.amount_fen)));
        }
    }
    if !s.note.is_empty() {
        parts.push(s.note.clone());
    }
    shown(&parts.join(" · ")).into_owned()
}

/// "欠薪 已结案·调解结案 主张 ¥8000.00 追回 ¥6000.00": a case as its latest visit leaves it.
pub(super) fn case_text(c: &LegalCase, lang: Lang) -> String {
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
