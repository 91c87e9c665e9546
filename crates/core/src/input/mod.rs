//! Reading what a shop exports and keeping what a recommender can learn from: order logs
//! ([`orders`]), the shop's product file ([`product_file`]), pre-split interaction files
//! ([`interaction_file`]), the cleaning rules ([`mod@clean`]) and the fills for blank cells
//! ([`missing`]). [`csv_file`] opens any CSV file and [`csv_rows`] reads its rows,
//! [`fields`] parses one cell (ids, prices, dates), [`interner`] shares the texts that repeat from row
//! to row; an order row's cells become an order line in `order_row`. [`parts`] reads one large
//! file as parts side by side.

pub mod clean;
pub mod csv_file;
pub mod csv_rows;
pub mod fields;
pub mod interaction_file;
pub mod interner;
pub mod missing;
mod order_row;
pub mod orders;
pub mod parts;
pub mod product_file;

pub use clean::{CleaningRules, clean};
pub use orders::{ColumnMap, OrderLine, OrderLog};
