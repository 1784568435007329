//! The page's wasm keeps its relocations (`--emit-relocs`), which the site build's splitter
//! (crates/bindgen `web-split`, for Leptos's `#[lazy]`) needs to cut it into parts.

fn main() {
    if std::env::var("CARGO_CFG_TARGET_FAMILY").as_deref() == Ok("wasm") {
        println!("cargo::rustc-link-arg-bin=wyvern=--emit-relocs");
    }
}
