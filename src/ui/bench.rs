//! bench.html?data=URL&input=JSON&expr=SQL&runs=N: runs a query N times through the app's
//! engine worker and publishes `window.__bench = {ms, mbps, rows, bytes_out}` (the best run).

use crate::net::engine::{BenchResult, EngineClient, EngineEvent};
use crate::net::page;
use leptos::prelude::*;

#[component]
pub fn BenchPage() -> impl IntoView {
    let data = page::search_param("data").unwrap_or_else(|| "data/dragons.jsonl".into());
    let input =
        page::search_param("input").unwrap_or_else(|| r#"{"JSON":{"Type":"LINES"}}"#.into());
    let expr = page::search_param("expr").unwrap_or_else(|| "SELECT COUNT(*) FROM S3Object".into());
    let runs = page::search_param("runs")
        .and_then(|r| r.parse::<u32>().ok())
        .unwrap_or(5)
        .clamp(1, 1000);
    let result = RwSignal::new(None::<BenchResult>);
    let failure = RwSignal::new(None::<String>);
    let client = EngineClient::spawn(move |event| match event {
        EngineEvent::Bench { result: r, .. } => {
            let obj = js_sys::Object::new();
            for (k, v) in [
                ("ms", r.ms),
                ("mbps", r.mbps),
                ("rows", r.rows),
                ("bytes_out", r.bytes_out),
            ] {
                let _ = js_sys::Reflect::set(&obj, &k.into(), &v.into());
            }
            page::set_window_value("__bench", &obj);
            result.set(Some(r));
        }
        EngineEvent::Error { error, .. } => {
            let msg = format!("{}: {}", error.code, error.message);
            page::set_window_value("__bench_error", &msg.clone().into());
            failure.set(Some(msg));
        }
        _ => {}
    });
    match client {
        Ok(c) => {
            c.bench(&data, &input, &expr, runs);
            // The worker lives as long as the page.
            std::mem::forget(c);
        }
        Err(e) => failure.set(Some(e)),
    }
    view! {
        <main class="bench">
            <h1>"Wyvern engine benchmark"</h1>
            <dl class="stats">
                <div><dt>"Data"</dt><dd>{data}</dd></div>
                <div><dt>"Input"</dt><dd>{input}</dd></div>
                <div><dt>"Query"</dt><dd>{expr}</dd></div>
                <div><dt>"Runs"</dt><dd>{runs}</dd></div>
            </dl>
            {move || failure.get().map(|f| view! { <p class="error" id="bench-error">{f}</p> })}
            {move || match result.get() {
                None => view! { <p id="bench-status">"Running…"</p> }.into_any(),
                Some(r) => view! {
                    <table id="bench-result">
                        <tr><th>"best ms"</th><td>{format!("{:.1}", r.ms)}</td></tr>
                        <tr><th>"MB/s"</th><td>{format!("{:.1}", r.mbps)}</td></tr>
                        <tr><th>"records"</th><td>{r.rows.to_string()}</td></tr>
                        <tr><th>"bytes out"</th><td>{r.bytes_out.to_string()}</td></tr>
                        <tr><th>"bytes in"</th><td>{r.bytes_in.to_string()}</td></tr>
                        <tr><th>"all runs (ms)"</th><td>{r.times}</td></tr>
                    </table>
                }.into_any(),
            }}
        </main>
    }
}
