//! Reading a batch whether it is a folder or a zip, by file name, as untrusted input: only
//! regular files are opened (a symbolic link, FIFO or device is refused without opening it,
//! so nothing blocks and nothing outside the batch is read), every file is read through a
//! byte limit the caller gives, and a zip with two entries of the same name is refused.

use super::{BatchError, Result};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The largest manifest read. A manifest lists the three data files and at most a handful of
/// review copies, each about 200 bytes; 64 KiB leaves room for far longer officer names
/// while keeping a hostile "manifest" from filling memory.
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024;

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

/// What kind of file system object an entry is; only `Regular` is ever opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Regular,
    Symlink,
    Fifo,
    Device,
    Socket,
    Directory,
}

impl EntryKind {
    fn of(file_type: std::fs::FileType) -> EntryKind {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return EntryKind::Fifo;
            }
            if file_type.is_block_device() || file_type.is_char_device() {
                return EntryKind::Device;
            }
            if file_type.is_socket() {
                return EntryKind::Socket;
            }
        }
        if file_type.is_symlink() {
            EntryKind::Symlink
        } else if file_type.is_dir() {
            EntryKind::Directory
        } else if file_type.is_file() {
            EntryKind::Regular
        } else {
            EntryKind::Device
        }
    }

    /// What the officer reads in a refusal.
    pub fn describe(self, lang: crate::text::Lang) -> &'static str {
        use crate::text::Lang::*;
        match (self, lang) {
            (EntryKind::Regular, Zh) => "普通文件",
            (EntryKind::Regular, En) => "a regular file",
            (EntryKind::Symlink, Zh) => "符号链接",
            (EntryKind::Symlink, En) => "a symbolic link",
            (EntryKind::Fifo, Zh) => "命名管道（FIFO）",
            (EntryKind::Fifo, En) => "a named pipe (FIFO)",
            (EntryKind::Device, Zh) => "设备文件",
            (EntryKind::Device, En) => "a device",
            (EntryKind::Socket, Zh) => "套接字",
            (EntryKind::Socket, En) => "a socket",
            (EntryKind::Directory, Zh) => "文件夹",
            (EntryKind::Directory, En) => "a folder",
        }
    }
}

/// A file of the batch as found: its name (relative to the batch), its size as the file
/// system or the zip's directory states it (a zip may lie; reading is bounded anyway) and
/// its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub bytes: u64,
    pub kind: EntryKind,
}

/// Opens `path` for reading only when it is a regular file, without following a symbolic
/// link and without blocking on a FIFO (O_NONBLOCK makes the open return at once; the type
/// is then checked on the open handle, so a swap between the check and the open is caught).
fn open_regular(path: &Path) -> Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let lstat = std::fs::symlink_metadata(path).map_err(|e| BatchError::io(path, e))?;
    let kind = EntryKind::of(lstat.file_type());
    if kind != EntryKind::Regular {
        return Err(BatchError::NotRegularFile {
            path: path.to_path_buf(),
            kind,
        });
    }
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => BatchError::NotRegularFile {
            path: path.to_path_buf(),
            kind: EntryKind::Symlink,
        },
        _ => BatchError::io(path, e),
    })?;
    let kind = EntryKind::of(
        file.metadata()
            .map_err(|e| BatchError::io(path, e))?
            .file_type(),
    );
    if kind != EntryKind::Regular {
        return Err(BatchError::NotRegularFile {
            path: path.to_path_buf(),
            kind,
        });
    }
    Ok(file)
}

impl BatchSource {
    /// The batch the officer named: a folder, a zip file, or a sealed zip (`.zip.age`,
    /// opened with the identities given to `seal::use_identities`). The path itself may be a link
    /// the officer made; the files inside a folder may not.
    pub fn open(path: &Path) -> Result<BatchSource> {
        let meta = std::fs::metadata(path).map_err(|e| BatchError::io(path, e))?;
        if meta.is_dir() {
            return Ok(BatchSource::Folder(path.to_path_buf()));
        }
        let kind = EntryKind::of(meta.file_type());
        if kind != EntryKind::Regular {
            return Err(BatchError::NotRegularFile {
                path: path.to_path_buf(),
                kind,
            });
        }
        let canonical = std::fs::canonicalize(path).map_err(|e| BatchError::io(path, e))?;
        let file = open_regular(&canonical)?;
        if super::seal::is_sealed(path) {
            let plain =
                super::seal::open_sealed(path, file, super::seal::MAX_SEALED_PLAINTEXT_BYTES)?;
            return BatchSource::from_zip(path, Box::new(BufReader::new(plain)));
        }
        BatchSource::from_zip(path, Box::new(BufReader::new(file)))
    }

    /// A zip read from `reader`; `path` only names it in messages.
    pub fn from_zip(path: &Path, reader: Box<dyn ReadSeek>) -> Result<BatchSource> {
        let archive = zip::ZipArchive::new(reader).map_err(|_| BatchError::NotABatch {
            path: path.to_path_buf(),
        })?;
        if archive.has_duplicate_names() {
            // The zip crate keeps one of them; which one a receiver reads would then depend
            // on the program. Two entries of one name are never made by `export --zip`.
            return Err(BatchError::DuplicateZipEntry {
                path: path.to_path_buf(),
            });
        }
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

    /// Every file of the batch with its kind; nothing is opened.
    pub fn entries(&mut self) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        match self {
            BatchSource::Folder(dir) => {
                for item in std::fs::read_dir(&*dir).map_err(|e| BatchError::io(dir, e))? {
                    let item = item.map_err(|e| BatchError::io(dir, e))?;
                    // DirEntry::metadata does not follow a symbolic link: this is lstat.
                    let meta = item
                        .metadata()
                        .map_err(|e| BatchError::io(&item.path(), e))?;
                    out.push(Entry {
                        name: item.file_name().to_string_lossy().into_owned(),
                        bytes: meta.len(),
                        kind: EntryKind::of(meta.file_type()),
                    });
                }
            }
            BatchSource::Zip {
                path,
                archive,
                prefix,
            } => {
                for i in 0..archive.len() {
                    let file = archive.by_index_raw(i).map_err(|e| BatchError::Zip {
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
                        kind: if file.is_symlink() {
                            EntryKind::Symlink
                        } else {
                            EntryKind::Regular
                        },
                    });
                }
            }
            BatchSource::Memory { files, .. } => {
                out.extend(files.iter().map(|(name, bytes)| Entry {
                    name: name.clone(),
                    bytes: bytes.len() as u64,
                    kind: EntryKind::Regular,
                }));
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Opens one file of the batch for reading, never more than `limit` bytes of it (the
    /// size its manifest declares plus one, so a longer file is noticed without being read).
    pub fn open_file(&mut self, name: &str, limit: u64) -> Result<Box<dyn BufRead + '_>> {
        match self {
            BatchSource::Folder(dir) => {
                if name.contains(['/', '\\']) || name == ".." {
                    return Err(BatchError::NotABatch {
                        path: dir.join(name),
                    });
                }
                let path = dir.join(name);
                let file = open_regular(&path)?;
                Ok(Box::new(BufReader::with_capacity(
                    1 << 16,
                    file.take(limit),
                )))
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
                if file.is_symlink() {
                    return Err(BatchError::NotRegularFile {
                        path: path.join(name),
                        kind: EntryKind::Symlink,
                    });
                }
                // The entry's stated size is the zip's own claim; the limit is what counts.
                Ok(Box::new(BufReader::with_capacity(
                    1 << 16,
                    file.take(limit),
                )))
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
                let end = usize::try_from(limit)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                Ok(Box::new(&bytes[..end]))
            }
        }
    }

    /// Reads a whole small file, refused when it is longer than `limit` bytes.
    pub fn read_to_vec(&mut self, name: &str, limit: u64) -> Result<Vec<u8>> {
        let path = self.path().join(name);
        let mut reader = self.open_file(name, limit.saturating_add(1))?;
        let mut out = Vec::new();
        reader
            .read_to_end(&mut out)
            .map_err(|e| BatchError::io(&path, e))?;
        if out.len() as u64 > limit {
            return Err(BatchError::TooLarge { path, limit });
        }
        Ok(out)
    }

    /// The manifest, refused past `MAX_MANIFEST_BYTES`.
    pub fn read_manifest_bytes(&mut self) -> Result<Vec<u8>> {
        self.read_to_vec(super::format::MANIFEST_FILE, MAX_MANIFEST_BYTES)
    }
}

/// One line, or a run of lines, as `for_each_line` hands them over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// The line's bytes without its newline.
    Text(&'a [u8]),
    /// A line longer than the limit: only its length was kept.
    TooLong(u64),
    /// This many empty lines in a row (the number given is the first's): tens of millions of
    /// them fit in a small zip, and are counted without a call per line.
    Empty(u64),
}

/// Hands each line of `reader` to `visit` with its 1-based number, holding at most
/// `max_line` bytes of one line: a longer line is read through and given as its length, so a
/// gigabyte on one line costs no memory. Returns the number of lines and whether the last one
/// had no newline. `on_bytes` sees every byte read (for hashing).
pub fn for_each_line(
    path: &Path,
    reader: &mut dyn BufRead,
    max_line: usize,
    mut on_bytes: impl FnMut(&[u8]),
    mut visit: impl FnMut(u64, Line) -> Result<()>,
) -> Result<(u64, bool)> {
    // The part of the current line that came in earlier chunks (at most `max_line` bytes
    // kept) and its full length.
    let mut carried: Vec<u8> = Vec::with_capacity(1024);
    let mut length: u64 = 0;
    let mut lines = 0u64;
    loop {
        let chunk = reader.fill_buf().map_err(|e| BatchError::io(path, e))?;
        if chunk.is_empty() {
            break;
        }
        on_bytes(chunk);
        let mut start = 0;
        while start < chunk.len() {
            if length == 0 && chunk[start] == b'\n' {
                let run = chunk[start..].iter().take_while(|&&b| b == b'\n').count();
                visit(lines + 1, Line::Empty(run as u64))?;
                lines += run as u64;
                start += run;
                continue;
            }
            let Some(offset) = memchr::memchr(b'\n', &chunk[start..]) else {
                let rest = &chunk[start..];
                length += rest.len() as u64;
                if length <= max_line as u64 {
                    carried.extend_from_slice(rest);
                }
                break;
            };
            let piece = &chunk[start..start + offset];
            lines += 1;
            let total = length + piece.len() as u64;
            if total > max_line as u64 {
                visit(lines, Line::TooLong(total))?;
            } else if carried.is_empty() {
                visit(lines, Line::Text(piece))?;
            } else {
                carried.extend_from_slice(piece);
                visit(lines, Line::Text(&carried))?;
            }
            carried.clear();
            length = 0;
            start += offset + 1;
        }
        let used = chunk.len();
        reader.consume(used);
    }
    let unterminated = length > 0;
    if unterminated {
        lines += 1;
        if length <= max_line as u64 {
            visit(lines, Line::Text(&carried))?;
        } else {
            visit(lines, Line::TooLong(length))?;
        }
    }
    Ok((lines, unterminated))
}

/// Lines of a file one at a time, each at most `max_line` bytes, hashing what is read: for
/// the merge, which reads a batch a second time after verifying it and must notice a file
/// changed in between.
pub struct BoundedLines<'r> {
    reader: Box<dyn BufRead + 'r>,
    path: PathBuf,
    max_line: usize,
    line: Vec<u8>,
    hasher: sha2::Sha256,
    line_no: u64,
}

impl<'r> BoundedLines<'r> {
    pub fn new(reader: Box<dyn BufRead + 'r>, path: PathBuf, max_line: usize) -> Self {
        BoundedLines {
            reader,
            path,
            max_line,
            line: Vec::with_capacity(1024),
            hasher: sha2::Digest::new(),
            line_no: 0,
        }
    }

    /// The next line's number and text without its newline, `None` at the end; a line
    /// longer than `max_line` or not UTF-8 is an error (a verified batch has neither).
    pub fn next_line(&mut self) -> Result<Option<(u64, &str)>> {
        self.line.clear();
        let limit = self.max_line as u64 + 1;
        let n = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut self.line)
            .map_err(|e| BatchError::io(&self.path, e))?;
        if n == 0 {
            return Ok(None);
        }
        sha2::Digest::update(&mut self.hasher, &self.line);
        self.line_no += 1;
        let content = match self.line.strip_suffix(b"\n") {
            Some(c) => c,
            None if n as u64 == limit => {
                return Err(BatchError::TooLarge {
                    path: self.path.clone(),
                    limit: self.max_line as u64,
                });
            }
            None => &self.line[..],
        };
        let line_no = self.line_no;
        std::str::from_utf8(content)
            .map(|text| Some((line_no, text)))
            .map_err(|e| {
                BatchError::io(
                    &self.path,
                    std::io::Error::new(std::io::ErrorKind::InvalidData, e),
                )
            })
    }

    /// SHA-256 of every byte read, in lower-case hex.
    pub fn sha256(self) -> String {
        super::format::hex(&sha2::Digest::finalize(self.hasher))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8], max: usize) -> (Vec<(u64, String)>, bool) {
        let mut seen = Vec::new();
        let mut reader: &[u8] = input;
        let mut hashed = 0usize;
        let (count, unterminated) = for_each_line(
            Path::new("test"),
            &mut reader,
            max,
            |b| hashed += b.len(),
            |n, line| {
                seen.push((n, format!("{line:?}")));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(hashed, input.len(), "every byte passes the hasher");
        let last = seen
            .last()
            .map_or(0, |(n, l)| match l.strip_prefix("Empty(") {
                Some(run) => n + run.trim_end_matches(')').parse::<u64>().unwrap() - 1,
                None => *n,
            });
        assert_eq!(count, last);
        (seen, unterminated)
    }

    #[test]
    fn long_lines_are_measured_not_kept() {
        let (seen, unterminated) = lines_of(b"ab\nabcdef\n\n\n\nxyz", 4);
        let text = |n: u64, t: &[u8]| (n, format!("{:?}", Line::Text(t)));
        assert_eq!(
            seen,
            vec![
                text(1, b"ab"),
                (2, "TooLong(6)".to_string()),
                (3, "Empty(3)".to_string()),
                text(6, b"xyz"),
            ]
        );
        assert!(unterminated);
        let (seen, unterminated) = lines_of(b"abcd\n", 4);
        assert_eq!(seen, vec![text(1, b"abcd")]);
        assert!(!unterminated);
    }

    #[test]
    fn lines_split_across_reads_are_joined() {
        // A reader that hands over three bytes at a time.
        let input = b"abcdefg\n\nhi\n";
        let mut reader = std::io::BufReader::with_capacity(3, &input[..]);
        let mut seen = Vec::new();
        let (count, unterminated) = for_each_line(
            Path::new("test"),
            &mut reader,
            100,
            |_| {},
            |n, line| {
                seen.push((n, format!("{line:?}")));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            vec![
                (1, format!("{:?}", Line::Text(b"abcdefg"))),
                (2, "Empty(1)".to_string()),
                (3, format!("{:?}", Line::Text(b"hi"))),
            ]
        );
        assert_eq!((count, unterminated), (3, false));
    }
}
