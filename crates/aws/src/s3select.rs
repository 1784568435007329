//! S3 SelectObjectContent: the request (XML body built from the engine's serialization model)
//! and the decision to fall back to GetObject + the local engine when an account has no S3 Select.

use crate::error::AwsError;
use quick_xml::escape::escape;
use wyvern_select::serialization::{
    CsvInput, CsvOutput, InputFormat, InputSerialization, OutputSerialization, ScanRange,
};

/// XML text of raw bytes (`<`, `>`, `&`, `'` and `"` escaped).
fn bytes(b: &[u8]) -> String {
    escape(String::from_utf8_lossy(b)).into_owned()
}

fn el(name: &str, value: &str) -> String {
    format!("<{name}>{value}</{name}>")
}

fn csv_input(c: &CsvInput) -> String {
    let mut s = String::from("<CSV>");
    s += &el("FileHeaderInfo", c.file_header_info.name());
    if let Some(cm) = c.comments {
        s += &el("Comments", &bytes(&[cm]));
    }
    s += &el("QuoteEscapeCharacter", &bytes(&[c.quote_escape]));
    s += &el("RecordDelimiter", &bytes(&c.record_delimiter));
    s += &el("FieldDelimiter", &bytes(&[c.field_delimiter]));
    s += &el("QuoteCharacter", &bytes(&[c.quote]));
    s += &el(
        "AllowQuotedRecordDelimiter",
        if c.allow_quoted_record_delimiter {
            "TRUE"
        } else {
            "FALSE"
        },
    );
    s + "</CSV>"
}

fn csv_output(c: &CsvOutput) -> String {
    format!(
        "<CSV>{}{}{}{}{}</CSV>",
        el("QuoteFields", c.quote_fields.name()),
        el("QuoteEscapeCharacter", &bytes(&[c.quote_escape])),
        el("RecordDelimiter", &bytes(&c.record_delimiter)),
        el("FieldDelimiter", &bytes(&c.field_delimiter)),
        el("QuoteCharacter", &bytes(&[c.quote])),
    )
}

/// The `SelectObjectContentRequest` XML document.
pub fn request_body(
    sql: &str,
    input: &InputSerialization,
    output: &OutputSerialization,
    scan_range: Option<ScanRange>,
) -> String {
    let compression = input.compression.name();
    let format = match &input.format {
        InputFormat::Csv(c) => csv_input(c),
        InputFormat::Json(t) => format!("<JSON>{}</JSON>", el("Type", t.name())),
    };
    let out = match output {
        OutputSerialization::Csv(c) => csv_output(c),
        OutputSerialization::Json { record_delimiter } => format!(
            "<JSON>{}</JSON>",
            el("RecordDelimiter", &bytes(record_delimiter))
        ),
    };
    let range = scan_range
        .map(|r| {
            let end = if r.end == u64::MAX {
                String::new()
            } else {
                el("End", &r.end.to_string())
            };
            format!(
                "<ScanRange>{}{end}</ScanRange>",
                el("Start", &r.start.to_string())
            )
        })
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SelectObjectContentRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{}{}<InputSerialization>{}{format}</InputSerialization><OutputSerialization>{out}</OutputSerialization><RequestProgress><Enabled>TRUE</Enabled></RequestProgress>{range}</SelectObjectContentRequest>",
        el("Expression", &escape(sql)),
        el("ExpressionType", "SQL"),
        el("CompressionType", compression),
    )
}

/// The request line: `POST /{bucket}/{key}?select&select-type=2` (path-style, which both the
/// emulator and AWS accept), with the key's segments percent-encoded once.
pub fn request_path(bucket: &str, key: &str) -> String {
    crate::s3::object_path(bucket, key) + "?select&select-type=2"
}

/// Does this error mean S3 Select is not available (closed to new customers, not on this
/// bucket type, or denied by policy), so the query should run locally on a GetObject instead?
pub fn select_unavailable(e: &AwsError) -> bool {
    matches!(
        e.code.as_str(),
        "MethodNotAllowed" | "NotImplemented" | "AccessDenied" | "UnsupportedOperation"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_documented_request_shape() {
        let input = InputSerialization::from_json(
            r##"{"CSV":{"FileHeaderInfo":"USE","Comments":"#"},"CompressionType":"GZIP"}"##,
        )
        .unwrap();
        let output =
            OutputSerialization::from_json(r#"{"JSON":{"RecordDelimiter":"\n"}}"#).unwrap();
        let body = request_body(
            "SELECT s.name FROM S3Object s WHERE s.x < '<&>'",
            &input,
            &output,
            Some(ScanRange { start: 0, end: 99 }),
        );
        assert!(body.contains("<Expression>SELECT s.name FROM S3Object s WHERE s.x &lt; &apos;&lt;&amp;&gt;&apos;</Expression>"));
        assert!(body.contains("<ExpressionType>SQL</ExpressionType>"));
        assert!(body.contains("<InputSerialization><CompressionType>GZIP</CompressionType><CSV><FileHeaderInfo>USE</FileHeaderInfo><Comments>#</Comments>"));
        assert!(body.contains("<OutputSerialization><JSON><RecordDelimiter>\n</RecordDelimiter></JSON></OutputSerialization>"));
        assert!(body.contains("<ScanRange><Start>0</Start><End>99</End></ScanRange>"));
        assert!(body.contains("<RequestProgress><Enabled>TRUE</Enabled></RequestProgress>"));
    }

    #[test]
    fn paths_and_fallback() {
        assert_eq!(
            request_path("dragon-data", "data/dragon stats.json"),
            "/dragon-data/data/dragon%20stats.json?select&select-type=2"
        );
        let e = |code: &str| AwsError {
            service: "s3".into(),
            code: code.into(),
            message: String::new(),
            request_id: None,
            status: 405,
        };
        assert!(select_unavailable(&e("MethodNotAllowed")));
        assert!(select_unavailable(&e("AccessDenied")));
        assert!(!select_unavailable(&e("NoSuchKey")));
    }
}
