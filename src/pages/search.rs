//! Search results: the catalog's matches for the query in the route, as product cards. The
//! search itself (an event that shapes recommendations) is recorded by the search box, so
//! reloading a results page does not count as searching again.

use leptos::prelude::*;

use crate::components::product_card::ProductCard;
use crate::deploy::use_model;

/// Most results shown.
const MAX_RESULTS: usize = 60;

/// The results page for `query`.
#[component]
pub fn SearchPage(query: String) -> impl IntoView {
    let model = use_model();
    let results: Vec<usize> = model
        .search(&query, MAX_RESULTS)
        .into_iter()
        .map(|result| result.item)
        .collect();
    let heading = match results.len() {
        0 => format!("No products match “{query}”"),
        1 => format!("1 product matches “{query}”"),
        n if n == MAX_RESULTS => format!("The best {n} matches for “{query}”"),
        n => format!("{n} products match “{query}”"),
    };
    let empty = results.is_empty();
    view! {
        <section class="search-results" data-testid="search-results" aria-label="Search results">
            <h1>{heading}</h1>
            <Show when=move || empty>
                <p data-testid="search-empty">"Try fewer words, or another word for the same thing."</p>
            </Show>
            <div class="grid">
                {results.into_iter().map(|item| view! { <ProductCard item /> }).collect::<Vec<_>>()}
            </div>
        </section>
    }
}
