//! Writing outputs whole: a reader sees the old file or the new one, never a half-written file,
//! and a failure leaves the old one in place.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `bytes` to a partial file beside `target`, then renames it over `target`.
pub fn write_file_atomically(target: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(target, |out| Ok(out.write_all(bytes)?))
}

/// Lets `write` stream into a partial file beside `target` (buffered), then renames it over
/// `target`; when `write` fails, the partial file is removed and `target` is untouched.
pub fn write_atomically(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let name = target
        .file_name()
        .with_context(|| format!("{} does not name a file", target.display()))?
        .to_string_lossy();
    let partial = target.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let written = fs::File::create(&partial)
        .map_err(anyhow::Error::from)
        .and_then(|file| {
            let mut out = BufWriter::new(file);
            write(&mut out)?;
            let file = out.into_inner().map_err(|error| error.into_error())?;
            file.sync_all()?;
            Ok(fs::rename(&partial, target)?)
        });
    if written.is_err() {
        // Best effort: the partial file is useless once the write failed.
        let _ = fs::remove_file(&partial);
    }
    written.with_context(|| format!("cannot write {}", target.display()))
}
