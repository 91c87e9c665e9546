//! The front page: a banner written for the shopper's audience, "For you", "Buy it again",
//! "Popular with customers like you", "Trending", "Recently viewed" and the catalog grid, best
//! sellers first, narrowed to one category on request. Shelves with nothing to show are left
//! out, so a new shopper sees the banner, "For you" (what trends and sells, as the bundle's
//! settings weigh them, spread over the categories), "Trending" and best sellers. "Trending"
//! leaves out what "For you" already shows, so no product is offered twice above the grid.

use aisle_core::serve::copy::Channel;
use aisle_core::serve::recommend::Recommendation;
use aisle_core::serve::rules::Rules;
use leptos::prelude::*;

use crate::components::product_card::ProductCard;
use crate::components::shelf::{SHELF_SIZE, Shelf, shelf_items};
use crate::deploy::{use_model, use_numbers, use_texts};
use crate::route::Route;
use crate::shopper::{Shopper, now_ms};

/// Products the grid adds per press of "Show more".
const GRID_PAGE: usize = 24;

/// The front page, its grid narrowed to `category` when one is given.
#[component]
pub fn HomePage(#[prop(optional)] category: Option<String>) -> impl IntoView {
    let model = use_model();
    let texts = use_texts();
    let for_you = shelf_items("for-you", |model, profile, k| {
        model.for_you(profile, now_ms(), k)
    });
    let buy_again = shelf_items("buy-again", |model, profile, k| {
        model.buy_again(profile, now_ms(), k)
    });
    let like_you = shelf_items("customers-like-you", |model, profile, k| {
        model.customers_like_you(profile, now_ms(), k)
    });
    // What "For you" shows above is left out of "Trending".
    let trending = shelf_items("trending", move |model, profile, k| {
        let above = for_you.with(|list| {
            list.iter()
                .filter_map(|above| Some(model.catalog().product(above.item)?.id.clone()))
                .collect()
        });
        let ranked = model.trending(profile, k + SHELF_SIZE);
        Rules {
            exclude: above,
            ..Rules::default()
        }
        .apply(model, ranked, k)
    });
    let recent = shelf_items("recent", |model, profile, k| {
        model.recently_viewed(profile, k)
    });

    let shown = RwSignal::new(GRID_PAGE);
    let matching = model.best_sellers_in(category.as_deref());
    let total = matching.len();
    let grid = move || {
        matching
            .iter()
            .copied()
            .take(shown.get())
            .collect::<Vec<_>>()
    };

    view! {
        <Banner for_you />
        <Shelf placement="for-you" items=for_you />
        <Shelf placement="buy-again" items=buy_again />
        <Shelf placement="customers-like-you" items=like_you />
        <Shelf placement="trending" items=trending />
        <Shelf placement="recent" items=recent />
        <section class="catalog" data-testid="catalog" aria-label=texts.t("home.all-products")>
            <h2>{category.clone().unwrap_or_else(|| texts.t("home.best-sellers"))}</h2>
            <CategoryFilter current=category.clone() />
            <div class="grid">
                <For each=grid key=|item| *item let:item>
                    <ProductCard item />
                </For>
            </div>
            <Show when=move || { shown.get() < total }>
                <button class="more" data-testid="show-more" on:click=move |_| shown.update(|n| *n += GRID_PAGE)>
                    {move || texts.t("home.show-more")}
                </button>
            </Show>
        </section>
    }
}

/// The catalog's categories as links above the grid, largest first, the current one marked.
#[component]
fn CategoryFilter(current: Option<String>) -> impl IntoView {
    let model = use_model();
    let categories = model.catalog().categories();
    if categories.is_empty() {
        return None;
    }
    let link = |route: Route, label: String, chosen: bool| {
        view! {
            <a href=route.href() aria-current=chosen.then_some("page")>{label}</a>
        }
    };
    let texts = use_texts();
    let all = link(Route::Home, texts.t("home.all"), current.is_none());
    let each = categories
        .into_iter()
        .map(|(name, _)| {
            let chosen = current.as_deref() == Some(name);
            link(Route::Category(name.to_owned()), name.to_owned(), chosen)
        })
        .collect_view();
    Some(view! {
        <nav class="categories" aria-label=texts.t("home.categories") data-testid="category-filter">{all}{each}</nav>
    })
}

/// The greeting, in the words written for the shopper's audience (see `Model::audience`). It
/// features the first "For you" product, whose catalog position also picks the template, so the
/// wording changes with the product and stays put while it leads.
#[component]
fn Banner(for_you: Memo<Vec<Recommendation>>) -> impl IntoView {
    let model = use_model();
    let numbers = use_numbers();
    let texts = use_texts();
    let shopper = expect_context::<Shopper>();
    let banner = Memo::new(move |_| {
        let featured = for_you.with(|list| list.first().cloned());
        let variant = featured.as_ref().map_or(0, |first| first.item);
        shopper.with_profile(|profile| {
            texts.with(|locale| {
                model.copy_for(
                    locale,
                    profile,
                    now_ms(),
                    featured.as_ref(),
                    Channel::Banner,
                    variant,
                    |price| numbers.price(price),
                )
            })
        })
    });
    view! {
        <section class="banner" data-testid="banner" data-audience=move || banner.get().0.label()>
            <h1>{move || banner.get().1.headline}</h1>
            <p>{move || banner.get().1.body}</p>
        </section>
    }
}
