//! A product's page. Opening it records a view, which reshapes "For you".

use std::sync::Arc;

use aisle_core::events::Event;
use aisle_core::recommend::Model;
use leptos::prelude::*;

use crate::components::product_card::{ProductArt, price_label};
use crate::pages::not_found::NotFound;
use crate::route::Route;
use crate::shopper::{Shopper, now_ms};

/// The page of the product with this id.
#[component]
pub fn ProductPage(id: String) -> impl IntoView {
    let model = expect_context::<Arc<Model>>();
    let shopper = expect_context::<Shopper>();
    let Some(product) = model
        .catalog()
        .position(&id)
        .and_then(|item| model.catalog().product(item))
        .cloned()
    else {
        return view! { <NotFound what=format!("product {id}") /> }.into_any();
    };

    // After the page is on screen, not during rendering: a view is a fact about what the shopper
    // saw.
    let viewed = product.id.clone();
    Effect::new(move |_| shopper.record(Event::view(viewed.clone(), now_ms())));

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
    }
    .into_any()
}
