//! The data's shape for the editor's panel: the engine runs the sample query
//! (`data_shape::sample_sql`: `SELECT *` over the learner's FROM clause, a few hundred records)
//! on the current source with JSON output, and `data_shape::shape_of` reads the records.

use crate::source::Source;
use crate::{options, read_error};
use wyvern_protocol::engine::{Run, Shape, ShapePath};
use wyvern_select::data_shape::{sample_sql, shape_of};
use wyvern_select::{Query, SelectError};

/// JSON output, one record a line, whatever the learner's output settings are.
const JSON_LINES: &str = r#"{"JSON":{"RecordDelimiter":"\n"}}"#;

async fn sample(request: &Run) -> Result<Vec<u8>, SelectError> {
    let query = Query::compile(
        &sample_sql(&request.sql),
        options(&request.input, JSON_LINES)?,
    )?;
    let mut source = Source::open(&request.source).await.map_err(read_error)?;
    let mut run = query.start();
    let mut out = Vec::new();
    while let Some(chunk) = source.next().await.map_err(read_error)? {
        run.feed(&chunk, &mut out)?;
        if run.is_done() {
            source.cancel();
            break;
        }
    }
    run.finish(&mut out)?;
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
