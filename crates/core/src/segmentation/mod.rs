//! Customer segments: each customer's order features ([`customer_features`]), scaling
//! ([`scaling`]), k-means ([`kmeans`]), the silhouette and the sweep that choose k
//! ([`silhouette`], [`sweep`]), the segments named by rule and their features ranked
//! ([`segments`], [`feature_ranking`]), the map ([`pca`]), category leanings ([`affinity`]), and
//! the segments as a bundle ships them ([`segment_model`]).

pub mod affinity;
pub mod customer_features;
pub mod feature_ranking;
pub mod kmeans;
pub mod pca;
pub mod scaling;
pub mod segment_model;
pub mod segments;
pub mod silhouette;
pub mod sweep;
