//! Parameter Store (SSM, JSON 1.1): request bodies and typed answers. [`Call`] is what the
//! Parameter Store panel asks for and [`Answer`] what it gets back: the live worker builds the
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

/// One Parameter Store call the panel makes: `{"call": "browse", "path": …}` (the tag in
/// snake case, fields by name; see [`Call::from_json`]).
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

/// What a [`Call`] answers, parsed; [`Answer::to_json`] is what the page gets.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Parameters {
        parameters: Vec<Parameter>,
        next_token: Option<String>,
    },
    Parameter {
        parameter: Parameter,
    },
    /// PutParameter: the version it made.
    Saved {
        version: i64,
    },
    Deleted,
}

impl Parameter {
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name, "kind": self.kind, "value": self.value, "version": self.version,
            "modified": self.modified,
        })
    }
}

impl Answer {
    /// `{"answer": "parameters", "parameters": [...], "next_token": …}` and so on. (Written by
    /// hand, as [`Call::from_json`] reads by hand: serde's derives cost the live worker 4 KB.)
    pub fn to_json(&self) -> Value {
        match self {
            Answer::Parameters {
                parameters,
                next_token,
            } => {
                // Values are moved in, not passed through `json!`, which would serialize them
                // again (and link a second serializer into the live worker).
                let mut v = json!({"answer": "parameters", "next_token": next_token});
                v["parameters"] = Value::Array(parameters.iter().map(Parameter::to_json).collect());
                v
            }
            Answer::Parameter { parameter } => {
                let mut v = json!({"answer": "parameter"});
                v["parameter"] = parameter.to_json();
                v
            }
            Answer::Saved { version } => json!({"answer": "saved", "version": version}),
            Answer::Deleted => json!({"answer": "deleted"}),
        }
    }
}

impl Call {
    /// Reads a call from the page's message; `None` for anything but the six calls with their
    /// fields. (Read by hand: serde's derive for a tagged enum costs the live worker 10 KB.)
    pub fn from_json(v: &Value) -> Option<Call> {
        let text = |k: &str| v.get(k)?.as_str().map(str::to_string);
        let flag = |k: &str| v.get(k)?.as_bool();
        Some(match v.get("call")?.as_str()? {
            "browse" => Call::Browse {
                path: text("path")?,
                recursive: flag("recursive")?,
                decrypt: flag("decrypt")?,
                next_token: text("next_token"),
            },
            "get" => Call::Get {
                name: text("name")?,
                decrypt: flag("decrypt")?,
            },
            "get_many" => Call::GetMany {
                names: v
                    .get("names")?
                    .as_array()?
                    .iter()
                    .map(|n| n.as_str().map(str::to_string))
                    .collect::<Option<_>>()?,
            },
            "history" => Call::History {
                name: text("name")?,
                decrypt: flag("decrypt")?,
            },
            "put" => Call::Put {
                name: text("name")?,
                value: text("value")?,
                kind: text("kind")?,
                overwrite: flag("overwrite")?,
            },
            "delete" => Call::Delete {
                name: text("name")?,
            },
            _ => return None,
        })
    }

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
            Call::Get { .. } => Answer::Parameter {
                parameter: parse_parameter(body)?,
            },
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
        let call = Call::from_json(&json!({
            "call": "browse", "path": "/dragons", "recursive": true, "decrypt": false, "next_token": null
        }))
        .unwrap();
        assert_eq!(call.action(), "GetParametersByPath");
        assert_eq!(call.body()["Path"], "/dragons");
        assert!(call.body().get("NextToken").is_none());
        let answer = call
            .answer(br#"{"Parameters":[{"Name":"/dragons/a","Type":"String","Value":"1","Version":2,"LastModifiedDate":1.7e9}],"NextToken":"t"}"#)
            .unwrap();
        assert_eq!(
            answer.to_json(),
            json!({"answer": "parameters", "next_token": "t", "parameters": [
                {"name": "/dragons/a", "kind": "String", "value": "1", "version": 2, "modified": 1.7e9}
            ]})
        );
        let put = Call::from_json(&json!({
            "call": "put", "name": "/n", "value": "v", "kind": "SecureString", "overwrite": true
        }))
        .unwrap();
        assert_eq!(put.body()["Overwrite"], true);
        assert_eq!(
            put.answer(br#"{"Version":3,"Tier":"Standard"}"#),
            Some(Answer::Saved { version: 3 })
        );
        assert_eq!(put.answer(b"{}"), None);
        let many = Call::from_json(&json!({"call": "get_many", "names": ["a", "b"]})).unwrap();
        assert_eq!(
            (many.action(), many.body()),
            (
                "GetParameters",
                json!({"Names": ["a", "b"], "WithDecryption": false})
            )
        );
        // Anything but the five calls is refused before a request is built.
        assert!(Call::from_json(&json!({"call": "delete_everything"})).is_none());
        assert!(Call::from_json(&json!({"call": "get", "name": 5, "decrypt": false})).is_none());
        assert!(Call::from_json(&json!({"call": "get_many", "names": ["a", 1]})).is_none());
    }
}
