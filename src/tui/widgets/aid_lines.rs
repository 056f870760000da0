//! A worker's needs (诉求) and mutual-aid claims (互助保障) as the lines the worker's page shows
//! under the profile: open needs first, then each claim and where it stands.

use crate::domain::claims::{ClaimStatus, claim_type_name};
use crate::domain::format_fen;
use crate::domain::needs::{Need, NeedState, need_kind_name};
use crate::store::Store;
use crate::store::claims::Claim;
use crate::text::Lang;
use crate::tui::text::{T, tf};

/// What the page shows of one worker's needs and claims (a handful each).
#[derive(Default)]
pub struct AidSummary {
    pub needs: Vec<Need>,
    pub claims: Vec<Claim>,
}

impl AidSummary {
    /// Read for worker `uid`; a read that fails shows as nothing rather than stopping the page.
    pub fn of(store: &Store, uid: &str) -> AidSummary {
        AidSummary {
            needs: store.needs_of_worker(uid).unwrap_or_default(),
            claims: store.claims_of_worker(uid).unwrap_or_default(),
        }
    }

    /// The newest claim not yet paid or rejected: the one a step continues.
    pub fn unsettled_claim(&self) -> Option<&Claim> {
        self.claims
            .iter()
            .find(|c| !matches!(c.progress.status, ClaimStatus::Paid | ClaimStatus::Rejected))
    }

    /// (label, items) per line: needs ("欠薪维权 2026-03-10" open, then settled ones with their
    /// state), claims ("重大疾病首次确诊 已提交 ¥10000.00"). None when there are none.
    pub fn lines(&self, lang: Lang) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        if !self.needs.is_empty() {
            let open = self
                .needs
                .iter()
                .filter(|n| n.state == NeedState::Open)
                .count();
            let items = self
                .needs
                .iter()
                .map(|n| {
                    let kind = need_kind_name(&n.kind, lang);
                    match n.state {
                        NeedState::Open => format!("{kind} {}", n.raised_on),
                        state => format!("{kind}·{}", state.name(lang)),
                    }
                })
                .collect();
            let count = self.needs.len().to_string();
            out.push((tf(lang, T::NeedsLine, &[&count, &open.to_string()]), items));
        }
        if !self.claims.is_empty() {
            let items = self
                .claims
                .iter()
                .map(|c| {
                    format!(
                        "{} {} ¥{}",
                        claim_type_name(&c.claim_type, lang),
                        c.progress.status.name(lang),
                        format_fen(c.amount_fen)
                    )
                })
                .collect();
            let count = self.claims.len().to_string();
            out.push((tf(lang, T::ClaimsLine, &[&count]), items));
        }
        out
    }
}
