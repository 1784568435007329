//! The input and output serialization settings, as the S3 console offers them, and the
//! AWS-shaped serialization JSON the engine takes.

/// The choices and their AWS names, shared with the engine and the AWS client.
pub use wyvern_settings::{
    json_string, Compression, FileHeaderInfo, Format, InputSettings, JsonType, QuoteFields,
};

/// OutputSerialization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSettings {
    pub format: Format,
    pub quote_fields: QuoteFields,
    pub field_delimiter: String,
    pub record_delimiter: String,
    pub quote_character: String,
    pub quote_escape_character: String,
}

impl Default for OutputSettings {
    fn default() -> Self {
        OutputSettings {
            format: Format::Json,
            quote_fields: QuoteFields::AsNeeded,
            field_delimiter: ",".into(),
            record_delimiter: "\n".into(),
            quote_character: "\"".into(),
            quote_escape_character: "\"".into(),
        }
    }
}

impl OutputSettings {
    pub fn to_json(&self) -> String {
        match self.format {
            Format::Csv => format!(
                "{{\"CSV\":{{\"QuoteFields\":{},\"FieldDelimiter\":{},\"RecordDelimiter\":{},\"QuoteCharacter\":{},\"QuoteEscapeCharacter\":{}}}}}",
                json_string(self.quote_fields.name()),
                json_string(&self.field_delimiter),
                json_string(&self.record_delimiter),
                json_string(&self.quote_character),
                json_string(&self.quote_escape_character),
            ),
            // (Output is CSV or JSON: `Format::OUTPUT`.)
            Format::Json | Format::Parquet => format!("{{\"JSON\":{{\"RecordDelimiter\":{}}}}}", json_string(&self.record_delimiter)),
        }
    }
}

/// Settings guessed from a file name: format, JSON type and compression.
pub fn settings_for_file(name: &str) -> InputSettings {
    let lower = name.to_ascii_lowercase();
    let (base, compression) = if let Some(b) = lower.strip_suffix(".gz") {
        (b.to_string(), Compression::Gzip)
    } else if let Some(b) = lower.strip_suffix(".bz2") {
        (b.to_string(), Compression::Bzip2)
    } else {
        (lower.clone(), Compression::None)
    };
    let mut s = if base.ends_with(".parquet") {
        InputSettings {
            format: Format::Parquet,
            ..InputSettings::default()
        }
    } else if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
        InputSettings {
            format: Format::Json,
            json_type: JsonType::Lines,
            ..InputSettings::default()
        }
    } else if base.ends_with(".json") {
        InputSettings {
            format: Format::Json,
            json_type: JsonType::Document,
            ..InputSettings::default()
        }
    } else if base.ends_with(".tsv") {
        InputSettings {
            file_header_info: FileHeaderInfo::Use,
            field_delimiter: "\t".into(),
            ..InputSettings::default()
        }
    } else {
        InputSettings {
            file_header_info: FileHeaderInfo::Use,
            ..InputSettings::default()
        }
    };
    s.compression = compression;
    s
}

/// A delimiter as typed in a text box: `\t`, `\n` and `\r` stand for those characters.
pub fn parse_control(s: &str) -> String {
    s.replace("\\t", "\t")
        .replace("\\n", "\n")
        .replace("\\r", "\r")
}

/// The inverse of `parse_control`, for showing a delimiter in a text box.
pub fn show_control(s: &str) -> String {
    s.replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dataset;
    #[test]
    fn serialization_json_has_the_aws_shape() {
        let csv = Dataset::DragonsCsv.input();
        assert_eq!(
            csv.to_json(),
            r#"{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":",","RecordDelimiter":"\n","QuoteCharacter":"\"","QuoteEscapeCharacter":"\"","AllowQuotedRecordDelimiter":false},"CompressionType":"NONE"}"#
        );
        assert_eq!(
            Dataset::DragonsJsonLines.input().to_json(),
            r#"{"JSON":{"Type":"LINES"},"CompressionType":"NONE"}"#
        );
        assert_eq!(
            OutputSettings::default().to_json(),
            r#"{"JSON":{"RecordDelimiter":"\n"}}"#
        );
        let tab = InputSettings {
            field_delimiter: "\t".into(),
            comments: "#".into(),
            ..InputSettings::default()
        };
        assert!(
            tab.to_json().contains(r#""FieldDelimiter":"\t""#)
                && tab.to_json().contains(r##""Comments":"#""##)
        );
    }
    #[test]
    fn file_names_pick_settings() {
        assert_eq!(settings_for_file("a.csv.gz").compression, Compression::Gzip);
        assert_eq!(
            settings_for_file("a.CSV").file_header_info,
            FileHeaderInfo::Use
        );
        assert_eq!(settings_for_file("x.jsonl.bz2").json_type, JsonType::Lines);
        assert_eq!(settings_for_file("x.json").format, Format::Json);
        assert_eq!(settings_for_file("Export.PARQUET").format, Format::Parquet);
        assert_eq!(settings_for_file("x.tsv").field_delimiter, "\t");
    }
    #[test]
    fn delimiters_round_trip_through_text_boxes() {
        for s in [",", "\t", "\n", "\r\n", ";", "::"] {
            assert_eq!(parse_control(&show_control(s)), s);
        }
        assert_eq!(show_control("\r\n"), "\\r\\n");
    }
}
