//! A product's page. Opening it records a view (which reshapes "For you"); leaving it records how
//! long the shopper stayed. Below the product: similar items and what is frequently bought with
//! it.

use aisle_core::shopper::events::Event;
use leptos::ev;
use leptos::prelude::*;

use crate::components::product_card::{ProductArt, title_of};
use crate::components::shelf::{Shelf, shelf_items};
use crate::deploy::{Deploys, use_model, use_numbers, use_texts};
use crate::pages::not_found::NotFound;
use crate::route::Route;
use crate::shopper::{Shopper, now_ms};

/// The page of the product with this id.
#[component]
pub fn ProductPage(id: String) -> impl IntoView {
    let model = use_model();
    let texts = use_texts();
    let shopper = expect_context::<Shopper>();
    let Some((item, product)) = model
        .catalog()
        .position(&id)
        .and_then(|item| Some((item, model.catalog().product(item)?.clone())))
    else {
        let what = use_texts().fill("not-found.product", &[("id", &id)]);
        return view! { <NotFound what /> }.into_any();
    };

    record_view_and_dwell(shopper, product.id.clone());

    let similar = shelf_items("similar", move |model, profile, k| {
        model.similar(item, profile, k)
    });
    let together = shelf_items("bought-together", move |model, profile, k| {
        model.bought_together(item, profile, k)
    });
    let id = product.id.clone();
    let in_cart = Memo::new(move |_| {
        shopper.with_profile(|profile| profile.item(&id).map_or(0, |activity| activity.in_cart))
    });
    let id = product.id.clone();
    let add = move |_| shopper.record(Event::add_to_cart(id.clone(), 1, now_ms()));
    let title = title_of(item);
    let art = view! { <ProductArt item title large=true /> };
    let locale = model.money().locale.clone();
    let deploys = expect_context::<Deploys>();
    let shown = model.clone();
    let description = move || {
        deploys
            .description(&shown, item)
            .filter(|description| !description.is_empty())
            .map(|description| view! { <p class="product-description">{description}</p> })
    };
    view! {
        <article class="product" data-testid="product-page" data-item-id=product.id.clone()>
            {art}
            <div class="product-info">
                <h1 data-testid="product-title" lang=locale>{title}</h1>
                <p class="product-price">{use_numbers().price(product.price)}</p>
                {(!product.category.is_empty()).then(|| view! {
                    <a class="product-category" data-testid="product-category"
                        href=Route::Category(product.category.clone()).href()>{product.category.clone()}</a>
                })}
                {description}
                <p class="product-code">{texts.fill("product.code", &[("code", &product.id)])}</p>
                <button type="button" class="primary" data-testid="add-to-cart" on:click=add>
                    {texts.t("product.add")}
                </button>
                <Show when=move || { in_cart.get() > 0 }>
                    <p class="in-cart" role="status" data-testid="in-cart">
                        {move || texts.count("product.in-cart", u64::from(in_cart.get()), &[])} " "
                        <a href=Route::Cart.href()>{texts.t("product.go-to-cart")}</a>
                    </p>
                </Show>
                <a class="back" href=Route::Home.href()>{texts.t("product.back")}</a>
            </div>
        </article>
        <Shelf placement="similar" items=similar />
        <Shelf placement="bought-together" items=together />
    }
    .into_any()
}

/// Records the view once the page is on screen, and the dwell time when the shopper leaves,
/// whether by navigating in the store or by closing or hiding the tab (whichever comes first).
fn record_view_and_dwell(shopper: Shopper, id: String) {
    let opened = now_ms();
    let dwell_recorded = StoredValue::new(false);
    let record_dwell = {
        let id = id.clone();
        move || {
            if !dwell_recorded.get_value() {
                dwell_recorded.set_value(true);
                let now = now_ms();
                let stayed = (now - opened).max(0) as u64;
                shopper.record(Event::dwell(id.clone(), stayed, now));
            }
        }
    };
    // After the page is on screen, not during rendering: a view is a fact about what the shopper
    // saw.
    Effect::new(move |_| shopper.record(Event::view(id.clone(), now_ms())));
    let on_hide = record_dwell.clone();
    let listener = window_event_listener(ev::pagehide, move |_| on_hide());
    on_cleanup(move || {
        listener.remove();
        record_dwell();
    });
}
