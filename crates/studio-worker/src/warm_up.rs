//! Runs the whole pipeline once, on a small made-up order file, as soon as the worker starts.
//!
//! V8 first compiles wasm with its baseline compiler and recompiles a function with its
//! optimising one in the background once it has run enough; a call already running stays on the
//! code it began with (wasm has no on-stack replacement). Reading a file, cleaning it and
//! computing the customer table are each one long call per request, so on a fresh worker the
//! marketer's file would run in baseline code from start to end. Run once beforehand, while the
//! marketer is still choosing a file, they are optimised by the time it comes (`scripts/bench`
//! times the studio with a file chosen 2 s after the page shows, as a person would).
//!
//! The file takes the paths the Online Retail layout takes (ISO dates, customer ids written as
//! floats, repeated products); gzip decoding is not warmed, which a plain file never needs.

use aisle_core::segmentation::segments::SegmentRequest;
use aisle_core::segmentation::sweep::{KScore, SweepShare};
use aisle_core::studio::session::{Reply, Request, Session};

/// Rows of the made-up file: enough loop iterations that V8 optimises the reading and cleaning
/// loops (about 1.2 MB of CSV), few enough that it takes a fraction of a second.
const ROWS: u32 = 20_000;

/// Loads and segments the made-up file in a session of its own, which is then dropped.
pub fn run() {
    // The replies are not wanted: only the running is.
    let _ = load_and_segment();
}

/// For the sweep helper, which only sweeps: sweeps the share of the made-up file's k's that the
/// studio's worker would send a helper, from its bytes.
pub fn run_sweep() {
    // As in `run`: only the running is wanted.
    let _ = sweep_a_share();
}

/// The scores of the share [`run_sweep`] sweeps; `None` where any step fails. (Not the reply
/// that says why: formatting it would put `Debug` code for every reply in the worker.)
fn sweep_a_share() -> Option<Vec<KScore>> {
    let (_, session) = load();
    let segments = session.start_segments(&SegmentRequest::default(), 1).ok()?;
    let share = segments.shares.first()?;
    SweepShare::from_bytes(&share.to_bytes())
        .and_then(|share| share.sweep())
        .ok()
}

/// The replies to loading and segmenting the made-up file.
fn load_and_segment() -> [Reply; 2] {
    let (loaded, mut session) = load();
    let segment = Request::Segment(SegmentRequest::default());
    let no_files: [(String, Vec<u8>); 0] = [];
    [loaded, session.handle(segment, &no_files[..], &mut |_| {})]
}

/// A session that loaded the made-up file, and its reply.
fn load() -> (Reply, Session) {
    let files = [("warm-up.csv".to_owned(), orders().into_bytes())];
    let mut session = Session::default();
    let load = Request::Load {
        columns: None,
        missing: Default::default(),
    };
    let loaded = session.handle(load, &files[..], &mut |_| {});
    (loaded, session)
}

/// An Online Retail file of [`ROWS`] rows: 3,001 customers buying from 997 products over 2011.
fn orders() -> String {
    let mut csv =
        String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    for row in 0..ROWS {
        csv += &format!(
            "{},{}A,MUG {},{},2011-{:02}-{:02} 10:00:00,{}.25,{}.0\n",
            500_000 + row / 4,
            20_000 + row % 997,
            row % 31,
            row % 9 + 1,
            row % 12 + 1,
            row % 28 + 1,
            row % 40 + 1,
            12_000 + row % 3_001
        );
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_made_up_file_goes_through_the_whole_pipeline() {
        let [loaded, segmented] = load_and_segment();
        assert!(matches!(loaded, Reply::Loaded { .. }), "{loaded:?}");
        let Reply::Segmented(segments) = segmented else {
            panic!("{segmented:?}");
        };
        assert!(segments.segments.len() >= 2);
    }

    #[test]
    fn the_helper_sweeps_a_share_of_the_made_up_file() {
        let scores = sweep_a_share().unwrap();
        assert!(!scores.is_empty() && scores.len() < 9, "{scores:?}");
    }
}
