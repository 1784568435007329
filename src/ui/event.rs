//! Event handlers through one type for each event.

/// `f`, boxed: Leptos compiles an event attribute's code once for each handler type, and every
/// closure is a type of its own; boxed, all the handlers of one event share it.
pub fn handler<E>(f: impl FnMut(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(f)
}
