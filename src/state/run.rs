//! A query run's state and its outputs (table, raw text, stats), shared by the local engine and
//! live S3 Select, so both fill the same results view.

use crate::net::engine::{EngineError, RunStats};
use crate::state::table::Table;
use leptos::prelude::*;

/// Rows shown in the table (the raw output and the download are complete).
pub const TABLE_ROWS: usize = 500;
/// Raw output shown on the page; beyond this, download it.
const RAW_PREVIEW_BYTES: usize = 256 * 1024;

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
    pub raw_parts: StoredValue<Vec<String>, LocalStorage>,
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
            raw_parts: StoredValue::new_local(Vec::new()),
            stats: RwSignal::new(None),
            note: RwSignal::new(None),
        }
    }

    pub fn clear(&self) {
        self.table.set(Table::default());
        self.raw_preview.set(String::new());
        self.raw_truncated.set(false);
        self.raw_parts.set_value(Vec::new());
        self.stats.set(None);
        self.note.set(None);
    }

    /// Appends raw output text: the preview up to its limit, the download always.
    pub fn push_raw(&self, raw: String) {
        if raw.is_empty() {
            return;
        }
        self.raw_preview.update(|p| {
            if p.len() < RAW_PREVIEW_BYTES {
                let room = RAW_PREVIEW_BYTES - p.len();
                let cut = (0..=room.min(raw.len()))
                    .rev()
                    .find(|i| raw.is_char_boundary(*i))
                    .unwrap_or(0);
                p.push_str(&raw[..cut]);
                if cut < raw.len() {
                    self.raw_truncated.set(true);
                }
            } else {
                self.raw_truncated.set(true);
            }
        });
        self.raw_parts.update_value(|parts| parts.push(raw));
    }

    /// Everything output so far, as one text.
    pub fn raw_text(&self) -> String {
        self.raw_parts.with_value(|p| p.concat())
    }
}
