//! A recommended product: the card, "Why this?" with the reason the engine ranked it by, and
//! "Not interested", which records a dismissal (the engine then leaves the product out and
//! pushes its look-alikes down).

use aisle_core::serve::recommend::Recommendation;
use aisle_core::shopper::events::Event;
use leptos::prelude::*;

use crate::components::product_card::{CardLink, title_of};
use crate::deploy::{use_model, use_texts};
use crate::shopper::{Shopper, now_ms};

/// One card of a recommendation shelf (`rec-card`). `placement` names the shelf in the click
/// event (`for-you`).
#[component]
pub fn RecCard(recommendation: Recommendation, placement: &'static str) -> impl IntoView {
    let model = use_model();
    let shopper = expect_context::<Shopper>();
    let item = recommendation.item;
    let product = model.catalog().product(item)?.clone();
    let texts = use_texts();
    let reason = texts.reason(&recommendation.reason, model.catalog());
    let explained = RwSignal::new(false);
    let id = product.id.clone();
    let on_open =
        Callback::new(move |()| shopper.record(Event::click(id.clone(), placement, now_ms())));
    let id = product.id.clone();
    let dismiss = move |_| shopper.record(Event::dismiss(id.clone(), now_ms()));
    let title = title_of(item);
    Some(view! {
        <div class="card rec" data-testid="rec-card" data-item-id=product.id.clone()>
            <CardLink item on_open />
            <div class="card-actions">
                <button
                    type="button"
                    class="link-button"
                    data-testid="why"
                    aria-expanded=move || explained.get().to_string()
                    on:click=move |_| explained.update(|open| *open = !*open)
                >
                    "Why this?"
                </button>
                <button
                    type="button"
                    class="link-button"
                    data-testid="dismiss"
                    aria-label=move || texts.fill("card.not-interested-in", &[("product", &title.get())])
                    on:click=dismiss
                >
                    "Not interested"
                </button>
            </div>
            <Show when=move || explained.get()>
                <p class="why" data-testid="why-text" role="note">{reason.clone()}</p>
            </Show>
        </div>
    })
}
