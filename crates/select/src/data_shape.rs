//! The data's shape, for the editor's "Data shape" panel: the fields and nested paths that a
//! query's FROM clause yields in a sample of records, the types seen at each, and how often a
//! path is MISSING or NULL. The sample is read by the engine itself: [`sample_sql`] turns the
//! learner's query into `SELECT * FROM <its FROM clause> LIMIT n`, the page's worker runs it
//! with JSON output, and [`shape_of`] reads those records. So a path is written as the
//! learner's query would reach it (`s.location.city`, `s.tags[*]`).

use crate::input::json::parse_value;
use crate::value::Value;
use wyvern_lexer::from::{alias, from_clause};
use wyvern_lexer::is_reserved;

/// Records sampled.
pub const SAMPLE_RECORDS: usize = 200;
/// Paths listed at most (a wide or deeply varied sample is cut, and says so).
pub const MAX_PATHS: usize = 200;
/// Nesting followed at most.
const MAX_DEPTH: usize = 8;

/// One path and what the sample held there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathShape {
    /// As a query names it, with the FROM clause's alias (`s.a.b`, `s.list[*].x`).
    pub path: String,
    /// Each type seen (`string`, `int`, `float`, `bool`, `struct`, `list`) and how often,
    /// in the order first seen.
    pub types: Vec<(&'static str, u32)>,
    /// Records in which the path is not there at all.
    pub missing: u32,
    /// Values that are NULL.
    pub null: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DataShape {
    pub records: u32,
    pub paths: Vec<PathShape>,
    /// More paths than [`MAX_PATHS`] were seen.
    pub truncated: bool,
}

/// The query that samples what `sql`'s FROM clause yields (`S3Object` when it has none yet).
pub fn sample_sql(sql: &str) -> String {
    let from = from_clause(sql).unwrap_or_else(|| "S3Object".into());
    format!("SELECT * FROM {from} LIMIT {SAMPLE_RECORDS}")
}

/// A field name as a path step: bare when it can be, else quoted.
fn step(name: &str) -> String {
    let bare = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_reserved(name);
    if bare {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn type_name(v: &Value) -> Option<&'static str> {
    Some(match v {
        Value::Missing | Value::Null => return None,
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Float(_) => "float",
        Value::String(_) => "string",
        Value::Timestamp(_) => "timestamp",
        Value::List(_) => "list",
        Value::Struct(_) => "struct",
    })
}

struct Collector {
    shape: DataShape,
    /// The record each path was last seen in (for its MISSING count).
    seen_in: Vec<u32>,
}

impl Collector {
    fn slot(&mut self, path: &str) -> Option<usize> {
        if let Some(i) = self.shape.paths.iter().position(|p| p.path == path) {
            return Some(i);
        }
        if self.shape.paths.len() >= MAX_PATHS {
            self.shape.truncated = true;
            return None;
        }
        self.shape.paths.push(PathShape {
            path: path.to_string(),
            types: Vec::new(),
            // Records before this one did not have it.
            missing: self.shape.records - 1,
            null: 0,
        });
        self.seen_in.push(0);
        Some(self.shape.paths.len() - 1)
    }

    fn visit(&mut self, path: &str, v: &Value, depth: usize) {
        let Some(i) = self.slot(path) else { return };
        let record = self.shape.records;
        let p = &mut self.shape.paths[i];
        if self.seen_in[i] != record {
            self.seen_in[i] = record;
        }
        match type_name(v) {
            None => p.null += 1,
            Some(t) => match p.types.iter_mut().find(|(name, _)| *name == t) {
                Some((_, n)) => *n += 1,
                None => p.types.push((t, 1)),
            },
        }
        if depth >= MAX_DEPTH {
            return;
        }
        match v {
            Value::Struct(fields) => {
                for (name, value) in fields {
                    self.visit(&format!("{path}.{}", step(name)), value, depth + 1);
                }
            }
            Value::List(items) => {
                let each = format!("{path}[*]");
                for item in items {
                    self.visit(&each, item, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// The shape of the sample's records: each a JSON value (the sample query's JSON output, one
/// record a line), its fields named from `prefix` (the alias and a dot, or nothing). With
/// `unnest`, a record that is a list is read as its elements.
fn collect<'a>(
    records: impl IntoIterator<Item = &'a [u8]>,
    prefix: &str,
    unnest: bool,
) -> DataShape {
    let mut c = Collector {
        shape: DataShape::default(),
        seen_in: Vec::new(),
    };
    for line in records {
        let Ok(value) = parse_value(line) else {
            continue;
        };
        match listed(&value).filter(|_| unnest) {
            Some(items) => {
                for item in items.iter().take(SAMPLE_RECORDS) {
                    c.record(item, prefix);
                }
            }
            None => c.record(&value, prefix),
        }
    }
    c.shape
}

/// The elements of a record that is a list: `SELECT *` writes such a record as `{"_1":[…]}`.
fn listed(record: &Value) -> Option<&[Value]> {
    match record {
        Value::Struct(fields) => match fields.as_slice() {
            [(name, Value::List(items))] if name == "_1" => Some(items),
            _ => None,
        },
        _ => None,
    }
}

impl Collector {
    /// Counts one record and visits its fields.
    fn record(&mut self, value: &Value, prefix: &str) {
        self.shape.records += 1;
        let record = self.shape.records;
        match value {
            Value::Struct(fields) => {
                for (name, v) in fields {
                    self.visit(&format!("{prefix}{}", step(name)), v, 1);
                }
            }
            // `SELECT *` over a list or a scalar: the record itself.
            other => self.visit(prefix.trim_end_matches('.'), other, 1),
        }
        for (p, seen) in self.shape.paths.iter_mut().zip(&self.seen_in) {
            if *seen != record {
                p.missing += 1;
            }
        }
    }
}

/// The shape of the records that [`sample_sql`]`(sql)` output as JSON, one a line. A query
/// with no FROM clause yet is shaped for the one it will most likely get: a JSON document that
/// is a list (`[{…},{…}]`) is read as its elements, as `FROM S3Object[*][*] s` reads it.
pub fn shape_of(sql: &str, output: &[u8]) -> DataShape {
    let from = from_clause(sql);
    let prefix = from
        .as_deref()
        .and_then(alias)
        .map_or(String::new(), |a| format!("{a}."));
    let lines = output
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace));
    collect(lines, &prefix, from.is_none())
}

impl PathShape {
    /// How often the path is absent, as the panel shows it: `MISSING 3 · NULL 1`, or empty.
    pub fn absent_text(&self) -> String {
        let parts: Vec<String> = [("MISSING", self.missing), ("NULL", self.null)]
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(what, n)| format!("{what} {n}"))
            .collect();
        parts.join(" · ")
    }

    /// The types as the panel shows them: `string` alone, or `int 180 · string 20`.
    pub fn types_text(&self) -> String {
        match self.types.as_slice() {
            [] => "null".to_string(),
            [(t, _)] => t.to_string(),
            many => many
                .iter()
                .map(|(t, n)| format!("{t} {n}"))
                .collect::<Vec<_>>()
                .join(" · "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        run_to_end, InputSerialization, OutputSerialization, Query, QueryOptions, Timestamp,
    };

    /// The sample as the worker takes it: the engine runs `sample_sql` with JSON output.
    fn shape(sql: &str, input: &str, data: &str) -> DataShape {
        let options = QueryOptions {
            input: InputSerialization::from_json(input).unwrap(),
            output: OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap(),
            scan_range: None,
            now: Timestamp::from_unix_millis(0),
        };
        let query = Query::compile(&sample_sql(sql), options).unwrap();
        let (out, _) = run_to_end(&query, data.as_bytes(), 7).unwrap();
        shape_of(sql, &out)
    }

    fn find<'a>(s: &'a DataShape, path: &str) -> &'a PathShape {
        s.paths
            .iter()
            .find(|p| p.path == path)
            .unwrap_or_else(|| panic!("{path} not in {:?}", s.paths))
    }

    #[test]
    fn the_from_clause_and_its_alias_are_the_learners() {
        assert_eq!(
            sample_sql("select s.a from S3Object[*].items s where s.a > 1"),
            "SELECT * FROM S3Object[*].items s LIMIT 200"
        );
        assert_eq!(
            sample_sql("SELECT COUNT(*) FROM S3Object"),
            "SELECT * FROM S3Object LIMIT 200"
        );
        assert_eq!(
            sample_sql("SELECT (SELECT 1) FROM S3Object AS d;"),
            "SELECT * FROM S3Object AS d LIMIT 200"
        );
        assert_eq!(
            sample_sql("not sql at all"),
            "SELECT * FROM S3Object LIMIT 200"
        );
    }

    #[test]
    fn csv_with_a_header_names_its_columns_and_without_one_numbers_them() {
        let s = shape(
            "SELECT s.name FROM S3Object s",
            r#"{"CSV":{"FileHeaderInfo":"USE"}}"#,
            "name,wings\nAtlas,2\nBlaze,\n",
        );
        assert_eq!(s.records, 2);
        assert_eq!(
            s.paths.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["s.name", "s.wings"]
        );
        assert_eq!(
            find(&s, "s.wings").types_text(),
            "string",
            "CSV values are strings"
        );
        let s = shape(
            "SELECT * FROM S3Object",
            r#"{"CSV":{"FileHeaderInfo":"NONE"}}"#,
            "a,b\nc,d\n",
        );
        assert_eq!(
            s.paths.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
            ["_1", "_2"]
        );
    }

    #[test]
    fn json_paths_nest_with_types_missing_and_null_counts() {
        let lines = concat!(
            r#"{"name":"Atlas","age":120,"loc":{"city":"anchorage"},"tags":["red","old"]}"#,
            "\n",
            r#"{"name":"Blaze","age":80.5,"loc":{"city":null}}"#,
            "\n",
            r#"{"name":null,"age":"unknown","extra":true}"#,
            "\n",
        );
        let s = shape(
            "SELECT s.name FROM S3Object s",
            r#"{"JSON":{"Type":"LINES"}}"#,
            lines,
        );
        assert_eq!(s.records, 3);
        let name = find(&s, "s.name");
        assert_eq!((name.null, name.missing), (1, 0));
        assert_eq!(find(&s, "s.age").types_text(), "int 1 · float 1 · string 1");
        let city = find(&s, "s.loc.city");
        assert_eq!(
            (city.null, city.missing, city.types_text().as_str()),
            (1, 1, "string")
        );
        let tags = find(&s, "s.tags[*]");
        assert_eq!((tags.missing, tags.types_text().as_str()), (2, "string"));
        assert_eq!(find(&s, "s.tags").types_text(), "list");
        let extra = find(&s, "s.extra");
        assert_eq!((extra.missing, extra.types_text().as_str()), (2, "bool"));
    }

    #[test]
    fn a_document_is_read_through_the_learners_from_path() {
        let doc = r#"{"dragons":[{"name":"Atlas","seen":"2024-01-01"},{"name":"Blaze"}]}"#;
        let s = shape(
            "SELECT d.name FROM S3Object[*].dragons[*] d",
            r#"{"JSON":{"Type":"DOCUMENT"}}"#,
            doc,
        );
        assert_eq!(s.records, 2);
        assert_eq!(find(&s, "d.seen").missing, 1);
        assert_eq!(find(&s, "d.name").missing, 0);
    }

    #[test]
    fn with_no_from_clause_yet_a_list_document_is_read_as_its_elements() {
        let doc = r#"[{"name":"Atlas","loc":{"city":"anchorage"}},{"name":"Blaze"}]"#;
        let document = r#"{"JSON":{"Type":"DOCUMENT"}}"#;
        let s = shape("SELECT s.", document, doc);
        assert_eq!(s.records, 2);
        let paths: Vec<&str> = s.paths.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["name", "loc", "loc.city"]);
        assert_eq!(find(&s, "loc.city").missing, 1);
        // With a FROM clause, the records are what it reads: here the one list.
        let s = shape("SELECT * FROM S3Object s", document, doc);
        assert_eq!(s.records, 1);
        assert_eq!(find(&s, "s._1[*].name").missing, 0);
    }

    #[test]
    fn odd_names_are_quoted_and_wide_samples_are_cut() {
        let s = shape(
            "SELECT * FROM S3Object s",
            r#"{"JSON":{"Type":"LINES"}}"#,
            "{\"first name\":1,\"select\":2,\"ok_1\":3}\n",
        );
        let paths: Vec<&str> = s.paths.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["s.\"first name\"", "s.\"select\"", "s.ok_1"]);
        let wide: String = (0..MAX_PATHS + 10)
            .map(|i| format!("\"f{i}\":{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let s = shape(
            "SELECT * FROM S3Object s",
            r#"{"JSON":{"Type":"LINES"}}"#,
            &format!("{{{wide}}}\n"),
        );
        assert_eq!(s.paths.len(), MAX_PATHS);
        assert!(s.truncated);
    }

    #[test]
    fn deep_nesting_stops_at_its_bound() {
        let deep = format!("{}1{}", "{\"a\":".repeat(40), "}".repeat(40));
        let s = shape(
            "SELECT * FROM S3Object s",
            r#"{"JSON":{"Type":"LINES"}}"#,
            &format!("{deep}\n"),
        );
        assert!(s.paths.len() <= MAX_DEPTH + 1, "{}", s.paths.len());
    }
}
