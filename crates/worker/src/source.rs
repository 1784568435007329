//! Where the bytes come from: a `File` the user chose (it never leaves the browser) or a URL
//! (the bundled datasets), both read as streams so memory stays bounded.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::ReadableStream;
use wyvern_protocol::engine::Source as Origin;
use wyvern_transport::{Answer, Chunks};

pub struct Source {
    chunks: Chunks,
    /// Total size when known (0 otherwise), for the progress bar.
    pub total: f64,
}

/// A global constructor, e.g. `URL`, called with `args`.
fn construct(name: &str, args: &Array) -> Result<JsValue, String> {
    let ctor: Function = Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| format!("This browser has no {name}."))?;
    Reflect::construct(&ctor, args).map_err(text)
}

fn text(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "unknown error".to_string())
}

/// Refuses a data URL that would leave this site (a worker's fetches are not bound by the
/// page's CSP), so only a relative path is accepted: no scheme, no `//host`, nor `\` or control characters (which URL parsing turns
/// into one); and the origin the browser resolved it to must be the worker's own.
fn check_site_url(url: &str, resolved_origin: &str, own_origin: &str) -> Result<(), String> {
    let first_part = url.split(['/', '?', '#']).next().unwrap_or_default();
    let relative_path = !first_part.contains(':')
        && !url.starts_with("//")
        && !url.contains(|c: char| c == '\\' || c.is_whitespace() || c.is_control());
    let own_site = !own_origin.is_empty() && own_origin != "null" && resolved_origin == own_origin;
    if relative_path && own_site {
        Ok(())
    } else {
        Err(format!(
            "Refused to fetch {url}: data must be a path on this site ({own_origin})."
        ))
    }
}

/// The worker's own origin, and the origin `url` resolves to from the worker's location.
fn origins(url: &str) -> Result<(String, String), String> {
    let field = |o: &JsValue, key: &str| {
        Reflect::get(o, &key.into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    };
    let location = Reflect::get(&js_sys::global(), &"location".into()).map_err(text)?;
    let base = field(&location, "href");
    let resolved = construct("URL", &Array::of2(&url.into(), &base.into()))
        .map_err(|e| format!("Refused to fetch {url}: {e}"))?;
    Ok((field(&location, "origin"), field(&resolved, "origin")))
}

/// Fetches a URL of this site (the transport refuses redirects: they could lead anywhere); an
/// answer that is not a success is an error.
pub async fn fetch(url: &str) -> Result<Answer, String> {
    if url.is_empty() {
        return Err("No data: choose a dataset or open a file.".to_string());
    }
    let (own, resolved) = origins(url)?;
    check_site_url(url, &resolved, &own)?;
    let answer = wyvern_transport::get(url, None)
        .await
        .map_err(|e| format!("Could not fetch {url}: {e}"))?;
    if !(200..300).contains(&answer.status) {
        return Err(format!("Could not fetch {url}: HTTP {}", answer.status));
    }
    Ok(answer)
}

/// The bytes `start..end` of a Blob (a File, or a fetched object), read without the rest.
pub async fn read_slice(blob: &web_sys::Blob, start: f64, end: f64) -> Result<Vec<u8>, JsValue> {
    let part = blob.slice_with_f64_and_f64(start, end)?;
    let buffer: js_sys::ArrayBuffer = wasm_bindgen_futures::JsFuture::from(part.array_buffer())
        .await?
        .dyn_into()?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

impl Source {
    /// Opens the run's file or URL. Compressed data stays compressed: the engine decodes it.
    pub async fn open(from: &Origin) -> Result<Source, String> {
        let (stream, total) = Self::stream(from).await?;
        Ok(Source {
            chunks: Chunks::reusing_buffer(stream),
            total,
        })
    }

    async fn stream(from: &Origin) -> Result<(ReadableStream, f64), String> {
        let url = match from {
            Origin::File(file) => return Ok((file.stream(), file.size())),
            Origin::Url(url) => url,
            Origin::Live { port, .. } => {
                // The live worker listens on the port until told the run is over.
                let _ = port.post_message(&wyvern_protocol::ranges::ToRanges::Close.to_js());
                return Err("A live object is read here by byte ranges, as Parquet only.".into());
            }
        };
        let answer = fetch(url).await?;
        let total = answer
            .header("content-length")
            .and_then(|l| l.parse::<f64>().ok())
            .unwrap_or(0.0);
        let body = answer
            .body_stream()
            .ok_or_else(|| format!("{url} has no body"))?;
        Ok((body, total))
    }

    /// The next chunk, or `None` at the end.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, String> {
        self.chunks
            .next()
            .await
            .map_err(|e| format!("Could not read the data: {e}"))
    }

    pub fn cancel(&self) {
        self.chunks.cancel();
    }
}

#[cfg(test)]
mod tests {
    use super::check_site_url;

    const SITE: &str = "https://class.example";

    #[test]
    fn only_paths_on_this_site_are_fetched() {
        for path in [
            "data/dragons.jsonl",
            "/data/dragons.csv",
            "./d.json?x=1#a",
            "a/b:c",
        ] {
            assert_eq!(check_site_url(path, SITE, SITE), Ok(()), "{path}");
        }
        for url in [
            "https://evil.example/x.json",
            "https://class.example/data/dragons.json",
            "//evil.example/x.json",
            "/\\evil.example/x.json",
            "\\\\evil.example",
            " //evil.example",
            "/\t/evil.example",
            "http:evil.example",
            "javascript:alert(1)",
            "data:text/plain,a",
            "blob:https://class.example/1",
        ] {
            assert!(check_site_url(url, SITE, SITE).is_err(), "{url:?}");
        }
        // Whatever the text, the browser's resolution has the last word.
        assert!(check_site_url("data/x.json", "https://evil.example", SITE).is_err());
        assert!(check_site_url("data/x.json", "null", "null").is_err());
        assert!(check_site_url("data/x.json", "", "").is_err());
    }
}
