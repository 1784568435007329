// bench.html?data=PATH&input=JSON&expr=SQL&runs=N: runs a query N times in the page's engine
// worker through the same "run" messages the playground sends (the data fetched once and
// handed over as a File, so the network is not timed), shows the figures and publishes
// window.__bench = {ms, mbps, rows, bytes_out} for the best run. Data must be a path on this
// site: the worker refuses any other origin.
'use strict';

const params = new URLSearchParams(location.search);
const setup = {
  data: params.get('data') || 'data/dragons.jsonl',
  input: params.get('input') || '{"JSON":{"Type":"LINES"}}',
  expr: params.get('expr') || 'SELECT COUNT(*) FROM S3Object',
  runs: Math.min(1000, Math.max(1, Number.parseInt(params.get('runs') || '5', 10) || 5)),
};

function row(parent, cells, tag) {
  const tr = document.createElement('tr');
  cells.forEach((text, i) => {
    const cell = document.createElement(i === 0 ? 'th' : tag);
    cell.textContent = String(text);
    tr.append(cell);
  });
  parent.append(tr);
}

function fail(text) {
  document.getElementById('bench-status').textContent = text;
  document.getElementById('bench-status').id = 'bench-error';
  window.__bench_error = text;
}

/** The worker, once it says it is listening. */
function startWorker() {
  const worker = new Worker('./wyvern-worker_loader.js');
  return new Promise((resolve) => {
    worker.onmessage = (e) => { if (e.data.type === 'ready') resolve(worker); };
  });
}

/** One run: resolves with the worker's `done` message, rejects with its error. */
function run(worker, id, file) {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e) => {
      const m = e.data;
      if (m.id !== id) return;
      if (m.type === 'done') resolve(m);
      if (m.type === 'error') reject(new Error(`${m.code}: ${m.message}`));
    };
    worker.postMessage({ type: 'run', id, sql: setup.expr, input: setup.input, output: '{"JSON":{}}', file });
  });
}

async function main() {
  const list = document.getElementById('bench-setup');
  for (const [k, v] of Object.entries(setup)) {
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = String(v);
    list.append(dt, dd);
  }
  const url = new URL(setup.data, location.href);
  if (url.origin !== location.origin) return fail(`data must be a path on this site, not ${setup.data}`);
  const response = await fetch(url, { redirect: 'error' });
  if (!response.ok) return fail(`could not fetch ${setup.data}: HTTP ${response.status}`);
  const file = new File([await response.blob()], url.pathname.split('/').pop());
  const worker = await startWorker();
  let best = null;
  const times = [];
  for (let id = 1; id <= setup.runs; id++) {
    const done = await run(worker, id, file);
    times.push(done.elapsed_ms);
    if (!best || done.elapsed_ms < best.elapsed_ms) best = done;
  }
  worker.terminate();
  const ms = best.elapsed_ms;
  const result = {
    ms,
    mbps: file.size / 1e6 / (Math.max(ms, 0.001) / 1000),
    rows: best.records,
    bytes_out: best.bytes_returned,
  };
  const table = document.getElementById('bench-result');
  row(table, ['best ms', ms.toFixed(1)], 'td');
  row(table, ['MB/s', result.mbps.toFixed(1)], 'td');
  row(table, ['records', result.rows], 'td');
  row(table, ['bytes out', result.bytes_out], 'td');
  row(table, ['bytes in', file.size], 'td');
  row(table, ['all runs (ms)', times.map((t) => t.toFixed(1)).join(',')], 'td');
  document.getElementById('bench-status').textContent = 'Done.';
  window.__bench = result;
}

main().catch((e) => fail(String(e.message || e)));
