//! The results table's rows are JSON, one record a line. A run whose own output is JSON lines
//! already writes them: the table is then its first rows, copied as they are posted, so the
//! query reads the input once rather than twice (a second run stops after the table's rows,
//! except for an aggregate, which reads everything).

use wyvern_select::OutputSerialization;

/// The serialization the table reads.
pub fn table_output() -> OutputSerialization {
    OutputSerialization::Json {
        record_delimiter: b"\n".to_vec(),
    }
}

/// Whether output written as `output` is already the table's rows.
pub fn is_table_output(output: &OutputSerialization) -> bool {
    *output == table_output()
}

/// Copies from `raw` (JSON lines: a newline only ends a record, strings escape theirs) into
/// `table` until `wanted` more rows are there or `raw` ends; returns the rows still wanted.
pub fn copy_rows(raw: &[u8], wanted: u64, table: &mut Vec<u8>) -> u64 {
    let mut left = wanted;
    let mut end = 0;
    for newline in memchr::memchr_iter(b'\n', raw) {
        if left == 0 {
            break;
        }
        left -= 1;
        end = newline + 1;
    }
    // A record that goes on in the next post is copied now and finished then.
    if left > 0 {
        end = raw.len();
    }
    table.extend_from_slice(&raw[..end]);
    left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_are_the_table_and_nothing_else_is() {
        assert!(is_table_output(&table_output()));
        let csv = OutputSerialization::from_json(r#"{"CSV":{}}"#).unwrap();
        let json_crlf = OutputSerialization::from_json(r#"{"JSON":{"RecordDelimiter":"\r\n"}}"#);
        assert!(!is_table_output(&csv));
        assert!(!is_table_output(&json_crlf.unwrap()));
        let json = OutputSerialization::from_json(r#"{"JSON":{}}"#).unwrap();
        assert!(is_table_output(&json));
    }

    #[test]
    fn rows_are_copied_until_the_table_is_full_whatever_the_posts() {
        let rows: Vec<String> = (0..10).map(|i| format!("{{\"i\":{i}}}\n")).collect();
        let all = rows.concat();
        for wanted in [0, 1, 3, 10, 500] {
            let want = rows[..rows.len().min(wanted)].concat();
            // The output posted in pieces cut anywhere, records included.
            for piece in [1, 2, 5, 7, all.len()] {
                let mut table = Vec::new();
                let mut left = wanted as u64;
                for post in all.as_bytes().chunks(piece) {
                    if left > 0 {
                        left = copy_rows(post, left, &mut table);
                    }
                }
                assert_eq!(
                    String::from_utf8(table).unwrap(),
                    want,
                    "{wanted} in {piece}"
                );
                assert_eq!(left, wanted.saturating_sub(10) as u64);
            }
        }
    }
}
