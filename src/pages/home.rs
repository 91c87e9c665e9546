//! The front page: a banner written for the shopper's audience, "For you", "Buy it again",
//! "Trending", "Recently viewed" and the catalog grid, best sellers first. Shelves with nothing to
//! show are left out, so a new shopper sees the banner, "Trending" (which "For you" equals for
//! them) and best sellers.

use std::sync::Arc;

use aisle_core::copy::Channel;
use aisle_core::profile::Profile;
use aisle_core::recommend::{Model, Recommendation};
use leptos::prelude::*;

use crate::components::product_card::ProductCard;
use crate::components::shelf::Shelf;
use crate::shopper::{Shopper, now_ms};

/// Products on a shelf.
pub const SHELF_SIZE: usize = 8;
/// Products the grid adds per "Show more".
const GRID_PAGE: usize = 24;

/// The front page.
#[component]
pub fn HomePage() -> impl IntoView {
    let model = expect_context::<Arc<Model>>();
    let shopper = expect_context::<Shopper>();
    let shelf = |rank: fn(&Model, &Profile) -> Vec<Recommendation>| {
        let model = model.clone();
        Memo::new(move |_| shopper.profile.with(|profile| rank(&model, profile)))
    };
    let for_you = shelf(|model, profile| model.for_you(profile, now_ms(), SHELF_SIZE));
    let buy_again = shelf(|model, profile| model.buy_again(profile, SHELF_SIZE));
    let trending = shelf(|model, profile| model.trending(profile, SHELF_SIZE));
    let recent = shelf(|model, profile| model.recently_viewed(profile, SHELF_SIZE));

    let total = model.best_sellers().len();
    let shown = RwSignal::new(GRID_PAGE);
    let grid = {
        let model = model.clone();
        move || {
            model
                .best_sellers()
                .iter()
                .copied()
                .take(shown.get())
                .collect::<Vec<_>>()
        }
    };

    view! {
        <Banner for_you />
        <Shelf title="For you" placement="for-you" items=for_you />
        <Shelf title="Buy it again" placement="buy-again" items=buy_again />
        <Shelf title="Trending" placement="trending" items=trending />
        <Shelf title="Recently viewed" placement="recent" items=recent />
        <section class="catalog" data-testid="catalog" aria-label="All products">
            <h2>"Best sellers"</h2>
            <div class="grid">
                <For each=grid key=|item| *item let:item>
                    <ProductCard item />
                </For>
            </div>
            <Show when=move || { shown.get() < total }>
                <button class="more" data-testid="show-more" on:click=move |_| shown.update(|n| *n += GRID_PAGE)>
                    "Show more"
                </button>
            </Show>
        </section>
    }
}

/// The greeting, in the words written for the shopper's audience (see `Model::audience`). It
/// features the first "For you" product.
#[component]
fn Banner(for_you: Memo<Vec<Recommendation>>) -> impl IntoView {
    let model = expect_context::<Arc<Model>>();
    let shopper = expect_context::<Shopper>();
    let banner = Memo::new(move |_| {
        let featured = for_you.with(|list| list.first().map(|first| first.item));
        shopper
            .profile
            .with(|profile| model.copy_for(profile, now_ms(), featured, Channel::Banner, 0))
    });
    view! {
        <section class="banner" data-testid="banner" data-audience=move || banner.get().0.label()>
            <h1>{move || banner.get().1.headline}</h1>
            <p>{move || banner.get().1.body}</p>
        </section>
    }
}
