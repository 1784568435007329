//! A run's whole raw output, for the download, kept in the browser's Blob store rather than in
//! the page's wasm memory: `SELECT *` outputs as much as it reads, the page's memory only grows
//! (to 4 GiB at most, far less on a phone), and the Blob store can spill to disk.

use wasm_bindgen::JsValue;
use web_sys::{Blob, BlobPropertyBag};

/// Text gathered before it becomes one Blob: few Blobs for a large output, little held here.
const PIECE_BYTES: usize = 1 << 20;

#[derive(Default)]
pub struct OutputStore {
    sealed: Vec<Blob>,
    pending: Vec<String>,
    pending_bytes: usize,
}

impl OutputStore {
    pub fn push(&mut self, text: String) {
        self.pending_bytes += text.len();
        self.pending.push(text);
        if self.pending_bytes >= PIECE_BYTES {
            self.seal();
        }
    }

    /// Moves the gathered text into a Blob of its own.
    fn seal(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let parts: js_sys::Array = self
            .pending
            .drain(..)
            .map(|s| JsValue::from_str(&s))
            .collect();
        self.pending_bytes = 0;
        if let Ok(blob) = Blob::new_with_str_sequence(&parts) {
            self.sealed.push(blob);
        }
    }

    /// Everything output so far, as one Blob of type `mime`.
    pub fn blob(&mut self, mime: &str) -> Option<Blob> {
        self.seal();
        let parts: js_sys::Array = self.sealed.iter().collect();
        let options = BlobPropertyBag::new();
        options.set_type(mime);
        Blob::new_with_blob_sequence_and_options(&parts, &options).ok()
    }
}
