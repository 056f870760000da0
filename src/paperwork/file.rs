//! One output file, written whole or not at all: the bytes go to an owner-only temporary file
//! beside the target, are flushed, and only then renamed over it. A failure at any point leaves
//! the target as it was and no temporary file behind.

use super::SheetError;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Runs `fill` on a buffered temporary file in the target's folder, then puts the file in
/// place. `fill` also gets that folder, for any scratch files of its own.
pub fn write_atomically<T>(
    target: &Path,
    fill: impl FnOnce(&Path, &mut BufWriter<File>) -> Result<T, SheetError>,
) -> Result<T, SheetError> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| io_error(target, std::io::ErrorKind::InvalidInput.into()))?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = dir.join(temp_name);

    let result = create_private(&temp).and_then(|file| {
        let mut sink = BufWriter::new(file);
        let value = fill(&dir, &mut sink)?;
        let file = sink
            .into_inner()
            .map_err(|e| io_error(&temp, e.into_error()))?;
        file.sync_all().map_err(|e| io_error(&temp, e))?;
        std::fs::rename(&temp, target).map_err(|e| io_error(target, e))?;
        Ok(value)
    });
    match result {
        Ok(value) => {
            sync_dir(&dir);
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

fn create_private(path: &Path) -> Result<File, SheetError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| io_error(path, e))
}

/// Makes the rename durable; a folder cannot be opened as a file on Windows, where the rename
/// is durable on its own. The sheet is already complete, so a failure here is not reported.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn io_error(path: &Path, source: std::io::Error) -> SheetError {
    SheetError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_failed_fill_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("表.xlsx");
        std::fs::write(&target, b"old").expect("old");
        let refused = write_atomically(&target, |_, sink| {
            sink.write_all(b"half")
                .map_err(|e| io_error(Path::new("x"), e))?;
            Err::<(), _>(SheetError::TotalTooLarge)
        });
        assert!(matches!(refused, Err(SheetError::TotalTooLarge)));
        assert_eq!(std::fs::read(&target).expect("read"), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_complete_fill_replaces_the_file_owner_only() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("表.xlsx");
        std::fs::write(&target, b"old").expect("old");
        write_atomically(&target, |_, sink| {
            sink.write_all(b"new")
                .map_err(|e| io_error(Path::new("x"), e))
        })
        .expect("written");
        assert_eq!(std::fs::read(&target).expect("read"), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target)
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
