//! The earlier batches a batch names: when verifying without a database, a service may point
//! at a worker sent in an earlier batch of the same laptop. Those batches are looked for next
//! to the one being verified and followed through `previous_batch_uid`, so only the chain the
//! batch itself names counts.

use super::format::{BATCH_NAME_PREFIX, MAX_LINE_BYTES, Manifest, RecordKind};
use super::source::{BatchSource, Line, for_each_line};
use super::verify::{Known, VerifyOptions, VerifyReport, uuid_bits, verify_path};
use super::{BatchError, Result};
use crate::store::Store;
use crate::store::batch_queries::birth_date_of_worker;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub struct EarlierBatches {
    batch_path: PathBuf,
    loaded: Option<[HashSet<u128>; 3]>,
    /// Batches of the chain read so far, newest first.
    pub chain: Vec<PathBuf>,
    /// The first batch uid of the chain that was not found next to this one.
    pub missing: Option<String>,
}

#[derive(serde::Deserialize)]
struct UidOnly {
    uid: String,
}

impl EarlierBatches {
    pub fn new(batch_path: &Path) -> EarlierBatches {
        EarlierBatches {
            batch_path: batch_path.to_path_buf(),
            loaded: None,
            chain: Vec::new(),
            missing: None,
        }
    }

    pub fn knows(&mut self, kind: RecordKind, uid: &str) -> Result<bool> {
        if self.loaded.is_none() {
            self.loaded = Some(self.load()?);
        }
        let sets = self.loaded.as_ref().expect("loaded above");
        Ok(uuid_bits(uid).is_some_and(|bits| sets[kind as usize].contains(&bits)))
    }

    fn load(&mut self) -> Result<[HashSet<u128>; 3]> {
        let mut sets: [HashSet<u128>; 3] = Default::default();
        let Some(mut previous) = manifest_of(&self.batch_path)?.previous_batch_uid else {
            return Ok(sets);
        };
        let parent = self
            .batch_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let own = std::fs::canonicalize(&self.batch_path).ok();
        let mut by_uid: HashMap<String, PathBuf> = HashMap::new();
        for item in std::fs::read_dir(parent)
            .map_err(|e| BatchError::io(parent, e))?
            .flatten()
        {
            let path = item.path();
            let name = item.file_name().to_string_lossy().into_owned();
            if !name.starts_with(BATCH_NAME_PREFIX) || std::fs::canonicalize(&path).ok() == own {
                continue;
            }
            if let Ok(m) = manifest_of(&path) {
                by_uid.insert(m.batch_uid, path);
            }
        }
        loop {
            let Some(path) = by_uid.remove(&previous) else {
                self.missing = Some(previous);
                break;
            };
            // An earlier batch is as untrusted as this one: read within its manifest's sizes
            // and the longest line a record can have.
            let manifest = manifest_of(&path)?;
            let mut source = BatchSource::open(&path)?;
            for kind in RecordKind::ALL {
                let declared = manifest
                    .files
                    .iter()
                    .find(|f| f.name == kind.file_name())
                    .map_or(0, |f| f.bytes);
                let file_path = path.join(kind.file_name());
                let mut reader = source.open_file(kind.file_name(), declared.saturating_add(1))?;
                for_each_line(
                    &file_path,
                    &mut *reader,
                    MAX_LINE_BYTES,
                    |_| {},
                    |_, line| {
                        if let Line::Text(line) = line
                            && let Ok(UidOnly { uid }) = serde_json::from_slice(line)
                            && let Some(bits) = uuid_bits(&uid)
                        {
                            sets[kind as usize].insert(bits);
                        }
                        Ok(())
                    },
                )?;
            }
            let next = manifest.previous_batch_uid;
            self.chain.push(path);
            match next {
                Some(p) => previous = p,
                None => break,
            }
        }
        Ok(sets)
    }
}

/// Verifies the batch at `path` the way `jingong verify` does: a reference is found in the
/// batch, else in `store` when one is given, else in the earlier batches of the same laptop
/// next to it. Shared by the command line and the TUI so both judge a batch alike.
pub fn verify_in_context(
    path: &Path,
    store: Option<&Store>,
    today: NaiveDate,
) -> Result<VerifyReport> {
    let mut earlier = EarlierBatches::new(path);
    let mut resolve = |kind: RecordKind, uid: &str| -> Result<Known> {
        if let Some(store) = store {
            if kind == RecordKind::Worker
                && let Some(born) = birth_date_of_worker(store.conn(), uid)?
            {
                return Ok(Known::WorkerBorn(born));
            }
            if store.record_exists(kind.table(), uid)? {
                return Ok(Known::Yes);
            }
        }
        Ok(earlier.knows(kind, uid)?.into())
    };
    verify_path(
        path,
        VerifyOptions {
            today,
            references: Some(&mut resolve),
        },
    )
}

fn manifest_of(path: &Path) -> Result<Manifest> {
    let bytes = BatchSource::open(path)?.read_manifest_bytes()?;
    serde_json::from_slice(&bytes).map_err(|_| BatchError::NotABatch {
        path: path.to_path_buf(),
    })
}
