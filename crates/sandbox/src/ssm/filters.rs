//! `ParameterFilters` (DescribeParameters, GetParametersByPath) and DescribeParameters' older
//! `Filters`: reading, AWS's checks with its error codes, and matching.

use super::input::not_null;
use super::store::{Parameter, Version};
use crate::reply::ApiError;
use serde_json::Value;

/// Which operation the filters are for: GetParametersByPath takes fewer keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    Describe,
    ByPath,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub key: String,
    pub option: String,
    pub values: Vec<String>,
}

const INVALID_PATH: &str = "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.";
const RESERVED_PATH: &str = "Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). When using global parameters, please specify within a global namespace.";

fn known_key(key: &str) -> bool {
    matches!(
        key,
        "Name" | "Type" | "KeyId" | "Path" | "Label" | "Tier" | "DataType"
    ) || key.strip_prefix("tag:").is_some_and(|t| !t.is_empty())
}

fn read_one(index: usize, item: &Value) -> Result<Filter, ApiError> {
    let member = format!("parameterFilters.{index}.member");
    let serialization = |what: &str| {
        ApiError::new(
            "SerializationException",
            format!("{member}.{what} has the wrong JSON type."),
        )
    };
    let Some(object) = item.as_object() else {
        return Err(serialization("filter"));
    };
    let key = match object.get("Key") {
        None | Some(Value::Null) => return Err(not_null(&format!("{member}.key"))),
        Some(Value::String(k)) => k.clone(),
        Some(_) => return Err(serialization("key")),
    };
    let option = match object.get("Option") {
        None | Some(Value::Null) => None,
        Some(Value::String(o)) => Some(o.clone()),
        Some(_) => return Err(serialization("option")),
    };
    let values = match object.get("Values") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| serialization("values"))?,
        Some(_) => return Err(serialization("values")),
    };
    // Path filters default to OneLevel, the others to Equals.
    let option = option.unwrap_or_else(|| if key == "Path" { "OneLevel" } else { "Equals" }.into());
    Ok(Filter {
        key,
        option,
        values,
    })
}

/// The model's constraints on each filter, reported together as AWS does.
fn check_shapes(filters: &[Filter]) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    for (i, f) in filters.iter().enumerate() {
        let at = format!("parameterFilters.{}.member", i + 1);
        if !known_key(&f.key) {
            errors.push(format!("Value \"{}\" at \"{at}.key\" failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType", f.key));
        }
        if f.key.chars().count() > 132 {
            errors.push(format!("Value \"{}\" at \"{at}.key\" failed to satisfy constraint: Member must have length less than or equal to 132", f.key));
        }
        if f.option.chars().count() > 10 {
            errors.push(format!("Value \"over 10 chars\" at \"{at}.option\" failed to satisfy constraint: Member must have length less than or equal to 10"));
        }
        if f.values.len() > 50 {
            errors.push(format!("Value \"{:?}\" at \"{at}.values\" failed to satisfy constraint: Member must have length less than or equal to 50", f.values));
        }
        if f.values
            .iter()
            .any(|v| v.is_empty() || v.chars().count() > 1024)
        {
            errors.push(format!("Value \"{:?}\" at \"{at}.values\" failed to satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1]", f.values));
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    let plural = if errors.len() > 1 { "s" } else { "" };
    Err(ApiError::new(
        "ValidationException",
        format!(
            "{} validation error{plural} detected: {}",
            errors.len(),
            errors.join("; ")
        ),
    ))
}

fn invalid_key(key: &str, valid: &str) -> ApiError {
    ApiError::new(
        "InvalidFilterKey",
        format!(
            "The following filter key is not valid: {key}. Valid filter keys include: [{valid}]."
        ),
    )
}

fn invalid_option(message: String) -> ApiError {
    ApiError::new("InvalidFilterOption", message)
}

/// The meaning checks, in the order AWS makes them, filter by filter.
fn check_meaning(filters: &[Filter], usage: Usage) -> Result<(), ApiError> {
    let mut seen: Vec<&str> = Vec::new();
    for f in filters {
        let key = f.key.as_str();
        if usage == Usage::Describe && key == "Label" {
            return Err(invalid_key(key, "Path, Name, Type, KeyId, Tier"));
        }
        if usage == Usage::ByPath && matches!(key, "Name" | "Path" | "Tier") {
            return Err(invalid_key(key, "Type, KeyId"));
        }
        if matches!(key, "Name" | "Type" | "Path" | "Tier") && f.values.is_empty() {
            return Err(ApiError::new(
                "InvalidFilterValue",
                format!("The following filter values are missing : null for filter key {key}."),
            ));
        }
        if seen.contains(&key) {
            return Err(invalid_key_duplicate(key));
        }
        let option = f.option.as_str();
        if key == "Path" {
            if !matches!(option, "Recursive" | "OneLevel") {
                return Err(invalid_option(format!("The following filter option is not valid: {option}. Valid options include: [Recursive, OneLevel].")));
            }
            check_paths(&f.values)?;
        }
        let allowed: &[&str] = match key {
            "Tier" => &["Standard", "Advanced", "Intelligent-Tiering"],
            "Type" => &["String", "StringList", "SecureString"],
            _ => &[],
        };
        if let Some(bad) = f
            .values
            .iter()
            .find(|v| !allowed.is_empty() && !allowed.contains(&v.as_str()))
        {
            return Err(invalid_option(format!(
                "The following filter value is not valid: {bad}. Valid values include: [{}].",
                allowed.join(", ")
            )));
        }
        let options_ok = match key {
            "Path" => true,
            "Name" => matches!(option, "Equals" | "BeginsWith" | "Contains"),
            _ => matches!(option, "Equals" | "BeginsWith"),
        };
        if !options_ok {
            return Err(invalid_option(format!("The following filter option is not valid: {option}. Valid options include: [BeginsWith, Equals].")));
        }
        seen.push(key);
    }
    Ok(())
}

fn invalid_key_duplicate(key: &str) -> ApiError {
    ApiError::new(
        "InvalidFilterKey",
        format!("The following filter is duplicated in the request: {key}. A request can contain only one occurrence of a specific filter."),
    )
}

fn check_paths(values: &[String]) -> Result<(), ApiError> {
    let reserved = |v: &String| {
        let lower = v.to_ascii_lowercase();
        lower.starts_with("/aws") || lower.starts_with("/ssm")
    };
    if values.iter().any(reserved) {
        return Err(ApiError::new("ValidationException", RESERVED_PATH));
    }
    let path_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/');
    for v in values {
        if v.contains("//") || !v.starts_with('/') || !v.chars().all(path_char) {
            return Err(ApiError::new("ValidationException", INVALID_PATH));
        }
    }
    Ok(())
}

/// Reads and checks `ParameterFilters`.
pub fn read(items: Option<&Vec<Value>>, usage: Usage) -> Result<Vec<Filter>, ApiError> {
    let filters = items
        .map(|list| {
            list.iter()
                .enumerate()
                .map(|(i, item)| read_one(i + 1, item))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?
        .unwrap_or_default();
    check_shapes(&filters)?;
    check_meaning(&filters, usage)?;
    Ok(filters)
}

/// `/` followed by the name without its leading slashes, as filters compare names.
fn rooted(name: &str) -> String {
    format!("/{}", name.trim_start_matches('/'))
}

fn matches_one(f: &Filter, p: &Parameter, v: &Version) -> bool {
    let single: Option<String> = match f.key.as_str() {
        "KeyId" => v.key_id.clone(),
        "Name" | "Path" => Some(rooted(&v.name)),
        "Type" => Some(v.kind.as_str().to_string()),
        "Tier" => Some(v.tier.as_str().to_string()),
        "DataType" => Some(v.data_type.clone()),
        // No version carries labels here.
        "Label" => return false,
        _ => None,
    };
    let what: Vec<String> = match (&single, f.key.strip_prefix("tag:")) {
        (Some(s), _) => vec![s.clone()],
        (None, Some(tag)) => p.tags.get(tag).cloned().into_iter().collect(),
        (None, None) => Vec::new(),
    };
    if what.is_empty() {
        return false;
    }
    let values: Vec<String> = match f.key.as_str() {
        "Name" if f.option != "Contains" => f.values.iter().map(|x| rooted(x)).collect(),
        "Path" => f
            .values
            .iter()
            .map(|x| format!("/{}", x.trim_matches('/')))
            .collect(),
        _ => f.values.clone(),
    };
    let any = |test: &dyn Fn(&str, &str) -> bool| {
        values.iter().any(|val| what.iter().any(|w| test(w, val)))
    };
    match f.option.as_str() {
        "BeginsWith" => any(&|w, val| w.starts_with(val)),
        "Contains" => any(&|w, val| w.contains(val)),
        // A tag filter without values asks only that the tag exists.
        "Equals" => (single.is_none() && values.is_empty()) || any(&|w, val| w == val),
        "OneLevel" => any(&|w, val| {
            if val == "/" {
                w.split('/').count() == 2
            } else {
                w.starts_with(&format!("{val}/"))
                    && w.split('/').count() - 1 == val.split('/').count()
            }
        }),
        "Recursive" => any(&|w, val| val == "/" || w.starts_with(&format!("{val}/"))),
        _ => false,
    }
}

pub fn matches(filters: &[Filter], p: &Parameter, v: &Version) -> bool {
    filters.iter().all(|f| matches_one(f, p, v))
}

/// DescribeParameters' deprecated `Filters`: Name (begins with), Type, KeyId; all must match.
pub fn read_legacy(items: Option<&Vec<Value>>) -> Result<Vec<(String, Vec<String>)>, ApiError> {
    let Some(list) = items else {
        return Ok(Vec::new());
    };
    list.iter()
        .map(|item| {
            let key = item.get("Key").and_then(Value::as_str).unwrap_or("");
            if !matches!(key, "Name" | "Type" | "KeyId") {
                return Err(super::validate::enum_error(
                    "filters.member.key",
                    key,
                    "Name, Type, KeyId",
                ));
            }
            let values = item
                .get("Values")
                .and_then(Value::as_array)
                .map(|vs| {
                    vs.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            Ok((key.to_string(), values))
        })
        .collect()
}

pub fn matches_legacy(filters: &[(String, Vec<String>)], v: &Version) -> bool {
    filters.iter().all(|(key, values)| {
        values.iter().any(|val| match key.as_str() {
            "Name" => v.name.starts_with(val.as_str()),
            "Type" => v.kind.as_str() == val,
            _ => v.key_id.as_deref() == Some(val.as_str()),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::super::store::{Kind, Tier};
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn param(name: &str, kind: Kind) -> (Parameter, Version) {
        let v = Version {
            name: name.into(),
            kind,
            value: "v".into(),
            version: 1,
            modified_ms: 0,
            description: None,
            key_id: (kind == Kind::SecureString).then(|| "alias/aws/ssm".into()),
            allowed_pattern: None,
            tier: Tier::Standard,
            data_type: "text".into(),
        };
        let mut tags = BTreeMap::new();
        tags.insert("team".to_string(), "red".to_string());
        (
            Parameter {
                order: 0,
                versions: vec![v.clone()],
                tags,
            },
            v,
        )
    }

    fn filters(v: Value, usage: Usage) -> Result<Vec<Filter>, ApiError> {
        read(v.as_array(), usage)
    }

    fn hits(v: Value, name: &str, kind: Kind) -> bool {
        let f = filters(v, Usage::Describe).unwrap();
        let (p, ver) = param(name, kind);
        matches(&f, &p, &ver)
    }

    #[test]
    fn path_options() {
        let one = json!([{"Key": "Path", "Values": ["/d"]}]);
        assert!(hits(one.clone(), "/d/a", Kind::String));
        assert!(!hits(one, "/d/x/a", Kind::String));
        let rec = json!([{"Key": "Path", "Option": "Recursive", "Values": ["/d/"]}]);
        assert!(hits(rec.clone(), "/d/x/a", Kind::String));
        assert!(!hits(rec, "/dx/a", Kind::String));
        let root = json!([{"Key": "Path", "Values": ["/"]}]);
        assert!(hits(root.clone(), "colour", Kind::String));
        assert!(!hits(root, "/d/a", Kind::String));
    }

    #[test]
    fn name_type_tag_and_tier() {
        assert!(hits(
            json!([{"Key": "Name", "Option": "BeginsWith", "Values": ["d/p"]}]),
            "/d/plain",
            Kind::String
        ));
        assert!(hits(
            json!([{"Key": "Name", "Values": ["colour"]}]),
            "/colour",
            Kind::String
        ));
        assert!(hits(
            json!([{"Key": "Name", "Option": "Contains", "Values": ["lai"]}]),
            "/d/plain",
            Kind::String
        ));
        assert!(hits(
            json!([{"Key": "Type", "Values": ["SecureString"]}]),
            "/d/s",
            Kind::SecureString
        ));
        assert!(!hits(
            json!([{"Key": "Type", "Values": ["String"]}]),
            "/d/s",
            Kind::SecureString
        ));
        assert!(hits(json!([{"Key": "tag:team"}]), "/d/s", Kind::String));
        assert!(!hits(json!([{"Key": "tag:other"}]), "/d/s", Kind::String));
        assert!(hits(
            json!([{"Key": "Tier", "Values": ["Standard"]}]),
            "/d/s",
            Kind::String
        ));
        assert!(hits(
            json!([{"Key": "KeyId", "Values": ["alias/aws/ssm"]}]),
            "/d/s",
            Kind::SecureString
        ));
    }

    #[test]
    fn errors_in_aws_order() {
        let code = |v: Value, usage| filters(v, usage).unwrap_err().code;
        assert_eq!(
            code(json!([{"Key": "Label", "Values": ["a"]}]), Usage::Describe),
            "InvalidFilterKey"
        );
        assert_eq!(
            code(json!([{"Key": "Name", "Values": ["a"]}]), Usage::ByPath),
            "InvalidFilterKey"
        );
        assert_eq!(
            code(json!([{"Key": "Name"}]), Usage::Describe),
            "InvalidFilterValue"
        );
        assert_eq!(
            code(
                json!([{"Key": "Name", "Values": ["a"]}, {"Key": "Name", "Values": ["b"]}]),
                Usage::Describe
            ),
            "InvalidFilterKey"
        );
        assert_eq!(
            code(
                json!([{"Key": "Path", "Option": "Equals", "Values": ["/a"]}]),
                Usage::Describe
            ),
            "InvalidFilterOption"
        );
        assert_eq!(
            code(json!([{"Key": "Path", "Values": ["a"]}]), Usage::Describe),
            "ValidationException"
        );
        assert_eq!(
            code(
                json!([{"Key": "Path", "Values": ["/aws/x"]}]),
                Usage::Describe
            ),
            "ValidationException"
        );
        assert_eq!(
            code(json!([{"Key": "Type", "Values": ["Foo"]}]), Usage::Describe),
            "InvalidFilterOption"
        );
        assert_eq!(
            code(
                json!([{"Key": "Type", "Option": "Contains", "Values": ["String"]}]),
                Usage::Describe
            ),
            "InvalidFilterOption"
        );
        assert_eq!(
            code(json!([{"Key": "Bogus", "Values": ["a"]}]), Usage::Describe),
            "ValidationException"
        );
        assert_eq!(
            code(json!([{"Values": ["a"]}]), Usage::Describe),
            "ValidationException"
        );
        assert_eq!(
            code(json!([{"Key": 1}]), Usage::Describe),
            "SerializationException"
        );
        assert_eq!(
            code(json!(["x"]), Usage::Describe),
            "SerializationException"
        );
        let two = filters(
            json!([{"Key": "Bogus", "Option": "WayTooLongOption"}]),
            Usage::Describe,
        )
        .unwrap_err();
        assert!(two
            .message
            .unwrap()
            .starts_with("2 validation errors detected: "));
        assert!(filters(
            json!([{"Key": "Type", "Values": ["String"]}]),
            Usage::ByPath
        )
        .is_ok());
    }

    #[test]
    fn legacy_filters() {
        let f = read_legacy(
            json!([{"Key": "Name", "Values": ["/d"]}, {"Key": "Type", "Values": ["String"]}])
                .as_array(),
        )
        .unwrap();
        let (_, v) = param("/d/a", Kind::String);
        assert!(matches_legacy(&f, &v));
        let (_, s) = param("/d/a", Kind::SecureString);
        assert!(!matches_legacy(&f, &s));
        assert!(read_legacy(json!([{"Key": "Path", "Values": ["/d"]}]).as_array()).is_err());
    }
}
