//! Catalog search: BM25 over product titles, forgiving of plurals and small typos.
//!
//! Queries and titles go through the same [`tokens`], read in the shop's [`Language`], so
//! "lanterns" and "LANTERN" meet as `lantern`, and "茶杯" finds "陶瓷茶杯". A query word that
//! is no term of the catalog is matched to the terms within a small edit distance instead (one edit for words of 4 to 7 letters, two from 8;
//! a swap of neighbouring letters is one edit), at a discount per edit, so "lantren" still finds
//! lanterns while an exact word always ranks above a guessed one.
//!
//! ```
//! use aisle_core::catalog::language::Language;
//! use aisle_core::catalog::search::SearchIndex;
//! let index = SearchIndex::build(["WHITE METAL LANTERN", "RED LANTERNS", "TEA CUP"], Language::English);
//! let hits: Vec<usize> = index.search("lantren").iter().map(|hit| hit.0).collect();
//! assert_eq!(hits.len(), 2);
//! assert!(index.search("teacup").is_empty());
//! ```

use std::collections::HashMap;

use crate::catalog::corpus::Corpus;
use crate::catalog::language::Language;
use crate::catalog::text::tokens;

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation.
const B: f32 = 0.75;
/// A typo-matched term's score is multiplied by this once per edit.
const TYPO_DISCOUNT: f32 = 0.6;

/// An inverted index of product texts for keyword search.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    language: Language,
    items: usize,
    terms: Vec<String>,
    vocabulary: HashMap<String, u32>,
    /// Per term: (item, BM25 weight of the term in that item).
    postings: Vec<Vec<(u32, f32)>>,
}

impl SearchIndex {
    /// Indexes one text per item, in catalog order, read as `language`.
    pub fn build<'a>(texts: impl IntoIterator<Item = &'a str>, language: Language) -> Self {
        Self::from_corpus(&Corpus::build(texts, language))
    }

    /// Indexes already tokenised texts (so search and content similarity tokenise once).
    pub(crate) fn from_corpus(corpus: &Corpus) -> Self {
        let documents = corpus.documents.len() as f32;
        let lengths: Vec<f32> = corpus
            .documents
            .iter()
            .map(|document| document.iter().map(|&(_, count)| count as f32).sum())
            .collect();
        let mean_length = (lengths.iter().sum::<f32>() / documents.max(1.0)).max(1.0);
        let idf: Vec<f32> = corpus
            .document_frequency()
            .iter()
            .map(|&df| (1.0 + (documents - df as f32 + 0.5) / (df as f32 + 0.5)).ln())
            .collect();
        let mut postings = vec![Vec::new(); corpus.terms.len()];
        for (item, document) in corpus.documents.iter().enumerate() {
            let length_norm = 1.0 - B + B * lengths[item] / mean_length;
            for &(term, count) in document {
                let tf = count as f32;
                let weight = idf[term as usize] * tf * (K1 + 1.0) / (tf + K1 * length_norm);
                postings[term as usize].push((item as u32, weight));
            }
        }
        let vocabulary = corpus
            .terms
            .iter()
            .enumerate()
            .map(|(id, term)| (term.clone(), id as u32))
            .collect();
        Self {
            language: corpus.language,
            items: corpus.documents.len(),
            terms: corpus.terms.clone(),
            vocabulary,
            postings,
        }
    }

    /// The catalog terms a query word stands for, with the factor each one's score is taken
    /// at: the word itself when the catalog has it, else its near misses.
    fn expand(&self, word: &str) -> Vec<(u32, f32)> {
        if let Some(&term) = self.vocabulary.get(word) {
            return vec![(term, 1.0)];
        }
        let allowed = match word.chars().count() {
            0..=3 => return Vec::new(),
            4..=7 => 1,
            _ => 2,
        };
        self.terms
            .iter()
            .enumerate()
            .filter_map(|(term, candidate)| {
                let edits = strsim::damerau_levenshtein(word, candidate);
                (edits <= allowed).then(|| (term as u32, TYPO_DISCOUNT.powi(edits as i32)))
            })
            .collect()
    }

    /// Adds each item's score for `query` to `scores` (one slot per item), times `weight`.
    /// Returns whether any query word matched anything.
    pub fn add_scores(&self, query: &str, weight: f32, scores: &mut [f32]) -> bool {
        let mut matched = false;
        for word in tokens(query, self.language) {
            // A word matching several near-miss terms in one title counts its best one only.
            let mut best: HashMap<u32, f32> = HashMap::new();
            for (term, factor) in self.expand(&word) {
                for &(item, bm25) in &self.postings[term as usize] {
                    let score = best.entry(item).or_insert(0.0);
                    *score = score.max(factor * bm25);
                }
            }
            matched |= !best.is_empty();
            for (item, score) in best {
                scores[item as usize] += weight * score;
            }
        }
        matched
    }

    /// Items matching `query`, best first, as (catalog position, score); ties keep catalog
    /// order. Empty when nothing matches.
    pub fn search(&self, query: &str) -> Vec<(usize, f32)> {
        let mut scores = vec![0.0; self.items];
        self.add_scores(query, 1.0, &mut scores);
        let mut hits: Vec<(usize, f32)> = scores
            .into_iter()
            .enumerate()
            .filter(|&(_, score)| score > 0.0)
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex {
        SearchIndex::build(
            [
                "WHITE METAL LANTERN",
                "RED LANTERNS",
                "TEA CUP",
                "CAKE STAND",
                "LANTERN",
                "PHONE CASE",
            ],
            Language::English,
        )
    }

    fn hits(index: &SearchIndex, query: &str) -> Vec<usize> {
        index.search(query).iter().map(|hit| hit.0).collect()
    }

    #[test]
    fn chinese_titles_are_found_by_any_word_in_them() {
        let index = SearchIndex::build(
            ["白色金属灯笼", "陶瓷茶杯", "红色茶壶", "蛋糕架"],
            Language::Chinese,
        );
        assert_eq!(hits(&index, "灯笼"), [0]);
        // "茶" (tea) is in the cup and the pot; the pair "茶杯" (teacup) puts the cup first.
        assert_eq!(hits(&index, "茶杯"), [1, 2]);
        assert_eq!(hits(&index, "茶").len(), 2);
        assert_eq!(hits(&index, "陶瓷 茶杯")[0], 1);
        assert!(hits(&index, "手机壳").is_empty());
    }

    #[test]
    fn german_queries_meet_plurals_and_umlauts() {
        let index = SearchIndex::build(
            ["Weiße Laterne aus Metall", "Sechs Gläser", "Kerzenhalter"],
            Language::German,
        );
        assert_eq!(hits(&index, "laternen"), [0]);
        assert_eq!(hits(&index, "Glas"), [1]);
    }

    #[test]
    fn bm25_matches_a_hand_computed_value() {
        // "tea" occurs once in document 2 (length 2) of 6 with mean length 12 / 6.
        let idf = (1.0f32 + (6.0 - 1.0 + 0.5) / (1.0 + 0.5)).ln();
        let norm = 1.0 - B + B * 2.0 / (12.0 / 6.0);
        let expected = idf * (K1 + 1.0) / (1.0 + K1 * norm);
        let hits = index().search("tea");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, 2);
        assert!((hits[0].1 - expected).abs() < 1e-6);
    }

    #[test]
    fn plurals_and_case_meet() {
        let hits: Vec<usize> = index().search("Lanterns").iter().map(|h| h.0).collect();
        // The shortest title ranks first (BM25 length normalisation).
        assert_eq!(hits, [4, 1, 0]);
    }

    #[test]
    fn typos_find_their_word_at_a_discount() {
        let index = index();
        let exact = index.search("lantern");
        let typo = index.search("lantren");
        assert_eq!(
            exact.iter().map(|h| h.0).collect::<Vec<_>>(),
            typo.iter().map(|h| h.0).collect::<Vec<_>>()
        );
        assert!((typo[0].1 - exact[0].1 * TYPO_DISCOUNT).abs() < 1e-6);
        // Too short to guess, and too far off.
        assert!(index.search("tae").is_empty());
        assert!(index.search("lnatren").is_empty());
    }

    #[test]
    fn an_exact_word_is_not_blurred_into_its_neighbours() {
        // "cake" is a catalog word, so "case" (one edit away) is not searched for.
        let hits = index().search("cake");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, 3);
    }

    #[test]
    fn every_word_adds_its_score() {
        let hits: Vec<usize> = index().search("red lantern").iter().map(|h| h.0).collect();
        assert_eq!(hits[0], 1);
        assert!(index().search("").is_empty());
    }
}
