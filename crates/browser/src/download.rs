//! Saving text a page computed as a file, through the browser's download: the text goes from
//! memory to disk, and no request is made.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// How long the blob's URL stays valid: the browser reads it after the click handler returns.
const REVOKE_AFTER_MS: i32 = 60_000;

/// Offers `text` for download as `file_name` with media type `mime`; an error says what the
/// browser refused.
pub fn save_file(text: &str, file_name: &str, mime: &str) -> Result<(), String> {
    let described = |error: JsValue| format!("cannot save {file_name}: {error:?}");
    let window = web_sys::window().ok_or("cannot save a file outside a page")?;
    let document = window
        .document()
        .ok_or("cannot save a file outside a page")?;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(described)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(described)?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(described)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.unchecked_ref(),
            REVOKE_AFTER_MS,
        )
        .map_err(described)?;
    Ok(())
}
