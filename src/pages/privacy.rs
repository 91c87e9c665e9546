//! The privacy center: everything the store keeps about the shopper, all of it on this device,
//! with ways to remove one product or one search, export everything, or wipe it.

use std::sync::Arc;

use aisle_core::affinity::category_shares;
use aisle_core::profile::Profile;
use aisle_core::recommend::Model;
use leptos::prelude::*;

use crate::shopper::{Shopper, now_ms};
use aisle_browser::download::save_file;

/// Categories listed under the interests, strongest first.
const CATEGORIES_SHOWN: usize = 4;
/// Interests listed (the profile may track many more, fading).
const INTERESTS_SHOWN: usize = 20;

/// The privacy center page.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let model = expect_context::<Arc<Model>>();
    let shopper = expect_context::<Shopper>();
    let counts = move || {
        shopper.profile.with(|profile| {
            profile
                .event_counts()
                .into_iter()
                .map(|(kind, count)| {
                    view! {
                        <tr data-kind=kind>
                            <th scope="row">{kind_label(kind)}</th>
                            <td>{count}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let audience = {
        let model = model.clone();
        Memo::new(move |_| {
            shopper
                .profile
                .with(|profile| model.audience(profile, now_ms()))
        })
    };
    let by_category = {
        let model = model.clone();
        Memo::new(move |_| {
            shopper.profile.with(|profile| {
                let catalog = model.catalog();
                let weighted = profile
                    .interests(now_ms())
                    .into_iter()
                    .filter_map(|(id, interest)| Some((catalog.position(id)?, interest)));
                category_shares(catalog, weighted)
                    .into_iter()
                    .take(CATEGORIES_SHOWN)
                    .map(|(category, share)| format!("{category} {:.0}%", share * 100.0))
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
        })
    };
    let interests = Memo::new(move |_| {
        shopper.profile.with(|profile| {
            profile
                .interests(now_ms())
                .into_iter()
                .take(INTERESTS_SHOWN)
                .map(|(id, _)| {
                    let title = title_of(&model, id);
                    (id.to_owned(), title)
                })
                .collect::<Vec<_>>()
        })
    });
    let searches = Memo::new(move |_| {
        shopper.profile.with(|profile| {
            profile
                .searches(now_ms())
                .into_iter()
                .map(|(query, _)| query.to_owned())
                .collect::<Vec<_>>()
        })
    });
    let confirming = RwSignal::new(false);
    let wiped = RwSignal::new(false);
    let wipe = move |_| {
        shopper.change(|profile| *profile = Profile::default());
        confirming.set(false);
        wiped.set(true);
    };
    view! {
        <section class="privacy" data-testid="privacy" aria-labelledby="privacy-title">
            <h1 id="privacy-title">"Your data"</h1>
            <p class="promise">
                "Everything below is stored only in this browser. Recommendations are computed here, on your device; "
                "nothing you do in this store is sent to anyone, and this page shows all of it."
            </p>

            <h2>"What is stored"</h2>
            <table class="counts" data-testid="event-counts">
                <thead><tr><th scope="col">"Activity"</th><th scope="col">"Times recorded"</th></tr></thead>
                <tbody>{counts}</tbody>
            </table>

            <h2>"Your customer segment"</h2>
            <p data-testid="segment">
                {move || match audience.get().segment_name() {
                    None => "None yet: a segment is worked out on this device once you have ordered.".to_owned(),
                    Some(name) => format!("{name}: worked out on this device from your orders, to choose the banner and “Popular with customers like you”."),
                }}
            </p>

            <h2>"Your interests"</h2>
            <Show
                when=move || interests.with(|list| !list.is_empty())
                fallback=|| view! { <p>"None yet: browse a little and they appear here."</p> }
            >
                <ul class="interests">
                    {move || interests.get().into_iter().map(|(id, title)| {
                        let forget_id = id.clone();
                        let forget = forget_button(shopper, "forget-item", format!("Forget {title}"), move |profile| {
                            profile.forget_item(&forget_id);
                        });
                        view! {
                            <li data-testid="interest" data-item-id=id>
                                <span>{title}</span>
                                {forget}
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
                <Show when=move || by_category.with(|text| !text.is_empty())>
                    <p data-testid="category-interests">"By category: " {move || by_category.get()}</p>
                </Show>
            </Show>

            <h2>"Your searches"</h2>
            <Show
                when=move || searches.with(|list| !list.is_empty())
                fallback=|| view! { <p>"No searches yet."</p> }
            >
                <ul class="interests">
                    {move || searches.get().into_iter().map(|query| {
                        let forget_query = query.clone();
                        let forget = forget_button(shopper, "forget-search", format!("Forget the search {query}"), move |profile| {
                            profile.forget_search(&forget_query);
                        });
                        view! {
                            <li data-testid="search-interest">
                                <span>"“" {query} "”"</span>
                                {forget}
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            </Show>

            <h2>"Take it with you, or wipe it"</h2>
            <div class="privacy-actions">
                <button type="button" data-testid="export" on:click=move |_| {
                    if let Err(error) = save_file(&shopper.profile.with_untracked(Profile::to_json), "aisle-profile.json", "application/json") {
                        leptos::logging::error!("{error}");
                    }
                }>
                    "Export everything (JSON)"
                </button>
                <button type="button" class="danger" data-testid="wipe" on:click=move |_| confirming.set(true)>
                    "Wipe everything"
                </button>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-labelledby="wipe-question">
                    <p id="wipe-question">"Delete everything this store has recorded about you on this device? This cannot be undone."</p>
                    <button type="button" class="danger" data-testid="wipe-confirm" on:click=wipe>"Yes, wipe everything"</button>
                    <button type="button" data-testid="wipe-cancel" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </div>
            </Show>
            <Show when=move || wiped.get()>
                <p role="status" data-testid="wiped">"Done: nothing about you is stored any more."</p>
            </Show>
        </section>
    }
}

/// "Forget" for one remembered thing: applies `forget` to the profile and saves it.
fn forget_button(
    shopper: Shopper,
    testid: &'static str,
    label: String,
    forget: impl Fn(&mut Profile) + Clone + 'static,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="link-button"
            data-testid=testid
            aria-label=label
            on:click=move |_| shopper.change(forget.clone())
        >
            "Forget"
        </button>
    }
}

/// The privacy center's words for an event kind.
fn kind_label(kind: &str) -> &'static str {
    match kind {
        "view" => "Products viewed",
        "dwell" => "Time on product pages",
        "search" => "Searches",
        "add_to_cart" => "Added to cart",
        "remove_from_cart" => "Removed from cart",
        "purchase" => "Purchases",
        "click" => "Recommendations opened",
        "dismiss" => "“Not interested”",
        _ => "Other",
    }
}

fn title_of(model: &Model, id: &str) -> String {
    model
        .catalog()
        .position(id)
        .and_then(|item| model.catalog().product(item))
        .map_or_else(|| format!("Product {id}"), |product| product.title.clone())
}
