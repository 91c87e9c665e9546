//! Writing a bundle into the directory a shop serves, so that a store open during the deploy
//! never fails or mixes two bundles.
//!
//! A bundle's files are named by their content (`catalog.3f2a9c1b0d4e5f67.bin`), so the new files
//! go in beside the old ones without replacing any; the manifest goes last, by an atomic rename.
//! A reader sees the old manifest, whose files are all still there, or the new one, whose files
//! are all already there. The files of the manifest being replaced stay one deploy longer, for
//! the tabs that read it just before; older ones are removed. A build that fails leaves the old
//! manifest in place.
//!
//! Product photos (`images/`, named by content too) follow the same rule: the bundle's
//! `images` part lists them, so those of the new and the replaced manifest stay.
//!
//! The same order holds when the shop copies the directory to its host: files first, then
//! `manifest.json` (docs/deploying.md).

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use aisle_core::bundle::{MANIFEST_FILE, Manifest, product_images};
use aisle_core::catalog::images::{IMAGES_DIR, ImageFile};
use anyhow::{Context, Result};

use crate::atomic_write::write_file_atomically;

/// The manifest of the bundle in `dir`, which a build into it replaces; `None` when there is
/// none, or none that reads.
pub fn replaced_manifest(dir: &Path) -> Option<Manifest> {
    fs::read(dir.join(MANIFEST_FILE))
        .ok()
        .and_then(|bytes| Manifest::from_json(&bytes).ok())
}

/// Writes the bundle `files` (name, bytes; photos under `images/`) and then `manifest` into
/// `dir`, creating it if needed, and removes the bundle files and photos neither it nor the
/// manifest it replaces lists.
pub fn write_bundle_dir(
    dir: &Path,
    manifest: &Manifest,
    files: &[(String, Vec<u8>)],
) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest_path = dir.join(MANIFEST_FILE);
    let replaced = replaced_manifest(dir);
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
        }
        // A name is its content's hash: a file already there under it holds these bytes, unless
        // something damaged it, which the size shows cheaply and the store's check surely.
        let present = fs::metadata(&path).is_ok_and(|meta| meta.len() == bytes.len() as u64);
        if !present {
            write_file_atomically(&path, bytes)?;
        }
    }
    write_file_atomically(&manifest_path, manifest.to_json().as_bytes())?;

    let mut kept: HashSet<String> = manifest.files.iter().map(|f| f.name.clone()).collect();
    kept.extend(files.iter().map(|(name, _)| name.clone()));
    let mut replaced_photos_known = true;
    if let Some(replaced) = &replaced {
        kept.extend(replaced.files.iter().map(|f| f.name.clone()));
        let read = |name: &str| fs::read(dir.join(name)).ok();
        match product_images(replaced, read, replaced.counts.products as usize) {
            Ok(images) => kept.extend(images.file_names().map(str::to_owned)),
            // Which photos the replaced bundle shows is unknown: keep them all this time.
            Err(_) => replaced_photos_known = false,
        }
    }
    remove_unkept(dir, "", &kept, is_bundle_file)?;
    let photos = dir.join(IMAGES_DIR);
    if replaced_photos_known && photos.is_dir() {
        remove_unkept(&photos, &format!("{IMAGES_DIR}/"), &kept, |name| {
            ImageFile::is_image_name(&format!("{IMAGES_DIR}/{name}"))
        })?;
    }
    Ok(())
}

/// Removes the files of `folder` (`prefix` is its path within the bundle directory) whose name
/// `ours` recognises and `kept` does not list.
fn remove_unkept(
    folder: &Path,
    prefix: &str,
    kept: &HashSet<String>,
    ours: impl Fn(&str) -> bool,
) -> Result<()> {
    let listing = || format!("cannot list {}", folder.display());
    for entry in fs::read_dir(folder).with_context(listing)? {
        let entry = entry.with_context(listing)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if ours(&name) && !kept.contains(&format!("{prefix}{name}")) {
            fs::remove_file(entry.path())
                .with_context(|| format!("cannot remove the stale {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// A name a bundle gives its files: `part.<16 hex digits>.bin`, the part in letters, digits,
/// dashes and dots (a shard's `history-3`, a locale's `ui.zh-CN`) from a lower-case letter on,
/// or, before version 5, `part.bin` with the part in lower-case letters, digits and dashes.
/// Nothing else in the directory is ever removed.
fn is_bundle_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".bin") else {
        return false;
    };
    let hashed = stem.rsplit_once('.').filter(|(_, hash)| {
        hash.len() == 16
            && hash
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
    });
    // A hashed name's part may carry a locale's tag; a plain one never does.
    let (part, tagged) = hashed.map_or((stem, false), |(part, _)| (part, true));
    part.starts_with(|first: char| first.is_ascii_lowercase())
        && part.bytes().all(|byte| {
            byte.is_ascii_lowercase()
                || byte.is_ascii_digit()
                || byte == b'-'
                || (tagged && (byte.is_ascii_uppercase() || byte == b'.'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bundle_file_names_are_bundle_files() {
        for name in [
            "ease.bin",
            "ease.0123456789abcdef.bin",
            "copurchase.bin",
            "ease-rows-12.0123456789abcdef.bin",
            "history-12.0123456789abcdef.bin",
            "ease-scales.0123456789abcdef.bin",
            "ui.zh-CN.0123456789abcdef.bin",
            "copy.de.0123456789abcdef.bin",
        ] {
            assert!(is_bundle_file(name), "{name}");
        }
        for name in [
            "manifest.json",
            "ease.0123.bin",
            "Ease.bin",
            "notes.txt",
            ".ease.bin.partial-12",
            "ease.0123456789ABCDEF.bin",
            ".bin",
            "-ease.bin",
            "7.bin",
            "ui.zh-CN.bin",
            "ui.zh-CN.0123.bin",
        ] {
            assert!(!is_bundle_file(name), "{name}");
        }
    }
}
