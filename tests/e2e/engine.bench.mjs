// Not a test: a benchmark that prints figures. Runs the benchmark queries through the page's
// engine worker (static/bench.html, best of N runs, the file handed over whole so the network
// is not timed) in headless Chromium and prints MB/s and rows/s; with DUCKDB_WASM_DIR (made by
// tests/e2e/duckdb/prepare.sh) it runs the CSV queries in DuckDB-wasm (its single-threaded
// build, SET threads = 1) in the same browser, the two taking turns for three rounds, and prints
// the ratio. DuckDB-wasm reads no JSON offline (its json extension is downloaded), so JSON LINES
// has our figures only.
//
//   DUCKDB_WASM_DIR=$(bash tests/e2e/duckdb/prepare.sh) \
//     node tests/e2e/engine.bench.mjs CSV_FILE JSONL_FILE [RUNS]
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

// name, S3 Select SQL, DuckDB SQL over t (as scripts/bench-select.py writes them).
const QUERIES = [
  ['count(*)', 'SELECT COUNT(*) FROM S3Object', 'SELECT count(*) FROM t'],
  ['select *', 'SELECT * FROM S3Object', 'SELECT * FROM t'],
  ['filter LIKE + CAST', "SELECT * FROM S3Object s WHERE s.name LIKE 'A%' AND CAST(s.wingspan AS INT) > 100",
    "SELECT * FROM t WHERE name LIKE 'A%' AND CAST(wingspan AS INTEGER) > 100"],
  ['3-column projection', 'SELECT s.name, s.family, s.city FROM S3Object s', 'SELECT name, family, city FROM t'],
];
const DUCK_CSV = "read_csv('data.csv', header=true, all_varchar=true, auto_detect=false, delim=',', quote='\"', "
  + "columns={'name':'VARCHAR','family':'VARCHAR','description':'VARCHAR','city':'VARCHAR',"
  + "'country':'VARCHAR','wingspan':'VARCHAR','age':'VARCHAR'})";
const duckDir = process.env.DUCKDB_WASM_DIR;
const FORMATS = [
  ['CSV', csvFile, '{"CSV":{"FileHeaderInfo":"USE"}}'],
  ['JSON LINES', jsonlFile, '{"JSON":{"Type":"LINES"}}'],
];

// The site's files and the data, side by side, without copying or touching the site.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wyvern-engine-bench-'));
for (const name of fs.readdirSync(site)) fs.symlinkSync(path.resolve(site, name), path.join(root, name));
fs.mkdirSync(path.join(root, 'bench-data'));
for (const [, file] of FORMATS) fs.symlinkSync(path.resolve(file), path.join(root, 'bench-data', path.basename(file)));
if (duckDir) {
  fs.mkdirSync(path.join(root, 'duck'));
  for (const name of ['duck-bundle.js', 'duckdb-browser-eh.worker.js', 'duckdb-eh.wasm']) {
    fs.symlinkSync(path.resolve(duckDir, name), path.join(root, 'duck', name));
  }
  fs.writeFileSync(path.join(root, 'duck', 'index.html'), '<!DOCTYPE html><script src="duck-bundle.js"></script>');
}

const port = 20000 + Math.floor(Math.random() * 20000);
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' });
const base = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(base)).ok) break; } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 100));
}

// The engines take turns, ROUNDS times, and each keeps its best: this machine's speed drifts
// over minutes, and timing one engine after the other would turn a drift into a ratio.
const ROUNDS = 3;
const faster = (a, b) => (!a || b.ms < a.ms ? b : a);

async function duckRound() {
  const page = await browser.newPage();
  await page.goto(`${base}duck/index.html`);
  const sqls = QUERIES.map(([, , d]) => `WITH t AS (SELECT * FROM ${DUCK_CSV}) ${d}`);
  const result = await page.evaluate(([url, q, n]) => window.duckBench(url, q, n),
    [`${base}bench-data/${path.basename(csvFile)}`, sqls, runs]);
  await page.close();
  return result;
}

async function wyvernRun(format, file, input, name, sql) {
  const page = await browser.newPage();
  const url = `${base}bench.html?data=${encodeURIComponent(`bench-data/${path.basename(file)}`)}`
    + `&input=${encodeURIComponent(input)}&expr=${encodeURIComponent(sql)}&runs=${runs}`;
  await page.goto(url);
  await page.waitForFunction(() => window.__bench || window.__bench_error, null, { timeout: 600_000 });
  const error = await page.evaluate(() => window.__bench_error);
  if (error) throw new Error(`${format} ${name}: ${error}`);
  const b = await page.evaluate(() => window.__bench);
  await page.close();
  return b;
}

const browser = await launch();
try {
  console.log(`engine worker in ${browser.version()}, best of ${runs} runs in each of ${ROUNDS} rounds taken in turn`);
  const mb = (file) => fs.statSync(file).size / 1e6;
  const duck = [];
  const ours = new Map();
  for (let round = 0; round < ROUNDS; round++) {
    if (duckDir) (await duckRound()).forEach((d, i) => { duck[i] = faster(duck[i], d); });
    for (const [format, file, input] of FORMATS) {
      for (const [name, sql] of QUERIES) {
        const key = `${format} ${name}`;
        ours.set(key, faster(ours.get(key), await wyvernRun(format, file, input, name, sql)));
      }
    }
  }
  console.log(`${'input'.padEnd(11)} ${'query'.padEnd(21)} ${'MB/s'.padStart(8)} ${'rows/s'.padStart(12)}`
    + (duckDir ? ` ${'DuckDB-wasm MB/s'.padStart(17)} ${'ratio'.padStart(7)}` : ''));
  for (const [format, file] of FORMATS) {
    for (const [i, [name]] of QUERIES.entries()) {
      const b = ours.get(`${format} ${name}`);
      const rows = name === 'count(*)' ? '' : Math.round(b.rows / (b.ms / 1000)).toString();
      let peer = '';
      if (duckDir && format === 'CSV') {
        const d = mb(file) / (duck[i].ms / 1000);
        peer = ` ${d.toFixed(0).padStart(17)} ${(b.mbps / d).toFixed(2).padStart(6)}x`;
      }
      console.log(`${format.padEnd(11)} ${name.padEnd(21)} ${b.mbps.toFixed(0).padStart(8)} ${rows.padStart(12)}${peer}`);
    }
  }
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(root, { recursive: true, force: true });
}
