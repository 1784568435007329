//! The queries a learner ran, newest first, kept per dataset (at most [`PER_DATASET`] each), and
//! their round trip through one line of text per query (the browser keeps that text).

use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};

/// Queries kept for each dataset.
pub const PER_DATASET: usize = 50;
/// Text longer than this is not kept (a pasted megabyte would fill the browser's storage).
pub const MAX_SQL_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The dataset's id (`Dataset::id`).
    pub dataset: String,
    pub sql: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Newest first.
    pub entries: Vec<Entry>,
}

impl History {
    /// Records a run: the query moves to the front of its dataset's list (a repeat is not kept
    /// twice) and the oldest beyond [`PER_DATASET`] go.
    pub fn record(&mut self, dataset: &str, sql: &str) {
        let sql = sql.trim();
        if sql.is_empty() || sql.len() > MAX_SQL_BYTES {
            return;
        }
        self.entries
            .retain(|e| !(e.dataset == dataset && e.sql == sql));
        self.entries.insert(
            0,
            Entry {
                dataset: dataset.to_string(),
                sql: sql.to_string(),
            },
        );
        let mut kept = 0;
        self.entries.retain(|e| {
            if e.dataset != dataset {
                return true;
            }
            kept += 1;
            kept <= PER_DATASET
        });
    }

    /// The dataset's queries containing `search` (ignoring ASCII letter case: Unicode case
    /// tables would weigh on the page), newest first.
    pub fn matching<'a>(&'a self, dataset: &'a str, search: &str) -> Vec<&'a Entry> {
        let search = search.trim().to_ascii_lowercase();
        self.entries
            .iter()
            .filter(|e| e.dataset == dataset)
            .filter(|e| search.is_empty() || e.sql.to_ascii_lowercase().contains(&search))
            .collect()
    }

    /// One line per query: `dataset <space> percent-encoded SQL`.
    pub fn to_text(&self) -> String {
        self.entries
            .iter()
            .map(|e| {
                format!(
                    "{} {}\n",
                    e.dataset,
                    utf8_percent_encode(&e.sql, NON_ALPHANUMERIC)
                )
            })
            .collect()
    }

    /// Reads [`History::to_text`]'s lines; a line that does not read is skipped, and no more
    /// than [`PER_DATASET`] per dataset are kept, whatever the text holds.
    pub fn from_text(text: &str) -> History {
        let mut entries: Vec<Entry> = Vec::new();
        for line in text.lines() {
            let Some((dataset, encoded)) = line.split_once(' ') else {
                continue;
            };
            let Ok(sql) = percent_decode_str(encoded).decode_utf8() else {
                continue;
            };
            let kept = entries.iter().filter(|e| e.dataset == dataset).count();
            if sql.is_empty() || sql.len() > MAX_SQL_BYTES || kept >= PER_DATASET {
                continue;
            }
            entries.push(Entry {
                dataset: dataset.to_string(),
                sql: sql.into_owned(),
            });
        }
        History { entries }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_goes_first_once_and_each_dataset_keeps_fifty() {
        let mut h = History::default();
        h.record("csv", "SELECT 1");
        h.record("json", "SELECT 2");
        h.record("csv", "  SELECT 1 ");
        assert_eq!(
            h.matching("csv", "")
                .iter()
                .map(|e| e.sql.as_str())
                .collect::<Vec<_>>(),
            ["SELECT 1"]
        );
        for i in 0..60 {
            h.record("csv", &format!("SELECT {i} FROM S3Object"));
        }
        assert_eq!(h.matching("csv", "").len(), PER_DATASET);
        assert_eq!(h.matching("csv", "")[0].sql, "SELECT 59 FROM S3Object");
        assert_eq!(
            h.matching("json", "").len(),
            1,
            "other datasets keep theirs"
        );
        h.record("csv", "");
        h.record("csv", &"x".repeat(MAX_SQL_BYTES + 1));
        assert_eq!(h.matching("csv", "")[0].sql, "SELECT 59 FROM S3Object");
    }

    #[test]
    fn search_ignores_case() {
        let mut h = History::default();
        h.record("csv", "SELECT s.name FROM S3Object s");
        h.record("csv", "SELECT COUNT(*) FROM S3Object");
        assert_eq!(h.matching("csv", "count").len(), 1);
        assert_eq!(h.matching("csv", "S3OBJECT").len(), 2);
        assert!(h.matching("csv", "nothing").is_empty());
    }

    #[test]
    fn text_round_trips_and_bad_lines_are_skipped() {
        let mut h = History::default();
        h.record(
            "json",
            "SELECT s.a\nFROM S3Object s WHERE s.b = 'x y%' -- é",
        );
        h.record("csv", "SELECT 1");
        assert_eq!(History::from_text(&h.to_text()), h);
        let text = format!("{}no-space-line\ncsv %FF%FE\ncsv \n", h.to_text());
        assert_eq!(History::from_text(&text), h);
        let many: String = (0..80).map(|i| format!("csv SELECT%20{i}\n")).collect();
        assert_eq!(History::from_text(&many).entries.len(), PER_DATASET);
    }
}
