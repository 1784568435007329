//! The event stream frame reader (eventstream/frame.rs) against `aws-smithy-eventstream`'s
//! `read_message_from`, which it replaces in live mode: on valid frames and on frames with bytes
//! changed, cut or added, both must accept with the same string headers and payload, or refuse
//! with the same message.

use aws_smithy_eventstream::frame::{read_message_from, write_message_to};
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use proptest::prelude::*;
use wyvern_aws::eventstream::frame;

/// What a reader made of a frame: the headers' names with their string values, the payload; or
/// the error's message.
type Outcome = Result<(Vec<(String, Option<String>)>, Vec<u8>), String>;

fn reference(bytes: &[u8]) -> Outcome {
    let m = read_message_from(bytes).map_err(|e| e.to_string())?;
    let headers = m
        .headers()
        .iter()
        .map(|h| {
            let value = match h.value() {
                HeaderValue::String(s) => Some(s.as_str().to_string()),
                _ => None,
            };
            (h.name().as_str().to_string(), value)
        })
        .collect();
    Ok((headers, m.payload().to_vec()))
}

fn ours(bytes: &[u8]) -> Outcome {
    let f = frame::read(bytes).map_err(|e| e.to_string())?;
    let headers = f
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.map(str::to_string)))
        .collect();
    Ok((headers, f.payload.to_vec()))
}

fn value() -> impl Strategy<Value = HeaderValue> {
    prop_oneof![
        any::<bool>().prop_map(HeaderValue::Bool),
        any::<i8>().prop_map(HeaderValue::Byte),
        any::<i16>().prop_map(HeaderValue::Int16),
        any::<i32>().prop_map(HeaderValue::Int32),
        any::<i64>().prop_map(HeaderValue::Int64),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(|b| HeaderValue::ByteArray(b.into())),
        "[a-z:é-]{0,8}".prop_map(|s| HeaderValue::String(s.into())),
        any::<u128>().prop_map(HeaderValue::Uuid),
    ]
}

fn encoded() -> impl Strategy<Value = Vec<u8>> {
    let header = (
        prop_oneof![
            Just(":message-type".to_string()),
            Just(":event-type".to_string()),
            "[a-z:]{0,6}"
        ],
        value(),
    );
    (
        proptest::collection::vec(header, 0..5),
        proptest::collection::vec(any::<u8>(), 0..24),
    )
        .prop_map(|(headers, payload)| {
            let headers = headers
                .into_iter()
                .map(|(n, v)| Header::new(n, v))
                .collect();
            let mut out = Vec::new();
            write_message_to(&Message::new_from_parts(headers, payload), &mut out)
                .expect("small frames encode");
            out
        })
}

/// Rewrites the prelude's checksum, so a changed length reaches the checks after it.
fn fix_prelude(bytes: &mut [u8]) {
    if bytes.len() >= 12 {
        let crc = wyvern_aws::crc32::hash(&bytes[..8]);
        bytes[8..12].copy_from_slice(&crc.to_be_bytes());
    }
}

/// Rewrites the message checksum too, so changed headers reach the header checks.
fn fix_both(bytes: &mut [u8]) {
    fix_prelude(bytes);
    if bytes.len() >= 16 {
        let end = bytes.len() - 4;
        let crc = wyvern_aws::crc32::hash(&bytes[..end]);
        bytes[end..].copy_from_slice(&crc.to_be_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn valid_frames_read_alike(bytes in encoded()) {
        prop_assert!(reference(&bytes).is_ok());
        prop_assert_eq!(ours(&bytes), reference(&bytes));
    }

    #[test]
    fn changed_frames_read_alike(
        bytes in encoded(),
        at in any::<prop::sample::Index>(),
        x in 1u8..,
        fix in 0..3u8,
    ) {
        let mut bad = bytes;
        let i = at.index(bad.len());
        bad[i] ^= x;
        match fix {
            1 => fix_prelude(&mut bad),
            2 => fix_both(&mut bad),
            _ => {}
        }
        prop_assert_eq!(ours(&bad), reference(&bad));
    }

    #[test]
    fn cut_or_extended_frames_read_alike(
        bytes in encoded(),
        cut in any::<prop::sample::Index>(),
        extra in proptest::collection::vec(any::<u8>(), 0..6),
        fix in any::<bool>(),
    ) {
        let mut bad = bytes[..cut.index(bytes.len() + 1)].to_vec();
        bad.extend_from_slice(&extra);
        if fix {
            fix_both(&mut bad);
        }
        prop_assert_eq!(ours(&bad), reference(&bad));
    }

    /// A header length a little off, with both checksums right: the header walk must stop and
    /// fail where the reference's does.
    #[test]
    fn header_lengths_a_little_off_read_alike(bytes in encoded(), delta in -4i32..=4) {
        let mut bad = bytes;
        let len = u32::from_be_bytes([bad[4], bad[5], bad[6], bad[7]]);
        let len = len.wrapping_add_signed(delta);
        bad[4..8].copy_from_slice(&len.to_be_bytes());
        fix_both(&mut bad);
        prop_assert_eq!(ours(&bad), reference(&bad));
    }

    #[test]
    fn random_bytes_read_alike(mut bytes in proptest::collection::vec(any::<u8>(), 0..40), fix in any::<bool>()) {
        if fix {
            fix_both(&mut bytes);
        }
        prop_assert_eq!(ours(&bytes), reference(&bytes));
    }
}
