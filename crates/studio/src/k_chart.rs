//! Step 4: choosing k. The sweep's inertia (the elbow) and silhouette for k = 2..10, the
//! suggested k marked, and the marketer's choice.

use aisle_core::segmentation::sweep::KScore;
use leptos::prelude::*;

use crate::chart::{Axes, Frame};
use crate::page::Studio;
use crate::texts::Texts;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 220.0;

/// One line chart of the sweep.
#[component]
fn SweepChart(
    sweep: Vec<KScore>,
    value: fn(&KScore) -> f64,
    #[prop(into)] title: String,
    chosen: usize,
    suggested: usize,
    testid: &'static str,
) -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    let ks: Vec<f64> = sweep.iter().map(|score| score.k as f64).collect();
    let values: Vec<f64> = sweep.iter().map(value).collect();
    let low = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .min(0.0);
    let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let frame = Frame::new(
        WIDTH,
        HEIGHT,
        (
            ks.first().copied().unwrap_or(2.0),
            ks.last().copied().unwrap_or(10.0),
        ),
        (low, high),
    );
    let path = ks
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(index, (&k, &v))| {
            format!(
                "{}{:.1},{:.1}",
                if index == 0 { "M" } else { "L" },
                frame.px(k),
                frame.py(v)
            )
        })
        .collect::<String>();
    let points = sweep
        .iter()
        .zip(&values)
        .map(|(score, &v)| {
            let k = score.k;
            let class = if k == chosen {
                "point chosen"
            } else if k == suggested {
                "point suggested"
            } else {
                "point"
            };
            view! {
                <circle
                    class=class
                    cx=frame.px(k as f64)
                    cy=frame.py(v)
                    r=if k == chosen || k == suggested { 6 } else { 4 }
                    on:click=move |_| studio.choose_k(k)
                >
                    <title>{texts.fill(
                        if k == suggested { "k.point-suggested" } else { "k.point" },
                        &[("k", &k.to_string()), ("value", &texts.number(v, 3))],
                    )}</title>
                </circle>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <figure class="k-chart" data-testid=testid>
            <svg class="chart" viewBox=frame.view_box() role="img" aria-label=title.clone()>
                <Axes frame x_title=texts.t("k.axis") y_title=title.clone() x_ticks=ks.clone() />
                <path class="line" d=path />
                {points}
            </svg>
            <figcaption>{title}</figcaption>
        </figure>
    }
}

/// The k sweep and the choice, once segments exist.
#[component]
pub fn KChart() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    move || {
        studio.segments.get().map(|segments| {
            let (chosen, suggested) = (segments.k, segments.suggestion.k);
            let three = move |value: f64| texts.number(value, 3);
            let because = texts.with(|words| segments.suggestion.describe(words, &three));
            let choices = segments
                .sweep
                .iter()
                .map(|score| {
                    let k = score.k;
                    view! {
                        <button
                            type="button"
                            class:chosen=k == chosen
                            data-testid=format!("studio-k-{k}")
                            aria-pressed=(k == chosen).to_string()
                            on:click=move |_| studio.choose_k(k)
                        >
                            {k.to_string()}
                        </button>
                    }
                })
                .collect::<Vec<_>>();
            view! {
                <section class="studio-step" data-testid="studio-k-chart">
                    <h2>{texts.t("k.heading")}</h2>
                    <p>
                        <span data-testid="studio-k-suggestion">{because}</span>
                        " "
                        {texts.fill("k.explain", &[("k", &chosen.to_string()), ("silhouette", &three(segments.silhouette))])}
                    </p>
                    <div class="k-charts">
                        <SweepChart sweep=segments.sweep.clone() value=|score| score.inertia title=texts.t("k.inertia") chosen suggested testid="studio-elbow" />
                        <SweepChart sweep=segments.sweep.clone() value=|score| score.silhouette title=texts.t("k.silhouette") chosen suggested testid="studio-silhouette" />
                    </div>
                    <div class="k-choice" role="group" aria-label=texts.t("k.choice") data-testid="studio-k-choice">
                        "k = " {choices}
                    </div>
                </section>
            }
        })
    }
}
