//! A bundle with one file replaced by any bytes (re-signed in the manifest, as a hostile or
//! buggy producer could), and any bytes as the manifest: decoding returns a bundle or an error,
//! never panics, and a decoded bundle serves recommendations.
#![no_main]

use aisle_core::bundle::{Bundle, Counts, Manifest, sha256_hex};
use aisle_core::catalog::{Catalog, Product};
use aisle_core::math::sparse::SparseRows;
use aisle_core::models::blend::Tuning;
use aisle_core::models::copurchase::CoPurchase;
use aisle_core::models::item_weights::ItemWeights;
use aisle_core::models::popularity::Popularity;
use aisle_core::models::repeat::RepeatRates;
use aisle_core::models::trending::Trending;
use aisle_core::segmentation::segment_model::SegmentModel;
use aisle_core::serve::recommend::Model;
use aisle_core::shopper::profile::Profile;
use libfuzzer_sys::fuzz_target;

fn valid() -> Bundle {
    let product = |id: &str| Product::new(id, &format!("{id} LANTERN"), 1.0);
    let weights =
        || ItemWeights::from_targets(SparseRows::from_rows(vec![vec![(1, 0.5)], vec![(0, 0.5)]]));
    Bundle {
        catalog: Catalog::new(vec![product("A"), product("B")]),
        popularity: Popularity::from_buyers(vec![1, 2]),
        trending: Trending::from_scores(vec![0.5, 1.0]),
        ease: weights(),
        copurchase: CoPurchase::from_pairs(weights()),
        segments: SegmentModel::default(),
        repeat_rates: RepeatRates::from_rates(vec![0.5, 0.2]),
        tuning: Tuning::defaults("a fuzzed bundle".into()),
        money: Default::default(),
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = Manifest::from_json(data);
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let (mut manifest, mut files) = valid().encode(Counts::default());
    let index = usize::from(which) % files.len();
    files[index].1 = bytes.to_vec();
    manifest.files[index].sha256 = sha256_hex(bytes);
    manifest.files[index].bytes = bytes.len() as u64;
    let read = |name: &str| files.iter().find(|f| f.0 == name).map(|f| f.1.clone());
    let _ = Bundle::decode(&manifest, read);
    if let Ok(decoded) = Bundle::decode_lenient(&manifest, read) {
        let model = Model::new(decoded.bundle);
        let profile = Profile::default();
        let _ = model.for_you(&profile, 0, 5);
        let _ = model.buy_again(&profile, 0, 5);
        for item in 0..model.catalog().len() {
            let _ = model.similar(item, &profile, 5);
            let _ = model.bought_together(item, &profile, 5);
        }
    }
});
