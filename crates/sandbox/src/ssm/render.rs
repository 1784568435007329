//! A parameter version as each operation answers it: `Parameter` (GetParameter(s), by path),
//! `ParameterMetadata` (DescribeParameters) and `ParameterHistory`.

use super::store::{Kind, Version};
use super::validate::arn;
use crate::auth::PRACTICE_USER_ARN;
use crate::reply::splitmix64;
use serde_json::{json, Map, Value};

/// Epoch seconds with milliseconds, as AWS's JSON timestamps are.
fn seconds(ms: i64) -> Value {
    json!(ms as f64 / 1000.0)
}

/// The value as read: a SecureString's is a ciphertext unless decryption was asked for.
fn value(v: &Version, decrypt: bool) -> String {
    if v.kind == Kind::SecureString && !decrypt {
        ciphertext(v)
    } else {
        v.value.clone()
    }
}

/// What AWS shows for an undecrypted SecureString: an opaque base64 KMS blob (here `AQICAH…`,
/// as KMS ciphertexts begin, then bytes derived from the version). It reveals nothing of the
/// value but its rough length, and stays the same for the same version.
pub fn ciphertext(v: &Version) -> String {
    let mut seed = 0xcbf2_9ce4_8422_2325u64; // FNV-1a over what identifies the version
    for b in v
        .name
        .bytes()
        .chain(v.version.to_le_bytes())
        .chain(v.modified_ms.to_le_bytes())
        .chain(v.value.bytes())
    {
        seed = (seed ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    let mut bytes = vec![0x01, 0x02, 0x02, 0x00, 0x78];
    let length = 160 + v.value.len();
    while bytes.len() < length {
        seed = splitmix64(seed);
        bytes.extend_from_slice(&seed.to_le_bytes());
    }
    bytes.truncate(length);
    base64(&bytes)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn put_opt(map: &mut Map<String, Value>, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        map.insert(key.into(), json!(v));
    }
}

/// `Parameter`; `selector` is the `:version` the caller asked for, if any.
pub fn parameter(v: &Version, decrypt: bool, region: &str, selector: Option<&str>) -> Value {
    let mut map = Map::new();
    map.insert("Name".into(), json!(v.name));
    map.insert("Type".into(), json!(v.kind.as_str()));
    map.insert("Value".into(), json!(value(v, decrypt)));
    map.insert("Version".into(), json!(v.version));
    if let Some(s) = selector {
        map.insert("Selector".into(), json!(s));
    }
    map.insert("LastModifiedDate".into(), seconds(v.modified_ms));
    map.insert("ARN".into(), json!(arn(region, &v.name)));
    map.insert("DataType".into(), json!(v.data_type));
    Value::Object(map)
}

/// `ParameterMetadata`: no value.
pub fn metadata(v: &Version, region: &str) -> Value {
    let mut map = Map::new();
    map.insert("Name".into(), json!(v.name));
    map.insert("ARN".into(), json!(arn(region, &v.name)));
    map.insert("Type".into(), json!(v.kind.as_str()));
    put_opt(&mut map, "KeyId", &v.key_id);
    map.insert("LastModifiedDate".into(), seconds(v.modified_ms));
    map.insert("LastModifiedUser".into(), json!(PRACTICE_USER_ARN));
    put_opt(&mut map, "Description", &v.description);
    put_opt(&mut map, "AllowedPattern", &v.allowed_pattern);
    map.insert("Version".into(), json!(v.version));
    map.insert("Tier".into(), json!(v.tier.as_str()));
    map.insert("DataType".into(), json!(v.data_type));
    Value::Object(map)
}

/// `ParameterHistory`: one version with its value.
pub fn history(v: &Version, decrypt: bool) -> Value {
    let mut map = Map::new();
    map.insert("Name".into(), json!(v.name));
    map.insert("Type".into(), json!(v.kind.as_str()));
    put_opt(&mut map, "KeyId", &v.key_id);
    map.insert("LastModifiedDate".into(), seconds(v.modified_ms));
    map.insert("LastModifiedUser".into(), json!(PRACTICE_USER_ARN));
    put_opt(&mut map, "Description", &v.description);
    map.insert("Value".into(), json!(value(v, decrypt)));
    put_opt(&mut map, "AllowedPattern", &v.allowed_pattern);
    map.insert("Version".into(), json!(v.version));
    map.insert("Labels".into(), json!([]));
    map.insert("Tier".into(), json!(v.tier.as_str()));
    map.insert("DataType".into(), json!(v.data_type));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::super::store::Tier;
    use super::*;

    fn secure(value: &str) -> Version {
        Version {
            name: "/d/secret".into(),
            kind: Kind::SecureString,
            value: value.into(),
            version: 1,
            modified_ms: 1_796_061_862_288,
            description: Some("feeding".into()),
            key_id: Some("alias/aws/ssm".into()),
            allowed_pattern: None,
            tier: Tier::Standard,
            data_type: "text".into(),
        }
    }

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn secure_strings_are_hidden_unless_decrypted() {
        let v = secure("dawn and dusk");
        let hidden = parameter(&v, false, "us-east-1", None);
        let shown = hidden["Value"].as_str().unwrap();
        assert!(shown.starts_with("AQICAH") && !shown.contains("dawn"));
        assert_eq!(ciphertext(&v), ciphertext(&v.clone()));
        assert_ne!(ciphertext(&v), ciphertext(&secure("dusk and dawn")));
        assert_eq!(
            parameter(&v, true, "us-east-1", None)["Value"],
            "dawn and dusk"
        );
        assert_eq!(history(&v, true)["Value"], "dawn and dusk");
        assert_ne!(history(&v, false)["Value"], "dawn and dusk");
    }

    #[test]
    fn shapes() {
        let v = secure("x");
        let p = parameter(&v, true, "us-east-1", Some(":1"));
        assert_eq!(
            p["ARN"],
            "arn:aws:ssm:us-east-1:123456789012:parameter/d/secret"
        );
        assert_eq!(p["Selector"], ":1");
        assert_eq!(p["LastModifiedDate"], 1_796_061_862.288);
        assert!(p.get("Tier").is_none() && p.get("Description").is_none());
        let m = metadata(&v, "us-east-1");
        assert!(m.get("Value").is_none());
        assert_eq!(
            (m["KeyId"].as_str(), m["Description"].as_str()),
            (Some("alias/aws/ssm"), Some("feeding"))
        );
        let h = history(&v, false);
        assert_eq!(h["Labels"], json!([]));
        assert!(h.get("ARN").is_none());
    }
}
