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

fn pattern_error(code: ErrorCode, msg: String) -> SelectError {
    SelectError::new(code, msg)
}

/// Formats `ts` with a pattern such as `'MMMM d, y h:m a'` or `'y-MM-dd''T''H:m:ssXXXXX'`.
pub fn format(ts: &Timestamp, pattern: &str) -> Result<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
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
                    let _ = write!(out, "{:0width$}", ts.year, width = n);
                }
            },
            'M' => match n {
                1 => {
                    let _ = write!(out, "{}", ts.month);
                }
                2 => {
                    let _ = write!(out, "{:02}", ts.month);
                }
                3 => out.push_str(&MONTHS[usize::from(ts.month) - 1][..3]),
                4 => out.push_str(MONTHS[usize::from(ts.month) - 1]),
                5 => out.push_str(&MONTHS[usize::from(ts.month) - 1][..1]),
                _ => return Err(bad()),
            },
            'd' => pad(&mut out, i64::from(ts.day), n, 2).ok_or_else(bad)?,
            'a' if n == 1 => out.push_str(if ts.hour < 12 { "AM" } else { "PM" }),
            'h' => pad(&mut out, i64::from((ts.hour + 11) % 12 + 1), n, 2).ok_or_else(bad)?,
            'H' => pad(&mut out, i64::from(ts.hour), n, 2).ok_or_else(bad)?,
            'm' => pad(&mut out, i64::from(ts.minute), n, 2).ok_or_else(bad)?,
            's' => pad(&mut out, i64::from(ts.second), n, 2).ok_or_else(bad)?,
            'S' => {
                let digits = format!("{:09}", ts.nanos);
                if n <= 9 {
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
                    let (h, m) = (offset.abs() / 60, offset.abs() % 60);
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
