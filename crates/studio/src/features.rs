//! Step 3: the customer features. Each one's distribution, a checkbox to cluster on it, the
//! scaling, and how well each separates the current segments (mutual information, chi-square).

use aisle_core::segmentation::segments::FeatureScaling;
use aisle_core::studio::FeatureSummary;
use leptos::prelude::*;

use crate::chart::{Axes, Frame, tick_label};
use crate::page::Studio;

const WIDTH: f64 = 300.0;
const HEIGHT: f64 = 150.0;

/// The features step, once the file is read.
#[component]
pub fn Features() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let cards = move || {
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
                let key = serde_json::to_string(&scaling).unwrap_or_default().replace('"', "");
                view! {
                    <label>
                        <input
                            type="radio"
                            name="scaling"
                            value=key.clone()
                            data-testid=format!("studio-scaling-{key}")
                            checked=scaling == chosen
                            on:change=move |_| studio.change_request(|request| request.scaling = scaling)
                        />
                        {scaling.label()}
                    </label>
                }
            })
            .collect::<Vec<_>>()
    };
    move || {
        (!studio.features.with(Vec::is_empty)).then(|| {
            view! {
                <section class="studio-step" data-testid="studio-features">
                    <h2>"3. Customer features"</h2>
                    <p>"One row per customer. Tick the features to segment on; the charts show each one's distribution (the tail beyond the 99th percentile is counted, not drawn)."</p>
                    <div class="feature-grid">{cards}</div>
                    <fieldset class="scaling">
                        <legend>"Scaling"</legend>
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
                    <title>{format!("{} to {}: {count} customers", tick_label(left), tick_label(left + width))}</title>
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
            <figcaption>{summary.description.clone()}</figcaption>
            <svg class="chart histogram" viewBox=frame.view_box() role="img" aria-label=format!("Distribution of {name}")>
                <Axes frame x_title=name.clone() y_title="customers" />
                {bars}
            </svg>
            <p class="feature-stats">
                {format!(
                    "min {} · median {} · max {}{}",
                    tick_label(summary.min),
                    tick_label(summary.median),
                    tick_label(summary.max),
                    if histogram.above > 0 { format!(" · {} above the chart", histogram.above) } else { String::new() }
                )}
            </p>
        </figure>
    }
}

/// Feature ranking against the current segments.
#[component]
fn Ranking() -> impl IntoView {
    let studio = expect_context::<Studio>();
    move || {
        studio.segments.get().map(|segments| {
            let rows = segments
                .ranking
                .iter()
                .map(|rank| {
                    view! {
                        <tr data-feature=rank.feature.clone()>
                            <th scope="row">{rank.feature.clone()}</th>
                            <td>{format!("{:.3}", rank.mutual_information)}</td>
                            <td>{format!("{:.1}", rank.chi_square)}</td>
                            <td>{format!("{:.3}", rank.gain_ratio)}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>();
            view! {
                <table class="report ranking" data-testid="studio-ranking">
                    <caption>{format!("How well each feature separates the {} segments (most telling first)", segments.k)}</caption>
                    <thead>
                        <tr><th>"Feature"</th><th>"Mutual information (nats)"</th><th>"Chi-square"</th><th>"Gain ratio"</th></tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
    }
}
