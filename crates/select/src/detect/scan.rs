//! Splitting CSV text into records and fields under one dialect, counting the evidence each
//! dialect is scored by (quoted fields, doubled or escaped quotes, stray text after a quote).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ending {
    Lf,
    CrLf,
    Cr,
}

impl Ending {
    pub(super) fn bytes(self) -> &'static [u8] {
        match self {
            Ending::Lf => b"\n",
            Ending::CrLf => b"\r\n",
            Ending::Cr => b"\r",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dialect {
    pub(super) ending: Ending,
    pub(super) delimiter: u8,
    pub(super) quote: u8,
    pub(super) escape: u8,
}

#[derive(Debug, Default)]
pub(super) struct Record {
    /// 1-based line where the record starts.
    pub(super) line: usize,
    pub(super) fields: usize,
    pub(super) values: Vec<String>,
    pub(super) blank: bool,
    pub(super) comment: bool,
    /// Quote characters in the record (S3 refuses an odd count without AllowQuotedRecordDelimiter).
    pub(super) quotes: usize,
}

#[derive(Debug, Default)]
pub(super) struct Scan {
    pub(super) records: Vec<Record>,
    pub(super) quoted_fields: usize,
    pub(super) first_quoted_line: Option<usize>,
    pub(super) doubled: usize,
    /// The escape character (not the quote) used inside quoted fields.
    pub(super) escaped: usize,
    pub(super) first_escaped_line: Option<usize>,
    /// Text right after a closing quote (a sign the quote or escape is wrong).
    pub(super) stray: usize,
    /// Line breaks inside quoted fields.
    pub(super) quoted_breaks: usize,
    pub(super) first_quoted_break_line: Option<usize>,
    /// The text ended inside quotes.
    pub(super) unterminated: bool,
}

impl Scan {
    /// The records that are data: not blank, not comments.
    pub(super) fn data(&self) -> Vec<&Record> {
        self.records
            .iter()
            .filter(|r| !r.blank && !r.comment)
            .collect()
    }
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
/// `keep` keeps the field values, which only the chosen dialect needs (for the header vote).
pub(super) fn scan(text: &[u8], d: Dialect, complete: bool, keep: bool) -> Scan {
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
pub(super) fn modal(records: &[&Record]) -> (usize, usize) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
