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

/// Replaces the contents of every `<tag>` element with `f` of them.
fn map_elements(out: &mut String, tag: &str, f: impl Fn(&str) -> String) {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    // Slicing cannot fail: every offset is 0, the end of an ASCII tag match, or one past the
    // close tag after its replacement, so in bounds and on char boundaries.
    let mut from = 0;
    while let Some(i) = out[from..].find(&open).map(|i| i + from + open.len()) {
        let Some(j) = out[i..].find(&close).map(|j| j + i) else {
            break;
        };
        let shown = f(&out[i..j]);
        out.replace_range(i..j, &shown);
        from = i + shown.len() + close.len();
    }
}

/// S3's SignatureDoesNotMatch document spells out the canonical request and the string to sign
/// as hex bytes too: the session token is one of the canonical request's headers.
const HEX_ELEMENTS: &[&str] = &["CanonicalRequestBytes", "StringToSignBytes"];

/// Hex bytes (`47 45 54 0a …`) with the session token in them redacted; unchanged when they
/// hold none, and all replaced when they cannot be read.
fn hex_bytes(hex: &str) -> String {
    let bytes: Option<Vec<u8>> = hex
        .split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).ok())
        .collect();
    let Some(text) = bytes.and_then(|b| String::from_utf8(b).ok()) else {
        return REDACTED.into();
    };
    let shown = security_token(&text);
    if shown == text {
        return hex.to_string();
    }
    let hex: Vec<String> = shown.bytes().map(|b| format!("{b:02x}")).collect();
    hex.join(" ")
}

/// An XML body with the contents of secret elements replaced (STS answers), and the session
/// token taken out of the canonical request an error document echoes.
pub fn xml(text: &str) -> String {
    let mut out = text.to_string();
    for tag in SECRET_KEYS {
        map_elements(&mut out, tag, |_| REDACTED.into());
    }
    for tag in HEX_ELEMENTS {
        map_elements(&mut out, tag, hex_bytes);
    }
    security_token(&out)
}

/// Where a session token's value ends: base64 never holds these, and they end it in a
/// canonical request (newline), a quoted message, XML, JSON or a query string.
fn ends_token(c: char) -> bool {
    c.is_whitespace() || "'\"<&\\,;".contains(c)
}

/// Text with the value of every `x-amz-security-token` (a header `name:value` or a query
/// parameter `name=value`, any case) replaced: canonical requests spell it out, and services
/// echo theirs in SignatureDoesNotMatch messages.
pub fn security_token(text: &str) -> String {
    const NAME: &str = "x-amz-security-token";
    // ASCII lowercasing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    // Slicing cannot fail: every offset is the end of an ASCII match, one past an ASCII `:`/`=`,
    // past ASCII blanks, or a `find` result, so in bounds and on char boundaries, and
    // from <= i <= start <= end.
    let mut from = 0;
    while let Some(i) = lower[from..].find(NAME).map(|i| i + from + NAME.len()) {
        if !text[i..].starts_with([':', '=']) {
            out.push_str(&text[from..i]);
            from = i;
            continue;
        }
        let rest = &text[i + 1..];
        let start = i + 1 + rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let end = text[start..]
            .find(ends_token)
            .map_or(text.len(), |j| start + j);
        out.push_str(&text[from..start]);
        if end > start {
            out.push_str(REDACTED);
        }
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

/// Replaces every occurrence of `secrets` (the credentials in use) in `text`: a service, a
/// proxy or an error message may echo them anywhere. Values under 8 characters are left alone:
/// no real key is that short, and replacing one would garble ordinary words.
pub fn scrub_text(text: &mut String, secrets: &[String]) {
    for secret in secrets.iter().filter(|x| x.len() >= 8) {
        if text.contains(secret.as_str()) {
            *text = text.replace(secret.as_str(), REDACTED);
        }
    }
}

/// [`scrub_text`] on every string of `v`.
pub fn scrub(v: &mut Value, secrets: &[String]) {
    match v {
        Value::String(s) => scrub_text(s, secrets),
        Value::Array(items) => items.iter_mut().for_each(|i| scrub(i, secrets)),
        Value::Object(map) => map.values_mut().for_each(|i| scrub(i, secrets)),
        _ => {}
    }
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

/// Any body as the inspector shows it: JSON and XML and forms redacted, other text as it is
/// (but for a session token in it), binary data as a size.
pub fn body(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return String::new();
    }
    if let Some(j) = json(bytes) {
        return security_token(&j);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return format!("({} bytes of binary data)", bytes.len());
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        xml(text)
    } else if !text.contains(char::is_whitespace) && text.contains('=') {
        security_token(&form(text))
    } else {
        security_token(text)
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

    const TOKEN: &str = "FQoGZXIvYXdzEJr//////////wEaDM+tok=";

    fn hex(text: &str) -> String {
        let bytes: Vec<String> = text.bytes().map(|b| format!("{b:02x}")).collect();
        bytes.join(" ")
    }

    #[test]
    fn signature_errors_do_not_echo_the_session_token() {
        let canonical = format!("GET\n/dragons/data.json\n\nhost:s3.amazonaws.com\nx-amz-date:20260101T000000Z\nx-amz-security-token:{TOKEN}\n\nhost;x-amz-date;x-amz-security-token\nUNSIGNED-PAYLOAD");
        let to_sign =
            "AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/us-east-1/s3/aws4_request\n0a1b";
        let document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>ASIAEXAMPLE</AWSAccessKeyId><StringToSign>{to_sign}</StringToSign><SignatureProvided>abc</SignatureProvided><StringToSignBytes>{}</StringToSignBytes><CanonicalRequest>{canonical}</CanonicalRequest><CanonicalRequestBytes>{}</CanonicalRequestBytes><RequestId>R1</RequestId></Error>",
            hex(to_sign),
            hex(&canonical)
        );
        let shown = body(document.as_bytes());
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(!shown.contains(&hex(&TOKEN[..8])), "{shown}");
        let redacted = canonical.replace(TOKEN, REDACTED);
        assert!(shown.contains(&format!("<CanonicalRequest>{redacted}</CanonicalRequest>")));
        assert!(shown.contains(&format!("<CanonicalRequestBytes>{}<", hex(&redacted))));
        assert!(shown.contains(&format!("<StringToSignBytes>{}<", hex(to_sign))));
        assert!(shown.contains("<AWSAccessKeyId>ASIAEXAMPLE<") && shown.contains(to_sign));
        // Bytes that cannot be read go whole.
        let odd = "<Error><CanonicalRequestBytes>zz 41</CanonicalRequestBytes></Error>";
        assert_eq!(
            body(odd.as_bytes()),
            format!("<Error><CanonicalRequestBytes>{REDACTED}</CanonicalRequestBytes></Error>")
        );
    }

    #[test]
    fn json_and_query_services_quote_the_canonical_string_in_messages() {
        let message = format!("The Canonical String for this request should have been\n'POST\n/\n\nhost:ssm.us-east-1.amazonaws.com\nx-amz-security-token:{TOKEN}\n\nhost;x-amz-security-token\nabc'");
        let json_body =
            serde_json::json!({"__type": "InvalidSignatureException", "message": message});
        let shown = body(json_body.to_string().as_bytes());
        assert!(!shown.contains(TOKEN) && shown.contains("x-amz-security-token:** redacted **\\n"));
        let e = crate::error::parse_json_error("ssm", 400, json_body.to_string().as_bytes(), None);
        assert_eq!(e.message, message.replace(TOKEN, REDACTED));
        let xml_body = format!("<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>{message}</Message></Error></ErrorResponse>");
        let e = crate::error::parse_s3_error(403, xml_body.as_bytes(), None);
        assert!(!e.message.contains(TOKEN) && e.message.contains("host;x-amz-security-token"));
        assert!(!body(xml_body.as_bytes()).contains(TOKEN));
        assert!(!body(message.as_bytes()).contains(TOKEN));
    }

    #[test]
    fn security_token_values_go_in_any_spelling() {
        let query = format!(
            "X-Amz-Date=1&X-Amz-Security-Token={}&X-Amz-Signature=s",
            TOKEN.replace('/', "%2F")
        );
        assert_eq!(
            security_token(&query),
            format!("X-Amz-Date=1&X-Amz-Security-Token={REDACTED}&X-Amz-Signature=s")
        );
        assert_eq!(
            security_token("X-Amz-Security-Token: tok\r\nhost: h"),
            format!("X-Amz-Security-Token: {REDACTED}\r\nhost: h")
        );
        let unchanged = "SignedHeaders=host;x-amz-security-token, x-amz-security-token:";
        assert_eq!(security_token(unchanged), unchanged);
    }

    #[test]
    fn scrub_replaces_the_credentials_in_every_string() {
        let secrets = vec![
            "wJalrXUtnFEMI/K7MDENG".to_string(),
            TOKEN.to_string(),
            "abc".into(),
        ];
        let mut record = serde_json::json!({
            "responseBody": format!("<Echo>{TOKEN}</Echo>"),
            "responseHeaders": [["x-echo", "key wJalrXUtnFEMI/K7MDENG"]],
            "message": "abc stays: too short to be a key",
            "status": 403,
        });
        scrub(&mut record, &secrets);
        assert_eq!(
            record,
            serde_json::json!({
                "responseBody": format!("<Echo>{REDACTED}</Echo>"),
                "responseHeaders": [["x-echo", format!("key {REDACTED}")]],
                "message": "abc stays: too short to be a key",
                "status": 403,
            })
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
