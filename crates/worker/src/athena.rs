//! A query in Athena's SQL (crates/select's `athena`), for the table of the object the run's
//! input settings read.

use wyvern_protocol::engine::{AthenaTranslation, EngineError};
use wyvern_select::InputSerialization;

/// `sql` for a table named `table` of the object `input` (InputSerialization, JSON text)
/// reads; an error in either is the engine's, as a run would report it.
pub fn translate(sql: &str, table: &str, input: &str) -> Result<AthenaTranslation, EngineError> {
    let input = InputSerialization::from_json(input).map_err(|e| crate::engine_error(&e))?;
    let t = wyvern_select::athena::translate(sql, table, &input.format)
        .map_err(|e| crate::engine_error(&e))?;
    Ok(AthenaTranslation {
        sql: t.sql,
        notes: t.notes.into_iter().map(String::from).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::translate;

    const CSV: &str = r#"{"CSV":{"FileHeaderInfo":"USE"}}"#;

    #[test]
    fn translates_for_the_input_format() {
        let t = translate("SELECT s.name FROM S3Object s", "dragons", CSV).unwrap();
        assert!(t.sql.contains("dragons"), "{}", t.sql);
    }

    #[test]
    fn errors_are_the_engines() {
        let e = translate("SELECT FROM", "dragons", CSV).unwrap_err();
        assert!(!e.code.is_empty() && !e.message.is_empty(), "{e:?}");
        assert!(e.line > 0 && e.column > 0, "{e:?}");
        assert!(!e.advice.is_empty(), "{e:?}");
        let e = translate("SELECT * FROM S3Object", "dragons", "{").unwrap_err();
        assert!(!e.code.is_empty(), "{e:?}");
    }
}
