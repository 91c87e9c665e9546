//! Product photos: which image files a product has, in the size its card shows and the size its
//! page shows.
//!
//! `aisle build` resizes the photos a shop's product file names into WebP files inside the
//! bundle directory (`images/`), so the shop serves them from its own origin: an image host
//! elsewhere would learn every product a shopper looks at. This module holds what the store
//! needs to show them (names and pixel sizes, so a page reserves their space before they load)
//! and the names' shape, which the build writes and its clean-up recognises. The pixels
//! themselves are the CLI's work.
//!
//! The list travels as the bundle's optional `images` part, one entry per catalog position; a
//! product without a photo keeps the store's drawn placeholder.
//!
//! ```
//! use aisle_core::catalog::images::{ImageFile, ImageSize};
//! let name = ImageFile::name_for("85123A", ImageSize::Card, "0123456789abcdef");
//! assert_eq!(name, "images/85123a-card.0123456789abcdef.webp");
//! assert!(ImageFile::is_image_name(&name));
//! ```

use serde::{Deserialize, Serialize};

/// The folder of the bundle directory the images are written to.
pub const IMAGES_DIR: &str = "images";

/// The two sizes a photo is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSize {
    /// For cards on shelves, grids and the cart.
    Card,
    /// For the product's own page.
    Page,
}

impl ImageSize {
    /// Both sizes, in the order a [`ProductImage`] lists them.
    pub const ALL: [ImageSize; 2] = [ImageSize::Card, ImageSize::Page];

    /// The box (width, height in pixels) a photo is fitted into, keeping its proportions and
    /// never enlarged: twice the CSS size the store shows it at (cards about 200 px wide, the
    /// product page at most 420 px), so it stays sharp on high-density screens. The 4:3 box
    /// is the store's art frame.
    pub fn fitting_box(self) -> (u32, u32) {
        match self {
            ImageSize::Card => (400, 300),
            ImageSize::Page => (840, 630),
        }
    }

    fn label(self) -> &'static str {
        match self {
            ImageSize::Card => "card",
            ImageSize::Page => "page",
        }
    }
}

/// One written image file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageFile {
    /// Its name relative to the bundle's manifest ([`ImageFile::name_for`]).
    pub name: String,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
}

impl ImageFile {
    /// The name of a product's image: `images/<id>-<size>.<hash>.webp`, the id reduced to
    /// lower-case letters, digits and `_` (at most 40 of them). The content hash (16 hex
    /// digits) lets a host or the service worker keep it forever; the id and size before it
    /// tell the service worker which older file a new version replaces.
    pub fn name_for(product_id: &str, size: ImageSize, hash: &str) -> String {
        let id: String = product_id
            .chars()
            .map(|c| match c.to_ascii_lowercase() {
                c @ ('a'..='z' | '0'..='9') => c,
                _ => '_',
            })
            .take(40)
            .collect();
        format!("{IMAGES_DIR}/{id}-{}.{hash}.webp", size.label())
    }

    /// Whether `name` has the shape [`ImageFile::name_for`] gives, so clean-up removes nothing
    /// else a shop keeps in the folder.
    pub fn is_image_name(name: &str) -> bool {
        let Some(file) = name
            .strip_prefix(IMAGES_DIR)
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(|rest| rest.strip_suffix(".webp"))
        else {
            return false;
        };
        let Some((stem, hash)) = file.rsplit_once('.') else {
            return false;
        };
        let hash_ok = hash.len() == 16
            && hash
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
        let stem_ok = ImageSize::ALL.iter().any(|size| {
            stem.strip_suffix(size.label())
                .and_then(|id| id.strip_suffix('-'))
                .is_some_and(|id| {
                    !id.is_empty()
                        && id
                            .bytes()
                            .all(|byte| matches!(byte, b'a'..=b'z' | b'0'..=b'9' | b'_'))
                })
        });
        hash_ok && stem_ok
    }
}

/// A product's photo in both sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductImage {
    /// For cards.
    pub card: ImageFile,
    /// For the product page.
    pub page: ImageFile,
}

/// Every product's photo, by catalog position; `None` where a product has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductImages(Vec<Option<ProductImage>>);

impl ProductImages {
    /// The photos of a catalog's products, in catalog order.
    pub fn new(images: Vec<Option<ProductImage>>) -> Self {
        Self(images)
    }

    /// The photo of the product at `position`, if it has one.
    pub fn get(&self, position: usize) -> Option<&ProductImage> {
        self.0.get(position)?.as_ref()
    }

    /// Entries, one per catalog position (none when no product has a photo).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no product has a photo.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// Every file name, both sizes.
    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .flatten()
            .flat_map(|image| [image.card.name.as_str(), image.page.name.as_str()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_recognised_and_nothing_else_is() {
        let hash = "0123456789abcdef";
        for (id, expected) in [
            ("85123A", "images/85123a-page.0123456789abcdef.webp"),
            ("Tasse/Groß", "images/tasse_gro_-page.0123456789abcdef.webp"),
            ("茶杯", "images/__-page.0123456789abcdef.webp"),
        ] {
            let name = ImageFile::name_for(id, ImageSize::Page, hash);
            assert_eq!(name, expected);
            assert!(ImageFile::is_image_name(&name), "{name}");
        }
        assert_eq!(
            ImageFile::name_for(&"x".repeat(90), ImageSize::Card, hash).len(),
            "images/".len() + 40 + "-card.".len() + 16 + ".webp".len()
        );
        for name in [
            "images/logo.png",
            "images/mug-card.webp",
            "images/mug-thumb.0123456789abcdef.webp",
            "images/Mug-card.0123456789abcdef.webp",
            "images/-card.0123456789abcdef.webp",
            "images/mug-card.0123456789ABCDEF.webp",
            "other/mug-card.0123456789abcdef.webp",
            "mug-card.0123456789abcdef.webp",
        ] {
            assert!(!ImageFile::is_image_name(name), "{name}");
        }
    }
}
