// The benchmark page's contract, and the size budget of the built wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveDist, launch, newPage, dist } from './helpers.mjs';

let server;
let browser;
before(async () => {
  server = await serveDist();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test('bench.html runs a query N times in the engine worker and sets window.__bench', async () => {
  const { page, problems } = await newPage(browser);
  const q = new URLSearchParams({
    data: 'data/dragons.jsonl',
    input: '{"JSON":{"Type":"LINES"}}',
    expr: "SELECT s.dragon_name_str FROM S3Object s WHERE s.family_str = 'red'",
    runs: '3',
  });
  await page.goto(`${server.url}bench.html?${q}`);
  const bench = await page.waitForFunction(() => window.__bench, null, { timeout: 20000 }).then((h) => h.jsonValue());
  assert.deepEqual(Object.keys(bench).sort(), ['bytes_out', 'mbps', 'ms', 'rows']);
  assert.equal(bench.rows, 9);
  assert.ok(bench.ms >= 0 && bench.mbps > 0 && bench.bytes_out > 0, JSON.stringify(bench));
  assert.match(await page.textContent('#bench-result'), /MB\/s/);
  assert.deepEqual(problems.console, []);
});

test('wasm sizes (gzip) stay within the budget', () => {
  const wasm = fs.readdirSync(dist).filter((f) => f.endsWith('.wasm'));
  let total = 0;
  for (const f of wasm) {
    const gz = zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length;
    total += gz;
    console.log(`wasm ${f}: ${(gz / 1000).toFixed(1)} KB gzip`);
  }
  console.log(`wasm total: ${(total / 1000).toFixed(1)} KB gzip (budget 700 KB)`);
  const shell = wasm.find((f) => f.startsWith('wyvern-') && !f.startsWith('wyvern-worker'));
  const shellGz = zlib.gzipSync(fs.readFileSync(path.join(dist, shell)), { level: 9 }).length;
  assert.ok(shellGz <= 150_000, `UI shell ${shellGz} bytes gzip`);
  assert.ok(total <= 700_000, `all wasm ${total} bytes gzip`);
});
