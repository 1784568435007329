"""Tests for scripts/build-site.py's reading of index.html: what it builds, and what it refuses.

    python3 -m unittest scripts/test_build_site.py
"""
import importlib.util
import pathlib
import unittest

SCRIPT = pathlib.Path(__file__).resolve().parent / "build-site.py"
spec = importlib.util.spec_from_file_location("build_site", SCRIPT)
build_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_site)


def links(page):
    return [attrs for _, attrs in build_site.parse_links(page)]


class ParseLinks(unittest.TestCase):
    def test_the_page_names_one_main_binary_and_the_three_workers(self):
        page = (build_site.ROOT / "index.html").read_text()
        rust = [link for link in links(page) if link["rel"] == "rust"]
        self.assertEqual([link["data-type"] for link in rust].count("main"), 1)
        self.assertEqual(
            sorted(link["data-bin"] for link in rust if link["data-type"] == "worker"),
            ["wyvern-live", "wyvern-practice", "wyvern-worker"],
        )
        for link in links(page):
            self.assertTrue((build_site.ROOT / link["href"]).exists(), link["href"])

    def test_an_unknown_rel_is_refused(self):
        with self.assertRaisesRegex(SystemExit, "unknown link rel 'sass'"):
            links('<link data-build rel="sass" href="a.scss" />\n')

    def test_an_attribute_the_build_would_ignore_is_refused(self):
        with self.assertRaisesRegex(SystemExit, "data-wasm-opt"):
            links('<link data-build rel="rust" href="Cargo.toml" data-bin="x" data-type="main" data-wasm-opt="z" />\n')

    def test_a_binary_must_say_whether_it_is_the_page_or_a_worker(self):
        with self.assertRaisesRegex(SystemExit, "data-type is main or worker"):
            links('<link data-build rel="rust" href="Cargo.toml" data-bin="x" />\n')

    def test_a_link_without_href_is_refused(self):
        with self.assertRaisesRegex(SystemExit, "without href"):
            links('<link data-build rel="css" />\n')

    def test_the_bench_page_gets_the_policy_only_where_its_marker_is(self):
        page = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'" />'
        with self.assertRaisesRegex(SystemExit, "no policy to copy"):
            build_site.copy_policy(page, pathlib.Path("/nonexistent/bench.html"))


if __name__ == "__main__":
    unittest.main()
