//! Product text: readable titles from SHOUTING descriptions, and the tokens that content
//! similarity and search compare.
//!
//! ```
//! use aisle_core::catalog::text::{readable_title, tokens};
//! assert_eq!(readable_title("SET OF 3 CAKE TINS PANTRY DESIGN"), "Set of 3 Cake Tins Pantry Design");
//! assert_eq!(tokens("WHITE METAL LANTERNS"), ["white", "metal", "lantern"]);
//! ```

/// Words kept in lower case inside a title, as a copy editor would.
const MINOR_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "for", "in", "of", "on", "or", "the", "to", "with",
];

/// Words too common in this catalog's descriptions to say anything about an item.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with", "set", "design",
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

/// Splits text into comparable tokens: lower case, alphanumeric runs of two or more characters,
/// stop words dropped, and a plural `s` removed so `LANTERNS` and `lantern` meet.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= 2)
        .map(|word| singular(&word.to_lowercase()))
        .filter(|word| !STOP_WORDS.contains(&word.as_str()))
        .collect()
}

/// A light stemmer for English plurals, enough for product nouns (`holders`, `boxes`, `candies`)
/// without touching words that merely end in `s` (`glass`, `dress`, `bus`).
fn singular(word: &str) -> String {
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

    #[test]
    fn tokens_meet_across_plurals_and_case() {
        assert_eq!(tokens("WHITE METAL LANTERN"), ["white", "metal", "lantern"]);
        assert_eq!(tokens("lanterns"), ["lantern"]);
        assert_eq!(tokens("SET OF 3 GLASS BOXES"), ["glass", "box"]);
        assert_eq!(
            tokens("JAM MAKING SET WITH JARS, CANDIES & DRESS"),
            ["jam", "making", "jar", "candy", "dress"]
        );
        assert_eq!(tokens("T-LIGHT HOLDER"), ["light", "holder"]);
    }
}
