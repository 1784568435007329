//! A query answered live by S3 Select: records stream into the same results view as local runs.
//! When S3 Select is unavailable, the worker downloads the object instead and the local engine
//! answers; with "compare", the local engine also runs on the object and the answers are diffed.

use crate::model::records::{csv_fields, RecordSplitter};
use crate::model::{Format, OutputSettings, View};
use crate::net::engine::{EngineError, RunStats, Source};
use crate::state::live::Live;
use crate::state::run::{Note, Outputs, RunState, TABLE_ROWS};
use leptos::prelude::*;
use wyvern_protocol::live::{Figures, FromLive, Request, Select};

/// What to do with a downloaded object: answer the query (fallback) or check S3's answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LocalPurpose {
    Fallback,
    Compare,
}

/// A downloaded object as a File named by its key (the engine reads Files).
pub fn file_from(blob: &web_sys::Blob, key: &str) -> Option<web_sys::File> {
    let name = key.rsplit('/').next().unwrap_or(key);
    web_sys::File::new_with_blob_sequence(&js_sys::Array::of1(blob), name).ok()
}

/// The local engine's run over a live object, and why it runs.
pub type LocalRun = Callback<(Source, LocalPurpose)>;

fn stats_from(f: Figures, records: f64, elapsed_ms: f64) -> RunStats {
    RunStats {
        bytes_scanned: f.bytes_scanned,
        bytes_processed: f.bytes_processed,
        bytes_returned: f.bytes_returned,
        records,
        elapsed_ms,
        ..RunStats::default()
    }
}

pub struct LiveSelect {
    pub live: Live,
    pub choice: S3Choice,
    pub outputs: Outputs,
    pub run_state: RwSignal<RunState>,
    pub local: LocalRun,
}

impl LiveSelect {
    pub fn start(self, v: &View) {
        let LiveSelect {
            live,
            choice,
            outputs,
            run_state,
            local,
        } = self;
        let output = v.output.clone();
        let csv = output.format == Format::Csv;
        let (bucket, key) = (choice.bucket.get_untracked(), choice.key.get_untracked());
        let compare = choice.compare.get_untracked();
        if compare {
            outputs.keep_copy();
        }
        let sql = v.sql.clone();
        // Frames may end mid-record: the splitter hands over whole records only, cut by the
        // output's own delimiters.
        let splitter = StoredValue::new(RecordSplitter::new(&output));
        let records = StoredValue::new(0f64);
        let started = js_sys::Date::now();
        let add_records = move |complete: Vec<String>| {
            outputs.table.update(|t| {
                for r in complete
                    .iter()
                    .take(TABLE_ROWS.saturating_sub(t.rows.len()))
                {
                    if csv {
                        t.push_fields(csv_fields(r, &output));
                    } else {
                        t.push_json(r);
                    }
                }
            });
            records.update_value(|n| *n += complete.len() as f64);
        };
        let request = Request::Select(Select {
            bucket: bucket.clone(),
            key: key.clone(),
            sql: sql.clone(),
            input: v.input.to_json(),
            output: v.output.to_json(),
        });
        let id = live.send(request, move |m| match m {
            FromLive::Records { text, .. } => {
                let mut complete = Vec::new();
                splitter.update_value(|s| complete = s.push(&text));
                add_records(complete);
                outputs.push_raw(text.into_bytes());
                run_state.update(|s| {
                    if let RunState::Running { records: r, .. } = s {
                        *r = records.get_value();
                    }
                });
            }
            FromLive::Progress { figures, .. } => run_state.update(|s| {
                if let RunState::Running { read, .. } = s {
                    *read = figures.bytes_processed;
                }
            }),
            FromLive::Stats { figures, .. } => {
                let s = stats_from(figures, records.get_value(), js_sys::Date::now() - started);
                outputs.stats.set(Some(s));
            }
            FromLive::End { ms, .. } => {
                let mut last = None;
                splitter.update_value(|s| last = s.finish());
                add_records(last.into_iter().collect());
                outputs.stats.update(|s| {
                    if let Some(s) = s {
                        s.records = records.get_value();
                        s.elapsed_ms = ms;
                    }
                });
                run_state.set(RunState::Done);
                if compare {
                    download_for(live, &bucket, &key, local, LocalPurpose::Compare, outputs);
                }
            }
            FromLive::Error { error, .. } => run_state.set(RunState::Failed {
                error: EngineError::from_service(error.code, error.message),
                sql: sql.clone(),
            }),
            FromLive::Cancelled { .. } => run_state.set(RunState::Cancelled),
            // S3 Select did not answer: the local engine does, on the downloaded object or, for
            // Parquet, on the ranges it reads through the live worker.
            FromLive::Object {
                blob,
                reason: Some(reason),
                ..
            } => {
                outputs
                    .note
                    .set(Some(fallback_note(&reason, "downloaded the object")));
                if let Some(f) = file_from(&blob, &key) {
                    local.run((Source::File(f), LocalPurpose::Fallback));
                }
            }
            FromLive::Unavailable { reason, .. } => {
                outputs.note.set(Some(fallback_note(
                    &reason,
                    "read the footer and the columns the query needs with ranged GETs",
                )));
                if let Some(port) = live.ranges_port() {
                    let (bucket, key) = (bucket.clone(), key.clone());
                    local.run((Source::Live { bucket, key, port }, LocalPurpose::Fallback));
                }
            }
            _ => {}
        });
        if let Some(id) = id {
            run_state.set(RunState::started(id as f64, true));
        }
    }
}

fn fallback_note(reason: &str, how: &str) -> Note {
    Note {
        id: "fallback-note",
        kind: "warn",
        text: format!("S3 Select is not available here ({reason}), so Wyvern {how} and ran the same query in your browser."),
    }
}

/// Downloads the object (GetObject) and hands it to the local engine.
fn download_for(
    live: Live,
    bucket: &str,
    key: &str,
    local: LocalRun,
    purpose: LocalPurpose,
    outputs: Outputs,
) {
    let key_name = key.to_string();
    let request = Request::GetObject {
        bucket: bucket.to_string(),
        key: key.to_string(),
        first_bytes: None,
    };
    let _ = live.send(request, move |m| match m {
        FromLive::Object { blob, .. } => {
            if let Some(f) = file_from(&blob, &key_name) {
                local.run((Source::File(f), purpose));
            }
        }
        FromLive::Error { error, .. } => outputs.note.set(Some(Note {
            id: "compare-note",
            kind: "error",
            text: format!(
                "Could not download the object to compare: {}: {}",
                error.code, error.message
            ),
        })),
        _ => {}
    });
}

/// The records of a whole answer.
fn records_of(text: &str, output: &OutputSettings) -> Vec<String> {
    let mut splitter = RecordSplitter::new(output);
    let mut records = splitter.push(text);
    records.extend(splitter.finish());
    records
}

/// The comparison's verdict: S3's output against the local engine's, byte for byte; `None` is
/// an answer too large to have been kept for it.
pub fn compare_note(s3: Option<&str>, local: Option<&str>, output: &OutputSettings) -> Note {
    let (Some(s3), Some(local)) = (s3, local) else {
        return Note {
            id: "compare-note",
            kind: "warn",
            text: format!(
                "Not compared: the answers are larger than the {} MiB the page keeps to compare them.",
                crate::state::run::COMPARE_BYTES >> 20
            ),
        };
    };
    let (a, b) = (records_of(s3, output), records_of(local, output));
    if s3 == local {
        let lines = a.len();
        return Note {
            id: "compare-note",
            kind: "ok",
            text: format!(
                "The local engine agrees with S3 Select: the same {lines} records, byte for byte."
            ),
        };
    }
    let at = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    Note {
        id: "compare-note",
        kind: "warn",
        text: format!(
            "The answers differ at record {}: S3 Select gave {}, the local engine {} ({} and {} records in all).",
            at + 1,
            a.get(at).map_or("(nothing)".into(), |r| quoted(r)),
            b.get(at).map_or("(nothing)".into(), |r| quoted(r)),
            a.len(),
            b.len()
        ),
    }
}

/// A record in quotes, its line breaks and tabs written as escapes (a `\r` may be the difference).
/// Not `{:?}`: Debug formatting of text links Unicode tables into the page.
fn quoted(record: &str) -> String {
    let escaped = record
        .replace('\\', "\\\\")
        .replace('\r', "\\r")
        .replace('\n', "\\n")
        .replace('\t', "\\t");
    format!("\"{escaped}\"")
}

/// Bucket, key and options of the live source, shared with the run logic.
#[derive(Clone, Copy)]
pub struct S3Choice {
    pub bucket: RwSignal<String>,
    pub key: RwSignal<String>,
    pub compare: RwSignal<bool>,
}

impl S3Choice {
    pub fn new() -> S3Choice {
        S3Choice {
            bucket: RwSignal::new(String::new()),
            key: RwSignal::new(String::new()),
            compare: RwSignal::new(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn a_record_is_quoted_with_its_invisible_characters_escaped() {
        assert_eq!(quoted("a,b\r\n"), r#""a,b\r\n""#);
        assert_eq!(quoted("x\ty\\z"), r#""x\ty\\z""#);
    }
}
