use super::*;
use crate::input::json_compact::vouches_for;
use proptest::prelude::*;

/// What the line-by-line path finds: the number of objects if every line is blank or
/// vouched for.
fn line_by_line(text: &[u8]) -> Option<u64> {
    let mut records = 0;
    for line in text.split(|&c| c == b'\n') {
        let line = line.trim_ascii();
        if !line.is_empty() {
            if !vouches_for(line) {
                return None;
            }
            records += 1;
        }
    }
    Some(records)
}

/// `count`, after checking that every version this CPU runs gives the same answer: the
/// portable one, SSE2 (or SIMD128), and AVX2 and the AVX-512 lanes where the CPU has them.
fn counted(text: &[u8]) -> Option<u64> {
    let expected = count_with(text, super::super::json_classes::classify_bytes);
    assert_eq!(count_with(text, classify), expected);
    #[cfg(target_arch = "x86_64")]
    {
        if has_bit_instructions() && is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 and the bit instructions.
            assert_eq!(unsafe { count_avx2(text) }, expected);
        }
        if has_bit_instructions() && lanes::supported() {
            // SAFETY: the CPU has what the lanes need and the bit instructions.
            assert_eq!(unsafe { count_lanes(text) }, expected);
        }
    }
    assert_eq!(count(text), expected);
    expected
}

fn lines(text: &str) -> Option<u64> {
    counted(text.as_bytes())
}

#[test]
fn flat_objects_are_counted() {
    assert_eq!(lines(""), Some(0));
    assert_eq!(lines("{}\n"), Some(1));
    assert_eq!(
        lines("{\"a\":1}\n\n  \t\r\n{ \"b\" : \"x\" , \"c\":true}\r\n"),
        Some(2)
    );
    let dragon = "{\"name\":\"Jorgla0\",\"family\":\"red\",\"description\":\"A red dragon seen near anchorage (number 268)\",\"city\":\"anchorage\",\"country\":\"usa\",\"wingspan\":35,\"age\":367}\n";
    assert_eq!(lines(&dragon.repeat(7)), Some(7));
    assert_eq!(lines("{\"k\":\"ü {}[],:\"}\n"), Some(1));
    assert_eq!(
        lines("{\"a\":null,\"b\":false,\"c\":-12,\"d\":0}\n"),
        Some(1)
    );
}

#[test]
fn what_is_not_a_vouched_flat_object_is_left() {
    for text in [
        "{\"a\":1}",     // no newline at the end
        "{\"a\":1}{}\n", // two values
        "{\"a\":1,}\n",
        "{,\"a\":1}\n",
        "{\"a\"}\n",
        "{\"a\":}\n",
        "{\"a\":1 2}\n",
        "{\"a\":\"b\":1}\n",
        "{\"a\" \"b\":1}\n",
        "{\"a\":1}}\n",
        "}\n",
        "{\"a\":1\n",
        "{\"a\":\"x\n\"}\n",
        "{\"a\":\"x\ty\"}\n",
        "{\"a\":\"\\n\"}\n", // an escape
        "{\"a\":[1]}\n",     // nesting
        "{\"a\":{}}\n",
        "[1]\n",
        "1\n",
        "{\"a\":1.5}\n",
        "{\"a\":01}\n",
        "{\"a\":-0}\n",
        "{\"a\":-}\n",
        "{\"a\":1234567890123456789}\n",
        "{\"a\":tru}\n",
        "{\"a\":truex}\n",
        "{\"a\":nul}\n",
        "{\"a\":1x}\n",
        "{\"a\":1}\x0c\n",
        "{\"a\":\"\u{1}\"}\n",
        "{\"a\":1,\"b\":\u{e9}}\n",
    ] {
        assert_eq!(lines(text), None, "{text:?}");
    }
    assert_eq!(counted(b"{\"a\":\"\xff\"}\n"), None);
}

/// Tokens, whole or broken, and the bytes between them.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("{".to_string()),
        4 => Just("}".to_string()),
        4 => Just(":".to_string()),
        4 => Just(",".to_string()),
        2 => Just(" ".to_string()),
        1 => proptest::sample::select(vec!["\t", "\r", "\n", "[", "]", "\\", "\u{c}", "\u{1}", "\"", "é", "\u{2028}"]).prop_map(str::to_string),
        4 => "\"[a-z {}:,\\[\\]é\\\\]{0,70}\"",
        3 => "-?[0-9]{1,20}",
        1 => "[0-9.eE+-]{1,4}",
        2 => proptest::sample::select(vec!["true", "false", "null", "tru", "nulls", "-0", "0", "00"]).prop_map(str::to_string),
    ]
}

/// A flat object as a program writes it, with blanks here and there.
fn flat_object() -> impl Strategy<Value = String> {
    let blank = "[ \t\r]{0,2}";
    let value = prop_oneof![
        "\"[a-zA-Z0-9 {}:,\\[\\]é]{0,90}\"",
        "-?[1-9][0-9]{0,17}",
        Just("0".to_string()),
        proptest::sample::select(vec!["true", "false", "null"]).prop_map(str::to_string),
    ];
    let member = ("\"[a-z_]{0,12}\"", blank, blank, value, blank)
        .prop_map(|(k, b1, b2, v, b3)| format!("{k}{b1}:{b2}{v}{b3}"));
    (blank, proptest::collection::vec(member, 0..9), blank)
        .prop_map(|(b1, members, b2)| format!("{b1}{{{}}}{b2}", members.join(",")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// Whatever the bulk check counts, the line-by-line path counts the same.
    #[test]
    fn vouches_only_for_what_the_checker_vouches_for(
        lines in proptest::collection::vec(
            prop_oneof![
                3 => flat_object(),
                2 => proptest::collection::vec(piece(), 0..24).prop_map(|p| p.concat()),
                1 => (flat_object(), any::<prop::sample::Index>(), piece()).prop_map(|(o, at, p)| {
                    let mut o = o.into_bytes();
                    let at = at.index(o.len() + 1);
                    o.splice(at..at.min(o.len()) + usize::from(at < o.len()), p.into_bytes());
                    String::from_utf8_lossy(&o).into_owned()
                }),
            ],
            0..12,
        ),
    ) {
        let mut text = lines.join("\n").into_bytes();
        text.push(b'\n');
        if let Some(n) = counted(&text) {
            prop_assert_eq!(Some(n), line_by_line(&text), "{}", String::from_utf8_lossy(&text));
        }
    }

    /// Flat objects as programs write them are all counted here.
    #[test]
    fn counts_every_flat_object(lines in proptest::collection::vec(flat_object(), 0..40)) {
        let mut text = lines.join("\n").into_bytes();
        text.push(b'\n');
        prop_assert_eq!(line_by_line(&text), Some(lines.len() as u64));
        prop_assert_eq!(counted(&text), Some(lines.len() as u64), "{}", String::from_utf8_lossy(&text));
    }
}
