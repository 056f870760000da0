//! Sealed batches: a batch zip encrypted in the age format (X25519) to its receivers' public
//! keys, so a lost USB stick shows nobody the ID numbers, health findings and legal cases.
//!
//! Opening one decrypts into an unnamed private temporary file through a byte cap, then reads
//! it as the zip it holds: the zip reader needs to seek, and a whole batch does not belong in
//! memory. age is not compressed, so the plaintext is never longer than the sealed file; the
//! cap guards the disk against a sealed file that is itself far too long.
//!
//! The receiver's identities are a property of the run (set once by the command line, like
//! the language), kept here so every reader of batches (verify, import, restore, the city's
//! ingest) opens a sealed batch the same way without an extra argument through each of them.

use super::{BatchError, Result};
use age::secrecy::ExposeSecret;
use std::fs::File;
use std::io::{BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::RwLock;

/// What a sealed batch's name ends with, after `.zip`.
pub const SEALED_EXTENSION: &str = "age";

/// The largest decrypted batch accepted: far above a district's year (about 1 GiB of
/// records for 1.78M workers and 5M services), far below a disk.
pub const MAX_SEALED_PLAINTEXT_BYTES: u64 = 16 << 30;

/// The largest identity file read; one key is 74 characters.
const MAX_IDENTITY_FILE_BYTES: u64 = 64 * 1024;

static IDENTITIES: RwLock<Vec<age::x25519::Identity>> = RwLock::new(Vec::new());

/// Why a sealed batch or a key was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealProblem {
    /// A sealed batch and no identity given (`--identity` or `JINGONG_IDENTITY`).
    NoIdentity,
    /// None of the identities given is one the batch was sealed to.
    WrongIdentity,
    /// Not an age file, or cut short, or changed after sealing.
    Damaged(String),
    /// A recipient that is not an `age1…` X25519 public key.
    BadRecipient(String),
    /// An identity file with no usable `AGE-SECRET-KEY-1…` line, or a bad one.
    BadIdentityFile { line: u64 },
}

impl SealProblem {
    pub fn message(&self, path: &Path, lang: crate::text::Lang) -> String {
        use crate::text::Lang::*;
        let p = path.display();
        match (self, lang) {
            (SealProblem::NoIdentity, Zh) => format!(
                "{p}：这是加密（密封）的批次，需要接收方的私钥才能打开：请用 --identity 文件 或设置 JINGONG_IDENTITY；未作任何改动"
            ),
            (SealProblem::NoIdentity, En) => format!(
                "{p}: a sealed (encrypted) batch needs the receiver's identity to open: give --identity FILE or set JINGONG_IDENTITY; nothing changed"
            ),
            (SealProblem::WrongIdentity, Zh) => {
                format!("{p}：给出的私钥都不是本批次的接收方（批次加密给了别的公钥）；未作任何改动")
            }
            (SealProblem::WrongIdentity, En) => format!(
                "{p}: none of the identities given is a receiver of this batch (it was sealed to other keys); nothing changed"
            ),
            (SealProblem::Damaged(detail), Zh) => {
                format!("{p}：加密批次已损坏或不完整（{detail}），无法解密，整批拒收；未作任何改动")
            }
            (SealProblem::Damaged(detail), En) => format!(
                "{p}: the sealed batch is damaged or incomplete ({detail}) and cannot be decrypted; refused whole, nothing changed"
            ),
            (SealProblem::BadRecipient(text), Zh) => {
                format!("--seal-to：“{text}”不是 age 公钥（应以 age1 开头，X25519）")
            }
            (SealProblem::BadRecipient(text), En) => {
                format!("--seal-to: \"{text}\" is not an age public key (age1…, X25519)")
            }
            (SealProblem::BadIdentityFile { line: 0 }, Zh) => {
                format!("{p}：私钥文件中没有 AGE-SECRET-KEY-1 开头的私钥")
            }
            (SealProblem::BadIdentityFile { line: 0 }, En) => {
                format!("{p}: the identity file holds no AGE-SECRET-KEY-1… key")
            }
            (SealProblem::BadIdentityFile { line }, Zh) => {
                format!("{p}：第 {line} 行不是有效的 age 私钥（AGE-SECRET-KEY-1…）")
            }
            (SealProblem::BadIdentityFile { line }, En) => {
                format!("{p}: line {line} is not a valid age identity (AGE-SECRET-KEY-1…)")
            }
        }
    }
}

fn sealed(path: &Path, problem: SealProblem) -> BatchError {
    BatchError::Sealed {
        path: path.to_path_buf(),
        problem,
    }
}

/// True when the file's name says it is a sealed batch.
pub fn is_sealed(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(SEALED_EXTENSION))
}

/// Checks one `age1…` recipient; returns it in its canonical spelling.
pub fn parse_recipient(text: &str) -> Result<String> {
    age::x25519::Recipient::from_str(text.trim())
        .map(|r| r.to_string())
        .map_err(|_| sealed(Path::new(""), SealProblem::BadRecipient(text.to_string())))
}

/// A new identity written to `out` (owner-only, never over an existing file); returns its
/// public recipient for `officer set --seal-to` on the senders' laptops.
pub fn generate_identity(out: &Path) -> Result<String> {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let mut file = super::fsio::create_private_file(out)?;
    let text = format!(
        "# jingong receiver identity; keep secret\n# public key: {recipient}\n{}\n",
        identity.to_string().expose_secret()
    );
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(|e| BatchError::io(out, e))?;
    Ok(recipient)
}

/// Reads the identities in `path` (one `AGE-SECRET-KEY-1…` per line, `#` comments).
pub fn read_identities(path: &Path) -> Result<Vec<age::x25519::Identity>> {
    let file = File::open(path).map_err(|e| BatchError::io(path, e))?;
    let mut text = String::new();
    file.take(MAX_IDENTITY_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| BatchError::io(path, e))?;
    if text.len() as u64 > MAX_IDENTITY_FILE_BYTES {
        return Err(BatchError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_IDENTITY_FILE_BYTES,
        });
    }
    let mut identities = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let identity = age::x25519::Identity::from_str(line)
            .map_err(|_| sealed(path, SealProblem::BadIdentityFile { line: n as u64 + 1 }))?;
        identities.push(identity);
    }
    if identities.is_empty() {
        return Err(sealed(path, SealProblem::BadIdentityFile { line: 0 }));
    }
    Ok(identities)
}

/// The identities sealed batches are opened with from now on in this process.
pub fn use_identities(identities: Vec<age::x25519::Identity>) {
    *IDENTITIES.write().unwrap_or_else(|e| e.into_inner()) = identities;
}

/// Encrypts the file `plain` into a new owner-only file `out`, to every recipient, and
/// flushes it to disk. The caller renames `out` into place.
pub fn seal_file(plain: &Path, out: &Path, recipients: &[String]) -> Result<()> {
    let parsed: Vec<age::x25519::Recipient> = recipients
        .iter()
        .map(|r| {
            age::x25519::Recipient::from_str(r)
                .map_err(|_| sealed(out, SealProblem::BadRecipient(r.clone())))
        })
        .collect::<Result<_>>()?;
    let encryptor =
        age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| sealed(out, SealProblem::Damaged(e.to_string())))?;
    let mut input = File::open(plain).map_err(|e| BatchError::io(plain, e))?;
    let file = super::fsio::create_private_file(out)?;
    let io = |e: std::io::Error| BatchError::io(out, e);
    let mut writer = encryptor
        .wrap_output(std::io::BufWriter::with_capacity(1 << 20, file))
        .map_err(io)?;
    std::io::copy(&mut input, &mut writer).map_err(io)?;
    let file = writer
        .finish()
        .map_err(io)?
        .into_inner()
        .map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)
}

/// Decrypts the sealed batch at `path` with the identities set by `use_identities`, into an
/// unnamed temporary file of at most `cap` bytes, rewound for reading.
pub fn open_sealed(path: &Path, file: File, cap: u64) -> Result<File> {
    let identities = IDENTITIES.read().unwrap_or_else(|e| e.into_inner());
    if identities.is_empty() {
        return Err(sealed(path, SealProblem::NoIdentity));
    }
    let decryptor = age::Decryptor::new(BufReader::new(file))
        .map_err(|e| sealed(path, SealProblem::Damaged(e.to_string())))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => sealed(path, SealProblem::WrongIdentity),
            other => sealed(path, SealProblem::Damaged(other.to_string())),
        })?;
    drop(identities);
    let mut plain = unnamed_private_file()?;
    let copied = std::io::copy(&mut (&mut reader).take(cap.saturating_add(1)), &mut plain)
        .map_err(|e| sealed(path, SealProblem::Damaged(e.to_string())))?;
    if copied > cap {
        return Err(BatchError::TooLarge {
            path: path.to_path_buf(),
            limit: cap,
        });
    }
    plain.rewind().map_err(|e| BatchError::io(path, e))?;
    Ok(plain)
}

/// A temporary file nobody else can open: owner-only, and on Unix its name is removed at
/// once, so a crash leaves no decrypted batch behind.
fn unnamed_private_file() -> Result<File> {
    let dir = std::env::temp_dir();
    for attempt in 0..16u32 {
        let name: PathBuf = dir.join(format!(
            ".jingong-unsealed-{}-{attempt}",
            uuid::Uuid::now_v7().simple()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(&name) {
            Ok(file) => {
                #[cfg(unix)]
                std::fs::remove_file(&name).map_err(|e| BatchError::io(&name, e))?;
                return Ok(file);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(BatchError::io(&name, e)),
        }
    }
    Err(BatchError::io(
        &dir,
        std::io::Error::from(std::io::ErrorKind::AlreadyExists),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plaintext_over_the_cap_is_refused_and_one_within_it_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let identity = age::x25519::Identity::generate();
        let plain = dir.path().join("plain");
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&plain, &content).unwrap();
        let sealed_path = dir.path().join("x.zip.age");
        seal_file(&plain, &sealed_path, &[identity.to_public().to_string()]).unwrap();
        use_identities(vec![identity]);

        let open = |cap| open_sealed(&sealed_path, File::open(&sealed_path).unwrap(), cap);
        match open(100_000) {
            Err(BatchError::TooLarge { limit, .. }) => assert_eq!(limit, 100_000),
            other => panic!("over the cap: {other:?}"),
        }
        let mut back = Vec::new();
        open(200_000).unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back, content);
    }
}
