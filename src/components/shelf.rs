//! A titled row of recommended products.

use leptos::prelude::*;

use crate::components::product_card::ProductCard;

/// A recommendation shelf. `testid` names the placement (`rec-for-you`); its cards are
/// `rec-card`s.
#[component]
pub fn Shelf(
    title: &'static str,
    testid: &'static str,
    #[prop(into)] items: Signal<Vec<usize>>,
) -> impl IntoView {
    view! {
        <section class="shelf" data-testid=testid aria-label=title>
            <h2>{title}</h2>
            <div class="shelf-row">
                <For each=move || items.get() key=|item| *item let:item>
                    <ProductCard item testid="rec-card" />
                </For>
            </div>
        </section>
    }
}
