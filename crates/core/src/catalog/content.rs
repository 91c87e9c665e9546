//! Content similarity: TF-IDF vectors of product titles, compared by cosine.
//!
//! Built in the browser from the catalog (a few milliseconds for the demo store), so it costs
//! nothing to download. It lets the store relate a product to others that nobody has yet bought
//! together, which is what a new shopper's first few views need.
//!
//! ```
//! use aisle_core::catalog::content::ContentIndex;
//! use aisle_core::catalog::language::Language;
//! let texts = ["WHITE METAL LANTERN", "RED METAL LANTERN", "TEA CUP"];
//! let index = ContentIndex::build(texts, Language::English);
//! let mut scores = vec![0.0; 3];
//! index.add_similar(0, 1.0, &mut scores);
//! assert!(scores[1] > 0.0 && scores[2] == 0.0);
//! ```

use crate::catalog::corpus::Corpus;
use crate::catalog::language::Language;
use crate::math::similarity::cosine_sparse;

/// Sparse, L2-normalised TF-IDF vectors, one per item, with an inverted index for fast
/// item-to-all-items similarity.
#[derive(Debug, Clone, Default)]
pub struct ContentIndex {
    /// Per item: (term, weight) with the weights of one item having unit length.
    item_terms: Vec<Vec<(u32, f32)>>,
    /// Per term: (item, weight), the same weights seen from the term's side.
    postings: Vec<Vec<(u32, f32)>>,
}

impl ContentIndex {
    /// Indexes one text per item, in catalog order, read as `language`.
    pub fn build<'a>(texts: impl IntoIterator<Item = &'a str>, language: Language) -> Self {
        Self::from_corpus(&Corpus::build(texts, language))
    }

    /// Indexes each product's [`Product::text`](crate::catalog::Product::text), in catalog
    /// order, read as `language`.
    pub fn of_catalog(catalog: &crate::catalog::Catalog, language: Language) -> Self {
        let texts: Vec<_> = catalog.products().iter().map(|p| p.text()).collect();
        Self::build(texts.iter().map(AsRef::as_ref), language)
    }

    /// Indexes already tokenised texts (so search and content similarity tokenise once).
    pub(crate) fn from_corpus(corpus: &Corpus) -> Self {
        let items = corpus.documents.len() as f32;
        let idf: Vec<f32> = corpus
            .document_frequency()
            .iter()
            .map(|&df| ((1.0 + items) / (1.0 + df as f32)).ln() + 1.0)
            .collect();

        let mut postings = vec![Vec::new(); corpus.terms.len()];
        let item_terms = corpus
            .documents
            .iter()
            .enumerate()
            .map(|(item, counts)| {
                let mut weights: Vec<(u32, f32)> = counts
                    .iter()
                    .map(|&(term, count)| (term, count as f32 * idf[term as usize]))
                    .collect();
                let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                for (term, weight) in &mut weights {
                    *weight /= norm;
                    postings[*term as usize].push((item as u32, *weight));
                }
                weights
            })
            .collect();
        Self {
            item_terms,
            postings,
        }
    }

    /// Number of items indexed.
    pub fn len(&self) -> usize {
        self.item_terms.len()
    }

    /// True when no item is indexed.
    pub fn is_empty(&self) -> bool {
        self.item_terms.is_empty()
    }

    /// Adds `weight * cosine(item, other)` to `scores[other]` for every item sharing a term with
    /// `item` (including `item` itself, with cosine 1). `scores` has one slot per item.
    pub fn add_similar(&self, item: usize, weight: f32, scores: &mut [f32]) {
        let Some(terms) = self.item_terms.get(item) else {
            return;
        };
        for &(term, item_weight) in terms {
            for &(other, other_weight) in &self.postings[term as usize] {
                scores[other as usize] += weight * item_weight * other_weight;
            }
        }
    }

    /// [`ContentIndex::add_similar`] without `item` itself: what its look-alikes get. A product
    /// is not its own look-alike; whether to buy it again is another question.
    pub fn add_similar_to_others(&self, item: usize, weight: f32, scores: &mut [f32]) {
        let Some(own) = scores.get(item).copied() else {
            return;
        };
        self.add_similar(item, weight, scores);
        scores[item] = own;
    }

    /// Cosine similarity of two items' title vectors, in [0, 1].
    pub fn cosine(&self, a: usize, b: usize) -> f32 {
        match (self.item_terms.get(a), self.item_terms.get(b)) {
            (Some(a), Some(b)) => cosine_sparse(a, b),
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_matches_a_hand_computed_value() {
        // Three items: "lantern white", "lantern red", "cup". N = 3.
        // idf(lantern) = ln(4/3) + 1, idf(white) = idf(red) = idf(cup) = ln(4/2) + 1.
        let index = ContentIndex::build(["WHITE LANTERN", "RED LANTERN", "CUP"], Language::English);
        let shared = (4.0f32 / 3.0).ln() + 1.0;
        let own = 2.0f32.ln() + 1.0;
        let expected = shared * shared / (shared * shared + own * own);
        assert!((index.cosine(0, 1) - expected).abs() < 1e-6);
        assert!((index.cosine(0, 0) - 1.0).abs() < 1e-6);
        assert_eq!(index.cosine(0, 2), 0.0);
    }

    #[test]
    fn add_similar_accumulates_weighted_cosines() {
        let index = ContentIndex::build(["WHITE LANTERN", "RED LANTERN", "CUP"], Language::English);
        let mut scores = vec![0.0; 3];
        index.add_similar(0, 2.0, &mut scores);
        assert!((scores[0] - 2.0).abs() < 1e-6);
        assert!((scores[1] - 2.0 * index.cosine(0, 1)).abs() < 1e-6);
        assert_eq!(scores[2], 0.0);
    }

    #[test]
    fn look_alikes_leave_the_item_itself_as_it_was() {
        let index = ContentIndex::build(["WHITE LANTERN", "RED LANTERN", "CUP"], Language::English);
        let mut scores = vec![0.5; 3];
        index.add_similar_to_others(0, 2.0, &mut scores);
        assert_eq!(scores[0], 0.5);
        assert!((scores[1] - (0.5 + 2.0 * index.cosine(0, 1))).abs() < 1e-6);
        index.add_similar_to_others(7, 1.0, &mut scores); // outside the catalog: nothing
    }

    #[test]
    fn items_without_tokens_have_no_neighbours() {
        let index = ContentIndex::build(["", "LANTERN"], Language::English);
        let mut scores = vec![0.0; 2];
        index.add_similar(0, 1.0, &mut scores);
        assert_eq!(scores, [0.0, 0.0]);
        assert_eq!(index.cosine(0, 1), 0.0);
    }
}
