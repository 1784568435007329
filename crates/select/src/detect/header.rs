//! FileHeaderInfo: whether line 1 is a header, by comparing each of its fields with the kind of
//! value (number, date, true/false) the column holds below it.

use super::scan::Record;
use super::text::short;
use super::{note, Confidence, Reason};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    Int,
    Dec,
    Bool,
    Date,
    Text,
}

fn kind(s: &str) -> Kind {
    let t = s.trim();
    if t.is_empty() {
        return Kind::Empty;
    }
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let b = body.as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
        return Kind::Int;
    }
    if b.first().is_some_and(|c| c.is_ascii_digit() || *c == b'.')
        && b.iter().any(u8::is_ascii_digit)
        && body.parse::<f64>().is_ok()
    {
        return Kind::Dec;
    }
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return Kind::Bool;
    }
    let d = t.as_bytes();
    if d.len() >= 10
        && d[..4].iter().all(u8::is_ascii_digit)
        && d[4] == b'-'
        && d[5..7].iter().all(u8::is_ascii_digit)
        && d[7] == b'-'
        && d[8..10].iter().all(u8::is_ascii_digit)
    {
        return Kind::Date;
    }
    Kind::Text
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Number,
    Bool,
    Date,
}

fn class(k: Kind) -> Option<Class> {
    match k {
        Kind::Int | Kind::Dec => Some(Class::Number),
        Kind::Bool => Some(Class::Bool),
        Kind::Date => Some(Class::Date),
        Kind::Empty | Kind::Text => None,
    }
}

fn class_plural(c: Class) -> &'static str {
    match c {
        Class::Number => "numbers",
        Class::Bool => "true/false values",
        Class::Date => "dates",
    }
}

fn name_like(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && s.chars().count() <= 64
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ' ' | '-' | '.'))
}

pub(super) struct HeaderVote {
    pub(super) use_header: bool,
    pub(super) confidence: Confidence,
    pub(super) text: String,
}

/// Line 1 against the rows below: see the module doc for the points.
pub(super) fn header_vote(rows: &[&Record]) -> HeaderVote {
    let Some((first, rest)) = rows.split_first() else {
        return HeaderVote {
            use_header: false,
            confidence: Confidence::Low,
            text: "no lines: FileHeaderInfo left at NONE".into(),
        };
    };
    let names = &first.values;
    let listed = names
        .iter()
        .take(6)
        .map(|n| short(n))
        .collect::<Vec<_>>()
        .join(", ");
    let listed = if names.len() > 6 {
        format!("{listed}, …")
    } else {
        listed
    };
    let (mut pos, mut neg) = (0i64, 0i64);
    let mut for_header = Vec::new();
    let mut for_data = Vec::new();
    for (j, name) in names.iter().enumerate() {
        let below: Vec<Kind> = rest
            .iter()
            .filter_map(|r| r.values.get(j))
            .map(|v| kind(v))
            .filter(|k| *k != Kind::Empty)
            .collect();
        let Some(col) = column_class(&below) else {
            continue;
        };
        let h = kind(name);
        match class(h) {
            None if h == Kind::Text => {
                pos += 3;
                for_header.push(format!(
                    "column {} has '{}' above {}",
                    j + 1,
                    short(name),
                    class_plural(col)
                ));
            }
            None => {}
            Some(Class::Number)
                if h == Kind::Int
                    && (col == Class::Date
                        || (col == Class::Number && below.iter().all(|k| *k == Kind::Dec))) =>
            {
                pos += 1;
                for_header.push(format!(
                    "column {} has the whole number '{}' above {}",
                    j + 1,
                    short(name),
                    if col == Class::Date {
                        "dates"
                    } else {
                        "decimals"
                    }
                ));
            }
            Some(c) if c == col => {
                neg += 1;
                for_data.push(format!(
                    "column {} has '{}' like the {} below it",
                    j + 1,
                    short(name),
                    class_plural(col)
                ));
            }
            Some(_) => {}
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut duplicate = None;
    for n in names.iter().filter(|n| !n.trim().is_empty()) {
        if seen.contains(&n.as_str()) {
            duplicate = Some(n);
        }
        seen.push(n);
    }
    if let Some(d) = duplicate {
        neg += 2;
        for_data.push(format!("'{}' appears twice", short(d)));
    }
    if names.len() > 1 && names.iter().any(|n| n.trim().is_empty()) {
        neg += 1;
        for_data.push("a field is empty".into());
    }
    let score = pos - neg;
    if score != 0 {
        let use_header = score > 0;
        let (unopposed, shown, looks, setting) = if use_header {
            (
                neg == 0 && pos >= 2,
                &for_header,
                "a header",
                "FileHeaderInfo set to USE",
            )
        } else {
            (
                pos == 0 && neg >= 2,
                &for_data,
                "data",
                "FileHeaderInfo left at NONE (columns are _1, _2, …)",
            )
        };
        return HeaderVote {
            use_header,
            // Sure only when no point goes the other way and at least two go this way.
            confidence: if unopposed {
                Confidence::High
            } else {
                Confidence::Medium
            },
            text: format!(
                "line 1 ({listed}) looks like {looks}: {}: {setting}",
                shown.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
            ),
        };
    }
    // No column to compare with: does line 1 look like names?
    let repeated = names
        .iter()
        .enumerate()
        .any(|(j, n)| rest.iter().any(|r| r.values.get(j).is_some_and(|v| v == n)));
    let names_like = names.iter().all(|n| name_like(n.trim())) && duplicate.is_none();
    let why = if rest.is_empty() {
        "there is only one line"
    } else {
        "no column has numbers, dates or true/false values to compare with"
    };
    let use_header = names_like && !repeated;
    let verdict = if use_header {
        "looks like names: FileHeaderInfo set to USE (a guess: if line 1 is data, choose NONE)"
    } else {
        "does not look like names: FileHeaderInfo left at NONE (a guess)"
    };
    HeaderVote {
        use_header,
        confidence: Confidence::Low,
        text: format!("{why}; line 1 ({listed}) {verdict}"),
    }
}

/// The kind of value a column holds below line 1, when 90% of its non-empty values agree.
fn column_class(below: &[Kind]) -> Option<Class> {
    if below.is_empty() {
        return None;
    }
    for c in [Class::Number, Class::Date, Class::Bool] {
        let n = below.iter().filter(|k| class(**k) == Some(c)).count();
        if n * 10 >= below.len() * 9 {
            return Some(c);
        }
    }
    None
}

/// Notes on header names that need care in SQL.
pub(super) fn header_notes(names: &[String], reasons: &mut Vec<Reason>) {
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    if let Some((_, n)) = lower
        .iter()
        .enumerate()
        .find(|(i, n)| !n.is_empty() && lower.get(..*i).is_some_and(|before| before.contains(n)))
    {
        reasons.push(note(
            Some("FileHeaderInfo"),
            format!(
                "the name '{}' appears more than once (ignoring case): an unquoted s.{} is ambiguous (AmbiguousFieldName); use the position, _N",
                short(n),
                short(n)
            ),
        ));
    }
    if let Some(n) = names
        .iter()
        .find(|n| !n.is_empty() && !n.chars().all(|c| c.is_alphanumeric() || c == '_'))
    {
        reasons.push(note(
            Some("FileHeaderInfo"),
            format!(
                "names such as '{}' hold characters other than letters, digits and _: write them in double quotes, s.\"{}\"",
                short(n),
                n.replace('"', "\"\"")
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind("12"), Kind::Int);
        assert_eq!(kind("-1.5e3"), Kind::Dec);
        assert_eq!(kind("inf"), Kind::Text);
        assert_eq!(kind("2020-06-04T08:10:00Z"), Kind::Date);
        assert_eq!(kind("TRUE"), Kind::Bool);
        assert_eq!(kind(" "), Kind::Empty);
    }
}
