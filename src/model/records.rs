//! Result records split as S3 Select wrote them: every record ends with the output's
//! RecordDelimiter, and a delimiter inside a value does not end it (CSV quotes such a field,
//! JSON keeps it inside a string). One reader for every answer the page shows: the engine's
//! table lines and a live answer in whatever serialization the learner chose.

use crate::model::{Format, OutputSettings};

/// How a record's text hides delimiters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// CSV: between `quote`s; `escape` followed by `quote` is a literal quote.
    Csv { quote: char, escape: char },
    /// JSON: inside strings, where `\` escapes the next character.
    Json,
}

/// Cuts a stream of text into records, whatever the chunk boundaries.
#[derive(Debug, Clone)]
pub struct RecordSplitter {
    delimiter: String,
    quoting: Quoting,
    pending: String,
}

fn first(s: &str, default: char) -> char {
    s.chars().next().unwrap_or(default)
}

impl RecordSplitter {
    pub fn new(output: &OutputSettings) -> RecordSplitter {
        let quoting = match output.format {
            Format::Csv => Quoting::Csv {
                quote: first(&output.quote_character, '"'),
                escape: first(&output.quote_escape_character, '"'),
            },
            // (Output is CSV or JSON: `Format::OUTPUT`.)
            Format::Json | Format::Parquet => Quoting::Json,
        };
        let delimiter = if output.record_delimiter.is_empty() {
            "\n".to_string()
        } else {
            output.record_delimiter.clone()
        };
        RecordSplitter {
            delimiter,
            quoting,
            pending: String::new(),
        }
    }

    /// The engine's table answer: JSON records, one a line.
    pub fn json_lines() -> RecordSplitter {
        RecordSplitter::new(&OutputSettings {
            format: Format::Json,
            record_delimiter: "\n".into(),
            ..OutputSettings::default()
        })
    }

    /// Appends `text` and returns the records it completed, without their delimiter.
    pub fn push(&mut self, text: &str) -> Vec<String> {
        self.pending.push_str(text);
        let mut records = Vec::new();
        let mut start = 0;
        let mut quoted = false;
        let mut escaped = false;
        let mut chars = self.pending.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match self.quoting {
                Quoting::Json if quoted => {
                    if escaped {
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c == '"' {
                        quoted = false;
                    }
                    continue;
                }
                Quoting::Json if c == '"' => {
                    quoted = true;
                    continue;
                }
                Quoting::Csv { quote, escape } if quoted => {
                    if c == escape && chars.peek().map(|(_, n)| *n) == Some(quote) {
                        chars.next();
                    } else if c == quote {
                        quoted = false;
                    }
                    continue;
                }
                Quoting::Csv { quote, .. } if c == quote => {
                    quoted = true;
                    continue;
                }
                _ => {}
            }
            if self.pending[i..].starts_with(&self.delimiter) {
                records.push(self.pending[start..i].to_string());
                start = i + self.delimiter.len();
                // Skip the rest of a two-character delimiter.
                while chars.peek().is_some_and(|(j, _)| *j < start) {
                    chars.next();
                }
            }
        }
        self.pending.drain(..start);
        records
    }

    /// The last record, when the answer did not end with a delimiter.
    pub fn finish(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.pending);
        (!rest.is_empty()).then_some(rest)
    }
}

/// The fields of one CSV record: split on `delimiter` outside quotes; a quoted field loses its
/// quotes, and `escape` followed by `quote` inside it is a literal quote.
pub fn csv_fields(record: &str, output: &OutputSettings) -> Vec<String> {
    let delimiter = first(&output.field_delimiter, ',');
    let quote = first(&output.quote_character, '"');
    let escape = first(&output.quote_escape_character, '"');
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = record.chars().peekable();
    while let Some(c) = chars.next() {
        let field = fields.len() - 1;
        match c {
            c if quoted && c == escape && chars.peek() == Some(&quote) => {
                chars.next();
                fields[field].push(quote);
            }
            c if c == quote => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(String::new()),
            c => fields[field].push(c),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::QuoteFields;

    fn csv(field: &str, record: &str, quote: &str, escape: &str) -> OutputSettings {
        OutputSettings {
            format: Format::Csv,
            quote_fields: QuoteFields::AsNeeded,
            field_delimiter: field.into(),
            record_delimiter: record.into(),
            quote_character: quote.into(),
            quote_escape_character: escape.into(),
        }
    }

    /// Every way of cutting `text` into two chunks gives the same records.
    fn split_every_way(output: &OutputSettings, text: &str) -> Vec<String> {
        let mut whole = RecordSplitter::new(output);
        let mut expected = whole.push(text);
        expected.extend(whole.finish());
        for cut in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            let mut s = RecordSplitter::new(output);
            let mut got = s.push(&text[..cut]);
            got.extend(s.push(&text[cut..]));
            got.extend(s.finish());
            assert_eq!(got, expected, "cut at {cut}");
        }
        expected
    }

    #[test]
    fn csv_with_custom_delimiters_and_quoted_fields() {
        let out = csv(";", "|", "'", "\\");
        let text = "a;'b|c';'it\\'s'|x;y|'two\nlines';z|";
        let records = split_every_way(&out, text);
        assert_eq!(records, ["a;'b|c';'it\\'s'", "x;y", "'two\nlines';z"]);
        assert_eq!(csv_fields(&records[0], &out), ["a", "b|c", "it's"]);
        assert_eq!(csv_fields(&records[2], &out), ["two\nlines", "z"]);
    }

    #[test]
    fn csv_defaults_double_the_quote() {
        let out = csv(",", "\r\n", "\"", "\"");
        let records = split_every_way(&out, "\"say \"\"hi\"\"\",2\r\n\"a,b\",3\r\n");
        assert_eq!(records, ["\"say \"\"hi\"\"\",2", "\"a,b\",3"]);
        assert_eq!(csv_fields(&records[0], &out), ["say \"hi\"", "2"]);
        assert_eq!(csv_fields(&records[1], &out), ["a,b", "3"]);
    }

    #[test]
    fn json_with_a_custom_record_delimiter() {
        let out = OutputSettings {
            record_delimiter: ",".into(),
            ..OutputSettings::default()
        };
        let text = r#"{"a":"x,y"},{"a":"q\",r"},{"a":1}"#;
        let records = split_every_way(&out, text);
        assert_eq!(
            records,
            [r#"{"a":"x,y"}"#, r#"{"a":"q\",r"}"#, r#"{"a":1}"#]
        );
    }

    #[test]
    fn engine_table_lines() {
        let mut s = RecordSplitter::json_lines();
        assert_eq!(s.push("{\"a\":1}\n{\"b\":"), ["{\"a\":1}"]);
        assert_eq!(s.push("\"\\n\"}\n"), ["{\"b\":\"\\n\"}"]);
        assert_eq!(s.finish(), None);
    }
}
