//! Step 1: pick or drop the order file(s), and follow the worker's progress with a way to cancel.

use leptos::ev::DragEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, FileList, HtmlInputElement};

use crate::page::Studio;
use crate::texts::Texts;

fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.get(index))
        .collect()
}

/// The file picker, drop zone and progress indicator.
#[component]
pub fn FileStep() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let texts = expect_context::<Texts>();
    let dragging = RwSignal::new(false);
    let on_pick = move |event: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        studio.open(files_of(input.files()));
        // Picking the same file again must fire `change` again.
        input.set_value("");
    };
    let on_drop = move |event: DragEvent| {
        event.prevent_default();
        dragging.set(false);
        studio.open(files_of(
            event.data_transfer().and_then(|data| data.files()),
        ));
    };
    let progress = move || {
        studio.busy.get().map(|progress| {
            let percent = (progress.done * 100.0).round();
            view! {
                <div class="studio-progress" role="status" data-testid="studio-progress">
                    <span data-testid="studio-stage">{texts.with(|words| progress.stage.describe(words))}</span>
                    <progress max="100" value=percent>{texts.percent(progress.done)}</progress>
                    <button type="button" data-testid="studio-cancel" on:click=move |_| studio.cancel()>{texts.t("file.cancel")}</button>
                </div>
            }
        })
    };
    view! {
        <div
            class="studio-file"
            class:dragging=move || dragging.get()
            data-testid="studio-file"
            on:dragover=move |event: DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h2>{move || texts.t("file.heading")}</h2>
            <p>{move || texts.t("file.explain")}</p>
            <label class="file-button">
                {move || texts.t("file.choose")}
                <input
                    type="file"
                    multiple
                    accept=".csv,.gz,.txt,text/csv,application/gzip"
                    data-testid="studio-file-input"
                    on:change=on_pick
                />
            </label>
            <span class="drop-hint">" "{move || texts.t("file.drop")}" "</span>
            <button
                type="button"
                data-testid="studio-demo-orders"
                disabled=move || studio.fetching_demo.get() || studio.busy.get().is_some()
                on:click=move |_| studio.open_demo_orders()
            >
                {move || texts.t("file.demo")}
            </button>
            {move || studio.fetching_demo.get().then(|| view! {
                <p class="studio-progress" role="status" data-testid="studio-demo-fetching">
                    {texts.t("file.demo-fetching")}
                </p>
            })}
            {move || {
                let names = studio.file_names.get();
                (!names.is_empty()).then(|| view! { <p class="file-names" data-testid="studio-file-names">{names.join(", ")}</p> })
            }}
            {progress}
        </div>
    }
}

/// The element an event was fired on, as `T`.
fn event_target<T: JsCast>(event: &leptos::ev::Event) -> T {
    event
        .target()
        .expect("a change event has a target")
        .unchecked_into()
}
