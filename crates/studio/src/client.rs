//! The page's end of the studio worker: starts it, sends it requests with the marketer's files,
//! and hands each reply to the page. Cancelling terminates the worker mid-request (a busy
//! worker cannot read a "stop" message) and starts a fresh one.

use aisle_core::studio::session::{Reply, Request};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{File, MessageEvent, Worker, WorkerOptions, WorkerType};

/// The worker's module, written by trunk next to index.html (see the worker `link` there).
const WORKER_SCRIPT: &str = "./aisle-studio-worker_loader.js";

/// The same worker built with wasm SIMD (scripts/build-simd-worker): faster on the demo log
/// (`scripts/bench` times both; docs/benchmarks.md gives the ratio).
const SIMD_WORKER_SCRIPT: &str = "./simd128/loader.js";

/// The smallest module that uses a SIMD instruction (a function returning
/// `i8x16.popcnt(i8x16.splat(0))`): a browser validates it only if it runs wasm SIMD.
const SIMD_PROBE: [u8; 31] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
    0x02, 0x01, 0x00, 0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b,
];

/// The worker this browser can run fastest.
fn worker_script() -> &'static str {
    let probe = js_sys::Uint8Array::from(&SIMD_PROBE[..]);
    if js_sys::WebAssembly::validate(&probe).unwrap_or(false) {
        SIMD_WORKER_SCRIPT
    } else {
        WORKER_SCRIPT
    }
}

/// A running worker and what it was not yet ready to take.
struct Running {
    worker: Worker,
    /// Its module, one of the two above.
    script: &'static str,
    ready: bool,
    waiting: Vec<JsValue>,
    // Kept alive as long as the worker: the browser calls it for every reply.
    _on_message: Closure<dyn Fn(MessageEvent)>,
}

/// The studio's worker, behind a handle that is `Copy` for closures.
#[derive(Clone, Copy)]
pub struct StudioClient {
    running: StoredValue<Option<Running>, LocalStorage>,
    on_reply: StoredValue<Box<dyn Fn(Reply)>, LocalStorage>,
}

impl StudioClient {
    /// A client whose replies go to `on_reply`. The worker starts at once, so that fetching and
    /// compiling its wasm overlaps the marketer choosing a file (started by the first request,
    /// it took 0.26 to 0.41 s of the demo file's pipeline); if it cannot start, the first
    /// request tries again and says why.
    pub fn new(on_reply: impl Fn(Reply) + 'static) -> Self {
        let client = Self {
            running: StoredValue::new_local(None),
            on_reply: StoredValue::new_local(Box::new(on_reply)),
        };
        // A failure here is reported by the first request, which starts the worker again.
        let _ = client.start();
        client
    }

    /// Sends `request` with `files` (only read by a load request).
    pub fn send(self, request: &Request, files: &[File]) {
        let message = match Self::message(request, files) {
            Ok(message) => message,
            Err(error) => return self.reply(Reply::Failed { message: error }),
        };
        if self.running.with_value(Option::is_none)
            && let Err(error) = self.start()
        {
            return self.reply(Reply::Failed { message: error });
        }
        let mut failed = None;
        self.running.update_value(|running| {
            let Some(running) = running else { return };
            if running.ready {
                if let Err(error) = running.worker.post_message(&message) {
                    failed = Some(format!("the studio worker refused the request: {error:?}"));
                }
            } else {
                running.waiting.push(message);
            }
        });
        if let Some(message) = failed {
            self.reply(Reply::Failed { message });
        }
    }

    /// Stops whatever the worker is doing and starts a fresh one for the next request.
    pub fn cancel(self) {
        self.stop();
        // As in `new`: a failure is reported by the next request.
        let _ = self.start();
    }

    /// Stops the worker; the next request starts another.
    fn stop(self) {
        self.running.update_value(|running| {
            if let Some(running) = running.take() {
                running.worker.terminate();
            }
        });
    }

    fn reply(self, reply: Reply) {
        self.on_reply.with_value(|on_reply| on_reply(reply));
    }

    fn message(request: &Request, files: &[File]) -> Result<JsValue, String> {
        let json = serde_json::to_string(request)
            .map_err(|error| format!("cannot encode the request: {error}"))?;
        let message = js_sys::Object::new();
        let files: js_sys::Array = files.iter().collect();
        js_sys::Reflect::set(&message, &"request".into(), &json.into())
            .and_then(|_| js_sys::Reflect::set(&message, &"files".into(), &files))
            .map_err(|error| format!("cannot build the request: {error:?}"))?;
        Ok(message.into())
    }

    fn start(self) -> Result<(), String> {
        self.start_with(worker_script())
    }

    fn start_with(self, script: &'static str) -> Result<(), String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(script, &options)
            .map_err(|error| format!("the studio worker could not start: {error:?}"))?;
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let reply = event
                .data()
                .as_string()
                .and_then(|json| serde_json::from_str::<Reply>(&json).ok())
                .unwrap_or_else(|| Reply::Failed {
                    message: "the studio worker sent an unreadable reply".into(),
                });
            if reply == Reply::Ready {
                self.running.update_value(|running| {
                    let Some(running) = running else { return };
                    running.ready = true;
                    for message in running.waiting.drain(..) {
                        let _ = running.worker.post_message(&message);
                    }
                });
            } else {
                self.reply(reply);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            // A SIMD worker that never became ready (its build is missing, as under `trunk
            // serve`) gives way to the plain one, which takes the requests it was holding.
            let held = self
                .running
                .try_update_value(|running| match running {
                    Some(running) if !running.ready && running.script == SIMD_WORKER_SCRIPT => {
                        Some(std::mem::take(&mut running.waiting))
                    }
                    _ => None,
                })
                .flatten();
            // Otherwise not restarted at once: a worker that cannot load would fail again and
            // again.
            self.stop();
            if let Some(held) = held
                && self.start_with(WORKER_SCRIPT).is_ok()
            {
                self.running.update_value(|running| {
                    if let Some(running) = running {
                        running.waiting = held;
                    }
                });
                return;
            }
            self.reply(Reply::Failed {
                message: "the studio worker stopped unexpectedly (out of memory?); choose the file to try again"
                    .into(),
            });
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // One per worker, which lives as long as the page or until cancelled.
        on_error.forget();
        self.running.set_value(Some(Running {
            worker,
            script,
            ready: false,
            waiting: Vec::new(),
            _on_message: on_message,
        }));
        Ok(())
    }
}
