//! The event stream S3 SelectObjectContent answers with, decoded as a push parser: feed bytes
//! in any chunks, get events out. Frames are parsed and CRC-checked by frame.rs (as
//! `aws-smithy-eventstream` checks them); this module finds frame boundaries (refusing absurd
//! lengths before buffering them) and turns messages into S3 Select events.

pub mod frame;

use frame::Frame;

/// Frames larger than this are refused rather than buffered (S3 sends records in small frames).
pub const MAX_FRAME_BYTES: usize = 16 << 20;
const PRELUDE: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    pub bytes_scanned: u64,
    pub bytes_processed: u64,
    pub bytes_returned: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectEvent {
    Records(Vec<u8>),
    Progress(Progress),
    Stats(Progress),
    Cont,
    End,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    /// An error event: S3's code and message, possibly after records were sent with HTTP 200.
    #[error("{code}: {message}")]
    Service { code: String, message: String },
    #[error("the event stream is corrupt: {0}")]
    Corrupt(String),
    #[error("the event stream ended before its End event: the results are incomplete")]
    Incomplete,
}

#[derive(Default)]
pub struct SelectStreamDecoder {
    buf: Vec<u8>,
    ended: bool,
    failed: bool,
}

/// Reads `<Stats><BytesScanned>1</BytesScanned>…` (and Progress, the same shape).
fn figures(payload: &[u8]) -> Progress {
    let text = String::from_utf8_lossy(payload);
    let get = |tag: &str| -> u64 {
        let open = format!("<{tag}>");
        text.find(&open)
            .and_then(|i| {
                // Slicing cannot fail: i starts an ASCII match and j is a found boundary.
                let rest = &text[i + open.len()..];
                rest.find('<').and_then(|j| rest[..j].trim().parse().ok())
            })
            .unwrap_or(0)
    };
    Progress {
        bytes_scanned: get("BytesScanned"),
        bytes_processed: get("BytesProcessed"),
        bytes_returned: get("BytesReturned"),
    }
}

impl SelectStreamDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes and returns the events they complete. After an error, nothing more is read.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<SelectEvent>, StreamError> {
        if self.failed {
            return Err(StreamError::Corrupt("the stream already failed".into()));
        }
        self.buf.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut at = 0;
        // `at` only moves over whole frames found in `buf`, so `buf[at..]` and the drain after
        // the loop cannot fail.
        let result = loop {
            let rest = &self.buf[at..];
            let Some(prelude) = rest.first_chunk::<PRELUDE>() else {
                break Ok(());
            };
            let [l0, l1, l2, l3, _, _, _, _, c0, c1, c2, c3] = *prelude;
            // A u32 always fits a usize on the targets Wyvern builds for (32 and 64 bits).
            let total = u32::from_be_bytes([l0, l1, l2, l3]) as usize;
            let prelude_crc = u32::from_be_bytes([c0, c1, c2, c3]);
            if crate::crc32::hash(&prelude[..8]) != prelude_crc {
                break Err(StreamError::Corrupt(
                    "a frame's prelude checksum does not match".into(),
                ));
            }
            if !(PRELUDE + 4..=MAX_FRAME_BYTES).contains(&total) {
                break Err(StreamError::Corrupt(format!(
                    "a frame claims {total} bytes"
                )));
            }
            let Some(frame) = rest.get(..total) else {
                break Ok(());
            };
            let message = match frame::read(frame) {
                Ok(m) => m,
                Err(e) => break Err(StreamError::Corrupt(e.to_string())),
            };
            at += total;
            match Self::event(&message) {
                Ok(Some(ev)) => {
                    self.ended |= ev == SelectEvent::End;
                    events.push(ev)
                }
                Ok(None) => {}
                Err(e) => break Err(e),
            }
        };
        self.buf.drain(..at);
        if let Err(e) = result {
            self.failed = true;
            return Err(e);
        }
        Ok(events)
    }

    fn event(m: &Frame) -> Result<Option<SelectEvent>, StreamError> {
        match m.header(":message-type") {
            Some("event") => {}
            Some("error") => {
                return Err(StreamError::Service {
                    code: m
                        .header(":error-code")
                        .unwrap_or("InternalError")
                        .to_string(),
                    message: m.header(":error-message").unwrap_or("").to_string(),
                })
            }
            Some("exception") => {
                return Err(StreamError::Service {
                    code: m
                        .header(":exception-type")
                        .unwrap_or("Exception")
                        .to_string(),
                    message: String::from_utf8_lossy(m.payload).into_owned(),
                })
            }
            other => {
                return Err(StreamError::Corrupt(format!(
                    "unknown :message-type \"{}\"",
                    other.unwrap_or("")
                )))
            }
        }
        Ok(Some(match m.header(":event-type") {
            Some("Records") => SelectEvent::Records(m.payload.to_vec()),
            Some("Progress") => SelectEvent::Progress(figures(m.payload)),
            Some("Stats") => SelectEvent::Stats(figures(m.payload)),
            Some("Cont") => SelectEvent::Cont,
            Some("End") => SelectEvent::End,
            // Events a newer S3 may add are skipped, as the SDKs do.
            _ => return Ok(None),
        }))
    }

    /// The response body ended: complete only if an End event came and no bytes are left over.
    pub fn finish(&self) -> Result<(), StreamError> {
        if self.failed {
            return Err(StreamError::Corrupt("the stream already failed".into()));
        }
        if !self.buf.is_empty() {
            return Err(StreamError::Corrupt(format!(
                "{} bytes of an unfinished frame at the end",
                self.buf.len()
            )));
        }
        if !self.ended {
            return Err(StreamError::Incomplete);
        }
        Ok(())
    }
}

/// Builds event-stream frames, as S3 sends them (for tests and the local emulator's checks).
pub mod encode {
    use aws_smithy_eventstream::frame::write_message_to;
    use aws_smithy_types::event_stream::{Header, HeaderValue, Message};

    fn frame(headers: Vec<(&str, &str)>, payload: &[u8]) -> Vec<u8> {
        let mut m = Message::new(payload.to_vec());
        for (k, v) in headers {
            m = m.add_header(Header::new(
                k.to_string(),
                HeaderValue::String(v.to_string().into()),
            ));
        }
        let mut out = Vec::new();
        // Fails only for a header value over 32 KiB or a payload over 4 GiB: this builder is for
        // tests, which pass short literals, and never sees response or user data.
        write_message_to(&m, &mut out).expect("a small in-memory frame always encodes");
        out
    }

    pub fn event(event_type: &str, payload: &[u8]) -> Vec<u8> {
        let content_type = if event_type == "Records" {
            "application/octet-stream"
        } else {
            "text/xml"
        };
        frame(
            vec![
                (":message-type", "event"),
                (":event-type", event_type),
                (":content-type", content_type),
            ],
            payload,
        )
    }

    pub fn stats(scanned: u64, processed: u64, returned: u64) -> Vec<u8> {
        let xml = format!(
            "<Stats><BytesScanned>{scanned}</BytesScanned><BytesProcessed>{processed}</BytesProcessed><BytesReturned>{returned}</BytesReturned></Stats>"
        );
        event("Stats", xml.as_bytes())
    }

    pub fn error(code: &str, message: &str) -> Vec<u8> {
        frame(
            vec![
                (":message-type", "error"),
                (":error-code", code),
                (":error-message", message),
            ],
            b"",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::encode;
    use super::*;

    fn stream() -> Vec<u8> {
        [
            encode::event("Records", b"{\"a\":1}\n"),
            encode::event("Cont", b""),
            encode::event("Records", b"{\"a\":2}\n"),
            encode::stats(100, 100, 16),
            encode::event("End", b""),
        ]
        .concat()
    }

    fn decode_in_chunks(bytes: &[u8], chunk: usize) -> Result<Vec<SelectEvent>, StreamError> {
        let mut d = SelectStreamDecoder::new();
        let mut all = Vec::new();
        for c in bytes.chunks(chunk) {
            all.extend(d.feed(c)?);
        }
        d.finish()?;
        Ok(all)
    }

    #[test]
    fn every_chunk_size_gives_the_same_events() {
        let bytes = stream();
        let whole = decode_in_chunks(&bytes, bytes.len()).unwrap();
        assert_eq!(
            whole,
            vec![
                SelectEvent::Records(b"{\"a\":1}\n".to_vec()),
                SelectEvent::Cont,
                SelectEvent::Records(b"{\"a\":2}\n".to_vec()),
                SelectEvent::Stats(Progress {
                    bytes_scanned: 100,
                    bytes_processed: 100,
                    bytes_returned: 16
                }),
                SelectEvent::End,
            ]
        );
        for chunk in 1..bytes.len() {
            assert_eq!(
                decode_in_chunks(&bytes, chunk).unwrap(),
                whole,
                "chunk size {chunk}"
            );
        }
    }

    #[test]
    fn a_stream_without_end_is_incomplete() {
        let bytes = stream();
        let cut = bytes.len() - encode::event("End", b"").len();
        assert_eq!(
            decode_in_chunks(&bytes[..cut], 7),
            Err(StreamError::Incomplete)
        );
        assert!(matches!(
            decode_in_chunks(&bytes[..cut + 5], 7),
            Err(StreamError::Corrupt(_))
        ));
    }

    #[test]
    fn an_error_event_after_records_carries_its_code() {
        let bytes = [
            encode::event("Records", b"x\n"),
            encode::error("CastFailed", "Attempt to convert failed"),
        ]
        .concat();
        let mut d = SelectStreamDecoder::new();
        let err = d.feed(&bytes).unwrap_err();
        assert_eq!(
            err,
            StreamError::Service {
                code: "CastFailed".into(),
                message: "Attempt to convert failed".into()
            }
        );
    }

    #[test]
    fn every_corrupted_byte_is_an_error_not_a_panic() {
        let bytes = stream();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x5a;
            for chunk in [1, 5, bad.len()] {
                let r = decode_in_chunks(&bad, chunk);
                assert!(
                    r.is_err(),
                    "flipping byte {i} went unnoticed at chunk {chunk}: {r:?}"
                );
            }
        }
    }

    #[test]
    fn absurd_frame_lengths_are_refused_before_buffering() {
        let mut frame = encode::event("Records", b"x");
        frame[0..4].copy_from_slice(&u32::MAX.to_be_bytes());
        let crc = crate::crc32::hash(&frame[..8]);
        frame[8..12].copy_from_slice(&crc.to_be_bytes());
        let mut d = SelectStreamDecoder::new();
        assert!(matches!(d.feed(&frame), Err(StreamError::Corrupt(m)) if m.contains("claims")));
    }
}
