// Shared by the browser tests: a static server for dist/, Chromium, and pages that fail on
// console errors and refuse every request that is not to this machine (offline by proof).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The built site: WYVERN_SITE (the test command builds its own), else dist/.
export const dist = process.env.WYVERN_SITE || path.join(root, 'dist');

async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  return port;
}

/** Serves dist/ on 127.0.0.1; returns { url, stop }. */
export async function serveDist() {
  return serveDir(dist);
}

async function serveDir(dir) {
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(url);
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => proc.kill() };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page that records console errors, page errors, dialogs and off-machine requests. */
export async function newPage(browser, viewport = { width: 1400, height: 900 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = { console: [], external: [], dialogs: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.console.push(m.text()); });
  page.on('pageerror', (e) => problems.console.push(`pageerror: ${e.message}`));
  page.on('dialog', async (d) => { problems.dialogs.push(d.message()); await d.dismiss(); });
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === '127.0.0.1' || u.protocol === 'blob:' || u.protocol === 'data:') return route.continue();
    problems.external.push(u.href);
    return route.abort();
  });
  return { page, problems, context };
}

/** Waits for the current run to end and returns the status text. */
export async function settled(page, timeout = 30000) {
  await page.waitForFunction(() => {
    const s = document.querySelector('#status');
    return s && !s.classList.contains('running') && !/Running|Starting/.test(s.textContent);
  }, null, { timeout });
  return (await page.textContent('#status')).trim();
}

export async function setSql(page, sql) {
  await page.fill('#sql', sql);
}

export async function tableRows(page) {
  return page.$$eval('#results-table tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent)));
}

/**
 * Starts the local AWS emulator on a free port (needs emulator/.venv and target/release/s3select,
 * which scripts/test.sh prepares). Returns { endpoint, state, configPath, fault, stop }.
 */
export async function startEmulator() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wyvern-emulator-'));
  const statePath = path.join(dir, 'state.json');
  const configPath = path.join(dir, 'config.json');
  // Its request log goes to a file, shown only if it fails to start.
  const logPath = path.join(dir, 'emulator.log');
  const log = fs.openSync(logPath, 'w');
  const proc = spawn(path.join(root, 'emulator/.venv/bin/python'), [
    path.join(root, 'emulator/wyvern_emulator.py'), '--port', String(port), '--state', statePath, '--config', configPath,
  ], { stdio: ['ignore', log, log] });
  for (let i = 0; i < 600 && !fs.existsSync(configPath); i++) {
    if (proc.exitCode !== null) throw new Error(`the emulator exited:\n${fs.readFileSync(logPath, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!fs.existsSync(configPath)) throw new Error(`the emulator did not start:\n${fs.readFileSync(logPath, 'utf8')}`);
  const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
  const endpoint = state.endpoint;
  return {
    endpoint,
    state,
    configPath,
    /** Sets emulator faults (throttle, skew_seconds, cut_next_select, expire_sessions). */
    fault: async (f) => {
      const r = await fetch(`${endpoint}/_wyvern/faults`, { method: 'POST', body: JSON.stringify(f) });
      if (!r.ok) throw new Error(`faults: ${r.status}`);
    },
    stop: () => { proc.kill('SIGTERM'); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** A copy of dist/ connected to `configPath` (scripts/site-config.py), served on 127.0.0.1. */
export async function serveSite(configPath) {
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'wyvern-site-'));
  fs.cpSync(dist, site, { recursive: true });
  execFileSync('python3', [path.join(root, 'scripts/site-config.py'), site, configPath], { stdio: 'ignore' });
  const server = await serveDir(site);
  return { ...server, site, stop: () => { server.stop(); fs.rmSync(site, { recursive: true, force: true }); } };
}
