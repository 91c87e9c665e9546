//! One copy of each distinct text: an order log repeats a few thousand product codes,
//! descriptions, invoices and customer ids over hundreds of thousands of rows, so each row
//! shares the copy instead of allocating its own string.
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

use std::hash::BuildHasher;
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

/// Text shared by every row that holds it.
pub type SharedText = Arc<str>;

/// The distinct texts seen so far.
///
/// A table rather than a `HashSet`, so that a lookup compares texts with [`same_text`]: reading
/// an order file looks up two texts a row, and `str`'s own equality calls `memcmp`, which in
/// wasm is a loop over single bytes.
#[derive(Debug, Clone, Default)]
pub struct Interner {
    texts: HashTable<SharedText>,
}

impl Interner {
    /// The shared copy of `text`, made on first sight.
    pub fn intern(&mut self, text: &str) -> SharedText {
        Arc::clone(self.held_or(text, || Arc::from(text)))
    }

    /// Holds `text` as the shared copy of its value, unless one is held already.
    pub fn adopt(&mut self, text: &SharedText) {
        self.held_or(text, || Arc::clone(text));
    }

    /// The held copy of `text`, or `make()` held as it.
    fn held_or(&mut self, text: &str, make: impl FnOnce() -> SharedText) -> &SharedText {
        let hash_of = |text: &str| FxBuildHasher.hash_one(text);
        self.texts
            .entry(
                hash_of(text),
                |known| same_text(known, text),
                |known| hash_of(known),
            )
            .or_insert_with(make)
            .into_mut()
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

/// Whether `a` and `b` are the same text: at once when both are one copy (an interned text met
/// again), else compared eight bytes at a time. Rust's `==` on text calls `memcmp`, which the
/// wasm target implements byte by byte; the texts of order files (ids, dates, product names) are
/// mostly 5 to 40 bytes long, where words are several times faster.
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if std::ptr::eq(a, b) {
        return true;
    }
    let word = |bytes: &[u8]| u64::from_ne_bytes(bytes.try_into().expect("eight bytes"));
    if a.len() < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let (a_words, b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    // The last eight bytes, overlapping the last whole word, stand for the remainder.
    let tail = a.len() - 8;
    word(&a[tail..]) == word(&b[tail..]) && a_words.zip(b_words).all(|(x, y)| word(x) == word(y))
}

/// A text as a hash-map key compared with [`same_text`]: for the maps that count an order log's
/// interned texts line by line, where most lookups find a copy of the very same text.
#[derive(Debug, Clone, Copy, Eq)]
pub struct TextKey<'a>(pub &'a str);

impl PartialEq for TextKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        same_text(self.0, other.0)
    }
}

impl std::hash::Hash for TextKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_the_same_exactly_when_their_bytes_are() {
        let texts = [
            "",
            "a",
            "b",
            "85123A",
            "85123B",
            "1234567",
            "12345678",
            "12345679",
            "02345678",
            "WHITE HANGING HEART T-LIGHT HOLDER",
            "WHITE HANGING HEART T-LIGHT HOLDEr",
            "wHITE HANGING HEART T-LIGHT HOLDER",
            "WHITE HANGING HEART T-LIGHT HOLDER ",
            "17850.0",
            "17850",
            "été",
            "ete",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} against {b:?}");
            }
        }
        // Every length and every position of a single differing byte.
        for length in 0..40 {
            let text: String = (0..length)
                .map(|n| char::from(b'a' + (n % 26) as u8))
                .collect();
            assert!(same_text(&text, &text.clone()));
            for at in 0..length {
                let mut other = text.clone().into_bytes();
                other[at] = b'Z';
                let other = String::from_utf8(other).unwrap();
                assert!(!same_text(&text, &other), "length {length}, byte {at}");
            }
        }
    }

    #[test]
    fn text_keys_count_copies_of_a_text_together() {
        let one: SharedText = Arc::from("WHITE HANGING HEART T-LIGHT HOLDER");
        let copy = String::from("WHITE HANGING HEART T-LIGHT HOLDER");
        let mut counts: rustc_hash::FxHashMap<TextKey, u32> = Default::default();
        for text in [
            &*one,
            &*one,
            copy.as_str(),
            "WHITE HANGING HEART T-LIGHT HOLDEr",
        ] {
            *counts.entry(TextKey(text)).or_default() += 1;
        }
        assert_eq!(counts.len(), 2);
        assert_eq!(counts[&TextKey("WHITE HANGING HEART T-LIGHT HOLDER")], 3);
        // A prefix of the same copy is another text.
        assert!(!same_text(&one[..5], &one[..6]));
        assert!(same_text(&one[..5], "WHITE"));
    }

    #[test]
    fn equal_texts_share_one_copy_and_adopted_ones_are_found() {
        let mut texts = Interner::default();
        let first = texts.intern("WHITE HANGING HEART T-LIGHT HOLDER");
        assert!(Arc::ptr_eq(
            &first,
            &texts.intern("WHITE HANGING HEART T-LIGHT HOLDER")
        ));
        assert!(!Arc::ptr_eq(
            &first,
            &texts.intern("WHITE HANGING HEART T-LIGHT HOLDEr")
        ));
        let adopted: SharedText = Arc::from("22633");
        texts.adopt(&adopted);
        texts.adopt(&Arc::from("22633"));
        assert!(Arc::ptr_eq(&adopted, &texts.intern("22633")));
        assert_eq!(texts.len(), 3);
    }
}
