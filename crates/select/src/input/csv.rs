//! CSV input: finding record boundaries in a byte stream and splitting a record into fields.

use super::bytes16::{equal_bits, WIDTH};
use super::words::{equal, pack};
use crate::error::{ErrorCode, Result, SelectError};
use crate::eval::CsvFields;
use crate::serialization::CsvInput;

/// Where the next record ends: `(end of its content, start of the record after it)`.
pub type Frame = (usize, usize);

pub fn next_record(o: &CsvInput, buf: &[u8], from: usize) -> Option<Frame> {
    let delim = *o.record_delimiter.last()?;
    let crlf = o.record_delimiter.len() == 2;
    let content_end = |pos: usize| {
        // cannot fail: pos > from means pos >= 1, and pos is a found index in buf.
        if crlf && pos > from && buf[pos - 1] == b'\r' {
            pos - 1
        } else {
            pos
        }
    };
    if !o.allow_quoted_record_delimiter {
        let pos = from + memchr::memchr(delim, buf.get(from..)?)?;
        return Some((content_end(pos), pos + 1));
    }
    // Quote-aware scan: a delimiter inside quotes does not end the record.
    let mut in_quotes = false;
    let mut i = from;
    while i < buf.len() {
        let rest = &buf[i..]; // cannot fail: i < buf.len()
        let hit = if o.quote_escape != o.quote {
            memchr::memchr3(o.quote, delim, o.quote_escape, rest)
        } else {
            memchr::memchr2(o.quote, delim, rest)
        }?;
        let p = i + hit;
        // cannot fail: memchr found this byte in buf[i..].
        let c = buf[p];
        if in_quotes && c == o.quote_escape && o.quote_escape != o.quote {
            i = p + 2;
            continue;
        }
        if c == o.quote {
            in_quotes = !in_quotes;
        } else if c == delim && !in_quotes {
            return Some((content_end(p), p + 1));
        }
        i = p + 1;
    }
    None
}

/// Reused buffers for splitting records into fields.
#[derive(Default)]
pub struct CsvRecord {
    text: String,
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

/// One record's fields: slices of the record itself (`gap` 1: a delimiter between fields) or,
/// when it has quotes, of its unescaped copy (`gap` 0).
pub struct CsvRow<'a> {
    text: &'a str,
    ends: &'a [usize],
    gap: usize,
}

impl CsvFields for CsvRow<'_> {
    fn field(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        // cannot fail: index - 1 < index, and `get(index)` above succeeded.
        let start = if index == 0 {
            0
        } else {
            self.ends[index - 1] + self.gap
        };
        self.text.get(start..end)
    }
    fn len(&self) -> usize {
        self.ends.len()
    }
}

impl CsvRow<'_> {
    /// No fields: the row a query that reads none (COUNT(*)) sees.
    pub const EMPTY: CsvRow<'static> = CsvRow {
        text: "",
        ends: &[],
        gap: 0,
    };

    /// The header names, for FileHeaderInfo USE.
    pub fn names(&self) -> Vec<String> {
        (0..self.len())
            .map(|i| self.field(i).unwrap_or("").to_string())
            .collect()
    }
}

/// Pushes the index of each `delimiter` in `record` onto `ends`, stopping once `ends` holds
/// `limit`; true if the last field's end is still wanted (fewer than `limit`). Sixteen bytes a
/// step (one vector compare), then words and the last bytes one by one, so the loops have no
/// padding or call per step (the browser build is optimised for size, and did not inline a
/// padded word read).
fn field_ends(record: &[u8], delimiter: u8, limit: usize, ends: &mut Vec<usize>) -> bool {
    // Bit k of `marks`: byte `base + k` is a delimiter. False once `limit` is reached.
    let mut take = |base: usize, mut marks: u32| {
        while marks != 0 {
            if ends.len() >= limit {
                return false;
            }
            ends.push(base + marks.trailing_zeros() as usize);
            marks &= marks - 1;
        }
        true
    };
    let mut steps = record.chunks_exact(WIDTH);
    let mut base = 0;
    for step in &mut steps {
        // cannot fail: chunks_exact hands out WIDTH bytes.
        let marks = step.try_into().map_or(0, |s| equal_bits(s, delimiter));
        if !take(base, marks) {
            return false;
        }
        base += WIDTH;
    }
    let mut words = steps.remainder().chunks_exact(8);
    for chunk in &mut words {
        // cannot fail: chunks_exact hands out 8 bytes.
        let w = chunk.try_into().map_or(0, u64::from_le_bytes);
        if !take(base, pack(equal(w, delimiter)) as u32) {
            return false;
        }
        base += 8;
    }
    for (k, &b) in words.remainder().iter().enumerate() {
        if b == delimiter && !take(base + k, 1) {
            return false;
        }
    }
    ends.len() < limit
}

fn parse_error(code: ErrorCode, msg: &str) -> SelectError {
    SelectError::new(code, msg.to_string())
}

fn not_utf8() -> SelectError {
    parse_error(
        ErrorCode::InvalidTextEncoding,
        "The CSV input is not valid UTF-8.",
    )
}

impl CsvRecord {
    /// Splits a record into fields; with `limit`, only the first `limit` fields are read.
    /// `quoted`: the record holds a quote character ([`has_quote`]). Fields
    /// without quotes are read in place; only quoted records are copied, to unescape them.
    /// `text`: the record as text, when the caller already knows it is UTF-8.
    pub fn parse<'a>(
        &'a mut self,
        o: &CsvInput,
        (record, text): (&'a [u8], Option<&'a str>),
        limit: Option<usize>,
        quoted: bool,
    ) -> Result<CsvRow<'a>> {
        self.ends.clear();
        if quoted {
            self.bytes.clear();
            self.parse_quoted(o, record)?;
            let text = std::str::from_utf8(&self.bytes).map_err(|_| not_utf8())?;
            self.text.clear();
            self.text.push_str(text);
            return Ok(CsvRow {
                text: &self.text,
                ends: &self.ends,
                gap: 0,
            });
        }
        let limit = limit.unwrap_or(usize::MAX);
        if field_ends(record, o.field_delimiter, limit, &mut self.ends) {
            self.ends.push(record.len());
        }
        // Only the fields read must be UTF-8, as when they were copied out one by one.
        let read = self.ends.last().copied().unwrap_or(0);
        // Slicing cannot fail: every end is a delimiter's index in `record` or its length.
        let text = match text {
            Some(text) => text,
            None => std::str::from_utf8(&record[..read]).map_err(|_| not_utf8())?,
        };
        Ok(CsvRow {
            text,
            ends: &self.ends,
            gap: 1,
        })
    }

    fn parse_quoted(&mut self, o: &CsvInput, record: &[u8]) -> Result<()> {
        let mut builder = csv_core::ReaderBuilder::new();
        builder
            .delimiter(o.field_delimiter)
            .quote(o.quote)
            .terminator(csv_core::Terminator::Any(0));
        if o.quote_escape != o.quote {
            builder.escape(Some(o.quote_escape)).double_quote(false);
        }
        let mut reader = builder.build();
        let mut input = record;
        let mut out = vec![0u8; record.len() + 1];
        let mut ends = vec![0usize; record.len() + 1];
        let (mut out_len, mut n_ends) = (0, 0);
        // Slicing cannot fail: csv-core never reports more bytes read or written (nin, nout,
        // nend) than the slices it was given held.
        loop {
            let (res, nin, nout, nend) =
                reader.read_record(input, &mut out[out_len..], &mut ends[n_ends..]);
            input = &input[nin..];
            // csv-core reports field ends relative to the start of the record.
            out_len += nout;
            n_ends += nend;
            match res {
                csv_core::ReadRecordResult::InputEmpty if input.is_empty() => {
                    // Signal end of input so the last field is closed.
                    let (res, _, nout, nend) =
                        reader.read_record(&[], &mut out[out_len..], &mut ends[n_ends..]);
                    out_len += nout;
                    n_ends += nend;
                    // Record or End: `out` and `ends` have room for the whole record.
                    if matches!(
                        res,
                        csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End
                    ) {
                        break;
                    }
                    return Err(parse_error(
                        ErrorCode::CSVParsingError,
                        "A CSV record could not be parsed.",
                    ));
                }
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull
                | csv_core::ReadRecordResult::OutputEndsFull => {
                    return Err(parse_error(
                        ErrorCode::CSVParsingError,
                        "A CSV record could not be parsed.",
                    ));
                }
            }
        }
        self.bytes.extend_from_slice(&out[..out_len]);
        self.ends.extend_from_slice(&ends[..n_ends]);
        if self.ends.is_empty() {
            self.ends.push(0);
        }
        Ok(())
    }
}

/// Is the record a comment (it starts with the Comments character)?
pub fn is_comment(o: &CsvInput, record: &[u8]) -> bool {
    o.comments.is_some() && record.first() == o.comments.as_ref()
}

/// Does the record hold a quote character (so its fields need unquoting)?
pub fn has_quote(o: &CsvInput, record: &[u8]) -> bool {
    memchr::memchr(o.quote, record).is_some()
}

/// With AllowQuotedRecordDelimiter FALSE, an odd number of quotes means a record delimiter was
/// inside quotes, which S3 refuses. Answers [`has_quote`] too, so the common record without a
/// quote is scanned once.
pub fn check_unbalanced_quotes(o: &CsvInput, record: &[u8]) -> Result<bool> {
    let Some(first) = memchr::memchr(o.quote, record) else {
        return Ok(false);
    };
    if o.allow_quoted_record_delimiter || o.quote_escape != o.quote {
        return Ok(true);
    }
    // Slicing cannot fail: `first` is a found index in `record`.
    if memchr::memchr_iter(o.quote, &record[first + 1..])
        .count()
        .is_multiple_of(2)
    {
        return Err(parse_error(
            ErrorCode::CSVParsingError,
            "A quoted field contains the record delimiter (or a quote is unbalanced). Set AllowQuotedRecordDelimiter to TRUE if fields contain line breaks.",
        ));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(o: &CsvInput, rec: &str) -> Vec<String> {
        let mut r = CsvRecord::default();
        let quoted = check_unbalanced_quotes(o, rec.as_bytes()).unwrap();
        r.parse(o, (rec.as_bytes(), None), None, quoted)
            .unwrap()
            .names()
    }

    #[test]
    fn splits_plain_and_quoted() {
        let o = CsvInput::default();
        assert_eq!(fields(&o, "a,b,,c"), ["a", "b", "", "c"]);
        assert_eq!(
            fields(&o, r#""a,1","say ""hi""",x"#),
            ["a,1", r#"say "hi""#, "x"]
        );
        assert_eq!(fields(&o, ""), [""]);
        assert_eq!(fields(&o, r#""""#), [""]);
    }

    proptest::proptest! {
        /// The word-at-a-time split finds what a byte-by-byte one finds, whatever the limit.
        #[test]
        fn field_ends_match_a_plain_split(
            record in proptest::collection::vec(proptest::sample::select(vec![b'a', b',', b'|', 0xc3, 0xa9, 0xff, 0]), 0..80),
            delimiter in proptest::sample::select(vec![b',', b'|', 0xff, 0]),
            limit in 0usize..12,
        ) {
            let mut ends = Vec::new();
            let open = field_ends(&record, delimiter, limit, &mut ends);
            let all: Vec<usize> = (0..record.len()).filter(|&i| record[i] == delimiter).collect();
            let expected: Vec<usize> = all.iter().copied().take(limit).collect();
            proptest::prop_assert_eq!(&ends, &expected);
            proptest::prop_assert_eq!(open, all.len() < limit);
        }
    }

    #[test]
    fn custom_escape_and_delimiter() {
        let o = CsvInput {
            quote: b'\'',
            quote_escape: b'\\',
            field_delimiter: b'|',
            ..CsvInput::default()
        };
        assert_eq!(fields(&o, r"'it\'s'|b"), ["it's", "b"]);
    }

    #[test]
    fn framing_respects_quotes_only_when_allowed() {
        let mut o = CsvInput::default();
        let buf = b"a,\"x\ny\",b\nc\n";
        assert_eq!(next_record(&o, buf, 0), Some((4, 5)));
        o.allow_quoted_record_delimiter = true;
        assert_eq!(next_record(&o, buf, 0), Some((9, 10)));
        o.record_delimiter = b"\r\n".to_vec();
        assert_eq!(next_record(&o, b"a\r\nb", 0), Some((1, 3)));
    }
}
