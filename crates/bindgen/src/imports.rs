//! Short names for the functions a wasm imports from its JS glue.
//!
//! wasm-bindgen names each after its JS function and a hash (`__wbg_preventDefault_cfb06b02e7406899`):
//! the page's wasm had 175 of them, 9 KB, and their hashes don't compress. The glue names each
//! once, as a key of the object of functions it hands the wasm, so each becomes `a`, `b`, …, `ba`
//! in both.

use wasm_bindgen_cli_support::Output;

/// Renames the imports of `output`'s wasm that its glue names exactly once, as a key; returns the
/// pairs (old name, new name) for [`rename_in_glue`].
pub fn shorten(output: &mut Output) -> Vec<(String, String)> {
    let js = output.js().to_string();
    let mut renamed = Vec::new();
    for import in output.wasm_mut().imports.iter_mut() {
        if !named_once_as_key(&js, &import.name) {
            continue;
        }
        let short = short_name(renamed.len());
        renamed.push((std::mem::replace(&mut import.name, short.clone()), short));
    }
    renamed
}

/// The glue as [`shorten`] renamed its wasm's imports.
pub fn rename_in_glue(js: &str, renamed: &[(String, String)]) -> String {
    let mut js = js.to_string();
    for (old, new) in renamed {
        js = js.replacen(&format!("{old}:"), &format!("{new}:"), 1);
    }
    js
}

/// Whether `name` occurs in `js` once, and as `name:` after a blank (a key of an object).
fn named_once_as_key(js: &str, name: &str) -> bool {
    let mut found = js.match_indices(name);
    let Some((at, _)) = found.next() else {
        return false;
    };
    let before = js[..at].chars().next_back();
    found.next().is_none()
        && before.is_some_and(char::is_whitespace)
        && js[at + name.len()..].starts_with(':')
}

/// `a` … `z`, then `ba` … `bz`, `ca` …: distinct for distinct `n`, and none starts as
/// wasm-bindgen's own names (`__wbg_`, `__wbindgen_`) do.
fn short_name(mut n: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    name.reverse();
    String::from_utf8(name).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_distinct() {
        let names: std::collections::HashSet<String> = (0..2000).map(short_name).collect();
        assert_eq!(names.len(), 2000);
        assert_eq!(short_name(0), "a");
        assert_eq!(short_name(25), "z");
        assert_eq!(short_name(26), "ba");
    }

    #[test]
    fn only_a_name_the_glue_gives_once_as_a_key_is_renamed() {
        let js = "    __wbg_a_1: function() {},\n    __wbg_b_2: f,\n    x = __wbg_b_2;\n";
        assert!(named_once_as_key(js, "__wbg_a_1"));
        assert!(!named_once_as_key(js, "__wbg_b_2"));
        assert!(!named_once_as_key(js, "__wbg_c_3"));
        assert!(!named_once_as_key(js, "a_1"));
        let renamed = [("__wbg_a_1".to_string(), "a".to_string())];
        assert_eq!(
            rename_in_glue(js, &renamed),
            "    a: function() {},\n    __wbg_b_2: f,\n    x = __wbg_b_2;\n"
        );
    }
}
