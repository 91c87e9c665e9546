//! The studio page: a marketer's order file, segmented in their browser. Every computation is
//! aisle-core's studio, run in a Web Worker ([`crate::client`]); this page keeps the marketer's
//! choices, sends them, and shows the replies step by step: file, column mapping, cleaning
//! report, features, choosing k, segments, export.

use aisle_core::input::missing::MissingValues;
use aisle_core::input::orders::ColumnMap;
use aisle_core::segmentation::segments::SegmentRequest;
use aisle_core::studio::columns::ColumnGuess;
use aisle_core::studio::segmenting::StudioSegments;
use aisle_core::studio::session::{Reply, Request};
use aisle_core::studio::texts::STUDIO_LANGUAGES;
use aisle_core::studio::{CleaningSummary, FeatureSummary, Progress, Stage};
use leptos::prelude::*;
use web_sys::File;

use crate::client::StudioClient;
use crate::demo_orders::fetch_demo_orders;
use crate::texts::Texts;
use crate::{cleaning, export, features, file_step, k_chart, mapping, scatter, segment_card};
use aisle_browser::download::save_file;

/// A header waiting for the marketer to say which column holds what.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMapping {
    /// The file whose header it is.
    pub file: String,
    /// Its columns.
    pub header: Vec<String>,
    /// The proposed mapping.
    pub guess: ColumnGuess,
}

/// The studio's state and the one way to change it: through requests to the worker.
#[derive(Clone, Copy)]
pub struct Studio {
    client: StoredValue<Option<StudioClient>, LocalStorage>,
    files: StoredValue<Vec<File>, LocalStorage>,
    /// What the worker is doing, while it is busy.
    pub busy: RwSignal<Option<Progress>>,
    /// The last failure, for a person.
    pub error: RwSignal<Option<String>>,
    /// A header to map, when the file is not Online Retail.
    pub mapping: RwSignal<Option<PendingMapping>>,
    columns: RwSignal<Option<ColumnMap>>,
    /// How blanks are filled.
    pub missing: RwSignal<MissingValues>,
    /// The cleaning report, once loaded.
    pub cleaning: RwSignal<Option<CleaningSummary>>,
    /// The features with their distributions, once loaded.
    pub features: RwSignal<Vec<FeatureSummary>>,
    /// The marketer's segmentation choices.
    pub request: RwSignal<SegmentRequest>,
    /// The segments, once computed.
    pub segments: RwSignal<Option<StudioSegments>>,
    /// The copy template variant shown for each segment.
    pub variants: RwSignal<Vec<usize>>,
    /// Names of the files loaded.
    pub file_names: RwSignal<Vec<String>>,
    /// The demo store's orders are downloading.
    pub fetching_demo: RwSignal<bool>,
    texts: Texts,
}

impl Studio {
    fn new(texts: Texts) -> Self {
        let studio = Self {
            client: StoredValue::new_local(None),
            files: StoredValue::new_local(Vec::new()),
            busy: RwSignal::new(None),
            error: RwSignal::new(None),
            mapping: RwSignal::new(None),
            columns: RwSignal::new(None),
            missing: RwSignal::new(MissingValues::default()),
            cleaning: RwSignal::new(None),
            features: RwSignal::new(Vec::new()),
            request: RwSignal::new(SegmentRequest::default()),
            segments: RwSignal::new(None),
            variants: RwSignal::new(Vec::new()),
            file_names: RwSignal::new(Vec::new()),
            fetching_demo: RwSignal::new(false),
            texts,
        };
        let client = StudioClient::new(move |reply| studio.receive(reply));
        studio.client.set_value(Some(client));
        studio
    }

    fn send(self, request: Request) {
        self.error.set(None);
        self.busy.set(Some(Progress::new(Stage::Starting, 0.0)));
        if let Some(client) = self.client.get_value() {
            self.files.with_value(|files| client.send(&request, files));
        }
    }

    fn receive(self, reply: Reply) {
        match reply {
            Reply::Ready => {}
            Reply::Progress(progress) => self.busy.set(Some(progress)),
            Reply::NeedsMapping {
                file,
                header,
                guess,
            } => {
                self.busy.set(None);
                self.mapping.set(Some(PendingMapping {
                    file,
                    header,
                    guess,
                }));
            }
            Reply::Loaded { cleaning, features } => {
                self.cleaning.set(Some(*cleaning));
                self.features.set(features);
                self.send(Request::Segment(self.request.get_untracked()));
            }
            Reply::Segmented(segments) => {
                self.busy.set(None);
                self.variants.set(vec![0; segments.segments.len()]);
                self.segments.set(Some(*segments));
            }
            Reply::CustomersCsv { text } => {
                self.busy.set(None);
                self.saved(save_file(&text, "aisle-customers.csv", "text/csv"));
            }
            Reply::Failed { message } => {
                self.busy.set(None);
                self.error.set(Some(message));
            }
        }
    }

    /// Starts over on `files`: their header decides whether a mapping step comes first.
    pub fn open(self, files: Vec<File>) {
        if files.is_empty() {
            return;
        }
        self.file_names.set(files.iter().map(File::name).collect());
        self.files.set_value(files);
        self.columns.set(None);
        self.mapping.set(None);
        self.cleaning.set(None);
        self.features.set(Vec::new());
        self.segments.set(None);
        self.load();
    }

    /// Starts over on the demo store's orders, downloaded from the studio's own site.
    pub fn open_demo_orders(self) {
        if self.fetching_demo.get_untracked() {
            return;
        }
        self.fetching_demo.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let fetched = fetch_demo_orders().await;
            self.fetching_demo.set(false);
            match fetched {
                Ok(files) => self.open(files),
                Err(message) => self.error.set(Some(message)),
            }
        });
    }

    /// Reads the files with the current mapping and missing-value choices.
    fn load(self) {
        self.send(Request::Load {
            columns: self.columns.get_untracked(),
            missing: self.missing.get_untracked(),
        });
    }

    /// The marketer confirmed a mapping.
    pub fn map_columns(self, columns: ColumnMap) {
        self.mapping.set(None);
        self.columns.set(Some(columns));
        self.load();
    }

    /// The marketer changed how blanks are filled: read again.
    pub fn set_missing(self, missing: MissingValues) {
        self.missing.set(missing);
        self.load();
    }

    /// The marketer changed features or scaling: segment again, with k suggested afresh.
    pub fn change_request(self, change: impl FnOnce(&mut SegmentRequest)) {
        self.request.update(|request| {
            change(request);
            request.k = None;
        });
        self.send(Request::Segment(self.request.get_untracked()));
    }

    /// The marketer picked `k`.
    pub fn choose_k(self, k: usize) {
        self.request.update(|request| request.k = Some(k));
        self.send(Request::Segment(self.request.get_untracked()));
    }

    /// Asks the worker for the customers CSV (it holds every customer's segment).
    pub fn export_customers(self) {
        self.send(Request::ExportCustomers);
    }

    /// Shows why a file could not be saved, if it could not.
    pub fn saved(self, outcome: Result<(), String>) {
        if let Err(message) = outcome {
            self.error.set(Some(message));
        }
    }

    /// Stops the worker; its data is gone with it, so the studio starts over.
    pub fn cancel(self) {
        if let Some(client) = self.client.get_value() {
            client.cancel();
        }
        self.busy.set(None);
        self.cleaning.set(None);
        self.features.set(Vec::new());
        self.segments.set(None);
        self.mapping.set(None);
        self.error.set(Some(self.texts.t("studio.cancelled")));
    }
}

/// The studio page.
#[component]
pub fn StudioPage() -> impl IntoView {
    let texts = Texts::new();
    provide_context(texts);
    let studio = Studio::new(texts);
    provide_context(studio);
    view! {
        <header class="masthead">
            <a class="brand" href="../">"Aisle"<span>" "{move || texts.t("studio.brand")}</span></a>
            <nav class="nav">
                <a href="../" data-testid="store-link">{move || texts.t("studio.store-link")}</a>
                <LanguagePicker />
            </nav>
        </header>
        <main class="studio" data-testid="studio">
            <h1>{move || texts.t("studio.title")}</h1>
            <p class="lede">{move || texts.t("studio.lede")}</p>
            <file_step::FileStep />
            {move || studio.error.get().map(|message| view! {
                <p class="studio-error" role="alert" data-testid="studio-error">{message}</p>
            })}
            <mapping::Mapping />
            <cleaning::Cleaning />
            <features::Features />
            <k_chart::KChart />
            <scatter::Scatter />
            <segment_card::SegmentCards />
            <export::Export />
        </main>
    }
}

/// The languages the studio speaks, each named in itself.
#[component]
fn LanguagePicker() -> impl IntoView {
    let texts = expect_context::<Texts>();
    let options = Texts::offered()
        .into_iter()
        .map(|(tag, name)| {
            view! { <option value=tag lang=tag selected=move || texts.tag() == tag>{name}</option> }
        })
        .collect::<Vec<_>>();
    view! {
        <label class="locale">
            <span class="visually-hidden">{move || texts.t("studio.language")}</span>
            <select
                data-testid="studio-locale"
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    if let Some(&tag) = STUDIO_LANGUAGES.iter().find(|tag| **tag == chosen) {
                        texts.choose(tag);
                    }
                }
            >
                {options}
            </select>
        </label>
    }
}
