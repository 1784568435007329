//! S3 SelectObjectContent: the request's XML body, and the decision to fall back to GetObject +
//! the local engine when an account has no S3 Select.

use crate::error::AwsError;
use quick_xml::escape::escape;
use serde_json::Value;

fn el(name: &str, value: &str) -> String {
    format!("<{name}>{value}</{name}>")
}

/// Writes a serialization's JSON members as the XML elements of the same names (the API uses
/// one set of member names for both).
fn members(v: &Value, out: &mut String) -> Result<(), String> {
    match v {
        Value::Object(map) => {
            for (name, value) in map {
                // Names go into markup: letters only, as every member of the API is named.
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err(format!("\"{name}\" is not a serialization member."));
                }
                out.push_str(&format!("<{name}>"));
                members(value, out)?;
                out.push_str(&format!("</{name}>"));
            }
        }
        Value::String(text) => out.push_str(&escape(text.as_str())),
        Value::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Null | Value::Array(_) => {
            return Err("a serialization member is not a value S3 takes.".into())
        }
    }
    Ok(())
}

fn serialization(name: &str, json: &str) -> Result<String, String> {
    let v: Value = serde_json::from_str(json).map_err(|e| format!("{name} is not JSON: {e}"))?;
    if !v.is_object() {
        return Err(format!("{name} must be a JSON object."));
    }
    let mut out = format!("<{name}>");
    members(&v, &mut out).map_err(|e| format!("{name}: {e}"))?;
    out.push_str(&format!("</{name}>"));
    Ok(out)
}

/// The `SelectObjectContentRequest` document. The serializations come as the AWS CLI takes them
/// (`{"CSV":{"FileHeaderInfo":"USE"},"CompressionType":"GZIP"}`) and are written over member by
/// member: S3 checks them (and the local engine does before a local run), so the AWS client keeps
/// no second copy of the settings model. `scan_range`: start and, if any, end.
pub fn request_body(
    sql: &str,
    input_json: &str,
    output_json: &str,
    scan_range: Option<(u64, Option<u64>)>,
) -> Result<String, String> {
    let range = scan_range
        .map(|(start, end)| {
            let end = end.map(|e| el("End", &e.to_string())).unwrap_or_default();
            format!(
                "<ScanRange>{}{end}</ScanRange>",
                el("Start", &start.to_string())
            )
        })
        .unwrap_or_default();
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SelectObjectContentRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{}{}{}{}<RequestProgress><Enabled>TRUE</Enabled></RequestProgress>{range}</SelectObjectContentRequest>",
        el("Expression", &escape(sql)),
        el("ExpressionType", "SQL"),
        serialization("InputSerialization", input_json)?,
        serialization("OutputSerialization", output_json)?,
    ))
}

/// The request line: `POST /{bucket}/{key}?select&select-type=2` (path-style, which both the
/// emulator and AWS accept), with the key's segments percent-encoded once.
pub fn request_path(bucket: &str, key: &str) -> String {
    crate::s3::object_path(bucket, key) + "?select&select-type=2"
}

/// Whether an InputSerialization (as the AWS CLI takes it) reads Parquet: such an object is read
/// by ranges where S3 Select does not answer, never downloaded whole.
pub fn reads_parquet(input_json: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(input_json)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.contains_key("Parquet")))
        .unwrap_or(false)
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
    fn parquet_input_is_told_apart() {
        assert!(reads_parquet(r#"{"Parquet":{}}"#));
        assert!(reads_parquet(r#"{"CompressionType":"NONE","Parquet":{}}"#));
        assert!(!reads_parquet(r#"{"CSV":{"FileHeaderInfo":"USE"}}"#));
        assert!(!reads_parquet(r#"{"JSON":{"Type":"Parquet"}}"#));
        assert!(!reads_parquet("not json"));
    }

    #[test]
    fn builds_the_documented_request_shape() {
        let body = request_body(
            "SELECT s.name FROM S3Object s WHERE s.x < '<&>'",
            r##"{"CSV":{"FileHeaderInfo":"USE","Comments":"#","QuoteCharacter":"\"","AllowQuotedRecordDelimiter":true},"CompressionType":"GZIP"}"##,
            r#"{"JSON":{"RecordDelimiter":"\n"}}"#,
            Some((0, Some(99))),
        )
        .unwrap();
        assert!(body.contains("<Expression>SELECT s.name FROM S3Object s WHERE s.x &lt; &apos;&lt;&amp;&gt;&apos;</Expression>"));
        assert!(body.contains("<ExpressionType>SQL</ExpressionType>"));
        assert!(body.contains("<InputSerialization><CSV><AllowQuotedRecordDelimiter>TRUE</AllowQuotedRecordDelimiter><Comments>#</Comments><FileHeaderInfo>USE</FileHeaderInfo><QuoteCharacter>&quot;</QuoteCharacter></CSV><CompressionType>GZIP</CompressionType></InputSerialization>"));
        assert!(body.contains("<OutputSerialization><JSON><RecordDelimiter>\n</RecordDelimiter></JSON></OutputSerialization>"));
        assert!(body.contains("<ScanRange><Start>0</Start><End>99</End></ScanRange>"));
        assert!(body.contains("<RequestProgress><Enabled>TRUE</Enabled></RequestProgress>"));
        let open = request_body(
            "SELECT 1",
            r#"{"JSON":{"Type":"LINES"}}"#,
            "{}",
            Some((5, None)),
        )
        .unwrap();
        assert!(open.contains("<ScanRange><Start>5</Start></ScanRange>"));
        // Only member names reach the markup; nothing else is written.
        for bad in [
            r#"{"a><b":{}}"#,
            r#"{"CSV":[1]}"#,
            "[]",
            "not json",
            r#"{"CSV":null}"#,
        ] {
            assert!(request_body("SELECT 1", bad, "{}", None).is_err(), "{bad}");
        }
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
