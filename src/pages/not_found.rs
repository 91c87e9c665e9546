//! What a broken or outdated link shows: where the shopper is, and the way back.

use leptos::prelude::*;

use crate::route::Route;

/// "We could not find ...", with a link home.
#[component]
pub fn NotFound(what: String) -> impl IntoView {
    view! {
        <section class="not-found" data-testid="not-found">
            <h1>"Not found"</h1>
            <p>"We could not find " {what} "."</p>
            <a href=Route::Home.href()>"Back to the store"</a>
        </section>
    }
}
