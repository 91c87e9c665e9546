//! `aisle evaluate` end to end on a split small enough to score by hand.

mod common;

use common::{aisle, aisle_json};

/// Train (2010): u1 buys A B, u2 A C, u3 A.  Test (2011): u1 buys C, u2 buys B.
const ORDERS: &str = "\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID
1,10001,ITEM A,1,2010-06-01 10:00:00,1.00,1
1,10002,ITEM B,1,2010-06-01 10:00:00,1.00,1
2,10001,ITEM A,1,2010-06-02 10:00:00,1.00,2
2,10003,ITEM C,1,2010-06-02 10:00:00,1.00,2
3,10001,ITEM A,1,2010-06-03 10:00:00,1.00,3
4,10003,ITEM C,1,2011-02-01 10:00:00,1.00,1
5,10002,ITEM B,1,2011-02-01 10:00:00,1.00,2
";

#[test]
fn evaluate_prints_the_protocol_json_with_hand_computed_figures() {
    let work = tempfile::tempdir().unwrap();
    let orders = work.path().join("orders.csv");
    std::fs::write(&orders, ORDERS).unwrap();
    let report = aisle_json(&[
        "evaluate",
        "--orders",
        orders.to_str().unwrap(),
        "--cutoff",
        "2011-01-01",
        "--k",
        "2",
        "--json",
        "--quiet",
    ]);
    assert_eq!(report["k"], 2);

    // Popularity ranks A (3 buyers), then B and C (1 each, catalog order): top 2 = [A, B].
    // all: u1 wants C (miss), u2 wants B (hit): recall 0.5 over 2 users.
    let popularity = &report["tasks"]["all"]["popularity"];
    assert_eq!(popularity["users"], 2);
    assert_eq!(popularity["recall"], 0.5);
    // new: bought items are removed, leaving exactly the wanted one for each user.
    assert_eq!(report["tasks"]["new"]["popularity"]["recall"], 1.0);

    let models = |task: &str| {
        let mut names: Vec<String> = report["tasks"][task]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        models("all"),
        [
            "aisle",
            "content",
            "ease",
            "itemknn",
            "popularity",
            "repeat"
        ]
    );
    assert_eq!(
        models("new"),
        ["aisle", "content", "ease", "itemknn", "popularity"]
    );
}

#[test]
fn a_cutoff_that_is_not_a_date_is_named() {
    let output = aisle(&[
        "evaluate", "--orders", "x.csv", "--cutoff", "soon", "--quiet",
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--cutoff `soon` is not a date"));
}
