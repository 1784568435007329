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

/// Fewer, larger reads for a set of ranges: what an object store wants, where each request
/// costs a round trip and a few unused bytes cost next to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coalesced {
    /// The reads, in the object's order, none overlapping.
    pub reads: Vec<ByteRange>,
    /// For each range asked for, in the order asked: the read that holds it, and where in it.
    pub parts: Vec<(usize, u64)>,
}

/// Ranges (in any order, overlapping or not) merged into reads wherever the gap between them is
/// at most `max_gap` bytes, so at most `max_gap` unused bytes are read per merge.
pub fn coalesce(ranges: &[ByteRange], max_gap: u64) -> Coalesced {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| ranges[i].start);
    let mut reads: Vec<ByteRange> = Vec::new();
    let mut parts = vec![(0, 0); ranges.len()];
    for i in order {
        let r = ranges[i];
        match reads.last_mut() {
            Some(last) if r.start <= last.end().saturating_add(max_gap) => {
                last.len = last.end().max(r.end()) - last.start;
            }
            _ => reads.push(r),
        }
        let at = reads.len() - 1;
        parts[i] = (at, r.start - reads[at].start);
    }
    Coalesced { reads, parts }
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

#[cfg(test)]
mod tests {
    use super::{coalesce, ByteRange};

    fn r(start: u64, len: u64) -> ByteRange {
        ByteRange { start, len }
    }

    #[test]
    fn near_ranges_share_a_read_and_far_ones_do_not() {
        // Column chunks 0 and 1 are 10 bytes apart; chunk 2 is a megabyte further.
        let asked = [r(100, 50), r(160, 40), r(1_000_000, 10)];
        let c = coalesce(&asked, 64);
        assert_eq!(c.reads, [r(100, 100), r(1_000_000, 10)]);
        assert_eq!(c.parts, [(0, 0), (0, 60), (1, 0)]);
        // With no gap allowed, each range is its own read.
        assert_eq!(coalesce(&asked, 0).reads.len(), 3);
    }

    #[test]
    fn ranges_out_of_order_or_overlapping_are_found_in_their_read() {
        let asked = [r(500, 10), r(0, 100), r(50, 20), r(505, 10)];
        let c = coalesce(&asked, 0);
        assert_eq!(c.reads, [r(0, 100), r(500, 15)]);
        assert_eq!(c.parts, [(1, 0), (0, 0), (0, 50), (1, 5)]);
        // Every part lies inside its read.
        for (range, (read, offset)) in asked.iter().zip(&c.parts) {
            assert!(offset + range.len <= c.reads[*read].len);
            assert_eq!(c.reads[*read].start + offset, range.start);
        }
        assert_eq!(coalesce(&[], 10).reads, []);
    }
}
