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
    assert_eq!(popularity["hit_rate"], 0.5);
    assert_eq!(popularity["precision"], 0.25); // (0/2 + 1/2) / 2
    assert_eq!(popularity["coverage"], 2.0 / 3.0); // A and B shown, of A, B, C
    let diversity = popularity["diversity"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&diversity), "{diversity}");
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
    let every = [
        "aisle",
        "content",
        "ease",
        "itemknn",
        "popularity",
        "ptopfreq",
        "tifuknn",
        "userknn",
    ];
    assert_eq!(models("all"), every);
    assert_eq!(models("new"), every);
    // Recall split into what users bought again (u1's C is new to u1, u2's B new to u2: no
    // repeats) and what they explored.
    assert_eq!(popularity["repeat_users"], 0);
    assert!(popularity["repeat_recall"].is_null());
    assert_eq!(popularity["explore_recall"], 0.5);
    // Three users are too few to learn the blend's settings from: the defaults, and why.
    let aisle = &report["aisle"];
    assert!(aisle["validation"].is_null());
    assert!(
        aisle["defaultsBecause"]
            .as_str()
            .unwrap()
            .starts_with("too little history")
    );
    assert_eq!(aisle["settings"]["easeLambda"], 300.0);
}

#[test]
fn rolling_origin_reports_each_cutoff_and_their_mean() {
    // Each month two customers buy: u1 A then B, u2 B then A, alternating.
    let mut orders =
        String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    for month in 1..=6 {
        for (customer, item) in [(1, 10000 + month % 2), (2, 10001 - month % 2)] {
            orders += &format!(
                "{month}{customer},{item},ITEM {item},1,2011-{month:02}-10 10:00:00,1.00,{customer}\n"
            );
        }
    }
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("orders.csv");
    std::fs::write(&path, orders).unwrap();
    let report = aisle_json(&[
        "evaluate",
        "--orders",
        path.to_str().unwrap(),
        "--cutoffs",
        "2011-04-01,2011-05-01,2011-06-01",
        "--k",
        "1",
        "--quiet",
    ]);
    let cutoffs = report["cutoffs"].as_array().unwrap();
    assert_eq!(cutoffs.len(), 3);
    assert_eq!(cutoffs[0]["cutoff"], "2011-04-01");
    // Each cut-off tests the month after it: both customers, once each.
    for cutoff in cutoffs {
        assert_eq!(cutoff["tasks"]["all"]["popularity"]["users"], 2);
    }
    // The means average the cut-offs' recalls and sum their users.
    let recall = |index: usize| {
        cutoffs[index]["tasks"]["all"]["ptopfreq"]["recall"]
            .as_f64()
            .unwrap()
    };
    let mean = report["tasks"]["all"]["ptopfreq"]["recall"]
        .as_f64()
        .unwrap();
    assert!((mean - (recall(0) + recall(1) + recall(2)) / 3.0).abs() < 1e-12);
    assert_eq!(report["tasks"]["all"]["ptopfreq"]["users"], 6);
}

#[test]
fn a_window_that_is_not_a_length_is_named() {
    let output = aisle(&[
        "evaluate",
        "--orders",
        "x.csv",
        "--cutoffs",
        "2011-01-01,2011-02-01",
        "--window",
        "soon",
        "--quiet",
    ]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--window `soon` is not a length such as 30d, 4w or 1m")
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

#[test]
fn pre_split_files_are_evaluated_with_the_same_models() {
    // 60 users in 5 taste groups of 6 items. Train: three items of one's group (rated 5) and one
    // disliked item of another (rated 1, dropped by --min-rating 3). Test: another item of the group.
    let (mut train, mut test) = (
        String::from("user\titem\trating\ttimestamp\n"),
        String::new(),
    );
    for user in 0..60 {
        let group = user % 5;
        let item = |k: usize| group * 6 + (user / 5 + k) % 6;
        for k in 0..3 {
            train += &format!("u{user}\ti{}\t5\t{}\n", item(k), 1_000 + user * 10 + k);
        }
        train += &format!("u{user}\ti{}\t1\t{}\n", ((group + 1) % 5) * 6, 2_000 + user);
        test += &format!("u{user}\ti{}\t5\t{}\n", item(3), 5_000 + user);
    }
    let work = tempfile::tempdir().unwrap();
    let (train_path, test_path) = (work.path().join("train.tsv"), work.path().join("test.tsv"));
    std::fs::write(&train_path, train).unwrap();
    std::fs::write(&test_path, test).unwrap();
    let report = aisle_json(&[
        "evaluate",
        "--train",
        train_path.to_str().unwrap(),
        "--test",
        test_path.to_str().unwrap(),
        "--min-rating",
        "3",
        "--k",
        "3",
        "--json",
        "--quiet",
    ]);
    let recall = |task: &str, model: &str| report["tasks"][task][model]["recall"].as_f64().unwrap();
    assert_eq!(report["tasks"]["new"]["aisle"]["users"], 60);
    // Each user's three unseen group items are the only sensible top 3, and the models find them.
    for model in ["aisle", "ease", "itemknn"] {
        assert_eq!(recall("new", model), 1.0, "{model}");
    }
    assert!(recall("new", "popularity") < 1.0);
}

#[test]
fn a_pre_split_row_without_an_item_is_named() {
    let work = tempfile::tempdir().unwrap();
    let path = work.path().join("train.csv");
    std::fs::write(&path, "1,10\n2\n").unwrap();
    let output = aisle(&[
        "evaluate",
        "--train",
        path.to_str().unwrap(),
        "--test",
        path.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("train.csv: cannot read input: line 2, column `item`")
    );
}
