//! The segmentation studio's Web Worker. The page posts `{ request, files }` (a JSON
//! [`Request`] and the marketer's `File`s); the worker answers with JSON [`Reply`]s: progress,
//! then a result or a failure. All the work is aisle-core's [`Session`]; this crate only reads
//! browser files and carries messages.
//!
//! On starting, the worker runs the whole pipeline once on a small made-up file (`warm_up`),
//! so that the marketer's file runs in the browser's optimised code.
//!
//! Reading is synchronous here (`FileReaderSync`, in slices), which only a worker may do: the
//! page's thread never blocks, and a 100 MB file is never held in memory whole. Cancelling is
//! the page terminating this worker and starting a new one.

mod warm_up;

use std::cell::RefCell;
use std::io::Read;

use aisle_core::studio::session::{Files, Reply, Request, Session};
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

/// Bytes read from a file per `FileReaderSync` call: large enough that the call overhead
/// vanishes, small enough to keep memory flat.
const SLICE_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// The marketer's files, as [`Files`].
struct BrowserFiles(Vec<File>);

impl Files for BrowserFiles {
    fn names(&self) -> Vec<String> {
        self.0.iter().map(File::name).collect()
    }

    fn size(&self, index: usize) -> u64 {
        self.0[index].size() as u64
    }

    fn open(&self, index: usize) -> Box<dyn Read + '_> {
        Box::new(FileSlices {
            file: &self.0[index],
            offset: 0.0,
            buffer: Vec::new(),
            position: 0,
            reader: None,
        })
    }
}

/// A file read slice by slice.
struct FileSlices<'a> {
    file: &'a File,
    offset: f64,
    buffer: Vec<u8>,
    position: usize,
    reader: Option<FileReaderSync>,
}

impl FileSlices<'_> {
    fn next_slice(&mut self) -> std::io::Result<()> {
        let failed = |error: JsValue| {
            std::io::Error::other(
                error
                    .as_string()
                    .or_else(|| js_sys::Error::from(error).message().as_string())
                    .unwrap_or_else(|| "the browser could not read the file".into()),
            )
        };
        let end = (self.offset + SLICE_BYTES).min(self.file.size());
        let slice = self
            .file
            .slice_with_f64_and_f64(self.offset, end)
            .map_err(failed)?;
        let reader = match &self.reader {
            Some(reader) => reader,
            None => self.reader.insert(FileReaderSync::new().map_err(failed)?),
        };
        let bytes = reader.read_as_array_buffer(&slice).map_err(failed)?;
        self.buffer = js_sys::Uint8Array::new(&bytes).to_vec();
        self.position = 0;
        self.offset = end;
        Ok(())
    }
}

impl Read for FileSlices<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.position == self.buffer.len() {
            if self.offset >= self.file.size() {
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
    Ok((request, BrowserFiles(files)))
}

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let session = RefCell::new(Session::default());
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = match unpack(&event.data()) {
            Ok((request, files)) => session
                .borrow_mut()
                .handle(request, &files, &mut |progress| {
                    post(&replies, &Reply::Progress(progress))
                }),
            Err(message) => Reply::Failed { message },
        };
        post(&replies, &reply);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &Reply::Ready);
    // A file chosen meanwhile waits for this in the message queue.
    warm_up::run();
}
