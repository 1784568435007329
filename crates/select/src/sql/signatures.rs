//! The S3 Select functions in one table: each one's name, how many arguments a call takes and how
//! its arguments are read. The parser checks calls against it; evaluation takes the names in
//! its messages from it.

use super::ast::{Aggregate, Function, TrimSide};
use crate::timestamp::DatePart;
use std::mem::discriminant;

/// How a call's arguments are read.
#[derive(Debug, Clone, Copy)]
pub enum Form {
    /// An aggregate over one expression (COUNT also takes `*`); any other count is refused with
    /// ParseNonUnaryAgregateFunctionCall.
    Aggregate(Aggregate),
    /// A scalar function whose arguments are all expressions.
    Scalar(Function),
    /// A date part (YEAR, MONTH, DAY, HOUR, MINUTE or SECOND; not TIMEZONE_*), then expressions.
    DatePartFirst(fn(DatePart) -> Function),
    /// Only `CAST(x AS type)`: a plain call is refused with ParseCastArity, whatever its count.
    Cast,
    /// Only `EXTRACT(part FROM x)`: a plain call is refused as an unknown function.
    Extract,
}

impl Form {
    /// The AST function this form builds (with some date part or TRIM side), for its name.
    fn function(self) -> Option<Function> {
        match self {
            Form::Scalar(f) => Some(f),
            Form::DatePartFirst(build) => Some(build(DatePart::Year)),
            Form::Extract => Some(Function::Extract(DatePart::Year)),
            Form::Aggregate(_) | Form::Cast => None,
        }
    }
}

/// A function's documentation, for the editor: how it is called, what it does, and an example
/// with its answer (a test runs every example through the engine and checks the answer).
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    pub usage: &'static str,
    pub about: &'static str,
    /// An expression over the test's records (`s.n`: 1, 2, 3; `s.name`: atlas, blaze, cyra).
    pub example: &'static str,
    /// What `SELECT <example> FROM S3Object s LIMIT 1` answers, as CSV.
    pub answer: &'static str,
}

#[derive(Debug)]
pub struct Signature {
    /// The name as messages spell it; SQL matches it ignoring case.
    pub name: &'static str,
    /// How many arguments a plain call takes (`usize::MAX`: no upper bound). CAST and EXTRACT
    /// are never plain calls: theirs is the one value their own syntax takes.
    pub min_args: usize,
    pub max_args: usize,
    pub form: Form,
    pub doc: Doc,
}

impl Signature {
    pub fn takes(&self, count: usize) -> bool {
        (self.min_args..=self.max_args).contains(&count)
    }
}

const fn sig(
    name: &'static str,
    min_args: usize,
    max_args: usize,
    form: Form,
    doc: Doc,
) -> Signature {
    Signature {
        name,
        min_args,
        max_args,
        form,
        doc,
    }
}

const fn doc(
    usage: &'static str,
    about: &'static str,
    example: &'static str,
    answer: &'static str,
) -> Doc {
    Doc {
        usage,
        about,
        example,
        answer,
    }
}

/// Every function S3 Select has. The first entry for an AST function names it in messages
/// (CHAR_LENGTH, not CHARACTER_LENGTH).
pub static FUNCTIONS: &[Signature] = &[
    sig(
        "AVG",
        1, 1, Form::Aggregate(Aggregate::Avg),
        doc(
            "AVG(number)",
            "The mean of the values, leaving out NULL and MISSING.",
            "AVG(CAST(s.n AS INT))",
            "2.0",
        ),
    ),
    sig(
        "COUNT",
        1, 1, Form::Aggregate(Aggregate::Count),
        doc(
            "COUNT(*) or COUNT(value)",
            "How many records, or how many values are not NULL or MISSING.",
            "COUNT(*)",
            "3",
        ),
    ),
    sig(
        "MAX",
        1, 1, Form::Aggregate(Aggregate::Max),
        doc(
            "MAX(value)",
            "The largest value.",
            "MAX(CAST(s.n AS INT))",
            "3",
        ),
    ),
    sig(
        "MIN",
        1, 1, Form::Aggregate(Aggregate::Min),
        doc(
            "MIN(value)",
            "The smallest value.",
            "MIN(s.name)",
            "atlas",
        ),
    ),
    sig(
        "SUM",
        1, 1, Form::Aggregate(Aggregate::Sum),
        doc(
            "SUM(number)",
            "The total of the values.",
            "SUM(CAST(s.n AS INT))",
            "6",
        ),
    ),
    sig(
        "CAST",
        1, 1, Form::Cast,
        doc(
            "CAST(value AS type)",
            "Converts to INT, FLOAT, DECIMAL, STRING, BOOL or TIMESTAMP: CSV fields are strings until cast.",
            "CAST('41' AS INT) + 1",
            "42",
        ),
    ),
    sig(
        "CHAR_LENGTH",
        1, 1, Form::Scalar(Function::CharLength),
        doc(
            "CHAR_LENGTH(string)",
            "The number of characters.",
            "CHAR_LENGTH('dragon')",
            "6",
        ),
    ),
    sig(
        "CHARACTER_LENGTH",
        1, 1, Form::Scalar(Function::CharLength),
        doc(
            "CHARACTER_LENGTH(string)",
            "The number of characters (as CHAR_LENGTH).",
            "CHARACTER_LENGTH('wyvern')",
            "6",
        ),
    ),
    sig(
        "LOWER",
        1, 1, Form::Scalar(Function::Lower),
        doc(
            "LOWER(string)",
            "The string in lower case.",
            "LOWER('ATLAS')",
            "atlas",
        ),
    ),
    sig(
        "UPPER",
        1, 1, Form::Scalar(Function::Upper),
        doc(
            "UPPER(string)",
            "The string in upper case.",
            "UPPER(s.name)",
            "ATLAS",
        ),
    ),
    sig(
        "SUBSTRING",
        2, 3, Form::Scalar(Function::Substring),
        doc(
            "SUBSTRING(string, start [, length]) or SUBSTRING(string FROM start [FOR length])",
            "Part of a string; its first character is at 1.",
            "SUBSTRING('dragon', 2, 3)",
            "rag",
        ),
    ),
    sig(
        "TRIM",
        1, 1, Form::Scalar(Function::Trim(TrimSide::Both)),
        doc(
            "TRIM([LEADING | TRAILING | BOTH [characters] FROM] string)",
            "Removes spaces, or the given characters, from the ends.",
            "TRIM(LEADING '-' FROM '--wing')",
            "wing",
        ),
    ),
    sig(
        "COALESCE",
        1, usize::MAX, Form::Scalar(Function::Coalesce),
        doc(
            "COALESCE(value, value, …)",
            "The first value that is not NULL or MISSING.",
            "COALESCE(NULLIF(s.name, 'atlas'), 'none')",
            "none",
        ),
    ),
    sig(
        "NULLIF",
        2, 2, Form::Scalar(Function::NullIf),
        doc(
            "NULLIF(value1, value2)",
            "NULL when the two are equal, else the first.",
            "NULLIF(s.name, 'blaze')",
            "atlas",
        ),
    ),
    sig(
        "DATE_ADD",
        3, 3, Form::DatePartFirst(Function::DateAdd),
        doc(
            "DATE_ADD(part, quantity, timestamp)",
            "Adds years, months, days, hours, minutes or seconds to a timestamp.",
            "DATE_ADD(day, 1, `2024-02-28T`)",
            "2024-02-29T",
        ),
    ),
    sig(
        "DATE_DIFF",
        3, 3, Form::DatePartFirst(Function::DateDiff),
        doc(
            "DATE_DIFF(part, timestamp1, timestamp2)",
            "How many whole parts (years, days, …) from the first timestamp to the second.",
            "DATE_DIFF(year, `2010-06-01T`, `2024-05-31T`)",
            "13",
        ),
    ),
    sig(
        "EXTRACT",
        1, 1, Form::Extract,
        doc(
            "EXTRACT(part FROM timestamp)",
            "One part of a timestamp: YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, TIMEZONE_HOUR or TIMEZONE_MINUTE.",
            "EXTRACT(MONTH FROM `2024-03-01T`)",
            "3",
        ),
    ),
    sig(
        "TO_STRING",
        2, 2, Form::Scalar(Function::ToString),
        doc(
            "TO_STRING(timestamp, pattern)",
            "A timestamp written with a pattern (yyyy, MM, dd, HH, mm, ss, …).",
            "TO_STRING(`2024-03-01T`, 'dd/MM/yyyy')",
            "01/03/2024",
        ),
    ),
    sig(
        "TO_TIMESTAMP",
        1, 2, Form::Scalar(Function::ToTimestamp),
        doc(
            "TO_TIMESTAMP(string [, pattern])",
            "Reads a timestamp from a string (ISO 8601, or the pattern's format).",
            "TO_TIMESTAMP('2024-03-01T')",
            "2024-03-01T",
        ),
    ),
    sig(
        "UTCNOW",
        0, 0, Form::Scalar(Function::UtcNow),
        doc(
            "UTCNOW()",
            "The time now, in UTC.",
            "EXTRACT(YEAR FROM UTCNOW()) >= 2024",
            "true",
        ),
    ),
];

/// The function a call names, ignoring case.
pub fn lookup(name: &str) -> Option<&'static Signature> {
    FUNCTIONS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

impl Function {
    /// The name messages use (any date part or TRIM side).
    pub fn name(self) -> &'static str {
        FUNCTIONS
            .iter()
            .find(|s| {
                s.form
                    .function()
                    .is_some_and(|f| discriminant(&f) == discriminant(&self))
            })
            .map_or("the function", |s| s.name)
    }
}

impl Aggregate {
    /// The name messages use.
    pub fn name(self) -> &'static str {
        FUNCTIONS
            .iter()
            .find(|s| matches!(s.form, Form::Aggregate(a) if a == self))
            .map_or("the aggregate", |s| s.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_and_aggregate_has_its_name() {
        let part = DatePart::Day;
        for (f, name) in [
            (Function::CharLength, "CHAR_LENGTH"),
            (Function::Lower, "LOWER"),
            (Function::Upper, "UPPER"),
            (Function::Substring, "SUBSTRING"),
            (Function::Trim(TrimSide::Leading), "TRIM"),
            (Function::Coalesce, "COALESCE"),
            (Function::NullIf, "NULLIF"),
            (Function::DateAdd(part), "DATE_ADD"),
            (Function::DateDiff(part), "DATE_DIFF"),
            (Function::Extract(part), "EXTRACT"),
            (Function::ToString, "TO_STRING"),
            (Function::ToTimestamp, "TO_TIMESTAMP"),
            (Function::UtcNow, "UTCNOW"),
        ] {
            assert_eq!(f.name(), name);
        }
        for (a, name) in [
            (Aggregate::Avg, "AVG"),
            (Aggregate::Count, "COUNT"),
            (Aggregate::Max, "MAX"),
            (Aggregate::Min, "MIN"),
            (Aggregate::Sum, "SUM"),
        ] {
            assert_eq!(a.name(), name);
        }
    }

    #[test]
    fn every_documented_example_answers_as_documented() {
        use crate::{run_to_end, InputSerialization, OutputSerialization, Query, QueryOptions};
        let options = QueryOptions {
            input: InputSerialization::from_json(r#"{"CSV":{"FileHeaderInfo":"USE"}}"#).unwrap(),
            output: OutputSerialization::from_json(r#"{"CSV":{}}"#).unwrap(),
            scan_range: None,
            now: crate::Timestamp::from_unix_millis(1_767_225_600_000),
        };
        for f in FUNCTIONS {
            let d = f.doc;
            assert!(
                d.usage.starts_with(f.name) && d.about.ends_with('.'),
                "{}",
                f.name
            );
            let sql = format!("SELECT {} FROM S3Object s LIMIT 1", d.example);
            let query =
                Query::compile(&sql, options.clone()).unwrap_or_else(|e| panic!("{}: {e}", f.name));
            let (out, _) = run_to_end(&query, b"n,name\n1,atlas\n2,blaze\n3,cyra\n", 64).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("{}\n", d.answer),
                "{}",
                f.name
            );
            let called = d.example.to_ascii_uppercase();
            assert!(
                called.contains(&format!("{}(", f.name)),
                "{}'s example calls it",
                f.name
            );
        }
    }

    #[test]
    fn names_are_unique_and_aggregates_take_one_argument() {
        for (i, s) in FUNCTIONS.iter().enumerate() {
            assert!(lookup(&s.name.to_ascii_lowercase()).is_some_and(|t| std::ptr::eq(s, t)));
            assert!(FUNCTIONS[..i].iter().all(|t| t.name != s.name));
            if matches!(s.form, Form::Aggregate(_)) {
                assert!(s.min_args == 1 && s.max_args == 1, "{}", s.name);
            }
        }
        assert!(lookup("nope").is_none());
    }
}
