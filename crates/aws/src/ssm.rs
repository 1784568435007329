//! Parameter Store (SSM, JSON 1.1): request bodies and typed answers.

use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub kind: String,
    pub value: String,
    pub version: i64,
}

pub const GET_PARAMETER: &str = "AmazonSSM.GetParameter";
pub const GET_PARAMETERS: &str = "AmazonSSM.GetParameters";
pub const GET_PARAMETERS_BY_PATH: &str = "AmazonSSM.GetParametersByPath";
pub const DESCRIBE_PARAMETERS: &str = "AmazonSSM.DescribeParameters";
pub const PUT_PARAMETER: &str = "AmazonSSM.PutParameter";
pub const DELETE_PARAMETER: &str = "AmazonSSM.DeleteParameter";
pub const GET_PARAMETER_HISTORY: &str = "AmazonSSM.GetParameterHistory";

pub fn get_parameter(name: &str, decrypt: bool) -> Value {
    json!({ "Name": name, "WithDecryption": decrypt })
}

pub fn get_parameters(names: &[&str], decrypt: bool) -> Value {
    json!({ "Names": names, "WithDecryption": decrypt })
}

pub fn get_parameters_by_path(
    path: &str,
    recursive: bool,
    decrypt: bool,
    next_token: Option<&str>,
) -> Value {
    let mut v = json!({ "Path": path, "Recursive": recursive, "WithDecryption": decrypt, "MaxResults": 10 });
    if let Some(t) = next_token {
        v["NextToken"] = json!(t); // cannot fail: v is the object built above
    }
    v
}

pub fn describe_parameters(next_token: Option<&str>) -> Value {
    let mut v = json!({ "MaxResults": 50 });
    if let Some(t) = next_token {
        v["NextToken"] = json!(t); // cannot fail: v is the object built above
    }
    v
}

pub fn put_parameter(name: &str, value: &str, kind: &str, overwrite: bool) -> Value {
    json!({ "Name": name, "Value": value, "Type": kind, "Overwrite": overwrite })
}

pub fn delete_parameter(name: &str) -> Value {
    json!({ "Name": name })
}

pub fn get_parameter_history(name: &str, decrypt: bool) -> Value {
    json!({ "Name": name, "WithDecryption": decrypt })
}

fn parameter(v: &Value) -> Option<Parameter> {
    Some(Parameter {
        name: v.get("Name")?.as_str()?.to_string(),
        kind: v
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or("String")
            .to_string(),
        value: v
            .get("Value")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        version: v.get("Version").and_then(Value::as_i64).unwrap_or(0),
    })
}

/// `{"Parameter": {...}}` (GetParameter).
pub fn parse_parameter(body: &[u8]) -> Option<Parameter> {
    let v: Value = serde_json::from_slice(body).ok()?;
    parameter(v.get("Parameter")?)
}

/// `{"Parameters": [...], "NextToken": "..."}` (GetParameters, GetParametersByPath, history,
/// DescribeParameters — whose entries have no Value).
pub fn parse_parameters(body: &[u8]) -> Option<(Vec<Parameter>, Option<String>)> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let list = v
        .get("Parameters")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(parameter)
        .collect();
    let next = v
        .get("NextToken")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    Some((list, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_and_answers() {
        assert_eq!(
            get_parameter("a", true),
            json!({"Name": "a", "WithDecryption": true})
        );
        assert_eq!(
            get_parameters_by_path("/d", true, false, Some("t"))["NextToken"],
            "t"
        );
        let p = parse_parameter(
            br#"{"Parameter":{"Name":"n","Type":"SecureString","Value":"v","Version":3}}"#,
        )
        .unwrap();
        assert_eq!((p.kind.as_str(), p.version), ("SecureString", 3));
        let (list, next) = parse_parameters(br#"{"Parameters":[{"Name":"a","Value":"1"},{"Name":"b","Value":"2"}],"NextToken":"x"}"#).unwrap();
        assert_eq!((list.len(), next.as_deref()), (2, Some("x")));
        assert!(parse_parameter(b"nope").is_none());
    }
}
