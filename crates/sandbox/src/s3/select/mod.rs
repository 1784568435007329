//! SelectObjectContent: `POST /bucket/key?select&select-type=2` with the request XML, answered
//! with Wyvern's engine in S3's event stream (Records, Stats, End). A query S3 refuses before it
//! starts (bad SQL, bad serialization) is an HTTP 400 XML error; one that fails after records
//! went out ends the stream with an error message instead, as S3 streams it.

mod frames;
pub mod request;
pub mod run;

use crate::s3::error::S3Error;
use request::SelectRequest;
use std::time::SystemTime;
use wyvern_select::serialization::InputFormat;
use wyvern_select::{Query, QueryOptions, SelectError, Timestamp};

fn engine_error(e: SelectError) -> S3Error {
    S3Error::new(400, e.code.as_str(), e.message)
}

fn now_for(now: SystemTime) -> Timestamp {
    Timestamp::from_unix_millis(crate::clock::epoch_millis(now))
}

/// The event stream answering `body` (the request XML) over `object`.
pub fn answer(body: &[u8], object: &[u8], now: SystemTime) -> Result<Vec<u8>, S3Error> {
    let request = SelectRequest::parse(body)?;
    if !cfg!(feature = "parquet") && request.input.format == InputFormat::Parquet {
        // The practice worker links the engine without its Parquet reader (about 140 KB): the
        // page's own engine reads the object instead, by ranged GETs, as it does wherever S3
        // Select is not available.
        return Err(S3Error::new(
            501,
            "NotImplemented",
            "The practice account's S3 Select reads CSV and JSON objects; Parquet objects are read by the engine in your browser.",
        ));
    }
    let options = QueryOptions {
        scan_range: request.scan_range(object.len())?,
        input: request.input,
        output: request.output,
        now: now_for(now),
    };
    let query = Query::compile(&request.expression, options).map_err(engine_error)?;
    let outcome = run::run(&query, object);
    if let (Some((code, message)), true) = (&outcome.failure, outcome.chunks.is_empty()) {
        return Err(S3Error::new(400, code, message.clone()));
    }
    let mut stream = Vec::new();
    for chunk in &outcome.chunks {
        frames::records(chunk, &mut stream);
    }
    match outcome.failure {
        Some((code, message)) => frames::error(code, &message, &mut stream),
        None => {
            frames::stats(&outcome.stats, &mut stream);
            frames::end(&mut stream);
        }
    }
    Ok(stream)
}

/// The records of `sql` over a JSON document, as JSON lines (what the Dragon API's Lambda asks
/// S3 Select for); the engine's code and message on failure.
pub fn json_document_records(
    object: &[u8],
    sql: &str,
    now: SystemTime,
) -> Result<Vec<u8>, (&'static str, String)> {
    let options = QueryOptions {
        input: wyvern_select::InputSerialization::from_json(r#"{"JSON":{"Type":"DOCUMENT"}}"#)
            .map_err(|e| (e.code.as_str(), e.message))?,
        output: wyvern_select::OutputSerialization::from_json(r#"{"JSON":{}}"#)
            .map_err(|e| (e.code.as_str(), e.message))?,
        scan_range: None,
        now: now_for(now),
    };
    let query = Query::compile(sql, options).map_err(|e| (e.code.as_str(), e.message))?;
    let outcome = run::run(&query, object);
    match outcome.failure {
        Some(failure) => Err(failure),
        None => Ok(outcome.chunks.concat()),
    }
}
