//! One event stream frame, read and checked as `aws-smithy-eventstream`'s `read_message_from`
//! reads it (the same checks, in the same order, with the same messages), keeping only what S3
//! Select needs: the headers' string values and the payload. Linking that crate cost live mode
//! crc32fast's tables and its message types. tests/frame_differential.rs holds the two alike.

use crate::crc32;

const PRELUDE: usize = 12;
/// The prelude and the message CRC.
const OVERHEAD: u32 = 16;

/// A frame's headers (the string ones with their value, others with none) and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame<'a> {
    headers: Vec<(&'a str, Option<&'a str>)>,
    pub payload: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Every header in order: its name, and its value if it is a string.
    pub fn headers(&self) -> &[(&'a str, Option<&'a str>)] {
        &self.headers
    }

    /// The first header called `name`, if it holds a string.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| *v)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("invalid header name length")]
    HeaderNameLength,
    #[error("invalid header value")]
    HeaderValue,
    #[error("invalid header value type: {0}")]
    HeaderValueType(u8),
    #[error("invalid headers length")]
    HeadersLength,
    #[error("invalid message length")]
    MessageLength,
    #[error("encountered invalid UTF-8 string")]
    Utf8,
    #[error("message checksum 0x{1:X} didn't match expected checksum 0x{0:X}")]
    MessageChecksum(u32, u32),
    #[error("prelude checksum 0x{1:X} didn't match expected checksum 0x{0:X}")]
    PreludeChecksum(u32, u32),
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(word)
}

fn text(bytes: &[u8]) -> Result<&str, FrameError> {
    std::str::from_utf8(bytes).map_err(|_| FrameError::Utf8)
}

/// Reads one header from the start of `rest`: its name, its string value if it is a string,
/// and the bytes it took.
#[allow(clippy::type_complexity)]
fn header(rest: &[u8]) -> Result<(&str, Option<&str>, usize), FrameError> {
    let [name_len, rest @ ..] = rest else {
        return Err(FrameError::HeadersLength);
    };
    if rest.is_empty() {
        return Err(FrameError::HeadersLength);
    }
    let name_len = usize::from(*name_len);
    if name_len >= rest.len() {
        return Err(FrameError::HeaderNameLength);
    }
    let name = text(&rest[..name_len])?;
    let value_type = rest[name_len];
    let rest = &rest[name_len + 1..];
    let fixed = |size: usize| {
        if rest.len() >= size {
            Ok(size)
        } else {
            Err(FrameError::HeaderValue)
        }
    };
    let (value, size) = match value_type {
        // true, false
        0 | 1 => (None, 0),
        // byte, int16, int32, int64, timestamp, uuid
        2 => (None, fixed(1)?),
        3 => (None, fixed(2)?),
        4 => (None, fixed(4)?),
        5 | 8 => (None, fixed(8)?),
        9 => (None, fixed(16)?),
        // byte array, string: a 2-byte length first (the reference wants more than those 2)
        6 | 7 if rest.len() > 2 => {
            let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
            let Some(bytes) = rest[2..].get(..len) else {
                return Err(FrameError::HeaderValue);
            };
            let value = if value_type == 7 {
                Some(text(bytes)?)
            } else {
                None
            };
            (value, 2 + len)
        }
        6 | 7 => return Err(FrameError::HeaderValue),
        other => return Err(FrameError::HeaderValueType(other)),
    };
    Ok((name, value, 2 + name_len + size))
}

/// Reads the frame at the start of `bytes` (which may hold more after it).
pub fn read(bytes: &[u8]) -> Result<Frame<'_>, FrameError> {
    if bytes.len() < PRELUDE {
        return Err(FrameError::MessageLength);
    }
    let total_len = u32_at(bytes, 0);
    // A u32 always fits a usize on the targets Wyvern builds for (32 and 64 bits).
    if bytes.len() < total_len as usize {
        return Err(FrameError::MessageLength);
    }
    let header_len = u32_at(bytes, 4);
    let (expected, sent) = (crc32::hash(&bytes[..8]), u32_at(bytes, 8));
    if expected != sent {
        return Err(FrameError::PreludeChecksum(expected, sent));
    }
    if header_len == 1 {
        return Err(FrameError::HeadersLength);
    }
    let max_header_len = total_len
        .checked_sub(OVERHEAD)
        .ok_or(FrameError::MessageLength)?;
    if header_len > max_header_len {
        return Err(FrameError::HeadersLength);
    }
    // Headers are read to their declared length; one running past it is an error.
    let header_len = header_len as usize;
    let mut headers = Vec::new();
    let mut read = 0;
    while read < header_len {
        let (name, value, size) = header(&bytes[PRELUDE + read..])?;
        read += size;
        if read > header_len {
            return Err(FrameError::HeaderValue);
        }
        headers.push((name, value));
    }
    let payload_at = PRELUDE + header_len;
    let crc_at = total_len as usize - 4;
    let (expected, sent) = (crc32::hash(&bytes[..crc_at]), u32_at(bytes, crc_at));
    if expected != sent {
        return Err(FrameError::MessageChecksum(expected, sent));
    }
    Ok(Frame {
        headers,
        payload: &bytes[payload_at..crc_at],
    })
}
