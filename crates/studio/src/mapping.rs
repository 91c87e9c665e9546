//! Step 1b: for an export that is not Online Retail, which column holds what, and how its prices
//! and slash dates are written. The worker's guess is preselected (for the formats: worked out
//! from the values, refusing what reads two ways); the marketer confirms or corrects it.

use aisle_core::input::fields::{DateOrder, NumberFormat};
use aisle_core::studio::columns::ColumnGuess;
use leptos::prelude::*;

use crate::page::{PendingMapping, Studio};

/// The fields to map: label, whether required, and the guess's slot.
const FIELDS: [(&str, &str, bool); 7] = [
    ("customer", "Customer id", true),
    ("item", "Product code", true),
    ("quantity", "Quantity", true),
    ("unit_price", "Unit price", true),
    ("timestamp", "Order date and time", true),
    ("invoice", "Order (invoice) number", true),
    ("description", "Product description (optional)", false),
];

/// How prices may be written: value, form value, label.
const NUMBER_FORMATS: &[(NumberFormat, &str, &str)] = &[
    (
        NumberFormat::Auto,
        "auto",
        "as each value reads (1,234 is refused: it reads two ways)",
    ),
    (
        NumberFormat::DecimalPoint,
        "decimal-point",
        "1,234.56 (decimal point)",
    ),
    (
        NumberFormat::DecimalComma,
        "decimal-comma",
        "1.234,56 (decimal comma)",
    ),
];

/// How slash dates may be written: value, form value, label.
const DATE_ORDERS: &[(DateOrder, &str, &str)] = &[
    (
        DateOrder::Auto,
        "auto",
        "as the file's dates say (month first if none tells)",
    ),
    (
        DateOrder::MonthFirst,
        "month-first",
        "month first (12/31/2011)",
    ),
    (DateOrder::DayFirst, "day-first", "day first (31/12/2011)"),
];

fn slot<'a>(guess: &'a mut ColumnGuess, field: &str) -> &'a mut Option<String> {
    match field {
        "customer" => &mut guess.customer,
        "item" => &mut guess.item,
        "quantity" => &mut guess.quantity,
        "unit_price" => &mut guess.unit_price,
        "timestamp" => &mut guess.timestamp,
        "invoice" => &mut guess.invoice,
        _ => &mut guess.description,
    }
}

/// The mapping form, shown only while a header waits to be mapped.
#[component]
pub fn Mapping() -> impl IntoView {
    let studio = expect_context::<Studio>();
    move || {
        studio.mapping.get().map(|PendingMapping { file, header, guess }| {
            let chosen = RwSignal::new(guess);
            let rows = FIELDS
                .into_iter()
                .map(|(field, label, required)| {
                    let header = header.clone();
                    let current = move || chosen.with(|guess| slot(&mut guess.clone(), field).clone());
                    view! {
                        <label class="mapping-row">
                            <span>{label}</span>
                            <select
                                data-testid=format!("studio-map-{field}")
                                on:change=move |event| {
                                    let value = event_target_value(&event);
                                    chosen.update(|guess| *slot(guess, field) = (!value.is_empty()).then_some(value));
                                }
                            >
                                <option value="" selected=move || current().is_none()>
                                    {if required { "— choose —" } else { "— none —" }}
                                </option>
                                {header.into_iter().map(|column| {
                                    let selected = {
                                        let column = column.clone();
                                        move || current().as_deref() == Some(column.as_str())
                                    };
                                    view! { <option value=column.clone() selected=selected>{column.clone()}</option> }
                                }).collect::<Vec<_>>()}
                            </select>
                        </label>
                    }
                })
                .collect::<Vec<_>>();
            let number_format = format_choice(
                "number-format",
                "Prices are written",
                NUMBER_FORMATS,
                move || chosen.with(|guess| guess.number_format),
                move |format| chosen.update(|guess| guess.number_format = format),
            );
            let date_order = format_choice(
                "date-order",
                "Slash dates are",
                DATE_ORDERS,
                move || chosen.with(|guess| guess.date_order),
                move |order| chosen.update(|guess| guess.date_order = order),
            );
            let complete = move || chosen.with(|guess| guess.to_column_map().is_some());
            view! {
                <section class="studio-step studio-mapping" data-testid="studio-mapping">
                    <h2>"Which column is which?"</h2>
                    <p>{format!("{file} is not in the Online Retail layout. Tell the studio where each field is; our guesses are filled in.")}</p>
                    <div class="mapping-grid">{rows}{number_format}{date_order}</div>
                    <button
                        type="button"
                        data-testid="studio-map-confirm"
                        disabled=move || !complete()
                        on:click=move |_| {
                            if let Some(columns) = chosen.with_untracked(ColumnGuess::to_column_map) {
                                studio.map_columns(columns);
                            }
                        }
                    >
                        "Read the file"
                    </button>
                </section>
            }
        })
    }
}

/// A select among `choices` (value, form value, label), showing `current` and calling `choose`.
fn format_choice<T: Copy + PartialEq + Send + Sync + 'static>(
    field: &'static str,
    label: &'static str,
    choices: &'static [(T, &'static str, &'static str)],
    current: impl Fn() -> T + Copy + Send + Sync + 'static,
    choose: impl Fn(T) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="mapping-row">
            <span>{label}</span>
            <select
                data-testid=format!("studio-map-{field}")
                on:change=move |event| {
                    let name = event_target_value(&event);
                    if let Some(&(value, _, _)) = choices.iter().find(|(_, known, _)| *known == name) {
                        choose(value);
                    }
                }
            >
                {choices.iter().map(|&(value, name, text)| view! {
                    <option value=name selected=move || current() == value>{text}</option>
                }).collect::<Vec<_>>()}
            </select>
        </label>
    }
}
