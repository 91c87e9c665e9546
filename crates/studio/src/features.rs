//! Step 3: the customer features. Each one's distribution, a checkbox to cluster on it, the
//! scaling, and how well each separates the current segments (mutual information, chi-square).

use aisle_core::segmentation::segments::FeatureScaling;
use aisle_core::studio::FeatureSummary;
use leptos::prelude::*;

use aisle_core::studio::texts::feature_key;

use crate::chart::{Axes, Frame};
use crate::page::Studio;
use crate::texts::Texts;

const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 150.0;

/// The features step, once the file is read.
#[component]
pub fn Features() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    let cards = move || {
        texts.tag();
        studio
            .features
            .get()
            .into_iter()
            .map(|summary| view! { <FeatureCard summary /> })
            .collect::<Vec<_>>()
    };
    let scaling_choices = move || {
        let chosen = studio.request.with(|request| request.scaling);
        FeatureScaling::ALL
            .into_iter()
            .map(|scaling| {
                let key = scaling.key();
                view! {
                    <label>
                        <input
                            type="radio"
                            name="scaling"
                            value=key
                            data-testid=format!("studio-scaling-{key}")
                            checked=scaling == chosen
                            on:change=move |_| studio.change_request(|request| request.scaling = scaling)
                        />
                        {texts.t(&format!("scaling.{key}"))}
                    </label>
                }
            })
            .collect::<Vec<_>>()
    };
    move || {
        (!studio.features.with(Vec::is_empty)).then(|| {
            view! {
                <section class="studio-step" data-testid="studio-features">
                    <h2>{texts.t("features.heading")}</h2>
                    <p>{texts.t("features.explain")}</p>
                    <div class="feature-grid">{cards}</div>
                    <fieldset class="scaling">
                        <legend>{texts.t("features.scaling")}</legend>
                        {scaling_choices}
                    </fieldset>
                    <Ranking />
                </section>
            }
        })
    }
}

#[component]
fn FeatureCard(summary: FeatureSummary) -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    let name = summary.name.clone();
    let checked = {
        let name = name.clone();
        move || {
            studio
                .request
                .with(|request| request.features.contains(&name))
        }
    };
    let toggle = {
        let name = name.clone();
        move |event: leptos::ev::Event| {
            let on = event_target_checked(&event);
            let name = name.clone();
            studio.change_request(move |request| {
                request.features.retain(|feature| *feature != name);
                if on {
                    request.features.push(name);
                }
            });
        }
    };
    let histogram = &summary.histogram;
    let most = histogram.counts.iter().copied().max().unwrap_or(0).max(1);
    let frame = Frame::new(
        WIDTH,
        HEIGHT,
        (histogram.lower, histogram.upper),
        (0.0, most as f64),
    );
    let width = (histogram.upper - histogram.lower) / histogram.counts.len().max(1) as f64;
    let bars = histogram
        .counts
        .iter()
        .enumerate()
        .map(|(bin, &count)| {
            let left = histogram.lower + bin as f64 * width;
            let x = frame.px(left);
            let bar_width = (frame.px(left + width) - x - 1.0).max(1.0);
            let y = frame.py(count as f64);
            let height = frame.py(0.0) - y;
            view! {
                <rect class="bar" x=x y=y width=bar_width height=height>
                    <title>{texts.count("features.bar", count, &[
                        ("low", &texts.compact(left)),
                        ("high", &texts.compact(left + width)),
                    ])}</title>
                </rect>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <figure class="feature-card" data-testid="studio-feature" data-feature=name.clone()>
            <label class="feature-pick">
                <input type="checkbox" data-testid=format!("studio-feature-{name}") checked=checked on:change=toggle />
                <strong>{name.clone()}</strong>
            </label>
            <figcaption>{texts.t(&feature_key(&name))}</figcaption>
            <svg class="chart histogram" viewBox=frame.view_box() role="img" aria-label=texts.fill("features.distribution", &[("feature", &name)])>
                <Axes frame x_title=name.clone() y_title=texts.t("features.customers") />
                {bars}
            </svg>
            <p class="feature-stats">
                {texts.fill("features.stats", &[
                    ("min", &texts.compact(summary.min)),
                    ("median", &texts.compact(summary.median)),
                    ("max", &texts.compact(summary.max)),
                ])}
                {(histogram.above > 0).then(|| format!(
                    " · {}",
                    texts.fill("features.above", &[("count", &texts.whole(histogram.above as usize))])
                ))}
            </p>
        </figure>
    }
}

/// Feature ranking against the current segments.
#[component]
fn Ranking() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    move || {
        studio.segments.get().map(|segments| {
            let rows = segments
                .ranking
                .iter()
                .map(|rank| {
                    view! {
                        <tr data-feature=rank.feature.clone()>
                            <th scope="row">{rank.feature.clone()}</th>
                            <td>{texts.number(rank.mutual_information, 3)}</td>
                            <td>{texts.number(rank.chi_square, 1)}</td>
                            <td>{texts.number(rank.gain_ratio, 3)}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>();
            view! {
                <table class="report ranking" data-testid="studio-ranking">
                    <caption>{texts.fill("features.ranking", &[("k", &segments.k.to_string())])}</caption>
                    <thead>
                        <tr>
                            <th>{texts.t("features.feature")}</th>
                            <th>{texts.t("features.mutual-information")}</th>
                            <th>{texts.t("features.chi-square")}</th>
                            <th>{texts.t("features.gain-ratio")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    }
}
