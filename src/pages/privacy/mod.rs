//! The privacy center: everything the store keeps about the shopper, all of it on this device,
//! with ways to remove one product or one search, export everything, or wipe it.

use aisle_core::segmentation::segments::segment_name_in;
use aisle_core::serve::recommend::Model;
use aisle_core::shopper::changes::Change;
use aisle_core::shopper::features::ShopperFeatures;
use aisle_core::shopper::profile::Profile;
use leptos::prelude::*;

mod measuring;

use measuring::Measuring;

use crate::deploy::{Texts, use_model, use_numbers, use_texts};
use crate::shopper::{Shopper, now_ms};
use aisle_browser::download::save_file;
use aisle_browser::locale_choice;

/// Interests listed (the profile may track many more, fading).
const INTERESTS_SHOWN: usize = 20;

/// The privacy center page.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let model = use_model();
    let texts = use_texts();
    let shopper = expect_context::<Shopper>();
    // A bundle that names a report endpoint makes the store send something; the promise says so.
    let reports = model.measuring().reports.is_some();
    let counts = move || {
        shopper.with_profile(|profile| {
            profile
                .event_counts()
                .into_iter()
                .map(|(kind, count)| {
                    view! {
                        <tr data-kind=kind>
                            <th scope="row">{kind_label(texts, kind)}</th>
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
                    let title = title_of(&model, texts, id);
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
    // The language picked in the masthead is kept in this browser too, so it is shown and wiped
    // here like the rest.
    let chosen_locale = locale_choice::saved().and_then(|tag| {
        texts
            .offered()
            .into_iter()
            .find(|(offered, _)| *offered == tag)
            .map(|(_, name)| name)
    });
    let wipe = move |_| {
        locale_choice::forget();
        shopper.change(Change::Wipe);
        confirming.set(false);
        wiped.set(true);
    };
    view! {
        <section class="privacy" data-testid="privacy" aria-labelledby="privacy-title">
            <h1 id="privacy-title">{texts.t("privacy.title")}</h1>
            <p class="promise">{if reports { texts.t("privacy.promise-reports") } else { texts.t("privacy.promise") }}</p>

            <h2>{texts.t("privacy.stored")}</h2>
            <table class="counts" data-testid="event-counts">
                <thead><tr><th scope="col">{texts.t("privacy.activity")}</th><th scope="col">{texts.t("privacy.times")}</th></tr></thead>
                <tbody>{counts}</tbody>
            </table>
            <p data-testid="storage-kept">
                {move || match shopper.kept.get() {
                    Some(true) => texts.t("privacy.kept"),
                    Some(false) => texts.t("privacy.may-clear"),
                    None => texts.t("privacy.not-said"),
                }}
                <Show when=move || shopper.kept.get() == Some(false)>
                    " "
                    <button type="button" class="link-button" data-testid="keep" on:click=move |_| shopper.ask_to_keep()>
                        {texts.t("privacy.ask-to-keep")}
                    </button>
                </Show>
            </p>
            {move || chosen_locale.clone().filter(|_| !wiped.get()).map(|name| view! {
                <p data-testid="locale-chosen">{texts.fill("privacy.locale-chosen", &[("language", &name)])}</p>
            })}

            <h2>{texts.t("privacy.segment")}</h2>
            <p data-testid="segment">
                {move || match audience.get().segment_name() {
                    None => texts.t("privacy.no-segment"),
                    Some(name) => {
                        let name = texts.with(|locale| segment_name_in(name, locale.ui_texts()));
                        texts.fill("privacy.segment-is", &[("segment", &name)])
                    }
                }}
            </p>

            <h2>{texts.t("privacy.measured")}</h2>
            <table class="counts" data-testid="shopper-features">
                <tbody>
                    <tr data-feature="browse-frequency"><th scope="row">{texts.t("privacy.views-per-week")}</th><td>{move || numbers.number(features.get().views_per_week, 1)}</td></tr>
                    <tr data-feature="purchase-frequency"><th scope="row">{texts.t("privacy.orders")}</th><td>{move || features.get().orders}</td></tr>
                    <tr data-feature="search-keywords"><th scope="row">{texts.t("privacy.keywords")}</th><td>{move || {
                        let words = features.get().search_keywords;
                        if words.is_empty() { texts.t("privacy.no-keywords") } else { words.join(", ") }
                    }}</td></tr>
                    <tr data-feature="browse-duration"><th scope="row">{texts.t("privacy.browse-time")}</th><td>{move || duration_label(texts, features.get().browse_seconds)}</td></tr>
                    <tr data-feature="purchase-amount"><th scope="row">{texts.t("privacy.spent")}</th><td>{move || numbers.price(features.get().spent)}</td></tr>
                </tbody>
            </table>

            <Measuring />

            <h2>{texts.t("privacy.interests")}</h2>
            <Show
                when=move || interests.with(|list| !list.is_empty())
                fallback=move || view! { <p>{texts.t("privacy.no-interests")}</p> }
            >
                <ul class="interests">
                    {move || interests.get().into_iter().map(|(id, title)| {
                        let forget_id = id.clone();
                        let forget = forget_button(shopper, texts, "forget-item", texts.fill("privacy.forget-product", &[("product", &title)]), Change::ForgetItem(forget_id));
                        view! {
                            <li data-testid="interest" data-item-id=id>
                                <span>{title}</span>
                                {forget}
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
                <Show when=move || by_category.with(|text| !text.is_empty())>
                    <p data-testid="category-interests">{texts.t("privacy.by-category")} " " {move || by_category.get()}</p>
                </Show>
            </Show>

            <h2>{texts.t("privacy.searches")}</h2>
            <Show
                when=move || searches.with(|list| !list.is_empty())
                fallback=move || view! { <p>{texts.t("privacy.no-searches")}</p> }
            >
                <ul class="interests">
                    {move || searches.get().into_iter().map(|query| {
                        let forget_query = query.clone();
                        let forget = forget_button(shopper, texts, "forget-search", texts.fill("privacy.forget-search", &[("query", &query)]), Change::ForgetSearch(forget_query));
                        view! {
                            <li data-testid="search-interest">
                                <span>"“" {query} "”"</span>
                                {forget}
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            </Show>

            <h2>{texts.t("privacy.take-or-wipe")}</h2>
            <div class="privacy-actions">
                <button type="button" data-testid="export" on:click=move |_| {
                    if let Err(error) = save_file(&shopper.with_profile_untracked(Profile::to_json), "aisle-profile.json", "application/json") {
                        leptos::logging::error!("{error}");
                    }
                }>
                    {texts.t("privacy.export")}
                </button>
                <button type="button" class="danger" data-testid="wipe" node_ref=wipe_button on:click=move |_| confirming.set(true)>
                    {texts.t("privacy.wipe")}
                </button>
            </div>
            <Show when=move || confirming.get()>
                <div class="confirm" role="alertdialog" aria-labelledby="wipe-question" on:keydown=move |event| {
                    if event.key() == "Escape" {
                        confirming.set(false);
                    }
                }>
                    <p id="wipe-question">{texts.t("privacy.wipe-question")}</p>
                    <button type="button" class="danger" data-testid="wipe-confirm" on:click=wipe>{texts.t("privacy.wipe-confirm")}</button>
                    <button type="button" data-testid="wipe-cancel" node_ref=cancel_button on:click=move |_| confirming.set(false)>{texts.t("privacy.cancel")}</button>
                </div>
            </Show>
            <Show when=move || wiped.get()>
                <p role="status" data-testid="wiped">{texts.t("privacy.wiped")}</p>
            </Show>
        </section>
    }
}

/// "Forget" for one remembered thing: makes the change `forget` in every tab and saves it.
fn forget_button(
    shopper: Shopper,
    texts: Texts,
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
            {texts.t("privacy.forget")}
        </button>
    }
}

/// The privacy center's words for an event kind.
fn kind_label(texts: Texts, kind: &str) -> String {
    texts.t(match kind {
        "view" => "event.view",
        "dwell" => "event.dwell",
        "search" => "event.search",
        "add_to_cart" => "event.add-to-cart",
        "remove_from_cart" => "event.remove-from-cart",
        "purchase" => "event.purchase",
        "click" => "event.click",
        "dismiss" => "event.dismiss",
        _ => "event.other",
    })
}

fn title_of(model: &Model, texts: Texts, id: &str) -> String {
    model
        .catalog()
        .position(id)
        .and_then(|item| model.catalog().title(item))
        .map_or_else(
            || texts.fill("privacy.unknown-product", &[("id", id)]),
            ToOwned::to_owned,
        )
}

/// Seconds as a person reads them: "45 s", "3 min 20 s".
fn duration_label(texts: Texts, seconds: f64) -> String {
    let (minutes, seconds) = minutes_and_seconds(seconds);
    let seconds = seconds.to_string();
    match minutes {
        0 => texts.fill("privacy.seconds", &[("seconds", &seconds)]),
        _ => texts.fill(
            "privacy.minutes",
            &[("minutes", &minutes.to_string()), ("seconds", &seconds)],
        ),
    }
}

/// Whole minutes and the seconds left, rounded to the second.
fn minutes_and_seconds(seconds: f64) -> (u64, u64) {
    let whole = seconds.round() as u64;
    (whole / 60, whole % 60)
}

#[cfg(test)]
mod tests {
    use super::minutes_and_seconds;

    #[test]
    fn durations_read_in_minutes_and_seconds() {
        assert_eq!(minutes_and_seconds(0.4), (0, 0));
        assert_eq!(minutes_and_seconds(59.4), (0, 59));
        assert_eq!(minutes_and_seconds(200.0), (3, 20));
    }
}
