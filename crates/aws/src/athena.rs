//! Amazon Athena (JSON 1.1, `X-Amz-Target: AmazonAthena.<action>`): the calls a query makes and
//! their typed answers. A query is started (StartQueryExecution), polled until it ends
//! (GetQueryExecution), its rows read a page at a time (GetQueryResults), or stopped
//! (StopQueryExecution). The live worker builds each request from a [`Call`] and parses the
//! service's JSON into an [`Answer`] here.

use serde_json::{json, Value};

/// The signing name and the first label of Athena's endpoint.
pub const SERVICE: &str = "athena";

/// Rows asked for per GetQueryResults page (Athena's maximum is 1000).
pub const PAGE_ROWS: u32 = 500;

#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    Start {
        sql: String,
        database: String,
        workgroup: String,
        /// Makes a retried start the same query, not a second one (32 to 128 characters;
        /// the caller draws it once per query).
        token: String,
    },
    Get {
        id: String,
    },
    Results {
        id: String,
        next_token: Option<String>,
    },
    Stop {
        id: String,
    },
}

/// Where a query is (`Status.State`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl State {
    fn from_name(name: &str) -> Option<State> {
        Some(match name {
            "QUEUED" => State::Queued,
            "RUNNING" => State::Running,
            "SUCCEEDED" => State::Succeeded,
            "FAILED" => State::Failed,
            "CANCELLED" => State::Cancelled,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            State::Queued => "QUEUED",
            State::Running => "RUNNING",
            State::Succeeded => "SUCCEEDED",
            State::Failed => "FAILED",
            State::Cancelled => "CANCELLED",
        }
    }

    /// Whether the query has ended (no more polling).
    pub fn is_final(self) -> bool {
        matches!(self, State::Succeeded | State::Failed | State::Cancelled)
    }
}

/// A query's state and figures (GetQueryExecution's `QueryExecution`).
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub id: String,
    pub state: State,
    /// Why it failed or was cancelled (`StateChangeReason`), as Athena words it.
    pub reason: Option<String>,
    /// Athena's error type for a failed query (`AthenaError.ErrorType`, e.g. 1002 for a user
    /// error), when it gives one.
    pub error_type: Option<i64>,
    pub scanned_bytes: Option<u64>,
    pub engine_ms: Option<u64>,
    pub output_location: Option<String>,
}

/// One page of a query's rows. Values are text (`VarCharValue`), `None` for NULL.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultPage {
    /// Column names and Athena types, in order.
    pub columns: Vec<(String, String)>,
    pub rows: Vec<Vec<Option<String>>>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Started { id: String },
    Execution(Execution),
    Page(ResultPage),
    Stopped,
}

/// The most rows a query brings to the browser; past them the learner reads the result file.
pub const MAX_ROWS: usize = 10_000;

impl Execution {
    /// Why a query that ended without succeeding ended, as an error code and message: the
    /// code is Athena's error name when the reason starts with one (`COLUMN_NOT_FOUND: …`),
    /// else the state (`FAILED`, `CANCELLED`).
    pub fn failure(&self) -> (String, String) {
        let reason = self.reason.clone().unwrap_or_default();
        let named = reason.split_once(':').map(|(name, _)| name).filter(|name| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        });
        let code = named.unwrap_or(self.state.name()).to_string();
        let message = if reason.is_empty() {
            format!("The query ended {}.", self.state.name())
        } else {
            reason
        };
        (code, message)
    }
}

/// What Athena charges for `scanned` bytes: USD 5 per TB scanned, at least 10 MB a query
/// (aws.amazon.com/athena/pricing; regions differ a little).
pub fn cost_usd(scanned: u64) -> f64 {
    const MIN_BYTES: u64 = 10 * 1_000_000;
    scanned.max(MIN_BYTES) as f64 / 1e12 * 5.0
}

impl Call {
    /// The action's name; the `X-Amz-Target` is `AmazonAthena.` + it.
    pub fn action(&self) -> &'static str {
        match self {
            Call::Start { .. } => "StartQueryExecution",
            Call::Get { .. } => "GetQueryExecution",
            Call::Results { .. } => "GetQueryResults",
            Call::Stop { .. } => "StopQueryExecution",
        }
    }

    pub fn target(&self) -> String {
        format!("AmazonAthena.{}", self.action())
    }

    pub fn body(&self) -> Value {
        match self {
            Call::Start {
                sql,
                database,
                workgroup,
                token,
            } => json!({
                "QueryString": sql,
                "QueryExecutionContext": { "Database": database, "Catalog": "AwsDataCatalog" },
                "WorkGroup": workgroup,
                "ClientRequestToken": token,
            }),
            Call::Get { id } | Call::Stop { id } => json!({ "QueryExecutionId": id }),
            Call::Results { id, next_token } => {
                let mut v = json!({ "QueryExecutionId": id, "MaxResults": PAGE_ROWS });
                if let Some(t) = next_token {
                    v["NextToken"] = json!(t); // cannot fail: v is the object built above
                }
                v
            }
        }
    }

    /// The service's successful answer to this call, parsed (`None`: not the shape AWS sends).
    pub fn answer(&self, body: &[u8]) -> Option<Answer> {
        let v: Value = serde_json::from_slice(body).ok()?;
        Some(match self {
            Call::Start { .. } => Answer::Started {
                id: v.get("QueryExecutionId")?.as_str()?.to_string(),
            },
            Call::Get { .. } => Answer::Execution(execution(v.get("QueryExecution")?)?),
            Call::Results { next_token, .. } => Answer::Page(page(&v, next_token.is_none())?),
            Call::Stop { .. } => Answer::Stopped,
        })
    }
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn execution(v: &Value) -> Option<Execution> {
    let status = v.get("Status")?;
    let stats = v.get("Statistics");
    let figure = |key: &str| stats.and_then(|s| s.get(key)).and_then(Value::as_u64);
    Some(Execution {
        id: text(v, "QueryExecutionId")?,
        state: State::from_name(status.get("State")?.as_str()?)?,
        reason: text(status, "StateChangeReason"),
        error_type: status
            .get("AthenaError")
            .and_then(|e| e.get("ErrorType"))
            .and_then(Value::as_i64),
        scanned_bytes: figure("DataScannedInBytes"),
        engine_ms: figure("EngineExecutionTimeInMillis"),
        output_location: v
            .get("ResultConfiguration")
            .and_then(|r| text(r, "OutputLocation")),
    })
}

/// A GetQueryResults page. On a SELECT's first page Athena puts the column names as the first
/// row; it is dropped here, so rows are data only.
fn page(v: &Value, first: bool) -> Option<ResultPage> {
    let set = v.get("ResultSet")?;
    let columns: Vec<(String, String)> = set
        .get("ResultSetMetadata")
        .and_then(|m| m.get("ColumnInfo"))
        .and_then(Value::as_array)
        .map(|cols| {
            cols.iter()
                .map(|c| {
                    (
                        text(c, "Name").unwrap_or_default(),
                        text(c, "Type").unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut rows: Vec<Vec<Option<String>>> = set
        .get("Rows")?
        .as_array()?
        .iter()
        .map(|row| {
            row.get("Data")
                .and_then(Value::as_array)
                .map(|cells| cells.iter().map(|c| text(c, "VarCharValue")).collect())
                .unwrap_or_default()
        })
        .collect();
    let header: Vec<Option<String>> = columns.iter().map(|(n, _)| Some(n.clone())).collect();
    if first && !columns.is_empty() && rows.first() == Some(&header) {
        rows.remove(0);
    }
    Some(ResultPage {
        columns,
        rows,
        next_token: text(v, "NextToken"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_is_named_by_athenas_error_or_by_its_state() {
        let mut e = Execution {
            id: "q".into(),
            state: State::Failed,
            reason: Some("COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved".into()),
            error_type: None,
            scanned_bytes: None,
            engine_ms: None,
            output_location: None,
        };
        assert_eq!(e.failure().0, "COLUMN_NOT_FOUND");
        assert!(e.failure().1.ends_with("cannot be resolved"));
        e.state = State::Cancelled;
        e.reason = Some("Query cancelled: it scanned more than the limit".into());
        assert_eq!(e.failure().0, "CANCELLED");
        e.reason = None;
        assert_eq!(
            e.failure(),
            ("CANCELLED".into(), "The query ended CANCELLED.".into())
        );
    }

    #[test]
    fn the_calls_are_the_documented_requests() {
        let start = Call::Start {
            sql: "SELECT 1".into(),
            database: "dragons".into(),
            workgroup: "wyvern".into(),
            token: "t".repeat(32),
        };
        assert_eq!(start.target(), "AmazonAthena.StartQueryExecution");
        assert_eq!(
            start.body(),
            json!({"QueryString": "SELECT 1", "QueryExecutionContext": {"Database": "dragons", "Catalog": "AwsDataCatalog"}, "WorkGroup": "wyvern", "ClientRequestToken": "t".repeat(32)})
        );
        let next = Call::Results {
            id: "q1".into(),
            next_token: Some("t2".into()),
        };
        assert_eq!(
            next.body(),
            json!({"QueryExecutionId": "q1", "MaxResults": 500, "NextToken": "t2"})
        );
        assert_eq!(
            Call::Stop { id: "q1".into() }.action(),
            "StopQueryExecution"
        );
    }

    #[test]
    fn an_execution_is_read_with_its_state_reason_and_figures() {
        let body = br#"{"QueryExecution":{"QueryExecutionId":"q1","Status":{"State":"FAILED","StateChangeReason":"COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved","AthenaError":{"ErrorCategory":2,"ErrorType":1006}},"Statistics":{"DataScannedInBytes":2048,"EngineExecutionTimeInMillis":312},"ResultConfiguration":{"OutputLocation":"s3://r/q1.csv"}}}"#;
        let Some(Answer::Execution(e)) = Call::Get { id: "q1".into() }.answer(body) else {
            panic!("not an execution")
        };
        assert_eq!(e.state, State::Failed);
        assert!(e.state.is_final());
        assert!(e.reason.as_deref().unwrap().starts_with("COLUMN_NOT_FOUND"));
        assert_eq!(
            (e.error_type, e.scanned_bytes, e.engine_ms),
            (Some(1006), Some(2048), Some(312))
        );
        assert_eq!(e.output_location.as_deref(), Some("s3://r/q1.csv"));
        let running =
            br#"{"QueryExecution":{"QueryExecutionId":"q2","Status":{"State":"RUNNING"}}}"#;
        let Some(Answer::Execution(e)) = Call::Get { id: "q2".into() }.answer(running) else {
            panic!("not an execution")
        };
        assert!(!e.state.is_final());
        assert_eq!(e.scanned_bytes, None);
        assert_eq!(Call::Get { id: "q".into() }.answer(b"{}"), None);
    }

    #[test]
    fn the_first_page_drops_its_header_row_and_nulls_stay_none() {
        let body = br#"{"ResultSet":{"Rows":[{"Data":[{"VarCharValue":"name"},{"VarCharValue":"age"}]},{"Data":[{"VarCharValue":"Atlas"},{}]}],"ResultSetMetadata":{"ColumnInfo":[{"Name":"name","Type":"varchar"},{"Name":"age","Type":"bigint"}]}},"NextToken":"t2"}"#;
        let first = Call::Results {
            id: "q".into(),
            next_token: None,
        };
        let Some(Answer::Page(p)) = first.answer(body) else {
            panic!("not a page")
        };
        assert_eq!(p.columns[1], ("age".to_string(), "bigint".to_string()));
        assert_eq!(p.rows, vec![vec![Some("Atlas".to_string()), None]]);
        assert_eq!(p.next_token.as_deref(), Some("t2"));
        // A later page has no header row: a row that looks like one is data.
        let later = Call::Results {
            id: "q".into(),
            next_token: Some("t2".into()),
        };
        let Some(Answer::Page(p)) = later.answer(body) else {
            panic!("not a page")
        };
        assert_eq!(p.rows.len(), 2);
    }

    #[test]
    fn the_cost_has_athenas_ten_megabyte_minimum() {
        assert_eq!(cost_usd(0), cost_usd(10_000_000));
        assert!((cost_usd(1_000_000_000_000) - 5.0).abs() < 1e-12);
        assert!((cost_usd(200_000_000) - 0.001).abs() < 1e-12);
    }
}
