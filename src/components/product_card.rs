//! A product as a card: its photo (or drawn placeholder art), title and price, linking to the
//! product page.
//! Catalog grids and search results use [`ProductCard`]; recommendation shelves wrap the same
//! [`CardLink`] with their reason and "not interested" (see `rec_card`).

use leptos::either::Either;
use leptos::prelude::*;

use crate::app::BUNDLE_DIR;
use crate::deploy::{Deploys, use_model, use_numbers};
use crate::route::Route;

/// Number of placeholder colours in `www/style.css` (`art-0` .. `art-11`).
const ART_COLOURS: u32 = 12;

/// A product card in a grid (`product-card`).
#[component]
pub fn ProductCard(item: usize) -> impl IntoView {
    let model = use_model();
    let id = model.catalog().product(item)?.id.clone();
    Some(view! {
        <div class="card" data-testid="product-card" data-item-id=id>
            <CardLink item />
        </div>
    })
}

/// The clickable part of a card: art, title and price, linking to the product page. `on_open`
/// runs when the shopper follows the link.
#[component]
pub fn CardLink(
    item: usize,
    #[prop(optional, into)] on_open: Option<Callback<()>>,
) -> impl IntoView {
    let model = use_model();
    let numbers = use_numbers();
    let product = model.catalog().product(item)?.clone();
    let title = title_of(item);
    let art = view! { <ProductArt item title /> };
    Some(view! {
        <a
            class="card-link"
            href=Route::Product(product.id.clone()).href()
            on:click=move |_| {
                if let Some(on_open) = on_open {
                    on_open.run(());
                }
            }
        >
            {art}
            // The title is the shop's text, in its locale's language; the store's own is English.
            <span class="card-title" lang=model.money().locale.clone()>{title}</span>
            <span class="card-price">{numbers.price(product.price)}</span>
        </a>
    })
}

/// The title of the product at `item`, kept current: a large catalog's texts come after the
/// first page, and until they do the title is empty and its line stays reserved.
pub fn title_of(item: usize) -> Signal<String> {
    let model = use_model();
    let deploys = expect_context::<Deploys>();
    Signal::derive(move || deploys.title(&model, item).unwrap_or_default())
}

/// The photo of the product at `item` from the bundle's `images/` (served by the shop itself),
/// or where it has none a locally drawn stand-in: its `title`'s initials ([`title_of`]) on a
/// colour picked from the product id. Either way the store loads no image from anywhere else. The photo's pixel
/// size reserves its place before it loads; it is decorative (`alt=""`), since the title is
/// always beside it.
#[component]
pub fn ProductArt(
    item: usize,
    title: Signal<String>,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    let model = use_model();
    let catalog = model.catalog();
    let id = catalog.product(item).map_or("", |product| &product.id);
    let class = format!(
        "art art-{}{}",
        colour_of(id),
        if large { " art-large" } else { "" }
    );
    let photo = catalog
        .image(item)
        .map(|image| if large { &image.page } else { &image.card });
    match photo {
        Some(photo) => Either::Left(view! {
            <img class=class src=format!("{BUNDLE_DIR}{}", photo.name) width=photo.width
                height=photo.height alt="" loading="lazy" decoding="async" />
        }),
        None => Either::Right(
            view! { <span class=class aria-hidden="true">{move || initials(&title.get())}</span> },
        ),
    }
}

/// The first letters of the title's first two capitalised words (`Set of 3 Cake Tins` -> `SC`),
/// or of any two words when none is capitalised.
fn initials(title: &str) -> String {
    let capitalised = |word: &&str| word.starts_with(char::is_uppercase);
    let words: Vec<&str> = if title.split_whitespace().any(|word| capitalised(&word)) {
        title.split_whitespace().filter(capitalised).collect()
    } else {
        title.split_whitespace().collect()
    };
    words
        .iter()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// A stable colour bucket for an id (FNV-1a), so a product looks the same on every visit.
fn colour_of(id: &str) -> u32 {
    let hash = id.bytes().fold(0x811c_9dc5u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    hash % ART_COLOURS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_skip_minor_words() {
        assert_eq!(initials("Set of 3 Cake Tins"), "SC");
        assert_eq!(initials("White with Metal Bag Charm"), "WM");
        assert_eq!(initials("3 stripey mice"), "3S");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn colours_are_stable_and_in_range() {
        assert_eq!(colour_of("85123A"), colour_of("85123A"));
        assert!((0..1000).all(|n| colour_of(&n.to_string()) < ART_COLOURS));
    }
}
