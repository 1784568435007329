//! The playground's view of a query, as plain data: the SQL, the dataset, and the input and
//! output serialization settings. It builds the AWS-shaped serialization JSON the engine takes
//! and round-trips through the URL fragment. No web dependencies: tested natively.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    DragonsJson,
    DragonsJsonLines,
    DragonsCsv,
    /// A file the user opened; it is never in a link.
    File,
    /// An S3 object queried live (S3 Select); needs a connection, so never restored from a link.
    S3,
}

impl Dataset {
    pub const BUNDLED: [Dataset; 3] = [
        Dataset::DragonsJson,
        Dataset::DragonsJsonLines,
        Dataset::DragonsCsv,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Dataset::DragonsJson => "json",
            Dataset::DragonsJsonLines => "jsonl",
            Dataset::DragonsCsv => "csv",
            Dataset::File => "file",
            Dataset::S3 => "s3",
        }
    }

    pub fn from_id(id: &str) -> Option<Dataset> {
        [
            Dataset::DragonsJson,
            Dataset::DragonsJsonLines,
            Dataset::DragonsCsv,
            Dataset::File,
            Dataset::S3,
        ]
        .into_iter()
        .find(|d| d.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Dataset::DragonsJson => "dragons.json (JSON document, an array)",
            Dataset::DragonsJsonLines => "dragons.jsonl (JSON Lines)",
            Dataset::DragonsCsv => "dragons.csv (CSV with a header)",
            Dataset::File => "your file",
            Dataset::S3 => "S3 object (live)",
        }
    }

    /// Where the bundled data is served from, relative to the page.
    pub fn url(self) -> Option<&'static str> {
        match self {
            Dataset::DragonsJson => Some("data/dragons.json"),
            Dataset::DragonsJsonLines => Some("data/dragons.jsonl"),
            Dataset::DragonsCsv => Some("data/dragons.csv"),
            Dataset::File | Dataset::S3 => None,
        }
    }

    /// The input serialization that reads this dataset.
    pub fn input(self) -> InputSettings {
        match self {
            Dataset::DragonsJson | Dataset::S3 => InputSettings {
                format: Format::Json,
                json_type: JsonType::Document,
                ..InputSettings::default()
            },
            Dataset::DragonsJsonLines => InputSettings {
                format: Format::Json,
                json_type: JsonType::Lines,
                ..InputSettings::default()
            },
            Dataset::DragonsCsv | Dataset::File => InputSettings {
                file_header_info: HeaderInfo::Use,
                ..InputSettings::default()
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderInfo {
    None,
    Ignore,
    Use,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    Document,
    Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteFields {
    AsNeeded,
    Always,
}

macro_rules! names {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn name(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn from_name(s: &str) -> Option<Self> {
                match s { $($s => Some(<$t>::$v),)* _ => None }
            }
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
        }
    };
}

names!(Format { Csv => "CSV", Json => "JSON" });
names!(HeaderInfo { None => "NONE", Ignore => "IGNORE", Use => "USE" });
names!(JsonType { Document => "DOCUMENT", Lines => "LINES" });
names!(Compression { None => "NONE", Gzip => "GZIP", Bzip2 => "BZIP2" });
names!(QuoteFields { AsNeeded => "ASNEEDED", Always => "ALWAYS" });

/// InputSerialization, with the same choices as the S3 console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSettings {
    pub format: Format,
    pub file_header_info: HeaderInfo,
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
            file_header_info: HeaderInfo::None,
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
        };
        format!(
            "{{{body},\"CompressionType\":{}}}",
            json_string(self.compression.name())
        )
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
            Format::Json => format!("{{\"JSON\":{{\"RecordDelimiter\":{}}}}}", json_string(&self.record_delimiter)),
        }
    }
}

/// Everything a link reproduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub sql: String,
    pub dataset: Dataset,
    pub input: InputSettings,
    pub output: OutputSettings,
}

impl Default for View {
    fn default() -> Self {
        let dataset = Dataset::DragonsJson;
        View {
            sql: crate::examples::EXAMPLES[0].sql.to_string(),
            dataset,
            input: dataset.input(),
            output: OutputSettings::default(),
        }
    }
}

/// The fragment's keys.
const KEYS: &[&str] = &[
    "q", "d", "if", "fh", "fd", "rd", "qc", "qe", "cm", "aq", "jt", "cp", "of", "oq", "ofd", "ord",
    "oqc", "oqe",
];

/// Characters kept as they are in the fragment (besides letters and digits).
const FRAGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'*');

fn enc(s: &str) -> String {
    utf8_percent_encode(s, FRAGMENT).to_string()
}

impl View {
    /// `q=…&d=…&…` for the URL fragment. Holds nothing secret: SQL, dataset and settings only.
    pub fn to_fragment(&self) -> String {
        let i = &self.input;
        let o = &self.output;
        let pairs: Vec<(&str, String)> = vec![
            ("q", self.sql.clone()),
            ("d", self.dataset.id().into()),
            ("if", i.format.name().into()),
            ("fh", i.file_header_info.name().into()),
            ("fd", i.field_delimiter.clone()),
            ("rd", i.record_delimiter.clone()),
            ("qc", i.quote_character.clone()),
            ("qe", i.quote_escape_character.clone()),
            ("cm", i.comments.clone()),
            (
                "aq",
                if i.allow_quoted_record_delimiter {
                    "1"
                } else {
                    "0"
                }
                .into(),
            ),
            ("jt", i.json_type.name().into()),
            ("cp", i.compression.name().into()),
            ("of", o.format.name().into()),
            ("oq", o.quote_fields.name().into()),
            ("ofd", o.field_delimiter.clone()),
            ("ord", o.record_delimiter.clone()),
            ("oqc", o.quote_character.clone()),
            ("oqe", o.quote_escape_character.clone()),
        ];
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a fragment (with or without the leading `#`); unknown or bad values keep defaults.
    pub fn from_fragment(fragment: &str) -> Option<View> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if fragment.is_empty() {
            return None;
        }
        let mut view = View::default();
        let mut any = false;
        for pair in fragment.split('&') {
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            let Ok(v) = percent_decode_str(v).decode_utf8() else {
                continue;
            };
            let v = v.into_owned();
            any |= KEYS.contains(&k);
            let (i, o) = (&mut view.input, &mut view.output);
            match k {
                "q" => view.sql = v,
                "d" => {
                    if let Some(d) = Dataset::from_id(&v) {
                        view.dataset = d;
                    }
                }
                "if" => i.format = Format::from_name(&v).unwrap_or(i.format),
                "fh" => {
                    i.file_header_info = HeaderInfo::from_name(&v).unwrap_or(i.file_header_info)
                }
                "fd" => i.field_delimiter = v,
                "rd" => i.record_delimiter = v,
                "qc" => i.quote_character = v,
                "qe" => i.quote_escape_character = v,
                "cm" => i.comments = v,
                "aq" => i.allow_quoted_record_delimiter = v == "1",
                "jt" => i.json_type = JsonType::from_name(&v).unwrap_or(i.json_type),
                "cp" => i.compression = Compression::from_name(&v).unwrap_or(i.compression),
                "of" => o.format = Format::from_name(&v).unwrap_or(o.format),
                "oq" => o.quote_fields = QuoteFields::from_name(&v).unwrap_or(o.quote_fields),
                "ofd" => o.field_delimiter = v,
                "ord" => o.record_delimiter = v,
                "oqc" => o.quote_character = v,
                "oqe" => o.quote_escape_character = v,
                _ => {}
            }
        }
        any.then_some(view)
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
    let mut s = if base.ends_with(".jsonl") || base.ends_with(".ndjson") {
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
            file_header_info: HeaderInfo::Use,
            field_delimiter: "\t".into(),
            ..InputSettings::default()
        }
    } else {
        InputSettings {
            file_header_info: HeaderInfo::Use,
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
    fn fragment_round_trips() {
        let view = View {
            sql: "SELECT s.name\nFROM S3Object s WHERE s.x = 'a&b=c#%' -- é".into(),
            dataset: Dataset::DragonsCsv,
            input: InputSettings {
                field_delimiter: ";".into(),
                comments: "#".into(),
                allow_quoted_record_delimiter: true,
                compression: Compression::Gzip,
                ..Dataset::DragonsCsv.input()
            },
            output: OutputSettings {
                format: Format::Csv,
                quote_fields: QuoteFields::Always,
                record_delimiter: "\r\n".into(),
                ..OutputSettings::default()
            },
        };
        let fragment = view.to_fragment();
        assert!(!fragment.contains('#') && !fragment.contains(' ') && !fragment.contains('\n'));
        assert_eq!(View::from_fragment(&format!("#{fragment}")), Some(view));
    }

    #[test]
    fn bad_fragments_fall_back_to_defaults() {
        assert_eq!(View::from_fragment(""), None);
        assert_eq!(View::from_fragment("#"), None);
        let v = View::from_fragment("#d=nonsense&if=XML&q=SELECT%201").unwrap();
        assert_eq!(v.dataset, Dataset::DragonsJson);
        assert_eq!(v.input.format, Format::Json);
        assert_eq!(v.sql, "SELECT 1");
        assert!(View::from_fragment("#q=%FF%FE").is_none());
    }

    #[test]
    fn file_names_pick_settings() {
        assert_eq!(settings_for_file("a.csv.gz").compression, Compression::Gzip);
        assert_eq!(settings_for_file("a.CSV").file_header_info, HeaderInfo::Use);
        assert_eq!(settings_for_file("x.jsonl.bz2").json_type, JsonType::Lines);
        assert_eq!(settings_for_file("x.json").format, Format::Json);
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
