#!/usr/bin/env python3
"""Connects a built site (dist/ or a copy of it) to a class environment.

    python3 scripts/site-config.py SITE_DIR CONFIG_JSON

Writes CONFIG_JSON as SITE_DIR/config.json and adds exactly the origins live mode calls to the
connect-src of SITE_DIR/index.html's Content-Security-Policy: the region's Cognito, STS, SSM,
S3 and Athena endpoints (or the custom endpoint that replaces them) and the Dragon API. No wildcards;
nothing else in the policy changes. An endpoint that is not a plain http(s) origin
(scheme://host[:port]) is refused, with nothing written.
"""
import json
import pathlib
import re
import sys

# The live worker's list (crates/aws/src/request.rs SERVICES): a test keeps the two equal.
SERVICES = ("cognito-identity", "cognito-idp", "sts", "ssm", "s3", "athena")


# What may go into the policy: scheme://host[:port], the host a DNS name, an IPv4 address or a
# bracketed IPv6 address. Anything looser (`;`, quotes, spaces, userinfo) could add directives
# to the policy or markup to the page.
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# The last label of a name has a letter, so 999.1.1.1 is neither a name nor an address.
DNS = rf"(?:{LABEL}\.)*(?=[A-Za-z0-9-]*[A-Za-z]){LABEL}"
OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = rf"{OCTET}(?:\.{OCTET}){{3}}"
IPV6 = r"\[[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*\]"
HOST = rf"{DNS}|{IPV4}|{IPV6}"
PORT = r"(?:[1-9][0-9]{0,4})"
# A path is allowed only where the config names one (the Dragon API's stage and resource).
PATH = r"(?:/[A-Za-z0-9._~%-]*)*"


def origin(url, path_allowed=False):
    """The origin of an http(s) URL for connect-src; refuses anything but a plain origin."""
    path = PATH if path_allowed else "/?"
    match = isinstance(url, str) and re.fullmatch(
        rf"(?P<origin>(?P<scheme>https?)://(?P<host>{HOST})(?::(?P<port>{PORT}))?){path}", url
    )
    if not match or (match["port"] and int(match["port"]) > 65535):
        shape = "scheme://host[:port]/path" if path_allowed else "scheme://host[:port]"
        raise SystemExit(
            f"site-config: {url!r} is not an http(s) URL of the form {shape} "
            "(a DNS name, IPv4 or [IPv6] host; no user, query or fragment)"
        )
    return match["origin"].lower()


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    site, config_path = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    config = json.loads(config_path.read_text())
    if not isinstance(config, dict):
        raise SystemExit("site-config: the config must be a JSON object")
    region = config.get("region") or "us-east-1"
    if not isinstance(region, str) or not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-[0-9]", region):
        raise SystemExit(f"site-config: {region!r} is not an AWS region")
    if config.get("endpoint"):
        origins = [origin(config["endpoint"])]
    else:
        origins = [f"https://{service}.{region}.amazonaws.com" for service in SERVICES]
    if config.get("dragonApiUrl"):
        api = origin(config["dragonApiUrl"], path_allowed=True)
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
