//! Time and randomness in a worker: `SystemTime::now()` panics on wasm32-unknown-unknown, so the
//! clock is `Date.now()`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(now_ms() as u64)
}

pub fn epoch_ms(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

pub fn random() -> f64 {
    js_sys::Math::random()
}

pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

pub async fn sleep(duration: Duration) {
    let ms = duration.as_millis().min(i32::MAX as u128) as i32;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
