//! A card per segment: name, size, share, centroid in original units, what sets it apart, its
//! top products, and marketing copy per channel that the marketer can regenerate.

use aisle_core::segmentation::segments::segment_name_in;
use aisle_core::serve::copy::{Audience, Channel};
use aisle_core::studio::segmenting::SegmentCard;
use leptos::prelude::*;

use crate::chart::segment_colour;
use crate::page::Studio;
use crate::texts::Texts;

/// Every segment's card, once segments exist.
#[component]
pub fn SegmentCards() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    move || {
        texts.tag();
        studio.segments.get().map(|segments| {
            let cards = segments
                .segments
                .into_iter()
                .enumerate()
                .map(|(index, card)| view! { <Card index card /> })
                .collect::<Vec<_>>();
            view! {
                <section class="studio-step" data-testid="studio-segments">
                    <h2>{texts.t("card.heading")}</h2>
                    <div class="segment-grid">{cards}</div>
                </section>
            }
        })
    }
}

#[component]
fn Card(index: usize, card: SegmentCard) -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    let audience = Audience::from_segment(&card.name);
    let featured = card.featured();
    let variant = move || {
        studio
            .variants
            .with(|variants| variants.get(index).copied().unwrap_or(0))
    };
    let copy = move || {
        Channel::ALL
            .into_iter()
            .map(|channel| {
                let text =
                    texts.with_copy(|copy| copy.write(audience, channel, &featured, variant()));
                view! {
                    <div class="copy" data-channel=channel.key()>
                        <dt>{texts.t(&format!("channel.{}", channel.key()))}</dt>
                        <dd><strong>{text.headline}</strong>" "{text.body}</dd>
                    </div>
                }
            })
            .collect::<Vec<_>>()
    };
    let centroid = card
        .centroid
        .iter()
        .map(|value| view! { <tr><th scope="row">{value.feature.clone()}</th><td>{texts.compact(value.value)}</td></tr> })
        .collect::<Vec<_>>();
    let products = card
        .top_products
        .iter()
        .map(|product| {
            view! {
                <li data-product=product.id.clone()>
                    {product.title.clone()}
                    <span class="why">" "{texts.fill("card.product-why", &[
                        ("share", &texts.percent(product.share)),
                        ("lift", &texts.number(product.lift, 1)),
                    ])}</span>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let leanings = card.leanings.iter().map(|leaning| {
        texts.fill(
            "card.leaning",
            &[
                ("category", &leaning.category),
                ("share", &texts.percent(leaning.share)),
                ("lift", &texts.number(leaning.lift, 1)),
            ],
        )
    });
    let one_decimal = move |ratio: f64| texts.number(ratio, 1);
    let traits = card
        .traits
        .iter()
        .map(|found| texts.with(|words| found.describe(words, &one_decimal)))
        .chain(leanings)
        .map(|text| view! { <li>{text}</li> })
        .collect::<Vec<_>>();
    view! {
        <article class="segment-card" data-testid="segment-card" data-segment=card.name.clone()>
            <header>
                <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill=segment_colour(index) /></svg>
                <h3>{texts.with(|words| segment_name_in(&card.name, words))}</h3>
                <p class="size">{texts.count("card.size", card.size as u64, &[("share", &texts.percent(card.share))])}</p>
            </header>
            <h4>{texts.t("card.apart")}</h4>
            {if traits.is_empty() {
                view! { <p>{texts.t("card.median")}</p> }.into_any()
            } else {
                view! { <ul class="traits">{traits}</ul> }.into_any()
            }}
            <table class="report centroid">
                <caption>{texts.t("card.centroid")}</caption>
                <tbody>{centroid}</tbody>
            </table>
            <h4>{texts.t("card.products")}</h4>
            <ol class="top-products" data-testid="segment-products">{products}</ol>
            <h4>{texts.t("card.copy")}</h4>
            <dl class="copy-list" data-testid="segment-copy">{copy}</dl>
            <button
                type="button"
                data-testid="segment-regenerate"
                on:click=move |_| studio.variants.update(|variants| {
                    if let Some(variant) = variants.get_mut(index) {
                        *variant += 1;
                    }
                })
            >
                {texts.t("card.regenerate")}
            </button>
        </article>
    }
}
