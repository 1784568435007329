//! An engine error: S3's code, the message, a caret under the SQL at the position, and what
//! the code means and how to fix it.

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

/// The message without the engine's " (at line L, column C)" suffix, which the view shows apart.
pub fn message_text(message: &str) -> &str {
    match message.rfind(" (at line ") {
        Some(i) if message.ends_with(')') => &message[..i],
        _ => message,
    }
}

#[component]
pub fn ErrorView(error: EngineError, sql: String) -> impl IntoView {
    let caret = caret_lines(&sql, error.line, error.column);
    let message = message_text(&error.message).to_string();
    let place = (error.line > 0).then(|| format!("line {}, column {}", error.line, error.column));
    view! {
        <div class="error" role="alert" id="error">
            <div class="error-head">
                <span class="error-code" id="error-code">{error.code.clone()}</span>
                {place.map(|p| view! { <span class="error-place">{p}</span> })}
            </div>
            <p class="error-message" id="error-message">{message}</p>
            <p class="hint error-advice" id="error-advice" class:hidden=error.advice.is_empty()>{error.advice.clone()}</p>
            {caret.map(|(text, mark)| view! { <pre class="caret" id="error-caret">{text}"\n"<span class="mark">{mark}</span></pre> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_column() {
        let sql = "SELECT *\nFROM S3Object\n\tWHERE x ==";
        assert_eq!(
            caret_lines(sql, 2, 6),
            Some(("FROM S3Object".into(), "     ^".into()))
        );
        assert_eq!(
            caret_lines(sql, 3, 3),
            Some(("\tWHERE x ==".into(), "\t ^".into()))
        );
        assert_eq!(caret_lines(sql, 0, 0), None);
        assert_eq!(caret_lines(sql, 9, 1), None);
    }

    #[test]
    fn position_suffix_is_dropped() {
        assert_eq!(
            message_text("Bad thing. (at line 3, column 12)"),
            "Bad thing."
        );
        assert_eq!(message_text("No position here."), "No position here.");
    }
}
