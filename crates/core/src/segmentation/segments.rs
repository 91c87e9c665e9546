//! Customer segments: the one pipeline ([`segment_customers`]) that the studio, `aisle segment`
//! and the bundle's segments all run: choose k, cluster, and name each cluster by a stated rule.
//!
//! **Choosing k.** [`sweep_k`] fits k-means for each k in a range and records inertia (for the
//! elbow chart) and the silhouette (sampled for large n). [`suggest_k`] suggests the k with the
//! highest silhouette among [`SUGGESTED_K`], 3 to 8: order data nearly always has its highest
//! silhouette at 2 (the few big, frequent buyers against everyone else), which is too coarse to
//! market to, and more than 8 segments are more than a team writes for. A tie goes to the
//! smaller k, as fewer segments are easier to act on. The suggestion comes with its reason
//! ([`KSuggestion`]), which the studio states in the marketer's language.
//!
//! **Naming.** A segment is named from its median member's recency, frequency and monetary
//! value compared with the median customer's (the marketer may cluster on features other than
//! those three, so a centroid may not have them; the median member always does, and one
//! wholesale buyer cannot move it):
//! recent (fewer days since the last order than the median) and frequent (more orders than the
//! median) and valuable (more spent than the median) is **Champions**; recent and frequent is
//! **Loyal**; recent alone is **Promising**; frequent or valuable but not recent is **At risk**;
//! neither is **Hibernating**. Two segments with one name are told apart by a number.
//!
//! ```
//! use aisle_core::segmentation::segments::{SegmentProfile, name_segments};
//! let median = SegmentProfile { recency_days: 50.0, frequency: 2.0, monetary: 600.0 };
//! let centroids = [
//!     SegmentProfile { recency_days: 10.0, frequency: 9.0, monetary: 5000.0 },
//!     SegmentProfile { recency_days: 200.0, frequency: 1.0, monetary: 150.0 },
//! ];
//! assert_eq!(name_segments(&centroids, &median), ["Champions", "Hibernating"]);
//! ```

use std::cell::OnceCell;
use std::collections::BTreeMap;

use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::math::stats::median;
use crate::segmentation::customer_features::{CustomerFeatures, ORDER_FEATURES};
use crate::segmentation::feature_ranking::{
    DEFAULT_BINS, chi_square, gain_ratio, mutual_information, select_k_best,
};
use crate::segmentation::kmeans::{KMeans, KMeansParams};
use crate::segmentation::scaling::{Scaler, Scaling};
use crate::segmentation::silhouette::SilhouetteSample;
use crate::segmentation::sweep::{KScore, SweepShare, sweep_k};
use crate::serve::ui_texts::UiTexts;

/// The k range [`segment_customers`] sweeps (and charts) when no k is given.
pub const AUTO_K: std::ops::RangeInclusive<usize> = 2..=10;

/// The k's [`suggest_k`] suggests among, when the customers allow any of them (module docs).
pub const SUGGESTED_K: std::ops::RangeInclusive<usize> = 3..=8;

/// Points scored for the silhouette at each k: enough for a stable mean, cheap for any n.
pub const SILHOUETTE_SAMPLE: usize = 2_000;

/// Customers above which k-means switches to mini-batches (see [`KMeansParams::mini_batch`]):
/// full Lloyd iterations on a million customers, ten restarts and nine k would take minutes.
pub const MINI_BATCH_ABOVE: usize = 100_000;

/// Points per mini-batch when [`MINI_BATCH_ABOVE`] applies.
pub const MINI_BATCH_SIZE: usize = 4_096;

/// k-means settings for `k` clusters of `n` points: scikit-learn's defaults, with mini-batches
/// above [`MINI_BATCH_ABOVE`] points.
pub fn kmeans_params(k: usize, n: usize, seed: u64) -> KMeansParams {
    let params = KMeans::params(k).seed(seed);
    if n > MINI_BATCH_ABOVE {
        params.mini_batch(MINI_BATCH_SIZE)
    } else {
        params
    }
}

/// The k [`suggest_k`] suggests, and what it was chosen over: the reason the studio states in
/// the marketer's language.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KSuggestion {
    /// The k suggested.
    pub k: usize,
    /// Its silhouette.
    pub silhouette: f64,
    /// The k's it was the best of, `[low, high]`; `None` when the customers allow none of
    /// [`SUGGESTED_K`], so it is the best of every k swept.
    pub among: Option<[usize; 2]>,
    /// A k outside that range that scores higher, passed over as too coarse (fewer) or too
    /// many (more) to market to.
    pub passed_over: Option<KScore>,
}

impl KSuggestion {
    /// Why k is suggested, in the words of `texts` (the studio's), silhouettes written by
    /// `number` with three decimals: "Suggested k = 4: the highest silhouette (0.440) among 3
    /// to 8 segments. k = 2 scores 0.620, but 2 segments are too coarse to market to."
    pub fn describe(&self, texts: &UiTexts, number: &dyn Fn(f64) -> String) -> String {
        let k = self.k.to_string();
        let silhouette = number(self.silhouette);
        let suggested = match self.among {
            Some([low, high]) => texts.fill(
                "k.suggested",
                &[
                    ("k", &k),
                    ("silhouette", &silhouette),
                    ("low", &low.to_string()),
                    ("high", &high.to_string()),
                ],
            ),
            None => texts.fill("k.suggested-few", &[("k", &k), ("silhouette", &silhouette)]),
        };
        let Some(passed) = self.passed_over else {
            return suggested;
        };
        let key = if passed.k < self.k {
            "k.too-coarse"
        } else {
            "k.too-many"
        };
        let passed = texts.fill(
            key,
            &[
                ("k", &passed.k.to_string()),
                ("silhouette", &number(passed.silhouette)),
            ],
        );
        texts.fill("sentences", &[("first", &suggested), ("second", &passed)])
    }
}

/// The k to suggest from a sweep, and why: the highest silhouette among [`SUGGESTED_K`] (the
/// smaller k on a tie), or among every k swept when the customers allow none of those. `None`
/// for an empty sweep.
pub fn suggest_k(sweep: &[KScore]) -> Option<KSuggestion> {
    let overall = highest_silhouette(sweep.iter())?;
    let Some(best) =
        highest_silhouette(sweep.iter().filter(|score| SUGGESTED_K.contains(&score.k)))
    else {
        return Some(KSuggestion {
            k: overall.k,
            silhouette: overall.silhouette,
            among: None,
            passed_over: None,
        });
    };
    Some(KSuggestion {
        k: best.k,
        silhouette: best.silhouette,
        among: Some([*SUGGESTED_K.start(), *SUGGESTED_K.end()]),
        passed_over: (overall.silhouette > best.silhouette).then_some(*overall),
    })
}

/// The score with the highest silhouette, the first on a tie.
fn highest_silhouette<'a>(scores: impl Iterator<Item = &'a KScore>) -> Option<&'a KScore> {
    scores.fold(None, |best, score| match best {
        Some(kept) if kept.silhouette >= score.silhouette => Some(kept),
        _ => Some(score),
    })
}

/// The three numbers a segment's name is read from, in original units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct SegmentProfile {
    /// Days since the last order.
    pub recency_days: f32,
    /// Distinct orders.
    pub frequency: f32,
    /// Total spent.
    pub monetary: f32,
}

/// The names [`segment_name`] gives, each with the key its translations are found by
/// (`segment.champions` in the store's and the studio's texts).
pub const SEGMENT_NAMES: [(&str, &str); 5] = [
    ("Champions", "champions"),
    ("Loyal", "loyal"),
    ("Promising", "promising"),
    ("At risk", "at-risk"),
    ("Hibernating", "hibernating"),
];

/// A segment's name in the language of `texts`: a name [`name_segments`] gave (`At risk 2`) in
/// their words, with its number; a name of the marketer's own as it is.
pub fn segment_name_in(name: &str, texts: &UiTexts) -> String {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let number = &name[base.len()..];
    SEGMENT_NAMES
        .iter()
        .find(|(english, _)| *english == base)
        .map_or_else(
            || name.to_owned(),
            |(_, key)| format!("{}{number}", texts.get(&format!("segment.{key}"))),
        )
}

/// The rule's name for one profile (a centroid, or one customer) against the `median` customer.
pub fn segment_name(profile: &SegmentProfile, median: &SegmentProfile) -> &'static str {
    let recent = profile.recency_days < median.recency_days;
    let frequent = profile.frequency > median.frequency;
    let valuable = profile.monetary > median.monetary;
    match (recent, frequent, valuable) {
        (true, true, true) => "Champions",
        (true, true, false) => "Loyal",
        (true, false, _) => "Promising",
        (false, true, _) | (false, _, true) => "At risk",
        (false, false, false) => "Hibernating",
    }
}

/// Names each centroid by the rule in the module docs, against the `median` customer; two
/// segments with one name are told apart by a number.
pub fn name_segments(centroids: &[SegmentProfile], median: &SegmentProfile) -> Vec<String> {
    let base: Vec<&str> = centroids
        .iter()
        .map(|centroid| segment_name(centroid, median))
        .collect();
    base.iter()
        .enumerate()
        .map(|(index, name)| {
            let same = base.iter().filter(|other| *other == name).count();
            if same == 1 {
                (*name).to_owned()
            } else {
                let nth = base[..=index].iter().filter(|other| *other == name).count();
                format!("{name} {nth}")
            }
        })
        .collect()
}

/// How the chosen features are scaled before clustering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeatureScaling {
    /// z-score of the values as they are.
    ZScore,
    /// `ln(1 + x)` on money and counts, then z-score: the usual choice for spend data.
    #[default]
    Log1pZScore,
    /// (x − median) / interquartile range.
    Robust,
}

impl FeatureScaling {
    /// Every choice, in the order a person is offered them.
    pub const ALL: [FeatureScaling; 3] = [Self::Log1pZScore, Self::ZScore, Self::Robust];

    /// The choice's name in requests (as serde writes it) and the key of its text in the
    /// studio (`scaling.<key>`).
    pub fn key(self) -> &'static str {
        match self {
            Self::ZScore => "z-score",
            Self::Log1pZScore => "log1p-z-score",
            Self::Robust => "robust",
        }
    }
}

/// What to segment on and how: the marketer's choices in the studio, the flags of `aisle
/// segment`, the bundle's segments (all with [`SegmentRequest::default`] but for k and seed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRequest {
    /// Feature names to cluster on, at least one.
    pub features: Vec<String>,
    /// How to scale them.
    pub scaling: FeatureScaling,
    /// The number of segments; `None` takes the sweep's suggestion.
    pub k: Option<usize>,
    /// Seed for k-means and sampling.
    pub seed: u64,
}

impl Default for SegmentRequest {
    /// Every order feature, log1p then z-score, k chosen automatically, seed 0.
    fn default() -> Self {
        Self {
            features: ORDER_FEATURES
                .iter()
                .map(|feature| feature.name.to_owned())
                .collect(),
            scaling: FeatureScaling::default(),
            k: None,
            seed: 0,
        }
    }
}

/// One segment, described in original units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// Name by the rule in the module docs.
    pub name: String,
    /// Customers in it.
    pub size: usize,
    /// Its share of all customers, in [0, 1].
    pub share: f64,
    /// The centroid of the clustered features, feature by feature, in original units.
    pub centroid: BTreeMap<&'static str, f32>,
}

/// How well one feature tells the segments apart (see [`crate::segmentation::feature_ranking`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureRank {
    /// The feature's name.
    pub feature: String,
    /// Mutual information with the segment, in nats (the feature in equal-count bins).
    pub mutual_information: f64,
    /// Mutual information over the binned feature's own entropy.
    pub gain_ratio: f64,
    /// Chi-square against the segment, on the feature scaled to [0, 1].
    pub chi_square: f64,
}

/// Ranks the table's features by how well they tell `labels` apart, most telling (by mutual
/// information) first.
pub fn rank_features(table: &CustomerFeatures, labels: &[usize]) -> Result<Vec<FeatureRank>> {
    let information = mutual_information(table.original.view(), labels, DEFAULT_BINS)?;
    let ratio = gain_ratio(table.original.view(), labels, DEFAULT_BINS)?;
    let unit =
        Scaler::fit(Scaling::MinMax, table.original.view())?.transform(table.original.view());
    let chi = chi_square(unit.view(), labels)?;
    Ok(select_k_best(&information, information.len())
        .into_iter()
        .map(|feature| FeatureRank {
            feature: table.features[feature].name.to_owned(),
            mutual_information: information[feature],
            gain_ratio: ratio[feature],
            chi_square: chi[feature],
        })
        .collect())
}

/// Where [`segment_customers`] is, for a progress indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentingStage {
    /// Fitting k-means with `k` clusters for the sweep.
    TryingK {
        /// The k.
        k: usize,
    },
    /// Fitting the chosen `k`.
    Clustering {
        /// The k.
        k: usize,
    },
    /// Naming the segments and ranking the features.
    Naming,
}

/// A whole segmentation: the sweep, the segments, and each customer's segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segmentation {
    /// The k used.
    pub k: usize,
    /// The sweep's suggestion and why ([`suggest_k`]).
    pub suggestion: KSuggestion,
    /// Inertia and silhouette for each k of [`AUTO_K`] that the customers allow.
    pub sweep: Vec<KScore>,
    /// k-means inertia, in scaled units.
    pub inertia: f64,
    /// Mean silhouette (sampled for large n).
    pub silhouette: f64,
    /// The segments, in cluster order.
    pub segments: Vec<Segment>,
    /// The median customer, whom segment names compare with.
    pub median: SegmentProfile,
    /// How well each feature tells the segments apart, most telling first.
    pub feature_ranking: Vec<FeatureRank>,
    /// The table columns clustered on, in table order.
    #[serde(skip)]
    pub columns: Vec<usize>,
    /// Each customer's segment, in the feature table's row order.
    #[serde(skip)]
    pub labels: Vec<usize>,
    /// The customers in the space they were clustered in, (n_customers, n_columns).
    #[serde(skip)]
    pub scaled: Array2<f32>,
    /// The scaling fitted on the table, to place new customers the same way.
    #[serde(skip)]
    pub scaler: Scaler,
    /// The centroids in scaled units, one row per segment.
    #[serde(skip)]
    pub scaled_centroids: Array2<f32>,
}

impl Segmentation {
    /// The table rows of each segment.
    pub fn members(&self) -> Vec<Vec<usize>> {
        let mut members = vec![Vec::new(); self.k];
        for (row, &label) in self.labels.iter().enumerate() {
            members[label].push(row);
        }
        members
    }
}

/// The one segmentation pipeline (the studio, `aisle segment` and the bundle all call it):
/// the requested features of `table`, compressed and scaled as asked, a k sweep over
/// [`AUTO_K`] (elbow and silhouette), k-means at the requested or suggested k, each segment
/// named by the rule in the module docs from its median member (a centroid may lack the
/// recency, frequency and money the rule reads, and one wholesale buyer cannot move a median),
/// and every feature ranked. `progress` hears each stage with the share done.
///
/// The same as [`PreparedSegmentation::new`], its [`sweep`](PreparedSegmentation::sweep) of
/// every k and its [`finish`](PreparedSegmentation::finish), which a caller that sweeps some
/// k's elsewhere calls itself.
pub fn segment_customers(
    table: &CustomerFeatures,
    request: &SegmentRequest,
    progress: &mut dyn FnMut(SegmentingStage, f64),
) -> Result<Segmentation> {
    let prepared = PreparedSegmentation::new(table, request)?;
    let sweep = prepared.sweep(&prepared.ks(), progress)?;
    prepared.finish(table, sweep, progress)
}

/// A segmentation up to its k sweep: the request checked, the features compressed and scaled.
#[derive(Debug)]
pub struct PreparedSegmentation {
    request: SegmentRequest,
    /// The table columns clustered on.
    columns: Vec<usize>,
    /// The table columns of recency, frequency and money, which name the segments.
    rfm: (usize, usize, usize),
    scaler: Scaler,
    scaled: Array2<f32>,
    /// Drawn when first needed, so that a share of the sweep can be sent off before.
    sample: OnceCell<SilhouetteSample>,
}

impl PreparedSegmentation {
    /// Checks `request` against `table` and scales the features it asks for.
    pub fn new(table: &CustomerFeatures, request: &SegmentRequest) -> Result<Self> {
        let columns = chosen_columns(table, &request.features)?;
        let rfm = table.rfm_columns()?;
        let n = table.customers.len();
        if n.saturating_sub(1) < *AUTO_K.start() {
            return Err(Error::InvalidData {
                reason: format!("{n} customers are too few to segment: at least 3 are needed"),
            });
        }
        if let Some(k) = request.k
            && !(1..=n).contains(&k)
        {
            return Err(Error::InvalidParameter {
                name: "k",
                reason: format!("{k} segments for {n} customers"),
            });
        }

        let log1p = request.scaling == FeatureScaling::Log1pZScore;
        let mut compressed = table.original.select(Axis(1), &columns);
        for (mut column, &feature) in compressed.columns_mut().into_iter().zip(&columns) {
            let feature = table.features[feature];
            column.mapv_inplace(|value| feature.compress(value, log1p));
        }
        let scaling = match request.scaling {
            FeatureScaling::Robust => Scaling::Robust,
            FeatureScaling::ZScore | FeatureScaling::Log1pZScore => Scaling::ZScore,
        };
        let scaler = Scaler::fit(scaling, compressed.view())?;
        let scaled = scaler.transform(compressed.view());
        Ok(Self {
            request: request.clone(),
            columns,
            rfm,
            scaler,
            scaled,
            sample: OnceCell::new(),
        })
    }

    /// The k's to sweep: those of [`AUTO_K`] the customers allow.
    pub fn ks(&self) -> Vec<usize> {
        let largest = (*AUTO_K.end()).min(self.scaled.nrows() - 1);
        (*AUTO_K.start()..=largest).collect()
    }

    /// The sweep of `ks` as another worker runs it ([`SweepShare::sweep`]).
    pub fn share(&self, ks: Vec<usize>) -> SweepShare {
        SweepShare::new(self.scaled.view(), ks, self.request.seed)
    }

    /// Sweeps `ks` here; `progress` hears each k.
    pub fn sweep(
        &self,
        ks: &[usize],
        progress: &mut dyn FnMut(SegmentingStage, f64),
    ) -> Result<Vec<KScore>> {
        let first = *AUTO_K.start();
        let steps = self.ks().len() as f64;
        sweep_k(
            self.scaled.view(),
            ks.iter().copied(),
            self.sample(),
            self.request.seed,
            &mut |k| {
                let done = (k - first) as f64 / steps * 0.8;
                progress(SegmentingStage::TryingK { k }, done);
            },
        )
    }

    /// One sample scores every k's clustering, and the chosen one's.
    fn sample(&self) -> &SilhouetteSample {
        self.sample.get_or_init(|| {
            SilhouetteSample::new(self.scaled.view(), SILHOUETTE_SAMPLE, self.request.seed)
        })
    }

    /// The segmentation of `table`, the one this was prepared from, given the scores of every k
    /// of [`ks`](Self::ks), swept here or elsewhere, in any order.
    pub fn finish(
        self,
        table: &CustomerFeatures,
        sweep: Vec<KScore>,
        progress: &mut dyn FnMut(SegmentingStage, f64),
    ) -> Result<Segmentation> {
        // Put in order by looking each k up: nine k's, and no sort code for scores in the wasm.
        let ks = self.ks();
        let in_order: Option<Vec<KScore>> = (ks.iter())
            .map(|&k| sweep.iter().find(|score| score.k == k).copied())
            .collect();
        let sweep = match in_order {
            Some(in_order) if sweep.len() == ks.len() => in_order,
            _ => {
                let swept: Vec<usize> = sweep.iter().map(|score| score.k).collect();
                return Err(Error::InvalidData {
                    reason: format!("the sweep scored k = {swept:?}, not {ks:?}"),
                });
            }
        };
        let (recency, frequency, monetary) = self.rfm;
        let Self {
            request,
            columns,
            scaler,
            scaled,
            ..
        } = &self;
        let n = scaled.nrows();
        let suggestion = suggest_k(&sweep).expect("the sweep covers at least k = 2, checked above");
        let k = request.k.unwrap_or(suggestion.k);
        progress(SegmentingStage::Clustering { k }, 0.8);
        let model = kmeans_params(k, n, request.seed).fit(scaled.view())?;
        let labels = model.predict(scaled.view());
        let silhouette = if k >= 2 {
            self.sample().score(scaled.view(), &labels)?
        } else {
            0.0
        };

        progress(SegmentingStage::Naming, 0.9);
        let log1p = request.scaling == FeatureScaling::Log1pZScore;
        let mut centroids = scaler.inverse_transform(model.centroids());
        if log1p {
            for (mut column, &feature) in centroids.columns_mut().into_iter().zip(columns) {
                if table.features[feature].heavy_tailed {
                    column.mapv_inplace(f32::exp_m1);
                }
            }
        }
        let mut members = vec![Vec::new(); k];
        for (row, &label) in labels.iter().enumerate() {
            members[label].push(row);
        }
        let profile = |rows: &[usize]| {
            let median_of = |column: usize| {
                let values = table.original.column(column);
                let mut picked: Vec<f64> = rows.iter().map(|&row| f64::from(values[row])).collect();
                median(&mut picked) as f32
            };
            SegmentProfile {
                recency_days: median_of(recency),
                frequency: median_of(frequency),
                monetary: median_of(monetary),
            }
        };
        let everyone: Vec<usize> = (0..n).collect();
        let overall = profile(&everyone);
        let profiles: Vec<SegmentProfile> = members.iter().map(|rows| profile(rows)).collect();
        let names = name_segments(&profiles, &overall);
        let segments = names
            .into_iter()
            .zip(&members)
            .zip(centroids.rows())
            .map(|((name, rows), centroid)| Segment {
                name,
                size: rows.len(),
                share: rows.len() as f64 / n as f64,
                centroid: columns
                    .iter()
                    .map(|&feature| table.features[feature].name)
                    .zip(centroid.iter().copied())
                    .collect(),
            })
            .collect();
        let feature_ranking = rank_features(table, &labels)?;
        Ok(Segmentation {
            k,
            suggestion,
            sweep,
            inertia: model.inertia(),
            silhouette,
            segments,
            median: overall,
            feature_ranking,
            scaled_centroids: model.centroids().to_owned(),
            labels,
            columns: self.columns,
            scaled: self.scaled,
            scaler: self.scaler,
        })
    }
}

/// The table columns of the requested features, in table order, or an error naming an unknown
/// one.
fn chosen_columns(table: &CustomerFeatures, features: &[String]) -> Result<Vec<usize>> {
    let mut columns = features
        .iter()
        .map(|name| {
            table.column(name).ok_or_else(|| Error::InvalidParameter {
                name: "features",
                reason: format!(
                    "no feature `{name}`; the features are {}",
                    table
                        .features
                        .iter()
                        .map(|feature| feature.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
        })
        .collect::<Result<Vec<usize>>>()?;
    columns.sort_unstable();
    columns.dedup();
    if columns.is_empty() {
        return Err(Error::InvalidParameter {
            name: "features",
            reason: "choose at least one feature to segment on".into(),
        });
    }
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn profile(recency_days: f32, frequency: f32, monetary: f32) -> SegmentProfile {
        SegmentProfile {
            recency_days,
            frequency,
            monetary,
        }
    }

    #[test]
    fn every_rule_branch_and_duplicate_numbering() {
        let median = profile(50.0, 2.0, 600.0);
        let centroids = [
            profile(10.0, 9.0, 5000.0), // recent, frequent, valuable
            profile(10.0, 5.0, 300.0),  // recent, frequent
            profile(5.0, 1.0, 100.0),   // recent only
            profile(120.0, 4.0, 900.0), // frequent and valuable, long ago
            profile(300.0, 1.0, 80.0),  // none
            profile(250.0, 1.0, 50.0),  // none again
        ];
        assert_eq!(
            name_segments(&centroids, &median),
            [
                "Champions",
                "Loyal",
                "Promising",
                "At risk",
                "Hibernating 1",
                "Hibernating 2"
            ]
        );
    }

    #[test]
    fn customers_split_into_named_segments() {
        use crate::input::orders::OrderLine;
        let day = 86_400;
        // Ten loyal big spenders ordering every week until now, ten one-off customers a year ago.
        let mut lines = Vec::new();
        for customer in 0..10 {
            for week in 0..20 {
                let line =
                    OrderLine::purchase(&format!("big{customer}"), "X", (300 + week * 7) * day);
                lines.push(OrderLine {
                    quantity: 50,
                    unit_price: 2.0 + customer as f64 * 0.1,
                    ..line
                });
            }
            lines.push(OrderLine::purchase(
                &format!("once{customer}"),
                "Y",
                (customer as i64) * day,
            ));
        }
        let table = CustomerFeatures::from_orders(&lines, 440 * day);
        let request = SegmentRequest {
            seed: 3,
            k: Some(2),
            ..SegmentRequest::default()
        };
        let mut stages = 0;
        let segmentation = segment_customers(&table, &request, &mut |_, _| stages += 1).unwrap();
        assert!(stages > 2);
        assert_eq!(segmentation.k, 2);
        assert_eq!(segmentation.sweep.len(), 9);
        // Two groups are the data's best split, but the suggestion is one a marketer can use.
        let suggestion = segmentation.suggestion;
        assert!(SUGGESTED_K.contains(&suggestion.k));
        assert_eq!(suggestion.passed_over.map(|score| score.k), Some(2));
        let mut names: Vec<&str> = segmentation
            .segments
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        names.sort();
        assert_eq!(names, ["Champions", "Hibernating"]);
        assert!(
            segmentation
                .segments
                .iter()
                .all(|s| s.size == 10 && (s.share - 0.5).abs() < 1e-12)
        );
        let champions = segmentation
            .segments
            .iter()
            .find(|s| s.name == "Champions")
            .unwrap();
        assert!((champions.centroid["frequency"] - 20.0).abs() < 1e-3);
        // Every feature is ranked, most telling first; a perfect split of two equal segments
        // is worth ln 2 nats.
        let ranking = &segmentation.feature_ranking;
        assert_eq!(ranking.len(), table.features.len());
        assert!(
            ranking
                .windows(2)
                .all(|pair| pair[0].mutual_information >= pair[1].mutual_information)
        );
        assert!((ranking[0].mutual_information - 2f64.ln()).abs() < 1e-9);
        // Each segment's members, in table order.
        let members = segmentation.members();
        assert_eq!(members.iter().map(Vec::len).sum::<usize>(), 20);
    }

    #[test]
    fn the_sweep_suggests_the_k_of_the_data() {
        // Three tight, distant groups on a line.
        let points = Array2::from_shape_fn((30, 1), |(i, _)| {
            (i / 10) as f32 * 100.0 + (i % 10) as f32 * 0.1
        });
        let mut heard = Vec::new();
        let sample = SilhouetteSample::new(points.view(), SILHOUETTE_SAMPLE, 1);
        let scores = sweep_k(points.view(), 2..=5, &sample, 1, &mut |k| heard.push(k)).unwrap();
        assert_eq!(heard, [2, 3, 4, 5]);
        assert_eq!(scores.len(), 4);
        let suggestion = suggest_k(&scores).unwrap();
        assert_eq!(suggestion.k, 3);
        assert_eq!(suggestion.among, Some([3, 8]));
        assert_eq!(suggestion.passed_over, None);
        assert!(
            scores
                .windows(2)
                .all(|pair| pair[1].inertia <= pair[0].inertia + 1e-6)
        );
    }

    #[test]
    fn two_segments_are_not_suggested_when_three_to_eight_are_possible() {
        let score = |k, silhouette| KScore {
            k,
            inertia: 0.0,
            silhouette,
        };
        let sweep = [
            score(2, 0.62),
            score(3, 0.41),
            score(4, 0.44),
            score(5, 0.44),
            score(9, 0.5),
        ];
        assert_eq!(
            suggest_k(&sweep).unwrap(),
            KSuggestion {
                k: 4,
                silhouette: 0.44,
                among: Some([3, 8]),
                passed_over: Some(score(2, 0.62)),
            }
        );
        // Too few customers for 3: the best of what there is.
        let few = suggest_k(&sweep[..1]).unwrap();
        assert_eq!((few.k, few.among), (2, None));
        assert_eq!(suggest_k(&[]), None);
    }
}
