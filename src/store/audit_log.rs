//! Reading the audit trail: who changed which fields of which record, and when.

use super::{Result, Store};
use rusqlite::params;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub officer: String,
    pub table: String,
    pub record_uid: String,
    pub version: i64,
    pub action: String,
    /// Names of the changed fields (never their values).
    pub fields: String,
    /// Why a record was withdrawn (the officer's words); empty for other actions.
    pub reason: String,
}

impl Store {
    /// The newest entries first; for one worker, its own entries and those of its services, needs
    /// and claims.
    pub fn audit_entries(&self, worker_uid: Option<&str>, limit: usize) -> Result<Vec<AuditEntry>> {
        let sql = match worker_uid {
            Some(_) => {
                "SELECT a.at, coalesce(o.name, ''), a.table_name, a.record_uid, a.version, a.action,
                        a.fields, a.reason
                 FROM audit a LEFT JOIN officer o ON o.id = a.officer_id
                 WHERE a.record_uid = ?1
                    OR a.record_uid IN (SELECT s.uid FROM service s
                                        JOIN worker w ON w.id = s.worker_id WHERE w.uid = ?1)
                    OR a.record_uid IN (SELECT n.uid FROM need n
                                        JOIN worker w ON w.id = n.worker_id WHERE w.uid = ?1)
                    OR a.record_uid IN (SELECT c.uid FROM claim c
                                        JOIN worker w ON w.id = c.worker_id WHERE w.uid = ?1)
                 ORDER BY a.id DESC LIMIT ?2"
            }
            None => {
                "SELECT a.at, coalesce(o.name, ''), a.table_name, a.record_uid, a.version, a.action,
                        a.fields, a.reason
                 FROM audit a LEFT JOIN officer o ON o.id = a.officer_id
                 WHERE ?1 IS NULL
                 ORDER BY a.id DESC LIMIT ?2"
            }
        };
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt
            .query_map(params![worker_uid, limit as i64], |r| {
                Ok(AuditEntry {
                    at: r.get(0)?,
                    officer: r.get(1)?,
                    table: r.get(2)?,
                    record_uid: r.get(3)?,
                    version: r.get(4)?,
                    action: r.get(5)?,
                    fields: r.get(6)?,
                    reason: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
