//! An engine error: S3's code, the message, and a caret under the SQL at the position.

use crate::net::engine::EngineError;
use leptos::prelude::*;

/// The SQL line the error points at, and a caret line under it.
pub fn caret_lines(sql: &str, line: u32, column: u32) -> Option<(String, String)> {
    if line == 0 || column == 0 {
        return None;
    }
    let text = sql.split('\n').nth(line as usize - 1)?;
    let pad: String = text
        .chars()
        .take(column as usize - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Some((text.to_string(), format!("{pad}^")))
}

#[component]
pub fn ErrorView(error: EngineError, sql: String) -> impl IntoView {
    let caret = caret_lines(&sql, error.line, error.column);
    let place = (error.line > 0).then(|| format!("line {}, column {}", error.line, error.column));
    view! {
        <div class="error" role="alert" id="error">
            <div class="error-head">
                <span class="error-code" id="error-code">{error.code.clone()}</span>
                {place.map(|p| view! { <span class="error-place">{p}</span> })}
            </div>
            <p class="error-message" id="error-message">{error.message.clone()}</p>
            {caret.map(|(text, mark)| view! { <pre class="caret" id="error-caret">{text}"\n"<span class="mark">{mark}</span></pre> })}
        </div>
    }
}
