//! `aisle build` end to end: a bundle built from a small hand-written order file reads back with
//! the products, prices and popularity worked out by hand, and bad input fails cleanly.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use aisle_core::bundle::{Bundle, MANIFEST_FILE, Manifest};
use common::aisle;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/orders.csv")
}

fn build(orders: &Path, out: &Path) -> Output {
    aisle(&[
        "build".as_ref(),
        "--orders".as_ref(),
        orders.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ])
}

fn read_bundle(dir: &Path) -> (Manifest, Bundle) {
    let manifest = Manifest::from_json(&std::fs::read(dir.join(MANIFEST_FILE)).unwrap()).unwrap();
    let bundle = Bundle::decode(&manifest, |name| std::fs::read(dir.join(name)).ok()).unwrap();
    (manifest, bundle)
}

#[test]
fn builds_a_bundle_that_reads_back() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    let output = build(&fixture(), &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // The malformed quantity is reported with its file, line and column.
    assert!(
        stderr.contains("orders.csv: line 11: column `Quantity`: `six` is not a whole number"),
        "{stderr}"
    );

    let (manifest, bundle) = read_bundle(&out);
    // Kept: the six rows of 536365-536368; dropped: postage, the cancellation, the guest order.
    assert_eq!(manifest.counts.order_lines, 6);
    assert_eq!(manifest.counts.customers, 3);
    let ids: Vec<&str> = bundle
        .catalog
        .products()
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(ids, ["22633", "71053", "85123A"]);
    let lantern = &bundle.catalog.products()[1];
    assert_eq!(lantern.title, "White Metal Lantern");
    assert_eq!(lantern.price, 3.39); // median of 3.39, 3.75, 3.39
    assert_eq!(bundle.popularity.buyers(), [2, 3, 1]);
}

#[test]
fn a_failed_build_leaves_the_previous_bundle_intact() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    assert!(build(&fixture(), &out).status.success());
    let before = std::fs::read(out.join(MANIFEST_FILE)).unwrap();

    let useless = work.path().join("guests.csv");
    std::fs::write(
        &useless,
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
         1,22633,HAND WARMER,1,2010-12-01 08:28:00,1.85,\n",
    )
    .unwrap();
    let output = build(&useless, &out);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no usable order rows: 1 rows read"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(out.join(MANIFEST_FILE)).unwrap(), before);
    // No staging directory is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(work.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn a_rebuild_adds_files_beside_the_old_ones_and_keeps_one_deploy_back() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "the shop's own file").unwrap();
    // Three deploys of growing histories: each adds a line, so the catalog's file changes.
    let fixture = std::fs::read_to_string(fixture()).unwrap();
    let mut names = Vec::new();
    for (deploy, extra) in [
        "",
        "536999,71053,WHITE METAL LANTERN,1,2010-12-02 09:00:00,3.39,13047.0\n",
        "537000,22633,HAND WARMER UNION JACK,2,2010-12-03 09:00:00,1.85,12583.0\n",
    ]
    .iter()
    .scan(String::new(), |grown, extra| {
        grown.push_str(extra);
        Some(grown.clone())
    })
    .enumerate()
    {
        let orders = work.path().join(format!("orders-{deploy}.csv"));
        std::fs::write(&orders, format!("{fixture}{extra}")).unwrap();
        assert!(build(&orders, &out).status.success());
        let (manifest, _) = read_bundle(&out);
        names.push(
            manifest
                .files
                .iter()
                .map(|f| f.name.clone())
                .collect::<Vec<_>>(),
        );
    }
    let present = |name: &str| out.join(name).exists();
    // The newest and the one before are whole; the first deploy's own files are gone.
    assert!(names[2].iter().chain(&names[1]).all(|name| present(name)));
    let first_only: Vec<&String> = names[0]
        .iter()
        .filter(|name| !names[1].contains(name) && !names[2].contains(name))
        .collect();
    assert!(!first_only.is_empty() && first_only.iter().all(|name| !present(name)));
    assert!(names[1] != names[2]);
    assert!(present("notes.txt"));
}

/// An order log of `products` products, each bought once by a customer of its own.
fn one_order_per_product(products: usize) -> String {
    let mut orders = String::from(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n",
    );
    for product in 0..products {
        let day = 1 + product % 28;
        orders.push_str(&format!(
            "{},{},THING {product},1,2011-02-{day:02} 10:00:00,1.50,{},United Kingdom\n",
            600_000 + product,
            10_000 + product,
            20_000 + product
        ));
    }
    orders
}

#[test]
fn a_rebuild_keeps_the_shard_cuts_of_the_deploy_it_replaces() {
    let work = tempfile::tempdir().unwrap();
    let shards = |products: usize, out: &Path| {
        let orders = work.path().join(format!("orders-{products}.csv"));
        std::fs::write(&orders, one_order_per_product(products)).unwrap();
        let output = build(&orders, out);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        read_bundle(out).0.shards.unwrap()
    };
    let deployed = work.path().join("deployed");
    let first = shards(1200, &deployed);
    assert_eq!(first.len(), 2);
    // 1,800 products cut afresh make three shards. Over the deploy before, each of its two
    // shards holds about 900, fewer than twice the floor, so its cut stays: no new shard
    // straddles it.
    assert_eq!(shards(1800, &work.path().join("fresh")).len(), 3);
    assert_eq!(shards(1800, &deployed), first);
}

#[test]
fn a_file_without_the_needed_columns_is_named() {
    let work = tempfile::tempdir().unwrap();
    let wrong = work.path().join("wrong.csv");
    std::fs::write(&wrong, "user,item\n1,2\n").unwrap();
    let output = build(&wrong, &work.path().join("bundle"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "wrong.csv: line 1: the header has no `InvoiceNo` column (it has: user,item)"
        ),
        "{stderr}"
    );
    assert!(!work.path().join("bundle").exists());
}

#[test]
fn shards_smaller_than_500_products_are_refused_before_anything_is_read() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    let output = aisle(&[
        "build".as_ref(),
        "--orders".as_ref(),
        fixture().as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--shard-products".as_ref(),
        "100".as_ref(),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--shard-products") && stderr.contains("500"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let work = tempfile::tempdir().unwrap();
    let output = build(&work.path().join("absent.csv"), &work.path().join("bundle"));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot open"));
}

#[test]
fn inspect_accepts_a_fresh_bundle_and_names_a_tampered_file() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    assert!(build(&fixture(), &out).status.success());

    let fine = aisle(&["inspect".as_ref(), out.as_os_str()] as &[&std::ffi::OsStr]);
    let report = String::from_utf8_lossy(&fine.stdout);
    assert!(
        fine.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&fine.stderr)
    );
    let version = format!("aisle-bundle version {}", aisle_core::bundle::VERSION);
    assert!(report.contains(&version), "{report}");
    // Three customers are too few to validate on: the bundle ranks with the defaults, and says so.
    assert!(
        report.contains("blend settings: the defaults, because too little history"),
        "{report}"
    );
    assert!(
        report.contains("decoded: 3 products in 2 categories"),
        "{report}"
    );

    // A reader gone before the report is written (`aisle inspect DIR | head`) ends it quietly.
    for json in [false, true] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut inspect = Command::new(env!("CARGO_BIN_EXE_aisle"));
        inspect.arg("inspect").arg(&out);
        if json {
            inspect.arg("--json");
        }
        let closed = inspect.stdout(writer).output().unwrap();
        let stderr = String::from_utf8_lossy(&closed.stderr);
        assert!(closed.status.success() && stderr.is_empty(), "{stderr}");
    }

    let manifest = Manifest::from_json(&std::fs::read(out.join(MANIFEST_FILE)).unwrap()).unwrap();
    let trending = &manifest
        .files
        .iter()
        .find(|f| f.part == "trending")
        .unwrap()
        .name;
    let mut bytes = std::fs::read(out.join(trending)).unwrap();
    bytes[0] ^= 0xff;
    std::fs::write(out.join(trending), bytes).unwrap();
    let tampered = aisle(&["inspect".as_ref(), out.as_os_str()] as &[&std::ffi::OsStr]);
    assert!(!tampered.status.success());
    assert!(String::from_utf8_lossy(&tampered.stdout).contains(&format!("FAILED  {trending}")));
    assert!(String::from_utf8_lossy(&tampered.stderr).contains(&format!(
        "1 bundle file(s) failed: {trending}: bundle file `{trending}`: sha256 is"
    )));
}

#[test]
fn json_says_what_was_written() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    let output = build_flagged(&fixture(), &out, &["--json", "--quiet"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let built: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let (manifest, _) = read_bundle(&out);
    assert_eq!(built["out"], out.display().to_string());
    assert_eq!(
        built["manifest"]["counts"]["order_lines"],
        manifest.counts.order_lines
    );
    let files = built["manifest"]["files"].as_array().unwrap();
    assert_eq!(files.len(), manifest.files.len());
}

#[test]
fn another_shops_export_builds_with_column_flags() {
    let work = tempfile::tempdir().unwrap();
    let orders = work.path().join("shopify-like.csv");
    std::fs::write(
        &orders,
        "order_id,sku,title,qty,created_at,unit_price,buyer\n\
         1001,22633,HAND WARMER UNION JACK,6,2011-01-02 10:00,1.85,A\n\
         1002,22633,HAND WARMER UNION JACK,2,2011-01-03 11:00,1.85,B\n\
         1002,84029G,KNITTED UNION FLAG HOT WATER BOTTLE,1,2011-01-03 11:00,3.39,B\n",
    )
    .unwrap();
    let out = work.path().join("bundle");
    let without_flags = build(&orders, &out);
    assert!(!without_flags.status.success());
    assert!(String::from_utf8_lossy(&without_flags.stderr).contains("no `InvoiceNo` column"));

    let flags = [
        "--invoice-column=order_id",
        "--item-column=sku",
        "--description-column=title",
        "--quantity-column=qty",
        "--timestamp-column=created_at",
        "--price-column=unit_price",
        "--customer-column=buyer",
    ];
    let (manifest, bundle) = build_with(&orders, &out, &flags);
    assert_eq!(manifest.counts.products, 2);
    assert_eq!(manifest.counts.customers, 2);
    assert_eq!(bundle.catalog.products()[0].title, "Hand Warmer Union Jack");
    assert_eq!(bundle.popularity.buyers(), [2, 1]);
}

/// `aisle build --orders ORDERS --out OUT FLAGS...`.
fn build_flagged(orders: &Path, out: &Path, flags: &[&str]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = vec!["build".as_ref(), "--orders".as_ref()];
    args.push(orders.as_os_str());
    args.extend(["--out".as_ref(), out.as_os_str()]);
    args.extend(flags.iter().map(std::ffi::OsStr::new));
    aisle(&args)
}

/// Builds from `orders` with `flags`, asserting success; the manifest and bundle.
fn build_with(orders: &Path, out: &Path, flags: &[&str]) -> (Manifest, Bundle) {
    let output = build_flagged(orders, out, flags);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    read_bundle(out)
}

#[test]
fn a_shopify_style_export_keeps_every_valid_row() {
    let work = tempfile::tempdir().unwrap();
    let orders = work.path().join("orders_export.csv");
    // Shopify's column names and its `+0000` offsets, an ISO 8601 time, SKUs of any shape, and
    // one shipping line the shop names as not a product.
    std::fs::write(
        &orders,
        "Name,Email,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n\
         #1001,ann@example.com,2011-09-28 08:48:00 +0000,2,Lantern (blue),3.95,SKU-23196-BLUE\n\
         #1001,ann@example.com,2011-09-28 08:48:00 +0000,1,Shipping,4.50,SHIPPING-EU\n\
         #1002,bo@example.com,2011-09-29T10:00:00-05:00,1,Lantern (blue),3.95,SKU-23196-BLUE\n\
         #1002,bo@example.com,2011-09-29T10:00:00-05:00,3,Tea towel,2.10,tt/04\n\
         #1003,cy@example.com,2011-10-01T09:30:00Z,1,Hand warmer,1.85,22633\n\
         #1004,ann@example.com,1317718800,1,Tea towel,2.10,tt/04\n",
    )
    .unwrap();
    let flags = [
        "--invoice-column=Name",
        "--customer-column=Email",
        "--timestamp-column=Created at",
        "--quantity-column=Lineitem quantity",
        "--description-column=Lineitem name",
        "--price-column=Lineitem price",
        "--item-column=Lineitem sku",
        "--not-products=SHIPPING-*",
    ];
    let (manifest, bundle) = build_with(&orders, &work.path().join("bundle"), &flags);
    assert_eq!(
        manifest.counts.order_lines, 5,
        "every row but the shipping line"
    );
    assert_eq!(manifest.counts.customers, 3);
    assert_eq!(manifest.counts.products, 3);
    let mut codes: Vec<&str> = bundle
        .catalog
        .products()
        .iter()
        .map(|product| product.id.as_str())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["22633", "SKU-23196-BLUE", "TT/04"]);
}

#[test]
fn a_european_export_with_semicolons_decimal_commas_and_day_first_dates_is_read_as_written() {
    let work = tempfile::tempdir().unwrap();
    let orders = work.path().join("bestellungen.csv");
    std::fs::write(
        &orders,
        "Bestellung;Kunde;Datum;Menge;Artikel;Preis;Beschreibung\n\
         1;K1;28/09/2011 08:48;2;A-1;\"1.234,50 €\";Laterne\n\
         2;K2;29/09/2011 10:00;1;A-1;1.234,50 €;Laterne\n\
         2;K2;29/09/2011 10:00;1;B-2;2,55 €;Tasse\n",
    )
    .unwrap();
    let flags = [
        "--invoice-column=Bestellung",
        "--customer-column=Kunde",
        "--timestamp-column=Datum",
        "--quantity-column=Menge",
        "--item-column=Artikel",
        "--price-column=Preis",
        "--description-column=Beschreibung",
    ];
    let (manifest, bundle) = build_with(&orders, &work.path().join("bundle"), &flags);
    assert_eq!(manifest.counts.order_lines, 3);
    let price = |id: &str| {
        let catalog = &bundle.catalog;
        catalog
            .product(catalog.position(id).unwrap())
            .unwrap()
            .price
    };
    assert_eq!(price("A-1"), 1234.5);
    assert_eq!(price("B-2"), 2.55);
}

#[test]
fn an_ambiguous_price_is_a_skipped_row_naming_file_line_and_column() {
    let work = tempfile::tempdir().unwrap();
    let orders = work.path().join("orders.csv");
    std::fs::write(
        &orders,
        "order,customer,date,qty,sku,price\n\
         1,A,2011-09-28 08:48:00,1,X1,\"2,50\"\n\
         2,B,2011-09-29 10:00:00,1,X2,\"1,234\"\n",
    )
    .unwrap();
    let out = work.path().join("bundle");
    let mut flags = vec![
        "--invoice-column=order",
        "--customer-column=customer",
        "--timestamp-column=date",
        "--quantity-column=qty",
        "--item-column=sku",
        "--price-column=price",
    ];
    let output = build_flagged(&orders, &out, &flags);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("orders.csv: line 3: column `price`: `1,234` could be read two ways"),
        "{stderr}"
    );
    // Stated, it reads one way, and the row is kept.
    flags.push("--number-format=decimal-comma");
    let (manifest, _) = build_with(&orders, &out, &flags);
    assert_eq!(manifest.counts.order_lines, 2);
}

#[test]
fn a_product_file_describes_known_products_and_adds_new_ones() {
    let work = tempfile::tempdir().unwrap();
    let products = work.path().join("products.csv");
    std::fs::write(
        &products,
        "sku,name,description,category,price\n\
         71053,White Metal Lantern,\"<p>Hangs <b>anywhere</b>.</p>\",Lanterns,3.95\n\
         99999,Brass Lantern,Never ordered yet.,,12.50\n\
         88888,Unpriced Lantern,,,\n\
         22633,,,,a lot\n",
    )
    .unwrap();
    let out = work.path().join("bundle");
    let mut args: Vec<&std::ffi::OsStr> = vec!["build".as_ref(), "--orders".as_ref()];
    let orders = fixture();
    args.extend([orders.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    args.extend(["--products".as_ref(), products.as_os_str()]);
    let output = aisle(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("products.csv: line 5: column `price`: `a lot` is not a price"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "1 products described, 1 added, 1 left out for want of a price (first: 88888)"
        ),
        "{stderr}"
    );

    let (manifest, bundle) = read_bundle(&out);
    assert_eq!(manifest.counts.products, 4);
    let product = |id: &str| {
        let catalog = &bundle.catalog;
        catalog
            .product(catalog.position(id).unwrap())
            .unwrap()
            .clone()
    };
    let lantern = product("71053");
    assert_eq!(
        (
            lantern.description.as_str(),
            lantern.category.as_str(),
            lantern.price
        ),
        ("Hangs anywhere.", "Lanterns", 3.95)
    );
    // Not in the orders: added with no buyers, its category derived from its text.
    let brass = product("99999");
    assert_eq!(brass.category, "Candles & lighting");
    assert_eq!(
        bundle.popularity.buyers()[bundle.catalog.position("99999").unwrap()],
        0
    );
    // The hand warmer's row was skipped, so the orders' title and category stand.
    assert_eq!(product("22633").category, "Bags & accessories");
}

#[test]
fn a_shop_in_chinese_or_german_gets_aisles_copy_in_its_language_unless_it_writes_its_own() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    for (locale, language, welcome) in [
        ("zh-CN", "Chinese", "欢迎"),
        ("de-AT", "German", "Willkommen"),
    ] {
        let (manifest, bundle) = build_with(&fixture(), &out, &["--locale", locale, "--quiet"]);
        let shipped = bundle.copy.expect("the translation ships in the bundle");
        assert!(shipped.text().contains(welcome), "{locale}");
        assert!(manifest.files.iter().any(|file| file.part == "copy"));
        let inspected = aisle(&["inspect".as_ref(), out.as_os_str()]);
        let stdout = String::from_utf8_lossy(&inspected.stdout);
        assert!(
            stdout.contains(&format!("copy: Aisle's own templates in {language}")),
            "{stdout}"
        );
        // The store's own words ship too.
        let texts = bundle
            .ui_texts
            .expect("the store's texts ship in the bundle");
        assert_ne!(texts.get("shelf.for-you"), "For you", "{locale}");
        assert!(
            stdout.contains(&format!("store texts: Aisle's own texts in {language}")),
            "{stdout}"
        );
    }
    // A shop's own templates win over the translation.
    let ours = work.path().join("ours.txt");
    let english = aisle_core::serve::copy::CopyTemplates::english().text();
    std::fs::write(&ours, english.replace("Trending now | ", "Nǐ hǎo | ")).unwrap();
    let (_, bundle) = build_with(
        &fixture(),
        &out,
        &[
            "--locale",
            "zh-CN",
            "--copy",
            ours.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert!(bundle.copy.unwrap().text().contains("Nǐ hǎo | "));
    // A language Aisle has no copy in keeps the English every store carries.
    let (_, bundle) = build_with(&fixture(), &out, &["--locale", "fr-FR", "--quiet"]);
    assert!(bundle.copy.is_none());
}

#[test]
fn merchandising_rules_travel_in_the_manifest_and_bad_ones_are_named_by_field() {
    let work = tempfile::tempdir().unwrap();
    let rules = work.path().join("rules.json");
    std::fs::write(
        &rules,
        r#"{"hide":["22633"],"pin":[{"product":"71053","shelf":"for-you","position":1}],
            "boost":[{"category":"Candles & lighting","by":2}],"bury":[{"product":"NEW1","by":3}]}"#,
    )
    .unwrap();
    let out = work.path().join("bundle");
    let rules_flag = rules.to_str().unwrap();
    let output = build_flagged(&fixture(), &out, &["--merchandising", rules_flag]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // A product the catalog does not have yet is kept, and said.
    assert!(
        stderr.contains(
            "merchandising: 1 product(s) not in the catalog, kept for when they are: NEW1"
        ),
        "{stderr}"
    );
    let (manifest, bundle) = read_bundle(&out);
    assert_eq!(manifest.merchandising.hide, ["22633"]);
    assert_eq!(bundle.merchandising, manifest.merchandising);
    let inspected = aisle(&["inspect".as_ref(), out.as_os_str()]);
    let stdout = String::from_utf8_lossy(&inspected.stdout);
    assert!(
        stdout.contains("merchandising: 1 hidden, 1 pinned, 1 boosted, 1 buried"),
        "{stdout}"
    );

    let before = std::fs::read(out.join(MANIFEST_FILE)).unwrap();
    std::fs::write(
        &rules,
        r#"{"pin":[{"product":"71053","shelf":"home","position":1}]}"#,
    )
    .unwrap();
    let output = build_flagged(&fixture(), &out, &["--merchandising", rules_flag]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("rules.json: pin[0].shelf: `home` is not a shelf"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(out.join(MANIFEST_FILE)).unwrap(), before);
}

#[test]
fn product_photos_are_resized_into_the_bundle_and_a_rebuild_keeps_one_deploy_back() {
    let work = tempfile::tempdir().unwrap();
    let photos = work.path().join("photos");
    std::fs::create_dir(&photos).unwrap();
    let save = |name: &str, width: u32, height: u32, shade: u8| {
        image::RgbImage::from_pixel(width, height, image::Rgb([shade, 40, 40]))
            .save(photos.join(name))
            .unwrap();
    };
    save("lantern.png", 1200, 900, 200);
    save("mug.jpg", 300, 500, 90);
    std::fs::write(photos.join("broken.jpg"), "not a photo").unwrap();
    let products = work.path().join("products.csv");
    let write_products = |lantern: &str| {
        std::fs::write(
            &products,
            format!(
                "sku,name,price,Image Src\n\
                 71053,White Metal Lantern,,https://cdn.example/files/{lantern}?v=2\n\
                 22633,Hand Warmer,,mug.jpg\n\
                 85123A,Heart Holder,,broken.jpg\n\
                 99999,Brass Lantern,12.50,missing.png\n"
            ),
        )
        .unwrap();
    };
    write_products("lantern.png");
    let out = work.path().join("bundle");
    std::fs::create_dir_all(out.join("images")).unwrap();
    std::fs::write(out.join("images/logo.png"), "the shop's own file").unwrap();
    let flags = [
        "--products",
        products.to_str().unwrap(),
        "--images",
        photos.to_str().unwrap(),
    ];
    let output = build_flagged(&fixture(), &out, &flags);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("line 4: column `Image Src`: ")
            && stderr.contains("broken.jpg is not an image"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 5: column `Image Src`: cannot read ")
            && stderr.contains("missing.png"),
        "{stderr}"
    );
    let (_, bundle) = read_bundle(&out);
    let catalog = &bundle.catalog;
    let image_of = |id: &str| catalog.image(catalog.position(id).unwrap()).cloned();
    let lantern = image_of("71053").unwrap();
    let mug = image_of("22633").unwrap();
    // Fitted into 400x300 and 840x630, keeping proportions, never enlarged.
    let sizes = |file: &aisle_core::catalog::images::ImageFile| (file.width, file.height);
    assert_eq!(
        (sizes(&lantern.card), sizes(&lantern.page)),
        ((400, 300), (840, 630))
    );
    assert_eq!(
        (sizes(&mug.card), sizes(&mug.page)),
        ((180, 300), (300, 500))
    );
    assert_eq!(image_of("85123A"), None);
    assert_eq!(image_of("99999"), None);
    for file in [&lantern.card, &lantern.page, &mug.card, &mug.page] {
        let bytes = std::fs::read(out.join(&file.name)).unwrap();
        assert_eq!(
            image::guess_format(&bytes).unwrap(),
            image::ImageFormat::WebP
        );
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!(
            (decoded.width() as u16, decoded.height() as u16),
            sizes(file)
        );
    }
    let inspected = aisle(&["inspect".as_ref(), out.as_os_str()] as &[&std::ffi::OsStr]);
    assert!(inspected.status.success());
    assert!(String::from_utf8_lossy(&inspected.stdout).contains("photos: 2 products"));

    // Two more deploys, each with another lantern photo: the one before stays, the first goes.
    save("lantern-2.png", 800, 800, 120);
    write_products("lantern-2.png");
    assert!(build_flagged(&fixture(), &out, &flags).status.success());
    let second = read_bundle(&out)
        .1
        .catalog
        .image(bundle.catalog.position("71053").unwrap())
        .cloned()
        .unwrap();
    assert_ne!(second.card.name, lantern.card.name);
    assert!(out.join(&lantern.card.name).exists() && out.join(&second.card.name).exists());
    save("lantern-3.png", 640, 480, 60);
    write_products("lantern-3.png");
    assert!(build_flagged(&fixture(), &out, &flags).status.success());
    assert!(!out.join(&lantern.card.name).exists() && !out.join(&lantern.page.name).exists());
    assert!(out.join(&second.card.name).exists() && out.join(&mug.card.name).exists());
    assert!(out.join("images/logo.png").exists());
}

/// A shop's own text file for the bundle: the flag, the built-in English text it edits, the
/// line it changes, what it writes there and a change the build must refuse, with the fault's
/// column and message.
struct ShopText {
    flag: &'static str,
    part: &'static str,
    english: &'static str,
    line_start: &'static str,
    ours: &'static str,
    broken: &'static str,
    fault: &'static str,
    inspected: &'static str,
}

#[test]
fn a_shops_own_texts_ship_in_the_bundle_and_a_fault_in_them_is_named_before_any_work() {
    let cases = [
        ShopText {
            flag: "--copy",
            part: "copy",
            english: aisle_core::serve::copy::CopyTemplates::english().text(),
            line_start: "Trending now | {product}",
            ours: "Gerade beliebt | {product}",
            broken: "Trending now | {prodcut}",
            fault: "column 16: unknown slot `{prodcut}`",
            inspected: "copy: the shop's own templates",
        },
        ShopText {
            flag: "--ui-texts",
            part: "ui",
            english: aisle_core::serve::ui_texts::UiTexts::english().text(),
            line_start: "shelf.for-you = For you",
            ours: "shelf.for-you = Pour vous",
            broken: "shelf.for-you = Pour {nom}",
            fault: "column 22: `shelf.for-you` has slot `{nom}`, which the English text does not",
            inspected: "store texts: the shop's own texts",
        },
    ];
    for case in cases {
        let work = tempfile::tempdir().unwrap();
        let file = work.path().join("ours.txt");
        std::fs::write(&file, case.english.replacen(case.line_start, case.ours, 1)).unwrap();
        let out = work.path().join("bundle");
        let flags = [case.flag, file.to_str().unwrap()];
        let (manifest, bundle) = build_with(&fixture(), &out, &[flags[0], flags[1], "--quiet"]);
        let shipped = match case.part {
            "copy" => bundle.copy.map(|copy| copy.text().to_owned()),
            _ => bundle.ui_texts.map(|texts| texts.text().to_owned()),
        };
        assert!(
            shipped
                .expect("the bundle carries the shop's file")
                .contains(case.ours)
        );
        assert!(manifest.files.iter().any(|file| file.part == case.part));
        let inspected = aisle(&["inspect".as_ref(), out.as_os_str()]);
        let stdout = String::from_utf8_lossy(&inspected.stdout);
        assert!(stdout.contains(case.inspected), "{stdout}");

        // A fault: the build stops before reading the orders and the bundle stays whole.
        let before = std::fs::read(out.join(MANIFEST_FILE)).unwrap();
        std::fs::write(
            &file,
            case.english.replacen(case.line_start, case.broken, 1),
        )
        .unwrap();
        let output = build_flagged(&fixture(), &out, &flags);
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line = 1 + case
            .english
            .lines()
            .position(|line| line.starts_with(case.line_start))
            .unwrap();
        let at = format!("ours.txt: line {line}, {}", case.fault);
        assert!(stderr.contains(&at), "{stderr}");
        // The fixture's malformed quantity would be reported had the orders been read.
        assert!(
            !stderr.contains("orders.csv"),
            "no orders were read: {stderr}"
        );
        assert_eq!(std::fs::read(out.join(MANIFEST_FILE)).unwrap(), before);

        // Without the flag, an English shop's bundle has no such file: the store speaks the
        // built-in English.
        let (manifest, _) = build_with(&fixture(), &out, &["--quiet"]);
        assert!(manifest.files.iter().all(|file| file.part != case.part));
    }
    // A shop in a language Aisle has no texts for speaks English too.
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    let (manifest, _) = build_with(&fixture(), &out, &["--locale", "fr-FR", "--quiet"]);
    assert!(manifest.files.iter().all(|file| file.part != "ui"));
}

#[test]
fn a_shop_offers_more_locales_and_a_locale_without_texts_is_refused_before_any_work() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    let flags = [
        "--locale",
        "de-DE",
        "--more-locales",
        "en-GB,zh-CN",
        "--quiet",
    ];
    let (manifest, bundle) = build_with(&fixture(), &out, &flags);
    assert_eq!(manifest.more_locales, ["en-GB", "zh-CN"]);
    let tags: Vec<_> = bundle
        .more_locales
        .iter()
        .map(|locale| locale.tag())
        .collect();
    assert_eq!(tags, [Some("en-GB"), Some("zh-CN")]);
    // The store's own words ship for German (the shop's) and Chinese; English is built in.
    let parts: Vec<&str> = manifest
        .files
        .iter()
        .map(|file| file.part.as_str())
        .collect();
    for part in ["ui", "copy", "ui.zh-CN", "copy.zh-CN"] {
        assert!(parts.contains(&part), "{part} in {parts:?}");
    }
    assert!(
        !parts.iter().any(|part| part.ends_with("en-GB")),
        "{parts:?}"
    );
    let inspected = aisle(&["inspect".as_ref(), out.as_os_str()]);
    let stdout = String::from_utf8_lossy(&inspected.stdout);
    assert!(
        stdout.contains("more locales: en-GB (English), zh-CN (简体中文)"),
        "{stdout}"
    );

    // Polish has no texts in Aisle: refused before the orders are read, the bundle untouched.
    let before = std::fs::read(out.join(MANIFEST_FILE)).unwrap();
    let output = build_flagged(
        &fixture(),
        &out,
        &["--locale", "de-DE", "--more-locales", "pl-PL"],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("more-locales") && stderr.contains("`pl-PL`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("orders.csv"),
        "no orders were read: {stderr}"
    );
    assert_eq!(std::fs::read(out.join(MANIFEST_FILE)).unwrap(), before);
}

#[test]
fn the_shops_credit_line_travels_in_the_manifest_and_only_when_given() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("bundle");
    let credit = "Fotos: Müller & Söhne, CC BY 4.0";
    let (manifest, bundle) = build_with(&fixture(), &out, &["--credit", credit, "--quiet"]);
    assert_eq!(manifest.credit, credit);
    assert_eq!(bundle.credit, credit);
    let inspected = aisle(&["inspect".as_ref(), out.as_os_str()]);
    let stdout = String::from_utf8_lossy(&inspected.stdout);
    assert!(stdout.contains(&format!("credit: {credit}")), "{stdout}");

    let plain = work.path().join("plain");
    let (manifest, _) = build_with(&fixture(), &plain, &["--quiet"]);
    assert_eq!(manifest.credit, "");
    let json = std::fs::read_to_string(plain.join(MANIFEST_FILE)).unwrap();
    assert!(!json.contains("credit"), "{json}");
}

#[test]
fn what_the_shop_measures_travels_in_the_manifest_and_a_bad_declaration_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let declared = work.path().join("measuring.json");
    std::fs::write(
        &declared,
        r#"{"experiment":{"name":"trending-shelf","arms":[{"name":"with","share":0.5},
            {"name":"without","share":0.5,"hide":["trending"]}]},
            "reports":{"endpoint":"https://reports.example.com/aisle","epsilon":1.0}}"#,
    )
    .unwrap();
    let out = work.path().join("bundle");
    let flag = declared.to_str().unwrap();
    let (manifest, bundle) = build_with(&fixture(), &out, &["--measuring", flag, "--quiet"]);
    let experiment = manifest.measuring.experiment.as_ref().unwrap();
    assert_eq!(experiment.arms[1].hide, ["trending"]);
    assert_eq!(bundle.measuring, manifest.measuring);
    let inspected = aisle(&["inspect".as_ref(), out.as_os_str()]);
    let stdout = String::from_utf8_lossy(&inspected.stdout);
    assert!(
        stdout.contains(
            "experiment: trending-shelf: with 0.5, without 0.5 (hides trending)\n\
             reports: weekly to https://reports.example.com/aisle, epsilon 1 each"
        ),
        "{stdout}"
    );

    let before = std::fs::read(out.join(MANIFEST_FILE)).unwrap();
    std::fs::write(
        &declared,
        r#"{"experiment":{"name":"trending-shelf","arms":[{"name":"with","share":0.5},
            {"name":"without","share":0.6}]}}"#,
    )
    .unwrap();
    let output = build_flagged(&fixture(), &out, &["--measuring", flag]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("measuring.json: experiment.arms: the shares add up to 1.1"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(out.join(MANIFEST_FILE)).unwrap(), before);

    let plain = work.path().join("plain");
    build_with(&fixture(), &plain, &["--quiet"]);
    let json = std::fs::read_to_string(plain.join(MANIFEST_FILE)).unwrap();
    assert!(!json.contains("measuring"), "{json}");
}
