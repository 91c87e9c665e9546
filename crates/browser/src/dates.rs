//! Dates written the reader's way by the browser's `Intl.DateTimeFormat` (`9 December 2011`,
//! `9. Dezember 2011`, `2011年12月9日`), so Aisle carries no month names of its own.
//!
//! Order times are the shop's wall clock, kept as if they were UTC
//! ([`aisle_core::input::fields`]), so they are written in UTC: in the reader's own time zone a
//! late order could move to the next day.

use aisle_core::input::fields::format_date;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    type DateTimeFormat;

    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "DateTimeFormat", catch)]
    fn new(locale: &str, options: &JsValue) -> Result<DateTimeFormat, JsValue>;

    #[wasm_bindgen(method, js_class = "DateTimeFormat")]
    fn format(this: &DateTimeFormat, date: &js_sys::Date) -> String;
}

/// The day of `wall_clock_seconds` (Unix time) in the language `locale`, written in full; the ISO date
/// (`2011-12-09`) should `Intl` refuse the tag.
pub fn date_text(locale: &str, wall_clock_seconds: i64) -> String {
    let written = js_sys::JSON::parse(r#"{"dateStyle":"long","timeZone":"UTC"}"#)
        .ok()
        .and_then(|options| DateTimeFormat::new(locale, &options).ok())
        .map(|format| {
            let ms = wall_clock_seconds as f64 * 1000.0;
            format.format(&js_sys::Date::new(&JsValue::from_f64(ms)))
        });
    written.unwrap_or_else(|| format_date(wall_clock_seconds))
}
