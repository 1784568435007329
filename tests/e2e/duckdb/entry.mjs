import * as duckdb from '@duckdb/duckdb-wasm';
// Runs each SQL on a CSV file fetched from this site, best of `runs`, in DuckDB-wasm's
// single-threaded (eh) build; resolves to [{ms, rows}].
window.duckBench = async (fileUrl, queries, runs) => {
  const worker = new Worker('./duckdb-browser-eh.worker.js');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate('./duckdb-eh.wasm');
  const buf = new Uint8Array(await (await fetch(fileUrl)).arrayBuffer());
  await db.registerFileBuffer('data.csv', buf);
  const conn = await db.connect();
  await conn.query('SET threads = 1');
  const out = [];
  for (const sql of queries) {
    let best = Infinity;
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = await conn.query(sql);
      best = Math.min(best, performance.now() - t);
      rows = r.numRows;
    }
    out.push({ ms: best, rows });
  }
  await conn.close();
  await db.terminate();
  return out;
};
