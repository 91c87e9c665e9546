//! What a broken or outdated link shows: where the shopper is, and the way back.

use leptos::prelude::*;

use crate::deploy::use_texts;
use crate::route::Route;

/// "We could not find ...", with a link home.
#[component]
pub fn NotFound(what: String) -> impl IntoView {
    let texts = use_texts();
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>{texts.t("not-found.title")}</h1>
            <p>{texts.fill("not-found.body", &[("what", &what)])}</p>
            <a href=Route::Home.href()>{texts.t("not-found.back")}</a>
        </section>
    }
}
