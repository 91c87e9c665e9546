//! A titled row of recommended products, and how every shelf gets them: ranked deeper than
//! shown, then arranged by the shop's merchandising (or hidden, in an arm of the shop's
//! experiment that hides it). Each shelf counts, in the profile, the products it showed once per
//! page: the "shown" of the privacy center's attribution table.

use aisle_core::serve::recommend::{Model, Recommendation};
use aisle_core::shopper::changes::Change;
use aisle_core::shopper::profile::Profile;
use leptos::prelude::*;

use crate::components::rec_card::RecCard;
use crate::deploy::{Deploys, use_model, use_texts};
use crate::shopper::Shopper;

/// Products on a shelf.
pub const SHELF_SIZE: usize = 8;

/// The shelf `placement`'s products for the shopper, kept current as their profile changes:
/// `rank` asked for twice [`SHELF_SIZE`], so what the shop's merchandising hides leaves no gap,
/// then the merchandising applied ([`Model::shelf`]). While the model waits for what this
/// shopper's history needs, shards or texts ([`Deploys::waits_for_parts`]), what
/// [`Model::shown_while_waiting`] keeps of the shelf's last list: after "Not interested", that
/// list less the dismissed product, and otherwise nothing.
pub fn shelf_items(
    placement: &'static str,
    rank: impl Fn(&Model, &Profile, usize) -> Vec<Recommendation> + Send + Sync + 'static,
) -> Memo<Vec<Recommendation>> {
    let model = use_model();
    let shopper = expect_context::<Shopper>();
    let deploys = expect_context::<Deploys>();
    Memo::new(move |shown: Option<&Vec<Recommendation>>| {
        shopper.with_profile(|profile| {
            if !deploys.waits_for_parts(&model, profile) {
                let ranked = rank(&model, profile, 2 * SHELF_SIZE);
                return model.shelf(placement, ranked, profile, SHELF_SIZE);
            }
            shown.map_or_else(Vec::new, |shown| model.shown_while_waiting(shown, profile))
        })
    })
}

/// A recommendation shelf for one placement (`for-you`), marked `rec-<placement>` for tests and
/// titled by the store's text `shelf.<placement>`. A shelf with nothing to show is left out
/// rather than shown empty.
#[component]
pub fn Shelf(
    placement: &'static str,
    #[prop(into)] items: Signal<Vec<Recommendation>>,
) -> impl IntoView {
    let texts = use_texts();
    let title = texts.t(&format!("shelf.{placement}"));
    // Counted once, when the shelf first has products: later updates of the same page (a
    // dismissal, another tab's view) are not new impressions.
    let shopper = expect_context::<Shopper>();
    let counted = StoredValue::new(false);
    Effect::new(move || {
        let shown = items.with(Vec::len) as u64;
        if shown > 0 && !counted.get_value() {
            counted.set_value(true);
            shopper.change(Change::Shown(placement.to_owned(), shown));
        }
    });
    view! {
        <Show when=move || items.with(|items| !items.is_empty())>
            <section class="shelf" data-testid=format!("rec-{placement}") aria-label=title.clone()>
                <h2>{title.clone()}</h2>
                <div class="shelf-row">
                    <For each=move || items.get() key=|recommendation| (recommendation.item, recommendation.reason.clone()) let:recommendation>
                        <RecCard recommendation placement />
                    </For>
                </div>
            </section>
        </Show>
    }
}
