//! The privacy center's account of measuring: what the shop's recommendations did for this
//! shopper, counted on this device; the arm of the shop's experiment this browser is in, with a
//! way out of it; and the weekly reports sent, each as it left, with a way to stop them.
//!
//! Every table here is one [`TextTable`] of plain texts: each `view!` is code of its own in the
//! storefront's download, so the section builds its rows as data and renders them once.

use aisle_core::measure::randomizer::Randomizer;
use aisle_core::serve::merchandising::SHELVES;
use aisle_core::shopper::changes::Change;
use aisle_core::shopper::profile::Profile;
use aisle_core::shopper::profile::measured::ATTRIBUTION_WINDOW_DAYS;
use leptos::prelude::*;

use crate::deploy::{Texts, use_model, use_numbers, use_texts};
use crate::shopper::Shopper;

/// A table's rows: each a key (`data-row`, for tests and styles), its heading cell and the rest.
type Rows = Vec<(String, Vec<String>)>;

/// What each shelf did, the experiment's arm, and the reports sent.
#[component]
pub fn Measuring() -> impl IntoView {
    let texts = use_texts();
    let shopper = expect_context::<Shopper>();
    let model = use_model();
    let days = ATTRIBUTION_WINDOW_DAYS.to_string();
    let head = [
        "privacy.shelf",
        "privacy.shown",
        "privacy.opened",
        "privacy.added",
        "privacy.bought",
    ];
    let attribution = move || {
        let rows: Rows = shopper.with_profile(|profile| {
            profile
                .placement_counts()
                .iter()
                .map(|(placement, counts)| {
                    let cells = [counts.shown, counts.opened, counts.added, counts.bought];
                    let mut row = vec![shelf_name(texts, placement)];
                    row.extend(cells.iter().map(u64::to_string));
                    (placement.clone(), row)
                })
                .collect()
        });
        view! { <TextTable testid="attribution" head=head.map(|key| texts.t(key)).to_vec() rows empty=texts.t("privacy.no-recommendations") /> }
    };
    let experiment = {
        let model = model.clone();
        move || {
            let experiment = model.measuring().experiment.as_ref()?;
            let enrolment = shopper.with_profile(|profile| model.enrolment(profile).cloned())?;
            let name = experiment.name.as_str();
            let (testid, said) = match &enrolment.arm {
                Some(arm) => (
                    "experiment-arm",
                    texts.fill("privacy.in-arm", &[("experiment", name), ("arm", arm)]),
                ),
                None => (
                    "experiment-left",
                    texts.fill("privacy.left", &[("experiment", name)]),
                ),
            };
            let leave = enrolment.arm.is_some().then(|| {
                view! {
                    " "
                    <button type="button" class="link-button" data-testid="leave-experiment"
                        on:click=move |_| shopper.change(Change::LeaveExperiment)>
                        {texts.t("privacy.leave")}
                    </button>
                }
            });
            Some(view! {
                <h2>{texts.t("privacy.experiment")}</h2>
                <p data-testid=testid data-arm=enrolment.arm.clone().unwrap_or_default()>{said}{leave}</p>
            })
        }
    };
    view! {
        <h2>{texts.t("privacy.recommendations")}</h2>
        <p>{texts.fill("privacy.recommendations-about", &[("days", &days)])}</p>
        {attribution}
        {experiment}
        {reports(texts, shopper, &model)}
    }
}

/// The weekly reports: what they hold, every one sent (when, its body as it left, whether it
/// arrived), and the switch to stop them. Nothing when the bundle names no endpoint.
fn reports(
    texts: Texts,
    shopper: Shopper,
    model: &aisle_core::serve::recommend::Model,
) -> Option<impl IntoView + use<>> {
    let numbers = use_numbers();
    let reporting = model.measuring().reports.as_ref()?;
    let truthful = Randomizer::new(reporting.epsilon).ok()?.keep();
    let about = texts.fill(
        "privacy.reports-about",
        &[
            ("endpoint", &reporting.endpoint),
            ("truthful", &numbers.percent(truthful)),
        ],
    );
    let off = move || shopper.with_profile(Profile::reports_off);
    let head = [
        "privacy.report-week",
        "privacy.report-sent",
        "privacy.report-body",
        "privacy.report-status",
    ];
    let sent = move || {
        let rows: Rows = shopper.with_profile(|profile| {
            profile
                .sent_reports()
                .iter()
                .rev()
                .map(|sent| {
                    let (status, said) = match sent.delivered {
                        Some(true) => ("arrived", "privacy.report-arrived"),
                        Some(false) => ("lost", "privacy.report-lost"),
                        None => ("on-its-way", "privacy.report-on-its-way"),
                    };
                    let row = vec![
                        sent.period.clone(),
                        numbers.date(sent.at_ms),
                        sent.body.clone(),
                        texts.t(said),
                    ];
                    (status.to_owned(), row)
                })
                .collect()
        });
        view! { <TextTable testid="sent-reports" head=head.map(|key| texts.t(key)).to_vec() rows empty=texts.t("privacy.no-reports") /> }
    };
    Some(view! {
        <h2>{texts.t("privacy.reports")}</h2>
        <p>{about}</p>
        <p data-testid="reports-state">
            {move || texts.t(if off() { "privacy.reports-off" } else { "privacy.reports-on" })}
            " "
            <button type="button" class="link-button" data-testid="reports-switch"
                on:click=move |_| shopper.change(Change::ReportsOff(!off()))>
                {move || texts.t(if off() { "privacy.reports-resume" } else { "privacy.reports-stop" })}
            </button>
        </p>
        {sent}
    })
}

/// Plain texts in a table with a heading row, the first cell of each row heading it; `empty`
/// in its place when there are no rows.
#[component]
fn TextTable(testid: &'static str, head: Vec<String>, rows: Rows, empty: String) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <table class="counts" data-testid=testid>
            <thead><tr>{head.into_iter().map(|text| view! { <th scope="col">{text}</th> }).collect_view()}</tr></thead>
            <tbody>
                {rows.into_iter().map(|(key, cells)| {
                    let mut cells = cells.into_iter();
                    let heading = cells.next().unwrap_or_default();
                    view! {
                        <tr data-row=key>
                            <th scope="row">{heading}</th>
                            {cells.map(|text| view! { <td>{text}</td> }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A shelf's title in the shopper's language; a name the store does not know (from an imported
/// profile) as it is.
fn shelf_name(texts: Texts, placement: &str) -> String {
    if SHELVES.contains(&placement) {
        texts.t(&format!("shelf.{placement}"))
    } else {
        placement.to_owned()
    }
}
