//! The segmentation studio's Web Worker. The page posts `{ request, files }` (a JSON
//! [`Request`] and the marketer's `File`s); the worker answers with JSON [`Reply`]s: progress,
//! then a result or a failure. All the work is aisle-core's [`Session`]; this crate only reads
//! browser files and carries messages. Requests are handled one at a time, in the order they
//! come.
//!
//! On starting, the worker runs the whole pipeline once on a small made-up file (`warm_up`),
//! so that the marketer's file runs in the browser's optimised code.
//!
//! A load first reads its files whole into the worker's JavaScript memory, with the browser's
//! asynchronous `Blob.arrayBuffer()`, and the pipeline then reads them synchronously from there,
//! one slice at a time, so the wasm memory holds one slice of the file, never all of it, and the
//! JavaScript copy is let go once the load is done. Chromium's synchronous `FileReaderSync`
//! reads a file in slices at about half the speed, which on a large file is a good part of the
//! whole load. It reads the files too large to be held whole (`WHOLE_READ_LIMIT` together),
//! and any the browser fails to read whole, whose reading slice by slice then says what is wrong
//! with them. A file whose columns need mapping is answered from its header alone, before
//! anything is read whole. Cancelling is the page terminating this worker and starting a new
//! one.
//!
//! Where the browser has a second core, the worker starts a helper, this module again, and
//! shares each segments request's k sweep with it (`sweep_helper`).

mod sweep_helper;
mod warm_up;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::Read;
use std::rc::Rc;

use aisle_core::segmentation::segments::SegmentRequest;
use aisle_core::studio::session::{Files, Reply, Request, Session};
use aisle_core::studio::{Progress, Stage};
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

use sweep_helper::{HELPER_NAME, SweepHelper};

/// Bytes the pipeline takes from a file at a time: large enough that the per-slice overhead
/// vanishes, small enough to keep the wasm memory flat.
const SLICE_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// The first slice's bytes, doubled slice after slice up to [`SLICE_BYTES`]: checking a header
/// reads this much only.
const FIRST_SLICE_BYTES: f64 = 64.0 * 1024.0;

/// The most bytes a load's files may have together to be read whole first (see the module's
/// doc): a copy of them is held in JavaScript memory while the pipeline reads them.
const WHOLE_READ_LIMIT: f64 = 512.0 * 1024.0 * 1024.0;

/// The marketer's files, as [`Files`], with what was read of them whole.
struct BrowserFiles {
    files: Vec<File>,
    /// Each file's bytes, once read whole; `None` where they are read slice by slice.
    contents: Vec<Option<ArrayBuffer>>,
}

impl BrowserFiles {
    fn new(files: Vec<File>) -> Self {
        let contents = vec![None; files.len()];
        Self { files, contents }
    }

    /// Reads every file whole, when together they are within [`WHOLE_READ_LIMIT`]; a file the
    /// browser fails to read whole is read slice by slice instead.
    async fn read_whole(&mut self) {
        let total: f64 = self.files.iter().map(|file| file.size()).sum();
        if total > WHOLE_READ_LIMIT {
            return;
        }
        for (file, content) in self.files.iter().zip(&mut self.contents) {
            *content = JsFuture::from(file.array_buffer())
                .await
                .ok()
                .and_then(|bytes| bytes.dyn_into().ok());
        }
    }
}

impl Files for BrowserFiles {
    fn names(&self) -> Vec<String> {
        self.files.iter().map(File::name).collect()
    }

    fn size(&self, index: usize) -> u64 {
        self.files[index].size() as u64
    }

    fn open(&self, index: usize) -> Box<dyn Read + '_> {
        Box::new(FileSlices {
            file: &self.files[index],
            content: self.contents[index].as_ref(),
            offset: 0.0,
            slice_bytes: FIRST_SLICE_BYTES,
            buffer: Vec::new(),
            position: 0,
            reader: None,
        })
    }
}

/// A file read slice by slice, from its bytes read whole when there are, else from the file.
struct FileSlices<'a> {
    file: &'a File,
    content: Option<&'a ArrayBuffer>,
    offset: f64,
    /// The next slice's length.
    slice_bytes: f64,
    buffer: Vec<u8>,
    position: usize,
    reader: Option<FileReaderSync>,
}

impl FileSlices<'_> {
    /// The bytes to read: those read whole, which a file changed since it was chosen may make
    /// fewer than the file's size.
    fn size(&self) -> f64 {
        self.content.map_or_else(
            || self.file.size(),
            |content| f64::from(content.byte_length()),
        )
    }

    fn next_slice(&mut self) -> std::io::Result<()> {
        let end = (self.offset + self.slice_bytes).min(self.size());
        self.slice_bytes = (self.slice_bytes * 2.0).min(SLICE_BYTES);
        let slice = match self.content {
            // Within WHOLE_READ_LIMIT, so offsets fit in u32.
            Some(content) => Uint8Array::new_with_byte_offset_and_length(
                content,
                self.offset as u32,
                (end - self.offset) as u32,
            ),
            None => Uint8Array::new(self.read_from_file(end)?.as_ref()),
        };
        self.buffer.resize(slice.length() as usize, 0);
        slice.copy_to(&mut self.buffer);
        self.position = 0;
        self.offset = end;
        Ok(())
    }

    /// The file's bytes from the offset to `end`, read synchronously.
    fn read_from_file(&mut self, end: f64) -> std::io::Result<ArrayBuffer> {
        let failed = |error: JsValue| {
            std::io::Error::other(
                error
                    .as_string()
                    .or_else(|| js_sys::Error::from(error).message().as_string())
                    .unwrap_or_else(|| "the browser could not read the file".into()),
            )
        };
        let slice = self
            .file
            .slice_with_f64_and_f64(self.offset, end)
            .map_err(failed)?;
        let reader = match &self.reader {
            Some(reader) => reader,
            None => self.reader.insert(FileReaderSync::new().map_err(failed)?),
        };
        reader.read_as_array_buffer(&slice).map_err(failed)
    }
}

impl Read for FileSlices<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.position == self.buffer.len() {
            if self.offset >= self.size() {
                return Ok(0);
            }
            self.next_slice()?;
        }
        let count = out.len().min(self.buffer.len() - self.position);
        out[..count].copy_from_slice(&self.buffer[self.position..self.position + count]);
        self.position += count;
        Ok(count)
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let json = serde_json::to_string(reply).unwrap_or_else(|error| {
        format!(r#"{{"kind":"failed","message":"cannot encode the reply: {error}"}}"#)
    });
    // Posting a string to the page that created this worker cannot fail.
    let _ = scope.post_message(&JsValue::from_str(&json));
}

/// Reads the request and the files out of one message from the page.
fn unpack(data: &JsValue) -> Result<(Request, BrowserFiles), String> {
    let request = js_sys::Reflect::get(data, &"request".into())
        .ok()
        .and_then(|value| value.as_string())
        .ok_or("the message has no `request` text")?;
    let request: Request =
        serde_json::from_str(&request).map_err(|error| format!("unreadable request: {error}"))?;
    let files = js_sys::Reflect::get(data, &"files".into())
        .ok()
        .filter(|value| value.is_object())
        .map(|value| js_sys::Array::from(&value))
        .map(|files| {
            files
                .iter()
                .filter_map(|file| file.dyn_into::<File>().ok())
                .collect()
        })
        .unwrap_or_default();
    Ok((request, BrowserFiles::new(files)))
}

/// The worker's session and the messages waiting for it.
struct Worker {
    scope: DedicatedWorkerGlobalScope,
    session: RefCell<Session>,
    /// The workers that share the k sweep: none on one core.
    helpers: Vec<SweepHelper>,
    /// The message being handled, first, then those that came after it.
    waiting: RefCell<VecDeque<JsValue>>,
}

impl Worker {
    /// Takes a message from the page: handled after those before it.
    fn receive(self: &Rc<Self>, data: JsValue) {
        let mut waiting = self.waiting.borrow_mut();
        waiting.push_back(data);
        // Alone in the queue: no task is handling messages, so one starts.
        if waiting.len() == 1 {
            wasm_bindgen_futures::spawn_local(Rc::clone(self).handle_waiting());
        }
    }

    async fn handle_waiting(self: Rc<Self>) {
        loop {
            let Some(data) = self.waiting.borrow().front().cloned() else {
                break;
            };
            let reply = self.answer(&data).await;
            post(&self.scope, &reply);
            self.waiting.borrow_mut().pop_front();
        }
    }

    async fn answer(&self, data: &JsValue) -> Reply {
        let (mut request, mut files) = match unpack(data) {
            Ok(unpacked) => unpacked,
            Err(message) => return Reply::Failed { message },
        };
        if let Request::Segment(request) = &request {
            return self.segment(request).await;
        }
        if let Request::Load { columns, .. } = &mut request {
            // A file that needs its columns mapped is answered from its header alone, before
            // it is read whole; the columns found are handed on, so the load reads no header.
            match Session::columns_of(&files, columns.take()) {
                Ok(found) => *columns = Some(found),
                Err(reply) => return *reply,
            }
            if let Some(first) = files.files.first() {
                let reading = Stage::Reading { file: first.name() };
                post(&self.scope, &Reply::Progress(Progress::new(reading, 0.0)));
            }
            files.read_whole().await;
        }
        self.session
            .borrow_mut()
            .handle(request, &files, &mut |progress| {
                post(&self.scope, &Reply::Progress(progress))
            })
    }

    /// Answers a segments request, its k sweep shared with the helpers.
    async fn segment(&self, request: &SegmentRequest) -> Reply {
        let started = self
            .session
            .borrow()
            .start_segments(request, self.helpers.len());
        let segments = match started {
            Ok(segments) => segments,
            Err(reply) => return *reply,
        };
        // Posted before sweeping here, so that the helpers sweep meanwhile.
        let answers: Vec<_> = (self.helpers.iter().zip(&segments.shares))
            .map(|(helper, share)| helper.sweep(share))
            .collect();
        let mut progress = |progress| post(&self.scope, &Reply::Progress(progress));
        let mut sweep = segments.sweep_here(&mut progress);
        for (answer, share) in answers.into_iter().zip(&segments.shares) {
            let scores = match answer.await {
                Ok(scores) => Ok(scores),
                Err(_) => share.sweep(),
            };
            sweep = sweep.and_then(|mut sweep| {
                sweep.extend(scores?);
                Ok(sweep)
            });
        }
        self.session
            .borrow_mut()
            .finish_segments(segments, sweep, &mut progress)
    }
}

// Not in tests: the test runner's worker is not the studio's.
#[cfg_attr(not(test), wasm_bindgen(start))]
#[cfg_attr(test, allow(dead_code))]
fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if scope.name() == HELPER_NAME {
        sweep_helper::serve(&scope);
        warm_up::run_sweep();
        return;
    }
    let helpers = if scope.navigator().hardware_concurrency() >= 2.0 {
        SweepHelper::start(&scope).into_iter().collect()
    } else {
        Vec::new()
    };
    let worker = Rc::new(Worker {
        scope: scope.clone(),
        session: RefCell::new(Session::default()),
        helpers,
        waiting: RefCell::new(VecDeque::new()),
    });
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        worker.receive(event.data());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &Reply::Ready);
    // A file chosen meanwhile waits for this in the message queue.
    warm_up::run();
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    // FileReaderSync exists only in workers.
    wasm_bindgen_test_configure!(run_in_dedicated_worker);

    fn everything_read(files: &BrowserFiles) -> Vec<u8> {
        let mut read = Vec::new();
        files.open(0).read_to_end(&mut read).unwrap();
        read
    }

    #[wasm_bindgen_test]
    async fn a_file_reads_the_same_from_disk_and_read_whole() {
        // Over two slices and a part of one, with bytes that differ from slice to slice.
        let bytes: Vec<u8> = (0..2 * SLICE_BYTES as usize + 12_345)
            .map(|at| (at * 7 % 251) as u8)
            .collect();
        let parts = js_sys::Array::of1(&Uint8Array::from(&bytes[..]));
        let file = File::new_with_u8_array_sequence(&parts, "orders.csv").unwrap();
        let mut files = BrowserFiles::new(vec![file]);
        assert!(everything_read(&files) == bytes, "read with FileReaderSync");
        files.read_whole().await;
        assert!(files.contents[0].is_some());
        assert!(everything_read(&files) == bytes, "read whole first");
    }
}
