//! The exports of classes that JS can never have an instance of.
//!
//! wasm-bindgen exports the methods of every `#[wasm_bindgen]` class of every crate linked in:
//! the page's wasm carried wasm-streams' three (linked through Leptos's server functions, which
//! it has none of), with the futures they drive and their drop code. JS gets an instance of a
//! class from its constructor or from the wasm (which the glue wraps with `Class.__wrap`); a
//! class with neither is never instantiated, so its methods can never be called: their exports
//! go, and wasm-opt drops their code. Its JS class stays in the glue, unused.

use wasm_bindgen_cli_support::Output;

/// Drops the exports of the classes of `output`'s glue that JS never gets an instance of;
/// returns how many.
pub fn drop_unreachable(output: &mut Output) -> usize {
    let unreachable = unreachable(output.js());
    let exports = &mut output.wasm_mut().exports;
    let dropped: Vec<_> = exports
        .iter()
        .filter(|e| unreachable.iter().any(|class| of_class(&e.name, class)))
        .map(|e| e.id())
        .collect();
    for &id in &dropped {
        exports.delete(id);
    }
    dropped.len()
}

/// The classes of `js` (wasm-bindgen's glue) that JS never gets an instance of, lowercase as
/// their exports name them.
pub fn unreachable(js: &str) -> Vec<String> {
    classes(js)
        .filter(|(name, body)| !body.contains("constructor(") && !wrapped(js, name))
        .map(|(name, _)| name.to_lowercase())
        .collect()
}

/// Whether the linker's export `symbol` (wasm-bindgen's name with its crate's hash,
/// `never_pull_58a9338f50bce61c`) is a method or the destructor of one of `classes`.
pub fn linked_export_of(symbol: &str, classes: &[String]) -> bool {
    let name = match symbol.rsplit_once('_') {
        Some((name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name
        }
        _ => symbol,
    };
    classes.iter().any(|class| of_class(name, class))
}

/// The glue's classes: each one's name and body.
fn classes(js: &str) -> impl Iterator<Item = (&str, &str)> {
    js.split("\nexport class ").skip(1).filter_map(|rest| {
        let (name, body) = rest.split_once(" {")?;
        let body = body.split("\n}\n").next()?;
        Some((name, body))
    })
}

fn wrapped(js: &str, class: &str) -> bool {
    js.contains(&format!("{class}.__wrap("))
}

/// Whether `export` is a method (or the destructor) of `class`, as wasm-bindgen names them.
fn of_class(export: &str, class: &str) -> bool {
    export == format!("__wbg_{class}_free")
        || export
            .strip_prefix(class)
            .is_some_and(|rest| rest.starts_with('_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "const a = 1;
export class Made {
    static __wrap(ptr) {}
    free() { wasm.__wbg_made_free(ptr, 0); }
}
export class Built {
    constructor() { wasm.built_new(); }
}
export class Never {
    pull(c) { return wasm.never_pull(this.__wbg_ptr, c); }
}
function f(p) { return Made.__wrap(p); }
";

    #[test]
    fn a_class_neither_constructed_nor_wrapped_is_unreachable() {
        let found: Vec<_> = classes(GLUE).map(|(name, _)| name).collect();
        assert_eq!(found, ["Made", "Built", "Never"]);
        let reachable =
            |name: &str, body: &str| body.contains("constructor(") || wrapped(GLUE, name);
        let unreachable: Vec<_> = classes(GLUE)
            .filter(|(name, body)| !reachable(name, body))
            .map(|(name, _)| name)
            .collect();
        assert_eq!(unreachable, ["Never"]);
    }

    #[test]
    fn a_linked_export_is_named_with_its_crate_s_hash() {
        let never = ["never".to_string()];
        assert!(linked_export_of("never_pull_58a9338f50bce61c", &never));
        assert!(linked_export_of(
            "__wbg_never_free_58a9338f50bce61c",
            &never
        ));
        assert!(linked_export_of("never_pull", &never));
        assert!(!linked_export_of("nevermore_pull_58a9338f50bce61c", &never));
        assert!(!linked_export_of("main", &never));
    }

    #[test]
    fn a_class_s_exports_are_its_methods_and_destructor() {
        assert!(of_class("never_pull", "never"));
        assert!(of_class("__wbg_never_free", "never"));
        assert!(!of_class("nevermore_pull", "never"));
        assert!(!of_class("main", "never"));
    }
}
