//! GetObject's `Range` header, as S3 reads it: one range of bytes (`bytes=a-b`, `bytes=a-`,
//! `bytes=-n`). A range S3 cannot read (another unit, several ranges, end before start) is
//! ignored and the whole object sent; one that starts past the end is `InvalidRange` (416).

use crate::s3::error::S3Error;

/// What to send of an object of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice {
    Whole,
    /// Inclusive byte offsets, within the object.
    Part {
        first: usize,
        last: usize,
    },
}

fn number(text: &str) -> Option<usize> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // More digits than a usize holds: as far past any object as can be.
    Some(text.parse().unwrap_or(usize::MAX))
}

pub fn resolve(header: Option<&str>, size: usize) -> Result<Slice, S3Error> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(Slice::Whole);
    };
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Ok(Slice::Whole);
    };
    let unsatisfiable = || {
        S3Error::new(
            416,
            "InvalidRange",
            "The requested range is not satisfiable",
        )
        .with("ActualObjectSize", size.to_string())
        .with("RangeRequested", header.unwrap_or("").to_string())
    };
    let last_byte = size.checked_sub(1);
    match (number(start.trim()), number(end.trim())) {
        (Some(first), Some(last)) if first <= last => match last_byte {
            Some(max) if first <= max => Ok(Slice::Part {
                first,
                last: last.min(max),
            }),
            _ => Err(unsatisfiable()),
        },
        (Some(first), None) if end.trim().is_empty() => match last_byte {
            Some(max) if first <= max => Ok(Slice::Part { first, last: max }),
            _ => Err(unsatisfiable()),
        },
        (None, Some(suffix)) if start.trim().is_empty() => match last_byte {
            Some(max) if suffix > 0 => Ok(Slice::Part {
                first: size - suffix.min(size),
                last: max,
            }),
            _ => Err(unsatisfiable()),
        },
        _ => Ok(Slice::Whole),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(first: usize, last: usize) -> Result<Slice, S3Error> {
        Ok(Slice::Part { first, last })
    }

    #[test]
    fn the_three_forms() {
        assert_eq!(resolve(Some("bytes=2-4"), 11), part(2, 4));
        assert_eq!(resolve(Some("bytes=2-400"), 11), part(2, 10));
        assert_eq!(resolve(Some("bytes=7-"), 11), part(7, 10));
        assert_eq!(resolve(Some("bytes=-3"), 11), part(8, 10));
        assert_eq!(resolve(Some("bytes=-30"), 11), part(0, 10));
        assert_eq!(resolve(Some("bytes=0-0"), 1), part(0, 0));
    }

    #[test]
    fn unsatisfiable_ranges() {
        for (range, size) in [
            ("bytes=11-12", 11),
            ("bytes=50-", 11),
            ("bytes=-0", 11),
            ("bytes=0-0", 0),
            ("bytes=-5", 0),
            ("bytes=99999999999999999999999-", 11),
        ] {
            let e = resolve(Some(range), size).unwrap_err();
            assert_eq!((e.status, e.code), (416, "InvalidRange"), "{range}");
            assert_eq!(e.fields[1], ("RangeRequested", range.to_string()));
        }
    }

    #[test]
    fn ranges_s3_ignores() {
        for range in [
            "items=0-1",
            "bytes=4-2",
            "bytes=0-1,3-4",
            "bytes=a-b",
            "bytes=",
            "bytes=-",
            "bytes=+1-2",
        ] {
            assert_eq!(resolve(Some(range), 11), Ok(Slice::Whole), "{range}");
        }
        assert_eq!(resolve(None, 0), Ok(Slice::Whole));
    }
}
