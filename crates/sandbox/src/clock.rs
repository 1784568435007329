//! Calendar arithmetic for the few date formats the sandbox reads and writes (SigV4's
//! `20240102T030405Z`, HTTP's `Date`), without a date crate: the time is always passed in.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01: (year, month 1-12, day 1-31).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

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

fn from_epoch_seconds(secs: i64) -> SystemTime {
    let magnitude = Duration::from_secs(secs.unsigned_abs());
    if secs >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH - magnitude
    }
}

/// `YYYYMMDDTHHMMSSZ`, SigV4's `X-Amz-Date`.
pub fn amz_date(t: SystemTime) -> String {
    let secs = epoch_seconds(t);
    let (y, mo, d) = civil_from_days(secs.div_euclid(DAY));
    let s = secs.rem_euclid(DAY);
    format!(
        "{y:04}{mo:02}{d:02}T{:02}{:02}{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Reads `YYYYMMDDTHHMMSSZ`; `None` for anything else, including impossible dates.
pub fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (y, mo, d) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let (h, mi, s) = (digits(9..11)?, digits(11..13)?, digits(13..15)?);
    if !(1..=12).contains(&mo) || d < 1 || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    // Reject 31 February and friends: the day must come back unchanged.
    if civil_from_days(days) != (y, mo, d) {
        return None;
    }
    Some(from_epoch_seconds(days * DAY + h * 3600 + mi * 60 + s))
}

/// RFC 7231's `Date` header: `Tue, 01 Dec 2026 09:30:00 GMT`.
pub fn http_date(t: SystemTime) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let secs = epoch_seconds(t);
    let days = secs.div_euclid(DAY);
    let (y, mo, d) = civil_from_days(days);
    let s = secs.rem_euclid(DAY);
    let weekday = WEEKDAYS[days.rem_euclid(7) as usize];
    let month = MONTHS[((mo - 1).clamp(0, 11)) as usize];
    format!(
        "{weekday}, {d:02} {month} {y:04} {:02}:{:02}:{:02} GMT",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "20261301T000000Z",
            "20261130 180422Z",
            "20261130T246000Z",
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
            epoch_millis(t + Duration::from_millis(288)),
            1_796_061_862_288
        );
    }
}
