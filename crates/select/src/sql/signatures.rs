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

#[derive(Debug)]
pub struct Signature {
    /// The name as messages spell it; SQL matches it ignoring case.
    pub name: &'static str,
    /// How many arguments a plain call takes (`usize::MAX`: no upper bound). CAST and EXTRACT
    /// are never plain calls: theirs is the one value their own syntax takes.
    pub min_args: usize,
    pub max_args: usize,
    pub form: Form,
}

impl Signature {
    pub fn takes(&self, count: usize) -> bool {
        (self.min_args..=self.max_args).contains(&count)
    }
}

const fn sig(name: &'static str, min_args: usize, max_args: usize, form: Form) -> Signature {
    Signature {
        name,
        min_args,
        max_args,
        form,
    }
}

/// Every function S3 Select has. The first entry for an AST function names it in messages
/// (CHAR_LENGTH, not CHARACTER_LENGTH).
pub static FUNCTIONS: &[Signature] = &[
    sig("AVG", 1, 1, Form::Aggregate(Aggregate::Avg)),
    sig("COUNT", 1, 1, Form::Aggregate(Aggregate::Count)),
    sig("MAX", 1, 1, Form::Aggregate(Aggregate::Max)),
    sig("MIN", 1, 1, Form::Aggregate(Aggregate::Min)),
    sig("SUM", 1, 1, Form::Aggregate(Aggregate::Sum)),
    sig("CAST", 1, 1, Form::Cast),
    sig("CHAR_LENGTH", 1, 1, Form::Scalar(Function::CharLength)),
    sig("CHARACTER_LENGTH", 1, 1, Form::Scalar(Function::CharLength)),
    sig("LOWER", 1, 1, Form::Scalar(Function::Lower)),
    sig("UPPER", 1, 1, Form::Scalar(Function::Upper)),
    sig("SUBSTRING", 2, 3, Form::Scalar(Function::Substring)),
    sig("TRIM", 1, 1, Form::Scalar(Function::Trim(TrimSide::Both))),
    sig("COALESCE", 1, usize::MAX, Form::Scalar(Function::Coalesce)),
    sig("NULLIF", 2, 2, Form::Scalar(Function::NullIf)),
    sig("DATE_ADD", 3, 3, Form::DatePartFirst(Function::DateAdd)),
    sig("DATE_DIFF", 3, 3, Form::DatePartFirst(Function::DateDiff)),
    sig("EXTRACT", 1, 1, Form::Extract),
    sig("TO_STRING", 2, 2, Form::Scalar(Function::ToString)),
    sig("TO_TIMESTAMP", 1, 2, Form::Scalar(Function::ToTimestamp)),
    sig("UTCNOW", 0, 0, Form::Scalar(Function::UtcNow)),
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
