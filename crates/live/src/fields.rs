//! Reading the page's JSON requests.

use serde_json::Value;

/// A string field, or "" when it is missing or not a string.
pub fn text(msg: &Value, key: &str) -> String {
    msg.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A string field without surrounding whitespace (names, ids, form values).
pub fn trimmed(msg: &Value, key: &str) -> String {
    text(msg, key).trim().to_string()
}
