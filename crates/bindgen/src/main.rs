//! `wyvern-bindgen (web|web-split|no-modules) INPUT.wasm OUT_DIR NAME`: writes `NAME.js` and
//! `NAME_bg.wasm`, as `wasm-bindgen --target T --no-typescript --out-name NAME --out-dir OUT_DIR INPUT`
//! would.
//!
//! `web-split` first splits INPUT (linked with `--emit-relocs`) at its `#[wasm_split]` points
//! (Leptos's `#[lazy]`), as cargo-leptos does: the main part goes through wasm-bindgen (keeping
//! the linker's exports, which the parts share), and beside it go `NAME_split.js`, the loader
//! the main wasm imports, and its parts `NAME-split_*.wasm` / `NAME-chunk_*.wasm`.

mod classes;
mod imports;
mod traps;

use std::path::Path;
use std::process::ExitCode;

use wasm_bindgen_cli_support::Bindgen;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, input, out_dir, name] = args.as_slice() else {
        eprintln!("usage: wyvern-bindgen (web|web-split|no-modules) INPUT.wasm OUT_DIR NAME");
        return ExitCode::from(2);
    };
    let result = if target == "web-split" {
        split(input, out_dir, name)
    } else {
        generate(target, input, out_dir, name, false)
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wyvern-bindgen: {input}: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn split(input: &str, out_dir: &str, name: &str) -> anyhow::Result<()> {
    let wasm = std::fs::read(input)?;
    // The exports of classes JS never gets an instance of, traps before the split: the splitter
    // then leaves out the code only they reach (`traps`). Which classes, the glue of the whole
    // wasm says.
    let glue = Bindgen::new()
        .web(true)?
        .input_bytes("probe", wasm.clone())
        .typescript(false)
        .generate_output()?;
    let dead = classes::unreachable(glue.js());
    let (wasm, trapped) = traps::trap_exports(&wasm, |e| classes::linked_export_of(e, &dead))?;
    eprintln!("wyvern-bindgen: {trapped} exports of unreachable classes made traps");
    let parts = Path::new(out_dir).join("split-parts");
    std::fs::create_dir_all(&parts)?;
    let main_part = parts.join("main.wasm");
    let link_name = format!("./{name}_split.js");
    let main_module = format!("./{name}.js");
    wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&wasm);
        opts.output_dir = &parts;
        opts.main_out_path = &main_part;
        opts.link_name = &link_name;
        opts.main_module = &main_module;
        opts
    })
    .map_err(|e| anyhow::anyhow!("wasm-split: {e:#}"))?;
    // The parts, named after the page's wasm, beside it; the loader names them so.
    let loader_path = parts.join(&link_name[2..]);
    let mut loader = std::fs::read_to_string(&loader_path)?;
    for entry in std::fs::read_dir(&parts)? {
        let path = entry?.path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if path == main_part || !file.ends_with(".wasm") {
            continue;
        }
        let renamed = format!("{name}-{file}");
        loader = loader.replace(&format!("\"./{file}\""), &format!("\"./{renamed}\""));
        std::fs::rename(&path, Path::new(out_dir).join(renamed))?;
    }
    std::fs::write(Path::new(out_dir).join(&link_name[2..]), loader)?;
    std::fs::remove_file(&loader_path)?;
    generate("web", main_part.to_str().unwrap(), out_dir, name, true)?;
    std::fs::remove_file(&main_part)?;
    std::fs::remove_dir(&parts)?;
    Ok(())
}

fn generate(
    target: &str,
    input: &str,
    out_dir: &str,
    name: &str,
    split: bool,
) -> anyhow::Result<()> {
    let mut bindgen = Bindgen::new();
    match target {
        "web" => bindgen.web(true)?,
        "no-modules" => bindgen.no_modules(true)?,
        other => anyhow::bail!("unknown target {other:?} (web, web-split or no-modules)"),
    };
    if split {
        // The split parts import the linker's exports (memory, table, stack pointer...) and
        // call functions by the names the split gave them.
        bindgen.keep_lld_exports(true).demangle(false);
    }
    let mut output = bindgen
        .input_path(input)
        .typescript(false)
        // The CLI's default (the library's is to omit it): the glue finds its `_bg.wasm` itself.
        .omit_default_module_path(false)
        .out_name(name)
        .generate_output()?;
    classes::drop_unreachable(&mut output);
    let renamed = imports::shorten(&mut output);
    output.emit(out_dir)?;
    let glue = Path::new(out_dir).join(format!("{name}.js"));
    let js = std::fs::read_to_string(&glue)?;
    std::fs::write(&glue, imports::rename_in_glue(&js, &renamed))?;
    Ok(())
}
