//! The event-stream messages of a SelectObjectContent answer, encoded with
//! `aws-smithy-eventstream` (live mode reads them as it does): Records, Stats, End, and
//! the error message S3 ends a stream with when a query fails after records went out.

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use wyvern_select::Stats;

fn string(name: &'static str, value: &str) -> Header {
    Header::new(name, HeaderValue::String(value.to_string().into()))
}

/// One message; headers are short and payloads bounded by the caller, so encoding cannot fail,
/// but if it ever did the message is left out rather than half written.
fn message(headers: Vec<Header>, payload: &[u8], out: &mut Vec<u8>) {
    let message = Message::new_from_parts(headers, payload.to_vec());
    let mut frame = Vec::with_capacity(payload.len() + 128);
    if write_message_to(&message, &mut frame).is_ok() {
        out.extend_from_slice(&frame);
    }
}

fn event(event_type: &str, content_type: Option<&str>, payload: &[u8], out: &mut Vec<u8>) {
    let mut headers = vec![
        string(":message-type", "event"),
        string(":event-type", event_type),
    ];
    if let Some(content_type) = content_type {
        headers.push(string(":content-type", content_type));
    }
    message(headers, payload, out);
}

pub fn records(payload: &[u8], out: &mut Vec<u8>) {
    event("Records", Some("application/octet-stream"), payload, out);
}

pub fn stats(stats: &Stats, out: &mut Vec<u8>) {
    let xml = format!(
        "<Stats><BytesScanned>{}</BytesScanned><BytesProcessed>{}</BytesProcessed><BytesReturned>{}</BytesReturned></Stats>",
        stats.bytes_scanned, stats.bytes_processed, stats.bytes_returned
    );
    event("Stats", Some("text/xml"), xml.as_bytes(), out);
}

pub fn end(out: &mut Vec<u8>) {
    event("End", None, b"", out);
}

pub fn error(code: &str, text: &str, out: &mut Vec<u8>) {
    message(
        vec![
            string(":message-type", "error"),
            string(":error-code", code),
            string(":error-message", text),
        ],
        b"",
        out,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use wyvern_aws::eventstream::{Progress, SelectEvent, SelectStreamDecoder, StreamError};

    #[test]
    fn live_modes_decoder_reads_them() {
        let mut out = Vec::new();
        records(b"{\"a\":1}\n", &mut out);
        let figures = Stats {
            bytes_scanned: 10,
            bytes_processed: 9,
            bytes_returned: 8,
            records_returned: 1,
        };
        stats(&figures, &mut out);
        end(&mut out);
        let mut decoder = SelectStreamDecoder::new();
        let mut events = Vec::new();
        for byte in &out {
            events.extend(decoder.feed(std::slice::from_ref(byte)).unwrap());
        }
        decoder.finish().unwrap();
        assert_eq!(
            events,
            vec![
                SelectEvent::Records(b"{\"a\":1}\n".to_vec()),
                SelectEvent::Stats(Progress {
                    bytes_scanned: 10,
                    bytes_processed: 9,
                    bytes_returned: 8
                }),
                SelectEvent::End,
            ]
        );
    }

    #[test]
    fn errors_end_a_stream() {
        let mut out = Vec::new();
        records(b"1\n", &mut out);
        error(
            "CastFailed",
            "Attempt to convert from one data type to another failed",
            &mut out,
        );
        let mut decoder = SelectStreamDecoder::new();
        let got = decoder.feed(&out);
        assert_eq!(
            got,
            Err(StreamError::Service {
                code: "CastFailed".into(),
                message: "Attempt to convert from one data type to another failed".into()
            })
        );
    }
}
