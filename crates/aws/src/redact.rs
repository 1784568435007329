//! Secrets taken out of request and response bodies before the inspector shows them: passwords,
//! tokens, session keys. The data a learner asked for (a parameter's value) stays visible.

use serde_json::Value;

pub const REDACTED: &str = "** redacted **";

/// Keys whose values are secrets in Cognito, STS and SigV4-related bodies.
const SECRET_KEYS: &[&str] = &[
    "PASSWORD",
    "NEW_PASSWORD",
    "SecretKey",
    "SecretAccessKey",
    "SessionToken",
    "IdToken",
    "AccessToken",
    "RefreshToken",
    "Token",
    "Session",
    "WebIdentityToken",
];

fn redact_value(v: &mut Value, secret: bool) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                // Every value of Logins is an identity provider's token.
                let is_secret = secret || SECRET_KEYS.contains(&k.as_str()) || k == "Logins";
                redact_value(child, is_secret);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| redact_value(i, secret)),
        _ if secret => *v = Value::String(REDACTED.into()),
        _ => {}
    }
}

/// A JSON body with its secrets replaced, pretty-printed; `None` if it is not JSON.
pub fn json(body: &[u8]) -> Option<String> {
    let mut v: Value = serde_json::from_slice(body).ok()?;
    redact_value(&mut v, false);
    serde_json::to_string_pretty(&v).ok()
}

/// The same JSON value with its secrets replaced.
pub fn json_value(v: &Value) -> Value {
    let mut v = v.clone();
    redact_value(&mut v, false);
    v
}

/// An XML body with the contents of secret elements replaced (STS answers).
pub fn xml(text: &str) -> String {
    let mut out = text.to_string();
    for tag in SECRET_KEYS {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        let mut from = 0;
        while let Some(i) = out[from..].find(&open).map(|i| i + from + open.len()) {
            let Some(j) = out[i..].find(&close).map(|j| j + i) else {
                break;
            };
            out.replace_range(i..j, REDACTED);
            from = i + REDACTED.len() + close.len();
        }
    }
    out
}

/// A form body (`a=1&WebIdentityToken=…`) with secret fields replaced.
pub fn form(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET_KEYS.contains(&k) => format!("{k}={REDACTED}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Any body as the inspector shows it: JSON and XML and forms redacted, other text as it is,
/// binary data as a size.
pub fn body(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    if let Some(j) = json(bytes) {
        return j;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return format!("({} bytes of binary data)", bytes.len());
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        xml(text)
    } else if !text.contains(char::is_whitespace) && text.contains('=') {
        form(text)
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_tokens_and_keys_are_replaced() {
        let sign_in = br#"{"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"learner","PASSWORD":"Dragon-rider-1!"}}"#;
        let shown = body(sign_in);
        assert!(shown.contains("learner") && !shown.contains("Dragon-rider"));
        let creds = br#"{"Credentials":{"AccessKeyId":"ASIA1","SecretKey":"sk","SessionToken":"tok","Expiration":1}}"#;
        let shown = body(creds);
        assert!(shown.contains("ASIA1") && !shown.contains("\"sk\"") && !shown.contains("tok"));
        let logins = br#"{"IdentityPoolId":"p","Logins":{"cognito-idp.x/y":"eyJhbGc"}}"#;
        assert!(!body(logins).contains("eyJ"));
        let sts = "<Credentials><AccessKeyId>ASIA2</AccessKeyId><SecretAccessKey>s/k</SecretAccessKey><SessionToken>t</SessionToken></Credentials>";
        let shown = body(sts.as_bytes());
        assert!(shown.contains("ASIA2") && !shown.contains("s/k") && !shown.contains(">t<"));
        let form_body =
            b"Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJ0&Version=2011-06-15";
        assert_eq!(
            body(form_body),
            format!(
                "Action=AssumeRoleWithWebIdentity&WebIdentityToken={REDACTED}&Version=2011-06-15"
            )
        );
    }

    #[test]
    fn data_stays_and_binary_is_a_size() {
        let param = br#"{"Parameter":{"Name":"/dragons/secret","Value":"dawn and dusk"}}"#;
        assert!(body(param).contains("dawn and dusk"));
        assert_eq!(body(&[0xff, 0x00, 0x10]), "(3 bytes of binary data)");
        assert_eq!(body(b"plain words"), "plain words");
    }
}
