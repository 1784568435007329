//! S3 Select: the request streams back as event-stream frames, decoded as they arrive; records
//! go to the page at once. When S3 Select is not available to the account, the object is
//! fetched instead and the page runs the same query on it locally.

use crate::call::{call, CallError, Errors, Shared, Spec};
use crate::clock::now_ms;
use crate::state::Config;
use crate::{exchange, objects, post};
use wyvern_aws::eventstream::{SelectEvent, SelectStreamDecoder, StreamError};
use wyvern_aws::request::s3;
use wyvern_aws::s3select::{reads_parquet, request_body, request_path, select_unavailable};
use wyvern_aws::signing::Service;
use wyvern_aws::snippets::{select_boto3, select_cli, SelectCall};
use wyvern_aws::Credentials;
use wyvern_protocol::live::{Figures, FromLive, LiveError, Select};
use wyvern_transport::TransportError;

/// Text from record bytes, keeping a UTF-8 sequence split between frames for the next one.
fn take_text(pending: &mut Vec<u8>) -> String {
    let valid = match std::str::from_utf8(pending) {
        Ok(_) => pending.len(),
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        Err(_) => pending.len(),
    };
    let rest = pending.split_off(valid);
    let text = String::from_utf8_lossy(pending).into_owned();
    *pending = rest;
    text
}

fn figures(p: &wyvern_aws::eventstream::Progress) -> Figures {
    Figures {
        bytes_scanned: p.bytes_scanned as f64,
        bytes_processed: p.bytes_processed as f64,
        bytes_returned: p.bytes_returned as f64,
    }
}

pub fn config_of(shared: &Shared) -> Option<Config> {
    shared.borrow().session.as_ref().map(|s| s.config.clone())
}

pub async fn select(shared: Shared, id: u64, query: Select) {
    let Some(config) = config_of(&shared) else {
        return post::error(id, &CallError::local("NotConnected", "Connect first."));
    };
    let Select {
        bucket,
        key,
        sql,
        input: input_json,
        output: output_json,
    } = query;
    let body = match request_body(&sql, &input_json, &output_json, None) {
        Ok(b) => b,
        Err(why) => return post::error(id, &CallError::local("InvalidRequestParameter", why)),
    };
    let call_shape = SelectCall {
        bucket: &bucket,
        key: &key,
        sql: &sql,
        input_serialization: &input_json,
        output_serialization: &output_json,
    };
    let spec = Spec {
        service: "s3",
        operation: "SelectObjectContent".into(),
        errors: Errors::Xml,
        signing: Some(Service::S3),
        needs_credentials: true,
        cli: select_cli(&call_shape, &config.target()),
        boto3: select_boto3(&call_shape, &config.target()),
    };
    let endpoint = config.endpoint();
    let path = request_path(&bucket, &key);
    let build = |t, c: Option<&Credentials>| {
        let c = c.ok_or_else(|| wyvern_aws::signing::SignError::new("no credentials"))?;
        s3(&endpoint, "POST", &path, body.clone().into_bytes(), c, t)
    };
    let abort = objects::register_abort(&shared, id);
    let started = now_ms();
    let result = call(&shared, id, &spec, &build, true, Some(&abort.signal())).await;
    match result {
        Ok(reply) => stream(id, &reply, started, &abort.signal()).await,
        Err(CallError::Aws(e)) if select_unavailable(&e) => {
            let reason = format!("{}: {}", e.code, e.message);
            if reads_parquet(&input_json) {
                // Not downloaded: the page's engine reads the footer and the columns it needs.
                post::send(FromLive::Unavailable { id, reason });
            } else {
                let signal = abort.signal();
                let got = objects::get(&shared, id, &config, &bucket, &key, None, Some(&signal));
                match got.await {
                    Ok((blob, _)) => post::send(FromLive::Object {
                        id,
                        blob,
                        reason: Some(reason),
                        size: None,
                    }),
                    Err(e) => post::error(id, &e),
                }
            }
        }
        Err(e) => post::error(id, &e),
    }
    shared.borrow_mut().aborts.remove(&id);
}

async fn stream(id: u64, reply: &crate::call::Reply, started: f64, signal: &web_sys::AbortSignal) {
    let Some(chunks) = reply.answer.chunks() else {
        return post::error(
            id,
            &CallError::local("IncompleteStream", "The answer had no body."),
        );
    };
    let mut decoder = SelectStreamDecoder::new();
    let mut pending = Vec::new();
    loop {
        let chunk = match chunks.next().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) if e == TransportError::Aborted || signal.aborted() => {
                post::send(exchange::frames(
                    reply.seq,
                    vec!["(cancelled: the connection was closed)".into()],
                ));
                return post::send(FromLive::Cancelled { id });
            }
            Err(e) => return post::error(id, &CallError::Network(e.to_string())),
        };
        let events = match decoder.feed(&chunk) {
            Ok(ev) => ev,
            Err(e) => {
                post::send(exchange::frames(reply.seq, vec![format!("error · {e}")]));
                chunks.cancel();
                return stream_error(id, e);
            }
        };
        let mut lines = Vec::new();
        for ev in events {
            match ev {
                SelectEvent::Records(bytes) => {
                    lines.push(format!("Records · {} bytes", bytes.len()));
                    pending.extend(bytes);
                }
                SelectEvent::Progress(p) => {
                    lines.push(format!(
                        "Progress · scanned {} processed {} returned {}",
                        p.bytes_scanned, p.bytes_processed, p.bytes_returned
                    ));
                    post::send(FromLive::Progress {
                        id,
                        figures: figures(&p),
                    });
                }
                SelectEvent::Stats(p) => {
                    lines.push(format!(
                        "Stats · scanned {} processed {} returned {}",
                        p.bytes_scanned, p.bytes_processed, p.bytes_returned
                    ));
                    post::send(FromLive::Stats {
                        id,
                        figures: figures(&p),
                    });
                }
                SelectEvent::Cont => lines.push("Cont · keep-alive".into()),
                SelectEvent::End => lines.push("End".into()),
            }
        }
        let text = take_text(&mut pending);
        if !text.is_empty() {
            post::send(FromLive::Records { id, text });
        }
        if !lines.is_empty() {
            post::send(exchange::frames(reply.seq, lines));
        }
    }
    if let Err(e) = decoder.finish() {
        return stream_error(id, e);
    }
    post::send(FromLive::End {
        id,
        ms: (now_ms() - started).round(),
    });
}

fn stream_error(id: u64, e: StreamError) {
    let (code, message) = match e {
        StreamError::Service { code, message } => (code, message),
        StreamError::Corrupt(m) => (
            "CorruptStream".into(),
            format!("The event stream is corrupt: {m}"),
        ),
        StreamError::Incomplete => (
            "IncompleteStream".into(),
            "The answer ended before its End event: the results above are incomplete.".into(),
        ),
    };
    let error = LiveError {
        service: "s3".into(),
        ..LiveError::local(&code, message)
    };
    post::send(FromLive::Error { id, error });
}
