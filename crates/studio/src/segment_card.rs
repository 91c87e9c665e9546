//! A card per segment: name, size, share, centroid in original units, what sets it apart, its
//! top products, and marketing copy per channel that the marketer can regenerate.

use aisle_core::serve::copy::{Audience, Channel, CopyTemplates};
use aisle_core::studio::segmenting::SegmentCard;
use leptos::prelude::*;

use crate::chart::{segment_colour, tick_label};
use crate::page::Studio;

/// Every segment's card, once segments exist.
#[component]
pub fn SegmentCards() -> impl IntoView {
    let studio = expect_context::<Studio>();
    move || {
        studio.segments.get().map(|segments| {
            let cards = segments
                .segments
                .into_iter()
                .enumerate()
                .map(|(index, card)| view! { <Card index card /> })
                .collect::<Vec<_>>();
            view! {
                <section class="studio-step" data-testid="studio-segments">
                    <h2>"6. The segments"</h2>
                    <div class="segment-grid">{cards}</div>
                </section>
            }
        })
    }
}

#[component]
fn Card(index: usize, card: SegmentCard) -> impl IntoView {
    let studio = expect_context::<Studio>();
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
                let text = CopyTemplates::english().write(audience, channel, &featured, variant());
                view! {
                    <div class="copy" data-channel=channel.key()>
                        <dt>{channel.label()}</dt>
                        <dd><strong>{text.headline}</strong>" "{text.body}</dd>
                    </div>
                }
            })
            .collect::<Vec<_>>()
    };
    let centroid = card
        .centroid
        .iter()
        .map(|value| view! { <tr><th scope="row">{value.feature.clone()}</th><td>{tick_label(value.value)}</td></tr> })
        .collect::<Vec<_>>();
    let products = card
        .top_products
        .iter()
        .map(|product| {
            view! {
                <li data-product=product.id.clone()>
                    {product.title.clone()}
                    <span class="why">{format!(" · {:.0}% of the segment bought it, {:.1}× the average", product.share * 100.0, product.lift)}</span>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let leanings = card.leanings.iter().map(|leaning| {
        format!(
            "Buys more {}: {:.0}% of its products, {:.1}× the average customer",
            leaning.category,
            leaning.share * 100.0,
            leaning.lift
        )
    });
    let traits = card
        .traits
        .iter()
        .cloned()
        .chain(leanings)
        .map(|text| view! { <li>{text}</li> })
        .collect::<Vec<_>>();
    view! {
        <article class="segment-card" data-testid="segment-card" data-segment=card.name.clone()>
            <header>
                <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill=segment_colour(index) /></svg>
                <h3>{card.name.clone()}</h3>
                <p class="size">{format!("{} customers · {:.1}%", card.size, card.share * 100.0)}</p>
            </header>
            <h4>"What sets it apart"</h4>
            {if traits.is_empty() {
                view! { <p>"Close to the median customer on every feature."</p> }.into_any()
            } else {
                view! { <ul class="traits">{traits}</ul> }.into_any()
            }}
            <table class="report centroid">
                <caption>"Centroid, in original units"</caption>
                <tbody>{centroid}</tbody>
            </table>
            <h4>"Top products"</h4>
            <ol class="top-products" data-testid="segment-products">{products}</ol>
            <h4>"Marketing copy"</h4>
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
                "Regenerate copy"
            </button>
        </article>
    }
}
