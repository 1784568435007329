//! The fast path for JSON text a query passes through whole (`SELECT *`, `COUNT(*)`): one pass
//! checks a value and writes it compactly, byte for byte as the JSON writer writes the value
//! serde_json would parse. It vouches only for what it reproduces exactly: strings without
//! escapes, integers of at most 18 digits (not `-0`), `true`, `false`, `null`, and up to 64
//! nested containers that hold something. Anything else (escapes, fractions, exponents, deeper
//! nesting, an error) returns `false`, and the caller takes the general path, which parses with
//! serde_json and words any error.

use super::bytes16::{json_special_bits, WIDTH};
use super::json_quotes::Quotes;
use super::json_scan::skip_ws;
use super::words::{first, word_at, HIGHS, ONES};
use crate::value::Value;

/// Where checked text goes: the output buffer, or nowhere when only checking.
trait Emit {
    fn bytes(&mut self, b: &[u8]);
    fn byte(&mut self, b: u8);
}

impl Emit for Vec<u8> {
    #[inline]
    fn bytes(&mut self, b: &[u8]) {
        self.extend_from_slice(b);
    }
    #[inline]
    fn byte(&mut self, b: u8) {
        self.push(b);
    }
}

struct Discard;

impl Emit for Discard {
    #[inline]
    fn bytes(&mut self, _: &[u8]) {}
    #[inline]
    fn byte(&mut self, _: u8) {}
}

/// Is `text` one JSON value (with surrounding whitespace) that this fast path vouches for?
/// `false` says nothing about validity: ask serde_json.
pub fn vouches_for(text: &[u8]) -> bool {
    value(text, &mut Discard, false).is_some()
}

/// Appends the JSON object `text` compactly to `out`. `false` (and `out` unchanged) when
/// `text` is not an object this fast path vouches for.
pub fn write_object(text: &[u8], out: &mut Vec<u8>) -> bool {
    let before = out.len();
    let ok = value(text, out, true).is_some();
    if !ok {
        out.truncate(before);
    }
    ok
}

/// A string, integer, `true`, `false` or `null` filling `text` exactly (no whitespace), as
/// serde_json would parse it; `None` for anything else, including what it does not vouch for.
pub fn scalar(text: &[u8]) -> Option<Value> {
    let (value, end) = match *text.first()? {
        b'"' => (Value::String(plain_str(text)?.to_string()), text.len()),
        b't' => (Value::Bool(true), literal(text, 0, b"true", &mut Discard)?),
        b'f' => (
            Value::Bool(false),
            literal(text, 0, b"false", &mut Discard)?,
        ),
        b'n' => (Value::Null, literal(text, 0, b"null", &mut Discard)?),
        _ => {
            let end = integer(text, 0, &mut Discard)?;
            // cannot fail: integer read text[..end]; 18 digits at most always fit an i64.
            let i = std::str::from_utf8(&text[..end]).ok()?.parse().ok()?;
            (Value::Int(i), end)
        }
    };
    (end == text.len()).then_some(value)
}

/// The content of the string filling `text` exactly, if it has no escape (nor anything
/// serde_json refuses: a control character, invalid UTF-8).
pub fn plain_str(text: &[u8]) -> Option<&str> {
    if text.first() != Some(&b'"') {
        return None;
    }
    let end = string_end(text, 1)?;
    // cannot fail: string_end found the quote at `end` and checked text[1..end] is UTF-8.
    (end + 1 == text.len())
        .then(|| std::str::from_utf8(&text[1..end]).ok())
        .flatten()
}

/// The most nesting vouched for: one bit per open container in a `u64`.
const MAX_DEPTH: u32 = 64;

/// The high bit of each byte of `w` that is `"`, `\` or a control character (below 0x20). The
/// lowest marked byte is always right; bytes above it may be marked falsely by borrows.
#[inline]
pub(crate) fn specials(w: u64) -> u64 {
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let zero_quote = quote.wrapping_sub(ONES) & !quote;
    let zero_backslash = backslash.wrapping_sub(ONES) & !backslash;
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    (zero_quote | zero_backslash | control) & HIGHS
}

/// The index of the first `"`, `\` or control character in `b` at or after `from`, or
/// `b.len()`: the bytes a JSON string must escape.
pub fn next_special(b: &[u8], from: usize) -> usize {
    let mut i = from;
    // Sixteen bytes a step while they last, then words.
    while let Some(step) = b.get(i..i + WIDTH) {
        let marks = step.try_into().map_or(0, json_special_bits);
        if marks != 0 {
            return i + marks.trailing_zeros() as usize;
        }
        i += WIDTH;
    }
    while let Some((w, full)) = word_at(b, i, b' ') {
        let marks = specials(w);
        if marks != 0 {
            return i + first(marks);
        }
        if !full {
            break;
        }
        i += 8;
    }
    b.len()
}

/// The index of the closing quote of the string whose content starts at `i`, if the string has
/// no escape, no control character and is valid UTF-8.
#[inline]
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    let mut seen = 0u64;
    let end = loop {
        let (w, full) = word_at(b, i, b' ')?;
        let marks = specials(w);
        seen |= w;
        if marks != 0 {
            let k = first(marks);
            // cannot fail: a marked byte is a real one (padding is never marked).
            if b[i + k] != b'"' {
                return None;
            }
            break i + k;
        }
        if !full {
            // The text ends inside the string.
            return None;
        }
        i += 8;
    };
    // Non-ASCII text (or a byte after the quote in the last word) needs a UTF-8 check.
    if seen & HIGHS != 0 && std::str::from_utf8(&b[start..end]).is_err() {
        return None;
    }
    Some(end)
}

/// A string at `i` (its opening quote), emitted whole; the index after it.
#[inline]
fn string(b: &[u8], i: usize, quotes: &mut Quotes, out: &mut impl Emit) -> Option<usize> {
    let end = quotes.string_end(i)?;
    // cannot fail: i < end < b.len().
    out.bytes(&b[i..=end]);
    Some(end + 1)
}

/// An integer at `i` that reads back as the same i64 text; the index after it.
#[inline]
fn integer(b: &[u8], i: usize, out: &mut impl Emit) -> Option<usize> {
    let negative = b.get(i) == Some(&b'-');
    let first = i + usize::from(negative);
    let mut j = first;
    match b.get(j)? {
        // `-0` parses as the float -0.0, written `-0.0`.
        b'0' if negative => return None,
        b'0' => j += 1,
        b'1'..=b'9' => {
            j += 1;
            while matches!(b.get(j), Some(b'0'..=b'9')) {
                j += 1;
            }
        }
        _ => return None,
    }
    if matches!(b.get(j), Some(b'.' | b'e' | b'E')) || j - first > 18 {
        return None;
    }
    // cannot fail: i < j <= b.len().
    out.bytes(&b[i..j]);
    Some(j)
}

fn literal(b: &[u8], i: usize, word: &[u8], out: &mut impl Emit) -> Option<usize> {
    let end = i + word.len();
    (b.get(i..end)? == word).then(|| {
        out.bytes(word);
        end
    })
}

/// A number, `true`, `false` or `null` at `i` that this fast path vouches for; the index
/// after it.
#[inline]
fn scalar_token(b: &[u8], i: usize, out: &mut impl Emit) -> Option<usize> {
    match *b.get(i)? {
        b't' => literal(b, i, b"true", out),
        b'f' => literal(b, i, b"false", out),
        b'n' => literal(b, i, b"null", out),
        _ => integer(b, i, out),
    }
}

/// `scalar_token` when only checking.
#[inline]
pub(crate) fn scalar_end(b: &[u8], i: usize) -> Option<usize> {
    scalar_token(b, i, &mut Discard)
}

/// A member's key at `i` and its colon; the index of its value.
#[inline]
fn key(b: &[u8], i: usize, quotes: &mut Quotes, out: &mut impl Emit) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let i = skip_ws(b, string(b, i, quotes, out)?);
    if b.get(i) != Some(&b':') {
        return None;
    }
    out.byte(b':');
    Some(skip_ws(b, i + 1))
}

/// One value filling `b` but for whitespace, without recursion: `open` is a stack of one bit
/// per open container (1: object).
fn value(b: &[u8], out: &mut impl Emit, object_only: bool) -> Option<()> {
    let mut i = skip_ws(b, 0);
    if object_only && b.get(i) != Some(&b'{') {
        return None;
    }
    let quotes = &mut Quotes::new(b);
    let mut open = 0u64;
    let mut depth = 0u32;
    loop {
        // A value starts at i.
        match *b.get(i)? {
            c @ (b'{' | b'[') => {
                let close = if c == b'{' { b'}' } else { b']' };
                out.byte(c);
                let next = skip_ws(b, i + 1);
                if b.get(next) == Some(&close) {
                    out.byte(close);
                    i = next + 1;
                } else {
                    if depth == MAX_DEPTH {
                        return None;
                    }
                    depth += 1;
                    open = open << 1 | u64::from(c == b'{');
                    i = if c == b'{' {
                        key(b, next, quotes, out)?
                    } else {
                        next
                    };
                    continue;
                }
            }
            b'"' => i = string(b, i, quotes, out)?,
            _ => i = scalar_token(b, i, out)?,
        }
        // After a value: close containers until a comma starts the next value.
        loop {
            i = skip_ws(b, i);
            if depth == 0 {
                return (i == b.len() && quotes.finish()).then_some(());
            }
            let in_object = open & 1 == 1;
            match (b.get(i)?, in_object) {
                (b',', _) => {
                    out.byte(b',');
                    let next = skip_ws(b, i + 1);
                    i = if in_object {
                        key(b, next, quotes, out)?
                    } else {
                        next
                    };
                    break;
                }
                (&c @ (b'}' | b']'), _) if (c == b'}') == in_object => {
                    out.byte(c);
                    i += 1;
                    open >>= 1;
                    depth -= 1;
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests;
