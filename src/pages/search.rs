//! Search results: the catalog's matches for the query in the route, as product cards. The
//! search itself (an event that shapes recommendations) is recorded by the search box, so
//! reloading a results page does not count as searching again.

use leptos::prelude::*;

use crate::components::product_card::ProductCard;
use crate::deploy::{Deploys, use_model, use_texts};

/// Most results shown.
const MAX_RESULTS: usize = 60;

/// The results page for `query`; a large catalog's texts, which search reads, may still be on
/// their way, and the results come with them.
#[component]
pub fn SearchPage(query: String) -> impl IntoView {
    let model = use_model();
    let deploys = expect_context::<Deploys>();
    let texts = use_texts();
    move || {
        if deploys.waits_for_texts(&model) {
            let loading = texts.t("store.loading");
            return view! { <p class="loading" data-testid="loading" role="status">{loading}</p> }
                .into_any();
        }
        view! { <Results query=query.clone() /> }.into_any()
    }
}

/// The matches for `query`, as product cards.
#[component]
fn Results(query: String) -> impl IntoView {
    let model = use_model();
    let results: Vec<usize> = model
        .search(&query, MAX_RESULTS)
        .into_iter()
        .map(|result| result.item)
        .collect();
    let texts = use_texts();
    let slots = [("query", query.as_str())];
    let heading = match results.len() {
        0 => texts.fill("search.none", &slots),
        n if n == MAX_RESULTS => texts.count("search.best", n as u64, &slots),
        n => texts.count("search.matches", n as u64, &slots),
    };
    let empty = results.is_empty();
    view! {
        <section class="search-results" data-testid="search-results" aria-label=texts.t("search.results")>
            <h1>{heading}</h1>
            <Show when=move || empty>
                <p data-testid="search-empty">{texts.t("search.try-again")}</p>
            </Show>
            <div class="grid">
                {results.into_iter().map(|item| view! { <ProductCard item /> }).collect::<Vec<_>>()}
            </div>
        </section>
    }
}
