//! Parameter Store (SSM, JSON 1.1): request bodies and typed answers. [`Call`] is a call the
//! Parameter Store panel makes and [`Answer`] what it gets back: the live worker builds the
//! request from the one and parses the service's JSON into the other, here.

use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub kind: String,
    pub value: String,
    pub version: i64,
    /// LastModifiedDate, in seconds since 1970 (`None` when the answer has none).
    pub modified: Option<f64>,
}

/// One Parameter Store call the panel makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// GetParametersByPath, ten at a time.
    Browse {
        path: String,
        recursive: bool,
        decrypt: bool,
        next_token: Option<String>,
    },
    Get {
        name: String,
        decrypt: bool,
    },
    /// GetParameters (the class's bucket and key names, say), not decrypted.
    GetMany {
        names: Vec<String>,
    },
    History {
        name: String,
        decrypt: bool,
    },
    Put {
        name: String,
        value: String,
        kind: String,
        overwrite: bool,
    },
    Delete {
        name: String,
    },
}

/// What a [`Call`] answers, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Parameters {
        parameters: Vec<Parameter>,
        next_token: Option<String>,
    },
    Parameter(Parameter),
    /// PutParameter: the version it made.
    Saved {
        version: i64,
    },
    Deleted,
}

impl Call {
    /// The action's name (`GetParametersByPath`); the `X-Amz-Target` is `AmazonSSM.` + it.
    pub fn action(&self) -> &'static str {
        match self {
            Call::Browse { .. } => "GetParametersByPath",
            Call::Get { .. } => "GetParameter",
            Call::GetMany { .. } => "GetParameters",
            Call::History { .. } => "GetParameterHistory",
            Call::Put { .. } => "PutParameter",
            Call::Delete { .. } => "DeleteParameter",
        }
    }

    pub fn body(&self) -> Value {
        match self {
            Call::Browse {
                path,
                recursive,
                decrypt,
                next_token,
            } => get_parameters_by_path(path, *recursive, *decrypt, next_token.as_deref()),
            Call::Get { name, decrypt } => get_parameter(name, *decrypt),
            Call::GetMany { names } => {
                get_parameters(&names.iter().map(String::as_str).collect::<Vec<_>>(), false)
            }
            Call::History { name, decrypt } => get_parameter_history(name, *decrypt),
            Call::Put {
                name,
                value,
                kind,
                overwrite,
            } => put_parameter(name, value, kind, *overwrite),
            Call::Delete { name } => delete_parameter(name),
        }
    }

    /// The service's successful answer to this call, parsed (`None`: not the shape AWS sends).
    pub fn answer(&self, body: &[u8]) -> Option<Answer> {
        Some(match self {
            Call::Browse { .. } | Call::History { .. } | Call::GetMany { .. } => {
                let (parameters, next_token) = parse_parameters(body)?;
                Answer::Parameters {
                    parameters,
                    next_token,
                }
            }
            Call::Get { .. } => Answer::Parameter(parse_parameter(body)?),
            Call::Put { .. } => {
                let v: Value = serde_json::from_slice(body).ok()?;
                Answer::Saved {
                    version: v.get("Version")?.as_i64()?,
                }
            }
            Call::Delete { .. } => Answer::Deleted,
        })
    }
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
        modified: v.get("LastModifiedDate").and_then(Value::as_f64),
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

    #[test]
    fn calls_from_the_panel_and_their_answers() {
        let call = Call::Browse {
            path: "/dragons".into(),
            recursive: true,
            decrypt: false,
            next_token: None,
        };
        assert_eq!(call.action(), "GetParametersByPath");
        assert_eq!(call.body()["Path"], "/dragons");
        assert!(call.body().get("NextToken").is_none());
        let answer = call
            .answer(br#"{"Parameters":[{"Name":"/dragons/a","Type":"String","Value":"1","Version":2,"LastModifiedDate":1.7e9}],"NextToken":"t"}"#)
            .unwrap();
        assert_eq!(
            answer,
            Answer::Parameters {
                parameters: vec![Parameter {
                    name: "/dragons/a".into(),
                    kind: "String".into(),
                    value: "1".into(),
                    version: 2,
                    modified: Some(1.7e9),
                }],
                next_token: Some("t".into()),
            }
        );
        let put = Call::Put {
            name: "/n".into(),
            value: "v".into(),
            kind: "SecureString".into(),
            overwrite: true,
        };
        assert_eq!(put.body()["Overwrite"], true);
        assert_eq!(
            put.answer(br#"{"Version":3,"Tier":"Standard"}"#),
            Some(Answer::Saved { version: 3 })
        );
        assert_eq!(put.answer(b"{}"), None);
        let many = Call::GetMany {
            names: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            (many.action(), many.body()),
            (
                "GetParameters",
                json!({"Names": ["a", "b"], "WithDecryption": false})
            )
        );
    }
}
