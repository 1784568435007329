//! Whether the bytes are text S3 Select reads: signatures of what it does not (Parquet,
//! archives, UTF-16), binary bytes, a UTF-8 byte order mark and bytes that are not UTF-8. Also
//! how reasons show invisible characters.

use super::{warn, Outcome, Reason, Unreadable};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Formats S3 Select does not read, by their first bytes.
const SIGNATURES: &[(&[u8], Unreadable, &str)] = &[
    (b"PAR1", Unreadable::Parquet, "the file starts with PAR1: it is Apache Parquet, which S3 Select reads with {\"Parquet\":{}} but this engine does not (it reads CSV and JSON)"),
    (b"PK\x03\x04", Unreadable::Archive("ZIP"), "the file starts with PK: it is a ZIP archive, not a format S3 Select reads (CSV or JSON, uncompressed, GZIP or BZIP2); extract the file first"),
    (b"PK\x05\x06", Unreadable::Archive("ZIP"), "the file is an empty ZIP archive, not a format S3 Select reads"),
    (b"7z\xBC\xAF\x27\x1C", Unreadable::Archive("7-Zip"), "the file is a 7-Zip archive, not a format S3 Select reads (CSV or JSON, uncompressed, GZIP or BZIP2); extract it first"),
    (b"\xFD7zXZ\x00", Unreadable::Archive("XZ"), "the file is XZ-compressed, which S3 Select does not read (only GZIP and BZIP2); decompress it or recompress it with gzip"),
    (b"\x28\xB5\x2F\xFD", Unreadable::Archive("Zstandard"), "the file is Zstandard-compressed, which S3 Select does not read (only GZIP and BZIP2); decompress it or recompress it with gzip"),
    (b"\xFF\xFE", Unreadable::Utf16, "the file starts with a UTF-16 (or UTF-32) byte order mark: S3 Select reads UTF-8 only; save it as UTF-8"),
    (b"\xFE\xFF", Unreadable::Utf16, "the file starts with a UTF-16 byte order mark: S3 Select reads UTF-8 only; save it as UTF-8"),
];

/// The bytes to analyse: what follows a UTF-8 byte order mark, if there is one.
pub(super) struct Text<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) bom: bool,
    /// A warning that a byte is not UTF-8: rows holding it fail, so the answer is a guess.
    pub(super) not_utf8: Option<Reason>,
}

/// The text in `data`, or the outcome saying why there is none (its reason pushed).
pub(super) fn sniff<'a>(
    data: &'a [u8],
    complete: bool,
    reasons: &mut Vec<Reason>,
) -> Result<Text<'a>, Outcome> {
    if data.is_empty() {
        return Err(unreadable(
            Unreadable::Empty,
            "the file is empty: nothing to detect (any settings read it, with no records)",
            reasons,
        ));
    }
    for (magic, u, text) in SIGNATURES {
        if data.starts_with(magic) {
            return Err(unreadable(u.clone(), text, reasons));
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
        return Err(unreadable(
            Unreadable::Binary,
            "the file holds NUL bytes or many control characters: it is binary, not CSV or JSON text, so S3 Select cannot read it",
            reasons,
        ));
    }
    let mut not_utf8 = None;
    if let Err(e) = std::str::from_utf8(text) {
        let cut_char = e.error_len().is_none() && !complete;
        if !cut_char {
            let non_ascii = text.iter().filter(|b| !b.is_ascii()).count();
            let bad = bad_utf8_count(text);
            if bad * 4 > non_ascii.max(1) * 3 && non_ascii * 5 > text.len() {
                return Err(unreadable(
                    Unreadable::Binary,
                    "most of the file's bytes are not UTF-8 text: it looks binary, and S3 Select reads UTF-8 text only",
                    reasons,
                ));
            }
            not_utf8 = Some(warn(
                None,
                format!(
                    "byte {} is not UTF-8 (the file may be Latin-1 or Windows-1252): S3 Select reads UTF-8 only, and rows with such bytes fail with InvalidTextEncoding; save the file as UTF-8",
                    e.valid_up_to() + if bom { 3 } else { 0 }
                ),
            ));
        }
    }
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(unreadable(
            Unreadable::Empty,
            "the file holds only blank lines: nothing to detect",
            reasons,
        ));
    }
    Ok(Text {
        bytes: text,
        bom,
        not_utf8,
    })
}

fn unreadable(u: Unreadable, text: &str, reasons: &mut Vec<Reason>) -> Outcome {
    reasons.push(warn(None, text));
    Outcome::CouldNotTell(u)
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

pub(super) fn first_char(text: &[u8]) -> Option<u8> {
    text.iter().find(|b| !b.is_ascii_whitespace()).copied()
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

/// The first `max_lines` lines of `text` as a reader should see them: each line with its ending
/// and every invisible character shown ([`show_invisible`]), cut at `max_chars` characters (with
/// `…`). Lines end after `\n`, or after a `\r` that no `\n` follows. Bytes that are not UTF-8
/// show as `�`.
pub fn preview_lines(text: &[u8], max_lines: usize, max_chars: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() && lines.len() < max_lines {
        let end = memchr::memchr2(b'\n', b'\r', rest).map_or(rest.len(), |i| {
            if rest.get(i) == Some(&b'\r') && rest.get(i + 1) == Some(&b'\n') {
                i + 2
            } else {
                i + 1
            }
        });
        // cannot fail: end is at most rest.len().
        let (line, tail) = rest.split_at(end);
        // The ending is shown apart, so a space before it still counts as trailing.
        let body_len = line.len()
            - line
                .iter()
                .rev()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count()
                .min(2);
        let (body, ending) = line.split_at(body_len);
        let mut shown = show_invisible(&String::from_utf8_lossy(body));
        shown.push_str(&show_invisible(&String::from_utf8_lossy(ending)));
        lines.push(if shown.chars().count() > max_chars {
            format!("{}…", shown.chars().take(max_chars).collect::<String>())
        } else {
            shown
        });
        rest = tail;
    }
    lines
}

/// A value as a reason quotes it: invisible characters shown, cut at 24 characters.
pub(super) fn short(s: &str) -> String {
    let shown = show_invisible(s);
    if shown.chars().count() > 24 {
        format!("{}…", shown.chars().take(24).collect::<String>())
    } else {
        shown
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
    fn preview_shows_each_line_with_its_ending() {
        let text = b"id,name,t\r\n1,Atlas,x\r\n2\tB,y \n3\rold mac\n\xffz";
        assert_eq!(
            preview_lines(text, 10, 80),
            [
                "id,name,t␍␊",
                "1,Atlas,x␍␊",
                "2→B,y·␊",
                "3␍",
                "old mac␊",
                "�z"
            ]
        );
        assert_eq!(preview_lines(text, 2, 80).len(), 2);
        assert_eq!(preview_lines(b"abcdef", 1, 3), ["abc…"]);
        assert!(preview_lines(b"", 5, 5).is_empty());
    }
}
