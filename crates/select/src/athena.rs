//! S3 Select SQL → Amazon Athena SQL (Trino's dialect), for the same question over a table made
//! for the object: the query is parsed with the engine's own parser and its AST printed again in
//! Trino's words. What the two dialects do differently is said in [`Translation::notes`], so the
//! learner sees it beside the two queries.
//!
//! The table has the object's records as rows and their fields as columns (what the instructor
//! kit's Glue tables define). `FROM S3Object s` and `FROM S3Object[*] s` read those records from
//! CSV and JSON Lines; from a JSON document (an array of records) `FROM S3Object[*][*] s` or
//! `FROM S3Object[*] s` does, while `FROM S3Object s` is the whole document, which a table of
//! its records cannot give.

use crate::error::{ErrorCode, Result, SelectError};
use crate::serialization::{InputFormat, JsonType};
use crate::sql::ast::{
    Aggregate, BinaryOp, CastType, Expr, From, Function, IsTest, Name, PathStep, Projection, Query,
    TrimSide, UnaryOp,
};
use crate::timestamp::{DatePart, Timestamp};
use crate::value::Value;

/// A translated query and what the learner should know about the difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub sql: String,
    /// One line per difference the query meets (none for a query both read alike).
    pub notes: Vec<&'static str>,
}

const MISSING_IS_NULL: &str =
    "Athena has no MISSING: a field absent from a record is NULL there, so IS MISSING becomes IS NULL.";
const ONE_BASED: &str =
    "Athena counts array elements from 1 (S3 Select from 0); element_at gives NULL past the end, as S3 Select gives MISSING.";
const ISO_TIMESTAMPS: &str =
    "Athena reads ISO 8601 text as a timestamp with from_iso8601_timestamp (CAST to TIMESTAMP wants 'YYYY-MM-DD HH:MM:SS').";
const NOW: &str = "UTCNOW() is current_timestamp AT TIME ZONE 'UTC' in Athena.";
const FORMAT_PATTERNS: &str =
    "TO_STRING's pattern letters are Java's; Athena's format_datetime reads Joda-Time patterns, which agree on the common letters (y, M, d, H, m, s).";
const ROUNDING: &str =
    "CAST(… AS INT) drops a fraction in S3 Select (2.7 gives 2); Athena's CAST(… AS BIGINT) rounds it (2.7 gives 3).";
const TRUTH_TESTS: &str =
    "Athena has no IS TRUE / IS FALSE: they become comparisons that treat NULL as not true.";

/// Translates `sql`, as it reads an object of `format`, for a table named `table` (quoted if it
/// must be) that holds the object's records.
pub fn translate(sql: &str, table: &str, format: &InputFormat) -> Result<Translation> {
    let query = crate::sql::parse(sql)?;
    let mut t = Printer {
        out: String::new(),
        notes: Vec::new(),
        csv: matches!(format, InputFormat::Csv(_)),
    };
    let document = *format == InputFormat::Json(JsonType::Document);
    t.query(&query, table, document)?;
    Ok(Translation {
        sql: t.out,
        notes: t.notes,
    })
}

/// `what` has no translation here: said so, with what to do.
fn unsupported(what: &str) -> SelectError {
    SelectError::new(
        ErrorCode::UnsupportedSyntax,
        format!("{what} has no Athena translation in Wyvern; write the Athena query by hand."),
    )
}

struct Printer {
    out: String,
    notes: Vec<&'static str>,
    /// CSV input, where `_1`, `_2`, … name columns by position.
    csv: bool,
}

/// Binding strength, loosest first: a child looser than its parent is parenthesized.
fn strength(e: &Expr) -> u8 {
    match e {
        Expr::Binary(BinaryOp::Or, ..) => 1,
        Expr::Binary(BinaryOp::And, ..) => 2,
        // `x IS NOT TRUE` is printed `NOT coalesce(…)`, `x IS TRUE` a call.
        Expr::Unary(UnaryOp::Not, _)
        | Expr::Is {
            test: IsTest::True | IsTest::False,
            negated: true,
            ..
        } => 3,
        Expr::Binary(
            BinaryOp::Eq
            | BinaryOp::NotEq
            | BinaryOp::Lt
            | BinaryOp::LtEq
            | BinaryOp::Gt
            | BinaryOp::GtEq,
            ..,
        )
        | Expr::Is {
            test: IsTest::Null | IsTest::Missing,
            ..
        }
        | Expr::Between { .. }
        | Expr::InList { .. }
        | Expr::Like { .. } => 4,
        Expr::Binary(BinaryOp::Concat, ..) => 5,
        Expr::Binary(BinaryOp::Add | BinaryOp::Sub, ..) => 6,
        Expr::Binary(BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod, ..) => 7,
        Expr::Unary(..) => 8,
        _ => 9,
    }
}

fn operator(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Eq => "=",
        BinaryOp::NotEq => "<>",
        BinaryOp::Lt => "<",
        BinaryOp::LtEq => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::GtEq => ">=",
        BinaryOp::And => "AND",
        BinaryOp::Or => "OR",
        BinaryOp::Concat => "||",
    }
}

fn part_name(part: DatePart) -> &'static str {
    match part {
        DatePart::Year => "year",
        DatePart::Month => "month",
        DatePart::Day => "day",
        DatePart::Hour => "hour",
        DatePart::Minute => "minute",
        DatePart::Second => "second",
        DatePart::TimezoneHour => "timezone_hour",
        DatePart::TimezoneMinute => "timezone_minute",
    }
}

/// A name as Trino reads it: unquoted when it is a plain lower-case-insensitive identifier.
fn identifier(name: &str, quoted: bool) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain && !quoted {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// A timestamp as from_iso8601_timestamp reads it: the full date and time, its fraction, and
/// its offset (`Z` for UTC and for S3 Select's unknown offset, which it reads as UTC).
fn iso8601(t: &Timestamp) -> String {
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    );
    if t.nanos > 0 {
        text += format!(".{:09}", t.nanos).trim_end_matches('0');
    }
    match t.offset {
        None | Some(0) => text.push('Z'),
        Some(m) => {
            let sign = if m < 0 { '-' } else { '+' };
            text += &format!("{sign}{:02}:{:02}", m.abs() / 60, m.abs() % 60);
        }
    }
    text
}

fn string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl Printer {
    fn note(&mut self, note: &'static str) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn query(&mut self, q: &Query, table: &str, document: bool) -> Result<()> {
        self.push("SELECT ");
        match &q.projection {
            Projection::Star => self.push("*"),
            Projection::Items(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.expr(&item.expr, 0)?;
                    if let Some(alias) = &item.alias {
                        self.push(" AS ");
                        self.push(&identifier(alias, false));
                    }
                }
            }
        }
        self.push("\nFROM ");
        self.from(&q.from, table, document)?;
        if let Some(w) = &q.selection {
            self.push("\nWHERE ");
            self.expr(w, 0)?;
        }
        if let Some(n) = q.limit {
            self.push(&format!("\nLIMIT {n}"));
        }
        Ok(())
    }

    fn from(&mut self, from: &From, table: &str, document: bool) -> Result<()> {
        if from.path.len() > 2 || from.path.iter().any(|s| *s != PathStep::Wildcard) {
            return Err(unsupported("A FROM clause with a path into the object"));
        }
        if document && from.path.is_empty() {
            return Err(SelectError::new(
                ErrorCode::UnsupportedSyntax,
                "FROM S3Object reads the whole JSON document as one record, and an Athena table holds its records: FROM S3Object[*][*] s reads them.",
            ));
        }
        self.push(&identifier(table, false));
        if let Some(alias) = &from.alias {
            self.push(" ");
            self.push(&identifier(&alias.text, alias.quoted));
        }
        Ok(())
    }

    /// `e`, parenthesized when it binds more loosely than `parent` (0: no parent).
    fn expr(&mut self, e: &Expr, parent: u8) -> Result<()> {
        let own = strength(e);
        let wrap = own < parent;
        if wrap {
            self.push("(");
        }
        self.bare(e, own)?;
        if wrap {
            self.push(")");
        }
        Ok(())
    }

    fn list(&mut self, items: &[Expr]) -> Result<()> {
        for (i, e) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(e, 0)?;
        }
        Ok(())
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Result<()> {
        self.push(name);
        self.push("(");
        self.list(args)?;
        self.push(")");
        Ok(())
    }

    fn bare(&mut self, e: &Expr, own: u8) -> Result<()> {
        match e {
            Expr::Literal(v) => self.literal(v)?,
            Expr::Path { root, steps, .. } => self.path(root, steps)?,
            Expr::Unary(op, inner) => {
                self.push(match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Plus => "+",
                    UnaryOp::Not => "NOT ",
                });
                let at = self.out.len();
                self.expr(inner, own + 1)?;
                // `- -1` written `--1` would be a comment in Trino: the operand is parenthesized.
                if *op != UnaryOp::Not && matches!(self.out[at..].chars().next(), Some('-' | '+')) {
                    self.out.insert(at, '(');
                    self.push(")");
                }
            }
            Expr::Binary(op, a, b) => {
                // Comparisons do not chain: an equally strong left operand keeps its parentheses.
                self.expr(a, if own == 4 { own + 1 } else { own })?;
                self.push(&format!(" {} ", operator(*op)));
                // Left-associative: an equally strong right operand keeps its parentheses.
                self.expr(b, own + 1)?;
            }
            Expr::Is {
                expr,
                test,
                negated,
            } => self.is(expr, *test, *negated, own)?,
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => {
                self.expr(expr, own + 1)?;
                self.push(if *negated {
                    " NOT BETWEEN "
                } else {
                    " BETWEEN "
                });
                self.expr(low, own + 1)?;
                self.push(" AND ");
                self.expr(high, own + 1)?;
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                self.expr(expr, own + 1)?;
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                self.list(list)?;
                self.push(")");
            }
            Expr::Like {
                expr,
                pattern,
                escape,
                negated,
                ..
            } => {
                self.expr(expr, own + 1)?;
                self.push(if *negated { " NOT LIKE " } else { " LIKE " });
                self.expr(pattern, own + 1)?;
                if let Some(esc) = escape {
                    self.push(" ESCAPE ");
                    self.expr(esc, own + 1)?;
                }
            }
            Expr::Case {
                operand,
                whens,
                otherwise,
            } => {
                self.push("CASE");
                if let Some(o) = operand {
                    self.push(" ");
                    self.expr(o, 0)?;
                }
                for (when, then) in whens {
                    self.push(" WHEN ");
                    self.expr(when, 0)?;
                    self.push(" THEN ");
                    self.expr(then, 0)?;
                }
                if let Some(o) = otherwise {
                    self.push(" ELSE ");
                    self.expr(o, 0)?;
                }
                self.push(" END");
            }
            Expr::Cast { expr, to, .. } => self.cast(expr, *to)?,
            Expr::Call { function, args, .. } => self.function(*function, args)?,
            Expr::Aggregate { function, arg, .. } => {
                self.push(match function {
                    Aggregate::Avg => "avg(",
                    Aggregate::Count => "count(",
                    Aggregate::Max => "max(",
                    Aggregate::Min => "min(",
                    Aggregate::Sum => "sum(",
                });
                match arg {
                    Some(a) => self.expr(a, 0)?,
                    None => self.push("*"),
                }
                self.push(")");
            }
        }
        Ok(())
    }

    fn literal(&mut self, v: &Value) -> Result<()> {
        let text = match v {
            Value::Missing | Value::Null => "NULL".to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Int(i) => i.to_string(),
            // Trino reads `1.5` as DECIMAL and `1.5e0` as DOUBLE; S3 Select's literals are
            // decimals, so they are written as Trino reads decimals.
            Value::Float(f) => format!("{f:?}"),
            Value::String(s) => string_literal(s),
            Value::Timestamp(t) => {
                self.note(ISO_TIMESTAMPS);
                format!("from_iso8601_timestamp({})", string_literal(&iso8601(t)))
            }
            Value::List(_) | Value::Struct(_) => {
                return Err(unsupported("a list or struct literal"))
            }
        };
        self.push(&text);
        Ok(())
    }

    /// `s.a.b[0]`: fields as Trino's row fields, indexes with `element_at` (1-based).
    fn path(&mut self, root: &Name, steps: &[PathStep]) -> Result<()> {
        // `s._2` or `_2`: the position, in CSV; the table names its columns instead.
        let positional = |n: &Name| {
            !n.quoted
                && n.text.len() > 1
                && n.text.starts_with('_')
                && n.text[1..].bytes().all(|b| b.is_ascii_digit())
        };
        let column = match steps.first() {
            Some(PathStep::Field(f)) => f,
            _ => root,
        };
        if self.csv && (positional(root) || positional(column)) {
            return Err(SelectError::new(
                ErrorCode::UnsupportedSyntax,
                "An Athena table names a CSV's columns: write the column's name where S3 Select takes its position (_1, _2, …).",
            ));
        }
        let mut text = identifier(&root.text, root.quoted);
        for step in steps {
            text = match step {
                PathStep::Field(name) => format!("{text}.{}", identifier(&name.text, name.quoted)),
                PathStep::Index(i) => {
                    self.note(ONE_BASED);
                    format!("element_at({text}, {})", i.saturating_add(1))
                }
                PathStep::Wildcard => return Err(unsupported("A [*] or .* path in a SELECT list")),
            };
        }
        self.push(&text);
        Ok(())
    }

    fn is(&mut self, e: &Expr, test: IsTest, negated: bool, own: u8) -> Result<()> {
        match test {
            IsTest::Null | IsTest::Missing => {
                if test == IsTest::Missing {
                    self.note(MISSING_IS_NULL);
                }
                self.expr(e, own + 1)?;
                self.push(if negated { " IS NOT NULL" } else { " IS NULL" });
            }
            IsTest::True | IsTest::False => {
                // `x IS TRUE` is true only for TRUE, never NULL: coalesce(x = TRUE, FALSE).
                self.note(TRUTH_TESTS);
                if negated {
                    self.push("NOT ");
                }
                self.push("coalesce(");
                self.expr(e, 5)?;
                self.push(if test == IsTest::True {
                    " = TRUE, FALSE)"
                } else {
                    " = FALSE, FALSE)"
                });
            }
        }
        Ok(())
    }

    /// S3 Select's SUBSTRING counts a start below 1 as positions before the string (the length
    /// still counting from there); Trino's substr counts it from the end. A start that is a
    /// literal from 1 up reads alike; any other is carried over with S3 Select's rule.
    fn substring(&mut self, args: &[Expr]) -> Result<()> {
        let (Some(text), Some(start)) = (args.first(), args.get(1)) else {
            return self.call("substr", args);
        };
        if matches!(start, Expr::Literal(Value::Int(n)) if *n >= 1) {
            return self.call("substr", args);
        }
        self.push("substr(");
        self.expr(text, 0)?;
        self.push(", greatest(");
        self.expr(start, 0)?;
        self.push(", 1)");
        if let Some(len) = args.get(2) {
            self.push(", greatest(least(");
            self.expr(start, 0)?;
            self.push(", 1) + ");
            self.expr(len, 7)?;
            self.push(" - 1, 0)");
        }
        self.push(")");
        Ok(())
    }

    fn cast(&mut self, e: &Expr, to: CastType) -> Result<()> {
        if to == CastType::Timestamp {
            self.note(ISO_TIMESTAMPS);
            return self.call("from_iso8601_timestamp", std::slice::from_ref(e));
        }
        if to == CastType::Int {
            self.note(ROUNDING);
        }
        self.push("CAST(");
        self.expr(e, 0)?;
        self.push(match to {
            CastType::Bool => " AS BOOLEAN)",
            CastType::Int => " AS BIGINT)",
            CastType::Float => " AS DOUBLE)",
            CastType::Decimal => " AS DECIMAL(38, 9))",
            CastType::String => " AS VARCHAR)",
            CastType::Timestamp => " AS TIMESTAMP)",
        });
        Ok(())
    }

    fn function(&mut self, f: Function, args: &[Expr]) -> Result<()> {
        match f {
            Function::CharLength => self.call("length", args),
            Function::Lower => self.call("lower", args),
            Function::Upper => self.call("upper", args),
            Function::Substring => self.substring(args),
            Function::Coalesce => self.call("coalesce", args),
            Function::NullIf => self.call("nullif", args),
            Function::Trim(side) => {
                self.push("trim(");
                self.push(match side {
                    TrimSide::Leading => "LEADING ",
                    TrimSide::Trailing => "TRAILING ",
                    TrimSide::Both => "BOTH ",
                });
                if let Some(chars) = args.get(1) {
                    self.expr(chars, 0)?;
                    self.push(" ");
                }
                self.push("FROM ");
                if let Some(operand) = args.first() {
                    self.expr(operand, 0)?;
                }
                self.push(")");
                Ok(())
            }
            Function::DateAdd(part) | Function::DateDiff(part) => {
                let name = if matches!(f, Function::DateAdd(_)) {
                    "date_add"
                } else {
                    "date_diff"
                };
                self.push(&format!("{name}('{}', ", part_name(part)));
                self.list(args)?;
                self.push(")");
                Ok(())
            }
            Function::Extract(part) => {
                self.push(&format!("extract({} FROM ", part_name(part).to_uppercase()));
                self.list(args)?;
                self.push(")");
                Ok(())
            }
            Function::ToString => {
                self.note(FORMAT_PATTERNS);
                self.call("format_datetime", args)
            }
            Function::ToTimestamp => {
                self.note(ISO_TIMESTAMPS);
                self.call("from_iso8601_timestamp", args)
            }
            Function::UtcNow => {
                self.note(NOW);
                self.push("current_timestamp AT TIME ZONE 'UTC'");
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::translate;
    use crate::serialization::{CsvInput, InputFormat, JsonType};

    const LINES: InputFormat = InputFormat::Json(JsonType::Lines);
    const DOCUMENT: InputFormat = InputFormat::Json(JsonType::Document);

    fn sql(s3: &str) -> String {
        translate(s3, "dragons", &LINES).unwrap().sql
    }

    #[test]
    fn the_course_query_reads_the_table() {
        assert_eq!(
            translate("select * from s3object[*][*] s", "dragons", &DOCUMENT)
                .unwrap()
                .sql,
            "SELECT *\nFROM dragons s"
        );
        // The whole document is one record in S3 Select, and no row of the table.
        let e = translate("SELECT s[0].name FROM S3Object s", "dragons", &DOCUMENT).unwrap_err();
        assert!(e.message.contains("whole JSON document"), "{e}");
        assert_eq!(
            sql("SELECT * FROM S3Object s WHERE CAST(s.t AS TIMESTAMP) > `2024-01-01T` AND CAST(s.t AS TIMESTAMP) < `2024-06-30T12:30:05.25+02:00`"),
            "SELECT *\nFROM dragons s\nWHERE from_iso8601_timestamp(s.t) > from_iso8601_timestamp('2024-01-01T00:00:00Z') AND from_iso8601_timestamp(s.t) < from_iso8601_timestamp('2024-06-30T12:30:05.25+02:00')"
        );
        assert_eq!(
            sql("SELECT s.dragon_name_str FROM S3Object s WHERE s.family_str = 'red' LIMIT 5"),
            "SELECT s.dragon_name_str\nFROM dragons s\nWHERE s.family_str = 'red'\nLIMIT 5"
        );
    }

    #[test]
    fn casts_and_functions_take_trinos_names() {
        assert_eq!(
            sql("SELECT CAST(s.age AS INT) AS age, CHAR_LENGTH(s.name), SUBSTRING(s.name FROM 2 FOR 3) FROM S3Object s"),
            "SELECT CAST(s.age AS BIGINT) AS age, length(s.name), substr(s.name, 2, 3)\nFROM dragons s"
        );
        assert_eq!(
            sql("SELECT DATE_ADD(day, 3, TO_TIMESTAMP(s.t)), EXTRACT(YEAR FROM UTCNOW()) FROM S3Object s"),
            "SELECT date_add('day', 3, from_iso8601_timestamp(s.t)), extract(YEAR FROM current_timestamp AT TIME ZONE 'UTC')\nFROM dragons s"
        );
        assert_eq!(
            sql("SELECT TRIM(LEADING 'x' FROM s.a), TRIM(s.b) FROM S3Object s"),
            "SELECT trim(LEADING 'x' FROM s.a), trim(BOTH FROM s.b)\nFROM dragons s"
        );
        assert_eq!(
            sql("SELECT COUNT(*), AVG(CAST(s.w AS FLOAT)) FROM S3Object s"),
            "SELECT count(*), avg(CAST(s.w AS DOUBLE))\nFROM dragons s"
        );
    }

    #[test]
    fn precedence_keeps_the_meaning() {
        assert_eq!(
            sql("SELECT (1 + 2) * 3, 1 + 2 * 3, 10 - (4 - 1) FROM S3Object"),
            "SELECT (1 + 2) * 3, 1 + 2 * 3, 10 - (4 - 1)\nFROM dragons"
        );
        assert_eq!(
            sql("SELECT * FROM S3Object s WHERE NOT (s.a = 1 OR s.b = 2) AND s.c LIKE 'x%'"),
            "SELECT *\nFROM dragons s\nWHERE NOT (s.a = 1 OR s.b = 2) AND s.c LIKE 'x%'"
        );
    }

    #[test]
    fn what_differs_is_translated_and_said() {
        let t = translate(
            "SELECT s.tags[0] FROM S3Object s WHERE s.nickname IS MISSING",
            "dragons",
            &LINES,
        )
        .unwrap();
        assert_eq!(
            t.sql,
            "SELECT element_at(s.tags, 1)\nFROM dragons s\nWHERE s.nickname IS NULL"
        );
        assert_eq!(t.notes.len(), 2);
        assert!(t.notes[0].contains("from 1"));
        assert!(t.notes[1].contains("no MISSING"));
        assert!(translate("SELECT 1 FROM S3Object", "t", &LINES)
            .unwrap()
            .notes
            .is_empty());
        assert_eq!(
            sql("SELECT s.\"Quoted Name\", s._1 FROM S3Object s WHERE s.ok IS NOT TRUE"),
            "SELECT s.\"Quoted Name\", s.\"_1\"\nFROM dragons s\nWHERE NOT coalesce(s.ok = TRUE, FALSE)"
        );
        assert_eq!(
            sql("SELECT 'it''s' FROM S3Object"),
            "SELECT 'it''s'\nFROM dragons"
        );
    }

    #[test]
    fn signs_substrings_and_chained_tests_keep_their_meaning() {
        // `--1` would be a comment in Trino.
        assert_eq!(
            sql("SELECT -(-1), - -s.a FROM S3Object s"),
            "SELECT -(-1), -(-s.a)\nFROM dragons s"
        );
        assert_eq!(
            sql("SELECT SUBSTRING(s.a, 2, 3), SUBSTRING(s.a, 0, 4), SUBSTRING(s.a FROM s.n) FROM S3Object s"),
            "SELECT substr(s.a, 2, 3), substr(s.a, greatest(0, 1), greatest(least(0, 1) + 4 - 1, 0)), substr(s.a, greatest(s.n, 1))\nFROM dragons s"
        );
        assert_eq!(
            sql("SELECT * FROM S3Object s WHERE (s.a = s.b) = s.c AND (s.ok IS NOT TRUE) = s.d"),
            "SELECT *\nFROM dragons s\nWHERE (s.a = s.b) = s.c AND (NOT coalesce(s.ok = TRUE, FALSE)) = s.d"
        );
    }

    #[test]
    fn what_athena_cannot_say_is_an_error_not_a_guess() {
        let e = translate("SELECT * FROM S3Object[*].dragons[*] d", "t", &DOCUMENT).unwrap_err();
        assert!(e.message.contains("FROM clause with a path"), "{e}");
        assert!(e.message.contains("write the Athena query by hand"), "{e}");
        let e = translate("SELECT s.tags[*] FROM S3Object s", "t", &LINES).unwrap_err();
        assert!(e.message.contains("[*]"), "{e}");
        // The engine's own errors come through unchanged.
        let e = translate("SELECT FROM", "t", &LINES).unwrap_err();
        assert!(e.code.as_str().starts_with("Parse"), "{e}");
        // CSV columns by position: the table has names instead.
        let csv = InputFormat::Csv(CsvInput::default());
        for positional in ["SELECT _1 FROM S3Object", "SELECT s._2 FROM S3Object s"] {
            let e = translate(positional, "t", &csv).unwrap_err();
            assert!(e.message.contains("names a CSV's columns"), "{e}");
        }
        // A JSON field named `_1` is only a name.
        assert_eq!(
            sql("SELECT s._1 FROM S3Object s"),
            "SELECT s.\"_1\"\nFROM dragons s"
        );
    }
}
