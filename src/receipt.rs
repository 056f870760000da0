//! Receipts: the city's signed answer to one batch (`receipt-<batch_uid>.json`). The city
//! signs (`city`, with its Ed25519 key); every laptop checks (this module is in every build):
//! the signature must be made by one of the city keys set with `officer set --city-key`, and
//! the batch must be one this laptop exported, with the same manifest.
//!
//! The signed bytes are the compact JSON of `ReceiptBody` as this program writes it; the
//! checker parses the body (unknown fields refused) and writes it again the same way, so a
//! changed value, a reordered or an added field all break the signature.

use crate::text::Lang;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

pub const RECEIPT_FORMAT: &str = "jingong-receipt";
pub const RECEIPT_FORMAT_VERSION: u32 = 1;
/// A receipt lists at most 1000 refused records; anything much larger is not one.
pub const MAX_RECEIPT_BYTES: u64 = 4 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReceiptStatus {
    /// Applied (or received again after being applied).
    Received,
    /// Held: the city waits for an earlier batch of this laptop.
    Held,
    /// Refused whole: `refused` says why; nothing of it was applied.
    Returned,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindCounts {
    pub workers: i64,
    pub events: i64,
    pub services: i64,
    /// Format 3: needs and mutual-aid claims (absent when none, as receipts before them).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub needs: i64,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub claims: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusedRecord {
    pub file: String,
    pub line: Option<u64>,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    pub format: String,
    pub format_version: u32,
    pub batch_uid: String,
    pub device_id: String,
    pub manifest_sha256: String,
    pub status: ReceiptStatus,
    pub applied: KindCounts,
    pub unchanged: KindCounts,
    /// Records of a held batch, waiting with it.
    pub held: i64,
    pub waiting_for: Option<String>,
    pub refused: Vec<RefusedRecord>,
    /// RFC 3339, +08:00.
    pub issued_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedReceipt {
    pub receipt: ReceiptBody,
    /// The signer's public key, hex (so a laptop can say which key it does not know).
    pub key: String,
    /// Ed25519 signature of the body's compact JSON, hex.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("not a receipt: {0}")]
    Unreadable(String),
    #[error("no city key is set")]
    NoCityKey,
    #[error("signed with a key that is not a city key")]
    UnknownKey { key: String },
    #[error("the signature does not match")]
    BadSignature,
    #[error("for a batch this laptop did not export")]
    UnknownBatch { batch_uid: String },
    #[error("for another copy of the batch")]
    ManifestDiffers { batch_uid: String },
    #[error("bad key")]
    BadKey(String),
}

impl ReceiptError {
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            ReceiptError::Unreadable(e) if zh => format!("不是有效的回执：{e}"),
            ReceiptError::Unreadable(e) => format!("not a valid receipt: {e}"),
            ReceiptError::NoCityKey => lang
                .pick(
                    "尚未设置市总工会公钥：请先运行 officer set --city-key <公钥>",
                    "no city key is set: run `officer set --city-key <KEY>` first",
                )
                .into(),
            ReceiptError::UnknownKey { key } if zh => {
                format!("回执的签名公钥 {key} 不是已设置的市总工会公钥，拒收")
            }
            ReceiptError::UnknownKey { key } => {
                format!(
                    "the receipt is signed by key {key}, which is not a city key set here; refused"
                )
            }
            ReceiptError::BadSignature => lang
                .pick(
                    "回执签名不符（内容被改动或伪造），拒收",
                    "the receipt's signature does not match (changed or forged); refused",
                )
                .into(),
            ReceiptError::UnknownBatch { batch_uid } if zh => {
                format!("回执所指批次 {batch_uid} 不是本机导出的批次，拒收")
            }
            ReceiptError::UnknownBatch { batch_uid } => {
                format!(
                    "the receipt is for batch {batch_uid}, which this laptop did not export; refused"
                )
            }
            ReceiptError::ManifestDiffers { batch_uid } if zh => {
                format!("回执中批次 {batch_uid} 的清单 SHA-256 与本机导出的不同，拒收")
            }
            ReceiptError::ManifestDiffers { batch_uid } => format!(
                "the receipt's manifest SHA-256 for batch {batch_uid} differs from the one exported here; refused"
            ),
            ReceiptError::BadKey(detail) if zh => {
                format!("city-key：公钥应为 64 位十六进制字符（{detail}）")
            }
            ReceiptError::BadKey(detail) => {
                format!("city-key: a key is 64 hexadecimal characters ({detail})")
            }
        }
    }
}

/// The bytes the signature covers.
fn signed_bytes(body: &ReceiptBody) -> Vec<u8> {
    serde_json::to_vec(body).expect("plain values serialise")
}

pub fn sign(body: ReceiptBody, key: &SigningKey) -> SignedReceipt {
    let signature = key.sign(&signed_bytes(&body));
    SignedReceipt {
        key: hex(key.verifying_key().as_bytes()),
        signature: hex(&signature.to_bytes()),
        receipt: body,
    }
}

/// Checks a receipt file's bytes against the trusted city keys (hex); returns its body.
pub fn verify(bytes: &[u8], trusted: &[String]) -> Result<ReceiptBody, ReceiptError> {
    if bytes.len() as u64 > MAX_RECEIPT_BYTES {
        return Err(ReceiptError::Unreadable(format!(
            "larger than {MAX_RECEIPT_BYTES} bytes"
        )));
    }
    let signed: SignedReceipt = serde_json::from_slice(bytes).map_err(|e| {
        ReceiptError::Unreadable(crate::safe_text::terminal_safe(&e.to_string()).into_owned())
    })?;
    let body = &signed.receipt;
    if body.format != RECEIPT_FORMAT || body.format_version != RECEIPT_FORMAT_VERSION {
        return Err(ReceiptError::Unreadable(format!(
            "format should be {RECEIPT_FORMAT} version {RECEIPT_FORMAT_VERSION}"
        )));
    }
    if trusted.is_empty() {
        return Err(ReceiptError::NoCityKey);
    }
    if !trusted.iter().any(|k| k.eq_ignore_ascii_case(&signed.key)) {
        return Err(ReceiptError::UnknownKey {
            key: short(&signed.key),
        });
    }
    let key = verifying_key(&signed.key)?;
    let signature = parse_hex::<64>(&signed.signature)
        .map(|b| Signature::from_bytes(&b))
        .ok_or(ReceiptError::BadSignature)?;
    key.verify_strict(&signed_bytes(body), &signature)
        .map_err(|_| ReceiptError::BadSignature)?;
    Ok(signed.receipt)
}

/// A public key from its hex form, checked to be a valid Ed25519 point.
pub fn verifying_key(text: &str) -> Result<VerifyingKey, ReceiptError> {
    let bytes = parse_hex::<32>(text.trim())
        .ok_or_else(|| ReceiptError::BadKey(format!("{} characters", text.trim().len())))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| ReceiptError::BadKey("not a valid key".into()))
}

/// A key's first 16 hex digits, enough to tell keys apart in a message.
fn short(key: &str) -> String {
    let safe: String = key
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .take(16)
        .collect();
    format!("{safe}…")
}

pub fn hex(bytes: &[u8]) -> String {
    crate::batch::format::hex(bytes)
}

pub fn parse_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != N * 2 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(out)
}

/// The city's reason with any ID number or phone number in it masked: the city writes the
/// text, and it may quote the value it refused.
pub fn masked_reason(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        match run.chars().count() {
            18 | 15 => out.push_str(&crate::domain::idcard::mask_id_number(run)),
            11 => out.push_str(&crate::domain::phone::mask_phone(run)),
            _ => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || (matches!(c, 'X' | 'x') && run.chars().count() == 17) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> ReceiptBody {
        ReceiptBody {
            format: RECEIPT_FORMAT.into(),
            format_version: RECEIPT_FORMAT_VERSION,
            batch_uid: "01a225a5-4526-72f2-abd8-4f0c6f907f06".into(),
            device_id: "01a225a5-3d00-7252-982b-18fa8bd01e73".into(),
            manifest_sha256: "ab".repeat(32),
            status: ReceiptStatus::Received,
            applied: KindCounts {
                workers: 3,
                events: 0,
                services: 9,
                ..Default::default()
            },
            unchanged: KindCounts::default(),
            held: 0,
            waiting_for: None,
            refused: vec![],
            issued_at: "2026-11-30T12:00:00.000+08:00".into(),
        }
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn a_signed_receipt_checks_and_any_change_breaks_it() {
        let signed = sign(body(), &key(1));
        let trusted = vec![hex(key(1).verifying_key().as_bytes())];
        let bytes = serde_json::to_vec_pretty(&signed).unwrap();
        assert_eq!(verify(&bytes, &trusted).unwrap(), body());

        let forged = String::from_utf8(bytes.clone())
            .unwrap()
            .replace("\"workers\": 3", "\"workers\": 4");
        assert_eq!(
            verify(forged.as_bytes(), &trusted),
            Err(ReceiptError::BadSignature)
        );
        let mut extra: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        extra["receipt"]["note"] = "added".into();
        assert!(matches!(
            verify(&serde_json::to_vec(&extra).unwrap(), &trusted),
            Err(ReceiptError::Unreadable(_))
        ));
    }

    #[test]
    fn another_key_or_no_key_is_refused() {
        let other = sign(body(), &key(2));
        let bytes = serde_json::to_vec(&other).unwrap();
        let trusted = vec![hex(key(1).verifying_key().as_bytes())];
        assert!(matches!(
            verify(&bytes, &trusted),
            Err(ReceiptError::UnknownKey { .. })
        ));
        assert_eq!(verify(&bytes, &[]), Err(ReceiptError::NoCityKey));
        // Naming a trusted key while signed by another: the signature fails.
        let mut lying = other.clone();
        lying.key = trusted[0].clone();
        assert_eq!(
            verify(&serde_json::to_vec(&lying).unwrap(), &trusted),
            Err(ReceiptError::BadSignature)
        );
    }

    #[test]
    fn numbers_in_a_reason_are_masked() {
        assert_eq!(
            masked_reason("身份证号 12010119900101001X 与电话 13812345678 冲突，第 12 行"),
            "身份证号 120101********001X 与电话 138****5678 冲突，第 12 行"
        );
    }

    #[test]
    fn keys_are_checked_when_set() {
        assert!(verifying_key(&hex(key(3).verifying_key().as_bytes())).is_ok());
        assert!(verifying_key("abc").is_err());
        assert!(verifying_key(&"zz".repeat(32)).is_err());
    }
}
