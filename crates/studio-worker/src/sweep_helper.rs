//! The second worker that the studio's worker shares its k sweep with
//! ([`aisle_core::segmentation::sweep`]): this same module, started again from inside the
//! worker under the name [`HELPER_NAME`], which answers each share's bytes with its scores'
//! bytes. Nine k's take most of the segments step; on two cores, two workers sweep them in a
//! little over half the time.
//!
//! A page's workers share no memory unless the host sends cross-origin isolation headers, which
//! a static host may not, so the share (the scaled customers, a few hundred kilobytes for the
//! demo store's) is copied over, and the helper draws its own silhouette sample, in the time
//! the worker draws its own. One helper only: a third worker would shorten the sweep by about a
//! tenth of the step, and hold another 16 MB sample and another copy of the wasm.
//!
//! Cancelling terminates the studio's worker, which terminates its helper. A helper that cannot
//! start (a browser without workers in workers) or that fails leaves its share to be swept by
//! the worker itself.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;

use aisle_core::segmentation::sweep::{KScore, SweepShare, scores_from_bytes, scores_to_bytes};
use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, Event, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The name the helper is started under, by which it knows it is one.
pub const HELPER_NAME: &str = "aisle-sweep-helper";

/// The studio worker's end of its helper.
pub struct SweepHelper {
    worker: Worker,
    /// What the helper has not been sent yet: everything until it says it is ready, since a
    /// module worker may take messages before its module has set its handler, and lose them.
    held: Rc<RefCell<Option<Vec<Uint8Array>>>>,
    /// The answers awaited, oldest first (the helper answers in order): each promise's resolve
    /// and reject.
    awaited: Rc<RefCell<VecDeque<(Function, Function)>>>,
    /// Set once the helper has failed: its shares are then swept here.
    failed: Rc<Cell<bool>>,
    // Kept alive as long as the helper: the browser calls them.
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

impl SweepHelper {
    /// Starts the helper from the module this worker runs; `None` where the browser cannot.
    pub fn start(scope: &DedicatedWorkerGlobalScope) -> Option<Self> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        options.set_name(HELPER_NAME);
        let worker = Worker::new_with_options(&scope.location().href(), &options).ok()?;
        let held = Rc::new(RefCell::new(Some(Vec::new())));
        let awaited: Rc<RefCell<VecDeque<(Function, Function)>>> = Rc::default();
        let failed = Rc::new(Cell::new(false));
        let on_message = Closure::<dyn Fn(MessageEvent)>::new({
            let (held, awaited, worker) = (Rc::clone(&held), Rc::clone(&awaited), worker.clone());
            move |event: MessageEvent| {
                // The first message says the helper is ready; the others answer shares.
                let ready = held.borrow_mut().take();
                if let Some(shares) = ready {
                    for share in shares {
                        post_bytes(&worker, &share);
                    }
                } else if let Some((resolve, _)) = awaited.borrow_mut().pop_front() {
                    let _ = resolve.call1(&JsValue::NULL, &event.data());
                }
            }
        });
        let on_error = Closure::<dyn Fn(Event)>::new({
            let (awaited, failed, worker) =
                (Rc::clone(&awaited), Rc::clone(&failed), worker.clone());
            move |_| {
                failed.set(true);
                worker.terminate();
                for (_, reject) in awaited.borrow_mut().drain(..) {
                    let _ = reject.call0(&JsValue::NULL);
                }
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Self {
            worker,
            held,
            awaited,
            failed,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Posts `share` to the helper (or holds it until the helper is ready), and gives its
    /// scores to await; an error says the share is to be swept here.
    pub fn sweep(&self, share: &SweepShare) -> impl Future<Output = Result<Vec<KScore>, String>> {
        let promise = Promise::new(&mut |resolve, reject| {
            if self.failed.get() {
                let _ = reject.call0(&JsValue::NULL);
            } else {
                self.awaited.borrow_mut().push_back((resolve, reject));
            }
        });
        if !self.failed.get() {
            let bytes = Uint8Array::from(&share.to_bytes()[..]);
            match self.held.borrow_mut().as_mut() {
                Some(held) => held.push(bytes),
                None => post_bytes(&self.worker, &bytes),
            }
        }
        async move {
            let answer = JsFuture::from(promise)
                .await
                .map_err(|_| "the sweep helper failed".to_owned())?;
            scores_from_bytes(&Uint8Array::new(&answer).to_vec()).map_err(|error| error.to_string())
        }
    }
}

/// Posts `bytes` to `worker`, handing their memory over rather than copying it. Posting bytes
/// cannot fail; a helper that has stopped answers with an error event.
fn post_bytes(worker: &Worker, bytes: &Uint8Array) {
    let _ = worker.post_message_with_transfer(bytes, &Array::of1(&bytes.buffer()));
}

/// Makes this worker a helper: each message is a share's bytes, answered with its scores'.
/// It says it is ready first.
pub fn serve(scope: &DedicatedWorkerGlobalScope) {
    let on_message = Closure::<dyn Fn(MessageEvent)>::new({
        let scope = scope.clone();
        move |event: MessageEvent| {
            let bytes = Uint8Array::new(&event.data()).to_vec();
            let scores = SweepShare::from_bytes(&bytes)
                .and_then(|share| share.sweep())
                .map_err(|error| error.to_string());
            let answer = Uint8Array::from(&scores_to_bytes(&scores)[..]);
            // Posting to the worker that started this one cannot fail.
            let _ = scope.post_message_with_transfer(&answer, &Array::of1(&answer.buffer()));
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the helper.
    on_message.forget();
    let _ = scope.post_message(&JsValue::TRUE);
}
