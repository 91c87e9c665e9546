//! Step 2: the cleaning report. What was read, skipped (with file, line and column), filled,
//! unified and dropped, and a strategy per column for blank cells.

use aisle_core::input::fields::format_date;
use aisle_core::input::missing::Fill;
use aisle_core::studio::CleaningSummary;
use leptos::prelude::*;

use crate::page::Studio;

/// The cleaning report, once the file is read.
#[component]
pub fn Cleaning() -> impl IntoView {
    let studio = expect_context::<Studio>();
    move || {
        studio
            .cleaning
            .get()
            .map(|summary| view! { <Report summary studio /> })
    }
}

#[component]
fn Report(summary: CleaningSummary, studio: Studio) -> impl IntoView {
    let read = &summary.read;
    let rules = &summary.rules;
    let row = |label: &'static str, count: u64, key: &'static str| {
        view! { <tr data-row=key><th scope="row">{label}</th><td>{count}</td></tr> }
    };
    let unified = read.unified;
    let missing_rows = summary
        .missing
        .fields
        .iter()
        .map(|entry| {
            let field = entry.field;
            let value = entry.value.map_or_else(String::new, |value| format!(" ({value:.2})"));
            view! {
                <tr data-field=field.label()>
                    <th scope="row">{field.label()}</th>
                    <td>{entry.blank}</td>
                    <td>
                        <select
                            data-testid=format!("studio-missing-{}", field.label().replace(' ', "-"))
                            aria-label=format!("Fill blank {} with", field.label())
                            on:change=move |event| {
                                let chosen = event_target_value(&event);
                                if let Some(fill) = Fill::ALL.into_iter().find(|fill| fill.key() == chosen) {
                                    studio.set_missing(studio.missing.get_untracked().with(field, fill));
                                }
                            }
                        >
                            {Fill::ALL.into_iter().map(|fill| view! {
                                <option value=fill.key() selected=entry.fill == fill>{fill.label()}</option>
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
            <h2>"2. Cleaning report"</h2>
            <p>
                {format!(
                    "{} customers and {} products, orders from {} to {}.",
                    summary.customers,
                    summary.products,
                    format_date(summary.period.0),
                    format_date(summary.period.1)
                )}
            </p>
            <div class="report-columns">
                <table class="report">
                    <caption>"Rows"</caption>
                    <tbody>
                        {row("Read", read.rows_read, "read")}
                        {row("Skipped: a cell could not be read", read.rows_skipped, "skipped")}
                        {row("Exact duplicates removed", summary.duplicates_removed, "duplicates")}
                        {row("Blank cells: filled", summary.missing.rows_filled, "filled")}
                        {row("Blank cells: dropped", summary.missing.rows_dropped, "blank-dropped")}
                        {row("Dropped: no customer id", rules.missing_customer, "no-customer")}
                        {row("Dropped: cancelled orders", rules.cancelled, "cancelled")}
                        {row("Dropped: quantity zero or less", rules.non_positive_quantity, "quantity")}
                        {row("Dropped: price zero or less", rules.non_positive_price, "price")}
                        {row("Dropped: not a product (postage, fees)", rules.not_a_product, "not-product")}
                        {row("Kept", rules.rows_kept, "kept")}
                    </tbody>
                </table>
                <table class="report">
                    <caption>"Formats unified"</caption>
                    <tbody>
                        {row("Customer ids written as numbers (17850.0)", unified.customer_ids, "ids")}
                        {row("Product codes re-cased or trimmed", unified.product_codes, "codes")}
                        {row("Prices with a currency sign or separators", unified.prices, "prices")}
                        {row("Dates in another layout", unified.timestamps, "dates")}
                        {row("Dates read month/day (none in the file decides day/month or month/day)", read.dates_assumed_month_first, "dates-month-first")}
                        {row("Blank descriptions, taken from the product", summary.blank_descriptions, "descriptions")}
                    </tbody>
                </table>
                <table class="report">
                    <caption>"Blank cells, by column"</caption>
                    <thead><tr><th>"Column"</th><th>"Blank"</th><th>"Strategy"</th></tr></thead>
                    <tbody>{missing_rows}</tbody>
                </table>
            </div>
            {(!issues.is_empty()).then(|| view! {
                <details class="issues" data-testid="studio-issues">
                    <summary>{format!("First skipped rows ({} in all)", read.rows_skipped)}</summary>
                    <ul>{issues}</ul>
                </details>
            })}
        </section>
    }
}
