//! A product's page. Opening it records a view, which reshapes "For you"; below the product,
//! similar items and what is frequently bought with it.

use std::sync::Arc;

use aisle_core::events::Event;
use aisle_core::recommend::Model;
use leptos::prelude::*;

use crate::components::product_card::{ProductArt, price_label};
use crate::components::shelf::{Shelf, positions};
use crate::pages::not_found::NotFound;
use crate::route::Route;
use crate::shopper::{Shopper, now_ms};

/// Products on a shelf.
const SHELF_SIZE: usize = 8;

/// The page of the product with this id.
#[component]
pub fn ProductPage(id: String) -> impl IntoView {
    let model = expect_context::<Arc<Model>>();
    let shopper = expect_context::<Shopper>();
    let Some((item, product)) = model
        .catalog()
        .position(&id)
        .and_then(|item| Some((item, model.catalog().product(item)?.clone())))
    else {
        return view! { <NotFound what=format!("product {id}") /> }.into_any();
    };

    // After the page is on screen, not during rendering: a view is a fact about what the shopper
    // saw.
    let viewed = product.id.clone();
    Effect::new(move |_| shopper.record(Event::view(viewed.clone(), now_ms())));

    let similar = Signal::stored(positions(model.similar(item, SHELF_SIZE)));
    let together = Signal::stored(positions(model.bought_together(item, SHELF_SIZE)));
    let art = view! { <ProductArt id=product.id.clone() title=product.title.clone() large=true /> };
    view! {
        <article class="product" data-testid="product-page" data-item-id=product.id.clone()>
            {art}
            <div class="product-info">
                <h1 data-testid="product-title">{product.title}</h1>
                <p class="product-price">{price_label(product.price)}</p>
                <p class="product-code">"Product code " {product.id.clone()}</p>
                <a class="back" href=Route::Home.href()>"← Back to the store"</a>
            </div>
        </article>
        <Shelf title="Similar items" testid="rec-similar" items=similar />
        <Shelf title="Frequently bought together" testid="rec-bought-together" items=together />
    }
    .into_any()
}
