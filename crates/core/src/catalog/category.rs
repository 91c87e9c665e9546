//! Product categories derived from product text, for shops whose export has none.
//!
//! The rule, in the order it is applied:
//! 1. A seasonal word anywhere in the text (`CHRISTMAS`, `EASTER`, `ADVENT`, ...) makes the
//!    product [`SEASONAL`]: a gift shop shelves a Christmas candle with Christmas, not candles.
//! 2. Otherwise the category is the one of the *head noun*: English product names put the thing
//!    last and its qualities first (`WHITE HANGING HEART T-LIGHT HOLDER` is a holder of t-lights;
//!    `JUMBO BAG RED RETROSPOT` puts a pattern after the noun, which names no category and is
//!    skipped). Words are read from the end; at each word a two-word name (`LUNCH BOX`,
//!    `KEY RING`) is tried before the word alone, and the first known one decides. Words after
//!    `in`, `with` or `on` qualify the noun (`INCENSE IN TIN` is incense), so the words before
//!    them are tried first.
//! 3. A text with no known word gets no category (an empty string), rather than a guess.
//!
//! The vocabulary is a general-merchandise one (home, kitchen, gifts, stationery, toys,
//! accessories), in English, so texts are read as English here whatever the shop's language. A
//! shop whose products it does not describe gives its own categories in the products file
//! (`aisle build --products`), which take precedence.
//!
//! ```
//! use aisle_core::catalog::category::derive_category;
//! assert_eq!(derive_category("WHITE HANGING HEART T-LIGHT HOLDER"), "Candles & lighting");
//! assert_eq!(derive_category("JUMBO BAG RED RETROSPOT"), "Bags & accessories");
//! assert_eq!(derive_category("PAPER CHAIN KIT 50'S CHRISTMAS"), "Christmas & seasonal");
//! assert_eq!(derive_category("SMALL POPCORN HOLDER"), "");
//! ```

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::catalog::language::Language;
use crate::catalog::text::tokens;

/// Seasonal products; wins over the head noun.
pub const SEASONAL: &str = "Christmas & seasonal";

/// Words that make a product seasonal wherever they stand.
const SEASONAL_WORDS: &[&str] = &[
    "christmas",
    "xmas",
    "advent",
    "easter",
    "halloween",
    "santa",
    "reindeer",
    "bauble",
    "nativity",
    "snowman",
    "valentine",
];

/// Head nouns (one or two words, as written in a title) and their category.
const HEAD_NOUNS: &[(&str, &[&str])] = &[
    (
        "Candles & lighting",
        &[
            "candle",
            "candleholder",
            "tealight",
            "light",
            "nightlight",
            "lantern",
            "lamp",
            "lampshade",
            "chandelier",
            "incense",
            "oil burner",
        ],
    ),
    (
        "Kitchen & dining",
        &[
            "mug",
            "cup",
            "teacup",
            "saucer",
            "bowl",
            "plate",
            "dish",
            "jar",
            "tin",
            "tray",
            "cutlery",
            "spoon",
            "fork",
            "knife",
            "napkin",
            "napkin ring",
            "placemat",
            "coaster",
            "teapot",
            "beaker",
            "jug",
            "goblet",
            "tumbler",
            "glass",
            "cakestand",
            "cake stand",
            "cake case",
            "cake tin",
            "lunch box",
            "lunch bag",
            "lunchbox",
            "apron",
            "oven glove",
            "tea towel",
            "cookie cutter",
            "straw",
            "egg cup",
            "bottle opener",
            "pan",
            "food cover",
            "food container",
            "bottle",
            "kitchen",
        ],
    ),
    (
        "Home decor",
        &[
            "frame",
            "mirror",
            "clock",
            "sign",
            "plaque",
            "cushion",
            "cushion cover",
            "doormat",
            "doorstop",
            "hook",
            "hanger",
            "garland",
            "bunting",
            "decoration",
            "ornament",
            "wreath",
            "curtain",
            "knob",
            "tile",
            "vase",
            "heart",
            "letter",
            "magnet",
            "wall art",
            "chalkboard",
            "blackboard",
            "water bottle",
            "stool",
            "chair",
            "paperweight",
            "artificial flower",
            "throw",
            "blanket",
            "quilt",
            "rug",
            "bell",
            "chime",
            "wind chime",
            "mobile",
            "figure",
            "cabinet",
        ],
    ),
    (
        "Storage",
        &[
            "box",
            "basket",
            "storage",
            "container",
            "rack",
            "crate",
            "trunk",
            "drawer",
            "trinket pot",
        ],
    ),
    (
        "Bags & accessories",
        &[
            "bag",
            "handbag",
            "purse",
            "washbag",
            "shopper",
            "tote",
            "backpack",
            "rucksack",
            "umbrella",
            "parasol",
            "wallet",
            "scarf",
            "glove",
            "hat",
            "hair clip",
            "hair band",
            "hair grip",
            "hair slide",
            "key ring",
            "keyring",
            "fan",
            "passport cover",
            "key chain",
            "hairslide",
            "clip",
            "headphone",
            "warmer",
            "hand warmer",
        ],
    ),
    (
        "Jewellery",
        &[
            "necklace",
            "bracelet",
            "earring",
            "ring",
            "charm",
            "bead",
            "brooch",
            "pendant",
            "bangle",
            "tiara",
            "jewellery",
        ],
    ),
    (
        "Stationery & gift wrap",
        &[
            "card",
            "notebook",
            "notepad",
            "pen",
            "pencil",
            "sticker",
            "tape",
            "wrap",
            "paper",
            "tissue",
            "envelope",
            "tag",
            "ribbon",
            "book",
            "sketchbook",
            "journal",
            "calendar",
            "diary",
            "stamp",
            "eraser",
            "rubber",
            "ruler",
            "crayon",
            "chalk",
            "bookmark",
            "label",
            "stationery",
            "album",
            "scissor",
            "invite",
            "postcard",
            "hole punch",
            "sharpener",
        ],
    ),
    (
        "Toys & games",
        &[
            "toy",
            "game",
            "jigsaw",
            "puzzle",
            "doll",
            "teddy",
            "kite",
            "marble",
            "dominoe",
            "playing card",
            "skittle",
            "bubble",
            "spinning top",
            "kit",
            "puppet",
            "inflatable",
            "mask",
            "ball",
        ],
    ),
    (
        "Garden & outdoor",
        &[
            "garden",
            "watering can",
            "planter",
            "plant pot",
            "flower pot",
            "bird house",
            "birdhouse",
            "bird feeder",
            "feeder",
            "bird table",
            "gnome",
            "hammock",
            "herb marker",
            "picnic blanket",
        ],
    ),
    (
        "Bath & beauty",
        &[
            "soap",
            "sponge",
            "bath",
            "bathroom",
            "flannel",
            "towel",
            "toilet roll",
            "cosmetic",
            "lip gloss",
            "nail file",
            "fragrance",
            "perfume",
            "hand cream",
        ],
    ),
];

/// Every category the rule can give, in the order a shop would list them.
pub fn derived_categories() -> impl Iterator<Item = &'static str> {
    std::iter::once(SEASONAL).chain(HEAD_NOUNS.iter().map(|(category, _)| *category))
}

/// The vocabulary in token form (see [`crate::catalog::text::tokens`]), so that a title's plurals and
/// case meet it: one-word and two-word names (joined by a space) to their category.
struct Vocabulary {
    seasonal: Vec<String>,
    head_nouns: FxHashMap<String, &'static str>,
}

fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| Vocabulary {
        seasonal: SEASONAL_WORDS
            .iter()
            .map(|word| tokens(word, Language::English).join(" "))
            .collect(),
        head_nouns: HEAD_NOUNS
            .iter()
            .flat_map(|(category, names)| names.iter().map(move |name| (name, *category)))
            .map(|(name, category)| (tokens(name, Language::English).join(" "), category))
            .collect(),
    })
}

/// Words after which a title qualifies its noun rather than naming it (`INCENSE IN TIN`,
/// `MUG WITH SPOON`): the head noun is looked for before them first.
const QUALIFIERS: &[&str] = &["in", "with", "w/", "on", "for"];

/// The category of a product from its text (title, or title and description), by the rule in
/// the module docs; an empty string when no word of the text is known.
pub fn derive_category(text: &str) -> &'static str {
    let vocabulary = vocabulary();
    let words = tokens(text, Language::English);
    if words.iter().any(|word| vocabulary.seasonal.contains(word)) {
        return SEASONAL;
    }
    let before_qualifier = text
        .split_whitespace()
        .position(|word| QUALIFIERS.contains(&word.to_lowercase().as_str()))
        .map(|position| {
            text.split_whitespace()
                .take(position)
                .collect::<Vec<_>>()
                .join(" ")
        });
    before_qualifier
        .and_then(|head| head_noun_category(vocabulary, &tokens(&head, Language::English)))
        .or_else(|| head_noun_category(vocabulary, &words))
        .unwrap_or("")
}

/// The category of the last known name in `words`, two-word names first at each position.
fn head_noun_category(vocabulary: &Vocabulary, words: &[String]) -> Option<&'static str> {
    (0..words.len()).rev().find_map(|end| {
        let two_words = (end > 0).then(|| format!("{} {}", words[end - 1], words[end]));
        two_words
            .and_then(|name| vocabulary.head_nouns.get(&name))
            .or_else(|| vocabulary.head_nouns.get(&words[end]))
            .copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_noun_decides_and_patterns_after_it_are_skipped() {
        let cases = [
            ("SET OF 3 CAKE TINS PANTRY DESIGN", "Kitchen & dining"),
            ("LUNCH BAG RED RETROSPOT", "Kitchen & dining"),
            ("JUMBO STORAGE BAG SUKI", "Bags & accessories"),
            ("HAND WARMER UNION JACK", "Bags & accessories"),
            ("KEY RING BAROQUE", "Bags & accessories"),
            ("DIAMANTE RING", "Jewellery"),
            ("PACK OF 72 RETROSPOT CAKE CASES", "Kitchen & dining"),
            ("ASSORTED COLOUR BIRD ORNAMENT", "Home decor"),
            ("RABBIT NIGHT LIGHT", "Candles & lighting"),
            ("SPACEBOY BIRTHDAY CARD", "Stationery & gift wrap"),
            ("DOLLY GIRL LUNCH BOX", "Kitchen & dining"),
            ("SET 7 BABUSHKA NESTING BOXES", "Storage"),
            ("LAVENDER INCENSE IN TIN", "Candles & lighting"),
            ("HANGING HEN ON NEST DECORATION", "Home decor"),
        ];
        for (title, category) in cases {
            assert_eq!(derive_category(title), category, "{title}");
        }
    }

    #[test]
    fn a_seasonal_word_anywhere_wins() {
        assert_eq!(derive_category("CHRISTMAS TREE T-LIGHT HOLDER"), SEASONAL);
        assert_eq!(derive_category("easter egg hunt kit"), SEASONAL);
    }

    #[test]
    fn unknown_text_gets_no_category() {
        assert_eq!(derive_category(""), "");
        assert_eq!(derive_category("SMALL POPCORN HOLDER"), "");
    }

    #[test]
    fn every_name_is_reachable_and_listed_once() {
        let vocabulary = vocabulary();
        let listed: usize = HEAD_NOUNS.iter().map(|(_, names)| names.len()).sum();
        assert_eq!(
            vocabulary.head_nouns.len(),
            listed,
            "a name is listed twice"
        );
        for (category, names) in HEAD_NOUNS {
            for name in names.iter() {
                assert_eq!(derive_category(name), *category, "{name}");
            }
        }
        assert_eq!(derived_categories().count(), HEAD_NOUNS.len() + 1);
    }
}
