//! A query run's state and its outputs (table, raw text, stats), shared by the local engine and
//! live S3 Select, so both fill the same results view.

use crate::net::engine::{EngineError, RunStats};
use crate::net::output_store::OutputStore;
use crate::state::table::Table;
use leptos::prelude::*;

/// Rows shown in the table (the raw output and the download are complete).
pub const TABLE_ROWS: usize = 500;
/// Raw output shown on the page; beyond this, download it.
const RAW_PREVIEW_BYTES: usize = 256 * 1024;
/// Output kept as text for comparing live S3 Select's answer with the local engine's.
pub const COMPARE_BYTES: usize = 8 << 20;

#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    Idle,
    Running {
        id: f64,
        read: f64,
        total: f64,
        records: f64,
        /// Answered by S3 Select rather than the local engine.
        live: bool,
    },
    Done,
    Failed {
        error: EngineError,
        sql: String,
    },
    Cancelled,
}

impl RunState {
    /// A run just started, nothing read yet.
    pub fn started(id: f64, live: bool) -> RunState {
        RunState::Running {
            id,
            read: 0.0,
            total: 0.0,
            records: 0.0,
            live,
        }
    }
}

#[derive(Clone, Copy)]
pub struct Outputs {
    pub table: RwSignal<Table>,
    pub raw_preview: RwSignal<String>,
    pub raw_truncated: RwSignal<bool>,
    /// All of it, for the download.
    pub raw_whole: StoredValue<OutputStore, LocalStorage>,
    /// All of it again while small, when a comparison will want it (`keep_copy`).
    pub raw_copy: StoredValue<Option<CappedText>>,
    pub stats: RwSignal<Option<RunStats>>,
    /// A word about where the answer came from (fallback, comparison).
    pub note: RwSignal<Option<Note>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: &'static str,
    pub kind: &'static str,
    pub text: String,
}

impl Outputs {
    pub fn new() -> Outputs {
        Outputs {
            table: RwSignal::new(Table::default()),
            raw_preview: RwSignal::new(String::new()),
            raw_truncated: RwSignal::new(false),
            raw_whole: StoredValue::new_local(OutputStore::default()),
            raw_copy: StoredValue::new(None),
            stats: RwSignal::new(None),
            note: RwSignal::new(None),
        }
    }

    pub fn clear(&self) {
        self.table.set(Table::default());
        self.raw_preview.set(String::new());
        self.raw_truncated.set(false);
        self.raw_whole.set_value(OutputStore::default());
        self.raw_copy.set_value(None);
        self.stats.set(None);
        self.note.set(None);
    }

    /// Keeps the output as text too (up to `COMPARE_BYTES`), for comparing it with another.
    pub fn keep_copy(&self) {
        self.raw_copy.set_value(Some(CappedText::default()));
    }

    /// Appends raw output (UTF-8): the preview up to its limit, the download always.
    pub fn push_raw(&self, raw: Vec<u8>) {
        if raw.is_empty() {
            return;
        }
        self.raw_preview.update(|p| {
            let text = fitting(&raw, RAW_PREVIEW_BYTES.saturating_sub(p.len()));
            p.push_str(text);
            if text.len() < raw.len() {
                self.raw_truncated.set(true);
            }
        });
        self.raw_copy.update_value(|c| {
            if let Some(c) = c {
                c.push(&raw)
            }
        });
        self.raw_whole.update_value(|w| w.push(&raw));
    }
}

/// The start of `raw` that fits in `room` bytes, cut at a character's boundary (or before
/// bytes that are not UTF-8, which the engine never writes).
fn fitting(raw: &[u8], room: usize) -> &str {
    let start = &raw[..room.min(raw.len())];
    std::str::from_utf8(start)
        .unwrap_or_else(|e| std::str::from_utf8(&start[..e.valid_up_to()]).unwrap_or_default())
}

/// Output kept whole up to `COMPARE_BYTES`; past that, none of it (memory stays bounded, and
/// the comparison says it could not be made).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CappedText {
    bytes: Vec<u8>,
    over: bool,
}

impl CappedText {
    pub fn push(&mut self, more: &[u8]) {
        if self.over {
            return;
        }
        if self.bytes.len() + more.len() > COMPARE_BYTES {
            self.over = true;
            self.bytes = Vec::new();
        } else {
            self.bytes.extend_from_slice(more);
        }
    }

    /// All of it, unless it went past the limit (or is not UTF-8, which no answer is).
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok().filter(|_| !self.over)
    }
}

#[cfg(test)]
mod tests {
    use super::{fitting, CappedText, COMPARE_BYTES};

    #[test]
    fn capped_text_is_whole_up_to_the_limit_and_none_past_it() {
        let mut t = CappedText::default();
        assert_eq!(t.text(), Some(""));
        let half = "x".repeat(COMPARE_BYTES / 2);
        t.push(half.as_bytes());
        t.push(half.as_bytes());
        assert_eq!(t.text().map(|t| t.len()), Some(COMPARE_BYTES));
        t.push(b"y");
        assert_eq!(t.text(), None);
        t.push(b"");
        assert_eq!(t.text(), None, "once over, it stays over");
    }

    #[test]
    fn the_preview_is_cut_at_a_character_boundary() {
        let raw = "aé€😀".as_bytes(); // 1, 2, 3 and 4 bytes
        let cuts: Vec<&str> = (0..=11).map(|room| fitting(raw, room)).collect();
        assert_eq!(
            cuts,
            [
                "",
                "a",
                "a",
                "aé",
                "aé",
                "aé",
                "aé€",
                "aé€",
                "aé€",
                "aé€",
                "aé€😀",
                "aé€😀"
            ]
        );
        // Bytes that are not UTF-8 end it.
        assert_eq!(fitting(b"a\xffb", 3), "a");
    }
}
