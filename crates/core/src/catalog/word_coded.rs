//! Texts as numbers of words in a vocabulary: how a bundle ships its products' titles and
//! descriptions.
//!
//! A catalog's titles are short and made of few words, used over and over ("set", "heart",
//! "red"), in an order gzip cannot use: it finds a repeated word as a match, a length and a
//! distance back that cost 20 bits and more, and every text written out brings its length
//! prefix between the words. Coded as numbers into a vocabulary, most used words first, a word
//! takes one to three bytes, and those bytes travel in planes (every word's low byte, then
//! every word's next byte): the high bytes, mostly zero as the common words have the small
//! numbers, gzip to little, and the low bytes to near what the words' frequencies allow.
//! The 100,000-product scale workload's texts take 0.32 MB gzip, half of the 0.64 MB they take
//! written out (`docs/scale.md`, "What a shopper fetches"). Real titles repeat fewer words: the
//! demo's whole catalog file is 36,290 bytes gzip, against 38,854 with its texts written out
//! (`aisle build --orders data/*.csv.gz --settings tests/spark-settings.json`, the `catalog`
//! file at gzip level 9).
//!
//! A word is what lies between two spaces, so every text reads back exactly, white space
//! included. Texts in scripts written without spaces are each one word of the vocabulary and
//! cost a number more than written out.
//!
//! ```
//! use aisle_core::catalog::word_coded::WordCoded;
//! let texts = ["Red Heart Cushion", "", "Heart  Mug", "Red"];
//! let coded = WordCoded::new(texts);
//! assert_eq!(coded.texts().unwrap(), texts);
//! ```

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;

/// The widest word number a vocabulary of `u32` words needs, in bytes.
const MAX_PLANES: usize = 4;

/// A list of texts as a vocabulary and, per text, the numbers of its words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WordCoded {
    /// The distinct words, most used first (ties in byte order), joined by spaces: no word
    /// holds one.
    vocabulary: String,
    /// Per text, how many words it has; the empty text has none.
    word_counts: Vec<u32>,
    /// Plane `k` holds byte `k` (from the least significant) of every word's number, the
    /// texts' words in order; there are as many planes as the largest number needs bytes.
    planes: Vec<ByteBuf>,
}

/// The words of `text`: none for the empty text, else what lies between its spaces.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ').filter(move |_| !text.is_empty())
}

impl WordCoded {
    /// Codes `texts`, in their order.
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Self {
        let texts: Vec<&str> = texts.into_iter().collect();
        let mut uses: FxHashMap<&str, u32> = FxHashMap::default();
        for word in texts.iter().flat_map(|text| words(text)) {
            *uses.entry(word).or_default() += 1;
        }
        let mut vocabulary: Vec<(&str, u32)> = uses.into_iter().collect();
        vocabulary.sort_unstable_by(|(a, a_uses), (b, b_uses)| b_uses.cmp(a_uses).then(a.cmp(b)));
        let number: FxHashMap<&str, u32> = vocabulary
            .iter()
            .enumerate()
            .map(|(number, (word, _))| (*word, number as u32))
            .collect();
        let largest = vocabulary.len().saturating_sub(1) as u32;
        let width = (u32::BITS - largest.leading_zeros()).div_ceil(8) as usize;
        let mut planes = vec![ByteBuf::new(); width];
        let mut word_counts = Vec::with_capacity(texts.len());
        for text in &texts {
            let mut count = 0;
            for word in words(text) {
                let number = number[word].to_le_bytes();
                for (plane, byte) in planes.iter_mut().zip(number) {
                    plane.push(byte);
                }
                count += 1;
            }
            word_counts.push(count);
        }
        let vocabulary: Vec<&str> = vocabulary.into_iter().map(|(word, _)| word).collect();
        Self {
            vocabulary: vocabulary.join(" "),
            word_counts,
            planes,
        }
    }

    /// How many texts it holds.
    pub fn len(&self) -> usize {
        self.word_counts.len()
    }

    /// Whether it holds no text.
    pub fn is_empty(&self) -> bool {
        self.word_counts.is_empty()
    }

    /// The texts, in their order; or what is wrong with the lists: planes of another length than
    /// the words counted, or a number beyond the vocabulary.
    pub fn texts(&self) -> Result<Vec<String>, String> {
        let total: u64 = self.word_counts.iter().map(|&count| u64::from(count)).sum();
        if self.planes.len() > MAX_PLANES {
            return Err(format!(
                "{} planes of word numbers, at most {MAX_PLANES}",
                self.planes.len()
            ));
        }
        if let Some((plane, bytes)) = (self.planes.iter().enumerate())
            .find(|(_, plane)| plane.len() as u64 != total)
            .map(|(plane, bytes)| (plane, bytes.len()))
        {
            return Err(format!(
                "plane {plane} of word numbers has {bytes} bytes for {total} words"
            ));
        }
        let vocabulary: Vec<&str> = self.vocabulary.split(' ').collect();
        let mut texts = Vec::with_capacity(self.word_counts.len());
        let mut at = 0;
        for (text, &count) in self.word_counts.iter().enumerate() {
            let mut written = String::new();
            for (nth, word) in (at..at + count as usize).enumerate() {
                let mut bytes = [0; MAX_PLANES];
                for (byte, plane) in bytes.iter_mut().zip(&self.planes) {
                    *byte = plane[word];
                }
                let number = u32::from_le_bytes(bytes);
                let Some(word) = vocabulary.get(number as usize) else {
                    return Err(format!(
                        "text {text}: word number {number} of a vocabulary of {}",
                        vocabulary.len()
                    ));
                };
                if nth > 0 {
                    written.push(' ');
                }
                written.push_str(word);
            }
            at += count as usize;
            texts.push(written);
        }
        Ok(texts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_words_have_the_small_numbers_and_one_plane_holds_a_small_vocabulary() {
        let coded = WordCoded::new(["b a", "a", "c a b"]);
        assert_eq!(coded.vocabulary, "a b c");
        assert_eq!(coded.word_counts, [2, 1, 3]);
        assert_eq!(coded.planes, [vec![1, 0, 0, 2, 0, 1]]);
        // One word needs no plane at all; 257 words need two.
        assert!(WordCoded::new(["x", "x x"]).planes.is_empty());
        let many: Vec<String> = (0..257).map(|n| format!("w{n}")).collect();
        let coded = WordCoded::new(many.iter().map(String::as_str));
        assert_eq!(coded.planes.len(), 2);
        assert_eq!(coded.texts().unwrap(), many);
    }

    #[test]
    fn white_space_reads_back_exactly() {
        let texts = [
            "",
            " ",
            "  a ",
            "a\tb",
            "caf\u{e9} \u{7f8e}\u{5473}\u{3057}\u{3044}",
        ];
        let coded = WordCoded::new(texts);
        assert_eq!(coded.len(), 5);
        assert_eq!(coded.texts().unwrap(), texts);
        assert!(WordCoded::new([]).texts().unwrap().is_empty());
    }

    #[test]
    fn lists_that_disagree_are_an_error_not_a_panic() {
        let mut short = WordCoded::new(["a b", "c"]);
        short.planes[0].pop();
        assert_eq!(
            short.texts().unwrap_err(),
            "plane 0 of word numbers has 2 bytes for 3 words"
        );
        let mut beyond = WordCoded::new(["a b", "c"]);
        beyond.planes[0][2] = 9;
        assert_eq!(
            beyond.texts().unwrap_err(),
            "text 1: word number 9 of a vocabulary of 3"
        );
        let mut wide = WordCoded::new(["a b"]);
        wide.planes = vec![ByteBuf::from(vec![0, 0]); 5];
        assert!(wide.texts().unwrap_err().contains("at most 4"));
    }

    #[test]
    fn planes_are_written_as_a_list_of_bytes_would_be() {
        // Bundles hold the planes as postcard writes a `Vec<Vec<u8>>`: the two must stay alike.
        #[derive(Serialize)]
        struct AsLists<'a> {
            vocabulary: &'a str,
            word_counts: &'a [u32],
            planes: Vec<Vec<u8>>,
        }
        let many: Vec<String> = (0..300).map(|n| format!("w{n}")).collect();
        let coded = WordCoded::new(many.iter().map(String::as_str));
        let lists = AsLists {
            vocabulary: &coded.vocabulary,
            word_counts: &coded.word_counts,
            planes: coded.planes.iter().map(|plane| plane.to_vec()).collect(),
        };
        let bytes = postcard::to_stdvec(&coded).unwrap();
        assert_eq!(bytes, postcard::to_stdvec(&lists).unwrap());
        assert_eq!(postcard::from_bytes::<WordCoded>(&bytes).unwrap(), coded);
    }

    proptest! {
        #[test]
        fn any_texts_read_back_exactly(texts in prop::collection::vec("[ a-c\u{e9}]{0,6}", 0..40)) {
            let coded = WordCoded::new(texts.iter().map(String::as_str));
            prop_assert_eq!(coded.texts().unwrap(), texts);
        }
    }
}
