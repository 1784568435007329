#!/usr/bin/env python3
"""Trunk post-build hook (runs in $TRUNK_STAGING_DIR).

Moves every inline <script> trunk wrote into index.html to its own file, so the page's
Content-Security-Policy can forbid inline scripts (script-src 'self'), and fixes the workers'
loader shims for wasm-bindgen's current init API; gives bench.html the same policy.
"""
import hashlib
import os
import pathlib
import re

staging = pathlib.Path(os.environ["TRUNK_STAGING_DIR"])
index = staging / "index.html"
html = index.read_text()

pattern = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.+?)</script>", re.S)


def externalize(match):
    attrs, body = match.group("attrs"), match.group("body")
    if "src=" in attrs or not body.strip():
        return match.group(0)
    name = "boot-" + hashlib.sha256(body.encode()).hexdigest()[:16] + ".js"
    (staging / name).write_text(body)
    return f'<script{attrs} src="./{name}"></script>'


html = pattern.sub(externalize, html)

# The worker's loader shim: pass wasm-bindgen's init an object, as its current API wants.
for shim in staging.glob("*_loader.js"):
    text = shim.read_text()
    shim.write_text(re.sub(r'wasm_bindgen\("([^"]+)"\)', r'wasm_bindgen({module_or_path: "\1"})', text))
if re.search(r"<script(?![^>]*src=)[^>]*>\s*\S", html):
    raise SystemExit("post-build: an inline script is left in index.html")
index.write_text(html)

# The benchmark page gets index.html's Content-Security-Policy, so the policy is written once.
bench = staging / "bench.html"
marker = "<!-- the page's Content-Security-Policy, copied from index.html by scripts/post-build.py -->"
csp = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', html)
if not csp or marker not in bench.read_text():
    raise SystemExit("post-build: no policy to copy into bench.html")
bench.write_text(bench.read_text().replace(marker, csp.group(0)))
