//! The officer profile of this laptop. Several officers may use one database over months:
//! setting a profile makes it current, and earlier officers stay for the records they made.

use super::{Result, Store, StoreError, meta_get, meta_set};
use crate::domain::name::validate_text;
use crate::domain::refdata;
use crate::domain::{Field, FieldError, Officer, Rule, validate_name};
use rusqlite::{OptionalExtension, params};

const STATS_DISTRICT_KEY: &str = "stats_district";

impl Store {
    pub(super) fn current_officer_id(&self) -> Result<Option<i64>> {
        Ok(meta_get(&self.conn, "officer_id")?.and_then(|v| v.parse().ok()))
    }

    /// The district a new worker is registered in unless told otherwise: the current
    /// officer's, when it is a Tianjin district; empty (none chosen) without an officer.
    pub fn new_worker_district(&self) -> Result<String> {
        Ok(self
            .officer()?
            .map(|o| o.district_code)
            .filter(|code| refdata::district(code).is_some())
            .unwrap_or_default())
    }

    /// The district filter the statistics showed last in this database: `Some("")` for all
    /// districts, `Some(code)` for one, `None` if never chosen here.
    pub fn stats_district_choice(&self) -> Result<Option<String>> {
        meta_get(&self.conn, STATS_DISTRICT_KEY)
    }

    /// Remembers the statistics' district filter (`""` for all districts).
    pub fn remember_stats_district(&self, code: &str) -> Result<()> {
        meta_set(&self.conn, STATS_DISTRICT_KEY, code)
    }

    /// The current officer, if one was set.
    pub fn officer(&self) -> Result<Option<Officer>> {
        let Some(id) = self.officer_id else {
            return Ok(None);
        };
        Ok(self
            .conn
            .query_row(
                "SELECT name, organisation, district_code FROM officer WHERE id = ?1",
                [id],
                |r| {
                    Ok(Officer {
                        name: r.get(0)?,
                        organisation: r.get(1)?,
                        district_code: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Validates and makes `officer` the current profile of this database.
    pub fn set_officer(&mut self, officer: &Officer) -> Result<Officer> {
        let clean = validate_officer(officer)?;
        let device = self.device_id()?;
        let now = self.clock.stamp();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR IGNORE INTO officer(name, organisation, district_code, device_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                clean.name,
                clean.organisation,
                clean.district_code,
                device,
                now
            ],
        )?;
        let id: i64 = tx.query_row(
            "SELECT id FROM officer
             WHERE device_id = ?1 AND name = ?2 AND organisation = ?3 AND district_code = ?4",
            params![device, clean.name, clean.organisation, clean.district_code],
            |r| r.get(0),
        )?;
        meta_set(&tx, "officer_id", &id.to_string())?;
        tx.commit()?;
        self.officer_id = Some(id);
        Ok(clean)
    }

    /// The row id of an officer from another laptop (merged batches keep their officer),
    /// created on first sight.
    pub fn foreign_officer_id(&self, device_id: &str, officer: &Officer) -> Result<i64> {
        self.conn.execute(
            "INSERT OR IGNORE INTO officer(name, organisation, district_code, device_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                officer.name,
                officer.organisation,
                officer.district_code,
                device_id,
                self.clock.stamp()
            ],
        )?;
        Ok(self.conn.query_row(
            "SELECT id FROM officer
             WHERE device_id = ?1 AND name = ?2 AND organisation = ?3 AND district_code = ?4",
            params![
                device_id,
                officer.name,
                officer.organisation,
                officer.district_code
            ],
            |r| r.get(0),
        )?)
    }

    /// The officer's id for a write, or `NoOfficer` with how to set one.
    pub fn officer_id(&self) -> Result<i64> {
        self.require_officer()
    }
}

pub fn validate_officer(officer: &Officer) -> Result<Officer, StoreError> {
    let mut errors = Vec::new();
    let name = validate_name(&officer.name)
        .map_err(|e| FieldError::new(Field::Officer, e.rule))
        .map_err(|e| errors.push(e))
        .ok();
    let organisation = match validate_text(Field::Organisation, &officer.organisation, 60) {
        Ok(o) if o.is_empty() => {
            errors.push(FieldError::new(Field::Organisation, Rule::Required));
            None
        }
        Ok(o) => Some(o),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let district = officer.district_code.trim();
    if refdata::district(district).is_none() {
        errors.push(FieldError::new(
            Field::District,
            if district.is_empty() {
                Rule::Required
            } else {
                Rule::UnknownCode {
                    code: district.to_string(),
                }
            },
        ));
    }
    match (name, organisation) {
        (Some(name), Some(organisation)) if errors.is_empty() => Ok(Officer {
            name,
            organisation,
            district_code: district.to_string(),
        }),
        _ if errors.len() == 1 => Err(StoreError::Invalid(errors.remove(0))),
        _ => Err(StoreError::InvalidMany(errors)),
    }
}
