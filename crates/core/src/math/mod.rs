//! Small numeric building blocks the models, the evaluation and the segmentation share: sparse
//! rows ([`sparse`]), similarities ([`similarity`]), order statistics ([`stats`]), picking
//! the best few of many scores ([`ranking`]) and, for training, positions grouped by equal keys
//! (`groups`) and work spread over every core (`parallel`).

#[cfg(feature = "train-dense")]
pub(crate) mod groups;
#[cfg(feature = "train-dense")]
pub(crate) mod parallel;
pub mod ranking;
pub mod similarity;
pub mod sparse;
pub mod stats;
