//! `aisle segment` end to end: two obvious customer groups come out as two named segments.

mod common;

use common::{aisle, aisle_json};

#[test]
fn segments_print_as_json_with_names_sizes_and_centroids() {
    let mut csv =
        String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    // Six regulars ordering monthly through 2011; six who ordered once in early 2010.
    for customer in 0..6 {
        for month in 1..=12 {
            csv += &format!(
                "{customer}{month:02},10001,ITEM,20,2011-{month:02}-05 10:00:00,2.00,{}\n",
                100 + customer
            );
        }
        csv += &format!(
            "9{customer},10002,ITEM,1,2010-02-0{} 10:00:00,1.00,{}\n",
            customer + 1,
            200 + customer
        );
    }
    let work = tempfile::tempdir().unwrap();
    let orders = work.path().join("orders.csv");
    std::fs::write(&orders, csv).unwrap();

    let customers = work.path().join("customers.csv");
    let report = aisle_json(&[
        "segment",
        "--orders",
        orders.to_str().unwrap(),
        "--k",
        "2",
        "--seed",
        "4",
        "--json",
        "--quiet",
        "--customers-out",
        customers.to_str().unwrap(),
    ]);
    assert_eq!(report["k"], 2);
    assert!(report["silhouette"].as_f64().unwrap() > 0.5);
    let mut segments: Vec<(String, u64, f64)> = report["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["size"].as_u64().unwrap(),
                s["centroid"]["frequency"].as_f64().unwrap(),
            )
        })
        .collect();
    segments.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(segments[0].0, "Champions");
    assert_eq!(segments[1].0, "Hibernating");
    assert!(segments.iter().all(|(_, size, _)| *size == 6));
    assert!((segments[0].2 - 12.0).abs() < 1e-3, "{segments:?}");

    // One CSV row per customer with its segment and features in original units.
    let table = std::fs::read_to_string(&customers).unwrap();
    let mut rows = table.lines();
    assert_eq!(
        rows.next(),
        Some("customer,segment,recency_days,frequency,monetary,distinct_items,mean_basket_value")
    );
    let regular = rows.find(|row| row.starts_with("100,")).unwrap();
    assert!(regular.starts_with("100,Champions,0,12,480"), "{regular}");
    assert_eq!(table.lines().count(), 13);
}

#[test]
fn a_bad_k_is_named() {
    let output = aisle(&["segment", "--orders", "x.csv", "--k", "many"]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("`many` is neither a number of segments")
    );
}

/// Forty customers of four kinds (by how often, how lately and how much they buy), each with
/// their own quirks, so that k is chosen, not given.
fn varied_orders() -> String {
    let mut csv =
        String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    let mut invoice = 1000;
    for customer in 0..40u32 {
        let kind = customer % 4;
        let (orders, first_month, quantity) = match kind {
            0 => (10, 2, 30),
            1 => (3, 9, 5),
            2 => (1, 1, 2),
            _ => (6, 5, 12),
        };
        for order in 0..orders {
            invoice += 1;
            let month = (first_month + order).min(12);
            let day = 1 + (customer % 27);
            let item = 10001 + (customer + order) % 7;
            csv += &format!(
                "{invoice},{item},ITEM {item},{},2011-{month:02}-{day:02} 10:00:00,{}.50,{}\n",
                quantity + customer % 3,
                1 + customer % 4,
                500 + customer
            );
        }
    }
    csv
}

#[test]
fn the_cli_and_the_studio_name_the_same_customers_alike() {
    use aisle_core::input::missing::MissingValues;
    use aisle_core::input::orders::ColumnMap;
    use aisle_core::segmentation::segments::SegmentRequest;
    use aisle_core::studio::{Input, Studio, segmenting::segment};

    let csv = varied_orders();
    let work = tempfile::tempdir().unwrap();
    let orders = work.path().join("orders.csv");
    std::fs::write(&orders, &csv).unwrap();
    let report = aisle_json(&[
        "segment",
        "--orders",
        orders.to_str().unwrap(),
        "--k",
        "auto",
        "--seed",
        "7",
        "--json",
        "--quiet",
    ]);

    let studio = Studio::read(
        vec![Input::from_bytes("orders.csv", csv.as_bytes())],
        &ColumnMap::online_retail(),
        &MissingValues::default(),
        &mut |_| {},
    )
    .unwrap();
    let request = SegmentRequest {
        seed: 7,
        ..SegmentRequest::default()
    };
    let studied = segment(&studio, &request, &mut |_| {}).unwrap();

    assert_eq!(report["k"], studied.k as u64);
    assert_eq!(report["suggestion"]["k"], studied.suggestion.k as u64);
    let from_cli: Vec<(String, u64)> = report["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["size"].as_u64().unwrap(),
            )
        })
        .collect();
    let from_studio: Vec<(String, u64)> = studied
        .segments
        .iter()
        .map(|card| (card.name.clone(), card.size as u64))
        .collect();
    assert!(from_cli.len() >= 2, "{from_cli:?}");
    assert_eq!(from_cli, from_studio);
}

#[test]
fn a_large_plain_file_read_in_parts_segments_as_its_gzip_read_whole() {
    // 10 MB: two parts or more on a machine with two cores (4 MiB a part at the least).
    let mut csv =
        String::from("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n");
    let mut row = 0;
    while csv.len() < 10 << 20 {
        let customer = row % 3_001;
        let description = if row % 7 == 0 { "\"MUG, RED\"" } else { "MUG" };
        let quantity = if row == 150_000 {
            "many".to_owned()
        } else {
            (row % 9 + 1).to_string()
        };
        csv += &format!(
            "{},{}A,{description},{quantity},2011-{:02}-{:02} 10:00:00,{}.25,{customer}\n",
            row / 4,
            20_000 + row % 997,
            row % 12 + 1,
            row % 28 + 1,
            row % 40 + 1
        );
        row += 1;
    }
    let work = tempfile::tempdir().unwrap();
    let plain = work.path().join("orders.csv");
    std::fs::write(&plain, &csv).unwrap();
    let gzip = work.path().join("orders.csv.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&gzip).unwrap(), Default::default());
    std::io::Write::write_all(&mut encoder, csv.as_bytes()).unwrap();
    encoder.finish().unwrap();

    let run = |path: &std::path::Path| {
        let output = aisle(&["segment", "--orders", path.to_str().unwrap(), "--k", "4"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report = String::from_utf8_lossy(&output.stderr).replace(".csv.gz", ".csv");
        (String::from_utf8(output.stdout).unwrap(), report)
    };
    let (in_parts, parts_report) = run(&plain);
    let (whole, whole_report) = run(&gzip);
    assert_eq!(in_parts, whole);
    // The malformed row is reported on its line of the whole file either way.
    assert!(whole_report.contains("line 150002"), "{whole_report}");
    assert!(parts_report.contains("line 150002"), "{parts_report}");
}
