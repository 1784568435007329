//! Compression: GZIP and BZIP2 told by their magic bytes, and a bounded prefix decompressed so
//! the text inside can be detected without holding the whole file.

use super::{note, Reason, DETECT_PREFIX_BYTES};
use crate::error::SelectError;
use crate::serialization::Compression;

/// The compression a file's first bytes announce (GZIP or BZIP2), if any. BZIP2 needs the first
/// 10 bytes (the stream header and a block or end-of-stream magic).
pub fn detect_compressed(prefix: &[u8]) -> Option<Compression> {
    if prefix.starts_with(&[0x1f, 0x8b, 0x08]) {
        return Some(Compression::Gzip);
    }
    if let [b'B', b'Z', b'h', level, rest @ ..] = prefix {
        let magic = rest.get(..6);
        if level.is_ascii_digit()
            && *level != b'0'
            && (magic == Some(&[0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
                || magic == Some(&[0x17, 0x72, 0x45, 0x38, 0x50, 0x90]))
        {
            return Some(Compression::Bzip2);
        }
    }
    None
}

/// Whether this build decompresses `c` itself (the `gzip` and `bzip2` features).
pub fn can_decompress(c: Compression) -> bool {
    match c {
        Compression::None => true,
        Compression::Gzip => cfg!(feature = "gzip"),
        Compression::Bzip2 => cfg!(feature = "bzip2"),
    }
}

/// Decompresses the start of a compressed file: at most [`DETECT_PREFIX_BYTES`] of output are
/// kept (the decoder works in steps, so memory stays under about a megabyte whatever the ratio).
/// Returns the bytes and, when `compressed_is_whole` and the stream ended within the cap, the
/// decompressed length (so the last line is known to be complete).
pub fn decompress_prefix(
    compression: Compression,
    compressed: &[u8],
    compressed_is_whole: bool,
) -> Result<(Vec<u8>, Option<u64>), SelectError> {
    use crate::input::decompress::Decompressor;
    let mut d = Decompressor::new(compression);
    let mut out = Vec::new();
    let mut rest = compressed;
    while !rest.is_empty() && out.len() < DETECT_PREFIX_BYTES {
        let step = DETECT_PREFIX_BYTES - out.len();
        let used = match d.push(rest, &mut out, step) {
            Ok(n) => n,
            // What decompressed before a corrupt spot is still worth reading.
            Err(_) if !out.is_empty() => break,
            Err(e) => return Err(e),
        };
        // cannot fail: push never reports using more than it was given.
        rest = rest.get(used..).unwrap_or_default();
    }
    let mut len = None;
    // A stream that does not end cleanly still has a readable start; the query reports the rest.
    if rest.is_empty()
        && compressed_is_whole
        && out.len() <= DETECT_PREFIX_BYTES
        && d.finish(&mut out).is_ok()
        && out.len() <= DETECT_PREFIX_BYTES
    {
        len = Some(out.len() as u64);
    }
    out.truncate(DETECT_PREFIX_BYTES);
    Ok((out, len))
}

pub(super) fn reason(c: Compression) -> Reason {
    let text = match c {
        Compression::Gzip => {
            "the file starts with the GZIP signature (1f 8b): CompressionType set to GZIP"
        }
        Compression::Bzip2 => {
            "the file starts with the BZIP2 signature (\"BZh\" and a block size): CompressionType set to BZIP2"
        }
        Compression::None => "no compression signature: CompressionType NONE",
    };
    note(Some("CompressionType"), text)
}

pub(super) fn name(c: Compression) -> &'static str {
    match c {
        Compression::None => "NONE",
        Compression::Gzip => "GZIP",
        Compression::Bzip2 => "BZIP2",
    }
}
