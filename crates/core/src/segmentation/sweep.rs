//! The k sweep that chooses how many segments to suggest ([`sweep_k`]), and its sharing out
//! over workers ([`SweepShare`]).
//!
//! Each k's score depends on the scaled points, the k and the seed only: k-means at k draws its
//! restarts from the seed, and the silhouette sample is drawn from the seed too. So the k's can
//! be swept in any order and anywhere, and the scores are the same to the bit. The studio uses
//! that to sweep on two cores of a browser that shares no memory between workers: its worker
//! hands a [`SweepShare`] (the points and the k's, as bytes) to a second worker, sweeps the
//! other k's itself, and merges the scores ([`share_out`] splits the k's so both finish
//! together).
//!
//! ```
//! use aisle_core::segmentation::sweep::{SweepShare, share_out, sweep_k};
//! use aisle_core::segmentation::silhouette::SilhouetteSample;
//! use ndarray::array;
//! let points = array![[0.0f32, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0], [9.0, 0.0], [9.1, 0.1]];
//! let [here, there] = share_out(&[2, 3, 4], 2).try_into().unwrap();
//! let share = SweepShare::new(points.view(), there, 7);
//! let sent = SweepShare::from_bytes(&share.to_bytes()).unwrap();
//! let mut scores = sent.sweep().unwrap();
//! let sample = SilhouetteSample::new(points.view(), 2_000, 7);
//! scores.extend(sweep_k(points.view(), here, &sample, 7, &mut |_| {}).unwrap());
//! scores.sort_by_key(|score| score.k);
//! let together = sweep_k(points.view(), 2..=4, &sample, 7, &mut |_| {}).unwrap();
//! assert_eq!(scores, together);
//! ```

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::segmentation::segments::{SILHOUETTE_SAMPLE, kmeans_params};
use crate::segmentation::silhouette::SilhouetteSample;

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
/// scores each, the silhouette over `sample` (drawn from `points`). `starting` hears each k
/// before it is fitted.
pub fn sweep_k(
    points: ArrayView2<f32>,
    ks: impl IntoIterator<Item = usize>,
    sample: &SilhouetteSample,
    seed: u64,
    starting: &mut dyn FnMut(usize),
) -> Result<Vec<KScore>> {
    let mut scores = Vec::new();
    for k in ks {
        starting(k);
        let model = kmeans_params(k, points.nrows(), seed)
            .n_init(SWEEP_RESTARTS)
            .fit(points)?;
        let labels = model.predict(points);
        let silhouette = sample.score(points, &labels)?;
        scores.push(KScore {
            k,
            inertia: model.inertia(),
            silhouette,
        });
    }
    Ok(scores)
}

/// A k's work that does not grow with k (its silhouette, its predictions), in units of what
/// one more cluster adds: a k is weighed `k + FIXED_WEIGHT` in [`share_out`]. On the demo
/// store's 4,334 customers a k takes about 2.7 ms plus 0.74 ms per cluster (natively).
const FIXED_WEIGHT: usize = 4;

/// `ks` split into `parts` shares of about equal work, each share's k's ascending. A k costs
/// about its k-means fit, which grows with k, and its silhouette, which does not: the k's go,
/// largest first, each to the share with the least work so far.
pub fn share_out(ks: &[usize], parts: usize) -> Vec<Vec<usize>> {
    let mut shares = vec![(0, Vec::new()); parts.max(1)];
    let mut ascending = ks.to_vec();
    ascending.sort_unstable();
    for k in ascending.into_iter().rev() {
        // The first of the least loaded: the calling worker's share comes first.
        let (work, share) = shares
            .iter_mut()
            .min_by_key(|(work, _)| *work)
            .expect("at least one share");
        *work += k + FIXED_WEIGHT;
        share.push(k);
    }
    // Each share took its k's largest first.
    shares
        .into_iter()
        .map(|(_, share)| share.into_iter().rev().collect())
        .collect()
}

/// Some k's of a sweep, with what sweeping them needs, to be swept by another worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepShare {
    /// The k's to sweep, ascending.
    pub ks: Vec<usize>,
    seed: u64,
    /// Columns of the scaled points.
    columns: usize,
    /// The scaled points, row after row.
    points: Vec<f32>,
}

impl SweepShare {
    /// The share of `ks` of a sweep on `points` with `seed`.
    pub fn new(points: ArrayView2<f32>, ks: Vec<usize>, seed: u64) -> Self {
        Self {
            ks,
            seed,
            columns: points.ncols(),
            points: points.iter().copied().collect(),
        }
    }

    /// The share as bytes, to post to a worker.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("a share always encodes")
    }

    /// A share from [`SweepShare::to_bytes`]'s bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let share: Self = postcard::from_bytes(bytes).map_err(|error| Error::InvalidData {
            reason: format!("unreadable sweep share: {error}"),
        })?;
        if share.columns == 0 || !share.points.len().is_multiple_of(share.columns) {
            return Err(Error::InvalidData {
                reason: format!(
                    "a sweep share of {} values in rows of {}",
                    share.points.len(),
                    share.columns
                ),
            });
        }
        Ok(share)
    }

    /// Sweeps the share's k's: the scores [`sweep_k`] gives them in the whole sweep, the
    /// silhouette over the same sample ([`SILHOUETTE_SAMPLE`] points drawn with the seed).
    pub fn sweep(&self) -> Result<Vec<KScore>> {
        let rows = self.points.len() / self.columns;
        let points = ArrayView2::from_shape((rows, self.columns), &self.points)
            .expect("checked on reading: rows of `columns` values");
        let sample = SilhouetteSample::new(points.view(), SILHOUETTE_SAMPLE, self.seed);
        sweep_k(
            points.view(),
            self.ks.iter().copied(),
            &sample,
            self.seed,
            &mut |_| {},
        )
    }
}

/// Scores as bytes, to post back to the worker that sent the share.
pub fn scores_to_bytes(scores: &std::result::Result<Vec<KScore>, String>) -> Vec<u8> {
    postcard::to_stdvec(scores).expect("scores always encode")
}

/// Scores from [`scores_to_bytes`]' bytes.
pub fn scores_from_bytes(bytes: &[u8]) -> Result<Vec<KScore>> {
    let scores: std::result::Result<Vec<KScore>, String> =
        postcard::from_bytes(bytes).map_err(|error| Error::InvalidData {
            reason: format!("unreadable sweep scores: {error}"),
        })?;
    scores.map_err(|reason| Error::InvalidData { reason })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn shares_hold_every_k_once_and_weigh_about_the_same() {
        let ks: Vec<usize> = (2..=10).collect();
        let shares = share_out(&ks, 2);
        let mut all: Vec<usize> = shares.concat();
        all.sort_unstable();
        assert_eq!(all, ks);
        let work: Vec<usize> = shares
            .iter()
            .map(|share| share.iter().map(|k| k + FIXED_WEIGHT).sum())
            .collect();
        // Within the lightest k's work, which taking the k's largest first ensures.
        assert!(work[0].abs_diff(work[1]) <= 2 + FIXED_WEIGHT, "{shares:?}");
        assert!(shares.iter().all(|share| share.is_sorted()));
        assert_eq!(share_out(&ks, 1), vec![ks.clone()]);
        assert_eq!(share_out(&[2], 2), vec![vec![2], vec![]]);
    }

    #[test]
    fn a_share_sweeps_as_the_whole_sweep_does() {
        let points = Array2::from_shape_fn((300, 3), |(row, column)| {
            ((row * 37 + column * 11) % 97) as f32 / 10.0 + (row % 4) as f32 * 5.0
        });
        let sample = SilhouetteSample::new(points.view(), SILHOUETTE_SAMPLE, 3);
        let whole = sweep_k(points.view(), 2..=6, &sample, 3, &mut |_| {}).unwrap();
        let share = SweepShare::new(points.view(), vec![3, 5], 3);
        let scores = SweepShare::from_bytes(&share.to_bytes())
            .unwrap()
            .sweep()
            .unwrap();
        assert_eq!(scores, [whole[1], whole[3]]);
        let back = scores_from_bytes(&scores_to_bytes(&Ok(scores.clone()))).unwrap();
        assert_eq!(back, scores);
        let failed = scores_from_bytes(&scores_to_bytes(&Err("no".into())));
        assert!(failed.unwrap_err().to_string().contains("no"));
    }

    #[test]
    fn broken_share_bytes_are_an_error() {
        assert!(SweepShare::from_bytes(&[1, 2, 3]).is_err());
        let mut share = SweepShare::new(Array2::zeros((4, 2)).view(), vec![2], 0);
        share.points.pop();
        assert!(SweepShare::from_bytes(&share.to_bytes()).is_err());
        assert!(scores_from_bytes(&[9; 3]).is_err());
    }
}
