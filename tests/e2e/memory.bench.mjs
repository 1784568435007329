// Not a test: run by scripts/bench-memory.py. Opens each file given (a JSON list of
// {input, codec, path}) in the playground, runs COUNT(*) in the engine worker and prints the
// peak growth of Chromium's memory (the RSS of all its processes, sampled every 50 ms) and the
// engine's own linear memory, which the worker reports when it is done.
import fs from 'node:fs';
import { serveDist, launch, newPage, settled, setSql } from './helpers.mjs';

/** Total RSS in bytes of every process descended from this one (Chromium's). */
function chromiumRss() {
  const parent = new Map();
  const rss = new Map();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(pid, fields[1]);
      rss.set(pid, Number(fields[21]) * 4096);
    } catch { /* gone */ }
  }
  const mine = (pid) => {
    for (let p = pid; p && p !== '0' && p !== '1'; p = parent.get(p)) if (p === String(process.pid)) return true;
    return false;
  };
  let total = 0;
  for (const [pid, bytes] of rss) if (pid !== String(process.pid) && mine(pid)) total += bytes;
  return total;
}

const runs = JSON.parse(process.argv[2]);
const server = await serveDist();
const browser = await launch();
const mb = (n) => (n / 1e6).toFixed(1);
console.log(`${'input'.padEnd(11)} ${'codec'.padEnd(6)} ${'peak growth MB'.padStart(15)} ${'engine wasm MB'.padStart(15)} ${'seconds'.padStart(8)}  answer`);
try {
  for (const r of runs) {
    const { page } = await newPage(browser);
    // Keeps the `memory` figure of the engine worker's last "done" message.
    await page.addInitScript(() => {
      const Native = window.Worker;
      window.Worker = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (e) => {
            if (e.data && e.data.type === 'done' && e.data.memory) window.wyvernEngineMemory = e.data.memory;
          });
        }
      };
    });
    await page.goto(server.url);
    await settled(page);
    await page.setInputFiles('#file-input', r.path);
    await setSql(page, 'SELECT COUNT(*) FROM S3Object');
    await new Promise((res) => setTimeout(res, 500));
    const before = chromiumRss();
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, chromiumRss()); }, 50);
    const started = Date.now();
    await page.click('#run');
    const status = await settled(page, 900_000);
    clearInterval(sampler);
    peak = Math.max(peak, chromiumRss());
    const answer = status === 'Done.'
      ? (await page.textContent('#results-table tbody td:last-child')).trim()
      : `${status} ${await page.textContent('#error-code').catch(() => '')}`;
    const wasm = await page.evaluate(() => window.wyvernEngineMemory || 0);
    console.log(`${r.input.padEnd(11)} ${r.codec.padEnd(6)} ${mb(peak - before).padStart(15)} ${mb(wasm).padStart(15)} ${((Date.now() - started) / 1000).toFixed(1).padStart(8)}  ${answer}`);
    await page.context().close();
  }
} finally {
  await browser.close();
  server.stop();
}
