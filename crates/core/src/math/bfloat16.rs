//! Floats kept to 16 bits (bfloat16: f32's sign and exponent, 7 of its 23 mantissa bits), and
//! their wire form: what a bundle's one-float-per-product parts (trending, the EASE weights'
//! scales) ship as.
//!
//! A float's low mantissa bits are noise to gzip, so an f32 per product costs nearly its four
//! bytes after compression: over 300 KB of a shopper's first fetch for each such part at
//! 100,000 products. Rounded to bfloat16 (at most 0.4% off, which is finer than the 8-bit levels
//! the EASE weights travel as) and written as two planes, every value's high byte then every
//! value's low byte, the same part is 120 to 140 KB. bfloat16 rather than a log scale or IEEE
//! half precision: it keeps f32's range (trending spans tens of orders of magnitude), and going
//! back to f32 is a shift, so every platform reads the same bits. Hand-written: the conversion
//! is three lines, where a crate would add a dependency to the store's download for them.
//!
//! A model rounds its values with [`round`] when it is fitted, so what `aisle evaluate`
//! measures is what the store reads, and [`Bfloat16Planes`] carries them without loss.
//!
//! ```
//! use aisle_core::math::bfloat16::{Bfloat16Planes, round};
//! let values = [round(0.1234), 1.0, 0.0];
//! assert!((values[0] - 0.1234).abs() <= 0.1234 / 256.0);
//! let planes = Bfloat16Planes::from(&values[..]);
//! assert_eq!(planes.floats().unwrap(), values);
//! ```

use serde::{Deserialize, Serialize};

/// The f32 mantissa bits bfloat16 drops.
const DROPPED_BITS: u32 = 16;

/// `value` rounded to the nearest bfloat16 (ties to even), as an f32; NaN stays NaN.
pub fn round(value: f32) -> f32 {
    from_bits(to_bits(value))
}

/// The f32 a bfloat16's bits stand for, exactly.
fn from_bits(bits: u16) -> f32 {
    f32::from_bits(u32::from(bits) << DROPPED_BITS)
}

/// The bfloat16 nearest `value`: its f32 bits rounded to the upper 16, ties to even.
fn to_bits(value: f32) -> u16 {
    let bits = value.to_bits();
    if value.is_nan() {
        // Keep a mantissa bit set, so rounding cannot turn a NaN into an infinity.
        return ((bits >> DROPPED_BITS) | 0x40) as u16;
    }
    let half = (1 << (DROPPED_BITS - 1)) - 1 + ((bits >> DROPPED_BITS) & 1);
    // An f32 near the top of its range rounds up to infinity, as any rounding of it would.
    (bits.wrapping_add(half) >> DROPPED_BITS) as u16
}

/// Floats as bfloat16, in two planes: each value's high byte (sign, exponent, one mantissa
/// bit), then each value's low byte. Values of similar size share their high byte, so the
/// first plane compresses to little.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bfloat16Planes {
    #[serde(with = "serde_bytes")]
    high: Vec<u8>,
    #[serde(with = "serde_bytes")]
    low: Vec<u8>,
}

impl From<&[f32]> for Bfloat16Planes {
    /// Each value [`round`]ed: exact for values already rounded.
    fn from(values: &[f32]) -> Self {
        let bits: Vec<u16> = values.iter().map(|&value| to_bits(value)).collect();
        Self {
            high: bits.iter().map(|&b| (b >> 8) as u8).collect(),
            low: bits.iter().map(|&b| b as u8).collect(),
        }
    }
}

impl Bfloat16Planes {
    /// The values, or why the planes do not hold them (planes of different lengths).
    pub fn floats(&self) -> Result<Vec<f32>, String> {
        if self.high.len() != self.low.len() {
            return Err(format!(
                "{} high bytes but {} low bytes of 16-bit floats",
                self.high.len(),
                self.low.len()
            ));
        }
        Ok(self
            .high
            .iter()
            .zip(&self.low)
            .map(|(&high, &low)| from_bits(u16::from_be_bytes([high, low])))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rounding_is_to_the_nearest_with_ties_to_even() {
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: to the even mantissa, 1.
        assert_eq!(round(1.0 + 2f32.powi(-8)), 1.0);
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 and 1 + 2^-6: to the even, 1 + 2^-6.
        assert_eq!(round(1.0 + 3.0 * 2f32.powi(-8)), 1.0 + 2f32.powi(-6));
        assert_eq!(
            round(1.0 + 2f32.powi(-8) + 2f32.powi(-20)),
            1.0 + 2f32.powi(-7)
        );
        assert_eq!(round(-0.0).to_bits(), (-0.0f32).to_bits());
        assert!(round(f32::NAN).is_nan());
        assert_eq!(round(f32::INFINITY), f32::INFINITY);
        assert_eq!(round(f32::MAX), f32::INFINITY);
    }

    #[test]
    fn planes_of_different_lengths_are_refused() {
        let planes = Bfloat16Planes {
            high: vec![1, 2],
            low: vec![3],
        };
        assert!(planes.floats().unwrap_err().contains("2 high bytes but 1"));
    }

    #[test]
    fn planes_are_written_as_lists_of_bytes_would_be() {
        // Bundles hold the planes as postcard writes two `Vec<u8>`: the two must stay alike.
        let values: Vec<f32> = (0..200).map(|n| n as f32 * 0.37 - 20.0).collect();
        let planes = Bfloat16Planes::from(&values[..]);
        let bytes = postcard::to_stdvec(&planes).unwrap();
        assert_eq!(
            bytes,
            postcard::to_stdvec(&(&planes.high, &planes.low)).unwrap()
        );
        assert_eq!(
            postcard::from_bytes::<Bfloat16Planes>(&bytes).unwrap(),
            planes
        );
    }

    proptest! {
        #[test]
        fn rounding_is_within_half_a_step_and_planes_carry_it_exactly(
            values in proptest::collection::vec(-1e30f32..1e30, 0..50)
        ) {
            let rounded: Vec<f32> = values.iter().map(|&v| round(v)).collect();
            for (&value, &back) in values.iter().zip(&rounded) {
                // Half of the last kept mantissa bit, 2^-8 of the value's binade.
                prop_assert!((back - value).abs() <= value.abs() / 256.0 + f32::MIN_POSITIVE);
                prop_assert_eq!(round(back), back);
            }
            let planes = Bfloat16Planes::from(&values[..]);
            prop_assert_eq!(planes.floats().unwrap(), rounded);
        }
    }
}
