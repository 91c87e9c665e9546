//! The shop's language, as far as reading product text goes: which words are too common to say
//! anything about a product, and how a plural meets its singular, so that a search for
//! `Kerzen` finds `Kerze` and one for `lanterns` finds `lantern`.
//!
//! The language comes from the shop's locale (`aisle build --locale de-DE`, kept in the bundle),
//! so the catalog's texts and the shopper's queries are always read by the same rules. Text in
//! Chinese, Japanese or Korean script is read the same way whatever the language: it has no
//! spaces between words, so it is cut into overlapping pairs of characters (and the characters
//! themselves), as search engines without a dictionary do (Lucene's CJK analyzer). A
//! dictionary segmenter would find words more exactly, but its dictionary (megabytes) would not
//! fit the store's download, and pairs find a word wherever it stands.
//!
//! ```
//! use aisle_core::catalog::language::Language;
//! assert_eq!(Language::of_locale(Some("de-AT")), Language::German);
//! assert_eq!(Language::of_locale(Some("zh-Hans-CN")), Language::Chinese);
//! assert_eq!(Language::of_locale(None), Language::English);
//! ```

/// How a shop's product texts and its shoppers' queries are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// English stop words; plurals in `s`, `es` and `ies` meet their singular. A shop that
    /// names no locale is read as English.
    #[default]
    English,
    /// German stop words; umlauts folded (`Gläser` meets `Glas`) and the common plural and
    /// case endings removed (`Kerzen`, `Kerze`).
    German,
    /// Chinese: words in Latin letters (brand names, model numbers) are kept as written, in
    /// lower case; the Chinese text itself is read by character pairs.
    Chinese,
    /// Any other language: words are kept as written, in lower case, with no stop words.
    Other,
}

/// The language subtag of a BCP 47 tag (`de` of `de-AT`), as written.
pub fn primary_subtag(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or("")
}

impl Language {
    /// The language of a BCP 47 tag (`de-DE`, `zh-CN`), by its first subtag.
    pub fn of_locale(locale: Option<&str>) -> Self {
        let Some(locale) = locale else {
            return Self::English;
        };
        match primary_subtag(locale).to_ascii_lowercase().as_str() {
            "en" => Self::English,
            "de" => Self::German,
            "zh" => Self::Chinese,
            _ => Self::Other,
        }
    }

    /// Words too common in product texts to say anything about a product.
    fn stop_words(self) -> &'static [&'static str] {
        match self {
            Self::English => &[
                "a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with", "set",
                "design",
            ],
            Self::German => &[
                "am", "an", "auf", "aus", "das", "dem", "den", "der", "des", "die", "ein", "eine",
                "einem", "einen", "einer", "eines", "für", "im", "in", "mit", "oder", "set", "und",
                "von", "vom", "zu", "zum", "zur",
            ],
            Self::Chinese | Self::Other => &[],
        }
    }

    /// `word` (lower case) as the form its plurals and singular share.
    fn stem(self, word: &str) -> String {
        match self {
            Self::English => english_singular(word),
            Self::German => german_stem(word),
            Self::Chinese | Self::Other => word.to_owned(),
        }
    }

    /// The comparable form of one word (lower case, of at least two characters), or `None` for
    /// a stop word.
    pub(crate) fn word(self, lower: &str) -> Option<String> {
        let stem = self.stem(lower);
        (!self.stop_words().contains(&stem.as_str()) && !self.stop_words().contains(&lower))
            .then_some(stem)
    }
}

/// A light stemmer for English plurals, enough for product nouns (`holders`, `boxes`, `candies`)
/// without touching words that merely end in `s` (`glass`, `dress`, `bus`).
fn english_singular(word: &str) -> String {
    let long = word.chars().count() > 3;
    if long && word.ends_with("ies") {
        format!("{}y", &word[..word.len() - 3])
    } else if long && (word.ends_with("xes") || word.ends_with("ches") || word.ends_with("shes")) {
        word[..word.len() - 2].to_owned()
    } else if long && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") {
        word[..word.len() - 1].to_owned()
    } else {
        word.to_owned()
    }
}

/// A light German stemmer in the manner of Savoy's (the umlauts folded, then one plural or case
/// ending removed from words long enough to keep a stem of four letters): `Kerzen`, `Kerze` ->
/// `kerz`; `Gläser`, `Glas` -> `glas`; `Bechern`, `Becher` -> `bech`. Both sides of a search go
/// through it, so a stem need only be shared, not be a word.
fn german_stem(word: &str) -> String {
    let folded: String = word
        .chars()
        .flat_map(|c| match c {
            'ä' => ['a', '\0'],
            'ö' => ['o', '\0'],
            'ü' => ['u', '\0'],
            'ß' => ['s', 's'],
            other => [other, '\0'],
        })
        .filter(|&c| c != '\0')
        .collect();
    for ending in ["ern", "em", "en", "er", "es", "e", "n", "s"] {
        if let Some(stem) = folded.strip_suffix(ending)
            && stem.chars().count() >= 4
        {
            return stem.to_owned();
        }
    }
    folded
}

/// Is `c` written in a script without spaces between words (Chinese characters, Japanese kana,
/// Korean hangul)?
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{2FA1F}' // CJK extensions B to F, compatibility supplement
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_their_language() {
        assert_eq!(Language::of_locale(Some("en-GB")), Language::English);
        assert_eq!(Language::of_locale(Some("DE")), Language::German);
        assert_eq!(Language::of_locale(Some("zh_TW")), Language::Chinese);
        assert_eq!(Language::of_locale(Some("fr-FR")), Language::Other);
        assert_eq!(Language::of_locale(Some("")), Language::Other);
    }

    #[test]
    fn german_plurals_and_cases_meet_their_singular() {
        for (plural, singular) in [
            ("kerzen", "kerze"),
            ("gläser", "glas"),
            ("bechern", "becher"),
            ("laternen", "laterne"),
            ("tassen", "tasse"),
            ("teller", "teller"),
        ] {
            assert_eq!(
                german_stem(plural),
                german_stem(singular),
                "{plural} / {singular}"
            );
        }
        // Short words keep their ending: `Tee` (tea) is not `Te`.
        assert_eq!(german_stem("tee"), "tee");
        assert_eq!(german_stem("straße"), "strass");
    }

    #[test]
    fn stop_words_are_the_languages_own() {
        assert_eq!(Language::English.word("the"), None);
        assert_eq!(Language::German.word("the"), Some("the".into()));
        assert_eq!(Language::German.word("und"), None);
        assert_eq!(Language::German.word("für"), None);
        assert_eq!(Language::Other.word("und"), Some("und".into()));
    }
}
