//! The privacy center: everything the store keeps about the shopper, all of it on this device,
//! with ways to remove one product or one search, export everything, or wipe it.

use aisle_core::serve::recommend::Model;
use aisle_core::shopper::changes::Change;
use aisle_core::shopper::features::ShopperFeatures;
use aisle_core::shopper::profile::Profile;
use leptos::prelude::*;

use crate::deploy::{use_model, use_numbers};
use crate::shopper::{Shopper, now_ms};
use aisle_browser::download::save_file;

/// Interests listed (the profile may track many more, fading).
const INTERESTS_SHOWN: usize = 20;

/// The privacy center page.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let model = use_model();
    let shopper = expect_context::<Shopper>();
    let counts = move || {
        shopper.with_profile(|profile| {
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
        Memo::new(move |_| shopper.with_profile(|profile| model.audience(profile, now_ms())))
    };
    let features = {
        let model = model.clone();
        Memo::new(move |_| {
            shopper.with_profile(|profile| {
                ShopperFeatures::of(profile, model.catalog(), model.language(), now_ms())
            })
        })
    };
    let numbers = use_numbers();
    let by_category = Memo::new(move |_| {
        features.with(|features| {
            features
                .categories
                .iter()
                .map(|(category, share)| format!("{category} {}", numbers.percent(*share)))
                .collect::<Vec<_>>()
                .join(" · ")
        })
    });
    let interests = Memo::new(move |_| {
        shopper.with_profile(|profile| {
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
        shopper.with_profile(|profile| {
            profile
                .searches(now_ms())
                .into_iter()
                .map(|(query, _)| query.to_owned())
                .collect::<Vec<_>>()
        })
    });
    let confirming = RwSignal::new(false);
    // The question takes focus on its safe answer, and gives it back to "Wipe everything" when
    // it closes, as a dialog does.
    let wipe_button = NodeRef::<leptos::html::Button>::new();
    let cancel_button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |was_open: Option<bool>| {
        let open = confirming.get();
        if open {
            request_animation_frame(move || {
                if let Some(cancel) = cancel_button.get_untracked() {
                    let _ = cancel.focus();
                }
            });
        } else if was_open == Some(true)
            && let Some(wipe) = wipe_button.get_untracked()
        {
            let _ = wipe.focus();
        }
        open
    });
    let wiped = RwSignal::new(false);
    let wipe = move |_| {
        shopper.change(Change::Wipe);
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
            <p data-testid="storage-kept">
                {move || match shopper.kept.get() {
                    Some(true) => "Your browser keeps this data until you delete it.",
                    Some(false) => "Your browser may clear this data if the device runs short of space.",
                    None => "Your browser does not say whether it keeps this data when the device runs short of space.",
                }}
                <Show when=move || shopper.kept.get() == Some(false)>
                    " "
                    <button type="button" class="link-button" data-testid="keep" on:click=move |_| shopper.ask_to_keep()>
                        "Ask it to keep it"
                    </button>
                </Show>
            </p>

            <h2>"Your customer segment"</h2>
            <p data-testid="segment">
                {move || match audience.get().segment_name() {
                    None => "None yet: a segment is worked out on this device once you have ordered.".to_owned(),
                    Some(name) => format!("{name}: worked out on this device from your orders, to choose the banner and “Popular with customers like you”."),
                }}
            </p>

            <h2>"Your shopping, as a marketer would measure it"</h2>
            <table class="counts" data-testid="shopper-features">
                <tbody>
                    <tr data-feature="browse-frequency"><th scope="row">"Products viewed per week"</th><td>{move || numbers.number(features.get().views_per_week, 1)}</td></tr>
                    <tr data-feature="purchase-frequency"><th scope="row">"Orders placed"</th><td>{move || features.get().orders}</td></tr>
                    <tr data-feature="search-keywords"><th scope="row">"Search keywords"</th><td>{move || {
                        let words = features.get().search_keywords;
                        if words.is_empty() { "none".to_owned() } else { words.join(", ") }
                    }}</td></tr>
                    <tr data-feature="browse-duration"><th scope="row">"Time on product pages"</th><td>{move || duration_label(features.get().browse_seconds)}</td></tr>
                    <tr data-feature="purchase-amount"><th scope="row">"Spent"</th><td>{move || numbers.price(features.get().spent)}</td></tr>
                </tbody>
            </table>

            <h2>"Your interests"</h2>
            <Show
                when=move || interests.with(|list| !list.is_empty())
                fallback=|| view! { <p>"None yet: browse a little and they appear here."</p> }
            >
                <ul class="interests">
                    {move || interests.get().into_iter().map(|(id, title)| {
                        let forget_id = id.clone();
                        let forget = forget_button(shopper, "forget-item", format!("Forget {title}"), Change::ForgetItem(forget_id));
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
                        let forget = forget_button(shopper, "forget-search", format!("Forget the search {query}"), Change::ForgetSearch(forget_query));
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
                    if let Err(error) = save_file(&shopper.with_profile_untracked(Profile::to_json), "aisle-profile.json", "application/json") {
                        leptos::logging::error!("{error}");
                    }
                }>
                    "Export everything (JSON)"
                </button>
                <button type="button" class="danger" data-testid="wipe" node_ref=wipe_button on:click=move |_| confirming.set(true)>
                    "Wipe everything"
                </button>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-labelledby="wipe-question" on:keydown=move |event| {
                    if event.key() == "Escape" {
                        confirming.set(false);
                    }
                }>
                    <p id="wipe-question">"Delete everything this store has recorded about you on this device? This cannot be undone."</p>
                    <button type="button" class="danger" data-testid="wipe-confirm" on:click=wipe>"Yes, wipe everything"</button>
                    <button type="button" data-testid="wipe-cancel" node_ref=cancel_button on:click=move |_| confirming.set(false)>"Cancel"</button>
                </div>
            </Show>
            <Show when=move || wiped.get()>
                <p role="status" data-testid="wiped">"Done: nothing about you is stored any more."</p>
            </Show>
        </section>
    }
}

/// "Forget" for one remembered thing: makes the change `forget` in every tab and saves it.
fn forget_button(
    shopper: Shopper,
    testid: &'static str,
    label: String,
    forget: Change,
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

/// Seconds as a person reads them: "45 s", "3 min 20 s".
fn duration_label(seconds: f64) -> String {
    let whole = seconds.round() as u64;
    match whole {
        0..60 => format!("{whole} s"),
        _ => format!("{} min {} s", whole / 60, whole % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::duration_label;

    #[test]
    fn durations_read_in_minutes_and_seconds() {
        assert_eq!(duration_label(0.4), "0 s");
        assert_eq!(duration_label(59.4), "59 s");
        assert_eq!(duration_label(200.0), "3 min 20 s");
    }
}
