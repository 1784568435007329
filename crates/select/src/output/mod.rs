//! Output serialization: records to the bytes S3 Select puts in its Records events.

pub mod csv;
pub mod json;

use crate::eval::CsvFields;
use crate::serialization::OutputSerialization;
use crate::value::Value;
use csv::CsvWriter;

/// One result record of `SELECT *`, in whichever shape the input gave it (projected columns are
/// written with `begin_columns`, `column` and `end_columns`).
pub enum OutRecord<'a> {
    /// `SELECT *` over CSV input: the record's fields, named by the header when there is one.
    CsvFields {
        fields: &'a dyn CsvFields,
        header: Option<&'a [String]>,
    },
    /// `SELECT *` over JSON input: the row value itself.
    Row(&'a Value),
}

/// One projected column's value: text read in place from the record, or a value.
pub enum Column<'a> {
    Text(&'a str),
    /// Text with no byte JSON escapes (`"`, `\`, control characters): JSON output copies it.
    PlainText(&'a str),
    Value(&'a Value),
}

pub enum Writer {
    Csv(CsvWriter),
    Json {
        record_delimiter: Vec<u8>,
        /// A member of the record being written is out (the next needs a comma).
        began: bool,
        /// Each column's `"name":`, escaped once per run rather than once per record.
        keys: Keys,
    },
}

/// The member names a JSON writer repeats on every record, escaped when first needed. A run
/// writes either the SELECT list's columns or `SELECT *`'s CSV fields, never both, and
/// neither changes during the run.
#[derive(Default)]
pub struct Keys(Vec<String>);

impl Keys {
    /// `"name":` of column `index`, named by `name` the first time it is asked for.
    fn get(&mut self, index: usize, name: impl FnOnce() -> String) -> &str {
        while self.0.len() <= index {
            self.0.push(String::new());
        }
        // cannot fail: the loop above made `index` a valid position.
        let key = &mut self.0[index];
        if key.is_empty() {
            json::write_str(&name(), key);
            key.push(':');
        }
        key
    }
}

impl Writer {
    pub fn new(o: &OutputSerialization) -> Self {
        match o {
            OutputSerialization::Csv(c) => Writer::Csv(CsvWriter::new(c.clone())),
            OutputSerialization::Json { record_delimiter } => Writer::Json {
                record_delimiter: record_delimiter.clone(),
                began: false,
                keys: Keys::default(),
            },
        }
    }

    /// A JSON object record's own text as a JSON output record, when the fast path vouches for
    /// writing it exactly as the parsed value would be written. `false`: nothing was written.
    pub fn write_json_object_text(&mut self, text: &[u8], out: &mut Vec<u8>) -> bool {
        let Writer::Json {
            record_delimiter, ..
        } = self
        else {
            return false;
        };
        if !crate::input::json_compact::write_object(text, out) {
            return false;
        }
        out.extend_from_slice(record_delimiter);
        true
    }

    /// Starts a record of projected columns: `column` for each, then `end_columns`.
    pub fn begin_columns(&mut self, out: &mut Vec<u8>) {
        if let Writer::Json { began, .. } = self {
            out.push(b'{');
            *began = false;
        }
    }

    /// Column `index`, named `name` in JSON output, where MISSING leaves the member out.
    pub fn column(&mut self, index: usize, name: &str, value: Column, out: &mut Vec<u8>) {
        match self {
            Writer::Csv(w) => match value {
                Column::Text(s) | Column::PlainText(s) => w.field(index, s, out),
                Column::Value(v) => w.value(index, v, out),
            },
            Writer::Json { began, keys, .. } => {
                if matches!(value, Column::Value(Value::Missing)) {
                    return;
                }
                if *began {
                    out.push(b',');
                }
                *began = true;
                out.extend_from_slice(keys.get(index, || name.to_string()).as_bytes());
                match value {
                    Column::Text(s) => json::write_str(s, out),
                    Column::PlainText(s) => {
                        out.push(b'"');
                        out.extend_from_slice(s.as_bytes());
                        out.push(b'"');
                    }
                    Column::Value(v) => json::write_value(v, out),
                }
            }
        }
    }

    pub fn end_columns(&mut self, out: &mut Vec<u8>) {
        match self {
            Writer::Csv(w) => w.end_record(out),
            Writer::Json {
                record_delimiter, ..
            } => {
                out.push(b'}');
                out.extend_from_slice(record_delimiter);
            }
        }
    }

    pub fn write(&mut self, rec: OutRecord, out: &mut Vec<u8>) {
        match self {
            Writer::Csv(w) => {
                match rec {
                    OutRecord::CsvFields { fields, .. } => {
                        for i in 0..fields.len() {
                            w.field(i, fields.field(i).unwrap_or(""), out);
                        }
                    }
                    OutRecord::Row(Value::Struct(fs)) => {
                        for (i, (_, v)) in fs.iter().enumerate() {
                            w.value(i, v, out);
                        }
                    }
                    OutRecord::Row(v) => w.value(0, v, out),
                }
                w.end_record(out);
            }
            Writer::Json {
                record_delimiter,
                keys,
                ..
            } => {
                let s = out;
                match rec {
                    OutRecord::CsvFields { fields, header } => {
                        s.push(b'{');
                        for i in 0..fields.len() {
                            if i > 0 {
                                s.push(b',');
                            }
                            let name = header.and_then(|h| h.get(i));
                            let key = keys.get(i, || match name {
                                Some(name) => name.clone(),
                                None => format!("_{}", i + 1),
                            });
                            s.extend_from_slice(key.as_bytes());
                            json::write_str(fields.field(i).unwrap_or(""), s);
                        }
                        s.push(b'}');
                    }
                    OutRecord::Row(v @ Value::Struct(_)) => json::write_value(v, s),
                    OutRecord::Row(Value::Missing) => s.extend_from_slice(b"{}"),
                    OutRecord::Row(v) => {
                        s.extend_from_slice(b"{\"_1\":");
                        json::write_value(v, s);
                        s.push(b'}');
                    }
                }
                s.extend_from_slice(record_delimiter);
            }
        }
    }
}
