//! Offline evaluation: the holdout and its tasks ([`holdout`]), the metrics ([`metrics`]), data
//! of other shapes derived from an order log ([`derived`]), the search that tunes settings on a
//! validation split ([`coordinate_search`]), and the benchmarks' workloads ([`workloads`],
//! feature `workloads`).

pub mod coordinate_search;
pub mod derived;
pub mod holdout;
pub mod metrics;
#[cfg(any(test, feature = "workloads"))]
pub mod workloads;
