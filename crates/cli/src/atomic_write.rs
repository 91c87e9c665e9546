//! Writing outputs whole: a reader sees the old file or the new one, never a half-written file,
//! and a failure leaves the old one in place.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `bytes` to a partial file beside `target`, then renames it over `target`.
pub fn write_file_atomically(target: &Path, bytes: &[u8]) -> Result<()> {
    let name = target
        .file_name()
        .with_context(|| format!("{} does not name a file", target.display()))?
        .to_string_lossy();
    let partial = target.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let written = fs::File::create(&partial)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()))
        .and_then(|()| fs::rename(&partial, target));
    if written.is_err() {
        // Best effort: the partial file is useless once the write failed.
        let _ = fs::remove_file(&partial);
    }
    written.with_context(|| format!("cannot write {}", target.display()))
}
