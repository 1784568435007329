//! Settings for a file the learner opened, proposed from its first bytes: they are read with
//! `Blob.slice` (never the whole file), detected by the engine's detector, and answered with a
//! preview of the first lines as S3 Select will read them.

use crate::source::read_slice;
use web_sys::File;
use wyvern_protocol::engine::{DetectReason, Detected};
use wyvern_select::detect::{
    detect_compressed, detect_with_text, preview_lines, DETECT_COMPRESSED_PREFIX_BYTES,
};
use wyvern_select::serialization::InputFormat;
use wyvern_select::{ErrorCode, SelectError, DETECT_PREFIX_BYTES};

/// Lines in the preview, and characters kept of each.
const PREVIEW_LINES: usize = 12;
const PREVIEW_CHARS: usize = 160;

/// The first `len` bytes of `file` (all of it when shorter).
async fn read_prefix(file: &File, len: usize) -> Result<Vec<u8>, SelectError> {
    let failed = |_| {
        SelectError::new(
            ErrorCode::InvalidRequestParameter,
            format!("Could not read {}.", file.name()),
        )
    };
    read_slice(file, 0.0, file.size().min(len as f64))
        .await
        .map_err(failed)
}

async fn read_for_detection(file: &File) -> Result<Vec<u8>, SelectError> {
    let prefix = read_prefix(file, DETECT_PREFIX_BYTES).await?;
    // One BZIP2 block yields nothing until it is whole: read more of a compressed file.
    let more_needed = (prefix.len() as f64) < file.size();
    if more_needed && detect_compressed(&prefix).is_some() {
        return read_prefix(file, DETECT_COMPRESSED_PREFIX_BYTES).await;
    }
    Ok(prefix)
}

/// `size` is the whole object's when `file` holds only its start (an S3 object's first bytes).
pub async fn detect(file: &File, size: Option<f64>) -> Detected {
    let prefix = match read_for_detection(file).await {
        Ok(p) => p,
        Err(e) => {
            return Detected {
                input: None,
                confidence: String::new(),
                reasons: Vec::new(),
                error: Some(crate::engine_error(&e)),
                preview: Vec::new(),
            }
        }
    };
    let total = size.unwrap_or(file.size()).max(file.size());
    let (d, text) = detect_with_text(&prefix, Some(total as u64));
    // Parquet is binary: it has no lines to show.
    let binary = d
        .input()
        .is_some_and(|i| matches!(i.format, InputFormat::Parquet));
    Detected {
        input: d.input().map(|i| i.to_settings()),
        confidence: d.confidence().map_or("", |c| c.as_str()).to_string(),
        reasons: d
            .reasons
            .iter()
            .map(|r| DetectReason {
                setting: r.setting.unwrap_or_default().to_string(),
                warning: r.warning,
                text: r.text.clone(),
            })
            .collect(),
        error: d.error().map(|e| crate::engine_error(&e)),
        preview: if binary {
            Vec::new()
        } else {
            preview_lines(&text, PREVIEW_LINES, PREVIEW_CHARS)
        },
    }
}
