//! The masthead on every page: the store's name, search, links to the cart and the privacy
//! center, and the choice of language when the shop offers more than one.

use aisle_core::shopper::events::Event;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::deploy::use_texts;
use crate::route::Route;
use crate::shopper::{Shopper, now_ms};

/// The shopper's choice among the shop's locales, each named in its own language; nothing when
/// the shop offers one.
#[component]
fn LocalePicker() -> impl IntoView {
    let texts = use_texts();
    move || {
        let offered = texts.offered();
        (!offered.is_empty()).then(|| {
            let current = texts.locale_tag().unwrap_or_default();
            let options = offered
                .into_iter()
                .map(|(tag, name)| {
                    let selected = tag == current;
                    view! { <option value=tag.clone() lang=tag selected=selected>{name}</option> }
                })
                .collect_view();
            view! {
                <label class="locale">
                    <span class="visually-hidden">{texts.t("header.locale")}</span>
                    <select data-testid="locale" on:change=move |event| texts.choose(event_target_value(&event))>
                        {options}
                    </select>
                </label>
            }
        })
    }
}

/// The masthead. `route` is the page shown, so the search box keeps the query on its results.
#[component]
pub fn Header(route: RwSignal<Route>) -> impl IntoView {
    let shopper = expect_context::<Shopper>();
    let texts = use_texts();
    let query = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Route::Search(searched) = route.get() {
            query.set(searched);
        }
    });
    let search = move |event: SubmitEvent| {
        event.prevent_default();
        let typed = query.get_untracked();
        let typed = typed.trim();
        if typed.is_empty() {
            return;
        }
        shopper.record(Event::search(typed, now_ms()));
        let _ = window()
            .location()
            .set_hash(&Route::Search(typed.to_owned()).href());
    };
    let in_cart = move || {
        shopper.with_profile(|profile| {
            profile
                .cart()
                .iter()
                .map(|(_, quantity)| quantity)
                .sum::<u32>()
        })
    };
    view! {
        <header class="masthead">
            <a class="brand" href=Route::Home.href()>"Aisle"<span>" " {move || texts.t("header.brand")}</span></a>
            <form class="search" role="search" on:submit=search>
                <label class="visually-hidden" for="search">{move || texts.t("header.search-label")}</label>
                <input
                    id="search"
                    type="search"
                    data-testid="search-input"
                    placeholder=move || texts.t("header.search-placeholder")
                    autocomplete="off"
                    prop:value=move || query.get()
                    on:input=move |event| query.set(event_target_value(&event))
                />
                <button type="submit">{move || texts.t("header.search")}</button>
            </form>
            <nav class="nav" aria-label=move || texts.t("header.account")>
                <a href=Route::Cart.href() data-testid="cart-link">
                    {move || texts.t("header.cart")} " " <span class="count" data-testid="cart-count">{in_cart}</span>
                </a>
                <a href=Route::Privacy.href() data-testid="privacy-link">{move || texts.t("header.privacy")}</a>
                // The marketer's studio is a page of its own, so shoppers never download it.
                <a href="studio/" data-testid="studio-link">{move || texts.t("header.studio")}</a>
            </nav>
            <LocalePicker />
        </header>
    }
}
