//! A fast path for JSON records when a query reads only a few top-level fields: find each
//! member's key and value bytes without parsing the values, then parse only the wanted values
//! with serde_json. Anything unusual (escaped keys, odd structure) returns `None`, and the
//! caller parses the whole record with serde_json, which reports the exact error.

use super::json_compact::next_special;
use std::ops::Range;

/// The index of the first byte at or after `i` that is not JSON whitespace.
#[inline]
pub(super) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// End of the string whose opening quote is at `i`, and whether it is plain: no escape and
/// no control character, so its content is the string.
fn skip_string(b: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut j = i + 1;
    let mut plain = true;
    loop {
        let k = next_special(b, j);
        match b.get(k)? {
            b'"' => return Some((k + 1, plain)),
            b'\\' => j = k + 2,
            // A control character: serde_json refuses it when the value is parsed.
            _ => j = k + 1,
        }
        plain = false;
    }
}

/// End of the value starting at `i` (a string, container, number or literal).
fn skip_value(b: &[u8], i: usize) -> Option<(usize, bool)> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while let Some(&c) = b.get(j) {
                match c {
                    b'"' => {
                        j = skip_string(b, j)?.0;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        // cannot underflow: b[i] opened depth 1, and we return when it is 0.
                        depth -= 1;
                        if depth == 0 {
                            return Some((j + 1, false));
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            // Slicing cannot fail: b.get(i) above succeeded, so i < b.len().
            let end = b[i..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .map_or(b.len(), |p| i + p);
            let token = &b[i..end];
            let valid = matches!(token, b"true" | b"false" | b"null")
                || (token
                    .first()
                    .is_some_and(|c| *c == b'-' || c.is_ascii_digit())
                    && token.iter().all(|c| {
                        c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E')
                    }));
            valid.then_some((end, false))
        }
    }
}

/// Where a member's key (without quotes) and value are in the record.
#[derive(Clone)]
pub struct Span {
    pub key: Range<usize>,
    pub value: Range<usize>,
    /// The value is a string with no escape and no control character.
    pub plain: bool,
}

/// Finds the members of a one-object record into `out`; false (and `out` unusable) when the
/// record is not a plain object this scanner vouches for (keys with escapes included).
pub fn members(b: &[u8], out: &mut Vec<Span>) -> bool {
    out.clear();
    scan(b, out).is_some()
}

fn scan(b: &[u8], out: &mut Vec<Span>) -> Option<()> {
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return (skip_ws(b, i + 1) == b.len()).then_some(());
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        // cannot fail: b[i] is the opening quote, so i + 1 <= b.len(); key_end is found in b.
        let key_end = next_special(b, i + 1);
        if b.get(key_end) != Some(&b'"') {
            return None;
        }
        let key = i + 1..key_end;
        i = skip_ws(b, key_end + 1);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_ws(b, i + 1);
        let (end, plain) = skip_value(b, start)?;
        out.push(Span {
            key,
            value: start..end,
            plain,
        });
        i = skip_ws(b, end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return (skip_ws(b, i + 1) == b.len()).then_some(()),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::members;

    #[test]
    fn finds_members() {
        let rec = br#" {"a": "x\"y", "b":[1,{"c":"]"}], "n": -1.5e3, "t":true, "z":null} "#;
        let mut m = Vec::new();
        assert!(members(rec, &mut m));
        let keys: Vec<_> = m
            .iter()
            .map(|m| std::str::from_utf8(&rec[m.key.clone()]).unwrap())
            .collect();
        assert_eq!(keys, ["a", "b", "n", "t", "z"]);
        assert_eq!(&rec[m[1].value.clone()], br#"[1,{"c":"]"}]"#);
        assert_eq!(&rec[m[2].value.clone()], b"-1.5e3");
        let plain: Vec<bool> = m.iter().map(|m| m.plain).collect();
        assert_eq!(plain, [false, false, false, false, false]);
        assert!(members(br#"{"a":"plain","b":"x\ny"}"#, &mut m));
        assert!(m[0].plain && !m[1].plain);
        assert!(members(b"{}", &mut m) && m.is_empty());
    }

    #[test]
    fn declines_what_it_cannot_vouch_for() {
        let mut m = Vec::new();
        for bad in [
            &b"[1]"[..],
            b"{\"a\":tru}",
            b"{\"a\" 1}",
            b"{\"a\":1,}",
            b"{\"a\\u0041\":1}",
            b"{\"a\":1} x",
            b"{\"a\":\"x",
        ] {
            assert!(!members(bad, &mut m), "{}", String::from_utf8_lossy(bad));
        }
    }
}
