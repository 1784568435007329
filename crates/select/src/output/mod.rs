//! Output serialization: records to the bytes S3 Select puts in its Records events.

pub mod csv;
pub mod json;

use crate::eval::CsvFields;
use crate::serialization::OutputSerialization;
use crate::value::Value;
use csv::CsvWriter;

/// One result record, in whichever shape the query produced it.
pub enum OutRecord<'a> {
    /// Projected columns: names for JSON output, and values.
    Columns {
        names: &'a [String],
        values: &'a [Value],
    },
    /// `SELECT *` over CSV input: the record's fields, named by the header when there is one.
    CsvFields {
        fields: &'a dyn CsvFields,
        header: Option<&'a [String]>,
    },
    /// `SELECT *` over JSON input: the row value itself.
    Row(&'a Value),
}

pub enum Writer {
    Csv(CsvWriter),
    Json {
        record_delimiter: Vec<u8>,
        scratch: String,
    },
}

impl Writer {
    pub fn new(o: &OutputSerialization) -> Self {
        match o {
            OutputSerialization::Csv(c) => Writer::Csv(CsvWriter::new(c.clone())),
            OutputSerialization::Json { record_delimiter } => Writer::Json {
                record_delimiter: record_delimiter.clone(),
                scratch: String::new(),
            },
        }
    }

    pub fn write(&mut self, rec: OutRecord, out: &mut Vec<u8>) {
        match self {
            Writer::Csv(w) => {
                match rec {
                    OutRecord::Columns { values, .. } => {
                        for (i, v) in values.iter().enumerate() {
                            w.value(i, v, out);
                        }
                    }
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
                scratch,
            } => {
                let s = scratch;
                s.clear();
                match rec {
                    OutRecord::Columns { names, values } => {
                        s.push('{');
                        let mut first = true;
                        for (k, v) in names.iter().zip(values) {
                            if matches!(v, Value::Missing) {
                                continue;
                            }
                            if !first {
                                s.push(',');
                            }
                            first = false;
                            json::write_str(k, s);
                            s.push(':');
                            json::write_value(v, s);
                        }
                        s.push('}');
                    }
                    OutRecord::CsvFields { fields, header } => {
                        s.push('{');
                        for i in 0..fields.len() {
                            if i > 0 {
                                s.push(',');
                            }
                            match header.and_then(|h| h.get(i)) {
                                Some(name) => json::write_str(name, s),
                                None => json::write_str(&format!("_{}", i + 1), s),
                            }
                            s.push(':');
                            json::write_str(fields.field(i).unwrap_or(""), s);
                        }
                        s.push('}');
                    }
                    OutRecord::Row(v @ Value::Struct(_)) => json::write_value(v, s),
                    OutRecord::Row(Value::Missing) => s.push_str("{}"),
                    OutRecord::Row(v) => {
                        s.push_str("{\"_1\":");
                        json::write_value(v, s);
                        s.push('}');
                    }
                }
                out.extend_from_slice(s.as_bytes());
                out.extend_from_slice(record_delimiter);
            }
        }
    }
}
