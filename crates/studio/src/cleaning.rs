//! Step 2: the cleaning report. What was read, skipped (with file, line and column), filled,
//! unified and dropped, and a strategy per column for blank cells.

use aisle_core::input::missing::Fill;
use aisle_core::studio::CleaningSummary;
use leptos::prelude::*;

use crate::page::Studio;
use crate::texts::Texts;

/// The cleaning report, once the file is read.
#[component]
pub fn Cleaning() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    move || {
        // Read here, so the report is written again in a language the marketer picks.
        texts.tag();
        studio
            .cleaning
            .get()
            .map(|summary| view! { <Report summary studio texts /> })
    }
}

#[component]
fn Report(summary: CleaningSummary, studio: Studio, texts: Texts) -> impl IntoView {
    let read = &summary.read;
    let rules = &summary.rules;
    let row = |label: String, count: u64, key: &'static str| {
        view! { <tr data-row=key><th scope="row">{label}</th><td>{texts.number(count as f64, 0)}</td></tr> }
    };
    let unified = read.unified;
    let missing_rows = summary
        .missing
        .fields
        .iter()
        .map(|entry| {
            let field = entry.field;
            let value = entry
                .value
                .map_or_else(String::new, |value| format!(" ({})", texts.number(value, 2)));
            let name = texts.t(&format!("field.{}", field.key()));
            view! {
                <tr data-field=field.label()>
                    <th scope="row">{name.clone()}</th>
                    <td>{texts.number(entry.blank as f64, 0)}</td>
                    <td>
                        <select
                            data-testid=format!("studio-missing-{}", field.key())
                            aria-label=texts.fill("cleaning.fill-with", &[("field", &name)])
                            on:change=move |event| {
                                let chosen = event_target_value(&event);
                                if let Some(fill) = Fill::ALL.into_iter().find(|fill| fill.key() == chosen) {
                                    studio.set_missing(studio.missing.get_untracked().with(field, fill));
                                }
                            }
                        >
                            {Fill::ALL.into_iter().map(|fill| view! {
                                <option value=fill.key() selected=entry.fill == fill>{texts.t(&format!("fill.{}", fill.key()))}</option>
                            }).collect::<Vec<_>>()}
                        </select>
                        {value}
                    </td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let issues = read
        .issues
        .iter()
        .take(10)
        .map(|issue| view! { <li>{issue.to_string()}</li> })
        .collect::<Vec<_>>();
    view! {
        <section class="studio-step" data-testid="studio-cleaning">
            <h2>{texts.t("cleaning.heading")}</h2>
            <p data-testid="studio-summary">
                {texts.fill("cleaning.summary", &[
                    ("customers", &texts.whole(summary.customers)),
                    ("products", &texts.whole(summary.products)),
                    ("first", &texts.date(summary.period.0)),
                    ("last", &texts.date(summary.period.1)),
                ])}
            </p>
            <div class="report-columns">
                <table class="report">
                    <caption>{texts.t("cleaning.rows")}</caption>
                    <tbody>
                        {row(texts.t("cleaning.read"), read.rows_read, "read")}
                        {row(texts.t("cleaning.skipped"), read.rows_skipped, "skipped")}
                        {row(texts.t("cleaning.duplicates"), summary.duplicates_removed, "duplicates")}
                        {row(texts.t("cleaning.filled"), summary.missing.rows_filled, "filled")}
                        {row(texts.t("cleaning.blank-dropped"), summary.missing.rows_dropped, "blank-dropped")}
                        {row(texts.t("cleaning.no-customer"), rules.missing_customer, "no-customer")}
                        {row(texts.t("cleaning.cancelled"), rules.cancelled, "cancelled")}
                        {row(texts.t("cleaning.quantity"), rules.non_positive_quantity, "quantity")}
                        {row(texts.t("cleaning.price"), rules.non_positive_price, "price")}
                        {row(texts.t("cleaning.not-product"), rules.not_a_product, "not-product")}
                        {row(texts.t("cleaning.kept"), rules.rows_kept, "kept")}
                    </tbody>
                </table>
                <table class="report">
                    <caption>{texts.t("cleaning.unified")}</caption>
                    <tbody>
                        {row(texts.t("cleaning.ids"), unified.customer_ids, "ids")}
                        {row(texts.t("cleaning.codes"), unified.product_codes, "codes")}
                        {row(texts.t("cleaning.prices"), unified.prices, "prices")}
                        {row(texts.t("cleaning.dates"), unified.timestamps, "dates")}
                        {row(texts.t("cleaning.dates-month-first"), read.dates_assumed_month_first, "dates-month-first")}
                        {row(texts.t("cleaning.descriptions"), summary.blank_descriptions, "descriptions")}
                    </tbody>
                </table>
                <table class="report">
                    <caption>{texts.t("cleaning.blanks")}</caption>
                    <thead><tr><th>{texts.t("cleaning.column")}</th><th>{texts.t("cleaning.blank")}</th><th>{texts.t("cleaning.strategy")}</th></tr></thead>
                    <tbody>{missing_rows}</tbody>
                </table>
            </div>
            {(!issues.is_empty()).then(|| view! {
                <details class="issues" data-testid="studio-issues">
                    <summary>{texts.count("cleaning.first-skipped", read.rows_skipped, &[])}</summary>
                    <ul>{issues}</ul>
                </details>
            })}
        </section>
    }
}
