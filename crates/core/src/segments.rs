//! Customer segments: choose k, cluster, and name each cluster by a stated rule.
//!
//! **Choosing k.** [`sweep_k`] fits k-means for each k in a range and records inertia (for the
//! elbow chart) and the silhouette (sampled for large n). The suggested k is the one with the
//! highest silhouette; a tie goes to the smaller k, as fewer segments are easier to act on.
//!
//! **Naming.** A segment is named from its centroid's recency, frequency and monetary value
//! compared with the median customer's:
//! recent (fewer days since the last order than the median) and frequent (more orders than the
//! median) and valuable (more spent than the median) is **Champions**; recent and frequent is
//! **Loyal**; recent alone is **Promising**; frequent or valuable but not recent is **At risk**;
//! neither is **Hibernating**. Two segments with one name are told apart by a number.
//!
//! ```
//! use aisle_core::segments::{SegmentProfile, name_segments};
//! let median = SegmentProfile { recency_days: 50.0, frequency: 2.0, monetary: 600.0 };
//! let centroids = [
//!     SegmentProfile { recency_days: 10.0, frequency: 9.0, monetary: 5000.0 },
//!     SegmentProfile { recency_days: 200.0, frequency: 1.0, monetary: 150.0 },
//! ];
//! assert_eq!(name_segments(&centroids, &median), ["Champions", "Hibernating"]);
//! ```

use std::collections::BTreeMap;

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::feature_ranking::{
    DEFAULT_BINS, chi_square, gain_ratio, mutual_information, select_k_best,
};
use crate::features::CustomerFeatures;
use crate::kmeans::{KMeans, KMeansParams};
use crate::scaling::{Scaler, Scaling};
use crate::silhouette::silhouette_sampled;
use crate::stats::median;

/// The k range [`segment_customers`] sweeps when no k is given.
pub const AUTO_K: std::ops::RangeInclusive<usize> = 2..=10;

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

/// k-means restarts per k in [`sweep_k`]: the sweep compares k's, for which a few restarts
/// suffice (scikit-learn now defaults to one); the chosen k is then fitted with the full ten.
pub const SWEEP_RESTARTS: usize = 3;

/// What one k of the sweep gave.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    /// Number of clusters.
    pub k: usize,
    /// k-means inertia (best of the restarts).
    pub inertia: f64,
    /// Mean silhouette (over a sample of [`SILHOUETTE_SAMPLE`] points when n is larger).
    pub silhouette: f64,
}

/// Fits k-means for every k in `ks` on `points` (shape (n, n_features), already scaled) and
/// returns the scores with the suggested k. `starting` hears each k before it is fitted.
pub fn sweep_k(
    points: ArrayView2<f32>,
    ks: impl IntoIterator<Item = usize>,
    seed: u64,
    starting: &mut dyn FnMut(usize),
) -> Result<(Vec<KScore>, usize)> {
    let mut scores = Vec::new();
    for k in ks {
        starting(k);
        let model = kmeans_params(k, points.nrows(), seed)
            .n_init(SWEEP_RESTARTS)
            .fit(points)?;
        let labels = model.predict(points);
        let silhouette = silhouette_sampled(points, &labels, SILHOUETTE_SAMPLE, seed)?;
        scores.push(KScore {
            k,
            inertia: model.inertia(),
            silhouette,
        });
    }
    let best = scores
        .iter()
        .fold(None::<&KScore>, |best, score| match best {
            Some(kept) if kept.silhouette >= score.silhouette => Some(kept),
            _ => Some(score),
        })
        .map_or(0, |score| score.k);
    Ok((scores, best))
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

/// One segment, described in original units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// Name by the rule in the module docs.
    pub name: String,
    /// Customers in it.
    pub size: usize,
    /// Its share of all customers, in [0, 1].
    pub share: f64,
    /// The centroid, feature by feature, in original units.
    pub centroid: BTreeMap<&'static str, f32>,
}

/// How well one feature tells the segments apart (see [`crate::feature_ranking`]).
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

/// A whole segmentation: the sweep (when k was chosen automatically), the segments, and each
/// customer's segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segmentation {
    /// The k used.
    pub k: usize,
    /// Inertia and silhouette per k, when k was chosen automatically.
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
    /// Each customer's segment, in the feature table's row order.
    #[serde(skip)]
    pub labels: Vec<usize>,
    /// The scaling fitted on the table, to place new customers the same way.
    #[serde(skip)]
    pub scaler: Scaler,
    /// The centroids in scaled units, one row per segment.
    #[serde(skip)]
    pub scaled_centroids: Array2<f32>,
}

/// Scales `table` by z-score, picks k (the given one, or the sweep's suggestion over
/// [`AUTO_K`]), clusters, and names the segments. The table needs the RFM columns of
/// [`crate::features::ORDER_FEATURES`].
pub fn segment_customers(
    table: &CustomerFeatures,
    k: Option<usize>,
    seed: u64,
) -> Result<Segmentation> {
    let (recency, frequency, monetary) = table.rfm_columns()?;
    let scaler = Scaler::fit(Scaling::ZScore, table.values.view())?;
    let scaled = scaler.transform(table.values.view());
    let n = scaled.nrows();

    let (sweep, k) = match k {
        Some(k) => (Vec::new(), k),
        None => {
            let ks = *AUTO_K.start()..=(*AUTO_K.end()).min(n.saturating_sub(1));
            if ks.is_empty() {
                return Err(Error::InvalidData {
                    reason: format!("{n} customers are too few to choose k automatically"),
                });
            }
            sweep_k(scaled.view(), ks, seed, &mut |_| {})?
        }
    };
    let model = kmeans_params(k, n, seed).fit(scaled.view())?;
    let labels = model.predict(scaled.view());
    let silhouette = if k >= 2 {
        silhouette_sampled(scaled.view(), &labels, SILHOUETTE_SAMPLE, seed)?
    } else {
        0.0
    };

    let centroids = table.to_original_units(scaler.inverse_transform(model.centroids()));
    let median_of = |column: usize| {
        let mut values: Vec<f64> = table
            .original
            .column(column)
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        median(&mut values) as f32
    };
    let median = SegmentProfile {
        recency_days: median_of(recency),
        frequency: median_of(frequency),
        monetary: median_of(monetary),
    };
    let profiles: Vec<SegmentProfile> = centroids
        .rows()
        .into_iter()
        .map(|row| SegmentProfile {
            recency_days: row[recency],
            frequency: row[frequency],
            monetary: row[monetary],
        })
        .collect();
    let names = name_segments(&profiles, &median);
    let segments = names
        .into_iter()
        .zip(centroids.rows())
        .enumerate()
        .map(|(cluster, (name, centroid))| {
            let size = labels.iter().filter(|&&label| label == cluster).count();
            Segment {
                name,
                size,
                share: size as f64 / n as f64,
                centroid: table
                    .features
                    .iter()
                    .map(|feature| feature.name)
                    .zip(centroid.iter().copied())
                    .collect(),
            }
        })
        .collect();
    let feature_ranking = rank_features(table, &labels)?;
    Ok(Segmentation {
        k,
        sweep,
        inertia: model.inertia(),
        silhouette,
        segments,
        median,
        feature_ranking,
        labels,
        scaled_centroids: model.centroids().to_owned(),
        scaler,
    })
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
        use crate::orders::OrderLine;
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
        let table = CustomerFeatures::from_orders(&lines, 440 * day).log1p_heavy_tailed();
        let segmentation = segment_customers(&table, None, 3).unwrap();
        assert_eq!(segmentation.k, 2);
        assert_eq!(segmentation.sweep.len(), 9);
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
    }

    #[test]
    fn the_sweep_suggests_the_k_of_the_data() {
        // Three tight, distant groups on a line.
        let points = Array2::from_shape_fn((30, 1), |(i, _)| {
            (i / 10) as f32 * 100.0 + (i % 10) as f32 * 0.1
        });
        let mut heard = Vec::new();
        let (scores, best) = sweep_k(points.view(), 2..=5, 1, &mut |k| heard.push(k)).unwrap();
        assert_eq!(heard, [2, 3, 4, 5]);
        assert_eq!(scores.len(), 4);
        assert_eq!(best, 3);
        assert!(
            scores
                .windows(2)
                .all(|pair| pair[1].inertia <= pair[0].inertia + 1e-6)
        );
    }
}
