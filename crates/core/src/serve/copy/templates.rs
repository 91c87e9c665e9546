//! Copy templates as data: the text a shop or a translator writes, checked as a whole when read,
//! so the store never meets a template it cannot fill.
//!
//! Aisle's own are one file per language in `crates/core/copy/`: `en.txt`, which the store
//! carries as its fallback, and translations (`de.txt`, `zh-CN.txt`) that `aisle build` ships in
//! the bundle of a shop whose locale is in their language ([`CopyTemplates::built_in`]), so the
//! store's download does not grow with every language Aisle speaks.
//!
//! The format is plain lines rather than JSON or TOML: people edit it, and its reader is a few
//! dozen lines, where a general parser would grow the store's download. A section header
//! `[audience channel]` (the kebab-case keys of [`Audience`] and [`Channel`]) opens each of the
//! 28 sections; every line below it is a template, `headline | body`; `#` starts a comment line.
//!
//! ```
//! use aisle_core::serve::copy::{Audience, Channel, CopyTemplates, Featured};
//! let english = CopyTemplates::english();
//! let ours = english.text().replace("We've missed you: {product} is waiting", "Hello again: {product}");
//! let ours = CopyTemplates::parse("copy.txt", &ours).unwrap();
//! let copy = ours.write(Audience::AtRisk, Channel::EmailSubject, &Featured::titled("Red Lantern"), 0);
//! assert_eq!(copy.headline, "Hello again: Red Lantern");
//! let error = CopyTemplates::parse("copy.txt", "[loyal banner]\nHi {name} | {product}").unwrap_err();
//! assert_eq!(error.to_string(), "copy.txt: line 2, column 4: unknown slot `{name}`: the slots are {product}, {category}, {price} and {reason}");
//! ```

use std::sync::LazyLock;

use super::{Audience, Channel, Featured, MarketingCopy, capitalise_sentences};
use crate::catalog::language::Language;
use crate::error::{Error, Result};

/// The slots templates may use, as written in them; `{product}` is always known.
pub(super) const SLOTS: [&str; 4] = ["{product}", "{category}", "{price}", "{reason}"];

/// Templates that use no slot but `{product}` each section needs, so copy always has variants
/// to regenerate among whatever the featured product lacks.
const PRODUCT_ONLY_PER_SECTION: usize = 2;

/// Separates a template's headline from its body.
const SEPARATOR: &str = " | ";

/// The built-in English templates.
static ENGLISH: LazyLock<CopyTemplates> = LazyLock::new(|| {
    CopyTemplates::parse("copy/en.txt", include_str!("../../../copy/en.txt"))
        .expect("the built-in templates are checked by this module's tests")
});

/// One template: the headline and the body, with slots in braces.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Template {
    headline: String,
    body: String,
}

impl Template {
    /// Whether `featured` can fill every slot the template uses.
    fn fits(&self, featured: &Featured) -> bool {
        SLOTS.iter().all(|slot| {
            !(self.headline.contains(slot) || self.body.contains(slot))
                || featured.slot(slot).is_some()
        })
    }
}

/// Every audience's templates on every channel, read from text and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyTemplates {
    /// The text they were read from, which a bundle ships as is.
    text: String,
    /// Indexed by [`section_index`].
    sections: Vec<Vec<Template>>,
}

fn section_index(audience: Audience, channel: Channel) -> usize {
    audience as usize * Channel::ALL.len() + channel as usize
}

impl CopyTemplates {
    /// The built-in English templates.
    pub fn english() -> &'static Self {
        &ENGLISH
    }

    /// Aisle's own templates in `language`, other than the English ones every store carries:
    /// what `aisle build` ships for a shop that names its locale but writes no copy of its own.
    /// `None` for English and for languages without a translation.
    pub fn built_in(language: Language) -> Option<Self> {
        let (name, text) = match language {
            Language::German => ("copy/de.txt", include_str!("../../../copy/de.txt")),
            Language::Chinese => ("copy/zh-CN.txt", include_str!("../../../copy/zh-CN.txt")),
            Language::English | Language::Other => return None,
        };
        Some(
            Self::parse(name, text)
                .expect("the built-in templates are checked by this module's tests"),
        )
    }

    /// Reads templates from `text`, refusing anything the store could not use: a line outside a
    /// section, an unknown audience, channel or slot, an unclosed brace, a missing or repeated
    /// section, or a section with fewer than two templates that need only the product. The error
    /// names `source_name`, the line and the column.
    pub fn parse(source_name: &str, text: &str) -> Result<Self> {
        // Each fault is built in one place: the store carries this reader, and every error
        // constructed inline would add to its download.
        let fault = |at: String, message: String| Error::Templates {
            source_name: source_name.to_owned(),
            at,
            message,
        };
        let mut sections: Vec<Option<(usize, Vec<Template>)>> =
            vec![None; Audience::ALL.len() * Channel::ALL.len()];
        let mut current = None;
        for (number, line) in (1..).zip(text.lines()) {
            read_line(line.trim_end(), number, &mut sections, &mut current).map_err(
                |(column, message)| fault(format!("line {number}, column {column}"), message),
            )?;
        }
        let product_only = Featured::titled("");
        let mut checked = Vec::with_capacity(sections.len());
        for (index, section) in sections.into_iter().enumerate() {
            let name = || {
                let (audience, channel) = (
                    Audience::ALL[index / Channel::ALL.len()],
                    Channel::ALL[index % Channel::ALL.len()],
                );
                format!("[{} {}]", audience.key(), channel.key())
            };
            let Some((line, templates)) = section else {
                return Err(fault(
                    "the end".into(),
                    format!("there is no {} section", name()),
                ));
            };
            let usable = templates
                .iter()
                .filter(|template| template.fits(&product_only))
                .count();
            if usable < PRODUCT_ONLY_PER_SECTION {
                return Err(fault(
                    format!("line {line}, column 1"),
                    format!(
                        "{} has {usable} templates that use no slot but {{product}}; it needs {PRODUCT_ONLY_PER_SECTION}",
                        name()
                    ),
                ));
            }
            checked.push(templates);
        }
        Ok(Self {
            text: text.to_owned(),
            sections: checked,
        })
    }

    /// The text the templates were read from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The copy for `audience` on `channel` featuring `featured`; `variant` picks among the
    /// templates whose slots `featured` can fill (any number: it wraps around), so "regenerate"
    /// is `variant + 1`, and the same variant always gives the same copy.
    pub fn write(
        &self,
        audience: Audience,
        channel: Channel,
        featured: &Featured,
        variant: usize,
    ) -> MarketingCopy {
        let usable: Vec<&Template> = self.sections[section_index(audience, channel)]
            .iter()
            .filter(|template| template.fits(featured))
            .collect();
        let template = usable[variant % usable.len()];
        let fill = |text: &str| {
            let filled =
                SLOTS
                    .iter()
                    .fold(text.to_owned(), |text, slot| match featured.slot(slot) {
                        Some(value) => text.replace(slot, value),
                        None => text,
                    });
            capitalise_sentences(&filled)
        };
        MarketingCopy {
            headline: fill(&template.headline),
            body: fill(&template.body),
        }
    }

    /// How many templates `audience` has on `channel`.
    pub fn variants(&self, audience: Audience, channel: Channel) -> usize {
        self.sections[section_index(audience, channel)].len()
    }
}

/// A fault within a line: its 1-based column (in characters) and what is wrong.
type LineFault = (usize, String);

/// Reads one line (comment, section header or template) into `sections`, the header's line
/// number kept with each section; `current` is the section templates go to.
fn read_line(
    line: &str,
    number: usize,
    sections: &mut [Option<(usize, Vec<Template>)>],
    current: &mut Option<usize>,
) -> std::result::Result<(), LineFault> {
    if line.trim_start().is_empty() || line.trim_start().starts_with('#') {
        return Ok(());
    }
    if let Some(header) = line.strip_prefix('[') {
        let header = header.strip_suffix(']').ok_or((
            line.chars().count(),
            "a section header ends with `]`".into(),
        ))?;
        let (audience_key, channel_key) = header.split_once(' ').unwrap_or((header, ""));
        let key_of = |keys: &[&str], key: &str, column: usize, what: &str| {
            keys.iter().position(|known| *known == key).ok_or_else(|| {
                (
                    column,
                    format!("unknown {what} `{key}`: the {what}s are {}", and_list(keys)),
                )
            })
        };
        let audience = key_of(
            &Audience::ALL.map(Audience::key),
            audience_key,
            2,
            "audience",
        )?;
        // The channel starts after `[`, the audience and a space.
        let channel_column = audience_key.chars().count() + 3;
        let channel = key_of(
            &Channel::ALL.map(Channel::key),
            channel_key,
            channel_column,
            "channel",
        )?;
        let index = section_index(Audience::ALL[audience], Channel::ALL[channel]);
        if let Some((first, _)) = &sections[index] {
            return Err((1, format!("[{header}] is already on line {first}")));
        }
        sections[index] = Some((number, Vec::new()));
        *current = Some(index);
        return Ok(());
    }
    let index = current.ok_or((
        1,
        "a template comes after a section header such as `[new banner]`".into(),
    ))?;
    let mut parts = line.split(SEPARATOR);
    let (Some(headline), Some(body)) = (parts.next(), parts.next()) else {
        return Err((1, "a template is a headline, `|`, and a body".into()));
    };
    if parts.next().is_some() {
        let column = headline.chars().count() + SEPARATOR.len() + body.chars().count() + 2;
        return Err((column, "a template has one `|`".into()));
    }
    check_slots(line)?;
    let template = Template {
        headline: headline.trim().to_owned(),
        body: body.trim().to_owned(),
    };
    if template.headline.is_empty() || template.body.is_empty() {
        return Err((1, "a template's headline and body are not empty".into()));
    }
    if let Some((_, templates)) = &mut sections[index] {
        templates.push(template);
    }
    Ok(())
}

/// Checks that every brace in `line` opens a known slot and closes; the error carries the
/// 1-based column (in characters) of the brace at fault.
fn check_slots(line: &str) -> std::result::Result<(), (usize, String)> {
    let mut chars = line.char_indices().enumerate();
    while let Some((column, (at, c))) = chars.next() {
        match c {
            '{' => {
                let Some(length) = line[at + 1..].find('}') else {
                    return Err((column + 1, "`{` is not closed by `}`".into()));
                };
                let name = &line[at + 1..at + 1 + length];
                if !SLOTS.contains(&&line[at..=at + 1 + length]) {
                    return Err((
                        column + 1,
                        format!(
                            "unknown slot `{{{name}}}`: the slots are {}",
                            and_list(&SLOTS)
                        ),
                    ));
                }
                chars.nth(name.chars().count());
            }
            '}' => return Err((column + 1, "`}` closes no slot".into())),
            _ => {}
        }
    }
    Ok(())
}

/// `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_translation_has_every_section_and_writes_in_its_language() {
        let featured = Featured::priced("Lantern", "Lighting", "£3.50".into());
        for (language, word) in [
            (Language::German, "Willkommen"),
            (Language::Chinese, "欢迎"),
        ] {
            let templates = CopyTemplates::built_in(language).expect("a translation");
            let welcome = templates.write(Audience::New, Channel::Push, &featured, 0);
            assert!(welcome.headline.contains(word), "{language:?}: {welcome:?}");
            let uses_reason = templates
                .text()
                .lines()
                .any(|line| !line.starts_with('#') && line.contains("{reason}"));
            assert!(
                !uses_reason,
                "{language:?} uses {{reason}}, which the store writes in English"
            );
        }
        assert_eq!(CopyTemplates::built_in(Language::English), None);
        assert_eq!(CopyTemplates::built_in(Language::Other), None);
    }

    #[test]
    fn every_pair_has_variants_that_name_the_product() {
        let english = CopyTemplates::english();
        for audience in Audience::ALL {
            for channel in Channel::ALL {
                let variants = english.variants(audience, channel);
                assert!(variants >= 2, "{audience:?} {channel:?}");
                let lantern = Featured::titled("Red Lantern");
                for variant in 0..variants {
                    let copy = english.write(audience, channel, &lantern, variant);
                    let text = format!("{} {}", copy.headline, copy.body);
                    assert!(
                        text.contains("Red Lantern"),
                        "{audience:?} {channel:?}: {text}"
                    );
                    assert!(!text.contains('{'), "{text}");
                }
                // Regenerating gives another text, and wraps around the usable templates.
                let x = Featured::titled("X");
                let product_only = english.sections[section_index(audience, channel)]
                    .iter()
                    .filter(|template| template.fits(&x))
                    .count();
                assert!(product_only >= 2, "{audience:?} {channel:?}");
                assert_ne!(
                    english.write(audience, channel, &x, 0),
                    english.write(audience, channel, &x, 1)
                );
                assert_eq!(
                    english.write(audience, channel, &x, 0),
                    english.write(audience, channel, &x, product_only)
                );
            }
        }
    }

    #[test]
    fn every_slot_combination_fills_every_slot_it_uses() {
        let english = CopyTemplates::english();
        let full = Featured {
            product: "Red Lantern".into(),
            category: "Candles & lighting".into(),
            price: Some("£3.75".into()),
            reason: Some("Because you viewed White Metal Lantern".into()),
        };
        let mut slot_templates_used = 0;
        for mask in 0..8u8 {
            let featured = Featured {
                category: if mask & 1 == 1 {
                    full.category.clone()
                } else {
                    String::new()
                },
                price: full.price.clone().filter(|_| mask & 2 == 2),
                reason: full.reason.clone().filter(|_| mask & 4 == 4),
                ..full.clone()
            };
            for audience in Audience::ALL {
                for channel in Channel::ALL {
                    for variant in 0..8 {
                        let copy = english.write(audience, channel, &featured, variant);
                        let text = format!("{} | {}", copy.headline, copy.body);
                        assert!(!text.contains('{') && !text.contains('}'), "{text}");
                        assert!(!text.contains("  ") && !text.contains(" ,"), "{text}");
                        assert!(!copy.headline.is_empty() && !copy.body.is_empty());
                        slot_templates_used += usize::from(
                            text.contains("Candles")
                                || text.contains('£')
                                || text.contains("Because"),
                        );
                    }
                }
            }
        }
        assert!(
            slot_templates_used > 0,
            "templates with slots are chosen when they can be"
        );
    }

    /// The error `text` gets, with the built-in templates after it so only its own fault counts.
    fn error_of(text: &str) -> String {
        let with_rest = format!("{text}\n{}", CopyTemplates::english().text());
        CopyTemplates::parse("shop.txt", &with_rest)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn faults_are_named_with_their_line_and_column() {
        assert_eq!(
            error_of("# ours\nHello | {product}"),
            "shop.txt: line 2, column 1: a template comes after a section header such as `[new banner]`"
        );
        assert_eq!(
            error_of("[fans banner]"),
            "shop.txt: line 1, column 2: unknown audience `fans`: the audiences are champions, loyal, promising, at-risk, hibernating, browsing and new"
        );
        assert_eq!(
            error_of("[new fax]"),
            "shop.txt: line 1, column 6: unknown channel `fax`: the channels are banner, email-subject, push and social"
        );
        assert_eq!(
            error_of("[new push"),
            "shop.txt: line 1, column 9: a section header ends with `]`"
        );
        assert_eq!(
            error_of("[new push]\nHi {product}"),
            "shop.txt: line 2, column 1: a template is a headline, `|`, and a body"
        );
        assert_eq!(
            error_of("[new push]\nHi | {product} | again"),
            "shop.txt: line 2, column 16: a template has one `|`"
        );
        assert_eq!(
            error_of("[new push]\nHé {product | again"),
            "shop.txt: line 2, column 4: `{` is not closed by `}`"
        );
        assert_eq!(
            error_of("[new push]\nHé product} | again"),
            "shop.txt: line 2, column 11: `}` closes no slot"
        );
        assert_eq!(
            error_of("[new push]\nHi | x"),
            "shop.txt: line 1, column 1: [new push] is already on line 1".replace(
                "line 1, column 1",
                &format!("line {}, column 1", 3 + english_line_of("[new push]"))
            )
        );
        let english = CopyTemplates::english().text();
        let without = english.replace("[new social]", "[new banner]");
        assert!(
            CopyTemplates::parse("shop.txt", &without)
                .unwrap_err()
                .to_string()
                .starts_with("shop.txt: line ")
        );
        let cut = &english[..english.find("[new social]").unwrap()];
        assert_eq!(
            CopyTemplates::parse("shop.txt", cut)
                .unwrap_err()
                .to_string(),
            "shop.txt: the end: there is no [new social] section"
        );
        let one_left = english.replace(
            "This week's bestseller: {product}. | #trending #ideas",
            "This week's bestseller in {category}: {product}. | #trending #ideas",
        );
        let header = 1 + english_line_of("[new social]");
        assert_eq!(
            CopyTemplates::parse("shop.txt", &one_left)
                .unwrap_err()
                .to_string(),
            format!(
                "shop.txt: line {header}, column 1: [new social] has 1 templates that use no slot but {{product}}; it needs 2"
            )
        );
    }

    /// The 0-based line of `header` in the built-in text.
    fn english_line_of(header: &str) -> usize {
        CopyTemplates::english()
            .text()
            .lines()
            .position(|line| line == header)
            .unwrap()
    }

    #[test]
    fn the_text_is_kept_as_read() {
        let english = CopyTemplates::english();
        let again = CopyTemplates::parse("again", english.text()).unwrap();
        assert_eq!(&again, english);
    }
}
