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
//!   Parquet (`PAR1`), ZIP, 7-Zip, XZ, Zstandard and UTF-16/32 byte order marks are named and
//!   refused; NUL bytes or more than 10% control characters mean binary.
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

use crate::error::{ErrorCode, SelectError};
use crate::serialization::{
    Compression, CsvInput, FileHeaderInfo, InputFormat, InputSerialization, JsonType,
};

/// How much of a file detection reads: the first 64 KiB (of the decompressed bytes when the file
/// is compressed). Bytes past this never change the answer.
pub const DETECT_PREFIX_BYTES: usize = 64 * 1024;

/// How much of a GZIP or BZIP2 file to read for [`detect_decompressing`]: one BZIP2 block holds
/// up to 900 kB of text and yields nothing until it is whole, so 1 MiB of compressed bytes always
/// reaches the first block's end. GZIP needs far less; the output is capped either way.
pub const DETECT_COMPRESSED_PREFIX_BYTES: usize = 1024 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

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
                    compression_name(*c)
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
                    "The file is Apache Parquet: S3 Select reads it with {\"Parquet\":{}}, but this engine reads only CSV and JSON."
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
                        compression_name(*c)
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
                out.push_str(compression_name(*c));
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

fn compression_name(c: Compression) -> &'static str {
    match c {
        Compression::None => "NONE",
        Compression::Gzip => "GZIP",
        Compression::Bzip2 => "BZIP2",
    }
}

/// Shows the characters a reader cannot see: `\r` as ␍, `\n` as ␊, a tab as →, other control
/// characters as their control pictures (␀ …), a byte order mark as ⟨BOM⟩, and leading and
/// trailing spaces as ·.
pub fn show_invisible(s: &str) -> String {
    let lead = s.len() - s.trim_start_matches(' ').len();
    let trail = s.len() - s.trim_end_matches(' ').len();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        let edge_space = c == ' ' && (i < lead || i >= s.len() - trail);
        match c {
            _ if edge_space => out.push('·'),
            '\t' => out.push('→'),
            '\u{feff}' => out.push_str("⟨BOM⟩"),
            // cannot fail: c is below 0x20 (or 0x7f), so 0x2400 + c is a control picture.
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('␡'),
            c => out.push(c),
        }
    }
    out
}

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

/// [`detect`], then for GZIP or BZIP2 bytes (where this build has the codec) decompresses a
/// bounded prefix and detects on that. `prefix` should hold [`DETECT_PREFIX_BYTES`] of the file,
/// or [`DETECT_COMPRESSED_PREFIX_BYTES`] when [`detect_compressed`] says it is compressed.
pub fn detect_decompressing(prefix: &[u8], total_len: Option<u64>) -> Detection {
    let Some(c) = detect_compressed(prefix) else {
        return detect(prefix, total_len);
    };
    if !can_decompress(c) {
        return detect(prefix, total_len);
    }
    let whole = total_len.is_some_and(|n| n <= prefix.len() as u64);
    match decompress_prefix(c, prefix, whole) {
        Ok((bytes, len)) => detect_decompressed(c, &bytes, len),
        Err(e) => Detection {
            outcome: Outcome::CouldNotTell(Unreadable::Corrupt(c, e.message.clone())),
            reasons: vec![compression_reason(c), warn(None, e.message)],
            bytes_examined: 0,
        },
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
        d.reasons.insert(0, compression_reason(compression));
    }
    d
}

fn compression_reason(c: Compression) -> Reason {
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
    let outcome = examine(data, complete, &mut reasons);
    Detection {
        outcome,
        reasons,
        bytes_examined: data.len(),
    }
}

fn unreadable(u: Unreadable, text: &str, reasons: &mut Vec<Reason>) -> Outcome {
    reasons.push(warn(None, text));
    Outcome::CouldNotTell(u)
}

fn examine(data: &[u8], complete: bool, reasons: &mut Vec<Reason>) -> Outcome {
    if data.is_empty() {
        return unreadable(
            Unreadable::Empty,
            "the file is empty: nothing to detect (any settings read it, with no records)",
            reasons,
        );
    }
    if let Some(c) = detect_compressed(data) {
        reasons.push(compression_reason(c));
        reasons.push(note(
            None,
            "decompress the start of the file and detect on that to find the other settings",
        ));
        return Outcome::Compressed(c);
    }
    let signatures: &[(&[u8], Unreadable, &str)] = &[
        (b"PAR1", Unreadable::Parquet, "the file starts with PAR1: it is Apache Parquet, which S3 Select reads with {\"Parquet\":{}} but this engine does not (it reads CSV and JSON)"),
        (b"PK\x03\x04", Unreadable::Archive("ZIP"), "the file starts with PK: it is a ZIP archive, not a format S3 Select reads (CSV or JSON, uncompressed, GZIP or BZIP2); extract the file first"),
        (b"PK\x05\x06", Unreadable::Archive("ZIP"), "the file is an empty ZIP archive, not a format S3 Select reads"),
        (b"7z\xBC\xAF\x27\x1C", Unreadable::Archive("7-Zip"), "the file is a 7-Zip archive, not a format S3 Select reads (CSV or JSON, uncompressed, GZIP or BZIP2); extract it first"),
        (b"\xFD7zXZ\x00", Unreadable::Archive("XZ"), "the file is XZ-compressed, which S3 Select does not read (only GZIP and BZIP2); decompress it or recompress it with gzip"),
        (b"\x28\xB5\x2F\xFD", Unreadable::Archive("Zstandard"), "the file is Zstandard-compressed, which S3 Select does not read (only GZIP and BZIP2); decompress it or recompress it with gzip"),
        (b"\xFF\xFE", Unreadable::Utf16, "the file starts with a UTF-16 (or UTF-32) byte order mark: S3 Select reads UTF-8 only; save it as UTF-8"),
        (b"\xFE\xFF", Unreadable::Utf16, "the file starts with a UTF-16 byte order mark: S3 Select reads UTF-8 only; save it as UTF-8"),
    ];
    for (magic, u, text) in signatures {
        if data.starts_with(magic) {
            return unreadable(u.clone(), text, reasons);
        }
    }
    let bom = data.starts_with(BOM);
    // cannot fail: a BOM is 3 bytes and data starts with it.
    let text = if bom { &data[3..] } else { data };
    let controls = text
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if text.contains(&0) || controls * 10 > text.len() {
        return unreadable(
            Unreadable::Binary,
            "the file holds NUL bytes or many control characters: it is binary, not CSV or JSON text, so S3 Select cannot read it",
            reasons,
        );
    }
    let mut warnings = Vec::new();
    let mut confidence = Confidence::High;
    if let Err(e) = std::str::from_utf8(text) {
        let cut_char = e.error_len().is_none() && !complete;
        if !cut_char {
            let non_ascii = text.iter().filter(|b| !b.is_ascii()).count();
            let bad = bad_utf8_count(text);
            if bad * 4 > non_ascii.max(1) * 3 && non_ascii * 5 > text.len() {
                return unreadable(
                    Unreadable::Binary,
                    "most of the file's bytes are not UTF-8 text: it looks binary, and S3 Select reads UTF-8 text only",
                    reasons,
                );
            }
            warnings.push(warn(
                None,
                format!(
                    "byte {} is not UTF-8 (the file may be Latin-1 or Windows-1252): S3 Select reads UTF-8 only, and rows with such bytes fail with InvalidTextEncoding; save the file as UTF-8",
                    e.valid_up_to() + if bom { 3 } else { 0 }
                ),
            ));
            confidence = Confidence::Low;
        }
    }
    if text.iter().all(u8::is_ascii_whitespace) {
        return unreadable(
            Unreadable::Empty,
            "the file holds only blank lines: nothing to detect",
            reasons,
        );
    }
    let first = first_char(text);
    let format = if matches!(first, Some(b'{' | b'[')) {
        match json(text, complete) {
            Ok(j) => Some(j),
            Err(err) => {
                let table = csv(text, complete);
                if first == Some(b'[') && table.is_table() {
                    reasons.push(note(
                        Some("Format"),
                        format!("the text starts with '[' but is not JSON ({err}); it splits into a table: read as CSV"),
                    ));
                    None
                } else {
                    let lines = json_lines_share(text, complete);
                    let kind = if lines {
                        JsonType::Lines
                    } else {
                        JsonType::Document
                    };
                    warnings.push(warn(
                        Some("Type"),
                        format!("the text starts like JSON but does not parse: {err}; S3 Select will answer JSONParsingError"),
                    ));
                    Some(JsonGuess {
                        kind,
                        confidence: Confidence::Low,
                        reasons: vec![note(
                            Some("Type"),
                            format!(
                                "{}: JSON Type set to {}",
                                if lines {
                                    "most lines open and close one JSON value"
                                } else {
                                    "the JSON is not one value per line"
                                },
                                type_name(kind)
                            ),
                        )],
                    })
                }
            }
        }
    } else {
        None
    };
    let input = match format {
        Some(j) => {
            if bom {
                warnings.push(warn(
                    None,
                    "the file starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow: this engine answers JSONParsingError on the first record; save the file without it",
                ));
                confidence = Confidence::Low;
            }
            reasons.extend(j.reasons);
            confidence = confidence.min(j.confidence);
            InputSerialization {
                format: InputFormat::Json(j.kind),
                compression: Compression::None,
            }
        }
        None => {
            if !reasons.iter().any(|r| r.setting == Some("Format")) {
                reasons.push(note(
                    Some("Format"),
                    "the text does not start with '{' or '[': read as CSV",
                ));
            }
            if bom {
                reasons.push(warn(
                    None,
                    "the file starts with a UTF-8 byte order mark (EF BB BF): it is not removed, so it becomes part of the first field (AWS does not document otherwise); with FileHeaderInfo USE the first column's name starts with it, so refer to that column as _1, or save the file without the mark",
                ));
            }
            let table = csv(text, complete);
            let (csv, c) = table.settings(reasons, &mut warnings);
            confidence = confidence.min(c);
            InputSerialization {
                format: InputFormat::Csv(csv),
                compression: Compression::None,
            }
        }
    };
    reasons.extend(warnings);
    Outcome::Settings { input, confidence }
}

fn bad_utf8_count(mut text: &[u8]) -> usize {
    let mut bad = 0;
    loop {
        match std::str::from_utf8(text) {
            Ok(_) => return bad,
            Err(e) => {
                let skip = e.error_len().unwrap_or(text.len() - e.valid_up_to());
                bad += skip;
                // cannot fail: valid_up_to + error_len is within text.
                text = text.get(e.valid_up_to() + skip..).unwrap_or_default();
            }
        }
    }
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Document => "DOCUMENT",
        JsonType::Lines => "LINES",
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

struct JsonGuess {
    kind: JsonType,
    confidence: Confidence,
    reasons: Vec<Reason>,
}

fn is_json_value(b: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(b).is_ok()
}

/// The non-blank lines (1-based number, trimmed text), without a last line cut short.
fn json_lines(text: &[u8], complete: bool) -> Vec<(usize, &[u8])> {
    let mut lines: Vec<(usize, &[u8])> = text
        .split(|b| *b == b'\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_ascii()))
        .collect();
    if !complete && !text.ends_with(b"\n") {
        lines.pop();
    }
    lines.retain(|(_, l)| !l.is_empty());
    lines
}

/// Is most of the (broken) JSON shaped as one value per line: lines that open and close a value?
fn json_lines_share(text: &[u8], complete: bool) -> bool {
    let lines = json_lines(text, complete);
    let shaped = lines
        .iter()
        .filter(|(_, l)| {
            matches!(
                (l.first(), l.last()),
                (Some(b'{'), Some(b'}')) | (Some(b'['), Some(b']'))
            )
        })
        .count();
    lines.len() >= 2 && shaped * 2 > lines.len()
}

fn json(text: &[u8], complete: bool) -> Result<JsonGuess, String> {
    let lines = json_lines(text, complete);
    let whole_lines = lines.iter().filter(|(_, l)| is_json_value(l)).count();
    if lines.len() >= 2 && whole_lines == lines.len() {
        return Ok(JsonGuess {
            kind: JsonType::Lines,
            confidence: Confidence::High,
            reasons: vec![note(
                Some("Type"),
                format!(
                    "each of the {} lines holds one whole JSON value: JSON Type set to LINES",
                    lines.len()
                ),
            )],
        });
    }
    // The text as a stream of values (what DOCUMENT reads).
    let mut stream =
        serde_json::Deserializer::from_slice(text).into_iter::<serde::de::IgnoredAny>();
    let (mut values, mut spanning, mut first_is_array, mut cut) = (0usize, 0usize, false, false);
    let mut prev = 0;
    loop {
        match stream.next() {
            None => break,
            Some(Ok(_)) => {
                let end = stream.byte_offset();
                // cannot fail: serde_json's offsets only grow and stay within text.
                let v = text.get(prev..end).unwrap_or_default().trim_ascii();
                if values == 0 {
                    first_is_array = v.starts_with(b"[");
                }
                if v.contains(&b'\n') {
                    spanning += 1;
                }
                values += 1;
                prev = end;
            }
            Some(Err(e)) if e.is_eof() && !complete => {
                cut = true;
                break;
            }
            Some(Err(e)) => {
                return Err(e.to_string());
            }
        }
    }
    if values == 0 && cut {
        // One value longer than the prefix: pretty-printed (it spans lines) or one long line.
        let spans = text.trim_ascii().contains(&b'\n');
        let what = match (first_char(text), spans) {
            (Some(b'['), true) => "a JSON array that spans lines",
            (_, true) => "a JSON value that spans lines",
            (_, false) => "one long line of JSON",
        };
        return Ok(JsonGuess {
            kind: JsonType::Document,
            confidence: if spans {
                Confidence::High
            } else {
                Confidence::Medium
            },
            reasons: vec![note(
                Some("Type"),
                format!(
                    "the file starts with {what}, longer than the {} bytes read: JSON Type set to DOCUMENT",
                    text.len()
                ),
            )],
        });
    }
    if values == 1 && lines.len() == 1 && !cut {
        let what = if first_is_array {
            "the file is one JSON array on one line: JSON Type set to DOCUMENT (query its items with FROM S3Object[*][*])"
        } else {
            "the file is one JSON value on one line: JSON Type set to DOCUMENT (LINES reads it the same)"
        };
        return Ok(JsonGuess {
            kind: JsonType::Document,
            confidence: Confidence::High,
            reasons: vec![note(Some("Type"), what)],
        });
    }
    if values == 1 && lines.len() == 1 && cut {
        // One whole line and the start of another: one value per line, most likely.
        return Ok(JsonGuess {
            kind: JsonType::Lines,
            confidence: Confidence::Medium,
            reasons: vec![note(
                Some("Type"),
                "the first line holds one whole JSON value and another value follows: JSON Type set to LINES",
            )],
        });
    }
    let what = if first_is_array && values == 1 {
        format!(
            "the file is a JSON array that spans {} lines: JSON Type set to DOCUMENT (S3 Select reads the array as one record; query its items with FROM S3Object[*][*])",
            lines.len()
        )
    } else if values + usize::from(cut) == 1 {
        format!(
            "the file is one JSON value that spans {} lines: JSON Type set to DOCUMENT",
            lines.len()
        )
    } else {
        format!(
            "{} of the {} JSON values span several lines (pretty-printed): JSON Type set to DOCUMENT",
            spanning,
            values + usize::from(cut)
        )
    };
    Ok(JsonGuess {
        kind: JsonType::Document,
        confidence: Confidence::High,
        reasons: vec![note(Some("Type"), what)],
    })
}

fn first_char(text: &[u8]) -> Option<u8> {
    text.iter().find(|b| !b.is_ascii_whitespace()).copied()
}

// ---------------------------------------------------------------------------------------------
// CSV

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    Lf,
    CrLf,
    Cr,
}

impl Ending {
    fn bytes(self) -> &'static [u8] {
        match self {
            Ending::Lf => b"\n",
            Ending::CrLf => b"\r\n",
            Ending::Cr => b"\r",
        }
    }
}

const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];
const QUOTES: [u8; 2] = [b'"', b'\''];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dialect {
    ending: Ending,
    delimiter: u8,
    quote: u8,
    escape: u8,
}

#[derive(Debug, Default)]
struct Record {
    /// 1-based line where the record starts.
    line: usize,
    fields: usize,
    values: Vec<String>,
    blank: bool,
    comment: bool,
    /// Quote characters in the record (S3 refuses an odd count without AllowQuotedRecordDelimiter).
    quotes: usize,
}

#[derive(Debug, Default)]
struct Scan {
    records: Vec<Record>,
    quoted_fields: usize,
    first_quoted_line: Option<usize>,
    doubled: usize,
    /// The escape character (not the quote) used inside quoted fields.
    escaped: usize,
    first_escaped_line: Option<usize>,
    /// Text right after a closing quote (a sign the quote or escape is wrong).
    stray: usize,
    /// Line breaks inside quoted fields.
    quoted_breaks: usize,
    first_quoted_break_line: Option<usize>,
    /// The text ended inside quotes.
    unterminated: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Start,
    Plain,
    Quoted,
    Escape,
    QuoteSeen,
}

/// Splits text into records and fields the way the engine does with AllowQuotedRecordDelimiter
/// TRUE (csv-core's rules: a quote is special only at the start of a field).
fn scan(text: &[u8], d: Dialect, complete: bool, keep: bool) -> Scan {
    let term = match d.ending {
        Ending::Lf | Ending::CrLf => b'\n',
        Ending::Cr => b'\r',
    };
    let mut s = Scan::default();
    let mut state = State::Start;
    let mut field: Vec<u8> = Vec::new();
    let mut rec = Record {
        line: 1,
        ..Record::default()
    };
    let mut rec_len = 0usize;
    let mut line = 1usize;
    let end_field = |rec: &mut Record, field: &mut Vec<u8>| {
        rec.fields += 1;
        if keep {
            rec.values.push(String::from_utf8_lossy(field).into_owned());
        }
        field.clear();
    };
    let mut i = 0;
    while let Some(&c) = text.get(i) {
        i += 1;
        let in_quotes = matches!(state, State::Quoted | State::Escape);
        if d.ending == Ending::CrLf && c == b'\r' && text.get(i) == Some(&b'\n') && !in_quotes {
            continue;
        }
        if rec_len == 0 {
            rec.comment = c == b'#';
        }
        rec_len += 1;
        if c == d.quote {
            rec.quotes += 1;
        }
        if c == term {
            line += 1;
        }
        let mut end_record = false;
        match state {
            State::Start | State::Plain if c == d.delimiter => {
                end_field(&mut rec, &mut field);
                state = State::Start;
            }
            State::Start | State::Plain | State::QuoteSeen if c == term => {
                end_field(&mut rec, &mut field);
                end_record = true;
            }
            State::Start if c == d.quote => {
                state = State::Quoted;
                s.quoted_fields += 1;
                s.first_quoted_line.get_or_insert(line);
            }
            State::Start | State::Plain => {
                field.push(c);
                state = State::Plain;
            }
            State::Quoted if c == d.escape && d.escape != d.quote => {
                state = State::Escape;
                s.escaped += 1;
                s.first_escaped_line.get_or_insert(line);
            }
            State::Quoted if c == d.quote => state = State::QuoteSeen,
            State::Quoted => {
                if c == term {
                    s.quoted_breaks += 1;
                    s.first_quoted_break_line.get_or_insert(line - 1);
                }
                field.push(c);
            }
            State::Escape => {
                field.push(c);
                state = State::Quoted;
            }
            State::QuoteSeen if c == d.quote && d.escape == d.quote => {
                field.push(c);
                s.doubled += 1;
                state = State::Quoted;
            }
            State::QuoteSeen if c == d.delimiter => {
                end_field(&mut rec, &mut field);
                state = State::Start;
            }
            State::QuoteSeen => {
                s.stray += 1;
                field.push(c);
                state = State::Plain;
            }
        }
        if end_record {
            rec.blank = rec_len == 1;
            s.records.push(std::mem::take(&mut rec));
            rec.line = line;
            rec_len = 0;
            state = State::Start;
        }
    }
    if rec_len > 0 {
        let open = matches!(state, State::Quoted | State::Escape);
        if complete {
            s.unterminated = open;
            end_field(&mut rec, &mut field);
            s.records.push(rec);
        }
    }
    s
}

/// The field count most records have (ties: the larger), and how many have it.
fn modal(records: &[&Record]) -> (usize, usize) {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for r in records {
        match counts.iter_mut().find(|(n, _)| *n == r.fields) {
            Some((_, k)) => *k += 1,
            None => counts.push((r.fields, 1)),
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(n, k)| (k, n))
        .unwrap_or((0, 0))
}

struct Candidate {
    dialect: Dialect,
    scan: Scan,
    modal: usize,
    consistent: usize,
    total: usize,
    pref: usize,
}

impl Candidate {
    fn data(&self) -> Vec<&Record> {
        self.scan
            .records
            .iter()
            .filter(|r| !r.blank && !r.comment)
            .collect()
    }
    fn stray(&self) -> usize {
        self.scan.stray + usize::from(self.scan.unterminated)
    }
    /// consistent / total, compared without division.
    fn ratio_cmp(&self, other: &Candidate) -> std::cmp::Ordering {
        (self.consistent * other.total.max(1)).cmp(&(other.consistent * self.total.max(1)))
    }
}

fn evaluate(text: &[u8], dialect: Dialect, complete: bool, pref: usize) -> Candidate {
    let scan = scan(text, dialect, complete, false);
    let mut c = Candidate {
        dialect,
        scan,
        modal: 0,
        consistent: 0,
        total: 0,
        pref,
    };
    let data = c.data();
    let (modal, consistent) = modal(&data);
    let total = data.len();
    c.modal = modal;
    c.consistent = consistent;
    c.total = total;
    c
}

/// Every ',' outside quotes sits between two digits (a decimal comma).
fn commas_are_decimal(text: &[u8]) -> bool {
    let mut any = false;
    for (i, &b) in text.iter().enumerate() {
        if b == b',' {
            any = true;
            let before = i.checked_sub(1).and_then(|j| text.get(j));
            let after = text.get(i + 1);
            if !(before.is_some_and(u8::is_ascii_digit) && after.is_some_and(u8::is_ascii_digit)) {
                return false;
            }
        }
    }
    any
}

struct Table<'a> {
    text: &'a [u8],
    complete: bool,
    ending: Ending,
    ending_counts: (usize, usize, usize),
    best: Candidate,
    decimal_comma: bool,
}

fn line_endings(text: &[u8], complete: bool) -> (usize, usize, usize) {
    let (mut crlf, mut lf, mut cr) = (0, 0, 0);
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'\n' if i > 0 && text.get(i - 1) == Some(&b'\r') => crlf += 1,
            b'\n' => lf += 1,
            b'\r' => match text.get(i + 1) {
                Some(b'\n') => {}
                None if !complete => {}
                _ => cr += 1,
            },
            _ => {}
        }
    }
    (crlf, lf, cr)
}

fn csv(text: &[u8], complete: bool) -> Table<'_> {
    let (crlf, lf, cr) = line_endings(text, complete);
    let ending = if crlf > 0 && crlf >= lf && crlf >= cr {
        Ending::CrLf
    } else if cr > lf && cr > crlf {
        Ending::Cr
    } else {
        Ending::Lf
    };
    let mut best: Option<Candidate> = None;
    let decimal_comma = commas_are_decimal(text);
    let mut pref = 0;
    for delimiter in DELIMITERS {
        for quote in QUOTES {
            for escape in [quote, b'\\'] {
                let d = Dialect {
                    ending,
                    delimiter,
                    quote,
                    escape,
                };
                let c = evaluate(text, d, complete, pref);
                pref += 1;
                best = Some(match best {
                    None => c,
                    Some(b) => {
                        if better(&c, &b, decimal_comma) {
                            c
                        } else {
                            b
                        }
                    }
                });
            }
        }
    }
    // cannot fail: the loops above ran.
    let best = best.unwrap_or_else(|| {
        evaluate(
            text,
            Dialect {
                ending,
                delimiter: b',',
                quote: b'"',
                escape: b'"',
            },
            complete,
            0,
        )
    });
    Table {
        text,
        complete,
        ending,
        ending_counts: (crlf, lf, cr),
        best,
        decimal_comma,
    }
}

/// Is `a` a better reading than `b`?
fn better(a: &Candidate, b: &Candidate, decimal_comma: bool) -> bool {
    use std::cmp::Ordering::*;
    let split = |c: &Candidate| c.modal >= 2;
    match split(a).cmp(&split(b)) {
        Greater => return true,
        Less => return false,
        Equal => {}
    }
    match a.ratio_cmp(b) {
        Greater => return true,
        Less => return false,
        Equal => {}
    }
    match a.stray().cmp(&b.stray()) {
        Less => return true,
        Greater => return false,
        Equal => {}
    }
    if decimal_comma && a.dialect.delimiter != b.dialect.delimiter {
        if a.dialect.delimiter == b';' && b.dialect.delimiter == b',' {
            return true;
        }
        if b.dialect.delimiter == b';' && a.dialect.delimiter == b',' {
            return false;
        }
    }
    match a.modal.cmp(&b.modal) {
        Greater => return true,
        Less => return false,
        Equal => {}
    }
    // An escape that is never used is no evidence: the plain doubled quote stays.
    a.pref < b.pref
}

fn fields(n: usize) -> String {
    if n == 1 {
        "1 field is".to_string()
    } else {
        format!("{n} fields are")
    }
}

fn shown_char(b: u8) -> String {
    match b {
        b'\t' => "tab ('\\t')".to_string(),
        b'\'' => "\"'\"".to_string(),
        b'\\' => "'\\'".to_string(),
        b => format!("'{}'", char::from(b)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    Int,
    Dec,
    Bool,
    Date,
    Text,
}

fn kind(s: &str) -> Kind {
    let t = s.trim();
    if t.is_empty() {
        return Kind::Empty;
    }
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let b = body.as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
        return Kind::Int;
    }
    if b.first().is_some_and(|c| c.is_ascii_digit() || *c == b'.')
        && b.iter().any(u8::is_ascii_digit)
        && body.parse::<f64>().is_ok()
    {
        return Kind::Dec;
    }
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return Kind::Bool;
    }
    let d = t.as_bytes();
    if d.len() >= 10
        && d[..4].iter().all(u8::is_ascii_digit)
        && d[4] == b'-'
        && d[5..7].iter().all(u8::is_ascii_digit)
        && d[7] == b'-'
        && d[8..10].iter().all(u8::is_ascii_digit)
    {
        return Kind::Date;
    }
    Kind::Text
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Number,
    Bool,
    Date,
}

fn class(k: Kind) -> Option<Class> {
    match k {
        Kind::Int | Kind::Dec => Some(Class::Number),
        Kind::Bool => Some(Class::Bool),
        Kind::Date => Some(Class::Date),
        Kind::Empty | Kind::Text => None,
    }
}

fn class_plural(c: Class) -> &'static str {
    match c {
        Class::Number => "numbers",
        Class::Bool => "true/false values",
        Class::Date => "dates",
    }
}

fn name_like(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars().count() <= 64
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '-' | '.'))
}

fn short(s: &str) -> String {
    let shown = show_invisible(s);
    if shown.chars().count() > 24 {
        format!("{}…", shown.chars().take(24).collect::<String>())
    } else {
        shown
    }
}

struct HeaderVote {
    use_header: bool,
    confidence: Confidence,
    text: String,
}

fn header_vote(rows: &[&Record]) -> HeaderVote {
    let Some((first, rest)) = rows.split_first() else {
        return HeaderVote {
            use_header: false,
            confidence: Confidence::Low,
            text: "no lines: FileHeaderInfo left at NONE".into(),
        };
    };
    let names = &first.values;
    let listed = names
        .iter()
        .take(6)
        .map(|n| short(n))
        .collect::<Vec<_>>()
        .join(", ");
    let listed = if names.len() > 6 {
        format!("{listed}, …")
    } else {
        listed
    };
    let (mut pos, mut neg) = (0i64, 0i64);
    let mut for_header = Vec::new();
    let mut for_data = Vec::new();
    for (j, name) in names.iter().enumerate() {
        let below: Vec<Kind> = rest
            .iter()
            .filter_map(|r| r.values.get(j))
            .map(|v| kind(v))
            .filter(|k| *k != Kind::Empty)
            .collect();
        let Some(col) = column_class(&below) else {
            continue;
        };
        let h = kind(name);
        match class(h) {
            None if h == Kind::Text => {
                pos += 3;
                for_header.push(format!(
                    "column {} has '{}' above {}",
                    j + 1,
                    short(name),
                    class_plural(col)
                ));
            }
            None => {}
            Some(Class::Number)
                if h == Kind::Int
                    && (col == Class::Date
                        || (col == Class::Number && below.iter().all(|k| *k == Kind::Dec))) =>
            {
                pos += 1;
                for_header.push(format!(
                    "column {} has the whole number '{}' above {}",
                    j + 1,
                    short(name),
                    if col == Class::Date {
                        "dates"
                    } else {
                        "decimals"
                    }
                ));
            }
            Some(c) if c == col => {
                neg += 1;
                for_data.push(format!(
                    "column {} has '{}' like the {} below it",
                    j + 1,
                    short(name),
                    class_plural(col)
                ));
            }
            Some(_) => {}
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut duplicate = None;
    for n in names.iter().filter(|n| !n.trim().is_empty()) {
        if seen.contains(&n.as_str()) {
            duplicate = Some(n);
        }
        seen.push(n);
    }
    if let Some(d) = duplicate {
        neg += 2;
        for_data.push(format!("'{}' appears twice", short(d)));
    }
    if names.len() > 1 && names.iter().any(|n| n.trim().is_empty()) {
        neg += 1;
        for_data.push("a field is empty".into());
    }
    let score = pos - neg;
    let evidence = |v: &[String]| v.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
    if score > 0 {
        let confidence = if neg == 0 && pos >= 2 {
            Confidence::High
        } else {
            Confidence::Medium
        };
        return HeaderVote {
            use_header: true,
            confidence,
            text: format!(
                "line 1 ({listed}) looks like a header: {}: FileHeaderInfo set to USE",
                evidence(&for_header)
            ),
        };
    }
    if score < 0 {
        let confidence = if pos == 0 && neg >= 2 {
            Confidence::High
        } else {
            Confidence::Medium
        };
        return HeaderVote {
            use_header: false,
            confidence,
            text: format!(
                "line 1 ({listed}) looks like data: {}: FileHeaderInfo left at NONE (columns are _1, _2, …)",
                evidence(&for_data)
            ),
        };
    }
    // No column to compare with: does line 1 look like names?
    let repeated = names
        .iter()
        .enumerate()
        .any(|(j, n)| rest.iter().any(|r| r.values.get(j).is_some_and(|v| v == n)));
    let names_like = names.iter().all(|n| name_like(n.trim())) && duplicate.is_none();
    let why = if rest.is_empty() {
        "there is only one line"
    } else {
        "no column has numbers, dates or true/false values to compare with"
    };
    if names_like && !repeated {
        HeaderVote {
            use_header: true,
            confidence: Confidence::Low,
            text: format!(
                "{why}; line 1 ({listed}) looks like names: FileHeaderInfo set to USE (a guess: if line 1 is data, choose NONE)"
            ),
        }
    } else {
        HeaderVote {
            use_header: false,
            confidence: Confidence::Low,
            text: format!(
                "{why}; line 1 ({listed}) does not look like names: FileHeaderInfo left at NONE (a guess)"
            ),
        }
    }
}

/// The kind of value a column holds below line 1, when 90% of its non-empty values agree.
fn column_class(below: &[Kind]) -> Option<Class> {
    if below.is_empty() {
        return None;
    }
    for c in [Class::Number, Class::Date, Class::Bool] {
        let n = below.iter().filter(|k| class(**k) == Some(c)).count();
        if n * 10 >= below.len() * 9 {
            return Some(c);
        }
    }
    None
}

impl Table<'_> {
    /// Splits into two or more fields on most lines.
    fn is_table(&self) -> bool {
        self.best.modal >= 2 && self.best.total >= 2 && self.best.consistent == self.best.total
    }

    fn settings(
        &self,
        reasons: &mut Vec<Reason>,
        warnings: &mut Vec<Reason>,
    ) -> (CsvInput, Confidence) {
        let mut confidence = Confidence::High;
        // RecordDelimiter.
        let (crlf, lf, cr) = self.ending_counts;
        let text = match self.ending {
            Ending::CrLf if lf == 0 && cr == 0 => {
                "lines end in \\r\\n: RecordDelimiter set to \\r\\n".to_string()
            }
            Ending::CrLf => format!(
                "{crlf} lines end in \\r\\n and {} otherwise: RecordDelimiter set to \\r\\n",
                lf + cr
            ),
            Ending::Cr => format!(
                "lines end in \\r alone ({cr} lines, as classic Mac OS wrote them): RecordDelimiter set to \\r"
            ),
            Ending::Lf if lf == 0 => {
                "the text is one line with no line break: RecordDelimiter left at \\n".to_string()
            }
            Ending::Lf => "lines end in \\n: RecordDelimiter \\n (the default)".to_string(),
        };
        reasons.push(note(Some("RecordDelimiter"), text));
        if self.ending == Ending::Lf && crlf > 0 {
            warnings.push(warn(
                Some("RecordDelimiter"),
                format!(
                    "{crlf} line{} in \\r\\n: the last field keeps the \\r there",
                    if crlf == 1 { " ends" } else { "s end" }
                ),
            ));
        }
        let mut d = self.best.dialect;
        let mut s = scan(self.text, d, self.complete, true);
        // FieldDelimiter.
        let data: Vec<&Record> = s
            .records
            .iter()
            .filter(|r| !r.blank && !r.comment)
            .collect();
        let (modal, consistent) = modal(&data);
        let total = data.len();
        let delim = shown_char(d.delimiter);
        let default = if d.delimiter == b',' {
            " (the default)"
        } else {
            ""
        };
        if modal < 2 {
            reasons.push(note(
                Some("FieldDelimiter"),
                "no line has ',', ';', tab or '|' outside quotes: one field per line; FieldDelimiter left at ','",
            ));
            confidence = confidence.min(Confidence::Medium);
        } else if total == 1 {
            reasons.push(note(
                Some("FieldDelimiter"),
                format!("{delim} splits the only line into {modal} fields: FieldDelimiter set to {delim}{default}"),
            ));
            confidence = confidence.min(Confidence::Medium);
        } else if consistent == total {
            reasons.push(note(
                Some("FieldDelimiter"),
                format!("{delim} splits every line into {modal} fields: FieldDelimiter set to {delim}{default}"),
            ));
            if total < 3 {
                confidence = confidence.min(Confidence::Medium);
            }
        } else {
            let odd = data.iter().find(|r| r.fields != modal);
            let example = odd.map_or(String::new(), |r| {
                format!(" (line {} has {})", r.line, r.fields)
            });
            reasons.push(note(
                Some("FieldDelimiter"),
                format!("{delim} splits {consistent} of {total} lines into {modal} fields{example}: FieldDelimiter set to {delim}{default}"),
            ));
            confidence = confidence.min(if consistent * 10 >= total * 9 {
                Confidence::Medium
            } else {
                Confidence::Low
            });
        }
        if self.decimal_comma && d.delimiter == b';' {
            reasons.push(note(
                Some("FieldDelimiter"),
                "every ',' sits between digits: decimal commas, not separators",
            ));
        }
        // QuoteCharacter and QuoteEscapeCharacter.
        if s.quoted_fields > 0 {
            let line = s.first_quoted_line.unwrap_or(1);
            if d.quote == b'"' {
                reasons.push(note(
                    Some("QuoteCharacter"),
                    format!("{} quoted with '\"' (first on line {line}): QuoteCharacter '\"' (the default)", fields(s.quoted_fields)),
                ));
            } else {
                reasons.push(note(
                    Some("QuoteCharacter"),
                    format!(
                        "{} quoted with \"'\" (first on line {line}): QuoteCharacter set to \"'\"",
                        fields(s.quoted_fields)
                    ),
                ));
            }
            if d.escape != d.quote {
                reasons.push(note(
                    Some("QuoteEscapeCharacter"),
                    format!(
                        "quotes inside quoted fields are escaped with a backslash (first on line {}): QuoteEscapeCharacter set to '\\'",
                        s.first_escaped_line.unwrap_or(line)
                    ),
                ));
            } else if s.doubled > 0 {
                reasons.push(note(
                    Some("QuoteEscapeCharacter"),
                    format!(
                        "quotes inside quoted fields are doubled ({}{}): QuoteEscapeCharacter {}",
                        char::from(d.quote),
                        char::from(d.quote),
                        shown_char(d.quote)
                    ),
                ));
            }
        }
        // AllowQuotedRecordDelimiter.
        let allow = s.quoted_breaks > 0;
        if allow {
            reasons.push(note(
                Some("AllowQuotedRecordDelimiter"),
                format!(
                    "a quoted field on line {} holds a line break: AllowQuotedRecordDelimiter set to TRUE",
                    s.first_quoted_break_line.unwrap_or(1)
                ),
            ));
        }
        if s.unterminated {
            warnings.push(warn(
                Some("QuoteCharacter"),
                "a quoted field is never closed: the rest of the file reads as one field (S3 Select answers CSVParsingError)",
            ));
            confidence = Confidence::Low;
        }
        // Unbalanced quotes that S3 refuses (without AllowQuotedRecordDelimiter, with the quote
        // doubled as its escape): when the quote never quotes a field, use one the file lacks.
        if !allow && d.escape == d.quote {
            let odd: Vec<usize> = s
                .records
                .iter()
                .filter(|r| r.quotes % 2 == 1 && !r.comment)
                .map(|r| r.line)
                .collect();
            if let Some(&line) = odd.first() {
                let spare = [b'\'', b'`', b'~']
                    .into_iter()
                    .find(|q| !self.text.contains(q) && *q != d.delimiter);
                match spare {
                    Some(q) if s.quoted_fields == 0 => {
                        reasons.push(note(
                            Some("QuoteCharacter"),
                            format!(
                                "{} never quotes a field but appears an odd number of times on line {line} (e.g. 5\" for inches), which S3 Select refuses: QuoteCharacter and QuoteEscapeCharacter set to {}, which the file does not use",
                                shown_char(d.quote),
                                shown_char(q)
                            ),
                        ));
                        d.quote = q;
                        d.escape = q;
                        s = scan(self.text, d, self.complete, true);
                    }
                    _ => {
                        warnings.push(warn(
                            Some("QuoteCharacter"),
                            format!(
                                "line {line} has an odd number of {}: S3 Select refuses it (CSVParsingError)",
                                shown_char(d.quote)
                            ),
                        ));
                        confidence = Confidence::Low;
                    }
                }
            }
        }
        // Comments.
        let comment_lines: Vec<&Record> = s.records.iter().filter(|r| r.comment).collect();
        let leading = s
            .records
            .iter()
            .find(|r| !r.blank)
            .is_some_and(|r| r.comment);
        let odd_shaped = comment_lines.iter().filter(|r| r.fields != modal).count();
        let comments =
            !comment_lines.is_empty() && (leading || odd_shaped * 2 > comment_lines.len());
        if comments {
            let n = comment_lines.len();
            reasons.push(note(
                Some("Comments"),
                format!(
                    "{n} line{} start{} with '#' (first: line {}){}: Comments set to '#'",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "s" } else { "" },
                    comment_lines.first().map_or(1, |r| r.line),
                    match (leading, n) {
                        (true, _) => ", before the data",
                        (false, 1) => " and does not have the table's shape",
                        (false, _) => " and do not have the table's shape",
                    }
                ),
            ));
        } else if !comment_lines.is_empty() {
            reasons.push(note(
                Some("Comments"),
                format!(
                    "{} line{} with '#' but {} the table's {modal} fields: read as data (Comments not set)",
                    comment_lines.len(),
                    if comment_lines.len() == 1 { " starts" } else { "s start" },
                    if comment_lines.len() == 1 { "has" } else { "have" },
                ),
            ));
        }
        // FileHeaderInfo.
        let rows: Vec<&Record> = s
            .records
            .iter()
            .filter(|r| !(r.blank || (comments && r.comment)))
            .collect();
        let vote = header_vote(&rows);
        confidence = confidence.min(vote.confidence);
        reasons.push(note(Some("FileHeaderInfo"), vote.text));
        if vote.use_header {
            if let Some(first) = rows.first() {
                header_notes(&first.values, reasons);
            }
        }
        let csv = CsvInput {
            file_header_info: if vote.use_header {
                FileHeaderInfo::Use
            } else {
                FileHeaderInfo::None
            },
            comments: comments.then_some(b'#'),
            quote: d.quote,
            quote_escape: d.escape,
            field_delimiter: d.delimiter,
            record_delimiter: self.ending.bytes().to_vec(),
            allow_quoted_record_delimiter: allow,
        };
        (csv, confidence)
    }
}

/// Notes on header names that need care in SQL.
fn header_notes(names: &[String], reasons: &mut Vec<Reason>) {
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    if let Some((_, n)) = lower
        .iter()
        .enumerate()
        .find(|(i, n)| !n.is_empty() && lower.get(..*i).is_some_and(|before| before.contains(n)))
    {
        reasons.push(note(
            Some("FileHeaderInfo"),
            format!(
                "the name '{}' appears more than once (ignoring case): an unquoted s.{} is ambiguous (AmbiguousFieldName); use the position, _N",
                short(n),
                short(n)
            ),
        ));
    }
    if let Some(n) = names
        .iter()
        .find(|n| !n.is_empty() && !n.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        reasons.push(note(
            Some("FileHeaderInfo"),
            format!(
                "names such as '{}' hold characters other than letters, digits and _: write them in double quotes, s.\"{}\"",
                short(n),
                n.replace('"', "\"\"")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_shown() {
        assert_eq!(show_invisible("t\r"), "t␍");
        assert_eq!(show_invisible("a\tb"), "a→b");
        assert_eq!(show_invisible(" a b  "), "·a b··");
        assert_eq!(show_invisible("\u{feff}id"), "⟨BOM⟩id");
        assert_eq!(show_invisible("x\u{1}"), "x␁");
    }

    #[test]
    fn kinds() {
        assert_eq!(kind("12"), Kind::Int);
        assert_eq!(kind("-1.5e3"), Kind::Dec);
        assert_eq!(kind("inf"), Kind::Text);
        assert_eq!(kind("2020-06-04T08:10:00Z"), Kind::Date);
        assert_eq!(kind("TRUE"), Kind::Bool);
        assert_eq!(kind(" "), Kind::Empty);
    }

    #[test]
    fn scan_follows_csv_core_rules() {
        let d = Dialect {
            ending: Ending::CrLf,
            delimiter: b',',
            quote: b'"',
            escape: b'"',
        };
        let s = scan(b"a,\"b,\"\"c\"\"\r\nd\",e\r\nf,g", d, true, true);
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.records[0].values, ["a", "b,\"c\"\r\nd", "e"]);
        assert_eq!(s.records[1].values, ["f", "g"]);
        assert_eq!(s.records[1].line, 3);
        assert_eq!((s.doubled, s.quoted_breaks, s.stray), (2, 1, 0));
    }
}
