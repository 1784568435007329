//! Parquet in the worker. A Parquet object is read with random access, never whole: the engine
//! says which byte ranges it needs (the footer first, then, one row group at a time, the column
//! chunks the query reads) and they are sliced from a `Blob` — the learner's File, or a bundled
//! file fetched once — or read from a live S3 object through the live worker (live_object.rs).

use crate::live_object::LiveObject;
use crate::source::{fetch, read_slice};
use web_sys::Blob;
use wyvern_protocol::engine::Source as Origin;
use wyvern_select::input::parquet::ByteRange;

/// Why bytes could not be read: a local problem, or the error S3 answered.
pub enum Unread {
    Local(String),
    Aws { code: String, message: String },
}

impl Unread {
    /// As an engine error, S3's code kept in the message (the data-shape panel's note).
    pub fn into_error(self) -> wyvern_select::SelectError {
        crate::read_error(match self {
            Unread::Local(text) => text,
            Unread::Aws { code, message } => format!("{code}: {message}"),
        })
    }
}

/// Where a Parquet object's bytes are.
pub enum Object {
    Blob(Blob),
    Live(LiveObject),
}

impl Object {
    pub async fn open(from: &Origin) -> Result<Object, Unread> {
        let fetched = match from {
            Origin::File(file) => return Ok(Object::Blob(file.clone().into())),
            Origin::Live { bucket, key, port } => {
                return Ok(Object::Live(LiveObject::open(bucket, key, port).await?))
            }
            Origin::Url(url) => fetch(url).await.map_err(Unread::Local)?.blob().await,
        };
        fetched
            .map(Object::Blob)
            .map_err(|e| Unread::Local(format!("Could not read the data: {e}")))
    }

    pub fn size(&self) -> f64 {
        match self {
            Object::Blob(b) => b.size(),
            Object::Live(o) => o.size(),
        }
    }

    /// The bytes of each range, in order; an error if the object is shorter than a range says
    /// (the file changed, or its footer points past its end — the engine checks that first).
    pub async fn read_ranges(&self, ranges: &[ByteRange]) -> Result<Vec<Vec<u8>>, Unread> {
        let blob = match self {
            Object::Blob(b) => b,
            Object::Live(o) => return o.read_ranges(ranges).await,
        };
        let mut chunks = Vec::with_capacity(ranges.len());
        for r in ranges {
            chunks.push(read_exact(blob, r.start, r.len).await?);
        }
        Ok(chunks)
    }
}

/// `len` bytes of `blob` from `start`; an error if it holds fewer (the object changed, or its
/// footer points past its end — the engine checks that first).
pub async fn read_exact(blob: &Blob, start: u64, len: u64) -> Result<Vec<u8>, Unread> {
    let bytes = read_slice(blob, start as f64, (start + len) as f64)
        .await
        .map_err(|_| Unread::Local("Could not read the object's bytes.".into()))?;
    if bytes.len() as u64 != len {
        return Err(Unread::Local(
            "The object is shorter than its Parquet footer says (was it changed?).".into(),
        ));
    }
    Ok(bytes)
}
