//! A query on Athena, from start to its last row: StartQueryExecution, GetQueryExecution until
//! it ends (each state reported to the page), then GetQueryResults a page at a time. Cancel
//! stops the query on Athena too (StopQueryExecution), not just the polling.

use crate::call::{call, CallError, Shared, Spec};
use crate::clock::sleep;
use crate::objects::register_abort;
use crate::post;
use crate::state::Config;
use std::time::Duration;
use web_sys::AbortSignal;
use wyvern_aws::athena::{Answer, Call, State, MAX_ROWS};
use wyvern_aws::request::json11;
use wyvern_aws::signing::Service;
use wyvern_protocol::live::{AthenaQuery, AthenaRows, AthenaStatus, FromLive};

/// The first wait between polls, and the longest (the wait grows by half each time).
const FIRST_POLL: Duration = Duration::from_millis(250);
const LONGEST_POLL: Duration = Duration::from_secs(2);

async fn send(
    shared: &Shared,
    id: u64,
    config: &Config,
    athena: &Call,
    signal: Option<&AbortSignal>,
) -> Result<Answer, CallError> {
    let (action, body) = (athena.action(), athena.body());
    let spec = Spec::json11("athena", action, &body, config, Some(Service::Athena));
    let endpoint = config.endpoint();
    let target = athena.target();
    let build = |t, c: Option<&_>| json11(&endpoint, Service::Athena, &target, &body, c, t);
    let reply = call(shared, id, &spec, &build, false, signal).await?;
    athena
        .answer(reply.body.as_deref().unwrap_or_default())
        .ok_or_else(|| {
            CallError::local(
                "UnexpectedAnswer",
                format!("{action} answered in a shape Wyvern does not know."),
            )
        })
}

pub async fn athena(shared: Shared, id: u64, query: AthenaQuery) {
    let Some(config) = crate::select::config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let controller = register_abort(&shared, id);
    let signal = controller.signal();
    let started = Call::Start {
        sql: query.sql,
        database: query.database,
        workgroup: query.workgroup,
        token: request_token(),
    };
    // The start is not aborted: once sent, Athena may run the query, so Cancel waits for its id
    // to stop it.
    let outcome = match send(&shared, id, &config, &started, None).await {
        Ok(Answer::Started { id: query_id }) => {
            let result = if signal.aborted() {
                Err(CallError::Aborted)
            } else {
                follow(&shared, id, &config, &query_id, &signal).await
            };
            if matches!(result, Err(CallError::Aborted)) {
                // The learner's Cancel: the query stops on Athena too (its own call, not
                // aborted). If Athena refuses, the learner hears it: the query may still run.
                let stop = Call::Stop { id: query_id };
                send(&shared, id, &config, &stop, None).await.and(result)
            } else {
                result
            }
        }
        Ok(_) => Err(CallError::local(
            "UnexpectedAnswer",
            "StartQueryExecution answered without a query id.",
        )),
        Err(e) => Err(e),
    };
    shared.borrow_mut().aborts.remove(&id);
    match outcome {
        Ok(more) => post::send(FromLive::AthenaDone { id, more }),
        Err(e) => post::error(id, &e),
    }
}

/// A ClientRequestToken (32 hex digits): a retried start is then the same query. Not a secret.
fn request_token() -> String {
    let part = || (crate::clock::random() * f64::from(u32::MAX)) as u32;
    format!("{:08x}{:08x}{:08x}{:08x}", part(), part(), part(), part())
}

/// Polls query `query_id` to its end, then sends its rows; whether rows were left unsent
/// (past [`MAX_ROWS`]).
async fn follow(
    shared: &Shared,
    id: u64,
    config: &Config,
    query_id: &str,
    signal: &AbortSignal,
) -> Result<bool, CallError> {
    let mut wait = FIRST_POLL;
    loop {
        let get = Call::Get {
            id: query_id.to_string(),
        };
        let Answer::Execution(execution) = send(shared, id, config, &get, Some(signal)).await?
        else {
            return Err(CallError::local(
                "UnexpectedAnswer",
                "GetQueryExecution answered without the query.",
            ));
        };
        let status = AthenaStatus {
            query_id: query_id.to_string(),
            state: execution.state.name().to_string(),
            scanned_bytes: execution.scanned_bytes.map(|b| b as f64),
            engine_ms: execution.engine_ms.map(|ms| ms as f64),
        };
        post::send(FromLive::AthenaStatus { id, status });
        if matches!(execution.state, State::Failed | State::Cancelled) {
            let (code, message) = execution.failure();
            return Err(CallError::Aws(wyvern_aws::AwsError {
                code,
                message,
                service: "athena".into(),
                status: 200,
                request_id: None,
            }));
        }
        if execution.state == State::Succeeded {
            break;
        }
        sleep(wait).await;
        if signal.aborted() {
            return Err(CallError::Aborted);
        }
        wait = (wait * 3 / 2).min(LONGEST_POLL);
    }
    let mut next_token = None;
    let mut sent = 0;
    loop {
        let results = Call::Results {
            id: query_id.to_string(),
            next_token: next_token.take(),
        };
        let Answer::Page(page) = send(shared, id, config, &results, Some(signal)).await? else {
            return Err(CallError::local(
                "UnexpectedAnswer",
                "GetQueryResults answered without rows.",
            ));
        };
        sent += page.rows.len();
        post::send(FromLive::AthenaRows {
            id,
            rows: AthenaRows {
                columns: page.columns.into_iter().map(|(name, _)| name).collect(),
                rows: page.rows,
            },
        });
        match page.next_token {
            Some(token) if sent < MAX_ROWS => next_token = Some(token),
            Some(_) => return Ok(true),
            None => return Ok(false),
        }
    }
}
