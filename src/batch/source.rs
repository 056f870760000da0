//! Reading a batch whether it is a folder or a zip, by file name.

use super::{BatchError, Result};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub enum BatchSource {
    Folder(PathBuf),
    Zip {
        path: PathBuf,
        archive: Box<zip::ZipArchive<Box<dyn ReadSeek>>>,
        /// The folder inside the zip that holds the files ("" when they sit at the top).
        prefix: String,
    },
    /// Files already in memory, by name: for the fuzz target, which must not touch the disk
    /// for every input.
    Memory {
        path: PathBuf,
        files: Vec<(String, Vec<u8>)>,
    },
}

/// What a zip archive is read from: a file, or bytes in memory.
pub trait ReadSeek: Read + std::io::Seek {}
impl<T: Read + std::io::Seek> ReadSeek for T {}

/// A file of the batch as found: its name (relative to the batch) and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub bytes: u64,
}

impl BatchSource {
    pub fn open(path: &Path) -> Result<BatchSource> {
        let meta = std::fs::metadata(path).map_err(|e| BatchError::io(path, e))?;
        if meta.is_dir() {
            return Ok(BatchSource::Folder(path.to_path_buf()));
        }
        let file = File::open(path).map_err(|e| BatchError::io(path, e))?;
        BatchSource::from_zip(path, Box::new(BufReader::new(file)))
    }

    /// A zip read from `reader`; `path` only names it in messages.
    pub fn from_zip(path: &Path, reader: Box<dyn ReadSeek>) -> Result<BatchSource> {
        let archive = zip::ZipArchive::new(reader).map_err(|_| BatchError::NotABatch {
            path: path.to_path_buf(),
        })?;
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.to_string()))
            .collect();
        // A zip made by `export --zip` holds one folder named like the batch; accept files at
        // the top too, as a receiver may re-pack them.
        let prefix = names
            .iter()
            .find_map(|n| n.strip_suffix(super::format::MANIFEST_FILE))
            .unwrap_or("")
            .to_string();
        Ok(BatchSource::Zip {
            path: path.to_path_buf(),
            archive: Box::new(archive),
            prefix,
        })
    }

    /// A batch whose files are given by name and content.
    pub fn from_memory(path: &Path, files: Vec<(String, Vec<u8>)>) -> BatchSource {
        BatchSource::Memory {
            path: path.to_path_buf(),
            files,
        }
    }

    pub fn path(&self) -> &Path {
        match self {
            BatchSource::Folder(p) => p,
            BatchSource::Zip { path, .. } | BatchSource::Memory { path, .. } => path,
        }
    }

    /// Every file of the batch (folders inside are not expected and are listed as files).
    pub fn entries(&mut self) -> Result<Vec<Entry>> {
        match self {
            BatchSource::Folder(dir) => {
                let mut out = Vec::new();
                for item in std::fs::read_dir(&*dir).map_err(|e| BatchError::io(dir, e))? {
                    let item = item.map_err(|e| BatchError::io(dir, e))?;
                    let meta = item
                        .metadata()
                        .map_err(|e| BatchError::io(&item.path(), e))?;
                    out.push(Entry {
                        name: item.file_name().to_string_lossy().into_owned(),
                        bytes: meta.len(),
                    });
                }
                out.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(out)
            }
            BatchSource::Zip {
                path,
                archive,
                prefix,
            } => {
                let mut out = Vec::new();
                for i in 0..archive.len() {
                    let file = archive.by_index(i).map_err(|e| BatchError::Zip {
                        path: path.clone(),
                        message: e.to_string(),
                    })?;
                    if file.is_dir() {
                        continue;
                    }
                    let name = file
                        .name()
                        .map_err(|e| BatchError::Zip {
                            path: path.clone(),
                            message: e.to_string(),
                        })?
                        .to_string();
                    let relative = name.strip_prefix(prefix.as_str()).unwrap_or(&name);
                    out.push(Entry {
                        name: relative.to_string(),
                        bytes: file.size(),
                    });
                }
                out.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(out)
            }
            BatchSource::Memory { files, .. } => {
                let mut out: Vec<Entry> = files
                    .iter()
                    .map(|(name, bytes)| Entry {
                        name: name.clone(),
                        bytes: bytes.len() as u64,
                    })
                    .collect();
                out.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(out)
            }
        }
    }

    /// Opens one file of the batch for reading.
    pub fn open_file(&mut self, name: &str) -> Result<Box<dyn BufRead + '_>> {
        match self {
            BatchSource::Folder(dir) => {
                let path = dir.join(name);
                let file = File::open(&path).map_err(|e| BatchError::io(&path, e))?;
                Ok(Box::new(BufReader::with_capacity(1 << 20, file)))
            }
            BatchSource::Zip {
                path,
                archive,
                prefix,
            } => {
                let full = format!("{prefix}{name}");
                let file = archive.by_name(&full).map_err(|e| BatchError::Zip {
                    path: path.clone(),
                    message: format!("{full}: {e}"),
                })?;
                Ok(Box::new(BufReader::with_capacity(1 << 20, file)))
            }
            BatchSource::Memory { path, files } => {
                let bytes = files
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, bytes)| bytes.as_slice())
                    .ok_or_else(|| {
                        BatchError::io(
                            &path.join(name),
                            std::io::Error::from(std::io::ErrorKind::NotFound),
                        )
                    })?;
                Ok(Box::new(bytes))
            }
        }
    }

    /// Reads a whole small file (the manifest).
    pub fn read_to_vec(&mut self, name: &str) -> Result<Vec<u8>> {
        let path = self.path().join(name);
        let mut reader = self.open_file(name)?;
        let mut out = Vec::new();
        reader
            .read_to_end(&mut out)
            .map_err(|e| BatchError::io(&path, e))?;
        Ok(out)
    }
}
