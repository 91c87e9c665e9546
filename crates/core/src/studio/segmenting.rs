//! Segments as the marketer asks for them: their features and scaling, a k sweep (elbow and
//! silhouette) with a suggested k, k-means, and for each segment a name, its size, its centroid
//! in original units, what sets it apart, its top products; plus a 2-D map of the customers.
//!
//! **Segments.** Features, scaling, the k sweep, k-means and the names come from
//! [`segment_customers`](crate::segmentation::segments::segment_customers), the one pipeline
//! `aisle segment` and the bundle's segments run too, so the studio and the CLI name the same
//! customers alike. The studio's worker shares the k sweep out with a second worker
//! ([`SegmentsInProgress`]), which gives the same scores.
//!
//! **Top products.** A segment's products are ranked by `share × √lift`, where `share` is the
//! fraction of the segment's customers who bought the product and `lift` is that share over the
//! share among all customers. Share alone would give every segment the shop's best sellers;
//! lift alone would pick products one or two customers bought. A product needs buyers from at
//! least 2% of the segment (at most 5 customers, at least 1) to be ranked.
//!
//! **What sets it apart.** Features whose segment median differs from the overall median by a
//! factor of 1.5 or more, largest difference first, at most three; and the categories its
//! customers lean towards ([`crate::segmentation::affinity::leanings`]), counted over the distinct products
//! each customer bought.
//!
//! ```
//! use aisle_core::input::missing::MissingValues;
//! use aisle_core::input::orders::ColumnMap;
//! use aisle_core::segmentation::segments::SegmentRequest;
//! use aisle_core::studio::{Input, Studio, segmenting::segment};
//! let mut csv = String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
//! for customer in 0..20 {
//!     let (quantity, day) = if customer < 10 { (50, 28) } else { (1, 1) };
//!     csv += &format!("{customer},10001,MUG,{quantity},2011-01-{day:02} 10:00:00,2.00,{customer}\n");
//! }
//! let studio = Studio::read(vec![Input::from_bytes("a.csv", csv.as_bytes())],
//!     &ColumnMap::online_retail(), &MissingValues::default(), &mut |_| {}).unwrap();
//! let request = SegmentRequest { k: Some(2), ..SegmentRequest::default() };
//! let segments = segment(&studio, &request, &mut |_| {}).unwrap();
//! assert_eq!(segments.k, 2);
//! assert_eq!(segments.segments.iter().map(|s| s.size).sum::<usize>(), 20);
//! ```

use ndarray::{ArrayView2, Axis};
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use super::{Progress, Stage, Studio};
use crate::catalog::money::Money;
use crate::error::Result;
use crate::math::stats::median;
use crate::segmentation::affinity::{Leaning, category_shares, leanings};
use crate::segmentation::pca::Pca2;
use crate::segmentation::segments::SegmentRequest;
use crate::segmentation::segments::{FeatureRank, KSuggestion, PreparedSegmentation, Segmentation};
use crate::segmentation::sweep::{KScore, SweepShare, share_out};
use crate::serve::copy::Featured;
use crate::serve::ui_texts::UiTexts;

/// Points drawn on the 2-D map at most: more would not be seen, only slow the page.
pub const SCATTER_POINTS: usize = 2_000;

/// Points each segment keeps on the map however small it is (all of them, when fewer).
pub const SCATTER_MINIMUM_PER_SEGMENT: usize = 25;

/// Products listed per segment.
pub const TOP_PRODUCTS: usize = 10;

/// A feature's value for a segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureValue {
    /// Feature name.
    pub feature: String,
    /// Value in original units.
    pub value: f64,
}

/// A product a segment buys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopProduct {
    /// Product code.
    pub id: String,
    /// Readable title.
    pub title: String,
    /// Its category (derived from the title for an order export).
    pub category: String,
    /// Median unit price.
    pub price: f64,
    /// Customers of the segment who bought it.
    pub buyers: usize,
    /// `buyers` over the segment's size.
    pub share: f64,
    /// `share` over the share among all customers.
    pub lift: f64,
}

/// One segment, as its card shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentCard {
    /// Name by the rule in the module docs.
    pub name: String,
    /// Customers in it.
    pub size: usize,
    /// Its share of all customers, in [0, 1].
    pub share: f64,
    /// The k-means centroid of the clustered features, in original units.
    pub centroid: Vec<FeatureValue>,
    /// The median member, every feature, in original units.
    pub typical: Vec<FeatureValue>,
    /// What sets it apart: the features whose median sits furthest from everyone's.
    pub traits: Vec<Trait>,
    /// Its products, best first (see the module docs).
    pub top_products: Vec<TopProduct>,
    /// The categories its customers buy more of than the average customer (by distinct
    /// products bought; [`crate::segmentation::affinity::leanings`] with a lift of at least
    /// [`LEANING_LIFT`]), strongest first, at most three.
    pub leanings: Vec<Leaning>,
}

/// A feature on which a segment's median member differs from the median customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trait {
    /// The feature's name.
    pub feature: String,
    /// The segment's median over everyone's (above 1: more).
    pub ratio: f64,
}

impl Trait {
    /// The trait as a sentence in the words of `texts` (the studio's), its ratio written by
    /// `number` with one decimal: "Total spent: 3.0× the median customer", or "166.5× lower"
    /// for a ratio below 1.
    pub fn describe(&self, texts: &UiTexts, number: &dyn Fn(f64) -> String) -> String {
        let key = super::texts::feature_key(&self.feature);
        let feature = texts.get(&key);
        let (key, ratio) = if self.ratio >= 1.0 {
            ("trait.more", self.ratio)
        } else {
            ("trait.less", 1.0 / self.ratio)
        };
        texts.fill(key, &[("feature", feature), ("ratio", &number(ratio))])
    }
}

/// The lift a segment's share of a category needs to count as a leaning.
pub const LEANING_LIFT: f64 = 1.2;

impl SegmentCard {
    /// What the segment's copy features: its top product (title, category and price), or
    /// [`crate::serve::copy::FALLBACK_PRODUCT`] when it has none.
    pub fn featured(&self) -> Featured {
        self.top_products
            .first()
            .map_or_else(Featured::fallback, |top| {
                Featured::priced(&top.title, &top.category, Money::default().plain(top.price))
            })
    }
}

/// Customers projected onto the two principal components of the scaled features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scatter {
    /// (x, y) per drawn customer.
    pub points: Vec<[f32; 2]>,
    /// The segment of each drawn customer.
    pub segments: Vec<usize>,
    /// The share of variance each axis explains.
    pub explained: [f64; 2],
    /// Customers in all, of whom `points` is a sample.
    pub customers: usize,
}

/// Everything the segments step shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudioSegments {
    /// The request this answers.
    pub request: SegmentRequest,
    /// The k used.
    pub k: usize,
    /// The sweep's suggestion, and why.
    pub suggestion: KSuggestion,
    /// Inertia and silhouette for each k of the sweep.
    pub sweep: Vec<KScore>,
    /// k-means inertia at `k`, in scaled units.
    pub inertia: f64,
    /// Mean silhouette at `k` (sampled for large n).
    pub silhouette: f64,
    /// The segments, in cluster order.
    pub segments: Vec<SegmentCard>,
    /// How well each feature tells the segments apart, most telling first.
    pub ranking: Vec<FeatureRank>,
    /// The 2-D map.
    pub scatter: Scatter,
    /// Each customer's segment, in the customer table's order (kept in the worker, for exports).
    #[serde(skip)]
    pub labels: Vec<usize>,
}

/// Runs the segments step on `studio` as `request` says (the pipeline `aisle segment` and the
/// bundle run too), then describes each segment for its card and draws the map; `progress`
/// hears each stage. The same as a [`SegmentsInProgress`] that sweeps every k here.
pub fn segment(
    studio: &Studio,
    request: &SegmentRequest,
    progress: &mut dyn FnMut(Progress),
) -> Result<StudioSegments> {
    let segments = SegmentsInProgress::start(studio, request, 0)?;
    let sweep = segments.sweep_here(progress)?;
    segments.finish(studio, sweep, progress)
}

/// A segments step whose k sweep is shared out over workers ([`crate::segmentation::sweep`]):
/// [`start`](Self::start) it, send each of its [`shares`](Self::shares) to another worker,
/// [`sweep_here`](Self::sweep_here) the k's kept, then [`finish`](Self::finish) with every
/// k's score.
#[derive(Debug)]
pub struct SegmentsInProgress {
    request: SegmentRequest,
    prepared: PreparedSegmentation,
    /// The k's swept here.
    here: Vec<usize>,
    /// The k's other workers sweep, one share each.
    pub shares: Vec<SweepShare>,
}

impl SegmentsInProgress {
    /// Checks `request` and scales the features, keeping one share of the k's here and making
    /// one for each of `helpers` other workers ([`share_out`]).
    pub fn start(studio: &Studio, request: &SegmentRequest, helpers: usize) -> Result<Self> {
        let prepared = PreparedSegmentation::new(&studio.table, request)?;
        let mut shares = share_out(&prepared.ks(), 1 + helpers).into_iter();
        let here = shares.next().unwrap_or_default();
        let shares = shares.map(|ks| prepared.share(ks)).collect();
        Ok(Self {
            request: request.clone(),
            prepared,
            here,
            shares,
        })
    }

    /// Sweeps the k's kept here; `progress` hears each.
    pub fn sweep_here(&self, progress: &mut dyn FnMut(Progress)) -> Result<Vec<KScore>> {
        self.prepared.sweep(&self.here, &mut |stage, done| {
            progress(Progress::new(Stage::Segmenting(stage), done))
        })
    }

    /// The segments from `sweep`, every k's score, however swept: clustered at the chosen k,
    /// each described for its card, and the map drawn.
    pub fn finish(
        self,
        studio: &Studio,
        sweep: Vec<KScore>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<StudioSegments> {
        let segmentation = self
            .prepared
            .finish(&studio.table, sweep, &mut |stage, done| {
                progress(Progress::new(Stage::Segmenting(stage), done))
            })?;
        progress(Progress::new(Stage::Describing, 0.92));
        let members = segmentation.members();
        let segments = describe_segments(studio, &segmentation, &members);
        progress(Progress::new(Stage::Drawing, 0.95));
        let scatter = scatter(
            segmentation.scaled.view(),
            &segmentation.labels,
            &members,
            self.request.seed,
        )?;
        Ok(StudioSegments {
            request: self.request,
            k: segmentation.k,
            suggestion: segmentation.suggestion,
            sweep: segmentation.sweep,
            inertia: segmentation.inertia,
            silhouette: segmentation.silhouette,
            segments,
            ranking: segmentation.feature_ranking,
            scatter,
            labels: segmentation.labels,
        })
    }
}

/// Median of `column` over `rows` of the table.
fn median_over(studio: &Studio, column: usize, rows: &[usize]) -> f64 {
    let original = studio.table.original.column(column);
    let mut values: Vec<f64> = rows.iter().map(|&row| f64::from(original[row])).collect();
    median(&mut values)
}

/// Each segment's card: the pipeline's name, size and centroid, with what the studio adds.
fn describe_segments(
    studio: &Studio,
    segmentation: &Segmentation,
    members: &[Vec<usize>],
) -> Vec<SegmentCard> {
    let table = &studio.table;
    let n = table.customers.len();
    let everyone: Vec<usize> = (0..n).collect();
    let overall_typical: Vec<f64> = (0..table.features.len())
        .map(|feature| median_over(studio, feature, &everyone))
        .collect();
    let product_buyers = buyers_per_product(studio, &everyone);
    let bought = |buyers: &[usize]| {
        category_shares(
            &studio.catalog,
            buyers
                .iter()
                .enumerate()
                .map(|(item, &count)| (item, count as f64)),
        )
    };
    let everyone_bought = bought(&product_buyers);

    segmentation
        .segments
        .iter()
        .zip(members)
        .map(|(segment, rows)| {
            let typical: Vec<f64> = (0..table.features.len())
                .map(|feature| median_over(studio, feature, rows))
                .collect();
            let buyers = buyers_per_product(studio, rows);
            SegmentCard {
                name: segment.name.clone(),
                size: segment.size,
                share: segment.share,
                centroid: segmentation
                    .columns
                    .iter()
                    .map(|&feature| {
                        let name = table.features[feature].name;
                        FeatureValue {
                            feature: name.to_owned(),
                            value: f64::from(segment.centroid[name]),
                        }
                    })
                    .collect(),
                traits: traits(studio, &typical, &overall_typical),
                typical: table
                    .features
                    .iter()
                    .zip(&typical)
                    .map(|(feature, &value)| FeatureValue {
                        feature: feature.name.to_owned(),
                        value,
                    })
                    .collect(),
                top_products: top_products(studio, &buyers, rows.len(), &product_buyers, n),
                leanings: leanings(&bought(&buyers), &everyone_bought, LEANING_LIFT, 3),
            }
        })
        .collect()
}

/// The features where the segment's median is 1.5 times the overall median or more (or a
/// 1.5th or less), largest difference first, at most three.
fn traits(studio: &Studio, typical: &[f64], overall: &[f64]) -> Vec<Trait> {
    let mut differences: Vec<(f64, Trait)> = studio
        .table
        .features
        .iter()
        .zip(typical.iter().zip(overall))
        .filter(|(_, (segment, all))| **segment > 0.0 && **all > 0.0)
        .map(|(feature, (&segment, &all))| {
            let ratio = segment / all;
            let feature = feature.name.to_owned();
            (ratio.ln().abs(), Trait { feature, ratio })
        })
        .filter(|(difference, _)| *difference >= 1.5f64.ln())
        .collect();
    differences.sort_by(|a, b| b.0.total_cmp(&a.0));
    differences
        .into_iter()
        .take(3)
        .map(|(_, found)| found)
        .collect()
}

/// How many of `rows` bought each catalog product.
fn buyers_per_product(studio: &Studio, rows: &[usize]) -> Vec<usize> {
    let mut buyers = vec![0usize; studio.catalog.len()];
    for &row in rows {
        for &item in &studio.baskets[row] {
            buyers[item as usize] += 1;
        }
    }
    buyers
}

/// The segment's top products from `buyers` (its customers who bought each product; `size`
/// customers in all), against `everyone_buyers` among all `customers`.
fn top_products(
    studio: &Studio,
    buyers: &[usize],
    size: usize,
    everyone_buyers: &[usize],
    customers: usize,
) -> Vec<TopProduct> {
    if size == 0 {
        return Vec::new();
    }
    let minimum = ((size as f64 * 0.02).ceil() as usize).clamp(1, 5);
    let mut ranked: Vec<(f64, TopProduct)> = buyers
        .iter()
        .enumerate()
        .filter(|&(_, &count)| count >= minimum)
        .filter_map(|(item, &count)| {
            let product = studio.catalog.product(item)?;
            let share = count as f64 / size as f64;
            let lift = share / (everyone_buyers[item] as f64 / customers as f64);
            Some((
                share * lift.sqrt(),
                TopProduct {
                    id: product.id.clone(),
                    title: product.title.clone(),
                    category: product.category.clone(),
                    price: product.price,
                    buyers: count,
                    share,
                    lift,
                },
            ))
        })
        .collect();
    // Best score first; ties by product code, so the list does not depend on catalog order.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    ranked
        .into_iter()
        .take(TOP_PRODUCTS)
        .map(|(_, product)| product)
        .collect()
}

/// A seeded sample of at most [`SCATTER_POINTS`] customers (topped up so each segment keeps
/// [`SCATTER_MINIMUM_PER_SEGMENT`]) on the first two principal components of `scaled`.
fn scatter(
    scaled: ArrayView2<f32>,
    labels: &[usize],
    members: &[Vec<usize>],
    seed: u64,
) -> Result<Scatter> {
    let n = scaled.nrows();
    let mut chosen: Vec<usize> = if n <= SCATTER_POINTS {
        (0..n).collect()
    } else {
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        rand::seq::index::sample(&mut rng, n, SCATTER_POINTS).into_vec()
    };
    let mut drawn = vec![0usize; members.len()];
    for &row in &chosen {
        drawn[labels[row]] += 1;
    }
    let mut is_chosen = vec![false; n];
    chosen.iter().for_each(|&row| is_chosen[row] = true);
    for (segment, rows) in members.iter().enumerate() {
        let wanted = SCATTER_MINIMUM_PER_SEGMENT.min(rows.len());
        for &row in rows.iter().filter(|&&row| !is_chosen[row]) {
            if drawn[segment] >= wanted {
                break;
            }
            chosen.push(row);
            drawn[segment] += 1;
        }
    }
    chosen.sort_unstable();
    let pca = Pca2::fit(scaled)?;
    let sample = scaled.select(Axis(0), &chosen);
    let projected = pca.transform(sample.view());
    Ok(Scatter {
        points: projected
            .rows()
            .into_iter()
            .map(|row| [row[0], row[1]])
            .collect(),
        segments: chosen.iter().map(|&row| labels[row]).collect(),
        explained: pca.explained_variance_ratio(),
        customers: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::missing::MissingValues;
    use crate::input::orders::ColumnMap;
    use crate::segmentation::segments::{AUTO_K, FeatureScaling, SegmentingStage};
    use ndarray::Array2;

    /// 30 big, recent, frequent customers who buy mugs and jugs; 30 small, lapsed ones who
    /// bought a candle once (and 3 of them a mug).
    fn studio() -> Studio {
        let mut csv = String::from(
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n",
        );
        for customer in 0..30 {
            for order in 0..6 {
                let day = 20 + order;
                csv += &format!(
                    "B{customer}-{order},10001,BLUE MUG,{},2011-03-{day:02} 10:00:00,2.00,{customer}\n",
                    20 + customer
                );
                csv += &format!(
                    "B{customer}-{order},10002,MILK JUG,5,2011-03-{day:02} 10:00:00,3.00,{customer}\n"
                );
            }
        }
        for customer in 100..130 {
            csv += &format!(
                "S{customer},10003,RED CANDLE,1,2011-01-{:02} 10:00:00,1.00,{customer}\n",
                1 + customer % 5
            );
            if customer < 103 {
                csv +=
                    &format!("S{customer},10001,BLUE MUG,1,2011-01-01 10:00:00,2.00,{customer}\n");
            }
        }
        Studio::read(
            vec![super::super::Input::from_bytes("t.csv", csv.as_bytes())],
            &ColumnMap::online_retail(),
            &MissingValues::default(),
            &mut |_| {},
        )
        .unwrap()
    }

    #[test]
    fn two_obvious_groups_are_found_named_and_described() {
        let studio = studio();
        let mut stages = Vec::new();
        let request = SegmentRequest {
            k: Some(2),
            ..SegmentRequest::default()
        };
        let result = segment(&studio, &request, &mut |progress| {
            stages.push(progress.stage)
        })
        .unwrap();
        assert_eq!(result.k, 2);
        assert!(AUTO_K.contains(&result.suggestion.k));
        assert_eq!(result.sweep.len(), 9);
        assert_eq!(
            stages.first(),
            Some(&Stage::Segmenting(SegmentingStage::TryingK { k: 2 }))
        );
        let mut cards = result.segments.clone();
        cards.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(cards[0].name, "Champions");
        assert_eq!(cards[1].name, "Hibernating");
        assert!(cards.iter().all(|card| card.size == 30));
        // The champions' median member: 6 orders.
        let frequency = cards[0]
            .typical
            .iter()
            .find(|value| value.feature == "frequency")
            .unwrap();
        assert_eq!(frequency.value, 6.0);
        // Overall median spend: between the smallest big spender (330) and the largest small
        // one (3), 166.5; the champions' median is 504, the hibernating ones' 1.
        let english = super::super::texts::studio_texts("en");
        let said = |found: &Trait| found.describe(&english, &|ratio| format!("{ratio:.1}"));
        assert_eq!(
            said(&cards[0].traits[0]),
            "Total spent: 3.0× the median customer"
        );
        assert_eq!(
            said(&cards[1].traits[0]),
            "Total spent: 166.5× lower than the median customer"
        );
        // Champions: mug and jug, bought by all 30, lift 60/33 and 2 -> jug first.
        let titles: Vec<&str> = cards[0]
            .top_products
            .iter()
            .map(|product| product.title.as_str())
            .collect();
        assert_eq!(titles, ["Milk Jug", "Blue Mug"]);
        assert_eq!(cards[0].featured().product, "Milk Jug");
        // Of 93 (customer, product) pairs, 63 are kitchen and 30 candles. The champions buy
        // only kitchen (lift 93/63); the hibernating ones candles 30 of 33 times.
        fn leaning(card: &SegmentCard) -> Vec<(&str, f64)> {
            card.leanings
                .iter()
                .map(|leaning| {
                    (
                        leaning.category.as_str(),
                        (leaning.lift * 1000.0).round() / 1000.0,
                    )
                })
                .collect()
        }
        assert_eq!(leaning(&cards[0]), [("Kitchen & dining", 1.476)]);
        assert_eq!(leaning(&cards[1]), [("Candles & lighting", 2.818)]);
        assert_eq!(cards[0].featured().category, "Kitchen & dining");
        assert_eq!(cards[0].top_products[0].lift, 2.0);
        // The hibernating segment's candle outranks the mug only 3 of them bought.
        assert_eq!(cards[1].top_products[0].title, "Red Candle");
        // Centroid in original units: the champions' 6 orders (log1p undone).
        let centroid = cards[0]
            .centroid
            .iter()
            .find(|value| value.feature == "frequency")
            .unwrap();
        assert!((centroid.value - 6.0).abs() < 1e-3);
        assert_eq!(result.scatter.points.len(), 60);
        assert_eq!(result.labels.len(), 60);
        assert_eq!(result.ranking.len(), 5);
    }

    #[test]
    fn choices_are_honoured_and_bad_ones_named() {
        let studio = studio();
        let request = SegmentRequest {
            features: vec!["monetary".into()],
            scaling: FeatureScaling::Robust,
            k: Some(3),
            seed: 4,
        };
        let result = segment(&studio, &request, &mut |_| {}).unwrap();
        assert_eq!(result.k, 3);
        assert_eq!(result.segments[0].centroid.len(), 1);
        let unknown = SegmentRequest {
            features: vec!["shoe_size".into()],
            ..SegmentRequest::default()
        };
        let error = segment(&studio, &unknown, &mut |_| {}).unwrap_err();
        assert!(
            error.to_string().contains("no feature `shoe_size`"),
            "{error}"
        );
        let none = SegmentRequest {
            features: Vec::new(),
            ..SegmentRequest::default()
        };
        assert!(segment(&studio, &none, &mut |_| {}).is_err());
        let too_many = SegmentRequest {
            k: Some(61),
            ..SegmentRequest::default()
        };
        assert!(segment(&studio, &too_many, &mut |_| {}).is_err());
    }

    #[test]
    fn the_map_samples_large_tables_but_keeps_every_segment() {
        let n = 5_000;
        let scaled = Array2::from_shape_fn((n, 2), |(row, column)| (row * (column + 1)) as f32);
        // Segment 1 has only 10 members.
        let labels: Vec<usize> = (0..n).map(|row| usize::from(row < 10)).collect();
        let mut members = vec![Vec::new(); 2];
        for (row, &label) in labels.iter().enumerate() {
            members[label].push(row);
        }
        let map = scatter(scaled.view(), &labels, &members, 1).unwrap();
        assert!(map.points.len() <= SCATTER_POINTS + 10);
        assert_eq!(map.segments.iter().filter(|&&s| s == 1).count(), 10);
        assert_eq!(map.customers, n);
    }
}
