//! InputSerialization as the page's controls and links hold it (text fields, as the S3 console
//! shows them), and the AWS-shaped JSON the engine and the AWS client take. The engine's detector
//! answers in this shape too, so a detected setting fills the same controls.

use crate::{Compression, FileHeaderInfo, Format, JsonType};

/// How much of a file detection reads: the first 64 KiB (of the decompressed bytes when the file
/// is compressed). Bytes past this never change the answer.
pub const DETECT_PREFIX_BYTES: usize = 64 * 1024;

/// How much of a GZIP or BZIP2 file detection reads: one BZIP2 block holds up to 900 kB of text
/// and yields nothing until it is whole, so 1 MiB of compressed bytes always reaches the first
/// block's end. GZIP needs far less; the output is capped either way. The page asks a live S3
/// object for this much (one ranged GET), whatever its compression.
pub const DETECT_COMPRESSED_PREFIX_BYTES: usize = 1024 * 1024;

/// InputSerialization, with the same choices as the S3 console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSettings {
    pub format: Format,
    pub file_header_info: FileHeaderInfo,
    pub field_delimiter: String,
    pub record_delimiter: String,
    pub quote_character: String,
    pub quote_escape_character: String,
    pub comments: String,
    pub allow_quoted_record_delimiter: bool,
    pub json_type: JsonType,
    pub compression: Compression,
}

impl Default for InputSettings {
    fn default() -> Self {
        InputSettings {
            format: Format::Csv,
            file_header_info: FileHeaderInfo::None,
            field_delimiter: ",".into(),
            record_delimiter: "\n".into(),
            quote_character: "\"".into(),
            quote_escape_character: "\"".into(),
            comments: String::new(),
            allow_quoted_record_delimiter: false,
            json_type: JsonType::Document,
            compression: Compression::None,
        }
    }
}

/// A JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl InputSettings {
    /// The AWS CLI / API shape, e.g. `{"CSV":{"FileHeaderInfo":"USE",…},"CompressionType":"NONE"}`.
    pub fn to_json(&self) -> String {
        let body = match self.format {
            Format::Csv => {
                let mut fields = vec![
                    format!(
                        "\"FileHeaderInfo\":{}",
                        json_string(self.file_header_info.name())
                    ),
                    format!("\"FieldDelimiter\":{}", json_string(&self.field_delimiter)),
                    format!(
                        "\"RecordDelimiter\":{}",
                        json_string(&self.record_delimiter)
                    ),
                    format!("\"QuoteCharacter\":{}", json_string(&self.quote_character)),
                    format!(
                        "\"QuoteEscapeCharacter\":{}",
                        json_string(&self.quote_escape_character)
                    ),
                    format!(
                        "\"AllowQuotedRecordDelimiter\":{}",
                        self.allow_quoted_record_delimiter
                    ),
                ];
                if !self.comments.is_empty() {
                    fields.push(format!("\"Comments\":{}", json_string(&self.comments)));
                }
                format!("\"CSV\":{{{}}}", fields.join(","))
            }
            Format::Json => format!(
                "\"JSON\":{{\"Type\":{}}}",
                json_string(self.json_type.name())
            ),
            // A Parquet file's columns carry their own compression: it has no settings.
            Format::Parquet => "\"Parquet\":{}".to_string(),
        };
        format!(
            "{{{body},\"CompressionType\":{}}}",
            json_string(self.compression.name())
        )
    }
}
