//! Order statistics shared by the catalog (median price), scaling (median, quartiles) and
//! segment naming (the median customer).
//!
//! ```
//! use aisle_core::math::stats::median;
//! assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
//! ```

/// Median (mean of the middle two for an even count); 0 for an empty slice. Sorts `values`.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    quantile(values, 0.5)
}

/// Linear-interpolation quantile of sorted, non-empty values (numpy's default), `q` in [0, 1].
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    sorted[below] + (sorted[above] - sorted[below]) * (position - below as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_lengths() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&mut []), 0.0);
    }

    #[test]
    fn quantiles_interpolate() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 100.0];
        assert_eq!(quantile(&sorted, 0.25), 2.0);
        assert!((quantile(&sorted, 0.9) - 61.6).abs() < 1e-12); // 4 + 0.6 * 96
    }
}
