#!/usr/bin/env python3
"""Connects a built site (dist/ or a copy of it) to a class environment.

    python3 scripts/site-config.py SITE_DIR CONFIG_JSON

Writes CONFIG_JSON as SITE_DIR/config.json and adds exactly the origins live mode calls to the
connect-src of SITE_DIR/index.html's Content-Security-Policy: the region's Cognito, STS, SSM and
S3 endpoints (or the custom endpoint that replaces them) and the Dragon API. No wildcards;
nothing else in the policy changes.
"""
import json
import pathlib
import re
import sys
from urllib.parse import urlsplit

SERVICES = ("cognito-identity", "cognito-idp", "sts", "ssm", "s3")


def origin(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SystemExit(f"site-config: {url!r} is not an http(s) URL")
    return f"{parts.scheme}://{parts.netloc}"


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    site, config_path = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    config = json.loads(config_path.read_text())
    if not isinstance(config, dict):
        raise SystemExit("site-config: the config must be a JSON object")
    region = config.get("region") or "us-east-1"
    if not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", region):
        raise SystemExit(f"site-config: {region!r} is not an AWS region")
    if config.get("endpoint"):
        origins = [origin(config["endpoint"])]
    else:
        origins = [f"https://{service}.{region}.amazonaws.com" for service in SERVICES]
    if config.get("dragonApiUrl"):
        api = origin(config["dragonApiUrl"])
        if api not in origins:
            origins.append(api)
    index = site / "index.html"
    html = index.read_text()
    match = re.search(r"connect-src ([^;\"]*)", html)
    if not match:
        raise SystemExit("site-config: index.html has no connect-src to extend")
    sources = match.group(1).split()
    sources += [o for o in origins if o not in sources]
    html = html[: match.start(1)] + " ".join(sources) + html[match.end(1):]
    index.write_text(html)
    (site / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    print(f"site-config: {site}/config.json written; connect-src {' '.join(sources)}")


if __name__ == "__main__":
    main()
