//! Writing outputs whole: a reader sees the old bundle (or file) or the new one, never a mix or
//! a half-written file, and a failure leaves the old one in place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Writes `files` (name, bytes) into a staging directory beside `target`, then swaps it in.
pub fn write_dir_atomically(target: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = target
        .file_name()
        .with_context(|| format!("{} does not name a directory", target.display()))?
        .to_string_lossy();
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.retired-{}", std::process::id()));

    let result = stage(&staging, files).and_then(|()| swap_in(&staging, target, &retired));
    if result.is_err() {
        // Best effort: the staging copy is useless once the swap failed.
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn stage(staging: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    if staging.exists() {
        fs::remove_dir_all(staging)?;
    }
    fs::create_dir(staging).with_context(|| format!("cannot create {}", staging.display()))?;
    for (name, bytes) in files {
        let path = staging.join(name);
        let mut file =
            fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

fn swap_in(staging: &Path, target: &Path, retired: &Path) -> Result<()> {
    if !target.exists() {
        return fs::rename(staging, target)
            .with_context(|| format!("cannot move the new bundle to {}", target.display()));
    }
    fs::rename(target, retired)
        .with_context(|| format!("cannot move the old bundle {} aside", target.display()))?;
    if let Err(error) = fs::rename(staging, target) {
        // Put the old bundle back so the shop keeps serving something whole.
        let _ = fs::rename(retired, target);
        return Err(error)
            .with_context(|| format!("cannot move the new bundle to {}", target.display()));
    }
    fs::remove_dir_all(retired)
        .with_context(|| format!("cannot remove the old bundle at {}", retired.display()))
}
