//! The `SelectObjectContentRequest` XML body, read into the engine's options. Serializations
//! are turned into the AWS CLI's JSON shape (`{"CSV":{"FileHeaderInfo":"USE"}}`), which the
//! engine's `from_json` checks as S3 does; whitespace is kept (a `RecordDelimiter` of "\n").

use crate::s3::error::S3Error;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{json, Map, Value};
use wyvern_select::{ErrorCode, InputSerialization, OutputSerialization, ScanRange, SelectError};

/// Elements a request may hold before it is refused unread (a real one has a few dozen).
const MAX_ELEMENTS: usize = 256;
const MAX_DEPTH: usize = 8;

#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn parse_tree(body: &[u8]) -> Result<Element, S3Error> {
    let text = std::str::from_utf8(body).map_err(|_| S3Error::malformed_xml())?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut count = 0;
    loop {
        let event = reader.read_event().map_err(|_| S3Error::malformed_xml())?;
        match event {
            Event::Start(_) | Event::Empty(_)
                if count >= MAX_ELEMENTS || stack.len() >= MAX_DEPTH =>
            {
                return Err(S3Error::malformed_xml());
            }
            Event::Start(e) => {
                count += 1;
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                stack.push(Element {
                    name,
                    ..Element::default()
                });
            }
            Event::Empty(e) => {
                count += 1;
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let element = Element {
                    name,
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return Ok(element),
                }
            }
            Event::Text(t) => {
                if let Some(open) = stack.last_mut() {
                    open.text += &t.unescape().map_err(|_| S3Error::malformed_xml())?;
                }
            }
            Event::CData(t) => {
                if let Some(open) = stack.last_mut() {
                    open.text += &String::from_utf8_lossy(&t);
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(S3Error::malformed_xml());
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Eof => return Err(S3Error::malformed_xml()),
            _ => {}
        }
    }
}

/// A serialization element as the CLI's JSON: nested elements as objects, leaves as strings
/// (`AllowQuotedRecordDelimiter` as a boolean, as the API model types it).
fn cli_shape(element: &Element) -> Value {
    let mut out = Map::new();
    for child in &element.children {
        let value = if !child.children.is_empty() || is_format(&child.name) {
            cli_shape(child)
        } else if child.name == "AllowQuotedRecordDelimiter" {
            json!(child.text.trim().eq_ignore_ascii_case("true"))
        } else {
            json!(child.text)
        };
        out.insert(child.name.clone(), value);
    }
    Value::Object(out)
}

fn is_format(name: &str) -> bool {
    matches!(name, "CSV" | "JSON" | "Parquet")
}

fn engine_error(e: SelectError) -> S3Error {
    S3Error::new(400, e.code.as_str(), e.message)
}

fn missing(what: &str) -> S3Error {
    engine_error(SelectError::new(
        ErrorCode::MissingRequiredParameter,
        format!("The SelectObjectContentRequest needs {what}."),
    ))
}

/// What a select asks for, ready for the engine once the object's size is known.
#[derive(Debug)]
pub struct SelectRequest {
    pub expression: String,
    pub input: InputSerialization,
    pub output: OutputSerialization,
    /// The `ScanRange` in the CLI's JSON shape, resolved against the object's size later.
    scan_range: Option<String>,
}

impl SelectRequest {
    pub fn parse(body: &[u8]) -> Result<SelectRequest, S3Error> {
        let root = parse_tree(body)?;
        if root.name != "SelectObjectContentRequest" {
            return Err(S3Error::malformed_xml());
        }
        let expression = root
            .child("Expression")
            .map(|e| e.text.clone())
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| missing("an Expression"))?;
        match root.child("ExpressionType").map(|e| e.text.trim()) {
            Some(t) if t.eq_ignore_ascii_case("SQL") => {}
            Some(t) => {
                return Err(engine_error(SelectError::new(
                    ErrorCode::InvalidExpressionType,
                    format!(
                        "The ExpressionType '{t}' is invalid. Only SQL expressions are supported."
                    ),
                )))
            }
            None => return Err(missing("an ExpressionType (SQL)")),
        }
        let input = root
            .child("InputSerialization")
            .ok_or_else(|| missing("an InputSerialization"))?;
        let output = root
            .child("OutputSerialization")
            .ok_or_else(|| missing("an OutputSerialization"))?;
        let input =
            InputSerialization::from_json(&cli_shape(input).to_string()).map_err(engine_error)?;
        let output =
            OutputSerialization::from_json(&cli_shape(output).to_string()).map_err(engine_error)?;
        let scan_range = root.child("ScanRange").map(|range| {
            let mut shape = Map::new();
            for field in ["Start", "End"] {
                if let Some(e) = range.child(field) {
                    let text = e.text.trim();
                    // Digits as a number; anything else stays text, which the engine refuses.
                    let value = text
                        .parse::<u64>()
                        .map_or_else(|_| json!(text), |n| json!(n));
                    shape.insert(field.to_string(), value);
                }
            }
            Value::Object(shape).to_string()
        });
        Ok(SelectRequest {
            expression,
            input,
            output,
            scan_range,
        })
    }

    /// The scan range over an object of `size` bytes (`End` alone means its last `End` bytes).
    pub fn scan_range(&self, size: usize) -> Result<Option<ScanRange>, S3Error> {
        match &self.scan_range {
            None => Ok(None),
            Some(text) => ScanRange::from_json(text, Some(size as u64))
                .map(Some)
                .map_err(engine_error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wyvern_select::serialization::{Compression, FileHeaderInfo, InputFormat, JsonType};

    #[test]
    fn reads_what_live_mode_sends() {
        let input_json = r##"{"CSV":{"FileHeaderInfo":"USE","Comments":"#","AllowQuotedRecordDelimiter":true},"CompressionType":"GZIP"}"##;
        let output_json = r#"{"JSON":{"RecordDelimiter":"\n"}}"#;
        let input = InputSerialization::from_json(input_json).unwrap();
        let output = OutputSerialization::from_json(output_json).unwrap();
        let body = wyvern_aws::s3select::request_body(
            "SELECT s.name FROM S3Object s WHERE s.x < '<&>'",
            input_json,
            output_json,
            Some((0, Some(99))),
        )
        .unwrap();
        let r = SelectRequest::parse(body.as_bytes()).unwrap();
        assert_eq!(
            r.expression,
            "SELECT s.name FROM S3Object s WHERE s.x < '<&>'"
        );
        assert_eq!(r.input, input);
        assert_eq!(r.output, output);
        assert_eq!(
            r.scan_range(1000).unwrap(),
            Some(ScanRange { start: 0, end: 99 })
        );
    }

    #[test]
    fn reads_what_boto3_sends() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<SelectObjectContentRequest xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Expression>select * from s3object[*][*] s</Expression><ExpressionType>SQL</ExpressionType><InputSerialization><JSON><Type>Document</Type></JSON></InputSerialization><OutputSerialization><JSON /></OutputSerialization><ScanRange><End>50</End></ScanRange></SelectObjectContentRequest>"#;
        let r = SelectRequest::parse(body).unwrap();
        assert_eq!(r.input.format, InputFormat::Json(JsonType::Document));
        assert_eq!(r.input.compression, Compression::None);
        assert_eq!(
            r.output,
            OutputSerialization::Json {
                record_delimiter: b"\n".to_vec()
            }
        );
        assert_eq!(
            r.scan_range(80).unwrap(),
            Some(ScanRange {
                start: 30,
                end: u64::MAX
            })
        );
        let csv = br#"<SelectObjectContentRequest><Expression>select 1</Expression><ExpressionType>SQL</ExpressionType><InputSerialization><CSV><FileHeaderInfo>IGNORE</FileHeaderInfo><RecordDelimiter>&#13;
</RecordDelimiter></CSV></InputSerialization><OutputSerialization><CSV/></OutputSerialization></SelectObjectContentRequest>"#;
        let r = SelectRequest::parse(csv).unwrap();
        match r.input.format {
            InputFormat::Csv(c) => {
                assert_eq!(c.file_header_info, FileHeaderInfo::Ignore);
                assert_eq!(c.record_delimiter, b"\r\n");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refusals() {
        let code = |body: &str| SelectRequest::parse(body.as_bytes()).unwrap_err().code;
        let wrap = |inner: &str| {
            format!("<SelectObjectContentRequest>{inner}</SelectObjectContentRequest>")
        };
        let io = "<InputSerialization><CSV/></InputSerialization><OutputSerialization><CSV/></OutputSerialization>";
        assert_eq!(code("not xml"), "MalformedXML");
        assert_eq!(code("<Other/>"), "MalformedXML");
        assert_eq!(code("<SelectObjectContentRequest>"), "MalformedXML");
        assert_eq!(code(&"<a>".repeat(20)), "MalformedXML");
        assert_eq!(code(&wrap(&"<X/>".repeat(300))), "MalformedXML");
        assert_eq!(code(&wrap(io)), "MissingRequiredParameter");
        assert_eq!(
            code(&wrap(&format!(
                "<Expression>select 1</Expression><ExpressionType>XPATH</ExpressionType>{io}"
            ))),
            "InvalidExpressionType"
        );
        let sql = "<Expression>select 1</Expression><ExpressionType>SQL</ExpressionType>";
        assert_eq!(
            code(&wrap(&format!(
                "{sql}<InputSerialization><CSV/></InputSerialization>"
            ))),
            "MissingRequiredParameter"
        );
        assert_eq!(
            code(&wrap(&format!("{sql}<InputSerialization><JSON><Type>XML</Type></JSON></InputSerialization><OutputSerialization><CSV/></OutputSerialization>"))),
            "InvalidJsonType"
        );
        assert_eq!(
            code(&wrap(&format!("{sql}<InputSerialization><CSV/><CompressionType>ZIP</CompressionType></InputSerialization><OutputSerialization><CSV/></OutputSerialization>"))),
            "InvalidCompressionFormat"
        );
        let ranged = SelectRequest::parse(
            wrap(&format!("{sql}{io}<ScanRange><Start>x</Start></ScanRange>")).as_bytes(),
        )
        .unwrap();
        assert!(ranged.scan_range(10).is_err());
        assert_eq!(code("<SelectObjectContentRequest>\u{0}"), "MalformedXML");
    }
}
