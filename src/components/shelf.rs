//! A titled row of recommended products.

use aisle_core::serve::recommend::Recommendation;
use leptos::prelude::*;

use crate::components::rec_card::RecCard;

/// A recommendation shelf for one placement (`for-you`), marked `rec-<placement>` for tests. A
/// shelf with nothing to show is left out rather than shown empty.
#[component]
pub fn Shelf(
    title: &'static str,
    placement: &'static str,
    #[prop(into)] items: Signal<Vec<Recommendation>>,
) -> impl IntoView {
    view! {
        <Show when=move || items.with(|items| !items.is_empty())>
            <section class="shelf" data-testid=format!("rec-{placement}") aria-label=title>
                <h2>{title}</h2>
                <div class="shelf-row">
                    <For each=move || items.get() key=|recommendation| (recommendation.item, recommendation.reason.clone()) let:recommendation>
                        <RecCard recommendation placement />
                    </For>
                </div>
            </section>
        </Show>
    }
}
