//! The cart and a simulated checkout: no payment and nothing sent, but the purchases are recorded
//! in the shopper's profile, where "Buy it again" and "For you" use them. Below the cart,
//! "Complete your order": what goes with everything in it.

use aisle_core::shopper::events::Event;
use leptos::prelude::*;

use crate::components::product_card::{ProductArt, title_of};
use crate::components::shelf::{Shelf, shelf_items};
use crate::deploy::{use_model, use_numbers, use_texts};
use crate::route::Route;
use crate::shopper::{Shopper, now_ms};

/// A cart line as shown.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    id: String,
    /// Its catalog position.
    item: usize,
    quantity: u32,
    price: f64,
}

/// The cart page.
#[component]
pub fn CartPage() -> impl IntoView {
    let model = use_model();
    let numbers = use_numbers();
    let texts = use_texts();
    let shopper = expect_context::<Shopper>();
    let complete = shelf_items("complete-order", |model, profile, k| {
        model.complete_the_order(profile, k)
    });
    let lines = Memo::new(move |_| {
        shopper.with_profile(|profile| {
            profile
                .cart()
                .into_iter()
                .filter_map(|(id, quantity)| {
                    let item = model.catalog().position(id)?;
                    let product = model.catalog().product(item)?;
                    Some(Line {
                        id: id.to_owned(),
                        item,
                        quantity,
                        price: product.price,
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let total = move || {
        lines.with(|lines| {
            lines
                .iter()
                .map(|line| line.price * f64::from(line.quantity))
                .sum::<f64>()
        })
    };
    let placed = RwSignal::new(None::<u32>);
    let checkout = move |_| {
        let now = now_ms();
        let bought = lines.get_untracked();
        shopper.record_all(
            bought
                .iter()
                .map(|line| Event::purchase(line.id.clone(), line.quantity, line.price, now)),
        );
        placed.set(Some(bought.iter().map(|line| line.quantity).sum()));
    };
    view! {
        <section class="cart" data-testid="cart" aria-label=texts.t("cart.title")>
            <h1>{texts.t("cart.title")}</h1>
            {move || placed.get().map(|items| view! {
                <p class="order-placed" role="status" data-testid="order-placed">
                    {texts.count("cart.placed", u64::from(items), &[])} " " {texts.t("cart.demo")}
                </p>
            })}
            <Show
                when=move || lines.with(|lines| !lines.is_empty())
                fallback=move || view! {
                    <p data-testid="cart-empty">{texts.t("cart.empty")} " " <a href=Route::Home.href()>{texts.t("cart.keep-shopping")}</a></p>
                }
            >
                <ul class="cart-lines">
                    <For each=move || lines.get() key=|line| (line.id.clone(), line.quantity) let:line>
                        <CartLine line />
                    </For>
                </ul>
                <p class="cart-total">{texts.t("cart.total")} " " <strong data-testid="cart-total">{move || numbers.price(total())}</strong></p>
                <button type="button" class="primary" data-testid="checkout" on:click=checkout>
                    {texts.t("cart.checkout")}
                </button>
            </Show>
        </section>
        <Shelf placement="complete-order" items=complete />
    }
}

#[component]
fn CartLine(line: Line) -> impl IntoView {
    let shopper = expect_context::<Shopper>();
    let texts = use_texts();
    let id = line.id.clone();
    let remove = move |_| shopper.record(Event::remove_from_cart(id.clone(), now_ms()));
    let title = title_of(line.item);
    view! {
        <li class="cart-line" data-testid="cart-line" data-item-id=line.id.clone()>
            <ProductArt item=line.item title />
            <a href=Route::Product(line.id.clone()).href()>{title}</a>
            <span>{format!("{} × {}", line.quantity, use_numbers().price(line.price))}</span>
            <button
                type="button"
                class="link-button"
                data-testid="remove-from-cart"
                aria-label=move || texts.fill("cart.remove-label", &[("product", &title.get())])
                on:click=remove
            >
                {texts.t("cart.remove")}
            </button>
        </li>
    }
}
