//! Reference data embedded from `data/` at build time and parsed once.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceKind {
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Group code: six_deliveries, hardship_aid, seasonal, own_forms, more.
    pub group: String,
    /// Which extra form the kind needs: none, health_check, legal_aid.
    pub form: KindForm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindForm {
    Plain,
    HealthCheck,
    LegalAid,
}

/// Labelled codes for categories, statuses and groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// The 34 province-level regions (2-digit codes).
pub fn provinces() -> &'static [Region] {
    todo!()
}
/// Tianjin's 16 districts (6-digit codes).
pub fn tianjin_districts() -> &'static [Region] {
    todo!()
}
pub fn service_kinds() -> &'static [ServiceKind] {
    todo!()
}
pub fn service_groups() -> &'static [Labelled] {
    todo!()
}
pub fn legal_aid_categories() -> &'static [Labelled] {
    todo!()
}
/// Status after a visit; `open_statuses` are those a follow-up can continue.
pub fn legal_aid_statuses() -> &'static [Labelled] {
    todo!()
}

pub fn province(code2: &str) -> Option<&'static Region> {
    provinces().iter().find(|r| r.code == code2)
}
pub fn district(code6: &str) -> Option<&'static Region> {
    tianjin_districts().iter().find(|r| r.code == code6)
}
pub fn service_kind(code: &str) -> Option<&'static ServiceKind> {
    service_kinds().iter().find(|k| k.code == code)
}
pub fn legal_aid_category(code: &str) -> Option<&'static Labelled> {
    legal_aid_categories().iter().find(|c| c.code == code)
}
pub fn legal_aid_status(code: &str) -> Option<&'static Labelled> {
    legal_aid_statuses().iter().find(|c| c.code == code)
}
/// A case is still open (a follow-up can continue it) unless resolved or referred.
pub fn legal_aid_status_is_open(code: &str) -> bool {
    !matches!(code, "resolved" | "referred")
}
