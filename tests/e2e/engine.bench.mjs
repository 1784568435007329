// Not a test: a benchmark that prints figures. Runs the benchmark queries through the page's
// engine worker (static/bench.html, best of N runs, the file handed over whole so the network
// is not timed) in headless Chromium and prints MB/s and rows/s.
//
//   node tests/e2e/engine.bench.mjs CSV_FILE JSONL_FILE [RUNS]
//
// The files are those scripts/bench-select.py writes (dragons.csv, dragons.jsonl); the site is
// WYVERN_SITE (or dist/), which is left untouched: the files are served beside it from a
// temporary folder of links.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { launch } from './helpers.mjs';

const [csvFile, jsonlFile, runsArg] = process.argv.slice(2);
if (!csvFile || !jsonlFile) {
  console.error('usage: node tests/e2e/engine.bench.mjs CSV_FILE JSONL_FILE [RUNS]');
  process.exit(2);
}
const runs = Number.parseInt(runsArg || '3', 10);
const site = process.env.WYVERN_SITE || path.join(path.dirname(new URL(import.meta.url).pathname), '../../dist');

const QUERIES = [
  ['count(*)', 'SELECT COUNT(*) FROM S3Object'],
  ['select *', 'SELECT * FROM S3Object'],
  ['filter LIKE + CAST', "SELECT * FROM S3Object s WHERE s.name LIKE 'A%' AND CAST(s.wingspan AS INT) > 100"],
  ['3-column projection', 'SELECT s.name, s.family, s.city FROM S3Object s'],
];
const FORMATS = [
  ['CSV', csvFile, '{"CSV":{"FileHeaderInfo":"USE"}}'],
  ['JSON LINES', jsonlFile, '{"JSON":{"Type":"LINES"}}'],
];

// The site's files and the data, side by side, without copying or touching the site.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wyvern-engine-bench-'));
for (const name of fs.readdirSync(site)) fs.symlinkSync(path.resolve(site, name), path.join(root, name));
fs.mkdirSync(path.join(root, 'bench-data'));
for (const [, file] of FORMATS) fs.symlinkSync(path.resolve(file), path.join(root, 'bench-data', path.basename(file)));

const port = 20000 + Math.floor(Math.random() * 20000);
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
const base = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(base)).ok) break; } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await launch();
try {
  console.log(`engine worker in ${browser.version()}, best of ${runs}`);
  console.log(`${'input'.padEnd(11)} ${'query'.padEnd(21)} ${'MB/s'.padStart(8)} ${'rows/s'.padStart(12)}`);
  for (const [format, file, input] of FORMATS) {
    for (const [name, sql] of QUERIES) {
      const page = await browser.newPage();
      const url = `${base}bench.html?data=${encodeURIComponent(`bench-data/${path.basename(file)}`)}`
        + `&input=${encodeURIComponent(input)}&expr=${encodeURIComponent(sql)}&runs=${runs}`;
      await page.goto(url);
      await page.waitForFunction(() => window.__bench || window.__bench_error, null, { timeout: 600_000 });
      const error = await page.evaluate(() => window.__bench_error);
      if (error) throw new Error(`${format} ${name}: ${error}`);
      const b = await page.evaluate(() => window.__bench);
      const rows = name === 'count(*)' ? '' : Math.round(b.rows / (b.ms / 1000)).toString();
      console.log(`${format.padEnd(11)} ${name.padEnd(21)} ${b.mbps.toFixed(0).padStart(8)} ${rows.padStart(12)}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(root, { recursive: true, force: true });
}
