//! Small numeric building blocks the models, the evaluation and the segmentation share: sparse
//! rows ([`sparse`]), similarities ([`similarity`]), order statistics ([`stats`]), picking
//! the best few of many scores ([`ranking`]), floats kept to 16 bits for the bundle
//! ([`bfloat16`]), work spread over every core (`parallel`) and, for training, positions grouped
//! by equal keys (`groups`).

pub mod bfloat16;
#[cfg(feature = "train-dense")]
pub(crate) mod groups;
pub(crate) mod parallel;
pub mod ranking;
pub mod similarity;
pub mod sparse;
pub mod stats;
