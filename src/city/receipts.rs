//! The city's signing key (`city keygen`) and the signed receipt written for every batch it
//! ingests (`receipt-<batch_uid>.json`), built from the batch's row so a batch received again
//! gets the same counts again. The checking side is `crate::receipt`, in every build.

use super::apply::parse_uuid;
use super::{CityError, Result};
use crate::receipt::{
    KindCounts, RECEIPT_FORMAT, RECEIPT_FORMAT_VERSION, ReceiptBody, ReceiptStatus, RefusedRecord,
    SignedReceipt, hex, parse_hex, sign,
};
use ed25519_dalek::SigningKey;
use postgres::Client;
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroize;

/// Writes a new private key to `path` (owner-only, never over an existing file); returns the
/// public key, hex, to give every laptop (`officer set --city-key`).
pub fn keygen(path: &Path) -> Result<String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| CityError::KeyFile {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let key = SigningKey::from_bytes(&seed);
    let mut text = hex(&seed);
    seed.zeroize();
    let written = write_new_private(path, format!("{text}\n").as_bytes());
    text.zeroize();
    written?;
    Ok(hex(key.verifying_key().as_bytes()))
}

fn write_new_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |e| CityError::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)
}

pub fn load_key(path: &Path) -> Result<SigningKey> {
    let bad = |detail: &str| CityError::KeyFile {
        path: path.to_path_buf(),
        detail: detail.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(|e| CityError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    if meta.len() > 1024 {
        return Err(bad("not a key written by `city keygen`"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(bad("others can read it; make it owner-only (chmod 600)"));
        }
    }
    let mut text = std::fs::read_to_string(path).map_err(|e| CityError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let seed = parse_hex::<32>(text.trim());
    text.zeroize();
    let mut seed = seed.ok_or_else(|| bad("not a key written by `city keygen`"))?;
    let key = SigningKey::from_bytes(&seed);
    seed.zeroize();
    Ok(key)
}

/// Signs and writes the receipt for one batch into `dir`, and keeps a copy in `receipts`.
/// `None` when the city has no row for the batch (an unreadable one it could not name).
pub fn issue(
    client: &mut Client,
    batch_uid: &str,
    key: &SigningKey,
    dir: &Path,
) -> Result<Option<PathBuf>> {
    let Some(body) = body(client, batch_uid)? else {
        return Ok(None);
    };
    let signed = sign(body, key);
    let json = serde_json::to_vec_pretty(&signed).expect("plain values serialise");
    let path = dir.join(format!("receipt-{batch_uid}.json"));
    write_replacing(&path, &json)?;
    record(client, &signed)?;
    Ok(Some(path))
}

fn body(client: &mut Client, batch_uid: &str) -> Result<Option<ReceiptBody>> {
    let Some(row) = client.query_opt(
        "SELECT device_id::text, manifest_sha256, status, reasons, applied, unchanged, records,
                previous_batch_uid::text
           FROM batches WHERE batch_uid = $1",
        &[&parse_uuid(batch_uid)],
    )?
    else {
        return Ok(None);
    };
    let status: String = row.get(2);
    let status = match status.as_str() {
        "applied" => ReceiptStatus::Received,
        "held" => ReceiptStatus::Held,
        _ => ReceiptStatus::Returned,
    };
    let counts = |value: Option<serde_json::Value>| -> KindCounts {
        let n: Vec<i64> = value
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        KindCounts {
            workers: n.first().copied().unwrap_or(0),
            events: n.get(1).copied().unwrap_or(0),
            services: n.get(2).copied().unwrap_or(0),
            needs: n.get(3).copied().unwrap_or(0),
            claims: n.get(4).copied().unwrap_or(0),
        }
    };
    let reasons: serde_json::Value = row.get(3);
    let refused: Vec<RefusedRecord> = if status == ReceiptStatus::Returned {
        serde_json::from_value(reasons).unwrap_or_default()
    } else {
        Vec::new()
    };
    let records: i64 = row.get(6);
    Ok(Some(ReceiptBody {
        format: RECEIPT_FORMAT.into(),
        format_version: RECEIPT_FORMAT_VERSION,
        batch_uid: batch_uid.to_string(),
        device_id: row.get(0),
        manifest_sha256: row.get(1),
        status,
        applied: counts(row.get(4)),
        unchanged: counts(row.get(5)),
        held: if status == ReceiptStatus::Held {
            records
        } else {
            0
        },
        waiting_for: if status == ReceiptStatus::Held {
            row.get(7)
        } else {
            None
        },
        refused,
        issued_at: crate::store::Clock::from_env().stamp(),
    }))
}

/// Written beside, then renamed over: a laptop never reads half a receipt.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = path.with_extension("json.tmp");
    let _ = std::fs::remove_file(&temp);
    write_new_private(&temp, bytes)?;
    std::fs::rename(&temp, path).map_err(|e| CityError::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

fn record(client: &mut Client, signed: &SignedReceipt) -> Result<()> {
    let body = serde_json::to_value(&signed.receipt).expect("plain values serialise");
    client.execute(
        "INSERT INTO receipts (batch_uid, body, signature, key_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (batch_uid) DO UPDATE
            SET body = EXCLUDED.body, signature = EXCLUDED.signature, key_id = EXCLUDED.key_id,
                written_at = now()",
        &[
            &parse_uuid(&signed.receipt.batch_uid),
            &body,
            &signed.signature,
            &signed.key,
        ],
    )?;
    Ok(())
}
