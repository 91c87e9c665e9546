//! Product photos for the bundle: the files a shop's product file names, resized into WebP in
//! the two sizes the store shows ([`ImageSize`]), so the shop serves them from its own origin.
//!
//! Where a photo is found: a cell holding a path is read relative to `--images DIR`, or to the
//! product file's folder without it. A cell holding an address (Shopify's `Image Src` is one)
//! is never downloaded, since Aisle fetches nothing: its file name is looked up in that folder,
//! where the shop saved its photos.
//!
//! Decoding (JPEG, PNG, WebP, GIF) and resizing are the `image` crate's; encoding is libwebp's
//! lossy encoder (the `webp` crate), whose files are a fraction of lossless ones for photos. A
//! photo that cannot be found or read is reported with its line and column, and its product
//! keeps the store's drawn placeholder: one bad cell does not stop a build. Photos are
//! processed on every core, each distinct file once, with a progress bar.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use aisle_core::bundle::sha256_hex;
use aisle_core::catalog::Catalog;
use aisle_core::catalog::images::{ImageFile, ImageSize, ProductImage, ProductImages};
use aisle_core::input::orders::RowIssue;
use aisle_core::input::product_file::ProductFile;
use image::DynamicImage;
use image::imageops::FilterType;

use crate::input::progress_steps;

/// libwebp's quality (0 to 100): its default, where photos show no visible loss at a small
/// size.
const WEBP_QUALITY: f32 = 75.0;

/// How many failures are printed one by one; the rest are counted.
const ISSUES_SHOWN: usize = 10;

/// The catalog's photos and the files that hold them.
pub struct Photos {
    /// One entry per catalog position.
    pub images: ProductImages,
    /// The image files (name relative to the bundle directory, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// The cells whose photo could not be used.
    pub issues: Vec<RowIssue>,
}

/// One resized photo, before it is named after a product.
struct Resized {
    bytes: Vec<u8>,
    width: u16,
    height: u16,
    hash: String,
}

/// Finds, resizes and names the photos `file` gives for `catalog`'s products.
/// `product_file` is the file's path and `images_dir` the `--images` folder.
pub fn prepare(
    catalog: &Catalog,
    file: &ProductFile,
    product_file: &Path,
    images_dir: Option<&Path>,
    quiet: bool,
) -> Photos {
    let folder = images_dir.map_or_else(
        || product_file.parent().unwrap_or(Path::new("")).to_path_buf(),
        Path::to_path_buf,
    );
    let source_name = product_file.display().to_string();
    let column = file.image_column.clone().unwrap_or_default();
    // (catalog position, line, path) for every product the catalog kept that names a photo.
    let wanted: Vec<(usize, u64, PathBuf)> = file
        .products
        .iter()
        .filter_map(|record| {
            let position = catalog.position(&record.id)?;
            Some((
                position,
                record.line,
                source_path(record.image.as_deref()?, &folder),
            ))
        })
        .collect();
    let mut sources: Vec<&Path> = wanted.iter().map(|(_, _, path)| path.as_path()).collect();
    sources.sort();
    sources.dedup();

    let progress = progress_steps(quiet, sources.len() as u64, "resizing product photos");
    let resized = resize_all(&sources, || progress.inc(1));
    progress.finish_and_clear();
    let resized: HashMap<&Path, Result<[Resized; 2], String>> =
        sources.into_iter().zip(resized).collect();

    let mut images = vec![None; catalog.len()];
    let mut files = Vec::new();
    let mut issues = Vec::new();
    for (position, line, path) in &wanted {
        match &resized[path.as_path()] {
            Ok([card, page]) => {
                let id = &catalog.products()[*position].id;
                let mut named = |size: ImageSize, resized: &Resized| {
                    let name = ImageFile::name_for(id, size, &resized.hash);
                    files.push((name.clone(), resized.bytes.clone()));
                    ImageFile {
                        name,
                        width: resized.width,
                        height: resized.height,
                    }
                };
                images[*position] = Some(ProductImage {
                    card: named(ImageSize::Card, card),
                    page: named(ImageSize::Page, page),
                });
            }
            Err(message) => issues.push(RowIssue {
                source_name: source_name.clone(),
                line: *line,
                column: column.clone(),
                message: message.clone(),
            }),
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    Photos {
        images: ProductImages::new(images),
        files,
        issues,
    }
}

/// Says what [`prepare`] did, on stderr.
pub fn report(photos: &Photos, quiet: bool) {
    if quiet {
        return;
    }
    let products = photos.images.file_names().count() / 2;
    let bytes: usize = photos.files.iter().map(|(_, bytes)| bytes.len()).sum();
    let (card, page) = (ImageSize::Card.fitting_box(), ImageSize::Page.fitting_box());
    eprintln!(
        "photos: {products} products, {} files, {bytes} bytes (cards within {}x{}, pages within \
         {}x{}, WebP)",
        photos.files.len(),
        card.0,
        card.1,
        page.0,
        page.1
    );
    if !photos.issues.is_empty() {
        eprintln!(
            "photos: {} could not be used; those products keep the drawn placeholder",
            photos.issues.len()
        );
    }
    for issue in photos.issues.iter().take(ISSUES_SHOWN) {
        eprintln!("photo: {issue}");
    }
    if photos.issues.len() > ISSUES_SHOWN {
        eprintln!("photo: ... and {} more", photos.issues.len() - ISSUES_SHOWN);
    }
}

/// Where the photo a cell names is: a path (relative ones within `folder`), or for an address
/// the file of that name in `folder`.
fn source_path(cell: &str, folder: &Path) -> PathBuf {
    let address = ["http://", "https://", "//"]
        .iter()
        .any(|scheme| cell.starts_with(scheme));
    if address {
        let path = cell.split(['?', '#']).next().unwrap_or(cell);
        let file_name = path.rsplit('/').next().unwrap_or(path);
        return folder.join(file_name);
    }
    folder.join(cell)
}

/// Resizes every source on all cores, calling `done` after each; results in `sources` order.
fn resize_all(sources: &[&Path], done: impl Fn() + Sync) -> Vec<Result<[Resized; 2], String>> {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut results: Vec<(usize, Result<[Resized; 2], String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(sources.len().max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(source) = sources.get(index) else {
                            return mine;
                        };
                        mine.push((index, resize_file(source)));
                        done();
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("resizing a photo does not panic"))
            .collect()
    });
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

/// Reads and decodes one photo, then writes it in both sizes.
fn resize_file(path: &Path) -> Result<[Resized; 2], String> {
    let bytes =
        std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let photo = image::load_from_memory(&bytes).map_err(|error| {
        format!(
            "{} is not an image this build reads: {error}",
            path.display()
        )
    })?;
    Ok(ImageSize::ALL.map(|size| resized(&photo, size)))
}

/// `photo` fitted into `size`'s box, never enlarged, as lossy WebP.
fn resized(photo: &DynamicImage, size: ImageSize) -> Resized {
    let (box_width, box_height) = size.fitting_box();
    let fitted = if photo.width() <= box_width && photo.height() <= box_height {
        photo.clone()
    } else {
        photo.resize(box_width, box_height, FilterType::Lanczos3)
    };
    // libwebp takes 8-bit RGB or RGBA; transparency is kept only where the photo has it.
    let (width, height) = (fitted.width(), fitted.height());
    let encoded = if fitted.color().has_alpha() {
        let pixels = fitted.into_rgba8();
        webp::Encoder::from_rgba(&pixels, width, height).encode(WEBP_QUALITY)
    } else {
        let pixels = fitted.into_rgb8();
        webp::Encoder::from_rgb(&pixels, width, height).encode(WEBP_QUALITY)
    };
    let bytes = encoded.to_vec();
    Resized {
        hash: sha256_hex(&bytes)[..16].to_owned(),
        width: width as u16,
        height: height as u16,
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_looked_up_by_file_name_in_the_folder() {
        let folder = Path::new("/shop/photos");
        assert_eq!(
            source_path("https://cdn.example/files/1/lantern.jpg?v=3", folder),
            folder.join("lantern.jpg")
        );
        assert_eq!(
            source_path("//cdn.example/mug.png#x", folder),
            folder.join("mug.png")
        );
        assert_eq!(
            source_path("kitchen/mug.png", folder),
            folder.join("kitchen/mug.png")
        );
        assert_eq!(
            source_path("/abs/mug.png", folder),
            PathBuf::from("/abs/mug.png")
        );
    }

    #[test]
    fn photos_are_fitted_into_their_box_and_never_enlarged() {
        let wide = DynamicImage::new_rgb8(1600, 600);
        let card = resized(&wide, ImageSize::Card);
        assert_eq!((card.width, card.height), (400, 150));
        assert_eq!(&card.bytes[..4], b"RIFF");
        assert_eq!(&card.bytes[8..12], b"WEBP");
        let small = DynamicImage::new_rgba8(120, 90);
        let page = resized(&small, ImageSize::Page);
        assert_eq!((page.width, page.height), (120, 90));
        let back = image::load_from_memory(&page.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (120, 90));
    }
}
