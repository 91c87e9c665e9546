//! Small numeric building blocks the models, the evaluation and the segmentation share: sparse
//! rows ([`sparse`]), similarities ([`similarity`]), order statistics ([`stats`]) and picking
//! the best few of many scores ([`ranking`]).

pub mod ranking;
pub mod similarity;
pub mod sparse;
pub mod stats;
