//! The shopper, as their own browser knows them: what they do ([`events`]), folded into a
//! bounded profile ([`profile`]), and the features a marketer would measure, computed on the
//! device ([`features`]). Every tab of a store shares one profile through [`changes`],
//! and a tab's unsaved changes outlive it through [`ledger`].

pub mod changes;
pub mod events;
pub mod features;
pub mod ledger;
pub mod profile;

pub use events::{Event, EventKind};
pub use profile::Profile;
