//! `wyvern-bindgen (web|no-modules) INPUT.wasm OUT_DIR NAME`: writes `NAME.js` and `NAME_bg.wasm`,
//! as `wasm-bindgen --target T --no-typescript --out-name NAME --out-dir OUT_DIR INPUT` would.

use std::process::ExitCode;

use wasm_bindgen_cli_support::Bindgen;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, input, out_dir, name] = args.as_slice() else {
        eprintln!("usage: wyvern-bindgen (web|no-modules) INPUT.wasm OUT_DIR NAME");
        return ExitCode::from(2);
    };
    match generate(target, input, out_dir, name) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wyvern-bindgen: {input}: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn generate(target: &str, input: &str, out_dir: &str, name: &str) -> anyhow::Result<()> {
    let mut bindgen = Bindgen::new();
    match target {
        "web" => bindgen.web(true)?,
        "no-modules" => bindgen.no_modules(true)?,
        other => anyhow::bail!("unknown target {other:?} (web or no-modules)"),
    };
    bindgen
        .input_path(input)
        .typescript(false)
        // The CLI's default (the library's is to omit it): the glue finds its `_bg.wasm` itself.
        .omit_default_module_path(false)
        .out_name(name)
        .generate(out_dir)
}
