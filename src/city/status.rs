//! `city status`: per device, its last batch seen, the batches held behind a gap and the uids
//! those gaps wait for. One row per device; a city has hundreds of laptops, not millions, and
//! the held batches per device are few, so they are read whole.

use super::Result;
use postgres::Client;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeviceStatus {
    pub device_id: String,
    pub district_code: String,
    pub organisation: String,
    pub batches_applied: i64,
    pub batches_refused: i64,
    pub last_batch_uid: Option<String>,
    pub last_batch_created_at: Option<String>,
    pub last_received_at: String,
    pub held: Vec<HeldBatch>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HeldBatch {
    pub batch_uid: String,
    pub created_at: String,
    /// The batch of the chain that has not arrived.
    pub waiting_for: String,
}

pub fn devices(client: &mut Client) -> Result<Vec<DeviceStatus>> {
    let rows = client.query(
        "SELECT d.device_id::text, d.district_code, d.organisation,
                (SELECT count(*) FROM batches b WHERE b.device_id = d.device_id
                                                 AND b.status = 'applied'),
                (SELECT count(*) FROM batches b WHERE b.device_id = d.device_id
                                                 AND b.status = 'refused'),
                d.last_batch_uid::text, d.last_batch_created_at,
                to_char(d.last_received_at AT TIME ZONE 'Asia/Shanghai',
                        'YYYY-MM-DD\"T\"HH24:MI:SS\"+08:00\"')
           FROM devices d
          ORDER BY d.district_code, d.device_id",
        &[],
    )?;
    let mut out: Vec<DeviceStatus> = rows
        .iter()
        .map(|r| DeviceStatus {
            device_id: r.get(0),
            district_code: r.get(1),
            organisation: r.get(2),
            batches_applied: r.get(3),
            batches_refused: r.get(4),
            last_batch_uid: r.get(5),
            last_batch_created_at: r.get(6),
            last_received_at: r.get(7),
            held: Vec::new(),
        })
        .collect();
    let held = client.query(
        "SELECT device_id::text, batch_uid::text, created_at, previous_batch_uid::text
           FROM batches WHERE status = 'held' ORDER BY device_id, created_at",
        &[],
    )?;
    for r in &held {
        let device: String = r.get(0);
        if let Some(d) = out.iter_mut().find(|d| d.device_id == device) {
            d.held.push(HeldBatch {
                batch_uid: r.get(1),
                created_at: r.get(2),
                waiting_for: r.get::<_, Option<String>>(3).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

impl DeviceStatus {
    /// The uids this device's held batches wait for that the city has not received at all:
    /// the gaps to ask the laptop about (a held batch waiting for another held one is not a
    /// gap of its own).
    pub fn gaps(&self) -> Vec<&str> {
        let mut gaps: Vec<&str> = self
            .held
            .iter()
            .map(|h| h.waiting_for.as_str())
            .filter(|w| !self.held.iter().any(|h| h.batch_uid == *w))
            .collect();
        gaps.sort();
        gaps.dedup();
        gaps
    }
}
