//! The CSV settings read from the chosen dialect, each with the reason for it: RecordDelimiter,
//! FieldDelimiter, QuoteCharacter and QuoteEscapeCharacter, AllowQuotedRecordDelimiter, Comments
//! and FileHeaderInfo.

use super::csv::Table;
use super::header::{header_notes, header_vote};
use super::scan::{modal, scan, Dialect, Ending, Record, Scan};
use super::{note, warn, Confidence, Reason};
use crate::serialization::{CsvInput, FileHeaderInfo};

impl Table<'_> {
    /// The settings and how sure they are; a reason for each goes to `reasons`, what needs a
    /// look to `warnings`.
    pub(super) fn settings(
        &self,
        reasons: &mut Vec<Reason>,
        warnings: &mut Vec<Reason>,
    ) -> (CsvInput, Confidence) {
        self.record_delimiter(reasons, warnings);
        let mut d = self.best.dialect;
        // Scored without field values; the header vote needs them.
        let mut s = scan(self.text, d, self.complete, true);
        let (modal, mut confidence) = self.field_delimiter(&s, reasons);
        quote_notes(&s, d, reasons);
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
        // S3 refuses a record with an odd number of quotes only without AllowQuotedRecordDelimiter
        // and with the quote doubled as its escape.
        if !allow && d.escape == d.quote {
            confidence = confidence.min(self.odd_quotes(&mut d, &mut s, reasons, warnings));
        }
        let comments = comments(&s.records, modal, reasons);
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

    fn record_delimiter(&self, reasons: &mut Vec<Reason>, warnings: &mut Vec<Reason>) {
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
    }

    /// The FieldDelimiter's reason; returns the table's field count and how consistent it is.
    fn field_delimiter(&self, s: &Scan, reasons: &mut Vec<Reason>) -> (usize, Confidence) {
        let d = self.best.dialect;
        let data = s.data();
        let (modal, consistent) = modal(&data);
        let total = data.len();
        let delim = shown_char(d.delimiter);
        let default = if d.delimiter == b',' {
            " (the default)"
        } else {
            ""
        };
        let mut confidence = Confidence::High;
        if modal < 2 {
            reasons.push(note(
                Some("FieldDelimiter"),
                "no line has ',', ';', tab or '|' outside quotes: one field per line; FieldDelimiter left at ','",
            ));
            confidence = Confidence::Medium;
        } else if total == 1 {
            reasons.push(note(
                Some("FieldDelimiter"),
                format!("{delim} splits the only line into {modal} fields: FieldDelimiter set to {delim}{default}"),
            ));
            confidence = Confidence::Medium;
        } else if consistent == total {
            reasons.push(note(
                Some("FieldDelimiter"),
                format!("{delim} splits every line into {modal} fields: FieldDelimiter set to {delim}{default}"),
            ));
            if total < 3 {
                confidence = Confidence::Medium;
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
            confidence = if consistent * 10 >= total * 9 {
                Confidence::Medium
            } else {
                Confidence::Low
            };
        }
        if self.decimal_comma && d.delimiter == b';' {
            reasons.push(note(
                Some("FieldDelimiter"),
                "every ',' sits between digits: decimal commas, not separators",
            ));
        }
        (modal, confidence)
    }

    /// A quote that never quotes a field but appears an odd number of times on a line (5" for
    /// inches) is swapped for one the file lacks, which S3 then reads; otherwise a warning.
    /// Returns low confidence when the line stays refused.
    fn odd_quotes(
        &self,
        d: &mut Dialect,
        s: &mut Scan,
        reasons: &mut Vec<Reason>,
        warnings: &mut Vec<Reason>,
    ) -> Confidence {
        let Some(line) = s
            .records
            .iter()
            .find(|r| r.quotes % 2 == 1 && !r.comment)
            .map(|r| r.line)
        else {
            return Confidence::High;
        };
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
                *s = scan(self.text, *d, self.complete, true);
                Confidence::High
            }
            _ => {
                warnings.push(warn(
                    Some("QuoteCharacter"),
                    format!(
                        "line {line} has an odd number of {}: S3 Select refuses it (CSVParsingError)",
                        shown_char(d.quote)
                    ),
                ));
                Confidence::Low
            }
        }
    }
}

/// The QuoteCharacter and QuoteEscapeCharacter reasons, when some field is quoted.
fn quote_notes(s: &Scan, d: Dialect, reasons: &mut Vec<Reason>) {
    if s.quoted_fields == 0 {
        return;
    }
    let line = s.first_quoted_line.unwrap_or(1);
    let quote = shown_char(d.quote);
    let setting = if d.quote == b'"' {
        format!("QuoteCharacter {quote} (the default)")
    } else {
        format!("QuoteCharacter set to {quote}")
    };
    reasons.push(note(
        Some("QuoteCharacter"),
        format!(
            "{} quoted with {quote} (first on line {line}): {setting}",
            fields(s.quoted_fields)
        ),
    ));
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
                "quotes inside quoted fields are doubled ({}{}): QuoteEscapeCharacter {quote}",
                char::from(d.quote),
                char::from(d.quote),
            ),
        ));
    }
}

/// Whether `#` starts comments: when the first line is one, or when most `#` lines do not have
/// the table's `modal` field count (otherwise they are data). Pushes the reason either way.
fn comments(records: &[Record], modal: usize, reasons: &mut Vec<Reason>) -> bool {
    let comment_lines: Vec<&Record> = records.iter().filter(|r| r.comment).collect();
    if comment_lines.is_empty() {
        return false;
    }
    let leading = records.iter().find(|r| !r.blank).is_some_and(|r| r.comment);
    let odd_shaped = comment_lines.iter().filter(|r| r.fields != modal).count();
    let n = comment_lines.len();
    let comments = leading || odd_shaped * 2 > n;
    let text = if comments {
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
        )
    } else {
        format!(
            "{n} line{} with '#' but {} the table's {modal} fields: read as data (Comments not set)",
            if n == 1 { " starts" } else { "s start" },
            if n == 1 { "has" } else { "have" },
        )
    };
    reasons.push(note(Some("Comments"), text));
    comments
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
