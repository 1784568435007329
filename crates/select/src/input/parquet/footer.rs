//! The footer: `PAR1` at both ends, and before the last one the metadata's length (u32, little
//! endian) after the metadata itself. Every length is checked against the object's size before
//! anything is fetched or allocated.

use super::columns::parquet_error;
use super::source::ByteRange;
use crate::error::{ErrorCode, Result, SelectError};
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};

const MAGIC: &[u8; 4] = b"PAR1";
/// `PAR1` + (metadata) + length + `PAR1`.
const MIN_OBJECT_BYTES: u64 = 12;
/// The first read takes this much of the end, which usually holds the whole metadata.
pub(crate) const TAIL_BYTES: u64 = 64 * 1024;
/// The metadata decoded from a footer longer than this is refused (real footers are KBs to a
/// few MBs; the decoded form is several times larger).
pub(crate) const MAX_METADATA_BYTES: u64 = 64 << 20;

fn not_parquet(why: &str) -> SelectError {
    SelectError::new(
        ErrorCode::ParquetParsingError,
        format!("The object is not a readable Parquet file: {why}. Check the file, or its InputSerialization (CSV or JSON?)."),
    )
}

/// What the first read asks for: the leading magic and the end of the object, or only the
/// whole object when it is no longer than the tail read.
pub(crate) fn first_reads(object_len: u64) -> Result<Vec<ByteRange>> {
    if object_len < MIN_OBJECT_BYTES {
        return Err(not_parquet(&format!(
            "it is {object_len} bytes, shorter than the smallest Parquet file"
        )));
    }
    let tail = object_len.min(TAIL_BYTES);
    let tail = ByteRange {
        start: object_len - tail,
        len: tail,
    };
    if tail.start == 0 {
        return Ok(vec![tail]);
    }
    Ok(vec![ByteRange { start: 0, len: 4 }, tail])
}

/// Where the metadata is, from the object's first 4 and last `tail.len()` bytes.
pub(crate) fn metadata_range(object_len: u64, head: &[u8], tail: &[u8]) -> Result<ByteRange> {
    if head != MAGIC {
        return Err(not_parquet("it does not start with PAR1"));
    }
    let Some(end) = tail.len().checked_sub(8).and_then(|at| tail.get(at..)) else {
        return Err(not_parquet("its end is missing"));
    };
    match &end[4..] {
        b"PAR1" => {}
        b"PARE" => {
            return Err(SelectError::new(
                ErrorCode::UnsupportedParquetType,
                "The Parquet file is encrypted (its footer ends in PARE), which S3 Select does not read.",
            ))
        }
        _ => return Err(not_parquet("it does not end with PAR1")),
    }
    let len = u64::from(u32::from_le_bytes([end[0], end[1], end[2], end[3]]));
    // cannot underflow: object_len >= MIN_OBJECT_BYTES was checked by `first_reads`.
    if len > object_len - MIN_OBJECT_BYTES {
        return Err(not_parquet(&format!(
            "its footer claims {len} bytes of metadata in a {object_len}-byte file"
        )));
    }
    if len > MAX_METADATA_BYTES {
        return Err(not_parquet(&format!(
            "its metadata is {len} bytes, over the {} MiB this reader takes",
            MAX_METADATA_BYTES >> 20
        )));
    }
    Ok(ByteRange {
        start: object_len - 8 - len,
        len,
    })
}

/// The metadata bytes, if the tail read already holds them.
pub(crate) fn metadata_in_tail(object_len: u64, tail: &[u8], range: ByteRange) -> Option<&[u8]> {
    let tail_start = object_len.checked_sub(tail.len() as u64)?;
    let from = usize::try_from(range.start.checked_sub(tail_start)?).ok()?;
    let to = from.checked_add(usize::try_from(range.len).ok()?)?;
    tail.get(from..to)
}

pub(crate) fn decode(metadata: &[u8]) -> Result<ParquetMetaData> {
    super::footer_check::check_metadata(metadata)
        .map_err(|e| not_parquet(&format!("its footer is corrupt: {e}")))?;
    ParquetMetaDataReader::decode_metadata(metadata).map_err(parquet_error)
}
