//! "Try it with the demo store's orders": the studio fetches the demo's order log from the site
//! it is served from (crates/studio/index.html copies `data/` to `demo-orders/` beside the page)
//! and opens it as if the marketer had picked it. The files come from the studio's own origin,
//! so the Content-Security-Policy (`connect-src 'self'`) and the promise that nothing is uploaded
//! both hold: this only downloads.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File, FilePropertyBag, RequestCache};

use aisle_browser::fetch::fetch_ok;

/// The demo's order log, in the three parts `data/` holds, relative to the studio's page.
const DEMO_ORDER_FILES: [&str; 3] = [
    "demo-orders/online_retail_part1_2010-12-01_to_2011-05-09.csv.gz",
    "demo-orders/online_retail_part2_2011-05-10_to_2011-09-27.csv.gz",
    "demo-orders/online_retail_part3_2011-09-28_to_2011-12-09.csv.gz",
];

/// Every part of the demo's order log as a [`File`] named as in `data/`, or what went wrong, for
/// a person (a site deployed without the demo's orders answers 404).
pub async fn fetch_demo_orders() -> Result<Vec<File>, String> {
    let mut files = Vec::with_capacity(DEMO_ORDER_FILES.len());
    for path in DEMO_ORDER_FILES {
        files.push(fetch_file(path).await.map_err(|reason| {
            format!("could not download the demo store's orders ({path}): {reason}")
        })?);
    }
    Ok(files)
}

async fn fetch_file(path: &str) -> Result<File, String> {
    let response = fetch_ok(path, RequestCache::Default).await?;
    let blob: Blob = JsFuture::from(response.blob().map_err(describe)?)
        .await
        .map_err(describe)?
        .unchecked_into();
    let name = path.rsplit('/').next().unwrap_or(path);
    let options = FilePropertyBag::new();
    options.set_type("application/gzip");
    File::new_with_blob_sequence_and_options(&Array::of1(&blob), name, &options).map_err(describe)
}

fn describe(error: JsValue) -> String {
    error
        .as_string()
        .unwrap_or_else(|| "the download was interrupted".to_owned())
}
