//! Numbers and prices written the shop's way by the browser's `Intl.NumberFormat`: the currency's
//! symbol, decimals and placement in the shop's locale (`£3.50`, `3,50 €`, `￥1,200`); and the
//! plural category of a count by `Intl.PluralRules`.
//!
//! `Intl` knows every currency and locale, so Aisle carries no tables of its own. The bundle's
//! [`Money`] was checked when its manifest was read, so `Intl` is never handed a malformed code
//! or tag; should it throw all the same, the number is written plainly ([`Money::plain`]) rather
//! than failing the page.

use std::cell::RefCell;

use aisle_core::catalog::money::Money;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = NumberFormat)]
    type NumberFormat;

    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "NumberFormat", catch)]
    fn new(locale: Option<&str>, options: &JsValue) -> Result<NumberFormat, JsValue>;

    #[wasm_bindgen(method, js_class = "NumberFormat")]
    fn format(this: &NumberFormat, number: f64) -> String;

    #[wasm_bindgen(js_namespace = Intl, js_name = PluralRules)]
    type PluralRules;

    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "PluralRules", catch)]
    fn new(locale: &str) -> Result<PluralRules, JsValue>;

    #[wasm_bindgen(method, js_class = "PluralRules")]
    fn select(this: &PluralRules, number: f64) -> String;
}

/// The plural category (`one`, `few`, `other`, ...) of `count` in the language `locale`, by
/// `Intl.PluralRules`: which form of a text counting things the store shows
/// ([`aisle_core::serve::ui_texts::UiTexts::count`]). `other` if `Intl` refuses the tag.
pub fn plural_category(locale: &str, count: u64) -> &'static str {
    let category = PluralRules::new(locale).map(|rules| rules.select(count as f64));
    match category.as_deref() {
        Ok("zero") => "zero",
        Ok("one") => "one",
        Ok("two") => "two",
        Ok("few") => "few",
        Ok("many") => "many",
        _ => "other",
    }
}

/// `amount` in the shop's currency and locale; a plain number with two decimals when the shop
/// named no currency.
pub fn price_text(money: &Money, amount: f64) -> String {
    let options = match &money.currency {
        Some(code) => format!(r#"{{"style":"currency","currency":"{code}"}}"#),
        None => r#"{"minimumFractionDigits":2,"maximumFractionDigits":2}"#.to_owned(),
    };
    written(money, &options, amount).unwrap_or_else(|| money.plain(amount))
}

/// `value` in the shop's locale with `decimals` decimals.
pub fn number_text(money: &Money, value: f64, decimals: u8) -> String {
    let options =
        format!(r#"{{"minimumFractionDigits":{decimals},"maximumFractionDigits":{decimals}}}"#);
    written(money, &options, value).unwrap_or_else(|| format!("{value:.*}", usize::from(decimals)))
}

/// `share` (0.25 for a quarter) as a whole percentage in the shop's locale.
pub fn percent_text(money: &Money, share: f64) -> String {
    let options = r#"{"style":"percent","maximumFractionDigits":0}"#;
    written(money, options, share).unwrap_or_else(|| format!("{:.0}%", share * 100.0))
}

/// `value` in the shop's locale, short (`1.2K`, `3,5 Mio.`, `1.2万`) with at most two decimals:
/// for chart ticks and figures where the order of magnitude matters more than the digits.
pub fn compact_text(money: &Money, value: f64) -> String {
    let options = r#"{"notation":"compact","maximumFractionDigits":2}"#;
    written(money, options, value).unwrap_or_else(|| format!("{value}"))
}

fn written(money: &Money, options: &str, value: f64) -> Option<String> {
    let locale = money.locale.as_deref();
    FORMATS.with_borrow_mut(|formats| {
        let known = formats.iter().position(|(known_locale, known_options, _)| {
            known_locale.as_deref() == locale && known_options == options
        });
        let index = match known {
            Some(index) => index,
            None => {
                let parsed = js_sys::JSON::parse(options).ok()?;
                let format = NumberFormat::new(locale, &parsed).ok()?;
                formats.push((locale.map(str::to_owned), options.to_owned(), format));
                formats.len() - 1
            }
        };
        Some(formats[index].2.format(value))
    })
}

thread_local! {
    /// Each `Intl.NumberFormat` made, by locale and options: making one loads its locale's data
    /// and costs far more than formatting with it, and a page writes many prices of a handful
    /// of kinds.
    static FORMATS: RefCell<Vec<(Option<String>, String, NumberFormat)>> = const { RefCell::new(Vec::new()) };
}
