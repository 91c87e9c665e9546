//! Cosine and Pearson similarity of dense and sparse vectors.
//!
//! Used to compare customers, products and segment centroids. Zero vectors have no direction, so
//! their similarity is defined as 0 rather than NaN; results are clamped to [−1, 1] so rounding
//! never reports a similarity a caller's invariant would reject.
//!
//! ```
//! use aisle_core::math::similarity::{cosine, cosine_sparse, pearson};
//! assert!((cosine(&[1.0, 0.0], &[1.0, 1.0]) - 0.70710677).abs() < 1e-6);
//! assert_eq!(cosine_sparse(&[(0, 1.0), (5, 2.0)], &[(5, 1.0)]), cosine(&[1.0, 0.0, 2.0], &[0.0, 0.0, 1.0]));
//! assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-6);
//! ```

/// Cosine of two equal-length dense vectors, in [−1, 1]; 0 when either is all zeros.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut norm_a, mut norm_b) = (0.0f64, 0.0f64, 0.0f64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x), f64::from(y));
        dot += x * y;
        norm_a += x * x;
        norm_b += y * y;
    }
    ratio(dot, norm_a, norm_b)
}

/// Cosine of two sparse vectors given as (index, value) pairs sorted by index.
pub fn cosine_sparse(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let norm = |v: &[(u32, f32)]| v.iter().map(|&(_, x)| f64::from(x).powi(2)).sum::<f64>();
    let (mut i, mut j, mut dot) = (0, 0, 0.0f64);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += f64::from(a[i].1) * f64::from(b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    ratio(dot, norm(a), norm(b))
}

/// Pearson correlation of two equal-length dense vectors: the cosine of the centred vectors.
pub fn pearson(a: &[f32], b: &[f32]) -> f32 {
    let mean = |v: &[f32]| v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len().max(1) as f64;
    let (mean_a, mean_b) = (mean(a), mean(b));
    let (mut dot, mut norm_a, mut norm_b) = (0.0f64, 0.0f64, 0.0f64);
    for (&x, &y) in a.iter().zip(b) {
        let (x, y) = (f64::from(x) - mean_a, f64::from(y) - mean_b);
        dot += x * y;
        norm_a += x * x;
        norm_b += y * y;
    }
    ratio(dot, norm_a, norm_b)
}

fn ratio(dot: f64, norm_a: f64, norm_b: f64) -> f32 {
    if norm_a == 0.0 || norm_b == 0.0 {
        return 0.0;
    }
    (dot / (norm_a.sqrt() * norm_b.sqrt())).clamp(-1.0, 1.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hand_computed_values() {
        assert_eq!(cosine(&[1.0, 2.0], &[-1.0, -2.0]), -1.0);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 2.0]), 0.0);
        assert_eq!(cosine_sparse(&[], &[(1, 1.0)]), 0.0);
        // Centred: a = (-1, 0, 1), b = (1, 0, -1): perfectly anti-correlated.
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-6);
        assert_eq!(pearson(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
    }

    proptest! {
        #[test]
        fn cosine_stays_in_range(pairs in prop::collection::vec((-1.0e6f32..1.0e6, -1.0e6f32..1.0e6), 0..50)) {
            let (a, b): (Vec<f32>, Vec<f32>) = pairs.into_iter().unzip();
            for value in [cosine(&a, &b), pearson(&a, &b), cosine(&a, &a)] {
                prop_assert!((-1.0..=1.0).contains(&value), "{value}");
            }
            let sparse = |v: &[f32]| v.iter().enumerate().map(|(i, &x)| (i as u32, x)).collect::<Vec<_>>();
            let value = cosine_sparse(&sparse(&a), &sparse(&b));
            prop_assert!((value - cosine(&a, &b)).abs() < 1e-5);
        }
    }
}
