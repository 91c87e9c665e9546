//! The 2-D map: customers on the first two principal components of the scaled features,
//! coloured by segment, with a legend.

use std::fmt::Write;

use leptos::prelude::*;

use aisle_core::segmentation::segments::segment_name_in;

use crate::chart::{Axes, Frame, segment_colour};
use crate::page::Studio;
use crate::texts::Texts;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 420.0;
/// A dot's radius, in SVG units.
const DOT_RADIUS: f64 = 2.5;

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
            let dots = dot_outlines(&scatter.points, &scatter.segments, &frame)
                .into_iter()
                .enumerate()
                .filter(|(_, (_, drawn))| *drawn > 0)
                .map(|(segment, (outline, drawn))| {
                    view! {
                        <path class="dot" data-dots=drawn d=outline fill=segment_colour(segment) />
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

/// Per segment, one path outlining its dots (each a circle drawn as two arcs) and how many it
/// holds. Up to 2,000 dots become one element per segment: the browser builds and paints a
/// handful of paths several times faster than as many `<circle>` elements as dots.
fn dot_outlines(points: &[[f32; 2]], segments: &[usize], frame: &Frame) -> Vec<(String, usize)> {
    let count = segments.iter().max().map_or(0, |last| last + 1);
    let mut outlines = vec![(String::new(), 0); count];
    for (point, &segment) in points.iter().zip(segments) {
        let (outline, drawn) = &mut outlines[segment];
        let (x, y) = (frame.px(f64::from(point[0])), frame.py(f64::from(point[1])));
        let (r, d) = (DOT_RADIUS, 2.0 * DOT_RADIUS);
        write!(
            outline,
            "M{:.1},{y:.1}a{r},{r} 0 1 0 {d},0a{r},{r} 0 1 0 -{d},0",
            x - r
        )
        .expect("writing to a String cannot fail");
        *drawn += 1;
    }
    outlines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_segment_gets_one_outline_with_a_circle_per_dot() {
        let frame = Frame::new(WIDTH, HEIGHT, (0.0, 1.0), (0.0, 1.0));
        let points = [[0.0, 0.0], [1.0, 1.0], [0.5, 0.5], [0.25, 0.75]];
        let outlines = dot_outlines(&points, &[0, 2, 0, 0], &frame);
        assert_eq!(outlines.len(), 3);
        let drawn: Vec<usize> = outlines.iter().map(|(_, drawn)| *drawn).collect();
        assert_eq!(drawn, [3, 0, 1]);
        // Each dot: a move to its left edge, then two half-circle arcs.
        for (outline, drawn) in &outlines {
            assert_eq!(outline.matches('M').count(), *drawn);
            assert_eq!(outline.matches('a').count(), 2 * drawn);
        }
        let centre = (frame.px(1.0), frame.py(1.0));
        assert!(outlines[2].0.starts_with(&format!(
            "M{:.1},{:.1}a2.5,2.5 0 1 0 5,0a2.5,2.5 0 1 0 -5,0",
            centre.0 - DOT_RADIUS,
            centre.1
        )));
    }
}
