//! The studio's own words (its steps, tables, charts and the names of segments) in English,
//! German and Simplified Chinese, one file per language in `crates/core/ui/studio/`, in the
//! store's format and checked by the same reader ([`UiTexts`]). The studio is a page of its
//! own, so it carries all three: a marketer's language is not known before the page loads, and
//! the three files come to 9.5 KB gzip (3.2 KB for German, 3.4 KB for Chinese, each by
//! `gzip -9c`). It speaks the language the person chose on the store or the
//! studio (the one `localStorage` key both keep), else their browser's, else English
//! ([`studio_language`]).
//!
//! The studio writes dates and numbers through the browser's `Intl` in the same language. A
//! file's own contents (product titles, categories, a marketer's column names) and the reasons
//! a row could not be read (which name the file, line and column) stay as they are.
//!
//! ```
//! use aisle_core::studio::texts::{studio_language, studio_texts};
//! let browser = vec!["de-AT".to_owned(), "en".to_owned()];
//! assert_eq!(studio_language(None, &browser), "de");
//! assert_eq!(studio_language(Some("zh-CN"), &browser), "zh-CN");
//! assert_eq!(studio_texts("de").get("file.cancel"), "Abbrechen");
//! ```

use std::sync::LazyLock;

use crate::catalog::language::Language;
use crate::serve::locales;
use crate::serve::ui_texts::UiTexts;

/// The languages the studio speaks, by tag, English first.
pub const STUDIO_LANGUAGES: [&str; 3] = ["en", "de", "zh-CN"];

/// The studio's English texts: every key it uses.
static ENGLISH: LazyLock<UiTexts> = LazyLock::new(|| {
    UiTexts::reference(
        "studio",
        "ui/studio/en.txt",
        include_str!("../../ui/studio/en.txt"),
    )
    .expect("the studio's texts are checked by this module's tests")
});

/// The studio's English texts.
pub fn studio_english() -> &'static UiTexts {
    &ENGLISH
}

/// The studio's texts in the language of `tag`; English for a language it does not speak.
pub fn studio_texts(tag: &str) -> UiTexts {
    let (name, text) = match Language::of_locale(Some(tag)) {
        Language::German => ("ui/studio/de.txt", include_str!("../../ui/studio/de.txt")),
        Language::Chinese => (
            "ui/studio/zh-CN.txt",
            include_str!("../../ui/studio/zh-CN.txt"),
        ),
        Language::English | Language::Other => return studio_english().clone(),
    };
    UiTexts::translation(name, text, studio_english(), true)
        .expect("the studio's texts are checked by this module's tests")
}

/// The key of the text that says what the customer feature `name` measures
/// (`feature.recency-days` for `recency_days`: keys have no underscores).
pub fn feature_key(name: &str) -> String {
    format!("feature.{}", name.replace('_', "-"))
}

/// Which of [`STUDIO_LANGUAGES`] to speak to a person who chose `saved` in this browser (on the
/// store or the studio) and whose browser prefers `preferred`: [`locales::choose`].
pub fn studio_language(saved: Option<&str>, preferred: &[String]) -> &'static str {
    let offered = STUDIO_LANGUAGES.map(Some);
    STUDIO_LANGUAGES[locales::choose(&offered, saved, preferred)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::missing::Fill;
    use crate::input::orders::FillableField;
    use crate::segmentation::customer_features::ORDER_FEATURES;
    use crate::segmentation::segments::{
        FeatureScaling, KSuggestion, SEGMENT_NAMES, SegmentProfile, segment_name, segment_name_in,
    };
    use crate::segmentation::sweep::KScore;
    use crate::serve::copy::Channel;
    use crate::serve::ui_texts::keys_named_in;
    use crate::studio::Stage;

    #[test]
    fn every_language_reads_and_names_each_key_the_studio_uses() {
        for tag in STUDIO_LANGUAGES {
            let texts = studio_texts(tag);
            assert_eq!(
                studio_texts(tag).get("locale.name"),
                ["English", "Deutsch", "简体中文"][STUDIO_LANGUAGES
                    .iter()
                    .position(|known| *known == tag)
                    .unwrap()]
            );
            let named = keys_named_in("../studio/src");
            assert!(named.len() > 60, "only {} texts found", named.len());
            for (path, key) in named {
                assert!(
                    texts.has(&key),
                    "{}: `{key}` is not in {tag}'s studio texts",
                    path.display()
                );
            }
            // Keys the studio builds from the values it shows.
            let mut built: Vec<String> = Vec::new();
            built.extend(Fill::ALL.map(|fill| format!("fill.{}", fill.key())));
            built.extend(FillableField::ALL.map(|field| format!("field.{}", field.key())));
            built.extend(FeatureScaling::ALL.map(|scaling| format!("scaling.{}", scaling.key())));
            built.extend(Channel::ALL.map(|channel| format!("channel.{}", channel.key())));
            built.extend(SEGMENT_NAMES.map(|(_, key)| format!("segment.{key}")));
            built.extend(
                ORDER_FEATURES
                    .iter()
                    .map(|feature| feature_key(feature.name)),
            );
            for key in built {
                assert!(texts.has(&key), "`{key}` is not in {tag}'s studio texts");
            }
        }
    }

    #[test]
    fn the_studio_speaks_the_choice_else_the_browsers_language_else_english() {
        let browser = |tags: &[&str]| tags.iter().map(|tag| (*tag).to_owned()).collect::<Vec<_>>();
        // A choice made on a store that offered `de-DE`.
        assert_eq!(studio_language(Some("de-DE"), &browser(&["en-US"])), "de");
        assert_eq!(
            studio_language(None, &browser(&["zh-Hans-CN", "en"])),
            "zh-CN"
        );
        assert_eq!(studio_language(Some("pl-PL"), &browser(&["fr-FR"])), "en");
        assert_eq!(studio_language(None, &[]), "en");
    }

    #[test]
    fn stages_reasons_and_names_read_in_the_studios_language() {
        let english = studio_texts("en");
        let german = studio_texts("de");
        let chinese = studio_texts("zh-CN");
        let reading = Stage::Reading {
            file: "orders.csv".into(),
        };
        assert_eq!(reading.describe(&english), "Reading orders.csv");
        assert_eq!(reading.describe(&german), "orders.csv wird gelesen");
        let suggestion = KSuggestion {
            k: 4,
            silhouette: 0.44,
            among: Some([3, 8]),
            passed_over: Some(KScore {
                k: 2,
                inertia: 0.0,
                silhouette: 0.62,
            }),
        };
        let three = |value: f64| format!("{value:.3}");
        assert_eq!(
            suggestion.describe(&english, &three),
            "Suggested k = 4: the highest silhouette (0.440) among 3 to 8 segments. k = 2 scores \
             0.620, but 2 segments are too coarse to market to."
        );
        assert_eq!(
            suggestion.describe(&chinese, &three),
            "建议 k = 4：在 3 到 8 个客户群中轮廓系数最高（0.440）。k = 2 得分 0.620，但 2 \
             个客户群太粗，不便于营销。"
        );
        // Every name the rule gives has a key; numbered names keep their number, and a
        // marketer's own name is left as it is.
        let median = SegmentProfile {
            recency_days: 50.0,
            frequency: 2.0,
            monetary: 600.0,
        };
        for recency in [10.0, 100.0] {
            for frequency in [1.0, 5.0] {
                for monetary in [100.0, 1000.0] {
                    let profile = SegmentProfile {
                        recency_days: recency,
                        frequency,
                        monetary,
                    };
                    let name = segment_name(&profile, &median);
                    assert!(SEGMENT_NAMES.iter().any(|(known, _)| *known == name));
                }
            }
        }
        assert_eq!(segment_name_in("At risk 2", &german), "Gefährdete 2");
        assert_eq!(segment_name_in("Champions", &chinese), "冠军客户");
        assert_eq!(segment_name_in("VIP", &german), "VIP");
    }
}
