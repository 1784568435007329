//! The few date formats the sandbox reads and writes, through `aws-smithy-types` (the calendar
//! the SDKs use): SigV4's `20240102T030405Z`, HTTP's `Date`, and S3's ISO 8601 timestamps. The
//! time is always passed in.

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use std::time::{SystemTime, UNIX_EPOCH};

/// Whole seconds since the epoch (negative before it).
pub fn epoch_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

/// Milliseconds since the epoch (negative before it), as parameters record their changes.
pub fn epoch_millis(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// `2026-11-30T18:04:22Z` for the whole second of `secs`; `None` outside years 1-9999, which
/// RFC 3339 cannot write.
fn rfc3339_seconds(secs: i64) -> Option<String> {
    DateTime::from_secs(secs).fmt(Format::DateTime).ok()
}

/// `YYYYMMDDTHHMMSSZ`, SigV4's `X-Amz-Date` (RFC 3339 without its separators).
pub fn amz_date(t: SystemTime) -> String {
    match rfc3339_seconds(epoch_seconds(t)) {
        Some(text) => text.replace(['-', ':'], ""),
        None => String::from("00000000T000000Z"),
    }
}

/// Reads `YYYYMMDDTHHMMSSZ`; `None` for anything else, including impossible dates. Smithy has
/// no format for SigV4's basic ISO 8601, so the digits are checked here and the calendar is
/// left to its RFC 3339 parser.
pub fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    let shaped = b.len() == 16
        && digits_at(0..8)
        && b.get(8) == Some(&b'T')
        && digits_at(9..15)
        && b.get(15) == Some(&b'Z');
    if !shaped {
        return None;
    }
    // All ASCII now, so these slices are on character boundaries.
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        text.get(0..4)?,
        text.get(4..6)?,
        text.get(6..8)?,
        text.get(9..11)?,
        text.get(11..13)?,
        text.get(13..15)?
    );
    let parsed = DateTime::from_str(&rfc3339, Format::DateTime).ok()?;
    SystemTime::try_from(parsed).ok()
}

/// RFC 7231's `Date` header: `Tue, 01 Dec 2026 09:30:00 GMT`.
pub fn http_date(t: SystemTime) -> String {
    DateTime::from_secs(epoch_seconds(t))
        .fmt(Format::HttpDate)
        .unwrap_or_else(|_| String::from("Thu, 01 Jan 1970 00:00:00 GMT"))
}

/// S3's XML timestamps (`LastModified`, `CreationDate`): `2026-11-30T18:04:22.000Z`, to the
/// second, as S3 keeps them.
pub fn iso8601_millis(t: SystemTime) -> String {
    match rfc3339_seconds(epoch_seconds(t)) {
        Some(text) => format!("{}.000Z", text.trim_end_matches('Z')),
        None => String::from("1970-01-01T00:00:00.000Z"),
    }
}

/// RFC 3339 to the second (`2026-11-30T18:04:22Z`), as S3 writes its `ServerTime`.
pub fn rfc3339(t: SystemTime) -> String {
    rfc3339_seconds(epoch_seconds(t)).unwrap_or_else(|| String::from("1970-01-01T00:00:00Z"))
}

/// The time of a millisecond count since the epoch (the unit the state keeps times in).
pub fn from_epoch_millis(ms: i64) -> SystemTime {
    SystemTime::try_from(DateTime::from_millis(ms)).unwrap_or(UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn amz_dates_round_trip() {
        for text in [
            "19700101T000000Z",
            "20000229T235959Z",
            "20261130T180422Z",
            "21000301T000001Z",
        ] {
            let t = parse_amz_date(text).unwrap();
            assert_eq!(amz_date(t), text);
        }
        assert_eq!(
            epoch_seconds(parse_amz_date("20261130T180422Z").unwrap()),
            1_796_061_862
        );
    }

    #[test]
    fn bad_amz_dates_are_refused() {
        for text in [
            "",
            "20260230T000000Z",
            "21000229T000000Z",
            "20261301T000000Z",
            "20261130 180422Z",
            "20261130T246000Z",
            "20261130T180460Z",
            "2026113T1804220Z",
            "+2026130T180422Z",
            "20261130T180422ZZ",
            "２０２６1130T18042",
        ] {
            assert_eq!(parse_amz_date(text), None, "{text}");
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        let t = parse_amz_date("20261130T180422Z").unwrap();
        assert_eq!(http_date(t), "Mon, 30 Nov 2026 18:04:22 GMT");
        assert_eq!(
            http_date(t + Duration::from_millis(999)),
            "Mon, 30 Nov 2026 18:04:22 GMT"
        );
        assert_eq!(
            epoch_millis(t + Duration::from_millis(288)),
            1_796_061_862_288
        );
    }

    #[test]
    fn s3_timestamps_and_millis() {
        let t = parse_amz_date("20261130T180422Z").unwrap() + Duration::from_millis(288);
        assert_eq!(iso8601_millis(t), "2026-11-30T18:04:22.000Z");
        assert_eq!(rfc3339(t), "2026-11-30T18:04:22Z");
        assert_eq!(from_epoch_millis(epoch_millis(t)), t);
        assert_eq!(
            from_epoch_millis(-1_500),
            UNIX_EPOCH - Duration::from_millis(1_500)
        );
        assert_eq!(
            amz_date(UNIX_EPOCH - Duration::from_secs(1)),
            "19691231T235959Z"
        );
    }
}
