//! The data's shape for the editor's panel: the engine runs the sample query
//! (`data_shape::sample_sql`: `SELECT *` over the learner's FROM clause, a few hundred records)
//! on the current source with JSON output, and `data_shape::shape_of` reads the records.

use crate::source::Source;
use crate::{options, parquet, read_error};
use wyvern_protocol::engine::{Run, Shape, ShapePath};
use wyvern_select::data_shape::{sample_sql, shape_of};
use wyvern_select::serialization::InputFormat;
use wyvern_select::{Query, SelectError};

/// JSON output, one record a line, whatever the learner's output settings are.
const JSON_LINES: &str = r#"{"JSON":{"RecordDelimiter":"\n"}}"#;
/// The sample's output is cut here whatever its records hold (a record may be up to 1 MB).
const MAX_SAMPLE_BYTES: usize = 4 << 20;

async fn sample(request: &Run) -> Result<Vec<u8>, SelectError> {
    let query = Query::compile(
        &sample_sql(&request.sql),
        options(&request.input, JSON_LINES)?,
    )?;
    if matches!(query.options().input.format, InputFormat::Parquet) {
        return sample_parquet(&query, request).await;
    }
    let mut source = Source::open(&request.source).await.map_err(read_error)?;
    let mut run = query.start();
    let mut out = Vec::new();
    while let Some(chunk) = source.next().await.map_err(read_error)? {
        run.feed(&chunk, &mut out)?;
        if run.is_done() || out.len() >= MAX_SAMPLE_BYTES {
            source.cancel();
            // Whole records only: the sample ends at its last line break.
            let end = out.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            out.truncate(end);
            return Ok(out);
        }
    }
    run.finish(&mut out)?;
    Ok(out)
}

/// The sample of a Parquet object: the first row group holds its first records.
async fn sample_parquet(query: &Query, request: &Run) -> Result<Vec<u8>, SelectError> {
    let object = parquet::Object::open(&request.source)
        .await
        .map_err(parquet::Unread::into_error)?;
    let mut run = query.start_parquet(object.size() as u64)?;
    let mut out = Vec::new();
    while !run.wanted().is_empty() && out.len() < MAX_SAMPLE_BYTES {
        let chunks = object
            .read_ranges(run.wanted())
            .await
            .map_err(parquet::Unread::into_error)?;
        run.supply(chunks, &mut out)?;
    }
    if run.is_done() {
        run.finish(&mut out)?;
    }
    Ok(out)
}

pub async fn shape(request: &Run) -> Shape {
    let output = match sample(request).await {
        Ok(o) => o,
        Err(e) => {
            return Shape {
                note: format!("{}: {}", e.code.as_str(), e.message),
                paths: Vec::new(),
            }
        }
    };
    let found = shape_of(&request.sql, &output);
    let note = if found.truncated {
        format!(
            "{} records sampled; the first {} paths:",
            found.records,
            found.paths.len()
        )
    } else {
        format!("{} records sampled.", found.records)
    };
    Shape {
        note,
        paths: found
            .paths
            .iter()
            .map(|p| ShapePath {
                path: p.path.clone(),
                types: p.types_text(),
                absent: p.absent_text(),
            })
            .collect(),
    }
}
