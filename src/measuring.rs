//! The browser's part in the shop's measuring ([`aisle_core::measure`]): drawing an arm of the
//! shop's experiment once and keeping it in the profile (every tab, every visit), and sending the
//! weekly randomized report when the bundle names an endpoint.

use aisle_browser::send;
use aisle_core::measure::randomizer::Randomizer;
use aisle_core::shopper::changes::Change;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::deploy::use_model;
use crate::shopper::{Shopper, now_ms};

/// How often a sender looks whether its claim of the week is in storage, and how many times.
const SAVE_CHECK_MS: i32 = 50;
const SAVE_CHECKS: usize = 1_200;

/// Draws this browser's arm when the bundle in use declares an experiment the profile has no arm
/// of (nor left): at the first visit, after a wipe, or when the shop starts a new experiment.
/// The draw is the browser's `Math.random()`, taken before the shopper does anything, so the
/// arm says nothing about them. Two tabs drawing at once keep the first draw stored.
pub fn keep_an_arm(shopper: Shopper) {
    Effect::new(move || {
        let model = use_model();
        let draw =
            shopper.with_profile(|profile| model.arm_to_draw(profile, js_sys::Math::random()));
        if let Some((experiment, arm)) = draw {
            shopper.change(Change::Enrol(experiment, arm));
        }
    });
}

/// Sends the report the profile owes, if the bundle names an endpoint and the shopper has not
/// turned reports off ([`Profile::report_due`]): once per week, for the latest finished week
/// with activity. The week is first claimed in the shared profile and the claim saved; only the
/// tab whose claim storage kept sends, so two tabs opened together send one report. The answer
/// is randomized with a generator seeded by `crypto.getRandomValues`.
///
/// [`Profile::report_due`]: aisle_core::shopper::profile::Profile::report_due
pub fn send_due_report(shopper: Shopper) {
    let model = use_model();
    let Some(reporting) = model.measuring().reports.clone() else {
        return;
    };
    let Some(due) =
        shopper.with_profile_untracked(|profile| profile.report_due(now_ms(), model.measuring()))
    else {
        return;
    };
    spawn_local(async move {
        let (Ok(claim), Ok(seed)) = (send::random_u64(), send::random_u64()) else {
            leptos::logging::error!("no cryptographic randomness: the week's report is not sent");
            return;
        };
        let Ok(randomizer) = Randomizer::new(due.epsilon) else {
            return;
        };
        let drawn = randomizer.randomize_seeded(due.truth, seed);
        let period = due.period.clone();
        shopper.change(Change::ClaimReport(due, drawn, claim, now_ms()));
        // The claim must be in storage before anything leaves: give up after a minute.
        for _ in 0..SAVE_CHECKS {
            if shopper.is_saved() {
                break;
            }
            send::sleep(SAVE_CHECK_MS).await;
        }
        if !shopper.is_saved() {
            return;
        }
        let body = shopper.with_profile_untracked(|profile| {
            profile
                .sent_reports()
                .iter()
                .find(|sent| sent.period == period && sent.claim == claim)
                .map(|sent| sent.body.clone())
        });
        let Some(body) = body else {
            return; // Another tab claimed the week first, and sends it.
        };
        let delivered = send::post_report(&reporting.endpoint, &body).await;
        if let Err(why) = &delivered {
            leptos::logging::warn!("the week's report did not arrive: {why}");
        }
        shopper.change(Change::ReportDelivered(period, claim, delivered.is_ok()));
    });
}
