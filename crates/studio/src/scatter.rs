//! The 2-D map: customers on the first two principal components of the scaled features,
//! coloured by segment, with a legend.

use leptos::prelude::*;

use aisle_core::segmentation::segments::segment_name_in;

use crate::chart::{Axes, Frame, segment_colour};
use crate::page::Studio;
use crate::texts::Texts;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 420.0;

/// The scatter plot, once segments exist.
#[component]
pub fn Scatter() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    move || {
        studio.segments.get().map(|segments| {
            let scatter = &segments.scatter;
            let range = |axis: usize| {
                scatter.points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), point| {
                    (low.min(f64::from(point[axis])), high.max(f64::from(point[axis])))
                })
            };
            let frame = Frame::new(WIDTH, HEIGHT, range(0), range(1));
            let dots = scatter
                .points
                .iter()
                .zip(&scatter.segments)
                .map(|(point, &segment)| {
                    view! {
                        <circle
                            class="dot"
                            cx=format!("{:.1}", frame.px(f64::from(point[0])))
                            cy=format!("{:.1}", frame.py(f64::from(point[1])))
                            r="2.5"
                            fill=segment_colour(segment)
                        />
                    }
                })
                .collect::<Vec<_>>();
            let legend = segments
                .segments
                .iter()
                .enumerate()
                .map(|(index, card)| {
                    view! {
                        <li>
                            <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill=segment_colour(index) /></svg>
                            {texts.fill("map.legend", &[
                                ("segment", &texts.with(|words| segment_name_in(&card.name, words))),
                                ("size", &texts.whole(card.size)),
                            ])}
                        </li>
                    }
                })
                .collect::<Vec<_>>();
            let [first, second] = scatter.explained;
            view! {
                <section class="studio-step" data-testid="studio-scatter">
                    <h2>{texts.t("map.heading")}</h2>
                    <p>
                        {texts.fill("map.explain", &[
                            ("drawn", &texts.whole(scatter.points.len())),
                            ("customers", &texts.whole(scatter.customers)),
                        ])}
                    </p>
                    <figure class="scatter">
                        <svg class="chart" viewBox=frame.view_box() role="img" aria-label=texts.t("map.label")>
                            <Axes
                                frame
                                x_title=texts.fill("map.first", &[("share", &texts.percent(first))])
                                y_title=texts.fill("map.second", &[("share", &texts.percent(second))])
                            />
                            <g class="dots">{dots}</g>
                        </svg>
                        <figcaption><ul class="legend" data-testid="studio-legend">{legend}</ul></figcaption>
                    </figure>
                </section>
            }
        })
    }
}
