//! One copy of each distinct text: an order log repeats a few thousand product codes,
//! descriptions, invoices and customer ids over hundreds of thousands of rows, so each row
//! shares the copy instead of allocating its own (reading the demo log allocated four strings a
//! row before).
//!
//! ```
//! use aisle_core::input::interner::Interner;
//! use std::sync::Arc;
//! let mut texts = Interner::default();
//! let first = texts.intern("85123A");
//! let again = texts.intern("85123A");
//! assert!(Arc::ptr_eq(&first, &again));
//! assert_eq!(texts.len(), 1);
//! ```

use std::sync::Arc;

use rustc_hash::FxHashSet;

/// Text shared by every row that holds it.
pub type SharedText = Arc<str>;

/// The distinct texts seen so far.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    texts: FxHashSet<SharedText>,
}

impl Interner {
    /// The shared copy of `text`, made on first sight.
    pub fn intern(&mut self, text: &str) -> SharedText {
        if let Some(known) = self.texts.get(text) {
            return Arc::clone(known);
        }
        let shared: SharedText = Arc::from(text);
        self.texts.insert(Arc::clone(&shared));
        shared
    }

    /// Holds `text` as the shared copy of its value, unless one is held already.
    pub fn adopt(&mut self, text: &SharedText) {
        if !self.texts.contains(text) {
            self.texts.insert(Arc::clone(text));
        }
    }

    /// The distinct texts, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &SharedText> {
        self.texts.iter()
    }

    /// How many distinct texts are held.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// True before the first text.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}
