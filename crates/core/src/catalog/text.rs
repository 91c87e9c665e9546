//! Product text: readable titles from SHOUTING descriptions, and the tokens that content
//! similarity and search compare, read by the shop's [`Language`].
//!
//! ```
//! use aisle_core::catalog::language::Language;
//! use aisle_core::catalog::text::{readable_title, tokens};
//! assert_eq!(readable_title("SET OF 3 CAKE TINS PANTRY DESIGN"), "Set of 3 Cake Tins Pantry Design");
//! assert_eq!(tokens("WHITE METAL LANTERNS", Language::English), ["white", "metal", "lantern"]);
//! assert_eq!(tokens("白色灯笼", Language::Chinese), ["白", "白色", "色", "色灯", "灯", "灯笼", "笼"]);
//! ```

use crate::catalog::language::{Language, is_cjk};

/// Words kept in lower case inside a title, as a copy editor would.
const MINOR_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "with",
];

/// Turns an upper-case description into title case: each run of letters capitalised, minor words
/// lower case (except first), letters after an apostrophe lower case (`DOLLY'S` -> `Dolly's`).
pub fn readable_title(description: &str) -> String {
    description
        .split_whitespace()
        .enumerate()
        .map(|(position, word)| {
            let lower = word.to_lowercase();
            if position > 0 && MINOR_WORDS.contains(&lower.as_str()) {
                return lower;
            }
            let mut title = String::with_capacity(lower.len());
            let mut previous: Option<char> = None;
            for c in lower.chars() {
                let starts_run = previous.is_none_or(|p| !p.is_alphabetic() && p != '\'');
                if starts_run {
                    title.extend(c.to_uppercase());
                } else {
                    title.push(c);
                }
                previous = Some(c);
            }
            title
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits text into comparable tokens: runs of letters and digits of two or more characters,
/// in lower case, as `language` reads a word (stop words dropped, plurals meeting their
/// singular), and text in Chinese, Japanese or Korean script as each character and each pair
/// of neighbouring characters (see [`crate::catalog::language`]).
pub fn tokens(text: &str, language: Language) -> Vec<String> {
    let mut found = Vec::new();
    let mut word = String::new();
    let mut characters: Vec<char> = Vec::new();
    // A trailing space ends the last run.
    for c in text.chars().chain([' ']) {
        if is_cjk(c) {
            end_word(&mut word, language, &mut found);
            characters.push(c);
            continue;
        }
        push_characters_and_pairs(&characters, &mut found);
        characters.clear();
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            end_word(&mut word, language, &mut found);
        }
    }
    found
}

/// Adds `word` as `language` reads it (when it has two characters or more) and empties it.
fn end_word(word: &mut String, language: Language, found: &mut Vec<String>) {
    if word.chars().count() >= 2 {
        found.extend(language.word(&word.to_lowercase()));
    }
    word.clear();
}

/// Each of `run`'s characters, each followed by the pair it starts: `白色灯` gives `白`, `白色`,
/// `色`, `色灯`, `灯`.
fn push_characters_and_pairs(run: &[char], found: &mut Vec<String>) {
    for (position, &c) in run.iter().enumerate() {
        found.push(c.to_string());
        if let Some(&next) = run.get(position + 1) {
            found.push([c, next].iter().collect());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_read_like_a_shop_would_write_them() {
        assert_eq!(
            readable_title("WHITE HANGING HEART T-LIGHT HOLDER"),
            "White Hanging Heart T-Light Holder"
        );
        assert_eq!(
            readable_title("DOLLY GIRL'S  LUNCH BOX"),
            "Dolly Girl's Lunch Box"
        );
        assert_eq!(
            readable_title("SET/6 RED SPOTTY PAPER CUPS"),
            "Set/6 Red Spotty Paper Cups"
        );
        assert_eq!(readable_title("OF MICE AND MEN"), "Of Mice and Men");
        assert_eq!(readable_title(""), "");
    }

    fn english(text: &str) -> Vec<String> {
        tokens(text, Language::English)
    }

    #[test]
    fn tokens_meet_across_plurals_and_case() {
        assert_eq!(
            english("WHITE METAL LANTERN"),
            ["white", "metal", "lantern"]
        );
        assert_eq!(english("lanterns"), ["lantern"]);
        assert_eq!(english("SET OF 3 GLASS BOXES"), ["glass", "box"]);
        assert_eq!(
            english("JAM MAKING SET WITH JARS, CANDIES & DRESS"),
            ["jam", "making", "jar", "candy", "dress"]
        );
        assert_eq!(english("T-LIGHT HOLDER"), ["light", "holder"]);
    }

    #[test]
    fn german_words_meet_across_plurals_umlauts_and_stop_words() {
        assert_eq!(
            tokens("Set mit 6 Gläsern und Kerzen", Language::German),
            tokens("Glas Kerze", Language::German)
        );
    }

    #[test]
    fn chinese_is_read_by_characters_and_pairs_beside_latin_words() {
        assert_eq!(
            tokens("LED白色灯笼, 2个", Language::Chinese),
            ["led", "白", "白色", "色", "色灯", "灯", "灯笼", "笼", "个"]
        );
        // A one-character query meets every title that has the character.
        assert!(tokens("陶瓷茶杯", Language::Chinese).contains(&"茶".to_owned()));
        // Japanese kana and Korean hangul are cut the same way, in any shop's language.
        assert_eq!(
            tokens("カップ", Language::English),
            ["カ", "カッ", "ッ", "ップ", "プ"]
        );
    }
}
