//! The front page: "For you", "Trending" and the catalog grid, best sellers first.

use std::sync::Arc;

use aisle_core::recommend::Model;
use leptos::prelude::*;

use crate::components::product_card::ProductCard;
use crate::components::shelf::{Shelf, positions};
use crate::shopper::{Shopper, now_ms};

/// Products on a shelf.
const SHELF_SIZE: usize = 8;
/// Products the grid adds per "Show more".
const GRID_PAGE: usize = 24;

/// The front page.
#[component]
pub fn HomePage() -> impl IntoView {
    let model = expect_context::<Arc<Model>>();
    let shopper = expect_context::<Shopper>();

    let for_you = {
        let model = model.clone();
        Memo::new(move |_| {
            shopper
                .events
                .with(|log| positions(model.for_you(log, now_ms(), SHELF_SIZE)))
        })
    };
    let trending = Signal::stored(positions(model.trending(SHELF_SIZE)));

    let total = model.best_sellers().len();
    let shown = RwSignal::new(GRID_PAGE);
    let grid = move || {
        model
            .best_sellers()
            .iter()
            .copied()
            .take(shown.get())
            .collect::<Vec<_>>()
    };

    view! {
        <Shelf title="For you" testid="rec-for-you" items=for_you />
        <Shelf title="Trending" testid="rec-trending" items=trending />
        <section class="catalog" data-testid="catalog" aria-label="All products">
            <h2>"Best sellers"</h2>
            <div class="grid">
                <For each=grid key=|item| *item let:item>
                    <ProductCard item />
                </For>
            </div>
            <Show when=move || { shown.get() < total }>
                <button class="more" data-testid="show-more" on:click=move |_| shown.update(|n| *n += GRID_PAGE)>
                    "Show more"
                </button>
            </Show>
        </section>
    }
}
