//! Input settings detected from a file's first bytes: the InputSerialization that reads it, with
//! a reason in plain English for each choice. Pure: the caller reads a bounded prefix of the file
//! ([`DETECT_PREFIX_BYTES`]) and passes it in.
//!
//! ```
//! use wyvern_select::detect::{detect, Outcome};
//! let d = detect(b"id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n", Some(31));
//! let Outcome::Settings { input, .. } = &d.outcome else { panic!() };
//! assert_eq!(
//!     input.to_json(),
//!     r#"{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":",","RecordDelimiter":"\r\n","QuoteCharacter":"\"","QuoteEscapeCharacter":"\"","AllowQuotedRecordDelimiter":false},"CompressionType":"NONE"}"#
//! );
//! assert!(d.reasons.iter().any(|r| r.text.contains("RecordDelimiter set to \\r\\n")));
//! ```
//!
//! Compressed input is split in two steps so that a build without a codec can still detect:
//! [`detect`] never decompresses; on GZIP or BZIP2 bytes it answers [`Outcome::Compressed`], and
//! the caller decompresses a prefix itself (the page: the browser's DecompressionStream) and calls
//! [`detect_decompressed`]. [`detect_decompressing`] does both with the codecs this build has (the
//! `gzip` and `bzip2` features), keeping at most [`DETECT_PREFIX_BYTES`] of decompressed output.
//!
//! The heuristics, in order:
//! - Signatures: GZIP (`1f 8b 08`), BZIP2 (`BZh1`–`BZh9` and a block or end-of-stream magic);
//!   Parquet (`PAR1`) is proposed as `{"Parquet":{}}` where the build reads it (the `parquet`
//!   feature) and refused elsewhere; ZIP, 7-Zip, XZ, Zstandard and UTF-16/32 byte order marks are
//!   named and refused; NUL bytes or more than 10% control characters mean binary.
//! - A UTF-8 byte order mark is skipped for the analysis and reported: the engine keeps it as part
//!   of the first field (the first header name), and JSON readers refuse it.
//! - Text whose first non-blank character is `{` or `[` is JSON: LINES when every line holds one
//!   whole value (two or more lines), DOCUMENT when the text is one value, a top-level array, or
//!   values that span lines. `[` text that is not JSON but splits into a consistent table is CSV.
//! - Anything else is CSV:
//!   - RecordDelimiter: the most common line ending of `\r\n`, `\n` and a lone `\r`.
//!   - FieldDelimiter, QuoteCharacter, QuoteEscapeCharacter: every combination of `,` tab `;`
//!     `|`, `"` `'` and (the quote doubled, a backslash) splits the lines, honouring quotes as the
//!     engine does; the winner has two or more fields on the most lines with the same count, then
//!     the fewest quotes followed by stray text, then the most fields, then the order above. A `,`
//!     that only ever sits between digits is a decimal comma: `;` wins a tie against it.
//!   - AllowQuotedRecordDelimiter: TRUE when a quoted field holds a line break.
//!   - Comments: `#` when the first line starts with `#`, or when the `#` lines do not have the
//!     table's field count (otherwise they are data).
//!   - FileHeaderInfo: each column whose later rows are numbers, dates or booleans (90% of its
//!     non-empty values) votes: line 1 holding text there is a header (+3); holding the same kind
//!     is data (-1), except a whole number above decimals or dates, a numeric-looking name such as
//!     `2019` (+1). Duplicate names (-2) and empty names (-1) count against a header. USE when the
//!     sum is positive, NONE when negative; on zero (all columns text, or a single line) USE when
//!     line 1's fields look like names (a letter or `_` first; letters, digits, `_`, space, `-`,
//!     `.`; distinct; none repeated in its column below), else NONE, with low confidence.
//! - Confidence is the lowest of the parts: the table's consistency (every line the same field
//!   count over 3+ lines is high), the header vote, and warnings (text that is not UTF-8, lines S3
//!   Select refuses, JSON that does not parse).

mod compression;
mod csv;
mod examine;
mod header;
mod json;
mod scan;
mod settings;
mod text;

use crate::error::{ErrorCode, SelectError};
use crate::serialization::{Compression, InputSerialization};
use std::borrow::Cow;

pub use compression::{can_decompress, decompress_prefix, detect_compressed};
pub use text::{preview_lines, show_invisible};

/// How much of a file detection reads (defined with the settings, so the page can ask a live
/// object for no more than that).
pub use wyvern_settings::{DETECT_COMPRESSED_PREFIX_BYTES, DETECT_PREFIX_BYTES};

/// How sure the detector is of its proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// A guess: check the reasons and the first results.
    Low,
    /// Most of the evidence agrees.
    Medium,
    /// Every line examined agrees.
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// Why nothing could be proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// No bytes, or only blanks.
    Empty,
    /// NUL bytes, control characters, or bytes that are not text.
    Binary,
    /// A UTF-16 or UTF-32 byte order mark: S3 Select reads UTF-8 only.
    Utf16,
    /// An Apache Parquet file (`PAR1`).
    Parquet,
    /// An archive or a compression S3 Select does not read: "ZIP", "7-Zip", "XZ", "Zstandard".
    Archive(&'static str),
    /// The GZIP or BZIP2 data could not be decompressed (the decoder's message).
    Corrupt(Compression, String),
}

/// What the detector found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Settings that read the file.
    Settings {
        input: InputSerialization,
        confidence: Confidence,
    },
    /// GZIP or BZIP2 bytes: decompress a prefix and call [`detect_decompressed`] (or let
    /// [`detect_decompressing`] do it where this build has the codec; see [`can_decompress`]).
    Compressed(Compression),
    /// Nothing to propose; the reasons say why.
    CouldNotTell(Unreadable),
}

/// One line of explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The setting this line explains, as the AWS API names it ("RecordDelimiter",
    /// "FieldDelimiter", "QuoteCharacter", "QuoteEscapeCharacter", "AllowQuotedRecordDelimiter",
    /// "Comments", "FileHeaderInfo", "Type", "CompressionType"; "Format" for CSV vs JSON), or
    /// `None` for a note about the file.
    pub setting: Option<&'static str>,
    /// Something that will go wrong or needs a look (rows S3 Select refuses, a byte order mark).
    pub warning: bool,
    pub text: String,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The detector's answer: an outcome and the reasons for it, in plain English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub outcome: Outcome,
    pub reasons: Vec<Reason>,
    /// How many bytes were examined (at most [`DETECT_PREFIX_BYTES`]; decompressed bytes for
    /// compressed input).
    pub bytes_examined: usize,
}

impl Detection {
    /// The proposed settings, if any.
    pub fn input(&self) -> Option<&InputSerialization> {
        match &self.outcome {
            Outcome::Settings { input, .. } => Some(input),
            _ => None,
        }
    }

    pub fn confidence(&self) -> Option<Confidence> {
        match &self.outcome {
            Outcome::Settings { confidence, .. } => Some(*confidence),
            _ => None,
        }
    }

    /// Why there are no settings, as an S3-style coded error (`None` when there are settings).
    pub fn error(&self) -> Option<SelectError> {
        let (code, msg) = match &self.outcome {
            Outcome::Settings { .. } => return None,
            Outcome::Compressed(c) => (
                ErrorCode::InvalidCompressionFormat,
                format!(
                    "The file is {} data and this build cannot decompress it; decompress a prefix and detect on that.",
                    compression::name(*c)
                ),
            ),
            Outcome::CouldNotTell(u) => match u {
                Unreadable::Empty => (
                    ErrorCode::UnrecognizedFormatException,
                    "The file is empty (or blank): there is nothing to detect settings from."
                        .to_string(),
                ),
                Unreadable::Binary => (
                    ErrorCode::InvalidTextEncoding,
                    "The file is binary, not CSV or JSON text: S3 Select cannot read it."
                        .to_string(),
                ),
                Unreadable::Utf16 => (
                    ErrorCode::InvalidTextEncoding,
                    "The file is UTF-16 or UTF-32 text: S3 Select reads UTF-8 only; convert it first."
                        .to_string(),
                ),
                Unreadable::Parquet => (
                    ErrorCode::UnrecognizedFormatException,
                    // Only a build without the `parquet` feature refuses Parquet.
                    "The file is Apache Parquet: S3 Select reads it with {\"Parquet\":{}}, but this build of the engine reads only CSV and JSON."
                        .to_string(),
                ),
                Unreadable::Archive(kind) => (
                    ErrorCode::InvalidCompressionFormat,
                    format!("The file is a {kind} archive: S3 Select reads CSV and JSON, uncompressed, GZIP or BZIP2; extract the file first."),
                ),
                Unreadable::Corrupt(c, detail) => (
                    ErrorCode::InvalidCompressionFormat,
                    format!(
                        "The file starts like {} data but does not decompress ({detail}).",
                        compression::name(*c)
                    ),
                ),
            },
        };
        Some(SelectError::new(code, msg))
    }

    /// The whole answer as one JSON object, for a page or a worker message:
    /// `{"outcome":"settings","confidence":"high","input":{…the AWS shape…},"reasons":[…]}`,
    /// `{"outcome":"compressed","compression":"GZIP","reasons":[…]}` or
    /// `{"outcome":"unknown","code":"InvalidTextEncoding","message":"…","reasons":[…]}`. Each
    /// reason is `{"setting":"RecordDelimiter"|null,"warning":false,"text":"…"}`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        match &self.outcome {
            Outcome::Settings { input, confidence } => {
                out.push_str("\"outcome\":\"settings\",\"confidence\":\"");
                out.push_str(confidence.as_str());
                out.push_str("\",\"input\":");
                out.push_str(&input.to_json());
            }
            Outcome::Compressed(c) => {
                out.push_str("\"outcome\":\"compressed\",\"compression\":\"");
                out.push_str(compression::name(*c));
                out.push('"');
            }
            Outcome::CouldNotTell(_) => {
                let e = self.error().unwrap_or_else(|| {
                    SelectError::new(ErrorCode::UnrecognizedFormatException, "")
                });
                out.push_str("\"outcome\":\"unknown\",\"code\":\"");
                out.push_str(e.code.as_str());
                out.push_str("\",\"message\":");
                crate::output::json::write_str(&e.message, &mut out);
            }
        }
        out.push_str(",\"bytesExamined\":");
        out.push_str(&self.bytes_examined.to_string());
        out.push_str(",\"reasons\":[");
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"setting\":");
            match r.setting {
                Some(s) => crate::output::json::write_str(s, &mut out),
                None => out.push_str("null"),
            }
            out.push_str(",\"warning\":");
            out.push_str(if r.warning { "true" } else { "false" });
            out.push_str(",\"text\":");
            crate::output::json::write_str(&r.text, &mut out);
            out.push('}');
        }
        out.push_str("]}");
        out
    }
}

/// Detects the settings of a file from its first bytes. `prefix` is the start of the file (only
/// its first [`DETECT_PREFIX_BYTES`] are examined); `total_len` is the file's size if known. The
/// last line of the prefix is treated as cut short unless the prefix is the whole file
/// (`total_len` equals its length, or without `total_len`, the prefix is shorter than
/// [`DETECT_PREFIX_BYTES`]).
pub fn detect(prefix: &[u8], total_len: Option<u64>) -> Detection {
    // cannot fail: the end is at most prefix.len().
    let data = &prefix[..prefix.len().min(DETECT_PREFIX_BYTES)];
    let complete = match total_len {
        Some(n) => n <= data.len() as u64,
        None => prefix.len() < DETECT_PREFIX_BYTES,
    };
    let mut reasons = Vec::new();
    if !complete {
        let of = total_len.map_or(String::new(), |n| format!(" of {n}"));
        reasons.push(note(
            None,
            format!("read the first {} bytes{of}", data.len()),
        ));
    }
    let outcome = examine::examine(data, complete, &mut reasons);
    Detection {
        outcome,
        reasons,
        bytes_examined: data.len(),
    }
}

/// [`detect`], then for GZIP or BZIP2 bytes (where this build has the codec) decompresses a
/// bounded prefix and detects on that. `prefix` should hold [`DETECT_PREFIX_BYTES`] of the file,
/// or [`DETECT_COMPRESSED_PREFIX_BYTES`] when [`detect_compressed`] says it is compressed.
pub fn detect_decompressing(prefix: &[u8], total_len: Option<u64>) -> Detection {
    detect_with_text(prefix, total_len).0
}

/// [`detect_decompressing`], also giving the text it examined (decompressed when the file is
/// compressed; empty when it could not be), for a preview of what S3 Select will read.
pub fn detect_with_text(prefix: &[u8], total_len: Option<u64>) -> (Detection, Cow<'_, [u8]>) {
    let examined = &prefix[..prefix.len().min(DETECT_PREFIX_BYTES)];
    let Some(c) = detect_compressed(prefix).filter(|c| can_decompress(*c)) else {
        return (detect(prefix, total_len), Cow::Borrowed(examined));
    };
    let whole = total_len.is_some_and(|n| n <= prefix.len() as u64);
    match decompress_prefix(c, prefix, whole) {
        Ok((bytes, len)) => (detect_decompressed(c, &bytes, len), Cow::Owned(bytes)),
        Err(e) => {
            let d = Detection {
                outcome: Outcome::CouldNotTell(Unreadable::Corrupt(c, e.message.clone())),
                reasons: vec![compression::reason(c), warn(None, e.message)],
                bytes_examined: 0,
            };
            (d, Cow::Borrowed(&[]))
        }
    }
}

/// Detection on the decompressed start of a GZIP or BZIP2 file: the settings for the text, with
/// CompressionType set to `compression`. `decompressed_len` is the whole decompressed size when
/// known (the stream ended), else `None`.
pub fn detect_decompressed(
    compression: Compression,
    decompressed: &[u8],
    decompressed_len: Option<u64>,
) -> Detection {
    let mut d = detect(decompressed, decompressed_len);
    if let Outcome::Settings { input, .. } = &mut d.outcome {
        input.compression = compression;
    }
    if compression != Compression::None {
        d.reasons.insert(0, compression::reason(compression));
    }
    d
}

fn note(setting: Option<&'static str>, text: impl Into<String>) -> Reason {
    Reason {
        setting,
        warning: false,
        text: text.into(),
    }
}

fn warn(setting: Option<&'static str>, text: impl Into<String>) -> Reason {
    Reason {
        setting,
        warning: true,
        text: text.into(),
    }
}
