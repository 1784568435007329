//! Parquet in the worker. A Parquet object is read with random access, never whole: the engine
//! says which byte ranges it needs (the footer first, then, one row group at a time, the column
//! chunks the query reads) and they are sliced from a `Blob` — the learner's File, or a bundled
//! file fetched once.

use crate::source::{fetch, read_slice};
use web_sys::Blob;
use wyvern_protocol::engine::Source as Origin;
use wyvern_select::input::parquet::ByteRange;

/// The object as a Blob, for slicing.
pub async fn blob_of(from: &Origin) -> Result<Blob, String> {
    match from {
        Origin::File(file) => Ok(file.clone().into()),
        Origin::Url(url) => fetch(url)
            .await?
            .blob()
            .await
            .map_err(|e| format!("Could not read {url}: {e}")),
    }
}

/// The bytes of each range, in order; an error if the Blob is shorter than a range says (the
/// file changed, or its footer points past its end — the engine checks that first).
pub async fn read_ranges(blob: &Blob, ranges: &[ByteRange]) -> Result<Vec<Vec<u8>>, String> {
    let mut chunks = Vec::with_capacity(ranges.len());
    for r in ranges {
        let bytes = read_slice(blob, r.start as f64, r.end() as f64)
            .await
            .map_err(|_| "Could not read the file.".to_string())?;
        if bytes.len() as u64 != r.len {
            return Err(
                "The file is shorter than its Parquet footer says (was it changed?).".into(),
            );
        }
        chunks.push(bytes);
    }
    Ok(chunks)
}
