"""Tests for scripts/site-config.py: only plain http(s) origins reach the page's policy.

    python3 -m unittest scripts/test_site_config.py      (or: python3 -m pytest scripts)
"""
import importlib.util
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parent / "site-config.py"
spec = importlib.util.spec_from_file_location("site_config", SCRIPT)
site_config = importlib.util.module_from_spec(spec)
spec.loader.exec_module(site_config)

CSP = (
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "connect-src 'self'; style-src 'self'"
)
INDEX = f'<html><head><meta http-equiv="Content-Security-Policy" content="{CSP}" /></head></html>\n'

# Each would add a directive, a source or markup if it reached the policy as written.
INJECTIONS = [
    "https://a.example; script-src *",
    "https://a.example;script-src",
    "https://a.example' 'unsafe-inline",
    'https://a.example"><script>alert(1)</script>',
    "https://a.example https://evil.example",
    "https://a.example\n",
    "https://a.example\t",
    "https://user:pass@a.example",
    "https://a.example@evil.example",
    "https://a.example?x=1",
    "https://a.example#f",
    "https://a.example/path",
    "https://*.example",
    "https://a.example:99999",
    "https://a.example:0",
    "https://a.example:",
    "https://999.1.1.1",
    "https://a_b.example",
    "https://-a.example",
    "https://[::1;]",
    "https://",
    "javascript:alert(1)",
    "ftp://a.example",
    "HTTPS://a.example",
    "//a.example",
    "a.example",
    "",
    42,
]

ACCEPTED = {
    "https://sts.us-east-1.amazonaws.com": "https://sts.us-east-1.amazonaws.com",
    "http://127.0.0.1:5005": "http://127.0.0.1:5005",
    "http://127.0.0.1:5005/": "http://127.0.0.1:5005",
    "http://localhost:4566": "http://localhost:4566",
    "http://[::1]:5005": "http://[::1]:5005",
    "https://S3.Example.COM": "https://s3.example.com",
}


class Origin(unittest.TestCase):
    def test_plain_origins_are_accepted(self):
        for url, expected in ACCEPTED.items():
            self.assertEqual(site_config.origin(url), expected, url)

    def test_injections_are_refused(self):
        for url in INJECTIONS:
            with self.assertRaises(SystemExit, msg=repr(url)) as refused:
                site_config.origin(url)
            self.assertIn("is not an http(s) URL", str(refused.exception))

    def test_the_dragon_api_may_name_a_path_but_nothing_else(self):
        api = "https://abc123.execute-api.us-east-1.amazonaws.com/prod/dragons"
        self.assertEqual(
            site_config.origin(api, path_allowed=True),
            "https://abc123.execute-api.us-east-1.amazonaws.com",
        )
        paths = ["https://a.example/x;y", "https://a.example/'x", "https://a.example/a b"]
        for url in [u for u in INJECTIONS if u != "https://a.example/path"] + paths:
            with self.assertRaises(SystemExit, msg=repr(url)):
                site_config.origin(url, path_allowed=True)


class Script(unittest.TestCase):
    def run_on(self, config):
        site = pathlib.Path(self.enterContext(tempfile.TemporaryDirectory()))
        (site / "index.html").write_text(INDEX)
        (site / "in.json").write_text(json.dumps(config))
        done = subprocess.run(
            [sys.executable, str(SCRIPT), str(site), str(site / "in.json")],
            capture_output=True,
            text=True,
        )
        return site, done

    def test_a_bad_endpoint_fails_and_writes_nothing(self):
        for key in ("endpoint", "dragonApiUrl"):
            site, done = self.run_on({"region": "us-east-1", key: "https://a.example; script-src *"})
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("site-config: 'https://a.example; script-src *' is not an http(s) URL", done.stderr)
            self.assertEqual((site / "index.html").read_text(), INDEX)
            self.assertFalse((site / "config.json").exists())

    def test_a_bad_region_fails(self):
        for region in ("us-east-1; script-src *", "us-east-\u0661", ["us-east-1"]):
            _, done = self.run_on({"region": region})
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("is not an AWS region", done.stderr)

    def test_a_good_config_adds_exactly_its_origins(self):
        site, done = self.run_on(
            {"endpoint": "http://127.0.0.1:5005/", "dragonApiUrl": "http://127.0.0.1:5005/prod/dragons"}
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        html = (site / "index.html").read_text()
        self.assertIn("connect-src 'self' http://127.0.0.1:5005; style-src", html)
        self.assertEqual(html.replace(" http://127.0.0.1:5005;", ";"), INDEX)


class ServicesTest(unittest.TestCase):
    def test_the_policy_names_the_services_the_live_worker_calls(self):
        """The CSP's AWS origins and the live worker's allowed origins come from two lists, one
        in Python and one in Rust: they must be the same."""
        rust = (SCRIPT.parents[1] / "crates" / "aws" / "src" / "request.rs").read_text()
        listed = re.search(r"pub const SERVICES: &\[&str\] = &\[([^\]]*)\];", rust).group(1)
        self.assertEqual(tuple(re.findall(r'"([^"]+)"', listed)), site_config.SERVICES)


if __name__ == "__main__":
    unittest.main()
