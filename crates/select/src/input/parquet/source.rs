//! Where Parquet bytes come from. The reader never does I/O itself: it names the byte ranges it
//! needs next ([`ByteRange`]) and is handed them. [`RandomAccess`] is the synchronous way to
//! answer (a slice in memory, a file); the browser can answer the same requests asynchronously
//! with `Blob.slice(start, end).arrayBuffer()` between two calls, or synchronously with
//! `FileReaderSync` inside a worker.

use crate::error::{ErrorCode, Result, SelectError};

/// `len` bytes from `start` in the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub len: u64,
}

impl ByteRange {
    pub fn end(&self) -> u64 {
        self.start.saturating_add(self.len)
    }
}

/// An object that can be read at any offset.
pub trait RandomAccess {
    /// The object's size in bytes.
    fn len(&self) -> u64;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Exactly `range.len` bytes from `range.start`; an error if the object is shorter.
    fn read_at(&self, range: ByteRange) -> Result<Vec<u8>>;
}

fn out_of_object(range: ByteRange, len: u64) -> SelectError {
    SelectError::new(
        ErrorCode::ParquetParsingError,
        format!(
            "The Parquet file points at bytes {}..{}, past its end ({len} bytes): the file is truncated or corrupt.",
            range.start,
            range.end()
        ),
    )
}

impl RandomAccess for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read_at(&self, range: ByteRange) -> Result<Vec<u8>> {
        let start = usize::try_from(range.start).ok();
        let end = usize::try_from(range.end()).ok();
        match (start, end) {
            (Some(s), Some(e)) if s <= e && e <= <[u8]>::len(self) => Ok(self[s..e].to_vec()),
            _ => Err(out_of_object(range, RandomAccess::len(self))),
        }
    }
}

impl RandomAccess for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }

    fn read_at(&self, range: ByteRange) -> Result<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        if range.end() > RandomAccess::len(self) {
            return Err(out_of_object(range, RandomAccess::len(self)));
        }
        let io = |e: std::io::Error| {
            SelectError::new(
                ErrorCode::InvalidRequestParameter,
                format!("Cannot read the Parquet file: {e}"),
            )
        };
        // The length is checked against the file's size above, so this allocation is bounded.
        let mut buf = vec![0u8; usize::try_from(range.len).map_err(|_| out_of_object(range, 0))?];
        let mut file = self;
        file.seek(SeekFrom::Start(range.start)).map_err(io)?;
        file.read_exact(&mut buf).map_err(io)?;
        Ok(buf)
    }
}
