//! Step 1b: for an export that is not Online Retail, which column holds what, and how its prices
//! and slash dates are written. The worker's guess is preselected (for the formats: worked out
//! from the values, refusing what reads two ways); the marketer confirms or corrects it.

use aisle_core::input::fields::{DateOrder, NumberFormat};
use aisle_core::studio::columns::ColumnGuess;
use leptos::prelude::*;

use crate::page::{PendingMapping, Studio};
use crate::texts::Texts;

/// The fields to map, and whether each is required.
const FIELDS: [(&str, bool); 7] = [
    ("customer", true),
    ("item", true),
    ("quantity", true),
    ("unit_price", true),
    ("timestamp", true),
    ("invoice", true),
    ("description", false),
];

/// A field's name for the marketer.
fn field_label(texts: Texts, field: &str) -> String {
    match field {
        "customer" => texts.t("mapping.customer"),
        "item" => texts.t("mapping.item"),
        "quantity" => texts.t("mapping.quantity"),
        "unit_price" => texts.t("mapping.unit-price"),
        "timestamp" => texts.t("mapping.timestamp"),
        "invoice" => texts.t("mapping.invoice"),
        _ => texts.t("mapping.description"),
    }
}

/// How prices may be written: value and form value.
const NUMBER_FORMATS: &[(NumberFormat, &str)] = &[
    (NumberFormat::Auto, "auto"),
    (NumberFormat::DecimalPoint, "decimal-point"),
    (NumberFormat::DecimalComma, "decimal-comma"),
];

fn number_format_label(texts: Texts, format: NumberFormat) -> String {
    match format {
        NumberFormat::Auto => texts.t("mapping.prices-auto"),
        NumberFormat::DecimalPoint => texts.t("mapping.prices-point"),
        NumberFormat::DecimalComma => texts.t("mapping.prices-comma"),
    }
}

/// How slash dates may be written: value and form value.
const DATE_ORDERS: &[(DateOrder, &str)] = &[
    (DateOrder::Auto, "auto"),
    (DateOrder::MonthFirst, "month-first"),
    (DateOrder::DayFirst, "day-first"),
];

fn date_order_label(texts: Texts, order: DateOrder) -> String {
    match order {
        DateOrder::Auto => texts.t("mapping.dates-auto"),
        DateOrder::MonthFirst => texts.t("mapping.dates-month-first"),
        DateOrder::DayFirst => texts.t("mapping.dates-day-first"),
    }
}

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
    let texts = expect_context::<Texts>();
    move || {
        texts.tag();
        studio.mapping.get().map(|PendingMapping { file, header, guess }| {
            let chosen = RwSignal::new(guess);
            let rows = FIELDS
                .into_iter()
                .map(|(field, required)| {
                    let header = header.clone();
                    let current = move || chosen.with(|guess| slot(&mut guess.clone(), field).clone());
                    view! {
                        <label class="mapping-row">
                            <span>{field_label(texts, field)}</span>
                            <select
                                data-testid=format!("studio-map-{field}")
                                on:change=move |event| {
                                    let value = event_target_value(&event);
                                    chosen.update(|guess| *slot(guess, field) = (!value.is_empty()).then_some(value));
                                }
                            >
                                <option value="" selected=move || current().is_none()>
                                    {if required { texts.t("mapping.choose") } else { texts.t("mapping.none") }}
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
                texts.t("mapping.prices"),
                NUMBER_FORMATS,
                move |format| number_format_label(texts, format),
                move || chosen.with(|guess| guess.number_format),
                move |format| chosen.update(|guess| guess.number_format = format),
            );
            let date_order = format_choice(
                "date-order",
                texts.t("mapping.dates"),
                DATE_ORDERS,
                move |order| date_order_label(texts, order),
                move || chosen.with(|guess| guess.date_order),
                move |order| chosen.update(|guess| guess.date_order = order),
            );
            let complete = move || chosen.with(|guess| guess.to_column_map().is_some());
            view! {
                <section class="studio-step studio-mapping" data-testid="studio-mapping">
                    <h2>{texts.t("mapping.heading")}</h2>
                    <p>{texts.fill("mapping.explain", &[("file", &file)])}</p>
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
                        {texts.t("mapping.confirm")}
                    </button>
                </section>
            }
        })
    }
}

/// A select among `choices` (value, form value), each named by `name`, showing `current` and
/// calling `choose`.
fn format_choice<T: Copy + PartialEq + Send + Sync + 'static>(
    field: &'static str,
    label: String,
    choices: &'static [(T, &'static str)],
    name: impl Fn(T) -> String,
    current: impl Fn() -> T + Copy + Send + Sync + 'static,
    choose: impl Fn(T) + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <label class="mapping-row">
            <span>{label}</span>
            <select
                data-testid=format!("studio-map-{field}")
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    if let Some(&(value, _)) = choices.iter().find(|(_, known)| *known == chosen) {
                        choose(value);
                    }
                }
            >
                {choices.iter().map(|&(value, form_value)| view! {
                    <option value=form_value selected=move || current() == value>{name(value)}</option>
                }).collect::<Vec<_>>()}
            </select>
        </label>
    }
}
