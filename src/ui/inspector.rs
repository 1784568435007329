//! The request inspector: every live call, newest first — what was sent (secrets redacted),
//! what it was signed over, what came back, and the same call for the AWS CLI or boto3.

use crate::net::page;
use crate::state::live::{Inspected, Live};
use crate::ui::event::handler;
use leptos::prelude::*;
use wyvern_protocol::live::Outcome;

fn headers(list: Vec<(String, String)>) -> impl IntoView {
    view! {
        <table class="headers">
            <tbody>
                {list.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}

/// One call. `opened` holds the calls whose details the learner opened: the list is drawn anew
/// when a call is added (cheaper in the page's wasm than a keyed list), and they stay open.
/// `opened` is the one truth: a click updates it at once, the `open` property follows, and the
/// toggle event only catches what opened otherwise (find in page).
fn exchange_view(record: Inspected, live: Live, opened: RwSignal<Vec<u64>>) -> impl IntoView {
    let e = record.exchange;
    let seq = e.seq;
    let (status, status_class, response_headers, response_body) = match e.outcome {
        Outcome::Answered {
            status,
            headers,
            body,
        } => {
            let class = if (200..300).contains(&status) {
                "status-ok"
            } else {
                "status-error"
            };
            (status.to_string(), class, headers, body)
        }
        Outcome::Failed { why } => (
            format!("no answer: {why}"),
            "status-failed",
            Vec::new(),
            String::new(),
        ),
    };
    let retry = (e.attempt > 1).then(|| format!(" · attempt {}", e.attempt));
    let signing = e.signing;
    let (cli, boto3) = (e.cli.clone(), e.boto3.clone());
    let (cli_copy, boto3_copy) = (cli.clone(), boto3.clone());
    let copied = RwSignal::new(None::<&'static str>);
    let copy = move |text: &str, what: &'static str| {
        copied.set(Some(if page::copy_text(text) {
            what
        } else {
            "This page has no clipboard access (it is not served over HTTPS): select the text below and copy it."
        }));
    };
    // Frames arrive after the exchange: read them live from the list.
    let frames = move || {
        live.exchanges
            .with(|l| {
                l.iter()
                    .find(|x| x.exchange.seq == seq)
                    .map(|x| x.frames.clone())
            })
            .unwrap_or_default()
    };
    view! {
        <details
            class="exchange"
            data-seq=seq.to_string()
            prop:open=move || opened.with(|o| o.contains(&seq))
            on:toggle=handler(move |e| {
                let open = event_target::<web_sys::HtmlDetailsElement>(&e).open();
                if open != opened.with_untracked(|o| o.contains(&seq)) {
                    opened.update(|o| if open { o.push(seq) } else { o.retain(|s| *s != seq) });
                }
            })
        >
            <summary on:click=handler(move |e: leptos::ev::MouseEvent| {
                // Opened here, not by the browser's own toggle: a call that arrives before the
                // toggle event redraws the list, and the learner's click must already count.
                e.prevent_default();
                opened.update(|o| match o.iter().position(|s| *s == seq) {
                    Some(i) => { o.remove(i); }
                    None => o.push(seq),
                });
            })>
                <span class="mono method">{e.method.clone()}</span>
                <span class="op">{format!("{} {}", e.service, e.operation)}</span>
                <span class=format!("mono {status_class}")>{status}</span>
                <span class="hint">{format!("{} ms", super::format::count(e.ms))}{retry}</span>
            </summary>
            <div class="exchange-body">
                <h3>"Request"</h3>
                <p class="mono url">{e.url.clone()}</p>
                {headers(e.request_headers.clone())}
                <pre class="body request-body">{e.request_body.clone()}</pre>
                {signing.map(|s| view! {
                    <h3>"Signature (SigV4)"</h3>
                    <p class="hint">"The canonical request is what was signed; its SHA-256 goes into the string to sign, which the secret key's derived signing key signs."</p>
                    <h4>"Canonical request"</h4>
                    <pre class="canonical-request">{s.canonical_request}</pre>
                    <h4>"String to sign"</h4>
                    <pre class="string-to-sign">{s.string_to_sign}</pre>
                    <h4>"Signature"</h4>
                    <pre class="signature">{s.signature}</pre>
                })}
                <h3>"Response"</h3>
                {headers(response_headers)}
                <pre class="body response-body">{response_body}</pre>
                <div class:hidden=move || frames().is_empty()>
                    <h4>"Event-stream frames"</h4>
                    <ol class="frames">{move || frames().into_iter().map(|f| view! { <li class="mono">{f}</li> }).collect_view()}</ol>
                </div>
                <h3>"Do it yourself"</h3>
                <div class="copy-row">
                    <button class="secondary copy-cli" on:click=handler(move |_| copy(&cli_copy, "Copied the AWS CLI command."))>"Copy as AWS CLI"</button>
                    <button class="secondary copy-boto3" on:click=handler(move |_| copy(&boto3_copy, "Copied the boto3 snippet."))>"Copy as boto3"</button>
                    <span class="hint copied" role="status">{move || copied.get()}</span>
                </div>
                <pre class="snippet cli">{cli}</pre>
                <pre class="snippet boto3">{boto3}</pre>
                <p class="hint">"No secrets in these: the AWS CLI and boto3 take credentials from your profile or environment."</p>
            </div>
        </details>
    }
}

#[component]
pub fn Inspector(live: Live) -> impl IntoView {
    let count = move || live.exchanges.with(Vec::len);
    let opened = RwSignal::new(Vec::<u64>::new());
    view! {
        <section class="panel inspector" id="inspector" class:hidden=move || count() == 0>
                <div class="query-bar">
                    <h2>"Request inspector"</h2>
                    <span class="hint">{move || format!("{} calls, newest first", count())}</span>
                    <button class="secondary" id="inspector-clear" on:click=handler(move |_| live.exchanges.set(Vec::new()))>"Clear"</button>
                </div>
                {move || live.exchanges.get().into_iter().map(|e| exchange_view(e, live, opened)).collect_view()}
        </section>
    }
}
