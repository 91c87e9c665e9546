//! The JavaScript API in a real browser, called with JavaScript values: tracking shapes the
//! lists and their reasons, filters and exclusions hold, the profile exports, imports, forgets
//! and wipes, and every kind of bad input is a JavaScript `Error` that says what was wrong and
//! changes nothing.
#![cfg(target_arch = "wasm32")]

use aisle_core::bundle::Bundle;
use aisle_core::catalog::money::Money;
use aisle_core::catalog::{Catalog, Product};
use aisle_core::math::sparse::SparseRows;
use aisle_core::models::blend::{BlendSettings, Tuning};
use aisle_core::models::copurchase::CoPurchase;
use aisle_core::models::item_weights::ItemWeights;
use aisle_core::models::popularity::Popularity;
use aisle_core::models::repeat::RepeatRates;
use aisle_core::models::trending::Trending;
use aisle_core::segmentation::segment_model::SegmentModel;
use aisle_core::serve::merchandising::Merchandising;
use aisle_js::Recommender;
use wasm_bindgen::{JsError, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn recommender() -> Recommender {
    Recommender::from_bundle(bundle())
}

fn bundle() -> Bundle {
    let product = |id: &str, title: &str, price: f64| Product::new(id, title, price);
    let none = || ItemWeights::from_targets(SparseRows::from_rows(vec![vec![]; 4]));
    Bundle {
        catalog: Catalog::new(vec![
            product("A", "Tea Cup", 1.0),
            product("B", "White Metal Lantern", 5.0),
            product("C", "Red Metal Lantern", 6.0),
            product("D", "Lantern Candle", 2.0),
        ]),
        popularity: Popularity::from_buyers(vec![9, 3, 2, 1]),
        trending: Trending::from_scores(vec![1.0, 0.3, 0.2, 0.1]),
        ease: none(),
        // The two lanterns are bought together.
        copurchase: CoPurchase::from_pairs(ItemWeights::from_targets(SparseRows::from_rows(vec![
            vec![],
            vec![(2, 2.0)],
            vec![(1, 2.0)],
            vec![],
        ]))),
        segments: SegmentModel::default(),
        repeat_rates: RepeatRates::from_rates(vec![0.5; 4]),
        // As a shop's history could have taught: title look-alikes count, popularity does not.
        tuning: Tuning {
            settings: BlendSettings {
                content: 1.0,
                popularity: 0.0,
                ..BlendSettings::DEFAULT
            },
            validation: None,
            defaults_because: None,
        },
        money: Money {
            currency: Some("EUR".into()),
            locale: Some("de-DE".into()),
        },
        copy: None,
        ui_texts: None,
        more_locales: Vec::new(),
        merchandising: Default::default(),
        credit: String::new(),
        measuring: Default::default(),
    }
}

#[wasm_bindgen_test]
fn the_shops_merchandising_holds_on_every_placement() {
    let rules = br#"{"hide":["A"],"pin":[{"product":"D","shelf":"for-you","position":1}]}"#;
    let aisle = Recommender::from_bundle(Bundle {
        merchandising: Merchandising::from_json(rules, "rules.json").unwrap(),
        ..bundle()
    });
    let for_you = items(
        aisle
            .recommend(js(r#"{"placement":"for-you","k":3}"#))
            .unwrap(),
    );
    assert_eq!(
        for_you[0],
        ("D".into(), "Picked for you by the shop".into())
    );
    assert!(for_you.iter().all(|(id, _)| id != "A"), "{for_you:?}");
    let trending = items(aisle.recommend(js(r#"{"placement":"trending"}"#)).unwrap());
    assert!(trending.iter().all(|(id, _)| id != "A"), "{trending:?}");
    assert_ne!(trending[0].0, "D", "pinned on for-you only");
}

#[wasm_bindgen_test]
fn a_product_with_a_photo_comes_with_its_card_file_and_size() {
    use aisle_core::catalog::images::{ImageFile, ProductImage, ProductImages};
    let file = |name: &str| ImageFile {
        name: name.to_owned(),
        width: 400,
        height: 300,
    };
    let plain = bundle();
    let photo = ProductImage {
        card: file("images/a-card.0123456789abcdef.webp"),
        page: file("images/a-page.0123456789abcdef.webp"),
    };
    let aisle = Recommender::from_bundle(Bundle {
        catalog: plain.catalog.clone().with_images(ProductImages::new(vec![
            Some(photo),
            None,
            None,
            None,
        ])),
        ..bundle()
    });
    let list = aisle
        .recommend(js(r#"{"placement":"trending","k":2}"#))
        .unwrap();
    let list = js_sys::Array::from(&list);
    let (first, second) = (list.get(0), list.get(1));
    assert_eq!(field(&first, "id").as_string().unwrap(), "A");
    let image = field(&first, "image");
    assert_eq!(
        field(&image, "src").as_string().unwrap(),
        "images/a-card.0123456789abcdef.webp"
    );
    assert_eq!(field(&image, "width").as_f64(), Some(400.0));
    assert!(field(&second, "image").is_null());
}

#[wasm_bindgen_test]
fn prices_are_written_in_the_bundles_currency_and_locale() {
    let aisle = recommender();
    // German euros: a decimal comma and the sign after the amount (Intl puts a no-break space
    // before it).
    assert_eq!(aisle.format_price(1234.5), "1.234,50\u{a0}€");
}

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn message(error: JsError) -> String {
    js_sys::Error::from(JsValue::from(error)).message().into()
}

fn field(value: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(value, &name.into()).unwrap()
}

/// (id, reason) of each item of a returned list.
fn items(list: JsValue) -> Vec<(String, String)> {
    js_sys::Array::from(&list)
        .iter()
        .map(|item| {
            let text = |name| field(&item, name).as_string().unwrap();
            (text("id"), text("reason"))
        })
        .collect()
}

#[wasm_bindgen_test]
fn tracking_a_view_reshapes_for_you_with_its_reason() {
    let mut aisle = recommender();
    let before = items(
        aisle
            .recommend(js(r#"{"placement":"for-you","k":2}"#))
            .unwrap(),
    );
    assert_eq!(before[0].0, "A");
    aisle
        .track(js(r#"{"kind":"view","item":"B","dwellMs":30000}"#))
        .unwrap();
    let after = items(
        aisle
            .recommend(js(r#"{"placement":"for-you","k":2}"#))
            .unwrap(),
    );
    assert_eq!(
        after[0],
        ("C".into(), "Because you viewed White Metal Lantern".into())
    );
    let list = aisle.recommend(js(r#"{"placement":"recent"}"#)).unwrap();
    assert_eq!(items(list)[0].0, "B");
    let first = js_sys::Array::from(
        &aisle
            .recommend(js(r#"{"placement":"trending","k":1}"#))
            .unwrap(),
    )
    .get(0);
    assert_eq!(field(&first, "title").as_string().unwrap(), "Tea Cup");
    assert_eq!(field(&first, "price").as_f64().unwrap(), 1.0);
    assert!(field(&first, "score").as_f64().unwrap() > 0.0);
}

#[wasm_bindgen_test]
fn filters_exclusions_and_item_placements_hold() {
    let aisle = recommender();
    let ids = |options: &str| -> Vec<String> {
        items(aisle.recommend(js(options)).unwrap())
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    let cheap = ids(r#"{"placement":"trending","filters":{"maxPrice":2.5},"exclude":["A"]}"#);
    assert_eq!(cheap, ["D"]);
    let in_stock =
        ids(r#"{"placement":"trending","filters":{"maxPrice":2.5},"unavailable":["A", "D"]}"#);
    assert!(in_stock.is_empty(), "{in_stock:?}");
    // Weights: "similar" with title similarity off and no co-purchase data relates nothing.
    let unrelated =
        ids(r#"{"placement":"similar","item":"B","weights":{"content":0,"coPurchase":1}}"#);
    assert!(unrelated.is_empty(), "{unrelated:?}");
    let lanterns = ids(r#"{"placement":"similar","item":"B","weights":{"trending":0}}"#);
    assert_eq!(lanterns, ["C", "D"]);
    let lighting = aisle
        .recommend(js(
            r#"{"placement":"trending","filters":{"categories":["Candles & lighting"]}}"#,
        ))
        .unwrap();
    assert_eq!(
        items(lighting.clone())
            .iter()
            .map(|i| i.0.as_str())
            .collect::<Vec<_>>(),
        ["B", "C", "D"]
    );
    let first = js_sys::Array::from(&lighting).get(0);
    assert_eq!(
        field(&first, "category").as_string().unwrap(),
        "Candles & lighting"
    );
    let varied = items(
        aisle
            .recommend(js(r#"{"placement":"trending","k":4,"diversity":0.5}"#))
            .unwrap(),
    );
    assert_eq!(
        varied.len(),
        4,
        "variety reorders the four products, never drops one"
    );
    let similar = items(
        aisle
            .recommend(js(r#"{"placement":"similar","item":"B"}"#))
            .unwrap(),
    );
    assert_eq!(
        similar[0],
        ("C".into(), "Looks like White Metal Lantern".into())
    );
    assert_eq!(items(aisle.similar("B", 1).unwrap()), similar[..1]);
    assert_eq!(
        items(aisle.bought_together("B", 5).unwrap()),
        [("C".into(), "Often bought with White Metal Lantern".into())]
    );
}

#[wasm_bindgen_test]
fn purchases_feed_buy_again_and_the_profile_round_trips() {
    let mut aisle = recommender();
    aisle
        .track(js(
            r#"{"kind":"purchase","item":"D","quantity":2,"price":2.0}"#,
        ))
        .unwrap();
    let again = items(aisle.recommend(js(r#"{"placement":"buy-again"}"#)).unwrap());
    assert_eq!(again, [("D".into(), "You bought this before".into())]);
    assert!(aisle.segment().is_null(), "the bundle ships no segments");
    aisle
        .track(js(r#"{"kind":"add-to-cart","item":"B","quantity":1}"#))
        .unwrap();
    let complete = items(
        aisle
            .recommend(js(r#"{"placement":"complete-order"}"#))
            .unwrap(),
    );
    assert_eq!(
        complete,
        [("C".into(), "Often bought with White Metal Lantern".into())]
    );
    let like_you = aisle.recommend(js(r#"{"placement":"customers-like-you"}"#));
    assert!(
        items(like_you.unwrap()).is_empty(),
        "no segments, no favourites"
    );
    // The settings "for-you" and "buy-again" rank with are the bundle's.
    let settings = aisle.settings();
    assert_eq!(field(&settings, "content").as_f64(), Some(1.0));
    assert_eq!(field(&settings, "easeLambda").as_f64(), Some(300.0));
    let features = aisle.features();
    assert_eq!(field(&features, "orders").as_f64(), Some(1.0));
    assert_eq!(field(&features, "spent").as_f64(), Some(4.0));
    // A lantern candle: candles and lighting, all of the shopper's interest.
    let categories = js_sys::Array::from(&field(&features, "categories"));
    let first = js_sys::Array::from(&categories.get(0));
    assert_eq!(first.get(0).as_string().unwrap(), "Candles & lighting");
    assert_eq!(first.get(1).as_f64(), Some(1.0));
    let copy = aisle.copy(js(r#"{"channel":"email-subject"}"#)).unwrap();
    assert!(field(&copy, "headline").as_string().unwrap().len() > 5);

    let exported = aisle.export_profile();
    aisle.wipe();
    assert!(items(aisle.recommend(js(r#"{"placement":"buy-again"}"#)).unwrap()).is_empty());
    aisle.import_profile(&exported).unwrap();
    assert_eq!(aisle.export_profile(), exported);
    assert!(aisle.forget("D"));
    assert!(!aisle.forget("D"));
    assert!(items(aisle.recommend(js(r#"{"placement":"buy-again"}"#)).unwrap()).is_empty());
}

#[wasm_bindgen_test]
fn bad_input_throws_a_clear_error_and_changes_nothing() {
    let mut aisle = recommender();
    let profile = aisle.export_profile();
    let bad_tracks = [
        (
            r#"{"kind":"teleport","item":"A"}"#,
            "track: unknown variant `teleport`",
        ),
        (r#"{"kind":"view"}"#, "track: missing field `item`"),
        (
            r#"{"kind":"add-to-cart","item":"A","quantity":0}"#,
            "track: add_to_cart event: quantity must be at least 1",
        ),
        (
            r#"{"kind":"purchase","item":"A","price":-1}"#,
            "track: purchase event: price must be a finite amount >= 0, got -1",
        ),
        (
            r#"{"kind":"search","query":"  "}"#,
            "track: search event: query is empty",
        ),
        (
            r#"{"kind":"view","item":"A","colour":"red"}"#,
            "track: unknown field `colour`",
        ),
        (
            r#"{"kind":"search","query":"tea","item":"A"}"#,
            "track: unknown field `item` for a `search` event",
        ),
        (
            r#"{"kind":"click","item":"A"}"#,
            "track: missing field `placement`",
        ),
        ("42", "track: invalid type"),
    ];
    for (event, expected) in bad_tracks {
        let error = message(aisle.track(js(event)).unwrap_err());
        assert!(error.starts_with(expected), "{event}: {error}");
    }
    let bad_recommends = [
        (
            r#"{"placement":"similar"}"#,
            "recommend: placement \"similar\" needs `item`",
        ),
        (
            r#"{"placement":"similar","item":"NOPE"}"#,
            "recommend: no product `NOPE` in the catalog",
        ),
        (
            r#"{"placement":"everywhere"}"#,
            "recommend: unknown variant `everywhere`",
        ),
        (
            r#"{"placement":"for-you","k":"ten"}"#,
            "recommend: invalid type: string \"ten\"",
        ),
        (
            r#"{"placement":"trending","diversity":2}"#,
            "recommend: diversity must be between 0 and 1, got 2",
        ),
        (
            r#"{"placement":"trending","weights":{"content":1}}"#,
            "recommend: placement \"trending\" has no weights to set",
        ),
        (
            r#"{"placement":"for-you","weights":{"content":-1}}"#,
            "recommend: weights: invalid parameter `content`: -1 is not a weight",
        ),
        (
            r#"{"placement":"for-you","weights":{"colour":1}}"#,
            "recommend: unknown field `colour`",
        ),
    ];
    for (options, expected) in bad_recommends {
        let Err(error) = aisle.recommend(js(options)) else {
            panic!("{options} was accepted");
        };
        let error = message(error);
        assert!(error.starts_with(expected), "{options}: {error}");
    }
    let error = message(aisle.import_profile("{\"schema\":2").unwrap_err());
    assert!(
        error.starts_with("importProfile: stored profile: not a readable profile"),
        "{error}"
    );
    let error = message(aisle.copy(js(r#"{"channel":"fax"}"#)).unwrap_err());
    assert!(error.starts_with("copy: unknown variant `fax`"), "{error}");
    assert_eq!(aisle.export_profile(), profile, "nothing was recorded");
}
