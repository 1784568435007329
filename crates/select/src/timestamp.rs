//! Ion-style timestamps as S3 Select uses them: a precision (year … fraction), a local time and
//! an offset that may be unknown (`-00:00`). Text in and out follows the W3C/Ion forms
//! (`2007T`, `2007-02T`, `2007-02-23`, `2007-02-23T12:14Z`, `2007-02-23T12:14:33.079-08:00`).

use std::cmp::Ordering;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
    Minute,
    Second,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    TimezoneHour,
    TimezoneMinute,
}

impl DatePart {
    pub fn from_name(name: &str) -> Option<DatePart> {
        Some(match name.to_ascii_lowercase().as_str() {
            "year" => DatePart::Year,
            "month" => DatePart::Month,
            "day" => DatePart::Day,
            "hour" => DatePart::Hour,
            "minute" => DatePart::Minute,
            "second" => DatePart::Second,
            "timezone_hour" => DatePart::TimezoneHour,
            "timezone_minute" => DatePart::TimezoneMinute,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Timestamp {
    /// Local date and time as written.
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanos: u32,
    /// Digits of fractional seconds that were given (kept for output).
    pub frac_digits: u8,
    /// Minutes east of UTC; `None` is the unknown offset `-00:00`.
    pub offset: Option<i32>,
    pub precision: Precision,
}

const NANOS_PER_SEC: i128 = 1_000_000_000;
const NANOS_PER_DAY: i128 = 86_400 * NANOS_PER_SEC;
/// Days since 1970-01-01 of 0001-01-01 and 9999-12-31, the range S3 Select's timestamps cover.
const FIRST_DAY: i64 = -719_162;
const LAST_DAY: i64 = 2_932_896;

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Callers keep `z` within `FIRST_DAY..=LAST_DAY` (tests go a little wider), so nothing below
/// can overflow and the year fits an i32.
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

impl Timestamp {
    /// Nanoseconds since the epoch of the local time as written (offset not applied).
    fn local_nanos(&self) -> i128 {
        let days = i128::from(days_from_civil(self.year, self.month, self.day));
        let secs =
            i128::from(self.hour) * 3600 + i128::from(self.minute) * 60 + i128::from(self.second);
        days * NANOS_PER_DAY + secs * NANOS_PER_SEC + i128::from(self.nanos)
    }

    /// The instant, in nanoseconds since the Unix epoch (UTC).
    pub fn instant(&self) -> i128 {
        self.local_nanos() - i128::from(self.offset.unwrap_or(0)) * 60 * NANOS_PER_SEC
    }

    fn with_local_nanos(&self, local: i128) -> Option<Timestamp> {
        let days = local.div_euclid(NANOS_PER_DAY);
        let rem = local.rem_euclid(NANOS_PER_DAY);
        // Out-of-range days are refused before the date arithmetic, which would overflow or
        // truncate the year into range (a DATE_ADD of 2^28 * 146097 days gave back its input).
        let days = i64::try_from(days)
            .ok()
            .filter(|d| (FIRST_DAY..=LAST_DAY).contains(d))?;
        let (year, month, day) = civil_from_days(days);
        if !(1..=9999).contains(&year) {
            return None;
        }
        // cannot truncate: 0 <= rem < NANOS_PER_DAY, so secs < 86,400 and every field fits.
        let secs = (rem / NANOS_PER_SEC) as u32;
        Some(Timestamp {
            year,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs / 60 % 60) as u8,
            second: (secs % 60) as u8,
            nanos: (rem % NANOS_PER_SEC) as u32,
            ..*self
        })
    }

    /// A UTC timestamp with millisecond precision, as UTCNOW() returns.
    pub fn from_unix_millis(ms: i64) -> Timestamp {
        let base = Timestamp {
            year: 1970,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            nanos: 0,
            frac_digits: 3,
            offset: Some(0),
            precision: Precision::Second,
        };
        base.with_local_nanos(i128::from(ms) * 1_000_000)
            .unwrap_or(base)
    }

    /// A UTC timestamp `nanos` after the epoch, written with `frac_digits` fractional digits
    /// (Parquet's MILLIS/MICROS/NANOS units keep 3/6/9). `None` outside years 1–9999.
    pub fn from_unix_nanos(nanos: i128, frac_digits: u8) -> Option<Timestamp> {
        Timestamp {
            frac_digits: frac_digits.min(9),
            ..Timestamp::from_unix_millis(0)
        }
        .with_local_nanos(nanos)
    }

    /// A date (day precision, no offset) `days` after 1970-01-01. `None` outside years 1–9999.
    pub fn from_unix_days(days: i64) -> Option<Timestamp> {
        let day = Timestamp {
            frac_digits: 0,
            offset: None,
            precision: Precision::Day,
            ..Timestamp::from_unix_millis(0)
        };
        day.with_local_nanos(i128::from(days) * NANOS_PER_DAY)
    }

    /// Parses the Ion/W3C text form. Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        let mut p = Cursor { b, i: 0 };
        let year = p.digits(4)? as i32;
        let mut ts = Timestamp {
            year,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            nanos: 0,
            frac_digits: 0,
            offset: None,
            precision: Precision::Year,
        };
        if p.eat(b'T') {
            return p.done().then_some(ts);
        }
        p.expect(b'-')?;
        ts.month = p.digits(2)? as u8;
        ts.precision = Precision::Month;
        if !(1..=12).contains(&ts.month) {
            return None;
        }
        if p.eat(b'T') {
            return p.done().then_some(ts);
        }
        p.expect(b'-')?;
        ts.day = p.digits(2)? as u8;
        ts.precision = Precision::Day;
        if ts.day == 0 || ts.day > days_in_month(ts.year, ts.month) {
            return None;
        }
        if p.done() {
            return Some(ts);
        }
        p.expect(b'T')?;
        if p.done() {
            return Some(ts);
        }
        ts.hour = p.digits(2)? as u8;
        p.expect(b':')?;
        ts.minute = p.digits(2)? as u8;
        ts.precision = Precision::Minute;
        if p.eat(b':') {
            ts.second = p.digits(2)? as u8;
            ts.precision = Precision::Second;
            if p.eat(b'.') {
                let start = p.i;
                while b.get(p.i).is_some_and(u8::is_ascii_digit) {
                    p.i += 1;
                }
                // cannot fail: start and p.i are in bounds and on ASCII bytes.
                let frac = &text[start..p.i];
                if frac.is_empty() {
                    return None;
                }
                let kept = &frac[..frac.len().min(9)];
                // cannot overflow: kept has 1 to 9 digits, so the product is below 10^9.
                ts.nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
                ts.frac_digits = kept.len() as u8;
            }
        }
        if ts.hour > 23 || ts.minute > 59 || ts.second > 59 {
            return None;
        }
        if p.eat(b'Z') {
            ts.offset = Some(0);
        } else {
            let sign = match p.next()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh = p.digits(2)? as i32;
            p.expect(b':')?;
            let om = p.digits(2)? as i32;
            if oh > 23 || om > 59 {
                return None;
            }
            ts.offset = if sign < 0 && oh == 0 && om == 0 {
                None
            } else {
                Some(sign * (oh * 60 + om))
            };
        }
        p.done().then_some(ts)
    }

    /// The Ion text form, at this timestamp's own precision.
    pub fn to_ion_text(&self) -> String {
        let mut s = String::with_capacity(32);
        let _ = write!(s, "{:04}", self.year);
        if self.precision == Precision::Year {
            s.push('T');
            return s;
        }
        let _ = write!(s, "-{:02}", self.month);
        if self.precision == Precision::Month {
            s.push('T');
            return s;
        }
        let _ = write!(s, "-{:02}", self.day);
        if self.precision == Precision::Day {
            s.push('T');
            return s;
        }
        let _ = write!(s, "T{:02}:{:02}", self.hour, self.minute);
        if self.precision == Precision::Second {
            let _ = write!(s, ":{:02}", self.second);
            if self.frac_digits > 0 {
                let frac = format!("{:09}", self.nanos);
                s.push('.');
                // frac has at least 9 digits; parse never keeps more than 9.
                s.push_str(&frac[..usize::from(self.frac_digits.min(9))]);
            }
        }
        match self.offset {
            Some(0) => s.push('Z'),
            None => s.push_str("-00:00"),
            Some(o) => {
                let sign = if o < 0 { '-' } else { '+' };
                let o = o.unsigned_abs();
                let _ = write!(s, "{sign}{:02}:{:02}", o / 60, o % 60);
            }
        }
        s
    }

    /// DATE_ADD: the precision grows to the part that changed, as S3 Select does.
    pub fn add(&self, part: DatePart, quantity: i64) -> Option<Timestamp> {
        let mut t = *self;
        match part {
            DatePart::Year | DatePart::Month => {
                let months = if part == DatePart::Year {
                    quantity.checked_mul(12)?
                } else {
                    quantity
                };
                // The year and month are small; only the user's quantity can overflow.
                let total =
                    (i64::from(t.year) * 12 + i64::from(t.month) - 1).checked_add(months)?;
                let year = i32::try_from(total.div_euclid(12)).ok()?;
                if !(1..=9999).contains(&year) {
                    return None;
                }
                t.year = year;
                t.month = (total.rem_euclid(12) + 1) as u8;
                t.day = t.day.min(days_in_month(t.year, t.month));
                if part == DatePart::Month {
                    t.precision = t.precision.max(Precision::Month);
                }
                Some(t)
            }
            DatePart::Day | DatePart::Hour | DatePart::Minute | DatePart::Second => {
                let unit: i128 = match part {
                    DatePart::Day => NANOS_PER_DAY,
                    DatePart::Hour => 3600 * NANOS_PER_SEC,
                    DatePart::Minute => 60 * NANOS_PER_SEC,
                    _ => NANOS_PER_SEC,
                };
                let delta = i128::from(quantity).checked_mul(unit)?;
                let mut t = t.with_local_nanos(t.local_nanos().checked_add(delta)?)?;
                let needed = match part {
                    DatePart::Day => Precision::Day,
                    DatePart::Second => Precision::Second,
                    _ => Precision::Minute,
                };
                t.precision = t.precision.max(needed);
                Some(t)
            }
            DatePart::TimezoneHour | DatePart::TimezoneMinute => None,
        }
    }

    /// DATE_DIFF(part, self, other): whole parts from self to other, truncated toward zero.
    pub fn diff(&self, part: DatePart, other: &Timestamp) -> Option<i64> {
        match part {
            DatePart::Year | DatePart::Month => {
                let a = self.in_utc();
                let b = other.in_utc();
                let mut months = (i64::from(b.year) - i64::from(a.year)) * 12 + i64::from(b.month)
                    - i64::from(a.month);
                let a_rest = a.local_nanos()
                    - i128::from(days_from_civil(a.year, a.month, 1)) * NANOS_PER_DAY;
                let b_rest = b.local_nanos()
                    - i128::from(days_from_civil(b.year, b.month, 1)) * NANOS_PER_DAY;
                if months > 0 && b_rest < a_rest {
                    months -= 1;
                } else if months < 0 && b_rest > a_rest {
                    months += 1;
                }
                Some(if part == DatePart::Year {
                    months / 12
                } else {
                    months
                })
            }
            DatePart::Day | DatePart::Hour | DatePart::Minute | DatePart::Second => {
                let unit: i128 = match part {
                    DatePart::Day => NANOS_PER_DAY,
                    DatePart::Hour => 3600 * NANOS_PER_SEC,
                    DatePart::Minute => 60 * NANOS_PER_SEC,
                    _ => NANOS_PER_SEC,
                };
                i64::try_from((other.instant() - self.instant()) / unit).ok()
            }
            DatePart::TimezoneHour | DatePart::TimezoneMinute => None,
        }
    }

    fn in_utc(&self) -> Timestamp {
        let mut t = *self;
        if let Some(o) = self.offset {
            if o != 0 {
                t = self
                    .with_local_nanos(self.local_nanos() - i128::from(o) * 60 * NANOS_PER_SEC)
                    .unwrap_or(*self);
            }
        }
        t
    }

    pub fn extract(&self, part: DatePart) -> i64 {
        match part {
            DatePart::Year => i64::from(self.year),
            DatePart::Month => i64::from(self.month),
            DatePart::Day => i64::from(self.day),
            DatePart::Hour => i64::from(self.hour),
            DatePart::Minute => i64::from(self.minute),
            DatePart::Second => i64::from(self.second),
            DatePart::TimezoneHour => i64::from(self.offset.unwrap_or(0) / 60),
            DatePart::TimezoneMinute => i64::from(self.offset.unwrap_or(0) % 60),
        }
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.instant() == other.instant()
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.instant().cmp(&other.instant()))
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, n: usize) -> Option<u32> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        // cannot fail: every byte is an ASCII digit and n is at most 4.
        Some(s.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }
    fn next(&mut self) -> Option<u8> {
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap_or_else(|| panic!("parse {s}"))
    }

    #[test]
    fn round_trips_every_precision() {
        for s in [
            "2007T",
            "2007-02T",
            "2007-02-23T",
            "2007-02-23T12:14Z",
            "2007-02-23T12:14:33Z",
            "2007-02-23T12:14:33.079-08:00",
            "2017-01-02T03:04:05+07:08",
            "2017-01-01T01:00-00:00",
        ] {
            assert_eq!(ts(s).to_ion_text(), s);
        }
        assert_eq!(ts("2007-02-23").to_ion_text(), "2007-02-23T");
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "07T",
            "2007",
            "2007-13T",
            "2007-02-30",
            "2007-02-23T12Z",
            "2007-02-23T12:14",
            "2007-02-23T25:00Z",
        ] {
            assert!(Timestamp::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn date_add_documented_examples() {
        let cases = [
            (DatePart::Year, 5, "2010-01-01T", "2015-01-01T"),
            (DatePart::Month, 1, "2010T", "2010-02T"),
            (DatePart::Month, 13, "2010T", "2011-02T"),
            (DatePart::Day, -1, "2017-01-10T", "2017-01-09T"),
            (DatePart::Hour, 1, "2017T", "2017-01-01T01:00-00:00"),
            (DatePart::Hour, 1, "2017-01-02T03:04Z", "2017-01-02T04:04Z"),
            (
                DatePart::Minute,
                1,
                "2017-01-02T03:04:05.006Z",
                "2017-01-02T03:05:05.006Z",
            ),
            (
                DatePart::Second,
                1,
                "2017-01-02T03:04:05.006Z",
                "2017-01-02T03:04:06.006Z",
            ),
        ];
        for (part, q, input, want) in cases {
            assert_eq!(
                ts(input).add(part, q).unwrap().to_ion_text(),
                want,
                "{input}"
            );
        }
    }

    #[test]
    fn date_diff_documented_examples() {
        assert_eq!(
            ts("2010-01-01T").diff(DatePart::Year, &ts("2011-01-01T")),
            Some(1)
        );
        assert_eq!(ts("2010T").diff(DatePart::Month, &ts("2011T")), Some(12));
        assert_eq!(ts("2011T").diff(DatePart::Month, &ts("2010T")), Some(-12));
        assert_eq!(
            ts("2010-01-01T23:00Z").diff(DatePart::Day, &ts("2010-01-02T01:00Z")),
            Some(0)
        );
    }

    #[test]
    fn date_add_out_of_range_is_refused() {
        let t = ts("2000-01-01T");
        // Month and year totals used to overflow i64 (a panic in debug builds).
        assert!(t.add(DatePart::Month, i64::MAX).is_none());
        assert!(t.add(DatePart::Month, i64::MIN).is_none());
        assert!(t.add(DatePart::Year, i64::MAX / 12).is_none());
        // Day counts near i64::MAX used to overflow inside civil_from_days.
        assert!(t.add(DatePart::Day, i64::MAX - 100_000).is_none());
        // 2^28 eras of 400 years: the year used to be truncated to i32 and land back on 2000,
        // so DATE_ADD answered the input unchanged instead of failing.
        let eras = (1i64 << 28) * 146_097;
        assert!(t.add(DatePart::Day, eras).is_none());
        assert!(t.add(DatePart::Day, -eras).is_none());
        // The limits themselves still work.
        assert_eq!(
            ts("9999-12-30T")
                .add(DatePart::Day, 1)
                .unwrap()
                .to_ion_text(),
            "9999-12-31T"
        );
        assert!(ts("9999-12-31T").add(DatePart::Day, 1).is_none());
        assert_eq!(
            ts("0001-01-02T")
                .add(DatePart::Day, -1)
                .unwrap()
                .to_ion_text(),
            "0001-01-01T"
        );
        assert!(ts("0001-01-01T").add(DatePart::Day, -1).is_none());
    }

    #[test]
    fn civil_round_trip() {
        for d in [-800_000i64, -1, 0, 1, 59, 60, 10_957, 2_932_896] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(days_from_civil(1, 1, 1), FIRST_DAY);
        assert_eq!(days_from_civil(9999, 12, 31), LAST_DAY);
    }
}
