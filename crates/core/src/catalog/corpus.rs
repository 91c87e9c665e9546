//! Tokenised product texts: the vocabulary and per-document term counts that both the TF-IDF
//! [`ContentIndex`](crate::catalog::content::ContentIndex) and the BM25
//! [`SearchIndex`](crate::catalog::search::SearchIndex) are built from.

use std::collections::HashMap;

use crate::catalog::language::Language;
use crate::catalog::text::tokens;

/// Texts as term ids with counts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Corpus {
    /// Each term, by id (ids are given in order of first appearance).
    pub terms: Vec<String>,
    /// Per document: (term id, occurrences), sorted by term id.
    pub documents: Vec<Vec<(u32, u32)>>,
    /// How the texts were read, for reading queries the same way.
    pub language: Language,
}

impl Corpus {
    /// Tokenises each text with [`tokens`], read as `language`.
    pub fn build<'a>(texts: impl IntoIterator<Item = &'a str>, language: Language) -> Self {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut terms = Vec::new();
        let documents = texts
            .into_iter()
            .map(|text| {
                let mut counts: HashMap<u32, u32> = HashMap::new();
                for token in tokens(text, language) {
                    let term = *vocabulary.entry(token.clone()).or_insert_with(|| {
                        terms.push(token);
                        terms.len() as u32 - 1
                    });
                    *counts.entry(term).or_insert(0) += 1;
                }
                let mut counts: Vec<(u32, u32)> = counts.into_iter().collect();
                counts.sort_unstable();
                counts
            })
            .collect();
        Self {
            terms,
            documents,
            language,
        }
    }

    /// In how many documents each term occurs.
    pub fn document_frequency(&self) -> Vec<u32> {
        let mut frequency = vec![0u32; self.terms.len()];
        for document in &self.documents {
            for &(term, _) in document {
                frequency[term as usize] += 1;
            }
        }
        frequency
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_terms_per_document() {
        let corpus = Corpus::build(["RED LANTERNS, RED", "LANTERN"], Language::English);
        assert_eq!(corpus.terms, ["red", "lantern"]);
        assert_eq!(corpus.documents, [vec![(0, 2), (1, 1)], vec![(1, 1)]]);
        assert_eq!(corpus.document_frequency(), [1, 2]);
    }
}
