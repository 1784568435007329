//! The checks in the order the module doc lists them: compression, then whether the bytes are
//! text, then JSON or CSV.

use super::json::{self, JsonGuess};
use super::text::{self, first_char};
use super::{compression, csv, detect_compressed, note, warn, Confidence, Outcome, Reason};
use crate::serialization::{Compression, InputFormat, InputSerialization};

pub(super) fn examine(data: &[u8], complete: bool, reasons: &mut Vec<Reason>) -> Outcome {
    if let Some(c) = detect_compressed(data) {
        reasons.push(compression::reason(c));
        reasons.push(note(
            None,
            "decompress the start of the file and detect on that to find the other settings",
        ));
        return Outcome::Compressed(c);
    }
    // Where this build reads Parquet, its magic is a proposal rather than a refusal.
    if cfg!(feature = "parquet") && data.starts_with(b"PAR1") {
        reasons.push(note(
            Some("Format"),
            "the file starts with PAR1: it is Apache Parquet, read with {\"Parquet\":{}} (its columns carry their own compression, so CompressionType stays NONE)",
        ));
        return Outcome::Settings {
            input: InputSerialization {
                format: InputFormat::Parquet,
                compression: Compression::None,
            },
            confidence: Confidence::High,
        };
    }
    let text = match text::sniff(data, complete, reasons) {
        Ok(text) => text,
        Err(outcome) => return outcome,
    };
    let mut confidence = if text.not_utf8.is_some() {
        Confidence::Low
    } else {
        Confidence::High
    };
    // Warnings go last, after every setting's reason.
    let mut warnings: Vec<Reason> = text.not_utf8.into_iter().collect();
    let input = match json_guess(text.bytes, complete, reasons, &mut warnings) {
        Some(j) => {
            if text.bom {
                warnings.push(warn(
                    None,
                    "the file starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow: this engine answers JSONParsingError on the first record; save the file without it",
                ));
                confidence = Confidence::Low;
            }
            reasons.push(j.reason);
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
            if text.bom {
                reasons.push(warn(
                    None,
                    "the file starts with a UTF-8 byte order mark (EF BB BF): it is not removed, so it becomes part of the first field (AWS does not document otherwise); with FileHeaderInfo USE the first column's name starts with it, so refer to that column as _1, or save the file without the mark",
                ));
            }
            let table = csv::table(text.bytes, complete);
            let (settings, c) = table.settings(reasons, &mut warnings);
            confidence = confidence.min(c);
            InputSerialization {
                format: InputFormat::Csv(settings),
                compression: Compression::None,
            }
        }
    };
    reasons.extend(warnings);
    Outcome::Settings { input, confidence }
}

/// Text that starts with `{` or `[` is JSON, even when it does not parse (S3 Select then answers
/// JSONParsingError, so the user should hear it), unless it is `[` text that reads as a table.
fn json_guess(
    text: &[u8],
    complete: bool,
    reasons: &mut Vec<Reason>,
    warnings: &mut Vec<Reason>,
) -> Option<JsonGuess> {
    let first = first_char(text);
    if !matches!(first, Some(b'{' | b'[')) {
        return None;
    }
    match json::guess(text, complete) {
        Ok(j) => Some(j),
        Err(err) => {
            if first == Some(b'[') && csv::table(text, complete).is_table() {
                reasons.push(note(
                    Some("Format"),
                    format!("the text starts with '[' but is not JSON ({err}); it splits into a table: read as CSV"),
                ));
                None
            } else {
                warnings.push(warn(
                    Some("Type"),
                    format!("the text starts like JSON but does not parse: {err}; S3 Select will answer JSONParsingError"),
                ));
                Some(json::unparsed(text, complete))
            }
        }
    }
}
