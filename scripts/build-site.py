#!/usr/bin/env python3
"""Builds the web app into a folder of static files: dist/, or the folder given.

    python3 scripts/build-site.py [--dist DIR]

index.html names what goes into the site, one `<link data-build rel=... href=...>` each:
  rel="rust"  a wasm binary (data-bin), built by cargo for wasm32 with the wasm-release profile
              (in one cargo run with the others, unless data-own-build);
              crates/bindgen writes its JS glue and wasm-opt -Oz shrinks it.
              data-type="main": the page's own, under content-hashed names, started by a small
              module script (the page's Content-Security-Policy forbids inline scripts).
              data-type="worker": BIN.js, BIN_bg.wasm and BIN_loader.js, the fixed name the page
              starts the worker with.
  rel="css", rel="icon"  copied under a content-hashed name, linked with an integrity hash.
  rel="copy-file", rel="copy-dir"  copied as they are.
Comments in index.html are notes for the build and are left out of the page.
bench.html gets index.html's Content-Security-Policy, so the policy is written once.

It needs only cargo, the wasm32 target and wasm-opt, all installed by scripts/setup.sh; the site
is assembled in a scratch folder and moved into place at the end, so a server of DIR never sees
half of it.
"""
import argparse
import base64
import concurrent.futures
import functools
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
WASM_TARGET = "wasm32-unknown-unknown"
# Small code matters more than peak speed in the browser: Cargo.toml's wasm-release profile, -Oz.
WASM_PROFILE = "wasm-release"
# The custom sections naming the compiler and the target's features are of no use to a browser.
WASM_OPT_FLAGS = ("-Oz", "--strip-producers", "--strip-target-features")
WASM_OPT = ROOT / ".tools/node_modules/.bin/wasm-opt"
# The glue tool builds in a target folder of its own, so cargo builds it while it builds the wasm.
TOOL_TARGET = TARGET / "tools"
TOOL = TOOL_TARGET / "tool" / "wyvern-bindgen"
CACHE = TARGET / "site-cache"

LINK = re.compile(r"[ \t]*<link data-build (?P<attrs>[^>]*?)\s*/?>\n?")
ATTR = re.compile(r'([a-z-]+)(?:="([^"]*)")?')
ALLOWED = {
    "rust": {"rel", "href", "data-bin", "data-type", "data-own-build"},
    "css": {"rel", "href"},
    "icon": {"rel", "href"},
    "copy-file": {"rel", "href"},
    "copy-dir": {"rel", "href"},
}


def fail(message):
    raise SystemExit(f"build-site: {message}")


def run(*command, env=None):
    print("  $", " ".join(str(part) for part in command), flush=True)
    if subprocess.run([str(part) for part in command], cwd=ROOT, env=env).returncode != 0:
        fail(f"{pathlib.Path(str(command[0])).name} failed")


def digest(data, length=16):
    return hashlib.sha256(data).hexdigest()[:length]


def integrity(path):
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


def parse_links(page):
    """Each data-build link of index.html, as a dict of its attributes."""
    links = []
    for match in LINK.finditer(page):
        attrs = dict(ATTR.findall(match.group("attrs")))
        rel = attrs.get("rel")
        if rel not in ALLOWED:
            fail(f"unknown link rel {rel!r} in index.html")
        extra = set(attrs) - ALLOWED[rel]
        if extra or "href" not in attrs:
            fail(f"link rel={rel!r} in index.html: attributes {sorted(extra) or 'without href'}")
        if rel == "rust" and attrs.get("data-type") not in ("main", "worker"):
            fail(f"{attrs['href']}: data-type is main or worker")
        links.append((match, attrs))
    return links


def build_wasm(links):
    """The binaries in as few cargo runs as they allow: in one run, shared crates compile once and
    the binaries link (fat LTO, a thread each) side by side. Cargo unifies features within a run,
    so a binary marked data-own-build (one that would gain code from the others' features) gets
    a run of its own."""
    runs = [[link] for link in links if "data-own-build" in link]
    runs.insert(0, [link for link in links if "data-own-build" not in link])
    for group in filter(None, runs):
        command = ["cargo", "build", "--target", WASM_TARGET, "--profile", WASM_PROFILE]
        for link in group:
            manifest = tomllib.loads((ROOT / link["href"]).read_text())
            command += ["-p", manifest["package"]["name"], "--bin", link["data-bin"]]
        run(*command)
    return {link["data-bin"]: TARGET / WASM_TARGET / WASM_PROFILE / f"{link['data-bin']}.wasm" for link in links}


@functools.cache
def tools_digest():
    """What the glue tool and wasm-opt are, read once for all the binaries."""
    return b"".join(hashlib.sha256(t.resolve().read_bytes()).digest() for t in (TOOL, WASM_OPT))


def bindgen(wasm, stage, name, target):
    """NAME.js and NAME_bg.wasm in the stage, and with target web-split the loader NAME_split.js
    and the lazily loaded parts NAME-*.wasm. They are kept in target/site-cache, by what made
    them, so a rebuild with an unchanged binary takes a copy rather than a minute of wasm-opt.
    Returns the paths in the stage: glue, main wasm, loader (or None), parts."""
    files = (f"{name}.js", f"{name}_bg.wasm")
    made_by = hashlib.sha256()
    made_by.update(hashlib.sha256(wasm.read_bytes()).digest())
    made_by.update(tools_digest())
    made_by.update(" ".join((target, name) + WASM_OPT_FLAGS).encode())
    slot = CACHE / wasm.stem  # one entry a binary, so the cache stays small
    cached = slot / made_by.hexdigest()[:32]
    if not (cached / "done").exists():
        for other in slot.glob("[0-9a-f]*"):
            shutil.rmtree(other, ignore_errors=True)
        # Made under a name of this build's own, so two builds of one checkout never share one.
        fresh = slot / f"new-{os.getpid()}"
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        run(TOOL, target, wasm, fresh, name)
        # The main wasm and each part on its own: they share memory, table and globals by
        # export and import, which wasm-opt keeps.
        modules = [fresh / files[1]] + sorted(fresh.glob(f"{name}-*.wasm"))
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(lambda m: run(WASM_OPT, f"--output={m}", *WASM_OPT_FLAGS, m), modules))
        (fresh / "done").write_text("")
        try:
            fresh.rename(cached)
        except OSError:  # another build made the same files first
            shutil.rmtree(fresh, ignore_errors=True)
    copied = []
    for file in sorted(cached.iterdir()):
        if file.name != "done":
            shutil.copy(file, stage / file.name)
            copied.append(stage / file.name)
    loader = stage / f"{name}_split.js"
    parts = [f for f in copied if f.name.startswith(f"{name}-") and f.suffix == ".wasm"]
    return stage / files[0], stage / files[1], (loader if loader.exists() else None), parts


def pin_parts(loader, parts):
    """The loader fetches each part with its integrity hash (the parts are wasm-opt's output,
    made after the loader was written)."""
    text = loader.read_text()
    for part in parts:
        fetch = f'fetch(new URL("./{part.name}", import.meta.url))'
        if fetch not in text:
            fail(f"{loader.name} does not fetch {part.name} as expected")
        text = text.replace(fetch, f'fetch(new URL("./{part.name}", import.meta.url), {{ integrity: "{integrity(part)}" }})')
    loader.write_text(text)


def copy_hashed(source, stage):
    data = source.read_bytes()
    name = f"{source.stem}-{digest(data)}{source.suffix}"
    (stage / name).write_bytes(data)
    return stage / name


def emit(link, wasm, stage):
    """Puts one link's files in the site: the tag that replaces the link, and any for the head's end."""
    rel, source = link["rel"], ROOT / link["href"]
    if rel == "rust" and link["data-type"] == "worker":
        name = link["data-bin"]
        bindgen(wasm[name], stage, name, "no-modules")
        (stage / f"{name}_loader.js").write_text(
            f'importScripts("./{name}.js");wasm_bindgen({{module_or_path: "./{name}_bg.wasm"}});')
        return "", ""
    if rel == "rust":
        built = wasm[link["data-bin"]]
        name = f"{link['data-bin']}-{digest(built.read_bytes())}"
        glue, module, loader, parts = bindgen(built, stage, name, "web-split")
        preload_loader = ""
        if loader:
            pin_parts(loader, parts)
            # The glue imports the loader: preloaded with its hash, the import is checked too.
            preload_loader = (f'<link rel="modulepreload" href="./{loader.name}" crossorigin="anonymous"'
                              f' integrity="{integrity(loader)}">')
        boot = f"import init from './{glue.name}';\nawait init({{ module_or_path: './{module.name}' }});\n"
        boot_file = stage / f"boot-{digest(boot.encode())}.js"
        boot_file.write_text(boot)
        return (
            f'<script type="module" src="./{boot_file.name}" integrity="{integrity(boot_file)}"></script>',
            f'<link rel="modulepreload" href="./{glue.name}" crossorigin="anonymous" integrity="{integrity(glue)}">'
            + preload_loader +
            f'<link rel="preload" href="./{module.name}" crossorigin="anonymous" integrity="{integrity(module)}"'
            ' as="fetch" type="application/wasm">',
        )
    if rel in ("css", "icon"):
        copied = copy_hashed(source, stage)
        kind = "stylesheet" if rel == "css" else "icon"
        return f'<link rel="{kind}" href="./{copied.name}" integrity="{integrity(copied)}"/>', ""
    if rel == "copy-file":
        shutil.copy(source, stage / source.name)
    else:
        shutil.copytree(source, stage / source.name)
    return "", ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", default=str(ROOT / "dist"), help="where the site goes (dist/)")
    dist = pathlib.Path(parser.parse_args().dist).resolve()
    if not WASM_OPT.exists():
        fail(f"no {WASM_OPT.relative_to(ROOT)}: run scripts/setup.sh first")

    page = (ROOT / "index.html").read_text()
    links = parse_links(page)
    stage = dist.parent / f".{dist.name}.stage"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)

    tool_env = dict(os.environ, CARGO_TARGET_DIR=str(TOOL_TARGET))
    tool_build = subprocess.Popen(
        ["cargo", "build", "--quiet", "--profile", "tool", "-p", "wyvern-bindgen"], cwd=ROOT, env=tool_env)
    wasm = build_wasm([link for _, link in links if link["rel"] == "rust"])
    if tool_build.wait() != 0:
        fail("building crates/bindgen failed")

    # wasm-bindgen and wasm-opt are a process each per binary: run them side by side.
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        done = list(pool.map(lambda found: emit(found[1], wasm, stage), links))
    replacements = {match.group(0): f"    {tag}\n" if tag else "" for (match, _), (tag, _) in zip(links, done)}
    head_end = [extra for _, extra in done if extra]

    out = LINK.sub(lambda match: replacements[match.group(0)], page)
    out = re.sub(r"[ \t]*<!--.*?-->\n?", "", out, flags=re.S)  # notes for this build, not the page
    out = out.replace("</head>", "".join(head_end) + "</head>", 1)
    if re.search(r"<script(?![^>]*src=)[^>]*>\s*\S", out):
        fail("an inline script is left in index.html (the policy forbids them)")
    (stage / "index.html").write_text(out)
    copy_policy(out, stage / "bench.html")

    old = dist.parent / f".{dist.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if dist.exists():
        dist.rename(old)
    stage.rename(dist)
    shutil.rmtree(old, ignore_errors=True)
    print(f"build-site: {dist}", flush=True)


def copy_policy(page, bench):
    marker = "<!-- the page's Content-Security-Policy, copied from index.html by scripts/build-site.py -->"
    csp = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', page)
    text = bench.read_text() if bench.exists() else ""
    if not csp or marker not in text:
        fail("no policy to copy into bench.html")
    bench.write_text(text.replace(marker, csp.group(0)))


if __name__ == "__main__":
    sys.exit(main())
