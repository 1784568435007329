//! The Athena panel's state: the S3 Select query it was translated from, the Athena SQL (the
//! engine worker translates; the learner may edit it), and a query's run on Athena through the
//! live worker (its state at each poll, then its rows).

use crate::net::engine::{AthenaTranslation, EngineError};
use crate::state::live::Live;
use leptos::prelude::*;
use wyvern_protocol::live::{AthenaQuery, FromLive, LiveError, Request};

/// Rows shown (the run brings at most `MAX_ROWS`; the result file holds them all).
pub const SHOWN_ROWS: usize = 500;

#[derive(Debug, Clone, PartialEq, Default)]
pub enum Progress {
    #[default]
    Idle,
    /// Asked of the engine (`id`), to run when it answers if `then_run`.
    Translating {
        id: f64,
        then_run: bool,
    },
    Running {
        id: u64,
        state: String,
        scanned: Option<f64>,
        engine_ms: Option<f64>,
    },
    Done {
        scanned: Option<f64>,
        engine_ms: Option<f64>,
        /// More rows than were brought.
        more: bool,
    },
    Failed(LiveError),
    /// Cancelled here; the worker is stopping query `id` on Athena.
    Stopping {
        id: u64,
    },
    Cancelled,
}

#[derive(Clone, Copy)]
pub struct Athena {
    /// The S3 Select query the Athena SQL was translated from.
    pub from_sql: RwSignal<String>,
    pub sql: RwSignal<String>,
    pub notes: RwSignal<Vec<String>>,
    /// Why the query has no translation (the engine's code and message).
    pub untranslated: RwSignal<Option<EngineError>>,
    pub progress: RwSignal<Progress>,
    pub columns: RwSignal<Vec<String>>,
    pub rows: RwSignal<Vec<Vec<Option<String>>>>,
    pub total_rows: RwSignal<usize>,
}

impl Athena {
    pub fn new() -> Athena {
        Athena {
            from_sql: RwSignal::new(String::new()),
            sql: RwSignal::new(String::new()),
            notes: RwSignal::new(Vec::new()),
            untranslated: RwSignal::new(None),
            progress: RwSignal::new(Progress::Idle),
            columns: RwSignal::new(Vec::new()),
            rows: RwSignal::new(Vec::new()),
            total_rows: RwSignal::new(0),
        }
    }

    /// The engine's answer to translation `id`; runs it when that was asked.
    pub fn translated(&self, live: Live, id: f64, answer: Result<AthenaTranslation, EngineError>) {
        let Progress::Translating {
            id: asked,
            then_run,
        } = self.progress.get_untracked()
        else {
            return;
        };
        if asked != id {
            return;
        }
        self.progress.set(Progress::Idle);
        match answer {
            Ok(t) => {
                self.untranslated.set(None);
                self.sql.set(t.sql);
                self.notes.set(t.notes);
                if then_run {
                    self.run(live);
                }
            }
            Err(e) => self.untranslated.set(Some(e)),
        }
    }

    /// Runs the panel's Athena SQL in the class's workgroup and database.
    pub fn run(&self, live: Live) {
        self.cancel(live);
        let Some(site) = live.site() else { return };
        self.columns.set(Vec::new());
        self.rows.set(Vec::new());
        self.total_rows.set(0);
        let query = AthenaQuery {
            sql: self.sql.get_untracked(),
            database: site.athena_database,
            workgroup: site.athena_workgroup,
        };
        let this = *self;
        let id = live.send(Request::Athena(query), move |m| this.on_message(m));
        match id {
            Some(id) => self.progress.set(Progress::Running {
                id,
                state: "STARTING".into(),
                scanned: None,
                engine_ms: None,
            }),
            None => self.progress.set(Progress::Failed(LiveError::local(
                "NotConnected",
                "Live mode did not start.",
            ))),
        }
    }

    fn on_message(&self, m: FromLive) {
        // Only the run under way: a cancelled or replaced run's late answers change nothing.
        let current = matches!(self.progress.get_untracked(),
            Progress::Running { id, .. } | Progress::Stopping { id } if Some(id) == m.answers());
        if !current {
            return;
        }
        match m {
            FromLive::AthenaStatus { status, .. } => self.progress.update(|p| {
                if let Progress::Running {
                    state,
                    scanned,
                    engine_ms,
                    ..
                } = p
                {
                    *state = status.state;
                    *scanned = status.scanned_bytes;
                    *engine_ms = status.engine_ms;
                }
            }),
            FromLive::AthenaRows { rows, .. } => {
                self.columns.set(rows.columns);
                self.total_rows.update(|n| *n += rows.rows.len());
                self.rows.update(|shown| {
                    let room = SHOWN_ROWS.saturating_sub(shown.len());
                    shown.extend(rows.rows.into_iter().take(room));
                });
            }
            FromLive::AthenaDone { more, .. } => {
                let (scanned, engine_ms) = match self.progress.get_untracked() {
                    Progress::Running {
                        scanned, engine_ms, ..
                    } => (scanned, engine_ms),
                    _ => (None, None),
                };
                self.progress.set(Progress::Done {
                    scanned,
                    engine_ms,
                    more,
                });
            }
            FromLive::Error { error, .. } => self.progress.set(Progress::Failed(error)),
            FromLive::Cancelled { .. } => self.progress.set(Progress::Cancelled),
            _ => {}
        }
    }

    /// Stops the query under way, on Athena too. Its answers from now on are not this run's.
    pub fn cancel(&self, live: Live) {
        if let Progress::Running { id, .. } = self.progress.get_untracked() {
            live.cancel(id);
            self.progress.set(Progress::Stopping { id });
        }
    }

    /// Whether a query is being translated or run.
    pub fn busy(&self) -> bool {
        matches!(
            self.progress.get(),
            Progress::Translating { .. } | Progress::Running { .. }
        )
    }
}
