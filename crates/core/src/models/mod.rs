//! What the recommendations are learned from and made of: the purchase matrix
//! ([`interactions`], [`baskets`]), the models the bundle ships (popularity, trending, EASE and
//! its compact weights, with what customers buy next added in, co-purchase pairs, re-order rates), the blend that ranks with them and
//! learns its settings per shop ([`blend`]), the training that fits them all ([`train`]), and
//! the anchors only the evaluation runs (item-kNN, user-kNN, TIFU-KNN).
//!
//! EASE, the next-purchase model and training need dense linear algebra, so they are native only (feature
//! `train-dense`); the browser only applies the sparse weights.

pub mod baskets;
pub mod blend;
pub(crate) mod cooccurrence;
pub mod copurchase;
#[cfg(feature = "train-dense")]
pub mod ease;
pub mod history_rows;
pub mod interactions;
pub mod item_weights;
pub mod itemknn;
#[cfg(feature = "train-dense")]
pub mod next_purchase;
pub mod popularity;
pub mod quantized;
pub mod repeat;
pub mod tifuknn;
#[cfg(feature = "train-dense")]
pub mod train;
pub mod trending;
pub mod userknn;

pub use blend::{Blend, BlendSettings, Tuning};
