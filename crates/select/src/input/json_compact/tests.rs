use super::{vouches_for, write_object};
use crate::input::json::parse_value;
use crate::output::json::write_value;
use proptest::prelude::*;

/// What the general path writes for `text`, or `None` where serde_json refuses it.
fn general(text: &[u8]) -> Option<String> {
    let v = parse_value(text).ok()?;
    let mut s = String::new();
    write_value(&v, &mut s);
    Some(s)
}

fn compact(text: &str) -> Option<String> {
    let mut out = b"prefix".to_vec();
    let ok = write_object(text.as_bytes(), &mut out);
    if !ok {
        assert_eq!(out, b"prefix", "a refusal leaves the output as it was");
        return None;
    }
    Some(String::from_utf8(out[6..].to_vec()).unwrap())
}

/// The fast path agrees with the general one wherever it answers.
fn agrees(text: &[u8]) {
    let expected = general(text);
    if vouches_for(text) {
        assert!(
            expected.is_some(),
            "vouched for {:?}",
            String::from_utf8_lossy(text)
        );
    }
    let mut out = Vec::new();
    if write_object(text, &mut out) {
        assert_eq!(
            Some(String::from_utf8(out).unwrap()),
            expected,
            "{:?}",
            String::from_utf8_lossy(text)
        );
    }
}

#[test]
fn writes_plain_records_compactly() {
    let rec = r#" { "name" : "Ærwyn", "tags":[ "a" ,[] , {} ,{"x":[1, -2, 0]}], "n":123456789012345678, "t":true,"f":false,"z":null,"name":"again" } "#;
    assert_eq!(
        compact(rec).as_deref(),
        Some(
            r#"{"name":"Ærwyn","tags":["a",[],{},{"x":[1,-2,0]}],"n":123456789012345678,"t":true,"f":false,"z":null,"name":"again"}"#
        )
    );
    assert_eq!(compact(rec), general(rec.as_bytes()));
    assert_eq!(compact("{}").as_deref(), Some("{}"));
    assert!(vouches_for(b" [1,\"x\",{\"a\":null}] "));
    assert!(vouches_for(b"7") && vouches_for(b"\"s\"") && vouches_for(b"null"));
}

#[test]
fn declines_what_it_cannot_reproduce() {
    for text in [
        r#"{"a":"x\"y"}"#,              // an escape
        r#"{"a\u0041":1}"#,             // an escaped key
        r#"{"a":1.5}"#,                 // a fraction
        r#"{"a":1e3}"#,                 // an exponent
        r#"{"a":-0}"#,                  // -0 is the float -0.0
        r#"{"a":1234567890123456789}"#, // 19 digits
        "[1]",                          // not an object (for write_object)
        "{\"a\":\"tab\there\"}",        // a control character
    ] {
        assert_eq!(compact(text), None, "{text}");
    }
    assert!(!vouches_for(&[b'"', 0xff, b'"']));
    // 64 containers holding something, then an empty one.
    let deep = format!("{}{}", "[".repeat(66), "]".repeat(66));
    assert!(!vouches_for(deep.as_bytes()));
    let deep_enough = format!("{}{}", "[".repeat(65), "]".repeat(65));
    assert!(vouches_for(deep_enough.as_bytes()));
}

#[test]
fn refuses_what_serde_json_refuses() {
    for text in [
        "",
        " ",
        "{",
        "}",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "[1,]",
        "[1 2]",
        "{\"a\":1 \"b\":2}",
        "01",
        "-",
        "--1",
        "1-",
        "tru",
        "nul",
        "truex",
        "\"open",
        "{\"a\":1}}",
        "{\"a\":1} x",
        "[}",
        "{]",
        "{1:2}",
        "[\"a\":1]",
    ] {
        assert!(!vouches_for(text.as_bytes()), "{text:?}");
        agrees(text.as_bytes());
    }
}

#[test]
fn strings_at_every_offset_of_the_word_scan() {
    for pad in ["", "é", "😀"] {
        for len in 0..20 {
            for special in ["", "\"", "\\\\", "\\n", "\u{1}", "é", "\u{7f}"] {
                for at in 0..=len {
                    let inner = format!("{pad}{}{special}{}", "x".repeat(at), "y".repeat(len - at));
                    for text in [
                        format!("{{\"k\":\"{inner}\"}}"),
                        format!("{{\"{inner}\":1}}"),
                    ] {
                        agrees(text.as_bytes());
                    }
                }
            }
        }
    }
    // Invalid UTF-8 inside a string and just after it.
    agrees(b"{\"k\":\"abcdefg\xc3\"}");
    agrees(b"{\"k\":\"abcdefgh\"}\xc3");
}

/// Text built from JSON's pieces, so most of it is nearly valid.
fn jsonish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(&b"{"[..]),
        Just(&b"}"[..]),
        Just(&b"["[..]),
        Just(&b"]"[..]),
        Just(&b","[..]),
        Just(&b":"[..]),
        Just(&b" "[..]),
        Just(&b"\"key\""[..]),
        Just(&b"\"a longer string value\""[..]),
        Just(&b"\"\xc3\xa9t\xc3\xa9\""[..]),
        Just(&b"\"\\u00e9\""[..]),
        Just(&b"\""[..]),
        Just(&b"\\"[..]),
        Just(&b"0"[..]),
        Just(&b"-"[..]),
        Just(&b"42"[..]),
        Just(&b"1.5"[..]),
        Just(&b"e"[..]),
        Just(&b"true"[..]),
        Just(&b"null"[..]),
        Just(&b"\x01"[..]),
        Just(&b"\xff"[..]),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|ps| ps.concat())
}

/// Valid records with one byte changed, dropped or doubled.
fn edited_record() -> impl Strategy<Value = Vec<u8>> {
    let rec = br#"{"name":"Ashla12","family":"red","description":"A red dragon seen near kyoto (number 7)","n":[1,{"x":null}],"wingspan":-120,"age":0}"#;
    (0..rec.len(), any::<u8>(), 0u8..3).prop_map(move |(at, byte, how)| {
        let mut v = rec.to_vec();
        match how {
            0 => v[at] = byte,
            1 => {
                v.remove(at);
            }
            _ => v.insert(at, v[at]),
        }
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn agrees_with_serde_json_on_jsonish_text(text in jsonish()) {
        agrees(&text);
    }

    #[test]
    fn agrees_with_serde_json_on_edited_records(text in edited_record()) {
        agrees(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// Scalars read as serde_json reads them, or not at all.
    #[test]
    fn scalars_agree_with_serde_json(text in jsonish()) {
        if let Some(v) = super::scalar(&text) {
            let mut de = serde_json::Deserializer::from_slice(&text);
            let parsed = <crate::value::Value as serde::Deserialize>::deserialize(&mut de);
            prop_assert_eq!(Some(v), parsed.ok().filter(|_| de.end().is_ok()));
        }
    }
}

#[test]
fn scalars_read_in_place() {
    use crate::value::Value;
    assert_eq!(
        super::scalar(b"\"dragon\""),
        Some(Value::String("dragon".into()))
    );
    assert_eq!(super::scalar(b"-120"), Some(Value::Int(-120)));
    assert_eq!(super::scalar(b"true"), Some(Value::Bool(true)));
    assert_eq!(super::scalar(b"null"), Some(Value::Null));
    for text in [
        &b"\"a\" "[..],
        b"truex",
        b"nul",
        b"1.5",
        b"\"a\\n\"",
        b"[1]",
        b"",
        b"-0",
    ] {
        assert_eq!(
            super::scalar(text),
            None,
            "{}",
            String::from_utf8_lossy(text)
        );
    }
}

/// Records that span several 64-byte blocks (the quote scan's unit): members with strings of
/// any length (ASCII, non-ASCII, with escapes or control characters now and then), numbers,
/// literals and nested containers, with whitespace between tokens, newlines and tabs included.
fn long_record() -> impl Strategy<Value = Vec<u8>> {
    let ws = proptest::sample::select(vec!["", "", "", " ", "\n", "\t", "\r\n  "]);
    let text = proptest::collection::vec(
        proptest::sample::select(vec![
            "a", "a", "a", "é", "😀", " ", "\\\"", "\\n", "\t", "\n", "\u{1}", "#", "\"",
        ]),
        0..90,
    )
    .prop_map(|v| v.concat());
    let scalar = prop_oneof![
        text.clone().prop_map(|t| format!("\"{t}\"")),
        any::<i64>().prop_map(|i| i.to_string()),
        Just("1.5".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
    ];
    let value = scalar.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(","))),
            proptest::collection::vec(inner, 0..4).prop_map(|v| {
                let members: Vec<String> = v.iter().map(|x| format!("\"k\":{x}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    });
    let member = (text, value, ws.clone(), ws.clone(), ws.clone());
    (proptest::collection::vec(member, 0..8), ws).prop_map(|(members, end)| {
        let body: Vec<String> = members
            .into_iter()
            .map(|(k, v, a, b, c)| format!("{a}\"{k}\"{b}:{c}{v}"))
            .collect();
        format!("{{{}{end}}}", body.join(",")).into_bytes()
    })
}

/// A long record with one byte changed, dropped or doubled.
fn edited_long_record() -> impl Strategy<Value = Vec<u8>> {
    (
        long_record(),
        any::<prop::sample::Index>(),
        any::<u8>(),
        0u8..4,
    )
        .prop_map(|(mut v, at, byte, how)| {
            if v.is_empty() {
                return v;
            }
            let at = at.index(v.len());
            match how {
                0 => v[at] = byte,
                1 => {
                    v.remove(at);
                }
                2 => v.insert(at, v[at]),
                _ => {}
            }
            v
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// The quote scan's fast path agrees with serde_json on long, nested and edited records,
    /// and vouches for the plain ones.
    #[test]
    fn agrees_with_serde_json_on_long_records(text in edited_long_record()) {
        agrees(&text);
    }
}

#[test]
fn vouches_for_plain_records_of_any_length() {
    for len in 0..200 {
        for ws in ["", " ", "\n\t"] {
            let rec = format!(
                "{{\"a\":{ws}\"{}\",{ws}\"b\":[{ws}1,\"é\"],\"c\":\"{}\"}}",
                "x".repeat(len),
                "y".repeat(len % 70)
            );
            assert!(vouches_for(rec.as_bytes()), "{rec:?}");
            agrees(rec.as_bytes());
            // A control character inside a string is declined, wherever it falls.
            let content = rec.find('x').unwrap_or(0);
            for at in (content..content + len).step_by(7) {
                let mut bad = rec.clone().into_bytes();
                bad[at] = b'\n';
                assert!(!vouches_for(&bad), "{:?}", String::from_utf8_lossy(&bad));
            }
        }
    }
}
