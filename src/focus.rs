//! Where keyboard and screen-reader users land. The store changes pages without loading one, so
//! it does what a page load would: after each navigation the document's title names the page
//! and focus moves to the page's main heading, which a screen reader then reads out.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What names a page in the document's title.
pub enum PageName {
    /// Nothing: the site's name alone (the home page).
    Site,
    /// This text (a category).
    Named(String),
    /// The page's main heading.
    Heading,
}

/// Once the page now rendering is in the document: titles the document `page · site` (the
/// site alone for [`PageName::Site`]) and, when `focus` is set, moves focus to the page's main
/// heading.
pub fn land_on_page(site: String, page: PageName, focus: bool) {
    request_animation_frame(move || {
        let heading = document().query_selector("main h1").ok().flatten();
        let page = match page {
            PageName::Site => None,
            PageName::Named(name) => Some(name),
            PageName::Heading => heading.as_ref().and_then(|heading| heading.text_content()),
        };
        let title = match page {
            Some(page) => format!("{} · {site}", page.trim()),
            None => site,
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
