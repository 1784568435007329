// The offline playground in headless Chromium: issue-level behaviour a learner sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { serveDist, launch, newPage, settled, setSql, tableRows, dist, root } from './helpers.mjs';

let server;
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'the site is built (python3 scripts/build-site.py)');
  server = await serveDist();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('the page loads with no console errors and the default query answers offline', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  assert.equal(await settled(page), 'Done.');
  const rows = await tableRows(page);
  assert.equal(rows.length, 9, 'nine red dragons');
  assert.deepEqual(rows[0], ['Atlas', 'anchorage']);
  assert.match(await page.textContent('#stat-records'), /^9$/);
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.external, [], 'no request leaves the machine');
});

test('a bad query shows the S3 error code, the message, a caret and how to fix it; the SQL is kept', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  const sql = "SELECT s.dragon_name_str\nFROM S3Object s\nWHERE CAST(s.age_years AS DATE) > 1";
  await setSql(page, sql);
  await page.keyboard.press('Control+Enter');
  assert.equal(await settled(page), 'Error.');
  assert.equal(await page.textContent('#error-code'), 'ParseExpectedTypeName');
  assert.match(await page.textContent('#error'), /line 3, column 27/);
  const caret = await page.textContent('#error-caret');
  assert.equal(caret, 'WHERE CAST(s.age_years AS DATE) > 1\n                          ^');
  assert.match(await page.textContent('#error-advice'), /CAST\(s\.age AS INT\), with INT, FLOAT, DECIMAL, STRING, BOOL or TIMESTAMP/);
  assert.equal(await page.inputValue('#sql'), sql);

  await setSql(page, 'SELECT s.dragon_name_str FROM S3Object s ORDER BY s.dragon_name_str');
  await page.click('#run');
  assert.equal(await settled(page), 'Error.');
  assert.equal(await page.textContent('#error-code'), 'UnsupportedSyntax');
  assert.match(await page.textContent('#error-advice'), /no ORDER BY/);
  assert.deepEqual(problems.console, []);
});

test('a CSV file and a gzip file opened through the file input are queried in the browser', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  const csv = 'name,color,wings\nPuff,green,2\nSpark,red,4\nEmber,red,6\n';
  await page.setInputFiles('#file-input', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  assert.ok(await page.isChecked('#dataset-file'));
  await setSql(page, "SELECT s.name, CAST(s.wings AS INT) * 2 AS double_wings FROM S3Object s WHERE s.color = 'red'");
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Spark', '8'], ['Ember', '12']]);

  await page.setInputFiles('#file-input', { name: 'mine.csv.gz', mimeType: 'application/gzip', buffer: zlib.gzipSync(Buffer.from(csv)) });
  assert.equal(await page.inputValue('#in-compression'), 'GZIP');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Spark', '8'], ['Ember', '12']]);
  assert.match(await page.textContent('#stat-scanned'), / B$/);

  // Data that is not gzip; a gzip file of two members (as `cat a.gz b.gz` makes), which S3 reads
  // whole; and one cut short.
  // The detector reads the content, not the name: plain text named .gz is read as plain text...
  await page.setInputFiles('#file-input', { name: 'fake.csv.gz', mimeType: 'application/gzip', buffer: Buffer.from(csv) });
  await page.waitForSelector('#detection');
  assert.equal(await page.inputValue('#in-compression'), 'NONE');
  // ...and when the learner insists on GZIP, the engine refuses the data as S3 would.
  await page.selectOption('#in-compression', 'GZIP');
  await page.click('#run');
  assert.equal(await settled(page), 'Error.');
  assert.equal(await page.textContent('#error-code'), 'InvalidCompressionFormat');
  const twoMembers = Buffer.concat([zlib.gzipSync(csv.slice(0, 20)), zlib.gzipSync(csv.slice(20))]);
  await page.setInputFiles('#file-input', { name: 'two.csv.gz', mimeType: 'application/gzip', buffer: twoMembers });
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Spark', '8'], ['Ember', '12']]);
  await page.setInputFiles('#file-input', { name: 'cut.csv.gz', mimeType: 'application/gzip', buffer: twoMembers.subarray(0, twoMembers.length - 5) });
  await page.click('#run');
  assert.equal(await settled(page), 'Error.');
  assert.equal(await page.textContent('#error-code'), 'InvalidCompressionFormat');
  assert.match(await page.textContent('#error-message'), /ended inside a gzip member/);
  assert.deepEqual(problems.console, []);
});

test('the URL fragment reproduces query, dataset and serialization', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await page.check('#dataset-csv');
  await page.selectOption('#out-format', 'CSV');
  await page.selectOption('#out-quote-fields', 'ALWAYS');
  const sql = "SELECT s.dragon_name_str, s.family_str FROM S3Object s WHERE s.family_str = 'gold' LIMIT 3";
  await setSql(page, sql);
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  const link = page.url();
  assert.match(link, /#q=/);
  const raw = await (async () => { await page.click('#tab-raw'); return page.textContent('#raw-output'); })();
  assert.match(raw, /^"[^"]+","gold"\n/);

  const { page: again } = await newPage(browser);
  await again.goto(link);
  assert.equal(await settled(again), 'Done.');
  assert.equal(await again.inputValue('#sql'), sql);
  assert.ok(await again.isChecked('#dataset-csv'));
  assert.equal(await again.inputValue('#out-format'), 'CSV');
  assert.equal(await again.inputValue('#out-quote-fields'), 'ALWAYS');
  await again.click('#tab-raw');
  assert.equal(await again.textContent('#raw-output'), raw);
});

test('choosing an example loads its SQL and dataset and runs it', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await page.click('text=MISSING vs NULL');
  assert.equal(await settled(page), 'Done.');
  assert.ok(await page.isChecked('#dataset-jsonl'));
  assert.match(await page.inputValue('#sql'), /IS MISSING/);
  const rows = await tableRows(page);
  assert.equal(rows.length, 5);
  assert.deepEqual(rows.slice(0, 3), [
    ['Atlas', 'MISSING', 'true', 'none'],
    ['Blaze', 'Blaze the Bold', 'false', 'Blaze the Bold'],
    ['Cinder', 'NULL', 'false', 'none'],
  ]);
  assert.equal(await page.$$eval('#results-table td.missing', (tds) => tds.length), 3);
  assert.equal(await page.$$eval('#results-table td.null', (tds) => tds.length), 1);
  assert.deepEqual(problems.console, []);
});

test('dataset values render as text, never as HTML', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await setSql(page, "SELECT s.description_str FROM S3Object[*][*] s WHERE s.dragon_name_str = 'Malefic'");
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Leaves notes like <img src=x onerror=alert(1)> on doors.']]);
  assert.equal(await page.$$eval('#results-table img', (imgs) => imgs.length), 0);
  assert.deepEqual(problems.dialogs, []);
});

test('the Content-Security-Policy allows nothing beyond what the app needs', async () => {
  for (const name of ['index.html', 'bench.html']) {
    const html = fs.readFileSync(path.join(dist, name), 'utf8');
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/);
    assert.doesNotMatch(html, /<script(?![^>]*src=)[^>]*>\s*\S/, 'no inline script');
  }
});

/** A 50 MB CSV without a header, made once and reused; nothing in it needs quoting. */
function fiftyMegabyteCsv() {
  const file = path.join(os.tmpdir(), 'wyvern-50mb.csv');
  const line = 'Drogo,black,A dragon that counts stars over the harbour every night,cardiff,uk,120,450\n';
  const lines = Math.ceil(50_000_000 / line.length);
  if (!fs.existsSync(file) || fs.statSync(file).size !== lines * line.length) {
    fs.writeFileSync(file, line.repeat(lines));
  }
  return { file, lines, line };
}

test('a 50 MB file streams with a progress bar and can be cancelled', async () => {
  const { page, problems } = await newPage(browser);
  const { file, lines } = fiftyMegabyteCsv();
  await page.goto(server.url);
  await settled(page);
  await page.setInputFiles('#file-input', file);
  await page.selectOption('#in-header', 'NONE');
  await setSql(page, 'SELECT * FROM S3Object');
  // Press Cancel from inside the page the moment the bar first moves (a round trip through
  // the test driver could arrive after the worker has finished).
  await page.evaluate(() => {
    window.__cancelledAt = null;
    const obs = new MutationObserver(() => {
      const p = document.querySelector('#progress');
      if (p && p.value > 0 && p.value < 100) {
        window.__cancelledAt = Number(p.value);
        obs.disconnect();
        document.querySelector('#cancel').click();
      }
    });
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.click('#run');
  assert.equal(await settled(page), 'Cancelled.');
  const at = await page.evaluate(() => window.__cancelledAt);
  assert.ok(at > 0 && at < 100, `cancelled at ${at}%`);

  await setSql(page, 'SELECT COUNT(*) FROM S3Object s WHERE s._7 = \'450\'');
  const seen = [];
  await page.exposeFunction('__progress', (v) => seen.push(v));
  await page.evaluate(() => {
    new MutationObserver(() => {
      const p = document.querySelector('#progress');
      if (p) window.__progress(Number(p.value));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.click('#run');
  assert.equal(await settled(page, 60000), 'Done.');
  assert.deepEqual(await tableRows(page), [[String(lines)]]);
  assert.ok(seen.some((v) => v > 0 && v < 100), `progress was shown mid-way (${seen.slice(0, 5)})`);
  assert.deepEqual(problems.console, []);
});

test('Download saves exactly the raw output', async () => {
  const { page } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await page.check('#dataset-csv');
  await page.selectOption('#out-format', 'CSV');
  await setSql(page, "SELECT s.dragon_name_str, s.description_str FROM S3Object s WHERE s.dragon_name_str IN ('Quill', 'Atlas')");
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.equal(download.suggestedFilename(), 'results.csv');
  const saved = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(saved, 'Atlas,A red dragon that sleeps under bridges.\nQuill,"Writes ""poems"", mostly about clouds, on walls."\n');
  await page.click('#tab-raw');
  assert.equal(await page.textContent('#raw-output'), saved);
});

test('a 50 MB output downloads whole, and the page does not keep it in its own memory', async () => {
  const { page, problems } = await newPage(browser);
  // The page's wasm memory: the first module instantiated in the page is the shell, which
  // exports it (its lazily loaded parts import it).
  await page.addInitScript(() => {
    const keep = (made) => {
      const instance = made.instance ?? made;
      if (!window.__shellMemory && instance.exports?.memory instanceof WebAssembly.Memory) {
        window.__shellMemory = instance.exports.memory;
      }
      return made;
    };
    const streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = (...args) => streaming(...args).then(keep);
    const plain = WebAssembly.instantiate;
    WebAssembly.instantiate = (...args) => plain(...args).then(keep);
  });
  const { file, lines, line } = fiftyMegabyteCsv();
  await page.goto(server.url);
  await settled(page);
  await page.setInputFiles('#file-input', file);
  await page.selectOption('#in-header', 'NONE');
  await page.selectOption('#out-format', 'CSV');
  await setSql(page, 'SELECT * FROM S3Object');
  await page.click('#run');
  assert.equal(await settled(page, 120000), 'Done.');
  // CSV in, CSV out, nothing to quote: the output is the file, byte for byte.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const saved = fs.readFileSync(await download.path());
  assert.equal(saved.length, lines * line.length);
  assert.ok(saved.equals(fs.readFileSync(file)), 'the download is the whole output');
  const memory = await page.evaluate(() => window.__shellMemory?.buffer.byteLength);
  assert.ok(memory > 0, 'the page\'s wasm memory was found');
  assert.ok(memory < 16_000_000, `the page's wasm memory grew to ${memory} bytes for 50 MB of output`);
  assert.deepEqual(problems.console, []);
});

test('a spreadsheet CSV (CRLF), a semicolon export and a gzip file named .csv open with detected settings', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  // Saved by a spreadsheet on Windows: with RecordDelimiter \n the last header name would be "t\r".
  await page.setInputFiles('#file-input', { name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n') });
  await setSql(page, 'SELECT s.name, s.t FROM S3Object s');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Atlas', 'x'], ['Blaze', 'y']]);
  assert.equal(await page.inputValue('#in-rd'), '\\r\\n');
  assert.ok(await page.$eval('#in-rd', (e) => e.closest('.field').classList.contains('detected')));
  assert.match(await page.textContent('#detect-reasons'), /RecordDelimiter set to \\r\\n/);
  assert.match(await page.textContent('#raw-preview'), /^id,name,t␍␊\n1,Atlas,x␍␊/);
  // The settings chosen are in the link.
  assert.match(await page.evaluate(() => location.hash), /rd=%0D%0A/);

  // A semicolon export with decimal commas.
  await page.setInputFiles('#file-input', { name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from('name;price\nAtlas;1,5\nBlaze;2,25\n') });
  await setSql(page, 'SELECT s.price FROM S3Object s WHERE s.name = \'Blaze\'');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['2,25']]);
  assert.equal(await page.inputValue('#in-fd'), ';');

  // GZIP told by its bytes, whatever the name says.
  const gz = zlib.gzipSync(Buffer.from('name,wings\nAtlas,2\nBlaze,4\n'));
  await page.setInputFiles('#file-input', { name: 'looks-plain.csv', mimeType: 'text/csv', buffer: gz });
  await setSql(page, 'SELECT s.name FROM S3Object s WHERE CAST(s.wings AS INT) > 3');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Blaze']]);
  assert.equal(await page.inputValue('#in-compression'), 'GZIP');
  assert.match(await page.textContent('#detect-reasons'), /GZIP signature/);
  assert.match(await page.textContent('#raw-preview'), /^name,wings␊/);

  // Bytes S3 Select cannot read: the panel says why, and the settings from the name stay.
  await page.setInputFiles('#file-input', { name: 'table.csv', mimeType: 'application/zip', buffer: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64, 1)]) });
  await page.waitForSelector('#detection .detect-error');
  assert.match(await page.textContent('#detection'), /ZIP archive/);
  assert.deepEqual(problems.console, []);
});

test('the editor colours the SQL with the engine\'s tokenizer and stays a plain textarea', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await page.fill('#sql', '');
  await page.focus('#sql');
  await page.keyboard.type("SELECT UPPER(s.name), 'it''s', 42, `2020T` FROM S3Object s -- note\nWHERE s.x = 'open");
  const spans = await page.$$eval('#sql-highlight span', (list) => list.map((s) => [s.className, s.textContent]));
  for (const expected of [['tok-kw', 'SELECT'], ['tok-fn', 'UPPER'], ['tok-name', 's'], ['tok-str', "'it''s'"], ['tok-num', '42'], ['tok-ts', '`2020T`'], ['tok-comment', '-- note'], ['tok-kw', 'WHERE'], ['tok-bad', "'open"]]) {
    assert.ok(spans.some(([c, t]) => c === expected[0] && t === expected[1]), `${expected} in ${JSON.stringify(spans)}`);
  }
  // The coloured copy is the text, character for character (plus the final line).
  const copy = await page.textContent('#sql-highlight');
  assert.equal(copy, `${await page.inputValue('#sql')}\n`);
  // Undo is the textarea's own.
  await page.keyboard.press('Control+z');
  const undone = await page.inputValue('#sql');
  assert.notEqual(undone, copy.slice(0, -1));
  assert.equal(await page.textContent('#sql-highlight'), `${undone}\n`);
  assert.deepEqual(problems.console, []);
});

test('history keeps the queries run on each dataset across a reload, and is searched, restored and cleared from the keyboard', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  assert.equal(await page.locator('#history-list li').count(), 0, 'the page\'s own first run is not history');
  const first = 'SELECT s.dragon_name_str FROM S3Object[*][*] s LIMIT 2';
  const second = 'SELECT COUNT(*) FROM S3Object[*][*] s';
  for (const sql of [first, second]) {
    await setSql(page, sql);
    await page.press('#sql', 'Control+Enter');
    assert.equal(await settled(page), 'Done.');
  }
  await page.reload();
  await settled(page);
  assert.deepEqual(await page.locator('#history-list li').allTextContents(), [second, first].map((q) => q.trim()));
  // Search, then Tab to the match and restore it with Enter.
  await page.focus('#history-search');
  await page.keyboard.type('limit');
  assert.equal(await page.locator('#history-list li').count(), 1);
  await setSql(page, 'SELECT 1 FROM S3Object');
  await page.focus('#history-search');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'link history-item');
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('#sql'), first);
  // Another dataset has its own history.
  await page.check('#dataset-csv');
  await page.fill('#history-search', '');
  assert.equal(await page.locator('#history-list li').count(), 0);
  await page.check('#dataset-json');
  assert.equal(await page.locator('#history-list li').count(), 2);
  // Clearing is one key press on the button, and it lasts.
  await page.focus('#history-clear');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#history-list li').count(), 0);
  await page.reload();
  await settled(page);
  assert.equal(await page.locator('#history-list li').count(), 0);
  assert.deepEqual(problems.console, []);
});

test('the chart draws bars for labels and numbers, bars per column for one row of aggregates, and a histogram for one number column', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await setSql(page, 'SELECT s.dragon_name_str, s.age_years FROM S3Object[*][*] s LIMIT 4');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  const names = (await tableRows(page)).map((r) => r[0]);
  await page.click('#tab-chart');
  // The drawing's wasm part loads on the first chart.
  await page.waitForSelector('#chart-svg rect');
  assert.equal(await page.locator('#chart-svg rect').count(), 4);
  const tips = await page.locator('#chart-svg title').allTextContents();
  assert.equal(tips.length, 4);
  assert.ok(tips.every((t, i) => t.startsWith(`${names[i]}: `) && /: \d+$/.test(t)), tips.join('|'));
  assert.match(await page.textContent('.chart figcaption'), /age_years by dragon_name_str/);

  await setSql(page, 'SELECT MIN(s.age_years) AS youngest, MAX(s.age_years) AS oldest FROM S3Object[*][*] s');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await page.locator('#chart-svg text.chart-label').allTextContents(), ['youngest', 'oldest']);

  await setSql(page, 'SELECT s.wingspan_ft FROM S3Object[*][*] s');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  const counts = (await page.locator('#chart-svg text.chart-value').allTextContents()).map(Number);
  assert.equal(counts.reduce((a, b) => a + b, 0), 62, 'every dragon is in one bin');
  assert.match(await page.textContent('.chart figcaption'), /values of wingspan_ft/);

  // Text only: no chart, and the tab says why.
  await setSql(page, 'SELECT s.family_str FROM S3Object[*][*] s');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.ok(await page.isDisabled('#tab-chart'));
  assert.ok(await page.isVisible('#no-chart'));
  assert.deepEqual(problems.console, []);
});

test('a link made on a local file opens with a note and does not run the query on other data', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(`${server.url}#q=${encodeURIComponent('SELECT s.name FROM S3Object s')}&d=file&if=CSV&fh=USE`);
  await page.waitForSelector('#link-file-note');
  assert.match(await page.textContent('#link-file-note'), /local file.*Open your own file/);
  assert.equal(await page.textContent('#status'), 'Ready.');
  assert.equal(await page.locator('#results-table').count(), 0);
  await page.setInputFiles('#file-input', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from('name,x\nAtlas,1\n') });
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Atlas']]);
  assert.equal(await page.locator('#link-file-note').count(), 0);
  assert.deepEqual(problems.console, []);
});

test('a file dropped on the page is opened like one chosen with the button', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['{"n":"Drop","v":1}\n{"n":"Zone","v":2}\n'], 'dropped.jsonl', { type: 'application/json' }));
    return dt;
  });
  await page.dispatchEvent('.app', 'dragover', { dataTransfer });
  await page.dispatchEvent('.app', 'drop', { dataTransfer });
  assert.ok(await page.isChecked('#dataset-file'));
  assert.equal(await page.inputValue('#in-json-type'), 'LINES');
  await setSql(page, 'SELECT s.n FROM S3Object s WHERE s.v > 1');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Zone']]);
  assert.deepEqual(problems.console, []);
});

test('a hostile link or file gets a coded error and the engine keeps answering', async () => {
  const { page, problems } = await newPage(browser);
  // A 40 KB flat chain in a shared link runs on load: refused with a position, not a dead worker.
  const chain = `SELECT ${Array(20000).fill('1').join('+')} FROM S3Object`;
  await page.goto(`${server.url}#q=${encodeURIComponent(chain)}`);
  assert.equal(await settled(page), 'Error.');
  assert.equal(await page.textContent('#error-code'), 'ParseUnsupportedSyntax');
  assert.match(await page.textContent('#error'), /line 1, column \d+/);
  assert.equal(await page.inputValue('#sql'), chain, 'the query is kept');

  // The deepest expression accepted runs in the page's own worker (its stack is the real one).
  await setSql(page, `SELECT ${Array(500).fill('1').join('+')} AS n FROM S3Object s LIMIT 1`);
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['500']]);

  // 64 MB of one byte with no newline, 46 bytes of BZIP2: fails at the first megabyte.
  const bomb = execFileSync('bash', ['-c', 'head -c 67108864 /dev/zero | tr "\\0" x | bzip2 -9'], { maxBuffer: 1 << 20 });
  await page.setInputFiles('#file-input', { name: 'bomb.csv.bz2', mimeType: 'application/x-bzip2', buffer: bomb });
  await setSql(page, 'SELECT COUNT(*) FROM S3Object');
  await page.click('#run');
  assert.equal(await settled(page), 'Error.');
  assert.equal(await page.textContent('#error-code'), 'OverMaxRecordSize');

  await page.check('#dataset-csv');
  await setSql(page, "SELECT s.dragon_name_str FROM S3Object s WHERE s.family_str = 'red' LIMIT 2");
  await page.click('#run');
  assert.equal(await settled(page), 'Done.', 'the same worker answers the next query');
  assert.equal((await tableRows(page)).length, 2);
  assert.deepEqual(problems.console, []);
});

test('the data shape lists what the FROM clause reads, with types and MISSING counts, and a click puts a path into the query', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await page.setInputFiles('#file-input', {
    name: 'sightings.jsonl',
    mimeType: 'application/json',
    buffer: Buffer.from('{"name":"Atlas","loc":{"city":"anchorage"},"wings":2}\n{"name":"Blaze","wings":null}\n'),
  });
  await setSql(page, 'SELECT d.name FROM S3Object d');
  await page.click('#shape summary');
  await page.waitForSelector('#shape-list li');
  const rows = await page.$$eval('#shape-list li', (l) => l.map((li) => [...li.children].map((c) => c.textContent)));
  assert.deepEqual(rows, [
    ['d.name', 'string', ''],
    ['d.loc', 'struct', 'MISSING 1'],
    ['d.loc.city', 'string', 'MISSING 1'],
    ['d.wings', 'int', 'NULL 1'],
  ]);
  assert.match(await page.textContent('#shape-note'), /2 records sampled/);
  // A click puts the path at the cursor.
  await page.focus('#sql');
  await page.evaluate(() => { const a = document.querySelector('#sql'); a.setSelectionRange(7, 13); });
  await page.click('#shape-list button:text-is("d.loc.city")');
  assert.equal(await page.inputValue('#sql'), 'SELECT d.loc.city FROM S3Object d');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual((await tableRows(page))[0], ['anchorage']);
  // Other data: sampled again while the panel is open.
  await page.click('#dataset-csv');
  await page.waitForFunction(() => document.querySelector('#shape-list')?.textContent.includes('dragon_name_str'));
  assert.deepEqual(problems.console, []);
});

test('the function the cursor is in is explained under the editor, from the engine\'s own table', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await page.fill('#sql', '');
  await page.focus('#sql');
  await page.keyboard.type('SELECT SUBSTRING(UPPER(s.name), 2');
  await page.waitForFunction(() => /SUBSTRING\(string, start/.test(document.querySelector('#fn-doc').textContent));
  assert.match(await page.textContent('#fn-doc'), /Example: SUBSTRING\('dragon', 2, 3\) → rag/);
  // Into the inner call: its own line.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /^UPPER\(string\)/.test(document.querySelector('#fn-doc').textContent));
  // Outside every call: nothing.
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('#fn-doc').textContent === '');
  assert.deepEqual(problems.console, []);
});

test('completion proposes the dialect\'s words and functions (written as calls), and after s. the data\'s own paths; none inside a string', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  await page.fill('#sql', '');
  await page.focus('#sql');
  await page.keyboard.type('SELECT UP');
  await page.keyboard.press('Control+Space');
  await page.waitForSelector('#completions:not(.hidden) li');
  const words = () => page.$$eval('#completions .completion-word', (l) => l.map((x) => x.textContent));
  assert.deepEqual(await words(), ['UPPER']);
  assert.equal(await page.textContent('#completions li .hint'), 'UPPER(string)', 'a function shows its usage');
  assert.equal(await page.getAttribute('#sql', 'aria-activedescendant'), 'completion-0');
  // Taking a function writes its call, the cursor between the parentheses.
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('#sql'), 'SELECT UPPER()');
  assert.ok(await page.$eval('#completions', (e) => e.classList.contains('hidden')));
  // After the alias and a dot, before any FROM clause: the fields of the records in dragons.json
  // (a JSON document that is one array), sampled by the engine.
  await page.keyboard.type('s.');
  await page.waitForFunction(() => [...document.querySelectorAll('#completions .completion-word')].some((e) => e.textContent === 'dragon_name_str'));
  // More of the word narrows the open list.
  await page.keyboard.type('dragon_n');
  await page.waitForFunction(() => document.querySelectorAll('#completions li').length === 1);
  assert.deepEqual(await words(), ['dragon_name_str']);
  await page.keyboard.press('Tab');
  await page.keyboard.press('End');
  await page.keyboard.type(' FROM S3Object[*][*] s');
  assert.equal(await page.inputValue('#sql'), 'SELECT UPPER(s.dragon_name_str) FROM S3Object[*][*] s');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  // Typing a dot opens the list by itself, with the paths the FROM clause reads; arrows choose.
  await page.focus('#sql');
  await page.keyboard.press('End');
  await page.keyboard.type(' WHERE s.f');
  await page.waitForFunction(() => [...document.querySelectorAll('#completions .completion-word')].some((e) => e.textContent === 'family_str'));
  const offered = await words();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute('#sql', 'aria-activedescendant'), offered.length > 1 ? 'completion-1' : 'completion-0');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Escape');
  assert.ok(await page.$eval('#completions', (e) => e.classList.contains('hidden')));
  assert.equal(await page.getAttribute('#sql', 'aria-activedescendant'), null);
  await page.keyboard.press('Control+Space');
  await page.waitForSelector('#completions:not(.hidden) li');
  await page.click(`#completions li:nth-child(${offered.indexOf('family_str') + 1})`);
  assert.equal(await page.inputValue('#sql'), 'SELECT UPPER(s.dragon_name_str) FROM S3Object[*][*] s WHERE s.family_str');
  // Inside a string: nothing.
  await page.keyboard.type(" = 'UP");
  await page.keyboard.press('Control+Space');
  assert.ok(await page.$eval('#completions', (e) => e.classList.contains('hidden')));
  assert.deepEqual(problems.console, []);
});

test('keyboard only: the chart, the data shape and history are reached with Tab and used with Enter (completion is keys only: see its test)', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  // What has the focus: its id, or its parent's id and its tag.
  const focused = () => page.evaluate(() => {
    const e = document.activeElement;
    return e.id || `${e.parentElement?.id}>${e.tagName.toLowerCase()}`;
  });
  // Presses Tab from the top of the page until `want` has the focus.
  const tabTo = async (want) => {
    await page.evaluate(() => document.activeElement?.blur());
    for (let i = 1; i <= 200; i++) {
      await page.keyboard.press('Tab');
      if ((await focused()) === want) return i;
    }
    assert.fail(`${want} is not reached with Tab`);
  };
  await page.focus('#sql');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('SELECT COUNT(*) AS n, MAX(s.age_years) AS oldest FROM S3Object[*][*] s');
  await page.keyboard.press('Control+Enter');
  assert.equal(await settled(page), 'Done.');
  // The chart of the one row of aggregates, from its tab.
  await tabTo('tab-chart');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#chart-svg');
  assert.deepEqual(await page.locator('#chart-svg text.chart-label').allTextContents(), ['n', 'oldest']);
  // The data shape: opened with Enter on its summary, a path put into the query with Enter.
  await tabTo('shape>summary');
  await page.keyboard.press('Enter');
  // (Typing `s.` above had completion sample the data before the query had its FROM clause.)
  await page.waitForFunction(() => document.querySelector('#shape-list button')?.textContent.startsWith('s.'));
  await page.keyboard.press('Tab');
  const path = await page.evaluate(() => document.activeElement.textContent);
  assert.match(path, /^s\./);
  await page.evaluate(() => document.querySelector('#sql').setSelectionRange(0, 0));
  await page.keyboard.press('Enter');
  assert.ok((await page.inputValue('#sql')).startsWith(path), 'the path went in at the cursor');
  // History: the run above is there, and its search box is reached with Tab.
  await tabTo('history-search');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.match(await page.inputValue('#sql'), /^SELECT COUNT\(\*\) AS n/);
  assert.deepEqual(problems.console, []);
});

test('Parquet: a file is detected and answers as its JSON copy does, the bundled dragons.parquet runs its example, a codec S3 Select refuses gives its code', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(server.url);
  await settled(page);
  const data = path.join(root, 'crates/select/tests/parquet/data');
  const sql = 'SELECT s.name, s.age FROM S3Object s WHERE s.family = \'red\'';
  // The JSON copy of the same rows, for comparison.
  await page.setInputFiles('#file-input', path.join(data, 'people.jsonl'));
  await page.waitForSelector('#detection');
  await setSql(page, sql);
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  const expected = await tableRows(page);
  assert.ok(expected.length > 1, expected);
  // The Parquet file, given an uninformative name: detected from its PAR1 magic.
  await page.setInputFiles('#file-input', { name: 'export.bin', mimeType: 'application/octet-stream', buffer: fs.readFileSync(path.join(data, 'people-snappy.parquet')) });
  await page.waitForFunction(() => document.querySelector('#in-format').value === 'Parquet');
  assert.match(await page.textContent('#detection'), /PAR1/);
  assert.equal(await page.locator('#raw-preview').count(), 0, 'a binary file has no lines to show');
  assert.equal(await page.inputValue('#in-compression'), 'NONE');
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), expected);
  // A damaged file (the magic at both ends, junk between): a coded error, and the worker lives on.
  await page.setInputFiles('#file-input', { name: 'damaged.parquet', mimeType: 'application/octet-stream', buffer: Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 1), Buffer.from('PAR1')]) });
  await page.click('#run');
  assert.equal(await settled(page), 'Error.');
  assert.equal(await page.textContent('#error-code'), 'ParquetParsingError');
  // ZSTD columns: S3 Select reads only GZIP and Snappy inside Parquet.
  await page.setInputFiles('#file-input', path.join(data, 'zstd.parquet'));
  await page.waitForFunction(() => document.querySelector('#in-format').value === 'Parquet');
  await setSql(page, 'SELECT * FROM S3Object s');
  await page.click('#run');
  assert.equal(await settled(page), 'Error.');
  assert.equal(await page.textContent('#error-code'), 'ParquetUnsupportedCompressionCodec');
  // The bundled copy of the dragons: typed columns, so its example needs no CAST.
  await page.click('text=Parquet: typed columns, no CAST');
  assert.equal(await settled(page), 'Done.');
  assert.ok(await page.isChecked('#dataset-parquet'));
  assert.deepEqual(await tableRows(page), [['62', '435.1290322580645', '139']]);
  // Its shape: the columns with their Parquet types.
  await setSql(page, 'SELECT s.age_years FROM S3Object s');
  await page.click('#shape summary');
  await page.waitForFunction(() => document.querySelector('#shape-list')?.textContent.includes('s.last_seen'));
  const rows = await page.$$eval('#shape-list li', (l) => l.map((li) => [...li.children].map((c) => c.textContent)));
  assert.deepEqual(rows.find((r) => r[0] === 's.age_years'), ['s.age_years', 'int', '']);
  // Parquet has no MISSING: the 31 dragons the JSON gives no nickname, and the 15 it gives a null
  // one, are all NULL here.
  assert.equal(rows.find((r) => r[0] === 's.nickname')?.[2], 'NULL 46');
  assert.deepEqual(problems.console, []);
});
