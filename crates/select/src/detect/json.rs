//! JSON: DOCUMENT or LINES, from whether each line holds one whole value or values span lines.

use super::text::first_char;
use super::{note, Confidence, Reason};
use crate::serialization::JsonType;

pub(super) struct JsonGuess {
    pub(super) kind: JsonType,
    pub(super) confidence: Confidence,
    pub(super) reason: Reason,
}

impl JsonGuess {
    fn new(kind: JsonType, confidence: Confidence, text: impl Into<String>) -> JsonGuess {
        JsonGuess {
            kind,
            confidence,
            reason: note(Some("Type"), text),
        }
    }
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

/// The JSON Type for text that starts with `{` or `[`, or the parser's message when it is not JSON.
pub(super) fn guess(text: &[u8], complete: bool) -> Result<JsonGuess, String> {
    let lines = json_lines(text, complete);
    let whole_lines = lines.iter().filter(|(_, l)| is_json_value(l)).count();
    if lines.len() >= 2 && whole_lines == lines.len() {
        return Ok(JsonGuess::new(
            JsonType::Lines,
            Confidence::High,
            format!(
                "each of the {} lines holds one whole JSON value: JSON Type set to LINES",
                lines.len()
            ),
        ));
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
        return Ok(JsonGuess::new(
            JsonType::Document,
            if spans {
                Confidence::High
            } else {
                Confidence::Medium
            },
            format!(
                "the file starts with {what}, longer than the {} bytes read: JSON Type set to DOCUMENT",
                text.len()
            ),
        ));
    }
    if values == 1 && lines.len() == 1 && !cut {
        let what = if first_is_array {
            "the file is one JSON array on one line: JSON Type set to DOCUMENT (query its items with FROM S3Object[*][*])"
        } else {
            "the file is one JSON value on one line: JSON Type set to DOCUMENT (LINES reads it the same)"
        };
        return Ok(JsonGuess::new(JsonType::Document, Confidence::High, what));
    }
    if values == 1 && lines.len() == 1 && cut {
        // One whole line and the start of another: one value per line, most likely.
        return Ok(JsonGuess::new(
            JsonType::Lines,
            Confidence::Medium,
            "the first line holds one whole JSON value and another value follows: JSON Type set to LINES",
        ));
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
    Ok(JsonGuess::new(JsonType::Document, Confidence::High, what))
}

/// Is most of the (broken) JSON shaped as one value per line: lines that open and close a value?
fn one_value_per_line(text: &[u8], complete: bool) -> bool {
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

/// A guess for text that starts like JSON but does not parse, by the shape of its lines.
pub(super) fn unparsed(text: &[u8], complete: bool) -> JsonGuess {
    let lines = one_value_per_line(text, complete);
    let kind = if lines {
        JsonType::Lines
    } else {
        JsonType::Document
    };
    JsonGuess::new(
        kind,
        Confidence::Low,
        format!(
            "{}: JSON Type set to {}",
            if lines {
                "most lines open and close one JSON value"
            } else {
                "the JSON is not one value per line"
            },
            type_name(kind)
        ),
    )
}

fn type_name(t: JsonType) -> &'static str {
    match t {
        JsonType::Document => "DOCUMENT",
        JsonType::Lines => "LINES",
    }
}
