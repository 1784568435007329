//! A run's whole raw output, for the download, kept in the browser's Blob store rather than in
//! the page's wasm memory: `SELECT *` outputs as much as it reads, the page's memory only grows
//! (to 4 GiB at most, far less on a phone), and the Blob store can spill to disk.

use js_sys::Uint8Array;
use web_sys::{Blob, BlobPropertyBag};

/// Bytes gathered before they become one Blob: few Blobs for a large output, little held here.
const PIECE_BYTES: usize = 1 << 20;

#[derive(Default)]
pub struct OutputStore {
    sealed: Vec<Blob>,
    pending: Vec<u8>,
}

impl OutputStore {
    pub fn push(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= PIECE_BYTES {
            self.seal();
        }
    }

    /// Moves the gathered bytes into a Blob of their own (the buffer is kept for the next).
    fn seal(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let parts = js_sys::Array::of1(&Uint8Array::from(self.pending.as_slice()));
        self.pending.clear();
        if let Ok(blob) = Blob::new_with_u8_array_sequence(&parts) {
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
