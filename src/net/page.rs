//! The page's URL, theme preference and downloads.

use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Puts the view in the URL fragment without adding a history entry.
pub fn replace_hash(fragment: &str) {
    if let Some(h) = window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok()?
}

/// A text the page keeps in this browser (the theme, the query history: nothing secret).
pub fn stored(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

/// Keeps `value` under `key`, or forgets it when `None`. A full or disabled storage is not an
/// error the learner can act on: the page just does not remember.
pub fn store(key: &str, value: Option<&str>) {
    if let Some(s) = local_storage() {
        let _ = match value {
            Some(v) => s.set_item(key, v),
            None => s.remove_item(key),
        };
    }
}

pub fn stored_theme() -> Option<String> {
    stored("wyvern-theme")
}

/// Applies and remembers the theme (a display preference, nothing secret).
pub fn set_theme(theme: &str) {
    if let Some(doc) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = doc.set_attribute("data-theme", theme);
    }
    store("wyvern-theme", Some(theme));
}

pub fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Offers `blob` as a file download.
pub fn download(name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    let Some(doc) = window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

fn session_storage() -> Option<web_sys::Storage> {
    window()?.session_storage().ok()?
}

pub fn session_get(key: &str) -> Option<String> {
    session_storage()?.get_item(key).ok()?
}

pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session_storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn session_remove(key: &str) {
    if let Some(s) = session_storage() {
        let _ = s.remove_item(key);
    }
}

/// Puts text on the clipboard; `false` where the browser offers none (pages served over plain
/// HTTP, such as an S3 website endpoint, have no clipboard API).
pub fn copy_text(text: &str) -> bool {
    let Some(w) = window() else {
        return false;
    };
    let navigator = w.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).unwrap_or_default();
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    let _ = clipboard.write_text(text);
    true
}

/// The text of `config.json` beside index.html; `None` when there is none (offline mode).
pub async fn fetch_config() -> Option<String> {
    use wasm_bindgen_futures::JsFuture;
    let resp = JsFuture::from(window()?.fetch_with_str("./config.json"))
        .await
        .ok()?;
    let resp: web_sys::Response = resp.unchecked_into();
    if !resp.ok() {
        return None;
    }
    JsFuture::from(resp.text().ok()?).await.ok()?.as_string()
}
