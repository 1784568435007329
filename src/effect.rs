//! Effects through one closure type.
//!
//! `Effect::new` compiles its whole task (the future that waits for a change, then reruns the
//! closure in the effect's owner) once for each closure type it is given. Boxed, the page's
//! closures are one type for each type of value they pass on, so they share that code.

use leptos::prelude::*;

/// `Effect::new(f)`: `f` gets the value its previous run returned (`None` on its first run).
pub fn effect<T: 'static>(f: impl FnMut(Option<T>) -> T + 'static) -> Effect<LocalStorage> {
    let f: Box<dyn FnMut(Option<T>) -> T> = Box::new(f);
    Effect::new(f)
}
