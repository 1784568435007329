//! Push decompression: compressed chunks in, uncompressed bytes appended to a buffer. Each
//! codec is a cargo feature, so a build that gets decompression elsewhere (the browser's
//! DecompressionStream) can leave it out.

use crate::error::{ErrorCode, Result, SelectError};
use crate::serialization::Compression;

pub enum Decompressor {
    None,
    #[cfg(feature = "gzip")]
    Gzip(Box<flate2::write::MultiGzDecoder<Vec<u8>>>),
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
            Compression::Gzip => {
                Decompressor::Gzip(Box::new(flate2::write::MultiGzDecoder::new(Vec::new())))
            }
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

    /// Decompresses `input` onto the end of `out`.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<()> {
        match self {
            Decompressor::None => out.extend_from_slice(input),
            Decompressor::Unavailable(kind) => return Err(unavailable(kind)),
            #[cfg(feature = "gzip")]
            Decompressor::Gzip(d) => {
                use std::io::Write;
                // Small steps keep the output of one step bounded even for extreme ratios.
                for piece in input.chunks(16 * 1024) {
                    d.write_all(piece).map_err(|e| corrupt("GZIP", e))?;
                    out.append(d.get_mut());
                }
            }
            #[cfg(feature = "bzip2")]
            Decompressor::Bzip2 {
                stream,
                ended,
                seen_any,
            } => {
                let mut rest = input;
                let mut buf = vec![0u8; 64 * 1024];
                while !rest.is_empty() {
                    if *ended {
                        // Another bzip2 stream follows (multi-stream files, like pbzip2 writes).
                        *stream = bzip2::Decompress::new(false);
                        *ended = false;
                    }
                    *seen_any = true;
                    let before_in = stream.total_in();
                    let before_out = stream.total_out();
                    let status = stream
                        .decompress(rest, &mut buf)
                        .map_err(|e| corrupt("BZIP2", e))?;
                    let used = (stream.total_in() - before_in) as usize;
                    let produced = (stream.total_out() - before_out) as usize;
                    out.extend_from_slice(&buf[..produced]);
                    rest = &rest[used..];
                    if status == bzip2::Status::StreamEnd {
                        *ended = true;
                    } else if used == 0 && produced == 0 {
                        return Err(corrupt("BZIP2", "no progress"));
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks that the compressed stream ended cleanly.
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let _ = &out;
        match self {
            Decompressor::None => Ok(()),
            Decompressor::Unavailable(kind) => Err(unavailable(kind)),
            #[cfg(feature = "gzip")]
            Decompressor::Gzip(d) => {
                d.try_finish().map_err(|e| corrupt("GZIP", e))?;
                out.append(d.get_mut());
                Ok(())
            }
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
