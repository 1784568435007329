//! InputSerialization / OutputSerialization / ScanRange, in the JSON shapes the AWS CLI takes
//! (`{"CSV":{"FileHeaderInfo":"USE"},"CompressionType":"GZIP"}`), checked into a typed model.

use crate::error::{ErrorCode, Result, SelectError};
use crate::value::Value;
/// The choices and their AWS names, shared with the page and the AWS client.
pub use wyvern_settings::{Compression, FileHeaderInfo, JsonType, QuoteFields};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvInput {
    pub file_header_info: FileHeaderInfo,
    pub comments: Option<u8>,
    pub quote: u8,
    pub quote_escape: u8,
    pub field_delimiter: u8,
    /// One byte, or `\r\n`.
    pub record_delimiter: Vec<u8>,
    pub allow_quoted_record_delimiter: bool,
}

impl Default for CsvInput {
    fn default() -> Self {
        CsvInput {
            file_header_info: FileHeaderInfo::None,
            comments: None,
            quote: b'"',
            quote_escape: b'"',
            field_delimiter: b',',
            record_delimiter: b"\n".to_vec(),
            allow_quoted_record_delimiter: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputFormat {
    Csv(CsvInput),
    Json(JsonType),
    /// `{"Parquet":{}}`: read with random access (`Query::start_parquet`); builds without the
    /// `parquet` feature refuse it when the query is compiled.
    Parquet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSerialization {
    pub format: InputFormat,
    pub compression: Compression,
}

impl Default for InputSerialization {
    fn default() -> Self {
        InputSerialization {
            format: InputFormat::Csv(CsvInput::default()),
            compression: Compression::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOutput {
    pub quote_fields: QuoteFields,
    pub quote: u8,
    pub quote_escape: u8,
    pub field_delimiter: Vec<u8>,
    pub record_delimiter: Vec<u8>,
}

impl Default for CsvOutput {
    fn default() -> Self {
        CsvOutput {
            quote_fields: QuoteFields::AsNeeded,
            quote: b'"',
            quote_escape: b'"',
            field_delimiter: b",".to_vec(),
            record_delimiter: b"\n".to_vec(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputSerialization {
    Csv(CsvOutput),
    Json { record_delimiter: Vec<u8> },
}

impl Default for OutputSerialization {
    fn default() -> Self {
        OutputSerialization::Csv(CsvOutput::default())
    }
}

/// Inclusive byte offsets into the (uncompressed) object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanRange {
    pub start: u64,
    pub end: u64,
}

// The raw JSON shapes, read with the engine's own JSON reader (no serde derive: it keeps the
// browser build small). Unknown keys are refused, as the AWS API does.

#[derive(Default)]
struct RawCsvIn {
    file_header_info: Option<String>,
    comments: Option<String>,
    quote_escape_character: Option<String>,
    record_delimiter: Option<String>,
    field_delimiter: Option<String>,
    quote_character: Option<String>,
    allow_quoted_record_delimiter: Option<bool>,
}

struct RawJsonIn {
    kind: Option<String>,
}

struct RawInput {
    csv: Option<RawCsvIn>,
    json: Option<RawJsonIn>,
    parquet: Option<()>,
    compression: Option<String>,
}

struct RawCsvOut {
    quote_fields: Option<String>,
    quote_escape_character: Option<String>,
    record_delimiter: Option<String>,
    field_delimiter: Option<String>,
    quote_character: Option<String>,
}

struct RawJsonOut {
    record_delimiter: Option<String>,
}

struct RawOutput {
    csv: Option<RawCsvOut>,
    json: Option<RawJsonOut>,
}

struct RawScanRange {
    start: Option<u64>,
    end: Option<u64>,
}

fn bad(code: ErrorCode, msg: impl Into<String>) -> SelectError {
    SelectError::new(code, msg)
}

/// An object's members, refusing keys not in `allowed`.
struct Obj<'a> {
    what: &'a str,
    fields: &'a [(String, Value)],
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, what: &'a str, allowed: &[&str]) -> Result<Obj<'a>> {
        let Value::Struct(fields) = v else {
            return Err(bad(
                ErrorCode::InvalidRequestParameter,
                format!("{what} must be a JSON object."),
            ));
        };
        if let Some((k, _)) = fields.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(bad(
                ErrorCode::InvalidRequestParameter,
                format!(
                    "{what} has an unknown member {k}; it takes {}.",
                    allowed.join(", ")
                ),
            ));
        }
        Ok(Obj { what, fields })
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Value::Null))
    }

    fn string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad(
                ErrorCode::InvalidRequestParameter,
                format!("{}.{key} must be a string.", self.what),
            )),
        }
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(bad(
                ErrorCode::InvalidRequestParameter,
                format!("{}.{key} must be true or false.", self.what),
            )),
        }
    }

    fn uint(&self, key: &str) -> Result<Option<u64>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Int(i)) if *i >= 0 => Ok(Some(*i as u64)),
            Some(_) => Err(bad(
                ErrorCode::InvalidScanRange,
                format!("{}.{key} must be a whole number of bytes.", self.what),
            )),
        }
    }
}

fn parse_json(text: &str, what: &str) -> Result<Value> {
    crate::input::json::parse_value(text.as_bytes()).map_err(|_| {
        bad(
            ErrorCode::InvalidRequestParameter,
            format!("{what} is not valid JSON: {text}"),
        )
    })
}

fn raw_input(text: &str) -> Result<RawInput> {
    let v = parse_json(text, "InputSerialization")?;
    let o = Obj::new(
        &v,
        "InputSerialization",
        &["CSV", "JSON", "Parquet", "CompressionType"],
    )?;
    let csv = match o.get("CSV") {
        None => None,
        Some(c) => {
            let c = Obj::new(
                c,
                "CSV",
                &[
                    "FileHeaderInfo",
                    "Comments",
                    "QuoteEscapeCharacter",
                    "RecordDelimiter",
                    "FieldDelimiter",
                    "QuoteCharacter",
                    "AllowQuotedRecordDelimiter",
                ],
            )?;
            Some(RawCsvIn {
                file_header_info: c.string("FileHeaderInfo")?,
                comments: c.string("Comments")?,
                quote_escape_character: c.string("QuoteEscapeCharacter")?,
                record_delimiter: c.string("RecordDelimiter")?,
                field_delimiter: c.string("FieldDelimiter")?,
                quote_character: c.string("QuoteCharacter")?,
                allow_quoted_record_delimiter: c.boolean("AllowQuotedRecordDelimiter")?,
            })
        }
    };
    let json = match o.get("JSON") {
        None => None,
        Some(j) => Some(RawJsonIn {
            kind: Obj::new(j, "JSON", &["Type"])?.string("Type")?,
        }),
    };
    Ok(RawInput {
        csv,
        json,
        parquet: match o.get("Parquet") {
            None => None,
            // ParquetInput has no members.
            Some(p) => Obj::new(p, "Parquet", &[]).map(|_| Some(()))?,
        },
        compression: o.string("CompressionType")?,
    })
}

fn raw_output(text: &str) -> Result<RawOutput> {
    let v = parse_json(text, "OutputSerialization")?;
    let o = Obj::new(&v, "OutputSerialization", &["CSV", "JSON"])?;
    let csv = match o.get("CSV") {
        None => None,
        Some(c) => {
            let c = Obj::new(
                c,
                "CSV",
                &[
                    "QuoteFields",
                    "QuoteEscapeCharacter",
                    "RecordDelimiter",
                    "FieldDelimiter",
                    "QuoteCharacter",
                ],
            )?;
            Some(RawCsvOut {
                quote_fields: c.string("QuoteFields")?,
                quote_escape_character: c.string("QuoteEscapeCharacter")?,
                record_delimiter: c.string("RecordDelimiter")?,
                field_delimiter: c.string("FieldDelimiter")?,
                quote_character: c.string("QuoteCharacter")?,
            })
        }
    };
    let json = match o.get("JSON") {
        None => None,
        Some(j) => Some(RawJsonOut {
            record_delimiter: Obj::new(j, "JSON", &["RecordDelimiter"])?
                .string("RecordDelimiter")?,
        }),
    };
    Ok(RawOutput { csv, json })
}

fn raw_scan_range(text: &str) -> Result<RawScanRange> {
    let v = parse_json(text, "ScanRange")?;
    let o = Obj::new(&v, "ScanRange", &["Start", "End"])?;
    Ok(RawScanRange {
        start: o.uint("Start")?,
        end: o.uint("End")?,
    })
}

fn one_byte(value: Option<String>, default: u8, what: &str) -> Result<u8> {
    match value {
        None => Ok(default),
        Some(s) => match *s.as_bytes() {
            [b] => Ok(b),
            _ => Err(bad(
                ErrorCode::InvalidRequestParameter,
                format!("{what} must be a single ASCII character, not {s:?}."),
            )),
        },
    }
}

fn record_delimiter(value: Option<String>) -> Result<Vec<u8>> {
    match value {
        None => Ok(b"\n".to_vec()),
        Some(s) if s.len() == 1 || s == "\r\n" => Ok(s.into_bytes()),
        Some(s) => Err(bad(
            ErrorCode::InvalidRequestParameter,
            format!("RecordDelimiter must be one character or \\r\\n, not {s:?}."),
        )),
    }
}

impl InputSerialization {
    pub fn from_json(text: &str) -> Result<Self> {
        let raw = raw_input(text)?;
        let compression = match raw
            .compression
            .as_deref()
            .map(|n| (n, Compression::from_name(n)))
        {
            None => Compression::None,
            Some((_, Some(c))) => c,
            Some((other, None)) => {
                return Err(bad(
                    ErrorCode::InvalidCompressionFormat,
                    format!(
                        "CompressionType {} is not one of NONE, GZIP, BZIP2.",
                        other.to_ascii_uppercase()
                    ),
                ))
            }
        };
        let format = match (raw.csv, raw.json, raw.parquet) {
            (Some(c), None, None) => InputFormat::Csv(csv_input(c)?),
            (None, Some(j), None) => InputFormat::Json(
                match j.kind.as_deref().map(|n| (n, JsonType::from_name(n))) {
                    Some((_, Some(t))) => t,
                    None => {
                        return Err(bad(
                            ErrorCode::MissingRequiredParameter,
                            "JSON input needs a Type: DOCUMENT or LINES.",
                        ))
                    }
                    Some((other, None)) => {
                        return Err(bad(
                            ErrorCode::InvalidJsonType,
                            format!(
                                "JSON Type {} is not DOCUMENT or LINES.",
                                other.to_ascii_uppercase()
                            ),
                        ))
                    }
                },
            ),
            (None, None, Some(_)) if compression != Compression::None => {
                return Err(bad(
                    ErrorCode::InvalidCompressionFormat,
                    format!(
                        "Parquet objects cannot be compressed as a whole (CompressionType {}): S3 Select reads Parquet whose columns are compressed inside the file (GZIP or Snappy). Set CompressionType to NONE.",
                        compression.name()
                    ),
                ))
            }
            (None, None, Some(_)) => InputFormat::Parquet,
            (None, None, None) => {
                return Err(bad(
                    ErrorCode::MissingRequiredParameter,
                    "InputSerialization needs CSV, JSON or Parquet.",
                ))
            }
            _ => {
                return Err(bad(
                    ErrorCode::ObjectSerializationConflict,
                    "InputSerialization must name exactly one format.",
                ))
            }
        };
        Ok(InputSerialization {
            format,
            compression,
        })
    }

    /// The AWS CLI / API JSON shape, every CSV member spelled out (Comments only when set):
    /// `{"CSV":{"FileHeaderInfo":"USE","FieldDelimiter":",",…},"CompressionType":"NONE"}`, ready
    /// for `aws s3api select-object-content --input-serialization '…'`. `from_json` reads it back
    /// to the same value (for ASCII settings; a byte above 0x7f is written as that Latin-1
    /// character, which `from_json`, taking one UTF-8 byte, refuses).
    /// The AWS CLI / API shape, written by the one writer the page and the AWS client use.
    pub fn to_json(&self) -> String {
        self.to_settings().to_json()
    }

    /// These settings as the page's controls hold them (delimiters as text). Each delimiter byte
    /// becomes the character of that code point, as the AWS CLI JSON shows it.
    pub fn to_settings(&self) -> wyvern_settings::InputSettings {
        use wyvern_settings::{Format, InputSettings};
        let chars = |b: &[u8]| b.iter().map(|&c| char::from(c)).collect::<String>();
        let base = InputSettings {
            compression: self.compression,
            ..InputSettings::default()
        };
        match &self.format {
            InputFormat::Csv(c) => InputSettings {
                format: Format::Csv,
                file_header_info: c.file_header_info,
                field_delimiter: chars(&[c.field_delimiter]),
                record_delimiter: chars(&c.record_delimiter),
                quote_character: chars(&[c.quote]),
                quote_escape_character: chars(&[c.quote_escape]),
                comments: c.comments.map(|b| chars(&[b])).unwrap_or_default(),
                allow_quoted_record_delimiter: c.allow_quoted_record_delimiter,
                ..base
            },
            InputFormat::Json(kind) => InputSettings {
                format: Format::Json,
                json_type: *kind,
                ..base
            },
            InputFormat::Parquet => InputSettings {
                format: Format::Parquet,
                ..base
            },
        }
    }
}

fn csv_input(c: RawCsvIn) -> Result<CsvInput> {
    let file_header_info = match c
        .file_header_info
        .as_deref()
        .map(|n| (n, FileHeaderInfo::from_name(n)))
    {
        None => FileHeaderInfo::None,
        Some((_, Some(h))) => h,
        Some((other, None)) => {
            return Err(bad(
                ErrorCode::InvalidFileHeaderInfo,
                format!(
                    "FileHeaderInfo {} is not one of NONE, IGNORE, USE.",
                    other.to_ascii_uppercase()
                ),
            ))
        }
    };
    let comments = match c.comments {
        None => None,
        Some(s) if s.is_empty() => None,
        Some(s) => match *s.as_bytes() {
            [b] => Some(b),
            _ => {
                return Err(bad(
                    ErrorCode::InvalidRequestParameter,
                    format!("Comments must be a single character, not {s:?}."),
                ))
            }
        },
    };
    let quote = one_byte(c.quote_character, b'"', "QuoteCharacter")?;
    let csv = CsvInput {
        file_header_info,
        comments,
        quote,
        quote_escape: one_byte(c.quote_escape_character, b'"', "QuoteEscapeCharacter")?,
        field_delimiter: one_byte(c.field_delimiter, b',', "FieldDelimiter")?,
        record_delimiter: record_delimiter(c.record_delimiter)?,
        allow_quoted_record_delimiter: c.allow_quoted_record_delimiter.unwrap_or(false),
    };
    if csv.record_delimiter.contains(&csv.field_delimiter) || csv.field_delimiter == csv.quote {
        return Err(bad(
            ErrorCode::InvalidRequestParameter,
            "FieldDelimiter, RecordDelimiter and QuoteCharacter must differ.",
        ));
    }
    Ok(csv)
}

impl OutputSerialization {
    pub fn from_json(text: &str) -> Result<Self> {
        let raw = raw_output(text)?;
        match (raw.csv, raw.json) {
            (Some(c), None) => {
                let quote_fields = match c
                    .quote_fields
                    .as_deref()
                    .map(|n| (n, QuoteFields::from_name(n)))
                {
                    None => QuoteFields::AsNeeded,
                    Some((_, Some(q))) => q,
                    Some((other, None)) => {
                        return Err(bad(
                            ErrorCode::InvalidQuoteFields,
                            format!(
                                "QuoteFields {} is not ALWAYS or ASNEEDED.",
                                other.to_ascii_uppercase()
                            ),
                        ))
                    }
                };
                let field_delimiter = match c.field_delimiter {
                    None => b",".to_vec(),
                    Some(s) if !s.is_empty() && s.len() <= 2 => s.into_bytes(),
                    Some(s) => {
                        return Err(bad(
                            ErrorCode::InvalidRequestParameter,
                            format!("FieldDelimiter must be one or two characters, not {s:?}."),
                        ))
                    }
                };
                Ok(OutputSerialization::Csv(CsvOutput {
                    quote_fields,
                    quote: one_byte(c.quote_character, b'"', "QuoteCharacter")?,
                    quote_escape: one_byte(c.quote_escape_character, b'"', "QuoteEscapeCharacter")?,
                    field_delimiter,
                    record_delimiter: record_delimiter(c.record_delimiter)?,
                }))
            }
            (None, Some(j)) => Ok(OutputSerialization::Json {
                record_delimiter: record_delimiter(j.record_delimiter)?,
            }),
            (None, None) => Err(bad(
                ErrorCode::MissingRequiredParameter,
                "OutputSerialization needs CSV or JSON.",
            )),
            _ => Err(bad(
                ErrorCode::ObjectSerializationConflict,
                "OutputSerialization must name exactly one format.",
            )),
        }
    }
}

impl ScanRange {
    /// Resolves `{"Start":s,"End":e}`; with only End, the last `e` bytes of an object of `size`.
    pub fn from_json(text: &str, object_size: Option<u64>) -> Result<Self> {
        let raw = raw_scan_range(text)?;
        let invalid = |m: &str| bad(ErrorCode::InvalidScanRange, m.to_string());
        match (raw.start, raw.end) {
            (Some(s), Some(e)) if e < s => Err(invalid("ScanRange End must not be before Start.")),
            (Some(s), Some(e)) => Ok(ScanRange { start: s, end: e }),
            (Some(s), None) => Ok(ScanRange { start: s, end: u64::MAX }),
            (None, Some(e)) => match object_size {
                Some(size) => Ok(ScanRange { start: size.saturating_sub(e), end: u64::MAX }),
                None => Err(invalid("A ScanRange with only End needs the object's size (read from a file, not stdin).")),
            },
            (None, None) => Err(invalid("ScanRange needs Start, End or both.")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_cli_shapes() {
        let i = InputSerialization::from_json(
            r#"{"CSV":{"FileHeaderInfo":"USE"},"CompressionType":"GZIP"}"#,
        )
        .unwrap();
        assert_eq!(i.compression, Compression::Gzip);
        assert!(matches!(
            i.format,
            InputFormat::Csv(CsvInput {
                file_header_info: FileHeaderInfo::Use,
                ..
            })
        ));
        let j = InputSerialization::from_json(r#"{"JSON":{"Type":"LINES"}}"#).unwrap();
        assert_eq!(j.format, InputFormat::Json(JsonType::Lines));
        let o = OutputSerialization::from_json(r#"{"CSV":{"QuoteFields":"ALWAYS"}}"#).unwrap();
        assert!(matches!(
            o,
            OutputSerialization::Csv(CsvOutput {
                quote_fields: QuoteFields::Always,
                ..
            })
        ));
    }

    #[test]
    fn to_json_round_trips() {
        let csv = |f: fn(&mut CsvInput)| {
            let mut c = CsvInput::default();
            f(&mut c);
            InputFormat::Csv(c)
        };
        let formats = [
            csv(|_| {}),
            csv(|c| {
                c.file_header_info = FileHeaderInfo::Use;
                c.record_delimiter = b"\r\n".to_vec();
                c.field_delimiter = b';';
            }),
            csv(|c| {
                c.file_header_info = FileHeaderInfo::Ignore;
                c.field_delimiter = b'\t';
                c.quote = b'\'';
                c.quote_escape = b'\\';
                c.comments = Some(b'#');
                c.allow_quoted_record_delimiter = true;
                c.record_delimiter = b"\r".to_vec();
            }),
            csv(|c| {
                c.field_delimiter = 0x01;
                c.quote = b'"';
                c.quote_escape = b'"';
            }),
            InputFormat::Json(JsonType::Document),
            InputFormat::Json(JsonType::Lines),
        ];
        for format in formats {
            for compression in [Compression::None, Compression::Gzip, Compression::Bzip2] {
                let x = InputSerialization {
                    format: format.clone(),
                    compression,
                };
                let text = x.to_json();
                assert_eq!(InputSerialization::from_json(&text).unwrap(), x, "{text}");
            }
        }
        assert_eq!(
            InputSerialization::default().to_json(),
            r#"{"CSV":{"FileHeaderInfo":"NONE","FieldDelimiter":",","RecordDelimiter":"\n","QuoteCharacter":"\"","QuoteEscapeCharacter":"\"","AllowQuotedRecordDelimiter":false},"CompressionType":"NONE"}"#
        );
    }

    #[test]
    fn parquet_input_shapes() {
        let p = InputSerialization::from_json(r#"{"Parquet":{}}"#).unwrap();
        assert_eq!(p.format, InputFormat::Parquet);
        assert_eq!(p.to_json(), r#"{"Parquet":{},"CompressionType":"NONE"}"#);
        assert_eq!(InputSerialization::from_json(&p.to_json()).unwrap(), p);
        let code = |text: &str| InputSerialization::from_json(text).unwrap_err().code;
        // Parquet is compressed column by column inside the file, never as a whole.
        assert_eq!(
            code(r#"{"Parquet":{},"CompressionType":"GZIP"}"#),
            ErrorCode::InvalidCompressionFormat
        );
        assert_eq!(
            code(r#"{"Parquet":{"Type":"X"}}"#),
            ErrorCode::InvalidRequestParameter
        );
        assert_eq!(
            code(r#"{"Parquet":{},"JSON":{"Type":"LINES"}}"#),
            ErrorCode::ObjectSerializationConflict
        );
    }

    /// Without the `parquet` feature the engine refuses Parquet as it did before it had a reader.
    #[cfg(not(feature = "parquet"))]
    #[test]
    fn parquet_needs_the_feature() {
        let options = crate::QueryOptions {
            input: InputSerialization::from_json(r#"{"Parquet":{}}"#).unwrap(),
            output: OutputSerialization::default(),
            scan_range: None,
            now: crate::Timestamp::from_unix_millis(0),
        };
        let e = crate::Query::compile("SELECT * FROM S3Object", options).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnrecognizedFormatException);
    }

    #[test]
    fn bad_options_have_codes() {
        let code = |r: Result<InputSerialization>| r.unwrap_err().code;
        assert_eq!(
            code(InputSerialization::from_json(
                r#"{"CSV":{"FileHeaderInfo":"YES"}}"#
            )),
            ErrorCode::InvalidFileHeaderInfo
        );
        assert_eq!(
            code(InputSerialization::from_json(
                r#"{"CSV":{},"CompressionType":"ZIP"}"#
            )),
            ErrorCode::InvalidCompressionFormat
        );
        assert_eq!(
            code(InputSerialization::from_json(
                r#"{"CSV":{},"JSON":{"Type":"LINES"}}"#
            )),
            ErrorCode::ObjectSerializationConflict
        );
        assert_eq!(
            code(InputSerialization::from_json(r#"{"JSON":{"Type":"ROWS"}}"#)),
            ErrorCode::InvalidJsonType
        );
        assert_eq!(
            OutputSerialization::from_json(r#"{"CSV":{"QuoteFields":"SOMETIMES"}}"#)
                .unwrap_err()
                .code,
            ErrorCode::InvalidQuoteFields
        );
        assert_eq!(
            ScanRange::from_json(r#"{"Start":5,"End":2}"#, None)
                .unwrap_err()
                .code,
            ErrorCode::InvalidScanRange
        );
    }
}
