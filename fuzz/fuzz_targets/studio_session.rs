//! Any bytes as the marketer's file in the studio: the header is recognised or guessed, blanks
//! are filled, and whatever loads is segmented; every step answers with a reply (a result or a
//! failure that says why), and nothing panics.
#![no_main]

use aisle_core::input::missing::{Fill, MissingValues};
use aisle_core::segmentation::segments::SegmentRequest;
use aisle_core::studio::session::{Reply, Request, Session};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = vec![("fuzz.csv".to_owned(), data.to_vec())];
    let mut session = Session::default();
    let missing = MissingValues {
        quantity: Fill::Median,
        unit_price: Fill::Mean,
        timestamp: Fill::Mode,
    };
    let mut reply = session.handle(
        Request::Load {
            columns: None,
            missing,
        },
        &files[..],
        &mut |_| {},
    );
    if let Reply::NeedsMapping { guess, .. } = &reply
        && let Some(columns) = guess.to_column_map()
    {
        reply = session.handle(
            Request::Load {
                columns: Some(columns),
                missing,
            },
            &files[..],
            &mut |_| {},
        );
    }
    if matches!(reply, Reply::Loaded { .. }) {
        let request = SegmentRequest {
            k: Some(2),
            ..SegmentRequest::default()
        };
        if matches!(
            session.handle(Request::Segment(request), &files[..], &mut |_| {}),
            Reply::Segmented(_)
        ) {
            let _ = session.handle(Request::ExportCustomers, &files[..], &mut |_| {});
        }
    }
});
