//! A titled row of recommended products.

use aisle_core::recommend::Recommendation;
use leptos::prelude::*;

use crate::components::product_card::ProductCard;

/// A recommendation shelf. `testid` names the placement (`rec-for-you`); its cards are
/// `rec-card`s. A shelf with nothing to show is left out rather than shown empty.
#[component]
pub fn Shelf(
    title: &'static str,
    testid: &'static str,
    #[prop(into)] items: Signal<Vec<usize>>,
) -> impl IntoView {
    view! {
        <Show when=move || items.with(|items| !items.is_empty())>
            <section class="shelf" data-testid=testid aria-label=title>
                <h2>{title}</h2>
                <div class="shelf-row">
                    <For each=move || items.get() key=|item| *item let:item>
                        <ProductCard item testid="rec-card" />
                    </For>
                </div>
            </section>
        </Show>
    }
}

/// The catalog positions of a ranked list, for a [`Shelf`].
pub fn positions(list: Vec<Recommendation>) -> Vec<usize> {
    list.into_iter()
        .map(|recommendation| recommendation.item)
        .collect()
}
