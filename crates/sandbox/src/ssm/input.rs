//! Reading a JSON 1.1 request body by member name, with the errors AWS gives: a missing required
//! member is a `ValidationException`, a member of the wrong JSON type a `SerializationException`.
//! `null` counts as absent.

use crate::reply::ApiError;
use serde_json::{Map, Value};

pub struct Input(Map<String, Value>);

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn wrong_type(member: &str, wanted: &str, found: &Value) -> ApiError {
    ApiError::new(
        "SerializationException",
        format!("{member} must be {wanted}, not {}.", kind(found)),
    )
}

/// `MaxResults` → `maxResults`, as AWS names members in validation messages.
pub fn field_path(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

pub fn not_null(member: &str) -> ApiError {
    ApiError::new(
        "ValidationException",
        format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            field_path(member)
        ),
    )
}

impl Input {
    /// An empty body reads as `{}` (operations without required members accept it).
    pub fn parse(body: &[u8]) -> Result<Input, ApiError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Input(Map::new()));
        }
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(Input(map)),
            Ok(other) => Err(ApiError::new(
                "SerializationException",
                format!(
                    "The request body must be a JSON object, not {}.",
                    kind(&other)
                ),
            )),
            Err(e) => Err(ApiError::new(
                "SerializationException",
                format!("The request body is not valid JSON: {e}."),
            )),
        }
    }

    fn get(&self, member: &str) -> Option<&Value> {
        self.0.get(member).filter(|v| !v.is_null())
    }

    pub fn has(&self, member: &str) -> bool {
        self.get(member).is_some()
    }

    pub fn str(&self, member: &str) -> Result<Option<&str>, ApiError> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong_type(member, "a string", other)),
        }
    }

    pub fn required_str(&self, member: &str) -> Result<&str, ApiError> {
        self.str(member)?.ok_or_else(|| not_null(member))
    }

    pub fn bool(&self, member: &str) -> Result<bool, ApiError> {
        match self.get(member) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(other) => Err(wrong_type(member, "a boolean", other)),
        }
    }

    pub fn int(&self, member: &str) -> Result<Option<i64>, ApiError> {
        match self.get(member) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| wrong_type(member, "a whole number", v)),
        }
    }

    pub fn list(&self, member: &str) -> Result<Option<&Vec<Value>>, ApiError> {
        match self.get(member) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(wrong_type(member, "a list", other)),
        }
    }

    pub fn str_list(&self, member: &str) -> Result<Option<Vec<&str>>, ApiError> {
        let Some(items) = self.list(member)? else {
            return Ok(None);
        };
        items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| wrong_type(member, "a list of strings", v))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_by_type() {
        let i = Input::parse(
            br#"{"Name":"a","Overwrite":true,"MaxResults":3,"Names":["x"],"Type":null}"#,
        )
        .unwrap();
        assert_eq!(i.required_str("Name").unwrap(), "a");
        assert!(i.bool("Overwrite").unwrap() && !i.bool("Missing").unwrap());
        assert_eq!(i.int("MaxResults").unwrap(), Some(3));
        assert_eq!(i.str_list("Names").unwrap(), Some(vec!["x"]));
        assert_eq!(i.str("Type").unwrap(), None);
        let e = i.required_str("Value").unwrap_err();
        assert_eq!(e.code, "ValidationException");
        assert!(e.message.unwrap().contains("Value null at 'value'"));
    }

    #[test]
    fn wrong_types_and_bodies() {
        let i =
            Input::parse(br#"{"Name":5,"Overwrite":"yes","MaxResults":1.5,"Names":[1]}"#).unwrap();
        for e in [
            i.str("Name").unwrap_err(),
            i.bool("Overwrite").unwrap_err(),
            i.int("MaxResults").unwrap_err(),
            i.str_list("Names").unwrap_err(),
        ] {
            assert_eq!(e.code, "SerializationException");
        }
        assert!(Input::parse(b"").is_ok() && Input::parse(b" \n").is_ok());
        for body in [&b"[1]"[..], b"{", b"\xff", b"null"] {
            assert_eq!(
                Input::parse(body).err().unwrap().code,
                "SerializationException"
            );
        }
        assert_eq!(field_path("MaxResults"), "maxResults");
    }
}
