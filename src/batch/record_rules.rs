//! The rules one line of a batch must pass. The fields of a worker, event or service are
//! turned into the draft the forms fill and checked by the same `crate::domain::validate`
//! functions, so a rule added there applies to batches at once. On top come what only a batch
//! has: uids, versions, ops and tombstones, and references to other records.

use super::format::{
    ERASURE_REASONS, ErasureRecord, EventRecord, Op, OpOnly, RecordHeader, RecordKind,
    ServiceRecord, WorkerRecord,
};
use super::problems::{Problem, ProblemKind, Problems, shown, without_values};
use crate::domain::name::validate_text;
use crate::domain::refdata::{self, KindForm};
use crate::domain::validate::{
    EventDraft, LONG_TEXT, ServiceDraft, WorkerDraft, validate_event, validate_service,
    validate_worker,
};
use crate::domain::{Field, FieldError, Rule, format_fen, parse_id_number};
use crate::store::version::MAX_VERSION;
use chrono::{DateTime, NaiveDate};
use std::collections::{HashMap, HashSet};

/// How far ahead of the receiving laptop's clock a date in a batch may be: laptops in the
/// field are often a day off, and a service logged just after midnight on a laptop that runs
/// fast must not refuse the whole batch. One day; anything later is a typing slip or a lie.
pub const CLOCK_SKEW_DAYS: u64 = 1;

/// A reference to check once every file of the batch has been read.
pub struct PendingReference {
    pub file: &'static str,
    pub line: u64,
    pub field: &'static str,
    pub target: RecordKind,
    pub uid: String,
    /// For a service's worker: the service's date, not to precede the worker's birth.
    pub dated: Option<NaiveDate>,
}

/// How many records of one kind the batch holds, and the sum of their versions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindTally {
    pub count: i64,
    pub version_sum: i64,
}

/// What the checks of one batch remember across lines: bounded by the records, never by the
/// bytes of the input.
#[derive(Default)]
pub struct Seen {
    pub uids: [HashSet<u128>; RecordKind::COUNT],
    /// Birth dates of the batch's workers, so a service's date can be checked against them.
    pub births: HashMap<u128, NaiveDate>,
    pub references: Vec<PendingReference>,
    /// Format 3: what a claim needs of its member, for the batch's workers.
    pub members: HashMap<u128, aid::MemberFacts>,
}

pub struct LineChecker<'a> {
    pub kind: RecordKind,
    pub format_version: u32,
    /// The receiving laptop's today plus `CLOCK_SKEW_DAYS`.
    pub latest_date: NaiveDate,
    /// Checking a batch from elsewhere: every field by the forms' rules. Off when a laptop
    /// re-reads the batch it has just written (integrity only): records made through the
    /// store's own API before a rule existed must not block their export.
    pub receiving: bool,
    pub seen: &'a mut Seen,
    pub problems: &'a mut Problems,
    pub tally: KindTally,
}

/// The 128 bits of a UUID written the way the format writes them (36 characters), or `None`.
/// Upper case parses here; `LineChecker::uid` refuses it separately to name the rule.
pub fn uuid_bits(text: &str) -> Option<u128> {
    if text.len() != 36 {
        return None;
    }
    uuid::Uuid::parse_str(text).ok().map(|u| u.as_u128())
}

/// A UUID in its canonical form: 36 characters, lower-case hex.
pub fn is_canonical_uid(text: &str) -> bool {
    uuid_bits(text).is_some() && !text.bytes().any(|b| b.is_ascii_uppercase())
}

impl LineChecker<'_> {
    fn file(&self) -> &'static str {
        self.kind.file_name()
    }

    fn problem(&mut self, line: u64, kind: ProblemKind) {
        let file = self.file();
        self.problems
            .push_with(|| Problem::new(file, Some(line), kind));
    }

    fn field(&mut self, line: u64, field: &'static str, detail: String) {
        self.problem(line, ProblemKind::Field { field, detail });
    }

    fn rules(&mut self, line: u64, errors: Vec<FieldError>, json_field: fn(Field) -> &'static str) {
        for error in errors {
            if accepted_from_an_earlier_catalog(&error) {
                continue;
            }
            let field = json_field(error.field);
            self.problem(line, ProblemKind::Rule { field, error });
        }
    }

    /// A line too long to be a record.
    pub fn too_long(&mut self, line: u64, max: usize, found: u64) {
        self.problem(line, ProblemKind::LineTooLong { max, found });
    }

    /// `count` empty lines from `first` on: no record is empty.
    pub fn empty_lines(&mut self, first: u64, count: u64) {
        let file = self.file();
        self.problems.push_run(count, |i| {
            Problem::new(file, Some(first + i), ProblemKind::EmptyLine)
        });
    }

    pub fn check(&mut self, line: u64, bytes: &[u8]) {
        if bytes.is_empty() {
            self.empty_lines(line, 1);
            return;
        }
        let parsed = match self.kind {
            RecordKind::Worker => serde_json::from_slice::<WorkerRecord>(bytes).map(|r| {
                if self.check_header(line, &r.header) {
                    self.check_worker(line, &r);
                }
            }),
            RecordKind::Event => serde_json::from_slice::<EventRecord>(bytes).map(|r| {
                if self.check_header(line, &r.header) {
                    self.check_event(line, &r);
                }
            }),
            RecordKind::Service => serde_json::from_slice::<ServiceRecord>(bytes).map(|r| {
                if self.check_header(line, &r.header) {
                    self.check_service(line, &r);
                }
            }),
            RecordKind::Need | RecordKind::Claim => self.check_aid(line, bytes),
        };
        if let Err(e) = parsed {
            // Only now is it worth asking whether the line is an erasure: a full record is the
            // common case and is parsed once.
            let is_erasure = matches!(
                serde_json::from_slice::<OpOnly>(bytes),
                Ok(OpOnly {
                    op: Some(Op::Erase)
                })
            );
            if is_erasure {
                match serde_json::from_slice::<ErasureRecord>(bytes) {
                    Ok(erasure) => self.check_erasure(line, &erasure),
                    Err(e) => self.problem(
                        line,
                        ProblemKind::InvalidJson(format!(
                            "{} (erase: uid, version, op, reason only)",
                            without_values(&e.to_string())
                        )),
                    ),
                }
            } else {
                let file = self.file();
                self.problems.push_with(|| {
                    let what = ProblemKind::InvalidJson(without_values(&e.to_string()));
                    Problem::new(file, Some(line), what)
                });
            }
        }
    }

    /// A uid field: a canonical UUID. Returns its bits when it is one.
    fn uid(&mut self, line: u64, field: &'static str, value: &str) -> Option<u128> {
        let Some(bits) = uuid_bits(value) else {
            self.field(line, field, format!("not a UUID: {}", shown(value, 40)));
            return None;
        };
        if !is_canonical_uid(value) {
            self.problem(line, ProblemKind::UpperCaseUid { field });
            return None;
        }
        Some(bits)
    }

    fn version(&mut self, line: u64, version: i64) {
        if !(1..=MAX_VERSION).contains(&version) {
            self.problem(line, ProblemKind::BadVersion(version));
        } else {
            self.tally.count += 1;
            self.tally.version_sum = self.tally.version_sum.saturating_add(version);
        }
    }

    fn new_uid(&mut self, line: u64, uid: &str) {
        if let Some(bits) = self.uid(line, "uid", uid)
            && !self.seen.uids[self.kind as usize].insert(bits)
        {
            self.problem(line, ProblemKind::DuplicateUid(uid.to_string()));
        }
    }

    fn check_erasure(&mut self, line: u64, e: &ErasureRecord) {
        if self.format_version < 2 {
            self.problem(line, ProblemKind::NeedsFormat2 { what: "op erase" });
        }
        self.new_uid(line, &e.uid);
        self.version(line, e.version);
        if !ERASURE_REASONS.contains(&e.reason.as_ref()) {
            self.field(
                line,
                "reason",
                format!(
                    "an erasure's reason must be one of {}, found {}",
                    ERASURE_REASONS.join(", "),
                    shown(&e.reason, 40)
                ),
            );
        }
    }

    /// Checks the fields every record has; false when the record's own fields are not worth
    /// checking (an erasure written as a full record).
    fn check_header(&mut self, line: u64, h: &RecordHeader) -> bool {
        self.new_uid(line, &h.uid);
        self.version(line, h.version);
        if h.op == Op::Erase {
            self.field(
                line,
                "op",
                "an erasure carries only uid, version, op and reason; other fields were found"
                    .into(),
            );
            return false;
        }
        if (h.op == Op::Delete) != h.deleted_at.is_some() {
            self.problem(line, ProblemKind::OpMismatch);
        }
        match (&h.reason, h.op, self.format_version) {
            (Some(_), _, 1) => self.problem(line, ProblemKind::NeedsFormat2 { what: "reason" }),
            (Some(_), Op::Upsert, _) => self.field(
                line,
                "reason",
                "only a withdrawal (op delete) has a reason".into(),
            ),
            (Some(reason), _, _) => {
                if let Err(error) = validate_text(Field::Reason, reason, LONG_TEXT) {
                    self.problem(
                        line,
                        ProblemKind::Rule {
                            field: "reason",
                            error,
                        },
                    );
                } else if reason.trim().is_empty() {
                    let error = FieldError::new(Field::Reason, Rule::Required);
                    self.problem(
                        line,
                        ProblemKind::Rule {
                            field: "reason",
                            error,
                        },
                    );
                }
            }
            (None, Op::Delete, v) if v >= 2 => {
                let error = FieldError::new(Field::Reason, Rule::Required);
                self.problem(
                    line,
                    ProblemKind::Rule {
                        field: "reason",
                        error,
                    },
                );
            }
            _ => {}
        }
        self.uid(line, "origin_device_id", &h.origin_device_id);
        for (field, value, max) in [
            ("officer.name", &h.officer.name, 30),
            ("officer.organisation", &h.officer.organisation, 60),
        ] {
            if value.trim().is_empty() {
                let error = FieldError::new(Field::Officer, Rule::Required);
                self.problem(line, ProblemKind::Rule { field, error });
            } else if let Err(error) = validate_text(Field::Officer, value, max) {
                self.problem(line, ProblemKind::Rule { field, error });
            }
        }
        for (field, value) in [
            ("created_at", Some(&h.created_at)),
            ("updated_at", Some(&h.updated_at)),
            ("deleted_at", h.deleted_at.as_ref()),
        ] {
            if let Some(value) = value
                && DateTime::parse_from_rfc3339(value).is_err()
            {
                self.field(
                    line,
                    field,
                    format!("not an RFC 3339 time: {}", shown(value, 40)),
                );
            }
        }
        true
    }

    fn reference(
        &mut self,
        line: u64,
        field: &'static str,
        target: RecordKind,
        uid: &str,
        dated: Option<NaiveDate>,
    ) {
        let Some(bits) = self.uid(line, field, uid) else {
            return;
        };
        // Workers and events are read before services, so most references resolve here and
        // a batch of millions of services keeps no list of them.
        if self.seen.uids[target as usize].contains(&bits) {
            return;
        }
        self.seen.references.push(PendingReference {
            file: self.file(),
            line,
            field,
            target,
            uid: uid.to_string(),
            dated,
        });
    }

    fn check_worker(&mut self, line: u64, w: &WorkerRecord) {
        let draft = WorkerDraft {
            name: w.name.to_string(),
            id_number: w.id_number.to_string(),
            phone: w.phone.to_string(),
            employer: w.employer.to_string(),
            worksite: w.worksite.to_string(),
            trade: w.trade.to_string(),
            district_code: w.district_code.to_string(),
            membership: w.membership.to_string(),
            card_no: w.card_no.to_string(),
            hardship: w.hardship,
            note: w.note.to_string(),
        };
        if self.receiving
            && let Err(errors) = validate_worker(&draft, self.latest_date)
        {
            self.rules(line, errors, worker_field);
        }
        match parse_id_number(&w.id_number, self.latest_date) {
            // Already named by the form's rules when receiving.
            Err(error) if !self.receiving => self.problem(
                line,
                ProblemKind::Rule {
                    field: "id_number",
                    error,
                },
            ),
            Err(_) => {}
            Ok(id) => {
                if id.number != w.id_number {
                    self.field(
                        line,
                        "id_number",
                        "not in 18-character upper-case form".to_string(),
                    );
                }
                if id.gender.code() != w.gender {
                    self.problem(
                        line,
                        ProblemKind::IdNumberDisagrees {
                            field: "gender",
                            expected: id.gender.code().into(),
                        },
                    );
                }
                let birth = id.birth_date.format("%Y-%m-%d").to_string();
                if birth != w.birth_date {
                    self.problem(
                        line,
                        ProblemKind::IdNumberDisagrees {
                            field: "birth_date",
                            expected: birth,
                        },
                    );
                }
                if let Some(bits) = uuid_bits(&w.header.uid) {
                    self.seen.births.insert(bits, id.birth_date);
                }
            }
        }
        self.remember_member(w);
        if w.membership.trim().is_empty() {
            let error = FieldError::new(Field::Membership, Rule::Required);
            self.problem(
                line,
                ProblemKind::Rule {
                    field: "membership",
                    error,
                },
            );
        }
    }

    fn check_event(&mut self, line: u64, e: &EventRecord) {
        let draft = EventDraft {
            name: e.name.to_string(),
            kind: e.kind.to_string(),
            held_on: e.held_on.to_string(),
            place: e.place.to_string(),
            district_code: e.district_code.to_string(),
            default_quantity: e.default_quantity.to_string(),
            default_amount: format_fen(e.default_amount_fen),
        };
        // An empty date would mean "today" on a form; in a batch it is missing.
        if e.held_on.trim().is_empty() {
            let error = FieldError::new(Field::Date, Rule::Required);
            self.problem(
                line,
                ProblemKind::Rule {
                    field: "held_on",
                    error,
                },
            );
        }
        if self.receiving
            && let Err(errors) = validate_event(&draft, self.latest_date)
        {
            self.rules(line, errors, event_field);
        }
    }

    fn check_service(&mut self, line: u64, s: &ServiceRecord) {
        let served_on = NaiveDate::parse_from_str(&s.served_on, "%Y-%m-%d").ok();
        self.reference(
            line,
            "worker_uid",
            RecordKind::Worker,
            &s.worker_uid,
            served_on,
        );
        if let Some(event) = &s.event_uid {
            self.reference(line, "event_uid", RecordKind::Event, event, None);
        }
        let kind = refdata::service_kind_any_catalog(&s.kind);
        let form = kind.map(|k| k.form);
        let health = s.health_check.as_ref();
        let legal = s.legal_aid.as_ref();
        let draft = ServiceDraft {
            // A retired kind is checked with the form it had when it was shipped.
            kind: match kind {
                Some(k) if refdata::service_kind(&k.code).is_none() => {
                    same_form_kind(k.form).unwrap_or_default()
                }
                _ => s.kind.to_string(),
            },
            served_on: s.served_on.to_string(),
            place: s.place.to_string(),
            quantity: s.quantity.to_string(),
            amount: format_fen(s.amount_fen),
            note: s.note.to_string(),
            event_uid: s.event_uid.as_ref().map(|u| u.to_string()),
            provider: health.map(|h| h.provider.to_string()).unwrap_or_default(),
            blood_pressure: health
                .map(|h| h.blood_pressure.to_string())
                .unwrap_or_default(),
            glucose: health
                .and_then(|h| h.glucose_tenths)
                .map(|g| format!("{}.{}", g / 10, g % 10))
                .unwrap_or_default(),
            findings: health.map(|h| h.findings.to_string()).unwrap_or_default(),
            referral: health.is_some_and(|h| h.referral),
            follow_up_on: health
                .and_then(|h| h.follow_up_on.as_ref())
                .map(|d| d.to_string())
                .unwrap_or_default(),
            consent: health.is_some_and(|h| !h.consent_by.trim().is_empty()),
            category: legal.map(|l| l.category.to_string()).unwrap_or_default(),
            status: legal.map(|l| l.status.to_string()).unwrap_or_default(),
            claimed: legal.map(|l| format_fen(l.claimed_fen)).unwrap_or_default(),
            recovered: legal
                .map(|l| format_fen(l.recovered_fen))
                .unwrap_or_default(),
            follows_uid: String::new(),
            description: legal.map(|l| l.description.to_string()).unwrap_or_default(),
            // A worker of this batch is known by now; one already in the database is checked
            // when the references are resolved.
            worker_born_on: uuid_bits(&s.worker_uid)
                .and_then(|worker| self.seen.births.get(&worker).copied()),
        };
        // From elsewhere, an unknown kind is judged by the form's rules below.
        if kind.is_none() && !self.receiving {
            let code = shown(&s.kind, 40);
            let error = FieldError::new(Field::Kind, Rule::UnknownCode { code });
            self.problem(
                line,
                ProblemKind::Rule {
                    field: "kind",
                    error,
                },
            );
        }
        if s.served_on.trim().is_empty() {
            let error = FieldError::new(Field::Date, Rule::Required);
            self.problem(
                line,
                ProblemKind::Rule {
                    field: "served_on",
                    error,
                },
            );
        }
        let consent_by = health.map(|h| h.consent_by.as_ref()).unwrap_or_default();
        let consent_at = health.map(|h| h.consent_at.as_ref()).unwrap_or_default();
        if self.receiving
            && let Err(errors) = validate_service(&draft, self.latest_date, consent_by, consent_at)
        {
            // A kind of any catalog shipped is known; the current catalog alone would refuse
            // a retired one.
            let errors = errors
                .into_iter()
                .filter(|e| e.field != Field::Kind || kind.is_none())
                .collect();
            self.rules(line, errors, service_field);
        }
        // From elsewhere the form's rules above said it already.
        if !self.receiving
            && let Some(worker) = uuid_bits(&s.worker_uid)
            && let Some(birth) = self.seen.births.get(&worker).copied()
            && let Some(on) = served_on
            && on < birth
        {
            self.problem(line, ProblemKind::BeforeBirth { field: "served_on" });
        }
        if form == Some(KindForm::HealthCheck) && health.is_none() {
            self.field(line, "health_check", "missing for a health check".into());
        }
        if form == Some(KindForm::LegalAid) && legal.is_none() {
            self.field(line, "legal_aid", "missing for a legal-aid visit".into());
        }
        if let Some(h) = health
            && h.glucose_tenths.is_some_and(|g| g < 0)
        {
            self.field(line, "health_check.glucose_tenths", "negative".into());
        }
        if let Some(l) = legal
            && let Some(follows) = &l.follows_uid
        {
            self.reference(
                line,
                "legal_aid.follows_uid",
                RecordKind::Service,
                follows,
                None,
            );
        }
    }
}

/// A current kind with the same form as a retired one, to run the form's rules on it.
fn same_form_kind(form: KindForm) -> Option<String> {
    refdata::service_kinds()
        .iter()
        .find(|k| k.form == form)
        .map(|k| k.code.clone())
}

/// A code the current catalog no longer has but an earlier one shipped: a laptop not yet
/// updated may still send it.
fn accepted_from_an_earlier_catalog(error: &FieldError) -> bool {
    let Rule::UnknownCode { code } = &error.rule else {
        return false;
    };
    match error.field {
        Field::District => refdata::retired_district(code).is_some(),
        Field::Kind => refdata::retired_service_kind(code).is_some(),
        Field::Category => refdata::retired_legal_aid_category(code).is_some(),
        Field::Status => refdata::retired_legal_aid_status(code).is_some(),
        _ => false,
    }
}

#[path = "record_rules_aid.rs"]
pub mod aid;
#[path = "record_keys.rs"]
mod record_keys;
use record_keys::{event_field, service_field, worker_field};

#[cfg(test)]
#[path = "record_rules_tests.rs"]
mod tests;
