//! CSV output serialization with QuoteFields ALWAYS/ASNEEDED and the configured characters.

use crate::eval::cast::to_text;
use crate::serialization::{CsvOutput, QuoteFields};
use crate::value::Value;

pub struct CsvWriter {
    pub options: CsvOutput,
    scratch: String,
}

impl CsvWriter {
    pub fn new(options: CsvOutput) -> Self {
        CsvWriter {
            options,
            scratch: String::new(),
        }
    }

    fn needs_quotes(&self, s: &str) -> bool {
        let o = &self.options;
        let b = s.as_bytes();
        b.iter()
            .any(|&c| c == o.quote || c == b'\n' || c == b'\r' || o.record_delimiter.contains(&c))
            || memchr::memmem::find(b, &o.field_delimiter).is_some()
    }

    pub fn field(&mut self, index: usize, text: &str, out: &mut Vec<u8>) {
        if index > 0 {
            out.extend_from_slice(&self.options.field_delimiter);
        }
        let quote = self.options.quote_fields == QuoteFields::Always || self.needs_quotes(text);
        if !quote {
            out.extend_from_slice(text.as_bytes());
            return;
        }
        let q = self.options.quote;
        out.push(q);
        for &c in text.as_bytes() {
            if c == q {
                out.push(self.options.quote_escape);
            }
            out.push(c);
        }
        out.push(q);
    }

    pub fn value(&mut self, index: usize, v: &Value, out: &mut Vec<u8>) {
        let mut s = std::mem::take(&mut self.scratch);
        s.clear();
        to_text(v, &mut s);
        self.field(index, &s, out);
        self.scratch = s;
    }

    pub fn end_record(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.options.record_delimiter);
    }
}
