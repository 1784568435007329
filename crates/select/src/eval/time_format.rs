//! TO_STRING's timestamp format patterns (the Ion/Java-style letters S3 Select documents).

use crate::error::{ErrorCode, Result, SelectError};
use crate::timestamp::Timestamp;
use std::fmt::Write;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month's name; `""` only for a hand-built timestamp outside 1..=12.
fn month_name(month: u8) -> &'static str {
    usize::from(month)
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or_default()
}

fn pattern_error(code: ErrorCode, msg: String) -> SelectError {
    SelectError::new(code, msg)
}

/// Formats `ts` with a pattern such as `'MMMM d, y h:m a'` or `'y-MM-dd''T''H:m:ssXXXXX'`.
pub fn format(ts: &Timestamp, pattern: &str) -> Result<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '\'' {
            // '' is a literal quote; 'text' is literal text.
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    None => {
                        return Err(pattern_error(
                            ErrorCode::EvaluatorUnterminatedTimestampFormatPatternToken,
                            format!(
                                "The format pattern '{pattern}' has an unterminated quoted text."
                            ),
                        ))
                    }
                    Some('\'') if chars.get(j + 1) == Some(&'\'') => {
                        out.push('\'');
                        j += 2;
                    }
                    Some('\'') => break,
                    Some(ch) => {
                        out.push(*ch);
                        j += 1;
                    }
                }
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut n = 1;
        while chars.get(i + n) == Some(&c) {
            n += 1;
        }
        i += n;
        let bad = || {
            pattern_error(
                ErrorCode::EvaluatorInvalidTimestampFormatPatternSymbol,
                format!(
                    "'{}' is not a supported timestamp format symbol.",
                    c.to_string().repeat(n)
                ),
            )
        };
        let offset = ts.offset.unwrap_or(0);
        match c {
            'y' => match n {
                2 => {
                    let _ = write!(out, "{:02}", ts.year.rem_euclid(100));
                }
                1 => {
                    let _ = write!(out, "{}", ts.year);
                }
                _ => {
                    // Padded by hand: `{:0width$}` panics for widths over u16::MAX, and n is
                    // as long as the user's run of y's.
                    let digits = ts.year.unsigned_abs().to_string();
                    let sign = if ts.year < 0 { "-" } else { "" };
                    out.push_str(sign);
                    let zeros = n.saturating_sub(sign.len() + digits.len());
                    out.extend(std::iter::repeat_n('0', zeros));
                    out.push_str(&digits);
                }
            },
            'M' => match n {
                1 => {
                    let _ = write!(out, "{}", ts.month);
                }
                2 => {
                    let _ = write!(out, "{:02}", ts.month);
                }
                3 => out.push_str(month_name(ts.month).get(..3).unwrap_or_default()),
                4 => out.push_str(month_name(ts.month)),
                5 => out.push_str(month_name(ts.month).get(..1).unwrap_or_default()),
                _ => return Err(bad()),
            },
            'd' => pad(&mut out, i64::from(ts.day), n, 2).ok_or_else(bad)?,
            'a' if n == 1 => out.push_str(if ts.hour < 12 { "AM" } else { "PM" }),
            'h' => pad(&mut out, (i64::from(ts.hour) + 11) % 12 + 1, n, 2).ok_or_else(bad)?,
            'H' => pad(&mut out, i64::from(ts.hour), n, 2).ok_or_else(bad)?,
            'm' => pad(&mut out, i64::from(ts.minute), n, 2).ok_or_else(bad)?,
            's' => pad(&mut out, i64::from(ts.second), n, 2).ok_or_else(bad)?,
            'S' => {
                let digits = format!("{:09}", ts.nanos);
                if n <= 9 {
                    // cannot fail: digits is at least 9 ASCII digits long.
                    out.push_str(&digits[..n]);
                } else {
                    out.push_str(&digits);
                    out.push_str(&"0".repeat(n - 9));
                }
            }
            'n' if n == 1 => {
                let _ = write!(out, "{}", ts.nanos);
            }
            'X' | 'x' => {
                if c == 'X' && offset == 0 {
                    out.push('Z');
                } else {
                    let sign = if offset < 0 { '-' } else { '+' };
                    let (h, m) = (offset.unsigned_abs() / 60, offset.unsigned_abs() % 60);
                    match n {
                        1 if m == 0 => {
                            let _ = write!(out, "{sign}{h:02}");
                        }
                        1 | 2 | 4 => {
                            let _ = write!(out, "{sign}{h:02}{m:02}");
                        }
                        3 | 5 => {
                            let _ = write!(out, "{sign}{h:02}:{m:02}");
                        }
                        _ => return Err(bad()),
                    }
                }
            }
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

fn pad(out: &mut String, v: i64, n: usize, max: usize) -> Option<()> {
    if n > max {
        return None;
    }
    let _ = write!(out, "{v:0n$}");
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_examples() {
        let t = Timestamp::parse("1969-07-20T20:18Z").unwrap();
        assert_eq!(format(&t, "MMMM d, y").unwrap(), "July 20, 1969");
        assert_eq!(format(&t, "MMM d, yyyy").unwrap(), "Jul 20, 1969");
        assert_eq!(format(&t, "M-d-yy").unwrap(), "7-20-69");
        assert_eq!(format(&t, "MM-d-y").unwrap(), "07-20-1969");
        assert_eq!(
            format(&t, "MMMM d, y h:m a").unwrap(),
            "July 20, 1969 8:18 PM"
        );
        assert_eq!(
            format(&t, "y-MM-dd'T'H:m:ssX").unwrap(),
            "1969-07-20T20:18:00Z"
        );
        let t8 = Timestamp::parse("1969-07-20T20:18+08:00").unwrap();
        assert_eq!(
            format(&t8, "y-MM-dd'T'H:m:ssXXXX").unwrap(),
            "1969-07-20T20:18:00+0800"
        );
        assert_eq!(
            format(&t8, "y-MM-dd'T'H:m:ssXXXXX").unwrap(),
            "1969-07-20T20:18:00+08:00"
        );
    }

    #[test]
    fn long_year_runs_pad_without_panicking() {
        let t = Timestamp::parse("1969-07-20T20:18Z").unwrap();
        // `{:0width$}` panics past u16::MAX; a pattern of 70,000 y's used to crash TO_STRING.
        let out = format(&t, &"y".repeat(70_000)).unwrap();
        assert_eq!(out.len(), 70_000);
        assert!(out.ends_with("01969") && out.starts_with("000"));
        assert_eq!(format(&t, "yyyyyy").unwrap(), "001969");
        assert_eq!(format(&t, "yyy").unwrap(), "1969");
    }

    #[test]
    fn bad_patterns() {
        let t = Timestamp::parse("1969-07-20T20:18Z").unwrap();
        assert_eq!(
            format(&t, "q").unwrap_err().code,
            ErrorCode::EvaluatorInvalidTimestampFormatPatternSymbol
        );
        assert_eq!(
            format(&t, "'abc").unwrap_err().code,
            ErrorCode::EvaluatorUnterminatedTimestampFormatPatternToken
        );
    }
}
