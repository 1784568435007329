//! What the engine detected in the learner's file: the settings it chose and why, and the first
//! lines with their delimiters made visible, so the learner sees what S3 Select sees.

use crate::net::engine::Detected;
use leptos::prelude::*;

#[component]
pub fn DetectionPanel(detected: Detected) -> impl IntoView {
    let title = match (&detected.input, detected.confidence.as_str()) {
        (Some(_), "high") => "Settings detected from your file".to_string(),
        (Some(_), c) => format!("Settings detected from your file ({c} confidence: check them)"),
        (None, _) => "Your file could not be read as CSV or JSON".to_string(),
    };
    let error = detected.error.map(|e| {
        view! { <p class="detect-error"><span class="error-code">{e.code}</span>" "{e.message}</p> }
    });
    let reasons = detected
        .reasons
        .into_iter()
        .map(|r| {
            let class = if r.warning { "warning" } else { "" };
            view! { <li class=class>{r.text}</li> }
        })
        .collect_view();
    let preview = (!detected.preview.is_empty()).then(|| {
        let lines = detected
            .preview
            .iter()
            .map(|l| view! { {shown(l)}"\n" })
            .collect_view();
        view! {
            <details class="raw-preview" open>
                <summary>"The first lines, as S3 Select reads them"</summary>
                <pre id="raw-preview">{lines}</pre>
                <p class="hint">
                    {shown("␍␊")}" ends a line with \\r\\n, "{shown("␊")}" with \\n; → is a tab, · a space at the start or end."
                </p>
            </details>
        }
    });
    view! {
        <section class="panel detection" id="detection" role="status">
            <h2>{title}</h2>
            {error}
            <ul class="reasons" id="detect-reasons">{reasons}</ul>
            {preview}
        </section>
    }
}

/// A preview line with its carriage returns and line feeds drawn as labelled marks: the text
/// keeps ␍ and ␊ (what a copy gives), the page shows "CR" and "LF", which every font can draw.
fn shown(line: &str) -> impl IntoView {
    line.split_inclusive(['␍', '␊'])
        .map(|part| {
            let (text, label, picture) = match part.strip_suffix('␍') {
                Some(text) => (text, "CR", "␍"),
                None => match part.strip_suffix('␊') {
                    Some(text) => (text, "LF", "␊"),
                    None => (part, "", ""),
                },
            };
            view! { {text.to_string()}<span class="ctl" data-label=label>{picture}</span> }
        })
        .collect_view()
}
