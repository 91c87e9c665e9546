//! The store's own words (shelf titles, buttons, the privacy center, the reasons behind a
//! recommendation) as data, one file per language, checked as a whole when read so the store
//! never meets a key it cannot fill.
//!
//! Aisle's own are in `crates/core/ui/`: `en.txt`, which the store carries as its fallback and
//! which names every key, and translations (`de.txt`, `zh-CN.txt`) that `aisle build` ships in
//! the bundle of a shop whose locale is in their language ([`UiTexts::built_in`]); a shop may
//! ship its own (`aisle build --ui-texts FILE`). The store's download does not grow with every
//! language Aisle speaks, as for the copy templates ([`crate::serve::copy`]).
//!
//! A line is `key = text`; `#` starts a comment line. `{name}` in a text is a slot the store
//! fills. A key ending in a plural category of the Unicode rules (`.zero`, `.one`, `.two`,
//! `.few`, `.many`) is that form of the key before it, used when the browser's
//! `Intl.PluralRules` names that category for the count; the plain key is the `other` form,
//! so a language without plurals (Chinese) writes the plain key only.
//!
//! ```
//! use aisle_core::serve::ui_texts::UiTexts;
//! let english = UiTexts::english();
//! assert_eq!(english.get("shelf.for-you"), "For you");
//! assert_eq!(english.count("cart.placed", 1, "one", &[]), "Thank you: your order of 1 item is placed.");
//! assert_eq!(english.count("cart.placed", 3, "other", &[]), "Thank you: your order of 3 items is placed.");
//! let ours = english.text().replace("shelf.for-you = For you", "shelf.for-you = Picked for {name}");
//! let error = UiTexts::parse("ui.txt", &ours).unwrap_err();
//! assert!(error.to_string().starts_with("ui.txt: line "), "{error}");
//! assert!(error.to_string().ends_with("`shelf.for-you` has slot `{name}`, which the English text does not"), "{error}");
//! ```

use std::sync::LazyLock;

use crate::catalog::language::Language;
use crate::error::{Error, Result};

/// The plural categories a key may end in; the plain key is `other`.
const PLURAL_FORMS: [&str; 5] = ["zero", "one", "two", "few", "many"];

/// The built-in English texts.
static ENGLISH: LazyLock<UiTexts> = LazyLock::new(|| {
    UiTexts::reference("store", "ui/en.txt", include_str!("../../ui/en.txt"))
        .expect("the built-in texts are checked by this module's tests")
});

/// The store's texts in one language, read from text and checked against the English ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiTexts {
    /// The text they were read from, which a bundle ships as is.
    text: String,
    /// `(key, text)` in the file's order: a list searched from the start rather than a map,
    /// since the store and the JS package carry this code and a hundred-odd keys need neither
    /// hashing nor sorting (a page looks up a few dozen).
    texts: Vec<(String, String)>,
    /// The English texts that name every key and stand in for a key this language lacks;
    /// `None` for those English texts themselves.
    english: Option<&'static UiTexts>,
    /// What speaks these texts (`store`, `studio`), for the error naming a key it does not use.
    speaker: &'static str,
}

impl UiTexts {
    /// The built-in English texts: every key the store uses.
    pub fn english() -> &'static Self {
        &ENGLISH
    }

    /// Aisle's own texts in `language`, other than the English ones every store carries: what
    /// `aisle build` ships for a shop whose locale is in that language. `None` for English and
    /// for languages without a translation.
    pub fn built_in(language: Language) -> Option<Self> {
        let (name, text) = match language {
            Language::German => ("ui/de.txt", include_str!("../../ui/de.txt")),
            Language::Chinese => ("ui/zh-CN.txt", include_str!("../../ui/zh-CN.txt")),
            Language::English | Language::Other => return None,
        };
        Some(
            Self::parse(name, text).expect("the built-in texts are checked by this module's tests"),
        )
    }

    /// Reads a translation from `text`, refusing anything the store could not use: a line that
    /// is not `key = text`, a key the English texts do not have, a key given twice, a slot the
    /// English text of the key does not have, an unclosed brace, or a key left out. The error
    /// names `source_name`, the line and the column.
    pub fn parse(source_name: &str, text: &str) -> Result<Self> {
        Self::translation(source_name, text, Self::english(), true)
    }

    /// Reads a bundle's translation as [`UiTexts::parse`] does, but lets it lack keys: a bundle
    /// built before the store named a new text still speaks its language, with the new text in
    /// English ([`UiTexts::get`]). `aisle build` uses [`UiTexts::parse`], so a translation it
    /// ships is whole.
    pub fn parse_shipped(source_name: &str, text: &str) -> Result<Self> {
        Self::translation(source_name, text, Self::english(), false)
    }

    /// Reads English texts that name every key `speaker` (the store, the studio) uses.
    pub(crate) fn reference(speaker: &'static str, source_name: &str, text: &str) -> Result<Self> {
        Self::read(source_name, text, None, speaker, false)
    }

    /// Reads a translation of `english`, lacking none of its keys if `every_key`.
    pub(crate) fn translation(
        source_name: &str,
        text: &str,
        english: &'static UiTexts,
        every_key: bool,
    ) -> Result<Self> {
        Self::read(source_name, text, Some(english), english.speaker, every_key)
    }

    fn read(
        source_name: &str,
        text: &str,
        english: Option<&'static UiTexts>,
        speaker: &'static str,
        every_key: bool,
    ) -> Result<Self> {
        let fault = |at: String, message: String| Error::Templates {
            source_name: source_name.to_owned(),
            at,
            message,
        };
        let mut texts: Vec<(String, String)> = Vec::new();
        for (number, line) in (1..).zip(text.lines()) {
            let line = line.trim_end();
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let column = |offset: usize| line.len() - content.len() + offset + 1;
            let at = |offset: usize| format!("line {number}, column {}", column(offset));
            let Some(equals) = content.find('=') else {
                return Err(fault(at(0), "expected `key = text`".into()));
            };
            let key = content[..equals].trim();
            let after = &content[equals + 1..];
            let value = after.trim();
            let value_offset = equals + 1 + after.len() - after.trim_start().len();
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            {
                return Err(fault(
                    at(0),
                    format!("`{key}` is not a key: lower-case letters, digits, `.` and `-`"),
                ));
            }
            if value.is_empty() {
                return Err(fault(at(value_offset), format!("`{key}` has no text")));
            }
            let slots = slots(value).map_err(|offset| {
                fault(
                    at(value_offset + offset),
                    format!("`{key}` has a `{{` that is not closed"),
                )
            })?;
            if let Some(english) = english {
                let Some(reference) = english.find(key).or_else(|| english.find(base_key(key)))
                else {
                    return Err(fault(
                        at(0),
                        format!("`{key}` is not a key the {speaker} uses"),
                    ));
                };
                let allowed = self::slots(reference).unwrap_or_default();
                if let Some(slot) = slots.iter().find(|slot| !allowed.contains(slot)) {
                    return Err(fault(
                        at(value_offset + value.find(slot.as_str()).unwrap_or(0)),
                        format!("`{key}` has slot `{slot}`, which the English text does not"),
                    ));
                }
            }
            if texts.iter().any(|(known, _)| known == key) {
                return Err(fault(at(0), format!("`{key}` is given twice")));
            }
            texts.push((key.to_owned(), value.to_owned()));
        }
        let read = Self {
            text: text.to_owned(),
            texts,
            english,
            speaker,
        };
        if let Some(english) = english.filter(|_| every_key) {
            let missing: Vec<&String> = english
                .texts
                .iter()
                .map(|(key, _)| key)
                .filter(|key| base_key(key) == key.as_str() && read.find(key).is_none())
                .collect();
            if let Some(key) = missing.first() {
                let message = match missing.len() {
                    1 => format!("`{key}` is missing"),
                    n => format!("`{key}` and {} more keys are missing", n - 1),
                };
                return Err(fault("the end".into(), message));
            }
        }
        Ok(read)
    }

    /// The text they were read from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text of `key`, or the English one when this language lacks it, or the key itself
    /// when no text has it (a store newer than its translation).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.find(key)
            .or_else(|| self.english.and_then(|english| english.find(key)))
            .unwrap_or(key)
    }

    fn find(&self, key: &str) -> Option<&str> {
        self.texts
            .iter()
            .find(|(known, _)| known == key)
            .map(|(_, text)| text.as_str())
    }

    /// Whether these texts (not their English fallback) have `key`.
    pub fn has(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The text of `key` with each `{name}` replaced by its value in `slots`.
    pub fn fill(&self, key: &str, slots: &[(&str, &str)]) -> String {
        fill_slots(self.get(key), slots)
    }

    /// The form of `key` for `count` items, whose plural category (`Intl.PluralRules` in the
    /// browser: `one`, `few`, `other`, ...) is `category`: `key.<category>` when this language
    /// writes it, else `key`. The slots are filled from `slots`, and `{count}` with `count` unless
    /// `slots` writes it (grouped the reader's way, say).
    pub fn count(&self, key: &str, count: u64, category: &str, slots: &[(&str, &str)]) -> String {
        let form = format!("{key}.{category}");
        let text = self
            .find(&form)
            .or_else(|| self.find(key))
            .or_else(|| self.english.and_then(|english| english.find(&form)))
            .unwrap_or_else(|| self.get(key));
        let count = count.to_string();
        let mut all = slots.to_vec();
        all.push(("count", count.as_str()));
        fill_slots(text, &all)
    }
}

/// The text keys named in the Rust source under `dir` (relative to this crate): string literals
/// passed to `.t(`, `.fill(` or `.count(`, or given as a component's `notice=`, and the title
/// `shelf.<placement>` of each `placement="..."` a shelf is given, each with its file. A typo
/// in one would show the key itself to a person.
#[cfg(test)]
pub(crate) fn keys_named_in(dir: &str) -> Vec<(std::path::PathBuf, String)> {
    let mut named = Vec::new();
    let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(
                std::fs::read_dir(&path)
                    .unwrap()
                    .map(|entry| entry.unwrap().path()),
            );
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for (call, prefix) in [
            (".t(\"", ""),
            (".fill(\"", ""),
            (".count(\"", ""),
            ("notice=\"", ""),
            ("placement=\"", "shelf."),
        ] {
            for (at, _) in source.match_indices(call) {
                let key = &source[at + call.len()..];
                let key = &key[..key.find('"').unwrap()];
                named.push((path.clone(), format!("{prefix}{key}")));
            }
        }
    }
    named
}

/// The key a plural form belongs to (`cart.placed` for `cart.placed.one`), or the key itself.
fn base_key(key: &str) -> &str {
    match key.rsplit_once('.') {
        Some((base, form)) if PLURAL_FORMS.contains(&form) => base,
        _ => key,
    }
}

/// The `{slot}`s of `text`, braces included, or the offset of a `{` that is not closed.
fn slots(text: &str) -> std::result::Result<Vec<String>, usize> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let offset = text.len() - rest.len() + open;
        let Some(close) = rest[open..].find('}') else {
            return Err(offset);
        };
        found.push(rest[open..open + close + 1].to_owned());
        rest = &rest[open + close + 1..];
    }
    Ok(found)
}

fn fill_slots(text: &str, slots: &[(&str, &str)]) -> String {
    let mut filled = text.to_owned();
    for (name, value) in slots {
        filled = filled.replace(&format!("{{{name}}}"), value);
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_translations_read_and_cover_every_key() {
        assert!(UiTexts::english().texts.len() > 100);
        for language in [Language::German, Language::Chinese] {
            let texts = UiTexts::built_in(language).unwrap();
            for (key, _) in &UiTexts::english().texts {
                if base_key(key) != key {
                    continue;
                }
                assert!(texts.find(key).is_some(), "{language:?} lacks {key}");
            }
        }
        assert_eq!(UiTexts::built_in(Language::English), None);
        assert_eq!(UiTexts::built_in(Language::Other), None);
    }

    #[test]
    fn every_key_the_store_names_is_an_english_text() {
        let named = keys_named_in("../../src");
        assert!(
            named.len() > 50,
            "only {} texts found in the store's source",
            named.len()
        );
        // Keys the store builds: the names of segments (`segment_name_in`).
        for (_, key) in crate::segmentation::segments::SEGMENT_NAMES {
            assert!(
                UiTexts::english().has(&format!("segment.{key}")),
                "segment.{key}"
            );
        }
        for (path, key) in named {
            assert!(
                UiTexts::english().has(&key),
                "{}: `{key}` is not in ui/en.txt",
                path.display()
            );
        }
    }

    #[test]
    fn a_translation_falls_back_to_english_and_fills_slots() {
        let german = UiTexts::built_in(Language::German).unwrap();
        assert_eq!(german.get("shelf.for-you"), "Für dich");
        assert_eq!(
            german.fill("reason.viewed", &[("product", "Laterne")]),
            "Weil du Laterne angesehen hast"
        );
        assert_eq!(
            german.count("search.matches", 1, "one", &[("query", "tee")]),
            "1 Produkt passt zu „tee“"
        );
        assert_eq!(german.get("no.such-key"), "no.such-key");
        let chinese = UiTexts::built_in(Language::Chinese).unwrap();
        // Chinese writes no `.one` form: the plain key serves every count.
        assert_eq!(
            chinese.count("cart.placed", 1, "other", &[]),
            "谢谢！您的 1 件商品的订单已提交。"
        );
        assert_eq!(
            chinese.count("cart.placed", 1, "one", &[]),
            "谢谢！您的 1 件商品的订单已提交。"
        );
    }

    #[test]
    fn a_bundle_built_before_a_new_key_still_speaks_its_language() {
        let german = UiTexts::built_in(Language::German).unwrap();
        let older: String = german
            .text()
            .lines()
            .filter(|line| !line.starts_with("store.extras-unused ="))
            .map(|line| format!("{line}\n"))
            .collect();
        let error = UiTexts::parse("ui.txt", &older).unwrap_err().to_string();
        assert!(
            error.ends_with("`store.extras-unused` is missing"),
            "{error}"
        );
        let shipped = UiTexts::parse_shipped("ui.txt", &older).unwrap();
        assert_eq!(shipped.get("shelf.for-you"), "Für dich");
        assert_eq!(
            shipped.get("store.extras-unused"),
            UiTexts::english().get("store.extras-unused")
        );
        // Anything else wrong in it is refused as before.
        let broken = older.replace("shelf.for-you = Für dich", "shelf.for-you = Für {nom}");
        assert!(UiTexts::parse_shipped("ui.txt", &broken).is_err());
    }

    #[test]
    fn faults_are_named_by_line_and_column() {
        let german = include_str!("../../ui/de.txt");
        let fault = |text: &str| UiTexts::parse("ui.txt", text).unwrap_err().to_string();
        let message = fault(&german.replace("home.all = Alle", "home.all Alle"));
        assert!(
            message.contains("column 1: expected `key = text`"),
            "{message}"
        );
        let message = fault(&german.replace("home.all = Alle", "home.every = Alle"));
        assert!(
            message.ends_with("`home.every` is not a key the store uses"),
            "{message}"
        );
        let message = fault(&german.replace("home.all = Alle", "home.all = Alle {oops"));
        assert!(
            message.contains("column 17: `home.all` has a `{` that is not closed"),
            "{message}"
        );
        let message = fault(&german.replace("home.all = Alle\n", ""));
        assert_eq!(message, "ui.txt: the end: `home.all` is missing");
        let message = fault(&format!("{german}\nhome.all = Alle\n"));
        assert!(message.ends_with("`home.all` is given twice"), "{message}");
    }
}
