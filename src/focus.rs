//! Where keyboard and screen-reader users land. The store changes pages without loading one, so
//! it does what a page load would: after each navigation the document's title names the page
//! and focus moves to the page's main heading, which a screen reader then reads out.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Once the page now rendering is in the document: titles the document `page · site` (the site
/// alone when `page` is `None`, else the page's main heading when `page` is empty) and, when
/// `focus` is set, moves focus to that heading.
pub fn land_on_page(site: String, page: Option<String>, focus: bool) {
    request_animation_frame(move || {
        let heading = document().query_selector("main h1").ok().flatten();
        let title = match page {
            None => site,
            Some(page) => {
                let page = if page.is_empty() {
                    heading
                        .as_ref()
                        .and_then(|heading| heading.text_content())
                        .unwrap_or_default()
                } else {
                    page
                };
                format!("{} · {site}", page.trim())
            }
        };
        document().set_title(&title);
        if focus {
            focus_heading(heading);
        }
    });
}

/// Moves focus to the page's main heading (the skip link's target).
pub fn focus_main_heading() {
    focus_heading(document().query_selector("main h1").ok().flatten());
}

/// Focuses `heading`, made focusable by script only (`tabindex="-1"`), so Tab never stops on it.
fn focus_heading(heading: Option<web_sys::Element>) {
    if let Some(heading) =
        heading.and_then(|heading| heading.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = heading.set_attribute("tabindex", "-1");
        let _ = heading.focus();
    }
}
