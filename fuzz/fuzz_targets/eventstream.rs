//! The S3 Select event-stream decoder, fed in chunks of fuzzed sizes. Input: a mode byte and a
//! chunk seed, then either the raw stream (mode even) or, for mode odd, frames described with
//! `arbitrary` and encoded here with correct lengths and checksums, so the decoder's event
//! logic is reached as often as its framing. Checks: no panic; the same events and the same
//! error whatever the chunking.
#![no_main]

wyvern_fuzz::malloc_hooks!();

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use wyvern_aws::eventstream::{SelectEvent, SelectStreamDecoder, StreamError};
use wyvern_fuzz::chunks;

#[derive(Arbitrary, Debug)]
enum Name {
    MessageType,
    EventType,
    ErrorCode,
    ErrorMessage,
    ExceptionType,
    ContentType,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Text {
    Event,
    Error,
    Exception,
    Records,
    Progress,
    Stats,
    Cont,
    End,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Value {
    True,
    False,
    Byte(i8),
    Int16(i16),
    Int32(i32),
    Int64(i64),
    Bytes(Vec<u8>),
    String(Text),
    Timestamp(i64),
    Uuid([u8; 16]),
    /// An unknown type byte with raw bytes after it.
    Raw(u8, Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Payload {
    Bytes(Vec<u8>),
    /// `<Stats><BytesScanned>…` with fuzzed figures (text, so overflow and junk too).
    Figures(String, String, String),
}

#[derive(Arbitrary, Debug)]
struct Frame {
    headers: Vec<(Name, Value)>,
    payload: Payload,
    /// Damage: (offset, xor) applied after encoding.
    flip: Option<(u16, u8)>,
    /// Declare a different total length (prelude checksum recomputed).
    total: Option<u32>,
}

fn text(t: &Text) -> String {
    match t {
        Text::Event => "event".into(),
        Text::Error => "error".into(),
        Text::Exception => "exception".into(),
        Text::Records => "Records".into(),
        Text::Progress => "Progress".into(),
        Text::Stats => "Stats".into(),
        Text::Cont => "Cont".into(),
        Text::End => "End".into(),
        Text::Other(s) => s.clone(),
    }
}

fn name(n: &Name) -> String {
    match n {
        Name::MessageType => ":message-type".into(),
        Name::EventType => ":event-type".into(),
        Name::ErrorCode => ":error-code".into(),
        Name::ErrorMessage => ":error-message".into(),
        Name::ExceptionType => ":exception-type".into(),
        Name::ContentType => ":content-type".into(),
        Name::Other(s) => s.clone(),
    }
}

fn short(out: &mut Vec<u8>, b: &[u8]) {
    let b = &b[..b.len().min(u16::MAX as usize)];
    out.extend_from_slice(&(b.len() as u16).to_be_bytes());
    out.extend_from_slice(b);
}

fn encode(f: &Frame) -> Vec<u8> {
    let mut headers = Vec::new();
    for (n, v) in &f.headers {
        let n = name(n);
        let n = &n.as_bytes()[..n.len().min(255)];
        headers.push(n.len() as u8);
        headers.extend_from_slice(n);
        match v {
            Value::True => headers.push(0),
            Value::False => headers.push(1),
            Value::Byte(b) => headers.extend_from_slice(&[2, *b as u8]),
            Value::Int16(i) => {
                headers.push(3);
                headers.extend_from_slice(&i.to_be_bytes())
            }
            Value::Int32(i) => {
                headers.push(4);
                headers.extend_from_slice(&i.to_be_bytes())
            }
            Value::Int64(i) => {
                headers.push(5);
                headers.extend_from_slice(&i.to_be_bytes())
            }
            Value::Bytes(b) => {
                headers.push(6);
                short(&mut headers, b)
            }
            Value::String(t) => {
                headers.push(7);
                short(&mut headers, text(t).as_bytes())
            }
            Value::Timestamp(i) => {
                headers.push(8);
                headers.extend_from_slice(&i.to_be_bytes())
            }
            Value::Uuid(u) => {
                headers.push(9);
                headers.extend_from_slice(u)
            }
            Value::Raw(t, b) => {
                headers.push(*t);
                headers.extend_from_slice(b)
            }
        }
    }
    let payload = match &f.payload {
        Payload::Bytes(b) => b.clone(),
        Payload::Figures(a, b, c) => format!(
            "<Stats><BytesScanned>{a}</BytesScanned><BytesProcessed>{b}</BytesProcessed><BytesReturned>{c}</BytesReturned></Stats>"
        )
        .into_bytes(),
    };
    let total = 12 + headers.len() + payload.len() + 4;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&f.total.unwrap_or(total as u32).to_be_bytes());
    out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    out.extend_from_slice(&headers);
    out.extend_from_slice(&payload);
    let crc = crc32(&out);
    out.extend_from_slice(&crc.to_be_bytes());
    if let Some((at, x)) = f.flip {
        let n = out.len();
        out[at as usize % n] ^= x;
    }
    out
}

fn crc32(b: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(b);
    h.finalize()
}

/// Events until the first error, the error, and what finish said.
fn decode(
    bytes: &[u8],
    seed: u8,
) -> (
    Vec<SelectEvent>,
    Option<StreamError>,
    Result<(), StreamError>,
) {
    let mut d = SelectStreamDecoder::new();
    let mut events = Vec::new();
    for c in chunks(bytes, seed) {
        match d.feed(c) {
            Ok(ev) => events.extend(ev),
            Err(e) => {
                // A second feed after an error is refused, not a panic.
                assert!(d.feed(b"more").is_err());
                return (events, Some(e), d.finish());
            }
        }
    }
    let end = d.finish();
    (events, None, end)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let (mode, seed) = (data[0], data[1]);
    let stream = if mode & 1 == 1 {
        let u = Unstructured::new(&data[2..]);
        let Ok(frames) = Vec::<Frame>::arbitrary_take_rest(u) else {
            return;
        };
        frames.iter().flat_map(encode).collect::<Vec<u8>>()
    } else {
        data[2..].to_vec()
    };
    let whole = decode(&stream, 0);
    let chunked = decode(&stream, seed);
    // Fed whole, the events before an error are lost with the error; compare those only when
    // neither run failed.
    assert_eq!(whole.1, chunked.1, "the error depends on the chunk sizes");
    assert_eq!(whole.2, chunked.2, "finish depends on the chunk sizes");
    if whole.1.is_none() {
        assert_eq!(whole.0, chunked.0, "the events depend on the chunk sizes");
    }
});
