//! Any bytes as an order export (Online Retail columns, optionally gzip) and as a pre-split
//! interaction file: reading either returns rows or an error, and never panics.
#![no_main]

use aisle_core::input::clean::clean;
use aisle_core::input::interaction_file::read_interactions;
use aisle_core::input::orders::{ColumnMap, OrderLog};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut log = OrderLog::default();
    if log
        .read_csv(data, "fuzz.csv", &ColumnMap::online_retail())
        .is_ok()
    {
        let _ = clean(log.lines);
    }
    let _ = read_interactions(data, "fuzz.tsv", None);
});
