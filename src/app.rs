//! The storefront shell: restores the shopper, loads the bundle, and shows the page the URL's
//! hash names.

use leptos::ev;
use leptos::prelude::*;

use crate::components::header::Header;
use crate::deploy::{Deploys, Texts, use_model, use_texts};
use crate::focus::{PageName, focus_main_heading, land_on_page};
use crate::measuring::{keep_an_arm, send_due_report};
use crate::pages::{
    cart::CartPage, home::HomePage, not_found::NotFound, privacy::PrivacyPage,
    product::ProductPage, search::SearchPage,
};
use crate::route::Route;
use crate::shopper::{Notice, Shopper};
use aisle_browser::bundle_loader::{LoadedModel, Parts, load_model, load_model_downloading};
use wasm_bindgen::JsCast;

/// The bundle's directory, relative to the page so the store works under any sub-path: its
/// manifest and the product photos are found there.
pub const BUNDLE_DIR: &str = "bundle/";
/// The bundle's manifest, in `BUNDLE_DIR`.
const BUNDLE_MANIFEST: &str = "bundle/manifest.json";

/// The whole storefront.
#[component]
pub fn App() -> impl IntoView {
    // The shopper's profile is on this device and needs no model: it is restored while the
    // bundle downloads, and the shop shows once both are ready.
    let shopper = Shopper::new();
    provide_context(shopper);
    let texts = Texts::new();
    provide_context(texts);
    let restored = LocalResource::new(move || shopper.restore());
    let route = RwSignal::new(current_route());
    let listener = window_event_listener(ev::hashchange, move |_| {
        route.set(current_route());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    on_cleanup(move || listener.remove());

    let model = LocalResource::new(|| async {
        match manifest_downloading() {
            Some(downloading) => {
                load_model_downloading(BUNDLE_MANIFEST, downloading, Parts::FirstPage).await
            }
            None => load_model(BUNDLE_MANIFEST, Parts::FirstPage).await,
        }
    });
    let failed = move |errors: ArcRwSignal<Errors>| {
        view! {
            <section class="load-error" data-testid="load-error" role="alert">
                <h1>{texts.t("store.load-failed")}</h1>
                <ul>
                    {move || errors.get().into_iter().map(|(_, error)| view! { <li>{error.to_string()}</li> }).collect::<Vec<_>>()}
                </ul>
                <p>{texts.t("store.reload")}</p>
            </section>
        }
    };
    view! {
        <nav aria-label=move || texts.t("store.skip-links")>
            <a class="skip-link" href="#/" on:click=|event| {
                event.prevent_default();
                focus_main_heading();
            }>{move || texts.t("store.skip")}</a>
        </nav>
        <Header route />
        <main>
            {move || shopper.notice.get().map(|notice| {
                let notice = match notice {
                    Notice::Problem(problem) | Notice::SaveFailed(problem) => problem,
                    Notice::SetAside(reason) => texts.fill("store.notice-unreadable", &[("error", &reason)]),
                };
                view! { <p class="notice" role="status" data-testid="notice">{notice}</p> }
            })}
            <Transition fallback=move || view! { <p class="loading" data-testid="loading" role="status">{texts.t("store.loading")}</p> }>
                <ErrorBoundary fallback=failed>
                    {move || Suspend::new(async move {
                        restored.await;
                        model.await.map(|loaded| {
                            texts.speak(loaded.model.clone());
                            view! { <Shop loaded route /> }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </main>
        <footer class="footer">
            <p>{move || texts.t("store.footer-privacy")}</p>
            {move || {
                let credit = texts.credit();
                (!credit.is_empty()).then(|| view! { <p data-testid="credit">{credit}</p> })
            }}
        </footer>
    }
}

/// The start-up script's request for the bundle's manifest (`www/preload-bundle.js`), taken once:
/// a later load asks the server itself.
fn manifest_downloading() -> Option<js_sys::Promise> {
    let window = window();
    let key = wasm_bindgen::JsValue::from_str("aisleManifest");
    let promise = js_sys::Reflect::get(&window, &key).ok()?.dyn_into().ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    Some(promise)
}

/// The page the route names, once the model is loaded, rendered with the shop's newest bundle
/// as of the navigation that led to it.
#[component]
fn Shop(loaded: LoadedModel, route: RwSignal<Route>) -> impl IntoView {
    let skipped = RwSignal::new(loaded.skipped.clone());
    let unused_extras = loaded.unused_extras.clone();
    let deploys = Deploys::start(loaded, BUNDLE_MANIFEST, skipped);
    provide_context(deploys);
    deploys.finish_loading();
    let shopper = expect_context::<Shopper>();
    keep_an_arm(shopper);
    send_due_report(shopper);
    let texts = use_texts();
    // The site's name, as the page was served with it, ends every page's title.
    let site = document().title();
    Effect::new(move |previous: Option<()>| {
        let page = match route.get() {
            Route::Home => PageName::Site,
            Route::Category(name) => PageName::Named(name),
            _ => PageName::Heading,
        };
        // The first page is where the shopper arrived: the browser placed focus already.
        land_on_page(site.clone(), page, previous.is_some());
    });
    let page = move || {
        let route = route.get();
        deploys.at_navigation(&shopper);
        texts.speak(use_model());
        // Another locale picked in the masthead renders the page again, prices included.
        texts.locale_tag();
        match route {
            Route::Home => view! { <HomePage /> }.into_any(),
            Route::Category(name) => view! { <HomePage category=name /> }.into_any(),
            Route::Product(id) => view! { <ProductPage id /> }.into_any(),
            Route::Search(query) => view! { <SearchPage query /> }.into_any(),
            Route::Cart => view! { <CartPage /> }.into_any(),
            Route::Privacy => view! { <PrivacyPage /> }.into_any(),
            Route::NotFound(hash) => {
                let what = texts.fill("not-found.page", &[("page", &hash)]);
                view! { <NotFound what /> }.into_any()
            }
        }
    };
    // Shards this shopper's history needs are still on their way. Shown over the page, not in
    // it, so its coming and going moves nothing the shopper is reading or about to click.
    let personalising = move || {
        shopper
            .with_profile(|profile| deploys.waits_for_parts(&use_model(), profile))
            .then(|| view! { <p class="personalising" role="status" data-testid="personalising">{texts.t("store.personalising")}</p> })
    };
    view! {
        {move || view! { <Unusable faults=skipped.get() notice="store.unpersonalised" testid="unpersonalised" /> }}
        {personalising}
        <Unusable faults=unused_extras notice="store.extras-unused" testid="extras-unused" />
        {page}
    }
}

/// Says plainly what part of the shop's bundle failed its checks, what that means (`notice`:
/// recommendations are not personal, or texts and photos fall back) and why. Nothing when all
/// is well.
#[component]
fn Unusable(faults: Vec<String>, notice: &'static str, testid: &'static str) -> impl IntoView {
    let texts = use_texts();
    (!faults.is_empty()).then(|| {
        view! {
            <section class="notice" role="alert" data-testid=testid>
                <p>{texts.t(notice)}</p>
                <ul>{faults.into_iter().map(|why| view! { <li>{why}</li> }).collect::<Vec<_>>()}</ul>
            </section>
        }
    })
}

fn current_route() -> Route {
    Route::from_hash(&window().location().hash().unwrap_or_default())
}
