//! Push decompression: compressed chunks in, uncompressed bytes appended to a buffer. Each
//! codec is a cargo feature, so a build can leave one out.

use crate::error::{ErrorCode, Result, SelectError};
use crate::serialization::Compression;

pub enum Decompressor {
    None,
    #[cfg(feature = "gzip")]
    Gzip(Box<super::gzip::Gunzip>),
    #[cfg(feature = "bzip2")]
    Bzip2 {
        stream: bzip2::Decompress,
        ended: bool,
        seen_any: bool,
    },
    /// A codec this build leaves out: using it is an error.
    #[allow(dead_code)]
    Unavailable(&'static str),
}

fn unavailable(kind: &str) -> SelectError {
    SelectError::new(
        ErrorCode::InvalidCompressionFormat,
        format!("This build cannot read {kind} data; decompress it first."),
    )
}

#[cfg(any(feature = "gzip", feature = "bzip2"))]
fn corrupt(kind: &str, detail: impl std::fmt::Display) -> SelectError {
    SelectError::new(
        ErrorCode::InvalidCompressionFormat,
        format!(
            "The input is not valid {kind} data ({detail}). Check CompressionType and the file."
        ),
    )
}

impl Decompressor {
    pub fn new(c: Compression) -> Self {
        match c {
            Compression::None => Decompressor::None,
            #[cfg(feature = "gzip")]
            Compression::Gzip => Decompressor::Gzip(Box::default()),
            #[cfg(not(feature = "gzip"))]
            Compression::Gzip => Decompressor::Unavailable("GZIP"),
            #[cfg(feature = "bzip2")]
            Compression::Bzip2 => Decompressor::Bzip2 {
                stream: bzip2::Decompress::new(false),
                ended: false,
                seen_any: false,
            },
            #[cfg(not(feature = "bzip2"))]
            Compression::Bzip2 => Decompressor::Unavailable("BZIP2"),
        }
    }

    /// Decompresses from the start of `input` onto the end of `out` until `out` has grown by
    /// about `step` bytes or the input is used up; returns how many input bytes it used. The
    /// caller frames records between steps, so one highly compressed chunk never expands whole
    /// into memory. Every call makes progress: it uses input or produces output (or fails).
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>, step: usize) -> Result<usize> {
        match self {
            Decompressor::None => {
                let used = input.len().min(step.max(1));
                out.extend_from_slice(&input[..used]); // cannot fail: used <= input.len()
                Ok(used)
            }
            Decompressor::Unavailable(kind) => Err(unavailable(kind)),
            #[cfg(feature = "gzip")]
            Decompressor::Gzip(d) => d.push(input, out, step).map_err(|e| corrupt("GZIP", e)),
            #[cfg(feature = "bzip2")]
            Decompressor::Bzip2 {
                stream,
                ended,
                seen_any,
            } => {
                let (start, mut used) = (out.len(), 0);
                // `out` only grows from `start`, and bzip2 never reports taking more input than
                // it was given, so `out.len() - start`, `input[used..]` (used < input.len() in
                // the loop) and `total_in() - before_in` cannot fail.
                while used < input.len() && out.len() - start < step {
                    if *ended {
                        // Another bzip2 stream follows (multi-stream files, like pbzip2 writes).
                        *stream = bzip2::Decompress::new(false);
                        *ended = false;
                    }
                    *seen_any = true;
                    // Decompress straight into `out`'s spare room, at most 64 KiB a call.
                    out.reserve(64 * 1024);
                    let (before_in, before_out) = (stream.total_in(), out.len());
                    let status = stream
                        .decompress_vec(&input[used..], out)
                        .map_err(|e| corrupt("BZIP2", e))?;
                    let took = (stream.total_in() - before_in) as usize;
                    used += took;
                    if status == bzip2::Status::StreamEnd {
                        *ended = true;
                    } else if took == 0 && out.len() == before_out {
                        return Err(corrupt("BZIP2", "no progress"));
                    }
                }
                Ok(used)
            }
        }
    }

    /// Checks that the compressed stream ended cleanly.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let _ = &out;
        match self {
            Decompressor::None => Ok(()),
            Decompressor::Unavailable(kind) => Err(unavailable(kind)),
            #[cfg(feature = "gzip")]
            Decompressor::Gzip(d) => d.finish().map_err(|e| corrupt("GZIP", e)),
            #[cfg(feature = "bzip2")]
            Decompressor::Bzip2 {
                ended, seen_any, ..
            } => {
                if *seen_any && !*ended {
                    return Err(SelectError::new(
                        ErrorCode::TruncatedInput,
                        "The BZIP2 input ended before its stream did.",
                    ));
                }
                Ok(())
            }
        }
    }
}
