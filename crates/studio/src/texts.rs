//! The language the studio speaks, as page state: its words ([`aisle_core::studio::texts`]),
//! its copy templates, and numbers and dates by the browser's `Intl` in that language. Reading
//! any of them in a closure re-renders it when the marketer picks another language.

use aisle_browser::dates::date_text;
use aisle_browser::locale_choice;
use aisle_browser::money::{compact_text, number_text, percent_text, plural_category};
use aisle_core::catalog::language::Language;
use aisle_core::catalog::money::Money;
use aisle_core::serve::copy::CopyTemplates;
use aisle_core::serve::ui_texts::UiTexts;
use aisle_core::studio::texts::{STUDIO_LANGUAGES, studio_language, studio_texts};
use leptos::prelude::*;

/// The studio's language. Cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Texts(RwSignal<Speech, LocalStorage>);

struct Speech {
    /// One of [`STUDIO_LANGUAGES`].
    tag: &'static str,
    texts: UiTexts,
    copy: CopyTemplates,
    /// Numbers in the language, without a currency.
    numbers: Money,
}

impl Speech {
    fn of(tag: &'static str) -> Self {
        let language = Language::of_locale(Some(tag));
        Self {
            tag,
            texts: studio_texts(tag),
            copy: CopyTemplates::built_in(language)
                .unwrap_or_else(|| CopyTemplates::english().clone()),
            numbers: Money {
                currency: None,
                locale: Some(tag.to_owned()),
            },
        }
    }
}

impl Texts {
    /// The language the marketer chose on the store or here, else their browser's, else
    /// English.
    pub fn new() -> Self {
        let saved = locale_choice::saved();
        let tag = studio_language(saved.as_deref(), &locale_choice::preferred_languages());
        let texts = Self(RwSignal::new_local(Speech::of(tag)));
        texts.mark_page();
        texts
    }

    /// Speaks `tag` from now on and keeps the choice, which the store reads too.
    pub fn choose(&self, tag: &'static str) {
        locale_choice::save(tag);
        self.0.set(Speech::of(tag));
        self.mark_page();
    }

    /// Marks the page as written in the language (`<html lang>`), for screen readers and
    /// translation tools, and titles it in the language.
    fn mark_page(&self) {
        let (tag, title) = self
            .0
            .with_untracked(|speech| (speech.tag, speech.texts.get("studio.title").to_owned()));
        let document = document();
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("lang", tag);
        }
        document.set_title(&format!("Aisle {title}"));
    }

    /// The language's tag.
    pub fn tag(&self) -> &'static str {
        self.0.with(|speech| speech.tag)
    }

    /// The languages the marketer may pick among, as (tag, name in its own language).
    pub fn offered() -> Vec<(&'static str, String)> {
        STUDIO_LANGUAGES
            .iter()
            .map(|&tag| (tag, studio_texts(tag).get("locale.name").to_owned()))
            .collect()
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        self.0.with(|speech| speech.texts.get(key).to_owned())
    }

    /// The text of `key` with its slots filled.
    pub fn fill(&self, key: &str, slots: &[(&str, &str)]) -> String {
        self.0.with(|speech| speech.texts.fill(key, slots))
    }

    /// The form of `key` for `count` things (`Intl.PluralRules`), `{count}` written by `Intl`.
    pub fn count(&self, key: &str, count: u64, slots: &[(&str, &str)]) -> String {
        self.0.with(|speech| {
            let category = plural_category(speech.tag, count);
            let written = number_text(&speech.numbers, count as f64, 0);
            let mut all = vec![("count", written.as_str())];
            all.extend_from_slice(slots);
            speech.texts.count(key, count, category, &all)
        })
    }

    /// `value` with `decimals` decimals, the language's way.
    pub fn number(&self, value: f64, decimals: u8) -> String {
        self.0
            .with(|speech| number_text(&speech.numbers, value, decimals))
    }

    /// A whole number, grouped the language's way (`4,338`, `4.338`).
    pub fn whole(&self, value: usize) -> String {
        self.number(value as f64, 0)
    }

    /// `value` short, for chart ticks and figures in original units (`1.2K`, `1,2 Mio.`).
    pub fn compact(&self, value: f64) -> String {
        // `+ 0.0` turns a negative zero, which `Intl` writes `-0`, into zero.
        self.0
            .with(|speech| compact_text(&speech.numbers, value + 0.0))
    }

    /// `share` (0.25 for a quarter) as a whole percentage.
    pub fn percent(&self, share: f64) -> String {
        self.0.with(|speech| percent_text(&speech.numbers, share))
    }

    /// The day of `seconds` (Unix time, the shop's wall clock), written in full.
    pub fn date(&self, seconds: i64) -> String {
        self.0.with(|speech| date_text(speech.tag, seconds))
    }

    /// Runs `f` with the studio's texts, for core code that words a value itself.
    pub fn with<R>(&self, f: impl FnOnce(&UiTexts) -> R) -> R {
        self.0.with(|speech| f(&speech.texts))
    }

    /// Runs `f` with the copy templates in the language.
    pub fn with_copy<R>(&self, f: impl FnOnce(&CopyTemplates) -> R) -> R {
        self.0.with(|speech| f(&speech.copy))
    }
}
