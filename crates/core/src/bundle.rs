//! The bundle a shop hosts: a JSON manifest plus binary model files, each checked by sha256.
//!
//! The CLI encodes a [`Bundle`] into named files and a [`Manifest`]; the browser fetches the
//! manifest, fetches each file it lists, and decodes them with [`Bundle::decode`], which refuses
//! any file whose bytes do not hash to the manifest's digest, and any part that does not fit the
//! catalog. A bundle is either used whole and verified, or not at all.
//!
//! ```
//! use aisle_core::models::blend::{BlendSettings, Tuning};
//! use aisle_core::bundle::{Bundle, Manifest};
//! use aisle_core::catalog::{Catalog, Product};
//! use aisle_core::models::copurchase::CoPurchase;
//! use aisle_core::models::item_weights::ItemWeights;
//! use aisle_core::models::popularity::Popularity;
//! use aisle_core::models::repeat::RepeatRates;
//! use aisle_core::segmentation::segment_model::SegmentModel;
//! use aisle_core::math::sparse::SparseRows;
//! use aisle_core::models::trending::Trending;
//! let bundle = Bundle {
//!     catalog: Catalog::new(vec![Product::new("22633", "Hand Warmer", 1.85)]),
//!     popularity: Popularity::from_buyers(vec![4]),
//!     trending: Trending::from_scores(vec![1.0]),
//!     ease: ItemWeights::from_targets(SparseRows::from_rows(vec![vec![]])),
//!     copurchase: CoPurchase::from_pairs(ItemWeights::from_targets(SparseRows::from_rows(vec![vec![]]))),
//!     segments: SegmentModel::default(),
//!     repeat_rates: RepeatRates::from_rates(vec![0.5]),
//!     tuning: Tuning::defaults(BlendSettings::DEFAULT, "an example".into()),
//!     money: Default::default(),
//!     copy: None,
//!     ui_texts: None,
//!     more_locales: Vec::new(),
//!     merchandising: Default::default(),
//!     credit: "Photos by the shop".into(),
//!     measuring: Default::default(),
//! };
//! let (manifest, files) = bundle.encode(Default::default());
//! let manifest = Manifest::from_json(manifest.to_json().as_bytes()).unwrap();
//! let decoded = Bundle::decode(&manifest, |name| files.iter().find(|f| f.0 == name).map(|f| f.1.clone())).unwrap();
//! assert_eq!(decoded, bundle);
//! ```

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::catalog::columns::{CatalogColumns, PlainPrices, PriceColumn, TextColumns};
use crate::catalog::first_page::{
    FIRST_PAGE_PER_CATEGORY, FIRST_PAGE_RANKED, TEXTS_APART_ABOVE, first_page_products,
};
use crate::catalog::images::ProductImages;
use crate::catalog::money::Money;
use crate::catalog::shards::{MIN_SHARD_PRODUCTS, ShardPlan};
use crate::catalog::word_coded::WordCoded;
use crate::error::{Error, Result};
use crate::math::bfloat16::Bfloat16Planes;
use crate::math::sparse::SparseRows;
use crate::measure::experiment::Measuring;
use crate::models::blend::{BlendSettings, Tuning};
use crate::models::copurchase::CoPurchase;
use crate::models::history_rows::HistoryShard;
use crate::models::item_weights::ItemWeights;
use crate::models::popularity::Popularity;
use crate::models::quantized::{ColumnGroup, PlanarRows, QuantizedRows};
use crate::models::repeat::RepeatRates;
use crate::models::trending::Trending;
use crate::segmentation::segment_model::SegmentModel;
use crate::serve::copy::CopyTemplates;
use crate::serve::locales::Locale;
use crate::serve::merchandising::Merchandising;
use crate::serve::ui_texts::UiTexts;

/// The `format` every Aisle manifest carries.
pub const FORMAT: &str = "aisle-bundle";
/// The bundle layout version this build writes. Version 3 added each product's description and
/// category; version 4 the blend's settings in the manifest; version 5 names each file by its
/// part and its content's hash (`ease.3f2a9c1b0d4e5f67.bin`); version 6 the next-purchase
/// settings; version 7 splits the EASE weights into shards of products ([`Manifest::shards`]),
/// fetched as a shopper's history needs them; version 8 moves the co-purchase pairs and the
/// re-order rates into the same shards, beside the EASE rows ([`HistoryShard`]); version 9 lays
/// the catalog out by column ([`CatalogColumns`]); version 10 ships trending and the EASE
/// weights' scales as 16-bit floats ([`Bfloat16Planes`]); version 11 scales the EASE weights
/// per source product and ships each shard's with their scales ([`PlanarRows`]), so the scales'
/// file of versions 7 to 10 goes; version 12 ships prices as a dictionary of price points
/// ([`PriceColumn`]); version 13 ships a large catalog's
/// texts, but for its first page's products, in a part of their own ([`TextColumns`]),
/// fetched after the first page; version 14 codes the titles and descriptions, in the catalog
/// and apart, as numbers of words in a vocabulary ([`WordCoded`]).
pub const VERSION: u32 = 14;
/// The first version whose shards hold everything a product brings to a history.
const HISTORY_SHARDS_VERSION: u32 = 8;
/// The first version whose catalog is laid out by column.
const CATALOG_COLUMNS_VERSION: u32 = 9;
/// The first version whose one-float-per-product parts travel as 16-bit floats.
const BFLOAT16_VERSION: u32 = 10;
/// The first version whose shards carry their EASE rows by source, with the rows' scales.
const SOURCE_ROWS_VERSION: u32 = 11;
/// The first version whose catalog carries its prices as a dictionary.
const PRICE_DICTIONARY_VERSION: u32 = 12;
/// The first version whose texts are coded as words.
const WORD_CODED_VERSION: u32 = 14;
/// The oldest version this build reads: version 3 bundles rank with
/// [`BlendSettings::DEFAULT`](crate::models::blend::BlendSettings::DEFAULT).
pub const OLDEST_READABLE_VERSION: u32 = 3;
/// The manifest's file name within a bundle directory.
pub const MANIFEST_FILE: &str = "manifest.json";

const CATALOG: &str = "catalog";
/// The titles and descriptions of a large catalog's products but its first page's (version 13
/// on; [`crate::catalog::first_page`]).
const TEXTS: &str = "texts";
const POPULARITY: &str = "popularity";
const TRENDING: &str = "trending";
/// The EASE weights whole (before version 7).
const EASE: &str = "ease";
/// The EASE rows of one shard of products, by source item (version 7).
const EASE_ROWS: &str = "ease-rows";
/// What the products of one shard bring to a history (version 8 on): their EASE rows by
/// source item, their co-purchase partners and their re-order rates ([`ShardFile`]).
const HISTORY: &str = "history";
/// The scale of each target's EASE weights, which every shard's 8-bit levels are in units of
/// (versions 7 to 10).
const EASE_SCALES: &str = "ease-scales";
/// The co-purchase pairs whole (before version 8).
const COPURCHASE: &str = "copurchase";
const SEGMENTS: &str = "segments";
/// The re-order rates whole (before version 8).
const REPEATS: &str = "repeats";
const COPY: &str = "copy";
const UI_TEXTS: &str = "ui";
const IMAGES: &str = "images";

/// How many hex digits of a file's sha256 its name carries: 64 bits, so two different
/// contents of one part never share a name in practice.
const NAME_HASH_DIGITS: usize = 16;

/// Sizes of what the bundle was built from, for `aisle inspect` and the store's footer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Products in the catalog.
    pub products: u64,
    /// Distinct customers in the cleaned orders.
    pub customers: u64,
    /// Order lines kept by cleaning.
    pub order_lines: u64,
}

/// One file of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The part of the bundle it holds (`catalog`, `ease`, ...). Absent before version 5,
    /// whose file names are the part's name and `.bin`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub part: String,
    /// Name relative to the manifest. A new build names each file by its part and its content's
    /// hash, so a deploy adds files beside the old ones instead of replacing them: a page that
    /// read the old manifest still finds the old files, a cache may keep a file forever, and no
    /// reader can mix an old file with a new manifest.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Lower-case hex sha256 of the file's bytes.
    pub sha256: String,
    /// Which shard of its part the file holds, for a part split by product
    /// ([`Manifest::shards`]); absent for a part in one file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<u32>,
    /// True for a file a store fetches after its first page, not with it: the shards, when a
    /// shopper's history first needs them, and a large catalog's texts, once the first page is
    /// painted. The start-up script preloads every file but these.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_demand: bool,
}

/// The bundle's table of contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout version, [`VERSION`] for bundles this build writes.
    pub version: u32,
    /// What the bundle was built from.
    pub counts: Counts,
    /// The settings the blend ranks with, and how they were chosen (absent before version 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blend: Option<Tuning>,
    /// The shop's currency and locale (absent before version 5: plain numbers).
    #[serde(default)]
    pub money: Money,
    /// The shop's merchandising rules (absent when it declares none). `aisle build` checked
    /// them ([`Merchandising::check`]); applying them cannot fail whatever they say, so the
    /// store does not check them again.
    #[serde(default, skip_serializing_if = "Merchandising::is_empty")]
    pub merchandising: Merchandising,
    /// The locales the store offers besides the shop's own (`money.locale`), as BCP 47 tags; a
    /// locale in a language other than English has its texts and copy in the parts
    /// `ui.{tag}` and `copy.{tag}`. A reader that predates the field shows the shop's own only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_locales: Vec<String>,
    /// A line the store shows at its foot, in the shop's language: a data set's credit, the
    /// shop's name or terms (`aisle build --credit`). Absent for none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub credit: String,
    /// The shop's experiment and where reports go (`aisle build --measuring`); absent for
    /// neither. `aisle build` checked it.
    #[serde(default, skip_serializing_if = "Measuring::is_empty")]
    pub measuring: Measuring,
    /// How the catalog's products are grouped into the shards of a part split by product
    /// (absent before version 7, whose parts are whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<ShardPlan>,
    /// Every model file, with its size and digest.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    /// Parses a manifest and checks that this build can read the bundle it describes. The
    /// format and version are checked first, so a newer bundle, whatever fields it adds, is
    /// told apart from a broken one: a store reloads for the first and reports the second.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let decode_error = |error: serde_json::Error| Error::BundleDecode {
            file: MANIFEST_FILE.to_owned(),
            message: error.to_string(),
        };
        /// What every version's manifest begins with.
        #[derive(Deserialize)]
        struct Header {
            format: String,
            version: u32,
        }
        let header: Header = serde_json::from_slice(bytes).map_err(decode_error)?;
        if header.format != FORMAT || !(OLDEST_READABLE_VERSION..=VERSION).contains(&header.version)
        {
            return Err(Error::UnsupportedBundle {
                format: header.format,
                version: header.version,
                expected_format: FORMAT.to_owned(),
                expected_version: VERSION,
                oldest_version: OLDEST_READABLE_VERSION,
            });
        }
        let manifest: Self = serde_json::from_slice(bytes).map_err(decode_error)?;
        let invalid = |message: String| Error::BundleDecode {
            file: MANIFEST_FILE.to_owned(),
            message,
        };
        manifest
            .money
            .check()
            .map_err(|error| invalid(error.to_string()))?;
        if let Some(plan) = &manifest.shards {
            plan.check().map_err(invalid)?;
        }
        Ok(manifest)
    }

    /// The blend's settings and how they were chosen; a bundle older than version 4 has none
    /// and gets the defaults.
    pub fn tuning(&self) -> Tuning {
        self.blend.clone().unwrap_or_else(|| {
            Tuning::defaults(
                BlendSettings::DEFAULT,
                format!("bundle format {} carries no settings", self.version),
            )
        })
    }

    /// The manifest as pretty JSON (it is small, and people read it).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest holds only strings and numbers")
    }

    /// The plan grouping the catalog's products into shards, when what they bring to a history
    /// (EASE rows, co-purchase partners, re-order rates) travels in shards a store fetches as
    /// its shopper's history needs them (version 8 on); `None` for a bundle a store loads whole.
    pub fn history_plan(&self) -> Option<&ShardPlan> {
        self.shards
            .as_ref()
            .filter(|_| self.version >= HISTORY_SHARDS_VERSION)
    }

    /// Whether the bundle has a file holding `part`.
    fn has(&self, part: &str) -> bool {
        self.entry(part).is_ok()
    }

    /// The entry of the file holding `part`.
    fn entry(&self, part: &str) -> Result<&FileEntry> {
        self.shard_entry(part, None)
    }

    /// The entry of the file holding shard `shard` of `part` (`None`: the part in one file).
    fn shard_entry(&self, part: &str, shard: Option<u32>) -> Result<&FileEntry> {
        self.files
            .iter()
            .find(|entry| {
                entry.shard == shard
                    && (entry.part == part
                        || (entry.part.is_empty() && entry.name.strip_suffix(".bin") == Some(part)))
            })
            .ok_or_else(|| Error::MissingBundleFile {
                file: match shard {
                    Some(shard) => format!("shard {shard} of the {part} part"),
                    None => format!("the {part} part"),
                },
            })
    }

    /// Reads the file holding `part` through `read` (bytes by file name, `None` when missing)
    /// and checks it against its entry. `read` is a trait object so that the store's download
    /// carries one copy of this, whoever calls it.
    fn load(
        &self,
        part: &str,
        read: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<(String, Vec<u8>)> {
        self.load_shard(part, None, read)
    }

    /// [`Manifest::load`] of shard `shard` of `part`.
    fn load_shard(
        &self,
        part: &str,
        shard: Option<u32>,
        read: &mut dyn FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<(String, Vec<u8>)> {
        let name = &self.shard_entry(part, shard)?.name;
        let bytes = read(name).ok_or_else(|| Error::MissingBundleFile { file: name.clone() })?;
        self.verify(name, &bytes)?;
        Ok((name.clone(), bytes))
    }

    /// Checks `bytes` against the manifest's entry for `name`.
    pub fn verify(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let entry = self
            .files
            .iter()
            .find(|entry| entry.name == name)
            .ok_or_else(|| Error::MissingBundleFile {
                file: name.to_owned(),
            })?;
        let actual = sha256_hex(bytes);
        if actual != entry.sha256 {
            return Err(Error::ChecksumMismatch {
                file: name.to_owned(),
                expected: entry.sha256.clone(),
                actual,
            });
        }
        Ok(())
    }
}

/// A file as [`Manifest::load`] reads it: its name and verified bytes.
type LoadedFile = Result<(String, Vec<u8>)>;

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What [`Bundle::decode_lenient`] could use, and what it could not.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The bundle, with empty stand-ins for any skipped part.
    pub bundle: Bundle,
    /// Why each skipped personal part could not be used, in manifest order: recommendations
    /// are not personal without them.
    pub skipped: Vec<Error>,
    /// Why each optional part that presents the store could not be used: its texts or copy
    /// (the store speaks the built-in English), another locale's (not offered), its photos
    /// (placeholders). Recommendations are as personal as without the fault.
    pub unused_extras: Vec<Error>,
}

/// The decoded model parts a bundle carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    /// The products.
    pub catalog: Catalog,
    /// Distinct buyers per product.
    pub popularity: Popularity,
    /// Time-decayed popularity per product, as of the newest order.
    pub trending: Trending,
    /// Sparsified EASE co-purchase weights.
    pub ease: ItemWeights,
    /// Frequently-bought-together partners by lift.
    pub copurchase: CoPurchase,
    /// Customer segments and what each buys.
    pub segments: SegmentModel,
    /// The share of each product's buyers who bought it again.
    pub repeat_rates: RepeatRates,
    /// The blend's settings and how they were chosen (kept in the manifest).
    pub tuning: Tuning,
    /// The shop's currency and locale (kept in the manifest).
    pub money: Money,
    /// The shop's marketing copy templates, shipped as their text; `None` for the built-in
    /// English ones (and no file).
    pub copy: Option<CopyTemplates>,
    /// The store's own words in the shop's language, shipped as their text; `None` for the
    /// built-in English ones (and no file).
    pub ui_texts: Option<UiTexts>,
    /// The locales the store offers besides the shop's own, with their texts and copy.
    pub more_locales: Vec<Locale>,
    /// The shop's merchandising rules (kept in the manifest).
    pub merchandising: Merchandising,
    /// The line the store shows at its foot (kept in the manifest); empty for none.
    pub credit: String,
    /// The shop's experiment and report endpoint (kept in the manifest).
    pub measuring: Measuring,
}

impl Bundle {
    /// Encodes the parts into named files and the manifest that lists them, with shards of at
    /// least [`MIN_SHARD_PRODUCTS`] products.
    ///
    /// # Panics
    /// When the EASE weights, the co-purchase pairs or the re-order rates do not cover the
    /// catalog, as a trained or decoded bundle's always do.
    pub fn encode(&self, counts: Counts) -> (Manifest, Vec<(String, Vec<u8>)>) {
        self.encode_in_shards_of(counts, MIN_SHARD_PRODUCTS, None)
    }

    /// [`Bundle::encode`] with shards of at least `shard_products` products, or of
    /// [`MIN_SHARD_PRODUCTS`] when that is more: a request for a shard then tells the host
    /// that a shopper's history holds one of at least that many products. Bigger shards hide
    /// a history better and cost the shopper more bytes per product viewed.
    ///
    /// With the `previous` deploy's plan, the shards keep its cuts where the floor allows
    /// ([`ShardPlan::following`]), so a host that sees a shopper's requests on both sides of
    /// the deploy cannot intersect two shards into a narrower set.
    pub fn encode_in_shards_of(
        &self,
        counts: Counts,
        shard_products: usize,
        previous: Option<&ShardPlan>,
    ) -> (Manifest, Vec<(String, Vec<u8>)>) {
        let columns = CatalogColumns::from(&self.catalog);
        let (columns, texts_apart) = if self.catalog.len() > TEXTS_APART_ABOVE {
            let (columns, apart) = columns.keeping_texts_of(&self.first_page_products());
            (columns, Some(apart))
        } else {
            (columns, None)
        };
        let mut parts: Vec<(Cow<'static, str>, Vec<u8>)> = vec![
            (CATALOG.into(), to_postcard(&columns.word_coded())),
            (POPULARITY.into(), to_postcard(&self.popularity)),
            (
                TRENDING.into(),
                to_postcard(&Bfloat16Planes::from(self.trending.scores())),
            ),
            (SEGMENTS.into(), to_postcard(&self.segments)),
        ];
        if let Some(apart) = &texts_apart {
            parts.push((TEXTS.into(), to_postcard(&WordCoded::from(apart))));
        }
        if let Some(copy) = &self.copy {
            parts.push((COPY.into(), copy.text().as_bytes().to_vec()));
        }
        if let Some(texts) = &self.ui_texts {
            parts.push((UI_TEXTS.into(), texts.text().as_bytes().to_vec()));
        }
        for locale in &self.more_locales {
            let tag = locale.tag().unwrap_or_default();
            let (texts, copy) = locale.shipped();
            if let Some(texts) = texts {
                parts.push((
                    format!("{UI_TEXTS}.{tag}").into(),
                    texts.text().as_bytes().to_vec(),
                ));
            }
            if let Some(copy) = copy {
                parts.push((
                    format!("{COPY}.{tag}").into(),
                    copy.text().as_bytes().to_vec(),
                ));
            }
        }
        if !self.catalog.images().is_empty() {
            parts.push((IMAGES.into(), to_postcard(self.catalog.images())));
        }
        let entry = |part: &str, shard: Option<u32>, bytes: &[u8]| {
            let sha256 = sha256_hex(bytes);
            let shard_name = shard.map_or_else(String::new, |shard| format!("-{shard}"));
            FileEntry {
                part: part.to_owned(),
                name: format!("{part}{shard_name}.{}.bin", &sha256[..NAME_HASH_DIGITS]),
                bytes: bytes.len() as u64,
                sha256,
                shard,
                on_demand: shard.is_some() || part == TEXTS,
            }
        };
        let mut entries: Vec<FileEntry> = parts
            .iter()
            .map(|(part, bytes)| entry(part, None, bytes))
            .collect();
        let mut files: Vec<(String, Vec<u8>)> = entries
            .iter()
            .zip(parts)
            .map(|(entry, (_, bytes))| (entry.name.clone(), bytes))
            .collect();
        // What each product brings to a history (the EASE weights, most of a large shop's
        // bundle, its basket partners and re-order rate), in shards of products: a store
        // fetches the shards of its shopper's history, never the whole.
        let shard_products = shard_products.max(MIN_SHARD_PRODUCTS);
        let plan = match previous {
            Some(previous) => ShardPlan::following(previous, self.catalog.ids(), shard_products),
            None => ShardPlan::for_ids(self.catalog.ids(), shard_products),
        };
        let grouping = plan.group(self.catalog.ids());
        for shard in 0..grouping.len() {
            let members = grouping.members(shard);
            let rows_of = |rows: &SparseRows| {
                let members = members.iter().map(|&item| rows.row(item as usize));
                PlanarRows::from(&QuantizedRows::from(&SparseRows::from_row_slices(members)))
            };
            let file = ShardFile {
                ease: rows_of(self.ease.sources()),
                partners: rows_of(self.copurchase.pairs().targets()),
                repeat_rates: members
                    .iter()
                    .map(|&item| self.repeat_rates.rates()[item as usize])
                    .collect(),
            };
            let bytes = to_postcard(&file);
            let entry = entry(HISTORY, Some(shard as u32), &bytes);
            files.push((entry.name.clone(), bytes));
            entries.push(entry);
        }
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            version: VERSION,
            counts,
            blend: Some(self.tuning.clone()),
            money: self.money.clone(),
            merchandising: self.merchandising.clone(),
            more_locales: self
                .more_locales
                .iter()
                .filter_map(|locale| locale.tag().map(str::to_owned))
                .collect(),
            credit: self.credit.clone(),
            measuring: self.measuring.clone(),
            shards: Some(plan),
            files: entries,
        };
        (manifest, files)
    }

    /// The catalog positions whose texts a first page can show ([`first_page_products`]): the
    /// heads of the best sellers, of what trends and of each category, and the products the
    /// shop's merchandising names.
    fn first_page_products(&self) -> Vec<bool> {
        let categories: Vec<&str> = self
            .catalog
            .products()
            .iter()
            .map(|product| product.category.as_str())
            .collect();
        let rules = &self.merchandising;
        let named: Vec<usize> = (rules.pin.iter().map(|pin| Some(&pin.product)))
            .chain(rules.boost.iter().map(|shift| shift.product.as_ref()))
            .filter_map(|id| self.catalog.position(id?))
            .collect();
        first_page_products(
            &categories,
            &self.popularity.ranked(),
            self.trending.scores(),
            FIRST_PAGE_RANKED,
            FIRST_PAGE_PER_CATEGORY,
            &named,
        )
    }

    /// Verifies and decodes every part, refusing the bundle if any part fails. `read` returns a
    /// file's bytes by name, or `None` when it is missing.
    pub fn decode(manifest: &Manifest, read: impl FnMut(&str) -> Option<Vec<u8>>) -> Result<Self> {
        let decoded = Self::decode_lenient(manifest, read)?;
        match decoded
            .skipped
            .into_iter()
            .chain(decoded.unused_extras)
            .next()
        {
            Some(error) => Err(error),
            None => Ok(decoded.bundle),
        }
    }

    /// Verifies and decodes every part, but only the catalog, popularity and trending (what
    /// browsing needs) must succeed: a personal part (co-purchase weights, frequently bought
    /// together, segments) that is missing, changed or does not fit is replaced by an empty one
    /// and reported in [`Decoded::skipped`], so the store can still be browsed, unpersonalised,
    /// and say why. An optional part that presents the store (texts, copy, photos) that cannot be
    /// used is left out and reported in [`Decoded::unused_extras`].
    pub fn decode_lenient(
        manifest: &Manifest,
        read: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<Decoded> {
        Self::decode_parts(manifest, read, true)
    }

    /// [`Bundle::decode_lenient`] of every part but what the products bring to a history
    /// (EASE weights, co-purchase pairs, re-order rates), which `read` is not asked for and
    /// which are left empty: they are most of a large shop's bundle, and a new shopper's first
    /// page ranks without them. [`Bundle::decode_history_shard`] decodes them later, shard by
    /// shard, from a bundle that has them in shards ([`Manifest::history_plan`]). A large
    /// catalog's texts ([`Bundle::texts_file`]) are not asked for either: the catalog awaits
    /// them ([`Catalog::texts_pending`]), and [`Bundle::decode_texts`] decodes them.
    pub fn decode_lenient_without_history(
        manifest: &Manifest,
        read: impl FnMut(&str) -> Option<Vec<u8>>,
    ) -> Result<Decoded> {
        Self::decode_parts(manifest, read, false)
    }

    /// The name of the file holding the scales of the EASE weights, which decoding any of
    /// their shards needs ([`Bundle::decode_ease_scales`]), in bundles of versions 7 to 10;
    /// `None` for later ones, whose shards carry their own.
    pub fn ease_scales_file(manifest: &Manifest) -> Result<Option<&str>> {
        if manifest.version >= SOURCE_ROWS_VERSION {
            return Ok(None);
        }
        Ok(Some(&manifest.entry(EASE_SCALES)?.name))
    }

    /// The name of the file holding a large catalog's texts, which
    /// [`Bundle::decode_lenient_without_history`] leaves to come ([`Catalog::texts_pending`]);
    /// `None` for a bundle whose catalog carries them all.
    pub fn texts_file(manifest: &Manifest) -> Option<&str> {
        manifest.entry(TEXTS).ok().map(|entry| entry.name.as_str())
    }

    /// Verifies and decodes a large catalog's texts, for a catalog of `products` products.
    pub fn decode_texts(
        manifest: &Manifest,
        mut read: impl FnMut(&str) -> Option<Vec<u8>>,
        products: usize,
    ) -> Result<TextColumns> {
        let (file, bytes) = manifest.load(TEXTS, &mut read)?;
        text_columns(manifest, file, &bytes, products)
    }

    /// The name of the file holding what the products of shard `shard` bring to a history.
    pub fn history_shard_file(manifest: &Manifest, shard: usize) -> Result<&str> {
        Ok(&manifest.shard_entry(HISTORY, Some(shard as u32))?.name)
    }

    /// Verifies and decodes the scales of the EASE weights of a bundle whose catalog has
    /// `products` products: one per product.
    pub fn decode_ease_scales(
        manifest: &Manifest,
        mut read: impl FnMut(&str) -> Option<Vec<u8>>,
        products: usize,
    ) -> Result<Vec<f32>> {
        ease_scales(manifest, manifest.load(EASE_SCALES, &mut read), products)
    }

    /// Verifies and decodes what the products of shard `shard` bring to a history, for a
    /// shard whose products are `members` (catalog positions, as the manifest's plan groups
    /// them) of a catalog of `products`: one entry per member, in their order. `scales` are
    /// the EASE weights' ([`Bundle::decode_ease_scales`]) where the bundle ships them apart
    /// ([`Bundle::ease_scales_file`]), and empty where it does not.
    pub fn decode_history_shard(
        manifest: &Manifest,
        shard: usize,
        mut read: impl FnMut(&str) -> Option<Vec<u8>>,
        members: &[u32],
        products: usize,
        scales: &[f32],
    ) -> Result<HistoryShard> {
        let (file, bytes) = manifest.load_shard(HISTORY, Some(shard as u32), &mut read)?;
        shard_file(manifest, &file, &bytes, members, products, scales)
    }

    fn decode_parts(
        manifest: &Manifest,
        mut read: impl FnMut(&str) -> Option<Vec<u8>>,
        with_history: bool,
    ) -> Result<Decoded> {
        let mut load = |part: &str, shard| manifest.load_shard(part, shard, &mut read);
        let (catalog_file, bytes) = load(CATALOG, None)?;
        let invalid = |message| Error::BundleDecode {
            file: catalog_file.clone(),
            message,
        };
        let catalog: Catalog = match manifest.version {
            WORD_CODED_VERSION.. => {
                let columns: CatalogColumns = from_postcard(&catalog_file, &bytes)?;
                Catalog::try_from(columns).map_err(invalid)?
            }
            CATALOG_COLUMNS_VERSION.. => {
                let columns: CatalogColumns<PriceColumn, TextColumns> =
                    if manifest.version >= PRICE_DICTIONARY_VERSION {
                        from_postcard(&catalog_file, &bytes)?
                    } else {
                        from_postcard::<CatalogColumns<PlainPrices, TextColumns>>(
                            &catalog_file,
                            &bytes,
                        )?
                        .into()
                    };
                Catalog::try_from(columns).map_err(invalid)?
            }
            _ => from_postcard(&catalog_file, &bytes)?,
        };
        // A large catalog's texts but its first page's come apart, after the first page.
        let catalog = match manifest.has(TEXTS) {
            false => catalog,
            true if !with_history => catalog.awaiting_texts(),
            true => {
                let (file, bytes) = load(TEXTS, None)?;
                let products = catalog.len();
                catalog.with_texts(text_columns(manifest, file, &bytes, products)?)
            }
        };
        let (popularity_file, bytes) = load(POPULARITY, None)?;
        let popularity: Popularity = from_postcard(&popularity_file, &bytes)?;
        let (trending_file, bytes) = load(TRENDING, None)?;
        let trending = Trending::from_scores(floats_per_product(manifest, &trending_file, &bytes)?);

        let products = catalog.len();
        let misfit = |file: &str, what: String| Error::BundleDecode {
            file: file.to_owned(),
            message: format!("{what}, but the catalog has {products} products"),
        };
        if popularity.buyers().len() != products {
            return Err(misfit(
                &popularity_file,
                format!("{} entries", popularity.buyers().len()),
            ));
        }
        if trending.scores().len() != products {
            return Err(misfit(
                &trending_file,
                format!("{} entries", trending.scores().len()),
            ));
        }

        let mut skipped = Vec::new();
        let no_weights = || ItemWeights::none(products);
        /// The part, or `empty()` with why it could not be used.
        fn or_skipped<T>(part: Result<T>, skipped: &mut Vec<Error>, empty: impl Fn() -> T) -> T {
            part.unwrap_or_else(|error| {
                skipped.push(error);
                empty()
            })
        }
        let no_pairs = || CoPurchase::from_pairs(no_weights());
        let (ease, copurchase, repeat_rates) = if !with_history {
            (no_weights(), no_pairs(), RepeatRates::default())
        } else if manifest.history_plan().is_some() {
            match whole_sharded(manifest, &mut load, &catalog) {
                Ok((ease, in_shards)) => {
                    let (copurchase, rates) = in_shards.unwrap_or_default();
                    (ease, copurchase, rates)
                }
                Err(error) => {
                    skipped.push(error);
                    (no_weights(), no_pairs(), RepeatRates::default())
                }
            }
        } else {
            // Before version 8 the pairs and rates are whole, and the EASE weights whole too
            // or, in version 7, in shards of their own.
            let ease = if manifest.shards.is_some() {
                whole_sharded(manifest, &mut load, &catalog).map(|(ease, _)| ease)
            } else {
                fitting_weights(load(EASE, None), products)
            };
            let copurchase = whole_copurchase(load(COPURCHASE, None), products);
            let repeat_rates = whole_repeat_rates(load(REPEATS, None), products);
            (
                or_skipped(ease, &mut skipped, no_weights),
                or_skipped(copurchase, &mut skipped, no_pairs),
                or_skipped(repeat_rates, &mut skipped, RepeatRates::default),
            )
        };
        let segments = load(SEGMENTS, None)
            .and_then(|(file, bytes)| {
                let segments: SegmentModel = from_postcard(&file, &bytes)?;
                segments
                    .check(products)
                    .map_err(|message| Error::BundleDecode { file, message })?;
                Ok(segments)
            })
            .unwrap_or_else(|error| {
                skipped.push(error);
                SegmentModel::default()
            });
        // Optional: a bundle without the part speaks with the built-in English, and one whose
        // text cannot be used falls back to it and says why.
        let mut text_part = |part: &str| -> Option<Result<(String, String)>> {
            manifest.has(part).then(|| {
                let (file, bytes) = load(part, None)?;
                let text = String::from_utf8(bytes).map_err(|error| Error::BundleDecode {
                    file: file.clone(),
                    message: error.to_string(),
                })?;
                Ok((file, text))
            })
        };
        let mut texts_and_copy = |ui_part: &str, copy_part: &str| {
            let copy = text_part(copy_part)
                .map(|read| read.and_then(|(file, text)| CopyTemplates::parse(&file, &text)))
                .transpose();
            let ui_texts = text_part(ui_part)
                .map(|read| read.and_then(|(file, text)| UiTexts::parse_shipped(&file, &text)))
                .transpose();
            (ui_texts, copy)
        };
        let mut unused_extras = Vec::new();
        let (ui_texts, copy) = texts_and_copy(UI_TEXTS, COPY);
        let copy = copy.unwrap_or_else(|error| {
            unused_extras.push(error);
            None
        });
        let ui_texts = ui_texts.unwrap_or_else(|error| {
            unused_extras.push(error);
            None
        });
        // Another locale whose texts or copy cannot be used is not offered: the shopper would
        // pick a language and read English.
        let mut more_locales = Vec::new();
        for tag in &manifest.more_locales {
            match texts_and_copy(&format!("{UI_TEXTS}.{tag}"), &format!("{COPY}.{tag}")) {
                (Ok(ui_texts), Ok(copy)) => {
                    more_locales.push(Locale::new(Some(tag.clone()), ui_texts, copy));
                }
                (Err(error), _) | (_, Err(error)) => unused_extras.push(error),
            }
        }
        // Optional too: without photos the store draws its placeholders.
        let images = product_images(manifest, &mut read, products).unwrap_or_else(|error| {
            unused_extras.push(error);
            ProductImages::default()
        });
        Ok(Decoded {
            bundle: Self {
                catalog: catalog.with_images(images),
                popularity,
                trending,
                ease,
                copurchase,
                segments,
                repeat_rates,
                tuning: manifest.tuning(),
                money: manifest.money.clone(),
                copy,
                ui_texts,
                more_locales,
                merchandising: manifest.merchandising.clone(),
                credit: manifest.credit.clone(),
                measuring: manifest.measuring.clone(),
            },
            skipped,
            unused_extras,
        })
    }
}

/// The products' photos a bundle lists (none when it has no `images` part), checked to have
/// one entry per product. `aisle build` reads them too, to keep the files of the bundle it
/// replaces.
pub fn product_images(
    manifest: &Manifest,
    mut read: impl FnMut(&str) -> Option<Vec<u8>>,
    products: usize,
) -> Result<ProductImages> {
    if !manifest.has(IMAGES) {
        return Ok(ProductImages::default());
    }
    let (file, bytes) = manifest.load(IMAGES, &mut read)?;
    let images: ProductImages = from_postcard(&file, &bytes)?;
    one_per_product(&file, images.len(), "entries", products)?;
    Ok(images)
}

/// Checks that `file` lists `listed` things (`what`), one per product of the catalog's
/// `products`.
fn one_per_product(file: &str, listed: usize, what: &str, products: usize) -> Result<()> {
    if listed == products {
        return Ok(());
    }
    Err(Error::BundleDecode {
        file: file.to_owned(),
        message: format!("{listed} {what}, but the catalog has {products} products"),
    })
}

/// Every shard of a sharded bundle put back together, checked to cover the catalog: the same
/// weights, pairs and rates as those they were split from. A version 7 bundle's shards hold
/// only the EASE rows (`None` for the rest, which it has whole).
fn whole_sharded(
    manifest: &Manifest,
    load: &mut dyn FnMut(&str, Option<u32>) -> LoadedFile,
    catalog: &Catalog,
) -> Result<(ItemWeights, Option<(CoPurchase, RepeatRates)>)> {
    let products = catalog.len();
    let plan = manifest
        .shards
        .as_ref()
        .ok_or_else(|| Error::MissingBundleFile {
            file: "the shard plan".to_owned(),
        })?;
    let grouping = plan.group(catalog.ids());
    let scales = match Bundle::ease_scales_file(manifest)? {
        Some(_) => ease_scales(manifest, load(EASE_SCALES, None), products)?,
        None => Vec::new(),
    };
    let by_history = manifest.history_plan().is_some();
    // The shards' rows one after the other, and where each product's row is among them.
    let (mut ease, mut partners) = (SparseRows::new(), SparseRows::new());
    let mut row_of_product = vec![0; products];
    let mut repeat_rates = vec![0.0; products];
    for shard in 0..grouping.len() {
        let members = grouping.members(shard);
        let rows = if by_history {
            let (file, bytes) = load(HISTORY, Some(shard as u32))?;
            shard_file(manifest, &file, &bytes, members, products, &scales)?
        } else {
            let (file, bytes) = load(EASE_ROWS, Some(shard as u32))?;
            let group: ColumnGroup = from_postcard(&file, &bytes)?;
            HistoryShard {
                ease: group
                    .weights(members.len(), &scales)
                    .map_err(|message| Error::BundleDecode { file, message })?,
                ..HistoryShard::empty(members.len())
            }
        };
        for (slot, &item) in members.iter().enumerate() {
            row_of_product[item as usize] = (ease.n_rows() + slot) as u32;
            repeat_rates[item as usize] = rows.repeat_rates[slot];
        }
        ease.append(&rows.ease);
        partners.append(&rows.partners);
    }
    let in_catalog_order = |rows: &SparseRows| {
        SparseRows::from_row_slices(row_of_product.iter().map(|&row| rows.row(row as usize)))
    };
    let weights = ItemWeights::from_sources(in_catalog_order(&ease));
    let rest = by_history.then(|| {
        let pairs = ItemWeights::from_targets(in_catalog_order(&partners));
        (
            CoPurchase::from_pairs(pairs),
            RepeatRates::from_rates(repeat_rates),
        )
    });
    Ok((weights, rest))
}

/// What the products of one shard bring to a history, as they travel: each member's EASE
/// weights by target and its basket partners, each with their scales, and its re-order rate.
#[derive(Serialize, Deserialize)]
struct ShardFile {
    ease: PlanarRows,
    partners: PlanarRows,
    repeat_rates: Vec<f32>,
}

/// [`ShardFile`] as versions 8 to 10 lay it out: the EASE weights by column, in units of
/// their targets' scales, which travel in a file of their own.
#[derive(Serialize, Deserialize)]
struct ShardFileByColumn {
    ease: ColumnGroup,
    partners: QuantizedRows,
    repeat_rates: Vec<f32>,
}

/// Decodes `file`, a shard of `members` products of a catalog of `products`, as the
/// manifest's version lays it out, checked to hold one entry per member and no product
/// beyond the catalog. `scales` are the EASE weights' for versions that ship them apart.
fn shard_file(
    manifest: &Manifest,
    file: &str,
    bytes: &[u8],
    members: &[u32],
    products: usize,
    scales: &[f32],
) -> Result<HistoryShard> {
    let invalid = |message: String| Error::BundleDecode {
        file: file.to_owned(),
        message,
    };
    let (ease, partners, repeat_rates) = if manifest.version >= SOURCE_ROWS_VERSION {
        let shard: ShardFile = from_postcard(file, bytes)?;
        let ease = QuantizedRows::try_from(shard.ease)
            .and_then(|rows| rows.unpack_in_column_order())
            .map_err(invalid)?;
        if ease.n_rows() != members.len() || !ease.is_well_formed(products) {
            return Err(invalid(format!(
                "EASE lists for {} products, or an entry of an item beyond the {products} \
                 products, for a shard of {} products",
                ease.n_rows(),
                members.len()
            )));
        }
        let partners = QuantizedRows::try_from(shard.partners).map_err(invalid)?;
        (ease, partners, shard.repeat_rates)
    } else {
        let shard: ShardFileByColumn = from_postcard(file, bytes)?;
        let ease = shard.ease.weights(members.len(), scales).map_err(invalid)?;
        (ease, shard.partners, shard.repeat_rates)
    };
    let partners = partners.unpack().map_err(invalid)?;
    if partners.n_rows() != members.len() || !partners.is_well_formed(products) {
        return Err(invalid(format!(
            "partner lists for {} products, or a partner beyond the {products} products, for a \
             shard of {} products",
            partners.n_rows(),
            members.len()
        )));
    }
    if repeat_rates.len() != members.len() {
        return Err(invalid(format!(
            "{} re-order rates, for a shard of {} products",
            repeat_rates.len(),
            members.len()
        )));
    }
    Ok(HistoryShard {
        ease,
        partners,
        repeat_rates,
    })
}

/// The scales of the EASE weights, as [`Manifest::load`] read them, decoded and checked to be
/// one per product of the catalog's `products`.
fn ease_scales(manifest: &Manifest, loaded: LoadedFile, products: usize) -> Result<Vec<f32>> {
    let (file, bytes) = loaded?;
    let scales = floats_per_product(manifest, &file, &bytes)?;
    one_per_product(&file, scales.len(), "scales", products)?;
    Ok(scales)
}

/// A part of one float per product, as its version writes it: 16-bit floats from version 10,
/// f32 before.
fn floats_per_product(manifest: &Manifest, file: &str, bytes: &[u8]) -> Result<Vec<f32>> {
    if manifest.version >= BFLOAT16_VERSION {
        let planes: Bfloat16Planes = from_postcard(file, bytes)?;
        planes.floats().map_err(|message| Error::BundleDecode {
            file: file.to_owned(),
            message,
        })
    } else {
        from_postcard(file, bytes)
    }
}

/// A whole co-purchase part (before version 8), as [`Manifest::load`] read it, decoded and
/// checked to cover the catalog's `products` products.
fn whole_copurchase(loaded: LoadedFile, products: usize) -> Result<CoPurchase> {
    fitting_weights(loaded, products).map(CoPurchase::from_pairs)
}

/// A whole re-order rates part (before version 8), as [`Manifest::load`] read it, decoded and
/// checked to be one per product of the catalog's `products`.
fn whole_repeat_rates(loaded: LoadedFile, products: usize) -> Result<RepeatRates> {
    let (file, bytes) = loaded?;
    let rates: RepeatRates = from_postcard(&file, &bytes)?;
    one_per_product(&file, rates.rates().len(), "entries", products)?;
    Ok(rates)
}

/// Item-to-item lists read by [`Manifest::load`], decoded and checked to cover the catalog's
/// `products` products.
fn fitting_weights(loaded: LoadedFile, products: usize) -> Result<ItemWeights> {
    let (file, bytes) = loaded?;
    let weights = item_weights(&file, &bytes)?;
    fitting(file, weights, products)
}

/// `weights`, read from `file`, when they cover the catalog's `products` products.
fn fitting(file: String, weights: ItemWeights, products: usize) -> Result<ItemWeights> {
    if !weights.fits_catalog(products) {
        return Err(Error::BundleDecode {
            file,
            message: format!(
                "lists for {} items, but the catalog has {products} products",
                weights.n_items()
            ),
        });
    }
    Ok(weights)
}

/// Decodes item-to-item lists as packed rows first, so a malformed file's error says what is
/// wrong with it (postcard would only say "deserialization error").
fn item_weights(file: &str, bytes: &[u8]) -> Result<ItemWeights> {
    let packed: QuantizedRows = from_postcard(file, bytes)?;
    ItemWeights::try_from(packed).map_err(|message| Error::BundleDecode {
        file: file.to_owned(),
        message,
    })
}

/// The `texts` part in `file`, as the manifest's version lays it out, checked to fit a catalog
/// of `products` products.
fn text_columns(
    manifest: &Manifest,
    file: String,
    bytes: &[u8],
    products: usize,
) -> Result<TextColumns> {
    let texts = if manifest.version >= WORD_CODED_VERSION {
        let coded: WordCoded = from_postcard(&file, bytes)?;
        TextColumns::try_from(&coded)
    } else {
        Ok(from_postcard(&file, bytes)?)
    };
    texts
        .and_then(|texts| texts.check(products).map(|()| texts))
        .map_err(|message| Error::BundleDecode { file, message })
}

fn to_postcard<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_stdvec(value)
        .expect("model parts serialise: they hold no maps with non-string keys")
}

fn from_postcard<T: DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T> {
    postcard::from_bytes(bytes).map_err(|error| Error::BundleDecode {
        file: file.to_owned(),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;
    use crate::fixtures::big_and_small_spenders;
    use crate::math::sparse::SparseRows;
    use crate::serve::recommend::Model;

    fn bundle() -> Bundle {
        let catalog = Catalog::new(vec![
            Product::new("10002", "Inflatable Political Globe", 0.85),
            Product::new("22633", "Hand Warmer Union Jack", 1.85),
        ]);
        let spenders = big_and_small_spenders("22633", "10002");
        Bundle {
            segments: SegmentModel::fit(&catalog, &spenders, Some(2), 1).unwrap(),
            catalog,
            popularity: Popularity::from_buyers(vec![2, 7]),
            trending: Trending::from_scores(vec![0.5, 1.0]),
            ease: ItemWeights::from_targets(SparseRows::from_rows(vec![vec![(1, 0.25)], vec![]])),
            copurchase: CoPurchase::from_pairs(ItemWeights::from_targets(SparseRows::from_rows(
                vec![vec![(1, 2.0)], vec![(0, 2.0)]],
            ))),
            repeat_rates: RepeatRates::from_rates(vec![0.2, 0.6]),
            tuning: Tuning {
                settings: BlendSettings {
                    trending: 0.3,
                    ..BlendSettings::DEFAULT
                },
                validation: None,
                defaults_because: None,
            },
            money: Money {
                currency: Some("EUR".into()),
                locale: Some("de-DE".into()),
            },
            copy: None,
            ui_texts: None,
            more_locales: Vec::new(),
            merchandising: Default::default(),
            credit: "Fotos: der Laden".into(),
            measuring: Default::default(),
        }
    }

    /// The file name the manifest gives `part`.
    fn file_of(manifest: &Manifest, part: &str) -> String {
        manifest.entry(part).unwrap().name.clone()
    }

    fn decode_with(manifest: &Manifest, files: &[(String, Vec<u8>)]) -> Result<Bundle> {
        Bundle::decode(manifest, |name| {
            files
                .iter()
                .find(|(file, _)| file == name)
                .map(|(_, bytes)| bytes.clone())
        })
    }

    /// Puts `bytes` in the file `name` and its digest in the manifest, as a producer that writes
    /// a bad part with a right checksum would.
    fn replace_file(
        manifest: &mut Manifest,
        files: &mut [(String, Vec<u8>)],
        name: &str,
        bytes: Vec<u8>,
    ) {
        let entry = manifest.files.iter_mut().find(|e| e.name == name).unwrap();
        entry.sha256 = sha256_hex(&bytes);
        entry.bytes = bytes.len() as u64;
        files.iter_mut().find(|(file, _)| file == name).unwrap().1 = bytes;
    }

    fn decode_lenient_with(manifest: &Manifest, files: &[(String, Vec<u8>)]) -> Decoded {
        Bundle::decode_lenient(manifest, |wanted| {
            files.iter().find(|f| f.0 == wanted).map(|f| f.1.clone())
        })
        .unwrap()
    }

    #[test]
    fn sha256_of_a_known_string() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn encode_then_decode_is_the_identity() {
        let (manifest, files) = bundle().encode(Counts {
            products: 2,
            customers: 3,
            order_lines: 9,
        });
        assert_eq!(manifest.files.len(), 5, "four parts and one shard");
        assert_eq!(manifest.files[0].bytes, files[0].1.len() as u64);
        let read_back = Manifest::from_json(manifest.to_json().as_bytes()).unwrap();
        assert_eq!(read_back, manifest);
        assert_eq!(decode_with(&read_back, &files).unwrap(), bundle());
    }

    /// A bundle of `n` products whose EASE weights are pseudo-random, as shipped.
    fn large_bundle(n: u32) -> Bundle {
        let mut state = 7u64;
        let mut next = move |below: u32| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            ((state >> 33) % u64::from(below)) as u32
        };
        let rows = (0..n)
            .map(|_| {
                let mut row: Vec<(u32, f32)> = (0..next(12))
                    .map(|_| (next(n), next(1000) as f32 / 997.0 - 0.3))
                    .collect();
                row.sort_unstable_by_key(|entry| entry.0);
                row.dedup_by_key(|entry| entry.0);
                row
            })
            .collect();
        let ids = (0..n).map(|item| Product::new(&format!("SKU{item}"), "Thing", 1.0));
        let catalog = Catalog::new(ids.collect());
        Bundle {
            catalog,
            popularity: Popularity::from_buyers(vec![1; n as usize]),
            trending: Trending::from_scores(vec![0.5; n as usize]),
            ease: ItemWeights::from_targets(SparseRows::from_rows(rows)).as_shipped(),
            // Each product's partners through the 8-bit wire form, a scale per product.
            copurchase: CoPurchase::from_pairs(ItemWeights::from_targets(
                QuantizedRows::from(&SparseRows::from_rows(
                    (0..n)
                        .map(|_| {
                            (0..next(4))
                                .map(|_| (next(n), 1.0 + next(50) as f32))
                                .collect()
                        })
                        .collect(),
                ))
                .unpack()
                .unwrap(),
            )),
            segments: SegmentModel::default(),
            repeat_rates: RepeatRates::from_rates(
                (0..n).map(|_| next(100) as f32 / 99.0).collect(),
            ),
            ..bundle()
        }
    }

    fn reader(files: &[(String, Vec<u8>)]) -> impl Fn(&str) -> Option<Vec<u8>> + '_ {
        |wanted| files.iter().find(|f| f.0 == wanted).map(|f| f.1.clone())
    }

    /// [`large_bundle`] with a title, category and number of buyers of each product's own.
    fn large_titled_bundle(n: u32) -> Bundle {
        let titled = (0..n).map(|item| Product {
            title: format!("Thing number {item}"),
            category: format!("Category {}", item % 7),
            ..Product::new(&format!("SKU{item}"), "", 1.0)
        });
        Bundle {
            catalog: Catalog::new(titled.collect()),
            popularity: Popularity::from_buyers((0..n).map(|item| item % 1_500).collect()),
            trending: Trending::from_scores((0..n).map(|item| (item % 1_500) as f32).collect()),
            ..large_bundle(n)
        }
    }

    #[test]
    fn a_large_catalogs_texts_but_its_first_pages_travel_apart_and_decode_as_the_whole() {
        let large = large_titled_bundle(TEXTS_APART_ABOVE as u32 + 1_000);
        let (manifest, files) = large.encode(Counts::default());
        let texts = manifest.entry(TEXTS).unwrap();
        assert!(texts.on_demand);
        assert_eq!(Bundle::texts_file(&manifest), Some(texts.name.as_str()));
        assert_eq!(decode_with(&manifest, &files).unwrap(), large);

        // The first page's decode never asks for them, and knows the first page's titles only.
        let mut asked = Vec::new();
        let first_page = Bundle::decode_lenient_without_history(&manifest, |wanted| {
            asked.push(wanted.to_owned());
            reader(&files)(wanted)
        })
        .unwrap()
        .bundle;
        assert!(!asked.contains(&texts.name), "{asked:?}");
        let model = Model::new(first_page);
        let catalog = model.catalog();
        assert!(catalog.texts_pending());
        let best_seller = large.popularity.ranked()[0];
        let unsold = large.catalog.position("SKU1500").unwrap();
        assert_eq!(catalog.title(best_seller), large.catalog.title(best_seller));
        assert_eq!(catalog.title(unsold), None);
        assert!(model.search("thing", 5).is_empty());

        // Once they come, every title and description is the whole catalog's.
        let apart = Bundle::decode_texts(&manifest, reader(&files), catalog.len()).unwrap();
        catalog.provide_texts(apart);
        assert!(!catalog.texts_pending());
        for item in 0..large.catalog.len() {
            assert_eq!(catalog.title(item), large.catalog.title(item));
            assert_eq!(catalog.text(item), large.catalog.text(item));
        }
        assert_eq!(model.search("thing", 5).len(), 5);

        // Version 13 wrote the texts out, in the catalog and apart.
        let (mut manifest, mut files) = (manifest, files);
        let (columns, apart) =
            CatalogColumns::from(&large.catalog).keeping_texts_of(&large.first_page_products());
        for (part, bytes) in [
            (CATALOG, to_postcard(&columns)),
            (TEXTS, to_postcard(&apart)),
        ] {
            let name = file_of(&manifest, part);
            replace_file(&mut manifest, &mut files, &name, bytes);
        }
        manifest.version = 13;
        assert_eq!(decode_with(&manifest, &files).unwrap(), large);
        let texts = Bundle::decode_texts(&manifest, reader(&files), large.catalog.len());
        assert_eq!(texts.unwrap(), apart);

        // A catalog of the threshold's size ships its texts whole.
        let small = large_titled_bundle(TEXTS_APART_ABOVE as u32);
        let (manifest, _) = small.encode(Counts::default());
        assert_eq!(Bundle::texts_file(&manifest), None);
    }

    #[test]
    fn what_a_history_needs_travels_in_shards_that_decode_exactly_as_the_whole() {
        let large = large_bundle(1234);
        let (manifest, files) = large.encode(Counts::default());
        let plan = manifest.shards.clone().unwrap();
        assert_eq!(manifest.history_plan(), Some(&plan));
        assert_eq!(plan.len(), 2);
        let on_demand: Vec<&str> = manifest
            .files
            .iter()
            .filter(|e| e.on_demand)
            .map(|e| e.part.as_str())
            .collect();
        assert_eq!(on_demand, [HISTORY, HISTORY]);

        // The first page's decode never asks for them.
        let mut asked = Vec::new();
        let without = Bundle::decode_lenient_without_history(&manifest, |wanted| {
            asked.push(wanted.to_owned());
            reader(&files)(wanted)
        })
        .unwrap();
        assert!(without.skipped.is_empty(), "{:?}", without.skipped);
        let fetched_later = |name: &String| {
            manifest
                .files
                .iter()
                .any(|e| e.on_demand && e.name == *name)
        };
        assert!(!asked.iter().any(fetched_later), "{asked:?}");

        // Whole, they are the weights, pairs and rates as whole files would carry them.
        let whole = decode_with(&manifest, &files).unwrap();
        assert_eq!(whole.ease, large.ease.as_shipped());
        assert_eq!(whole.copurchase, large.copurchase);
        assert_eq!(whole.repeat_rates, large.repeat_rates);
        assert!(whole.copurchase.pairs().targets().n_entries() > 1000);

        // By shard, each member's rows are its rows of the whole, to the bit.
        let products = large.catalog.len();
        assert_eq!(Bundle::ease_scales_file(&manifest).unwrap(), None);
        let grouping = plan.group(large.catalog.ids());
        for shard in 0..plan.len() {
            let members = grouping.members(shard);
            assert!(members.len() >= MIN_SHARD_PRODUCTS);
            let rows = Bundle::decode_history_shard(
                &manifest,
                shard,
                reader(&files),
                members,
                products,
                &[],
            )
            .unwrap();
            for (slot, &item) in members.iter().enumerate() {
                let item = item as usize;
                assert_eq!(rows.ease.row(slot), whole.ease.sources().row(item));
                assert_eq!(rows.partners.row(slot), whole.copurchase.partners(item));
                assert_eq!(rows.repeat_rates[slot], whole.repeat_rates.rates()[item]);
            }
        }

        // Bigger shards on request, never smaller ones.
        let (fewer, _) = large.encode_in_shards_of(Counts::default(), 1000, None);
        assert_eq!(
            fewer.shards.unwrap().len(),
            1,
            "the whole catalog, below 2 x 1,000"
        );
        let (floor, _) = large.encode_in_shards_of(Counts::default(), 10, None);
        assert_eq!(floor.shards, manifest.shards);
        // A later deploy follows the cuts of the one before.
        let others: Vec<String> = (0..1600).map(|n| format!("OTHER{n}")).collect();
        let before = ShardPlan::for_ids(others.iter().map(String::as_str), 500);
        let (after, _) = large.encode_in_shards_of(Counts::default(), 500, Some(&before));
        let following = ShardPlan::following(&before, large.catalog.ids(), 500);
        assert_ne!(Some(&following), manifest.shards.as_ref());
        assert_eq!(after.shards, Some(following));

        // Checked like any part: against its digest, and against the catalog.
        let shard_file = Bundle::history_shard_file(&manifest, 1).unwrap().to_owned();
        let changed = |_: &str| Some(b"changed".to_vec());
        let members = grouping.members(1);
        assert!(matches!(
            Bundle::decode_history_shard(&manifest, 1, changed, members, products, &[]),
            Err(Error::ChecksumMismatch { file, .. }) if file == shard_file
        ));
        let misfit = Bundle::decode_history_shard(
            &manifest,
            1,
            reader(&files),
            &members[1..],
            products,
            &[],
        )
        .unwrap_err();
        assert!(misfit.to_string().contains(&shard_file), "{misfit}");
        assert!(matches!(
            Bundle::history_shard_file(&manifest, 2),
            Err(Error::MissingBundleFile { .. })
        ));
    }

    #[test]
    fn lists_pointing_outside_the_model_are_a_decode_error_not_a_panic() {
        // A shard whose EASE entry names item 9 of 2, or whose partner is item 9: encode it
        // raw and re-sign it, as a hostile or buggy producer could.
        let planar = |rows| PlanarRows::from(&QuantizedRows::from(&SparseRows::from_rows(rows)));
        let bad_ease = ShardFile {
            ease: planar(vec![vec![(9, 1.0)], vec![]]),
            partners: planar(vec![vec![], vec![]]),
            repeat_rates: vec![0.5; 2],
        };
        let bad_partner = ShardFile {
            ease: planar(vec![vec![], vec![]]),
            partners: planar(vec![vec![(9, 1.0)], vec![]]),
            repeat_rates: vec![0.5; 2],
        };
        for (bad, says) in [
            (bad_ease, "an item beyond the 2 products"),
            (bad_partner, "a partner beyond the 2 products"),
        ] {
            let (mut manifest, mut files) = bundle().encode(Counts::default());
            let shard = Bundle::history_shard_file(&manifest, 0).unwrap().to_owned();
            replace_file(&mut manifest, &mut files, &shard, to_postcard(&bad));
            let error = decode_with(&manifest, &files).unwrap_err();
            assert!(error.to_string().contains(says), "{error}");
        }
    }

    #[test]
    fn a_changed_byte_is_caught_and_named() {
        let (manifest, mut files) = bundle().encode(Counts::default());
        files[1].1[0] ^= 1;
        let error = decode_with(&manifest, &files).unwrap_err();
        let popularity = file_of(&manifest, POPULARITY);
        assert!(matches!(&error, Error::ChecksumMismatch { file, .. } if *file == popularity));
    }

    #[test]
    fn a_missing_file_is_named() {
        let (manifest, files) = bundle().encode(Counts::default());
        let error = decode_with(&manifest, &files[..1]).unwrap_err();
        assert_eq!(
            error,
            Error::MissingBundleFile {
                file: file_of(&manifest, POPULARITY)
            }
        );
        let mut unlisted = manifest.clone();
        unlisted.files.retain(|entry| entry.part != TRENDING);
        assert_eq!(
            decode_with(&unlisted, &files).unwrap_err(),
            Error::MissingBundleFile {
                file: "the trending part".into()
            }
        );
    }

    #[test]
    fn files_are_named_by_part_and_content() {
        let (manifest, files) = bundle().encode(Counts::default());
        for (entry, (name, bytes)) in manifest.files.iter().zip(&files) {
            assert_eq!(&entry.name, name);
            let shard = entry
                .shard
                .map_or(String::new(), |shard| format!("-{shard}"));
            assert_eq!(
                *name,
                format!("{}{shard}.{}.bin", entry.part, &sha256_hex(bytes)[..16])
            );
        }
        // Other content, another name; the same content, the same name.
        let mut changed = bundle();
        changed.trending = Trending::from_scores(vec![1.0, 0.5]);
        let (other, _) = changed.encode(Counts::default());
        assert_ne!(file_of(&other, TRENDING), file_of(&manifest, TRENDING));
        assert_eq!(file_of(&other, CATALOG), file_of(&manifest, CATALOG));
    }

    /// `bundle()` in the layout of `version` 6 to 13: the texts written out (before 14); the
    /// prices in full (before 12); the EASE
    /// weights by column, in units of their targets' scales, which travel apart (7 to 10);
    /// before 10 trending and those scales as f32; before 9 the catalog in records, one a
    /// product; before 8 the co-purchase pairs and re-order rates whole, each in one file, and
    /// the EASE weights whole too (6), or in shards of their own (7).
    fn older_layout(version: u32) -> (Manifest, Vec<(String, Vec<u8>)>) {
        let (mut manifest, mut files) = bundle().encode(Counts::default());
        let replaced: Vec<String> = manifest
            .files
            .iter()
            .filter(|entry| {
                entry.part == CATALOG
                    || (version < 10 && entry.part == TRENDING)
                    || (version < 11 && entry.part == HISTORY)
            })
            .map(|entry| entry.name.clone())
            .collect();
        manifest
            .files
            .retain(|entry| !replaced.contains(&entry.name));
        files.retain(|(name, _)| !replaced.contains(name));
        let packed = QuantizedRows::from(bundle().ease.targets());
        let ease_rows = ColumnGroup::split(&packed, &[&[0, 1]]).remove(0);
        let mut parts = Vec::new();
        if version < 10 {
            parts.push((TRENDING, None, to_postcard(&bundle().trending)));
        }
        let catalog = match version {
            ..9 => to_postcard(&bundle().catalog),
            9..12 => to_postcard(&CatalogColumns::from(&bundle().catalog).with_plain_prices()),
            _ => to_postcard(&CatalogColumns::from(&bundle().catalog)),
        };
        parts.push((CATALOG, None, catalog));
        if (7..=10).contains(&version) {
            let scales = match version {
                10 => to_postcard(&Bfloat16Planes::from(packed.scales())),
                _ => to_postcard(&packed.scales()),
            };
            parts.push((EASE_SCALES, None, scales));
        }
        if version < 8 {
            parts.push((COPURCHASE, None, to_postcard(&bundle().copurchase)));
            parts.push((REPEATS, None, to_postcard(&bundle().repeat_rates)));
        }
        match version {
            6 => {
                parts.push((EASE, None, to_postcard(&bundle().ease)));
                manifest.shards = None;
            }
            7 => parts.push((EASE_ROWS, Some(0), to_postcard(&ease_rows))),
            8..=10 => {
                let shard = ShardFileByColumn {
                    ease: ease_rows,
                    partners: QuantizedRows::from(bundle().copurchase.pairs().targets()),
                    repeat_rates: bundle().repeat_rates.rates().to_vec(),
                };
                parts.push((HISTORY, Some(0), to_postcard(&shard)));
            }
            // Version 11's history shards are this version's.
            _ => {}
        }
        for (part, shard, bytes) in parts {
            let sha256 = sha256_hex(&bytes);
            let shard_name = shard.map_or_else(String::new, |shard| format!("-{shard}"));
            let name = format!("{part}{shard_name}.{}.bin", &sha256[..16]);
            manifest.files.push(FileEntry {
                part: part.to_owned(),
                name: name.clone(),
                bytes: bytes.len() as u64,
                sha256,
                shard,
                on_demand: shard.is_some() || part == EASE_SCALES,
            });
            files.push((name, bytes));
        }
        manifest.version = version;
        (manifest, files)
    }

    #[test]
    fn version_6_and_7_bundles_with_the_pairs_and_rates_whole_are_read_whole() {
        for version in [6, 7] {
            let (manifest, files) = older_layout(version);
            let read_back = Manifest::from_json(manifest.to_json().as_bytes()).unwrap();
            assert_eq!(read_back.history_plan(), None, "a store loads it whole");
            assert_eq!(manifest.to_json().contains("\"shard"), version == 7);
            assert_eq!(decode_with(&read_back, &files).unwrap(), bundle());
        }
    }

    /// Asserts that `files`, laid out for an older version, are refused as the next version's,
    /// naming the file of `part`, the first whose layout differs.
    fn refused_as_the_next_version(
        mut manifest: Manifest,
        files: &[(String, Vec<u8>)],
        part: &str,
    ) {
        manifest.version += 1;
        let error = decode_with(&manifest, files).unwrap_err();
        assert!(
            matches!(&error, Error::BundleDecode { file, .. } if file.starts_with(&format!("{part}."))),
            "{error}"
        );
    }

    #[test]
    fn a_version_10_bundle_with_the_ease_weights_by_column_and_their_scales_apart_is_read() {
        let (manifest, files) = older_layout(10);
        let read_back = Manifest::from_json(manifest.to_json().as_bytes()).unwrap();
        assert_eq!(decode_with(&read_back, &files).unwrap(), bundle());
        // Shard by shard, with the scales fetched first.
        let scales_file = Bundle::ease_scales_file(&read_back).unwrap().unwrap();
        let scales = Bundle::decode_ease_scales(&read_back, reader(&files), 2).unwrap();
        let shard =
            Bundle::decode_history_shard(&read_back, 0, reader(&files), &[0, 1], 2, &scales);
        assert_eq!(shard.unwrap().ease, bundle().ease.sources().clone());
        // Scales that do not fit the catalog are refused, naming their file.
        let misfit = Bundle::decode_ease_scales(&read_back, reader(&files), 3).unwrap_err();
        assert!(misfit.to_string().contains(scales_file), "{misfit}");
        refused_as_the_next_version(read_back, &files, &format!("{HISTORY}-0"));
    }

    #[test]
    fn bundles_of_versions_8_9_and_11_are_read_and_refused_as_the_next_version() {
        // Each with the first part the next version lays out otherwise: version 9 the catalog
        // by column, 10 trending as 16-bit planes, 12 the prices as a dictionary, 14 the texts
        // coded as words.
        for (version, changed) in [(8, CATALOG), (9, TRENDING), (11, CATALOG), (13, CATALOG)] {
            let (manifest, files) = older_layout(version);
            let read_back = Manifest::from_json(manifest.to_json().as_bytes()).unwrap();
            assert!(read_back.history_plan().is_some());
            let decoded = decode_with(&read_back, &files).unwrap();
            assert_eq!(decoded, bundle(), "version {version}");
            refused_as_the_next_version(read_back, &files, changed);
        }
    }

    #[test]
    fn a_version_4_bundle_with_plain_names_is_read() {
        let (mut manifest, mut files) = older_layout(6);
        manifest.version = 4;
        for (entry, file) in manifest.files.iter_mut().zip(&mut files) {
            entry.name = format!("{}.bin", entry.part);
            entry.part.clear();
            file.0 = entry.name.clone();
        }
        let read_back = Manifest::from_json(manifest.to_json().as_bytes()).unwrap();
        assert!(!manifest.to_json().contains("\"part\""));
        assert_eq!(decode_with(&read_back, &files).unwrap(), bundle());
    }

    #[test]
    fn a_malformed_currency_is_refused_before_any_page_formats_with_it() {
        let (mut manifest, _) = bundle().encode(Counts::default());
        manifest.money.currency = Some("euro".into());
        let error = Manifest::from_json(manifest.to_json().as_bytes()).unwrap_err();
        let names_it = |message: &str| message.contains("`euro`");
        assert!(
            matches!(&error, Error::BundleDecode { file, message }
                if file == MANIFEST_FILE && names_it(message)),
            "{error}"
        );
    }

    #[test]
    fn other_formats_and_versions_are_refused() {
        let (mut manifest, _) = bundle().encode(Counts::default());
        manifest.version = VERSION + 1;
        let error = Manifest::from_json(manifest.to_json().as_bytes()).unwrap_err();
        assert!(
            matches!(error, Error::UnsupportedBundle { version, .. } if version == VERSION + 1)
        );
        // A newer version with settings this build does not know is newer, not broken; the
        // same settings in this version's manifest are an error in it.
        let mut newer: serde_json::Value = serde_json::from_str(&manifest.to_json()).unwrap();
        newer["blend"]["settings"]["someNewSignal"] = serde_json::json!(1.0);
        let error = Manifest::from_json(newer.to_string().as_bytes()).unwrap_err();
        assert!(matches!(error, Error::UnsupportedBundle { .. }));
        newer["version"] = serde_json::json!(VERSION);
        let error = Manifest::from_json(newer.to_string().as_bytes()).unwrap_err();
        assert!(matches!(error, Error::BundleDecode { .. }));
        assert!(matches!(
            Manifest::from_json(b"[]").unwrap_err(),
            Error::BundleDecode { .. }
        ));
    }

    #[test]
    fn a_version_3_manifest_is_read_with_the_default_settings() {
        let (mut manifest, files) = older_layout(6);
        manifest.version = 3;
        manifest.blend = None;
        let read_back = Manifest::from_json(manifest.to_json().as_bytes()).unwrap();
        let decoded = decode_with(&read_back, &files).unwrap();
        assert_eq!(decoded.tuning.settings, BlendSettings::DEFAULT);
        assert_eq!(
            decoded.tuning.defaults_because.as_deref(),
            Some("bundle format 3 carries no settings")
        );
        manifest.version = 2;
        assert!(matches!(
            Manifest::from_json(manifest.to_json().as_bytes()).unwrap_err(),
            Error::UnsupportedBundle { version: 2, .. }
        ));
    }

    #[test]
    fn parts_that_do_not_fit_the_catalog_are_refused_and_named() {
        let mut short = bundle();
        short.popularity = Popularity::from_buyers(vec![1]);
        let (manifest, files) = short.encode(Counts::default());
        let file = file_of(&manifest, POPULARITY);
        let error = decode_with(&manifest, &files).unwrap_err();
        assert!(
            matches!(&error, Error::BundleDecode { file: f, .. } if *f == file),
            "{error}"
        );
    }

    #[test]
    fn lenient_decoding_skips_broken_personal_parts_and_says_why() {
        let (manifest, mut files) = bundle().encode(Counts::default());
        let shard = Bundle::history_shard_file(&manifest, 0).unwrap().to_owned();
        let broken = [shard, file_of(&manifest, SEGMENTS)];
        for (name, bytes) in &mut files {
            if broken.contains(name) {
                bytes[0] ^= 1;
            }
        }
        let decoded = decode_lenient_with(&manifest, &files);
        let skipped: Vec<String> = decoded
            .skipped
            .iter()
            .map(|error| match error {
                Error::ChecksumMismatch { file, .. } => file.clone(),
                other => panic!("{other}"),
            })
            .collect();
        assert_eq!(skipped, broken);
        assert_eq!(decoded.bundle.catalog, bundle().catalog);
        assert_eq!(decoded.bundle.trending, bundle().trending);
        assert_eq!(decoded.bundle.ease.targets().n_entries(), 0);
        assert_eq!(decoded.bundle.copurchase.pairs().targets().n_entries(), 0);
        assert!(decoded.bundle.repeat_rates.rates().is_empty());
        assert!(decoded.bundle.segments.segments().is_empty());
        // Strict decoding refuses the same files, naming the first.
        let error = decode_with(&manifest, &files).unwrap_err();
        assert!(matches!(&error, Error::ChecksumMismatch { file, .. } if *file == broken[0]));
    }

    #[test]
    fn text_parts_travel_as_their_text_and_unusable_ones_fall_back() {
        let copy = CopyTemplates::english()
            .text()
            .replace("Trending now | ", "Hot this week | ");
        let ui = UiTexts::built_in(crate::catalog::language::Language::German)
            .unwrap()
            .text()
            .to_owned();
        let cases = [
            (
                COPY,
                Bundle {
                    copy: Some(CopyTemplates::parse("ours.txt", &copy).unwrap()),
                    ..bundle()
                },
                copy.replace("Hot this week | ", "Hot {this} week | "),
                "unknown slot `{this}`",
            ),
            (
                UI_TEXTS,
                Bundle {
                    ui_texts: Some(UiTexts::parse("ours.txt", &ui).unwrap()),
                    ..bundle()
                },
                ui.replace("home.all = Alle", "home.all = Alle {this}"),
                "`home.all` has slot `{this}`",
            ),
        ];
        for (part, with_text, unusable, fault) in cases {
            let (manifest, mut files) = with_text.encode(Counts::default());
            let name = file_of(&manifest, part);
            assert!(name.starts_with(&format!("{part}.")));
            let text = &files.iter().find(|(file, _)| *file == name).unwrap().1;
            let ours = match part {
                COPY => with_text.copy.as_ref().unwrap().text(),
                _ => with_text.ui_texts.as_ref().unwrap().text(),
            };
            assert_eq!(text, ours.as_bytes(), "the shop's file, byte for byte");
            assert_eq!(decode_with(&manifest, &files).unwrap(), with_text);

            // A text that hashes right but cannot be used: the bundle still opens, with the
            // built-in English, and says which line of which file is at fault.
            let mut manifest = manifest;
            replace_file(&mut manifest, &mut files, &name, unusable.into_bytes());
            let decoded = decode_lenient_with(&manifest, &files);
            assert_eq!(
                decoded.bundle,
                Bundle {
                    copy: None,
                    ui_texts: None,
                    ..bundle()
                }
            );
            // Recommendations stay personal: only an extra is unused.
            assert!(decoded.skipped.is_empty());
            let message = decoded.unused_extras[0].to_string();
            assert!(message.starts_with(&format!("{name}: line ")), "{message}");
            assert!(message.contains(fault), "{message}");
        }
    }

    #[test]
    fn other_locales_travel_in_parts_of_their_own_and_an_unusable_one_is_not_offered() {
        let with_locales = Bundle {
            more_locales: vec![
                Locale::built_in("en-GB").unwrap(),
                Locale::built_in("zh-CN").unwrap(),
            ],
            ..bundle()
        };
        let (mut manifest, mut files) = with_locales.encode(Counts::default());
        assert_eq!(manifest.more_locales, ["en-GB", "zh-CN"]);
        // English is built into every store: only Chinese ships texts and copy.
        let parts: Vec<&str> = manifest
            .files
            .iter()
            .map(|entry| entry.part.as_str())
            .collect();
        assert!(
            parts.ends_with(&["ui.zh-CN", "copy.zh-CN", HISTORY]),
            "{parts:?}"
        );
        assert_eq!(decode_with(&manifest, &files).unwrap(), with_locales);

        let name = file_of(&manifest, "ui.zh-CN");
        let unusable = Locale::built_in("zh-CN")
            .unwrap()
            .ui_texts()
            .text()
            .to_owned()
            + "\nnot a text\n";
        replace_file(&mut manifest, &mut files, &name, unusable.into_bytes());
        let decoded = decode_lenient_with(&manifest, &files);
        assert_eq!(
            decoded.bundle.more_locales,
            [Locale::built_in("en-GB").unwrap()]
        );
        assert!(decoded.skipped.is_empty());
        let message = decoded.unused_extras[0].to_string();
        assert!(message.starts_with(&format!("{name}: line ")), "{message}");
    }

    #[test]
    fn photos_travel_in_their_own_part_and_a_misfit_list_falls_back_to_placeholders() {
        use crate::catalog::images::{ImageFile, ProductImage};
        let file = |name: &str, width| ImageFile {
            name: name.to_owned(),
            width,
            height: 300,
        };
        let images = ProductImages::new(vec![
            None,
            Some(ProductImage {
                card: file("images/22633-card.0123456789abcdef.webp", 400),
                page: file("images/22633-page.fedcba9876543210.webp", 400),
            }),
        ]);
        let plain = bundle();
        let with_photos = Bundle {
            catalog: plain.catalog.clone().with_images(images.clone()),
            ..bundle()
        };
        assert!(!plain.encode(Counts::default()).0.has(IMAGES));
        let (manifest, files) = with_photos.encode(Counts::default());
        let decoded = decode_with(&manifest, &files).unwrap();
        assert_eq!(decoded, with_photos);
        assert_eq!(decoded.catalog.image(1), images.get(1));
        assert_eq!(decoded.catalog.image(0), None);
        let read = |wanted: &str| files.iter().find(|f| f.0 == wanted).map(|f| f.1.clone());
        assert_eq!(product_images(&manifest, read, 2).unwrap(), images);

        // A list that does not fit the catalog: the store opens with placeholders and says why.
        let misfit = Bundle {
            catalog: plain.catalog.clone().with_images(ProductImages::new(vec![
                None,
                None,
                images.get(1).cloned(),
            ])),
            ..bundle()
        };
        let (manifest, files) = misfit.encode(Counts::default());
        let decoded = decode_lenient_with(&manifest, &files);
        assert_eq!(decoded.bundle, plain);
        assert!(decoded.skipped.is_empty());
        let message = decoded.unused_extras[0].to_string();
        assert!(
            message.contains("3 entries, but the catalog has 2 products"),
            "{message}"
        );
    }
}
