//! Parquet in the worker. A Parquet object is read with random access, never whole: the engine
//! says which byte ranges it needs (the footer first, then, one row group at a time, the column
//! chunks the query reads) and they are sliced from a `Blob` — the learner's File, or a bundled
//! file fetched once.

use crate::source::fetch;
use js_sys::{ArrayBuffer, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;
use wyvern_protocol::engine::Source as Origin;
use wyvern_select::input::parquet::ByteRange;

/// The object as a Blob, for slicing.
pub async fn blob_of(from: &Origin) -> Result<Blob, String> {
    match from {
        Origin::File(file) => Ok(file.clone().into()),
        Origin::Url(url) => {
            let answer = fetch(url).await?;
            if !(200..300).contains(&answer.status) {
                return Err(format!("Could not fetch {url}: HTTP {}", answer.status));
            }
            answer
                .blob()
                .await
                .map_err(|e| format!("Could not read {url}: {e}"))
        }
    }
}

/// The bytes of each range, in order; an error if the Blob is shorter than a range says (the
/// file changed, or its footer points past its end — the engine checks that first).
pub async fn read_ranges(blob: &Blob, ranges: &[ByteRange]) -> Result<Vec<Vec<u8>>, String> {
    let failed = |_| "Could not read the file.".to_string();
    let mut chunks = Vec::with_capacity(ranges.len());
    for r in ranges {
        let part = blob
            .slice_with_f64_and_f64(r.start as f64, r.end() as f64)
            .map_err(failed)?;
        let buffer: ArrayBuffer = JsFuture::from(part.array_buffer())
            .await
            .map_err(failed)?
            .dyn_into()
            .map_err(failed)?;
        let bytes = Uint8Array::new(&buffer).to_vec();
        if bytes.len() as u64 != r.len {
            return Err(
                "The file is shorter than its Parquet footer says (was it changed?).".into(),
            );
        }
        chunks.push(bytes);
    }
    Ok(chunks)
}
