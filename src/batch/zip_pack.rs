//! `--zip`: the batch folder packed (deflate) under one top folder of the same name, so
//! unpacking it gives the folder back.

use super::fsio::create_private_file;
use super::{BatchError, Result};
use std::io::BufWriter;
use std::path::Path;
use zip::write::SimpleFileOptions;

pub fn pack(dir: &Path, name: &str, zip_path: &Path) -> Result<()> {
    let zip_error = |e: zip::result::ZipError| BatchError::Zip {
        path: zip_path.to_path_buf(),
        message: e.to_string(),
    };
    let file = create_private_file(zip_path)?;
    let mut writer = zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, file));
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| BatchError::io(dir, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for entry in names {
        let path = dir.join(&entry);
        let size = std::fs::metadata(&path)
            .map_err(|e| BatchError::io(&path, e))?
            .len();
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o600)
            .large_file(size >= u32::MAX as u64);
        writer
            .start_file(format!("{name}/{entry}"), options)
            .map_err(zip_error)?;
        let mut input = std::fs::File::open(&path).map_err(|e| BatchError::io(&path, e))?;
        std::io::copy(&mut input, &mut writer).map_err(|e| BatchError::io(&path, e))?;
    }
    let buffered = writer.finish().map_err(zip_error)?;
    let file = buffered
        .into_inner()
        .map_err(|e| BatchError::io(zip_path, e.into_error()))?;
    file.sync_all().map_err(|e| BatchError::io(zip_path, e))
}
