//! Step 7: exports. Each customer's segment as CSV (from the worker, which holds every
//! customer), the segment summary as JSON, and the copy shown as CSV.

use aisle_core::studio::export::{CopyRow, copy_csv};
use leptos::prelude::*;

use crate::page::Studio;
use crate::texts::Texts;
use aisle_browser::download::save_file;

/// The export buttons, once segments exist.
#[component]
pub fn Export() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    let summary = move |_| {
        studio.segments.with_untracked(|segments| {
            if let Some(segments) = segments {
                match serde_json::to_string_pretty(segments) {
                    Ok(json) => {
                        studio.saved(save_file(&json, "aisle-segments.json", "application/json"))
                    }
                    Err(error) => studio
                        .error
                        .set(Some(format!("cannot write the summary: {error}"))),
                }
            }
        });
    };
    let copy = move |_| {
        let rows: Vec<CopyRow> = studio.segments.with_untracked(|segments| {
            let variants = studio.variants.get_untracked();
            segments
                .iter()
                .flat_map(|segments| segments.segments.iter())
                .enumerate()
                .map(|(index, card)| CopyRow {
                    segment: card.name.clone(),
                    featured: card.featured(),
                    variant: variants.get(index).copied().unwrap_or(0),
                })
                .collect()
        });
        match texts.with_copy(|templates| copy_csv(&rows, templates)) {
            Ok(csv) => studio.saved(save_file(&csv, "aisle-copy.csv", "text/csv")),
            Err(error) => studio.error.set(Some(error.to_string())),
        }
    };
    move || {
        studio.segments.with(Option::is_some).then(|| {
            view! {
                <section class="studio-step" data-testid="studio-export">
                    <h2>{texts.t("export.heading")}</h2>
                    <p>{texts.t("export.explain")}</p>
                    <div class="export-buttons">
                        <button type="button" data-testid="studio-export-customers" on:click=move |_| studio.export_customers()>{texts.t("export.customers")}</button>
                        <button type="button" data-testid="studio-export-summary" on:click=summary>{texts.t("export.summary")}</button>
                        <button type="button" data-testid="studio-export-copy" on:click=copy>{texts.t("export.copy")}</button>
                    </div>
                </section>
            }
        })
    }
}
