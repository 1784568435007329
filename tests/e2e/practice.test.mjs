// The practice account in headless Chromium, on the site as built (no config.json, no emulator,
// every request off this machine refused): Parameter Store, S3 Select on the practice bucket and
// the Dragon API answer inside the page, signed as for AWS; the account outlives a reload and
// Reset brings back its seed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, newPage, root, serveDist, settled, setSql, tableRows } from './helpers.mjs';

let site;
let browser;

before(async () => {
  site = await serveDist();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
});

/** The inspector's exchanges for an operation, newest first. */
async function exchanges(page, op) {
  return page.$$eval('#inspector details.exchange', (list, op) => list
    .filter((d) => d.querySelector('.op').textContent === op)
    .map((d) => ({
      status: d.querySelector('summary .mono:not(.method)').textContent,
      url: d.querySelector('summary').textContent,
      canonical: d.querySelector('.canonical-request')?.textContent ?? '',
      signature: d.querySelector('.signature')?.textContent ?? '',
      responseBody: d.querySelector('.response-body').textContent,
      cli: d.querySelector('.snippet.cli').textContent,
    })), op);
}

/** Opening Parameter Store with no class connects to the practice account by itself. */
async function openParameters(page) {
  await page.click('#nav-parameters');
  await page.waitForFunction(() => /Practice account/.test(document.querySelector('#who')?.textContent ?? ''), null, { timeout: 20000 });
}

async function put(page, name, type, value) {
  await page.fill('#put-name', name);
  await page.selectOption('#put-type', type);
  await page.fill('#put-value', value);
  await page.click('#put-save');
}

async function browse(page, path) {
  await page.fill('#ssm-path', path);
  await page.click('#ssm-browse-button');
}

const names = (page) => page.$$eval('#ssm-tree .param-name', (b) => b.map((x) => x.dataset.name));

test('with no account: put, browse, history, errors, S3 Select and the Dragon API, kept across a reload until Reset', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(site.url);
  assert.equal(await settled(page), 'Done.');
  await openParameters(page);

  // The course's seeded parameters are there.
  await browse(page, '/dragons');
  await page.waitForSelector('#ssm-tree .param-name[data-name="/dragons/families"]');
  const [listed] = await exchanges(page, 'ssm GetParametersByPath');
  assert.equal(listed.status, '200');
  assert.match(listed.canonical, /^POST\n\/\n/, 'the inspector shows the canonical request it signed');
  assert.match(listed.signature, /^[0-9a-f]{64}$/);
  assert.match(listed.cli, /aws ssm get-parameters-by-path/);
  assert.doesNotMatch(listed.cli, /practice|endpoint-url/, 'the copied command is for AWS itself');

  await put(page, '/practice/plain', 'String', 'hello');
  await page.waitForFunction(() => /Saved \/practice\/plain, version 1/.test(document.querySelector('#put-result')?.textContent));
  await put(page, '/practice/plain', 'String', 'hello again');
  await page.waitForSelector('#put-confirm');
  await page.click('#put-overwrite');
  await page.waitForFunction(() => /plain, version 2/.test(document.querySelector('#put-result')?.textContent));
  // AWS's validation, with its code: names may not start with the reserved "aws".
  await put(page, 'aws-reserved', 'String', 'x');
  await page.waitForFunction(() => /ValidationException/.test(document.querySelector('#put-result')?.textContent));

  await browse(page, '/practice');
  await page.waitForSelector('#ssm-tree .param-name[data-name="/practice/plain"]');
  await page.click('#ssm-tree .param-name[data-name="/practice/plain"]');
  await page.waitForFunction(() => document.querySelector('#param-value')?.textContent === 'hello again');
  await page.click('#param-history');
  await page.waitForSelector('#param-history-table');
  assert.deepEqual(await page.$$eval('#param-history-table tbody tr', (r) => r.map((x) => x.children[1].textContent)), ['hello again', 'hello']);

  // Delete, after a confirm; reading it again is AWS's ParameterNotFound.
  await put(page, '/practice/gone', 'SecureString', 'shh');
  await page.waitForFunction(() => /Saved \/practice\/gone, version 1/.test(document.querySelector('#put-result')?.textContent));
  await browse(page, '/practice');
  await page.waitForSelector('#ssm-tree .param-name[data-name="/practice/gone"]');
  await page.click('#ssm-tree .param-name[data-name="/practice/gone"]');
  await page.waitForSelector('#param-delete');
  assert.equal(await page.isVisible('#param-delete-confirm'), false, 'asked only after Delete…');
  await page.click('#param-delete');
  await page.click('#param-delete-confirm');
  await page.waitForFunction(() => !document.querySelector('#param-detail'));
  await browse(page, '/practice');
  await page.waitForFunction(() => document.querySelectorAll('#ssm-tree .param-name').length === 1);
  assert.deepEqual(await names(page), ['/practice/plain']);
  const [deleted] = await exchanges(page, 'ssm DeleteParameter');
  assert.equal(deleted.status, '200');

  // S3 Select on the practice bucket: bucket and key come from the course's two parameters.
  await page.click('#nav-select');
  await page.check('#dataset-s3');
  await page.waitForFunction(() => document.querySelector('#s3-bucket')?.value && document.querySelector('#s3-key')?.value, null, { timeout: 10000 });
  assert.equal(await page.inputValue('#s3-key'), 'dragon_stats_one.json');
  await setSql(page, "SELECT s.dragon_name_str FROM S3Object[*][*] s WHERE s.family_str = 'red'");
  await page.click('#run');
  assert.match(await settled(page), /Done/);
  const red = await tableRows(page);
  assert.ok(red.length > 0, 'red dragons come back');
  const [selected] = await exchanges(page, 's3 SelectObjectContent');
  assert.equal(selected.status, '200');

  // A file of the learner's goes into the practice bucket (PutObject) and S3 Select reads it.
  await page.click('#s3-browse');
  await page.waitForSelector('#s3-listing li');
  await page.setInputFiles('#s3-upload', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from('name,wings\nAurel,2\nBrimm,4\nCyra,6\n') });
  await page.waitForSelector('#s3-listing button:text-is("mine.csv")');
  const [uploaded] = await exchanges(page, 's3 PutObject');
  assert.equal(uploaded.status, '200');
  assert.match(uploaded.cli, /^aws s3api put-object --bucket dragons-app-practice --key mine\.csv --body mine\.csv/);
  await page.click('#s3-listing button:text-is("mine.csv")');
  assert.equal(await page.inputValue('#s3-key'), 'mine.csv');
  await setSql(page, 'SELECT s.name FROM S3Object s WHERE CAST(s.wings AS INT) > 2');
  await page.click('#run');
  assert.match(await settled(page), /Done/);
  assert.deepEqual(await tableRows(page), [['Brimm'], ['Cyra']]);

  // An object's settings come from its first bytes (one ranged GET), as for a file: a
  // spreadsheet's semicolon export with \r\n line ends, gzipped under a plain name.
  await page.click('#s3-browse');
  await page.waitForSelector('#s3-listing li');
  const crlf = zlib.gzipSync(Buffer.from('id;name;t\r\n1;Atlas;x\r\n2;Blaze;y\r\n'));
  await page.setInputFiles('#s3-upload', { name: 'export.csv', mimeType: 'text/csv', buffer: crlf });
  await page.waitForSelector('#s3-listing button:text-is("export.csv")');
  await page.click('#s3-listing button:text-is("export.csv")');
  await page.waitForSelector('#detection');
  await page.waitForFunction(() => document.querySelector('#in-fd')?.value === ';');
  assert.equal(await page.inputValue('#in-rd'), '\\r\\n');
  assert.equal(await page.inputValue('#in-compression'), 'GZIP');
  assert.match(await page.textContent('#raw-preview'), /^id;name;t␍␊/);
  const [peeked] = await exchanges(page, 's3 GetObject');
  assert.match(peeked.cli, /--range bytes=0-1048575/);
  await setSql(page, 'SELECT s.name, s.t FROM S3Object s');
  await page.click('#run');
  assert.match(await settled(page), /Done/);
  assert.deepEqual(await tableRows(page), [['Atlas', 'x'], ['Blaze', 'y']]);

  // The Dragon API: list, then report one.
  await page.click('#nav-dragons');
  await page.click('#dragon-search-button');
  await page.waitForSelector('#dragon-table');
  const before = parseInt(await page.textContent('#dragon-count'), 10);
  assert.ok(before > 50);
  const values = { dragonName: 'Practicewing', description: 'Small and quick', family: 'red', city: 'anchorage', state: 'alaska', country: 'usa', neighborhood: 'w fireweed ln', reportingPhoneNumber: '+1 555 0100' };
  for (const [k, v] of Object.entries(values)) await page.fill(`#dragon-${k}`, v);
  await page.click('#dragon-report-button');
  await page.waitForSelector('#report-result.ok');
  await page.click('#dragon-search-button');
  await page.waitForFunction((n) => document.querySelector('#dragon-count')?.textContent === `${n} dragons`, before + 1);

  // A reload keeps the account (IndexedDB).
  await page.reload();
  assert.equal(await settled(page), 'Done.');
  await openParameters(page);
  await browse(page, '/practice');
  await page.waitForSelector('#ssm-tree .param-name[data-name="/practice/plain"]');
  await page.click('#nav-dragons');
  await page.click('#dragon-search-button');
  await page.waitForFunction((n) => document.querySelector('#dragon-count')?.textContent === `${n} dragons`, before + 1);

  // Reset, after a confirm, brings back the seed.
  assert.equal(await page.isVisible('#practice-reset-confirm'), false, 'asked only after Reset…');
  await page.click('#practice-reset');
  await page.click('#practice-reset-confirm');
  await page.waitForSelector('#practice-was-reset:not(.hidden)');
  // The panels drop what they listed before the reset.
  assert.equal(await page.locator('#dragon-count').count(), 0);
  await page.click('#nav-parameters');
  assert.equal(await page.locator('#ssm-tree .param-name').count(), 0);
  await page.click('#nav-dragons');
  await page.click('#dragon-search-button');
  await page.waitForFunction((n) => document.querySelector('#dragon-count')?.textContent === `${n} dragons`, before);
  await page.click('#nav-parameters');
  await browse(page, '/practice');
  await page.waitForFunction(() => document.querySelectorAll('#ssm-tree .param-name').length === 0 && ![...document.querySelectorAll('#ssm-tree .param-name')].length);
  assert.deepEqual(await names(page), []);
  await browse(page, '/dragons');
  await page.waitForSelector('#ssm-tree .param-name[data-name="/dragons/families"]');

  assert.deepEqual(problems.external, [], 'nothing left this machine');
  assert.deepEqual(problems.console, []);
});

test('with no class, choosing the S3 object opens the practice account and S3 Select answers from its bucket', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(site.url);
  assert.equal(await settled(page), 'Done.');
  assert.equal(await page.$('#who'), null, 'not connected before it is needed');
  await page.check('#dataset-s3');
  await page.waitForFunction(() => /Practice account/.test(document.querySelector('#who')?.textContent ?? ''), null, { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('#s3-key')?.value === 'dragon_stats_one.json', null, { timeout: 10000 });
  await page.click('#run');
  assert.match(await settled(page), /Done/);
  assert.equal((await tableRows(page)).length, 9, "the default query's red dragons");
  const stats = await page.textContent('#stat-returned');
  assert.match(stats, /B/);
  assert.deepEqual(problems.external, []);
  assert.deepEqual(problems.console, []);
});

/** The byte ranges of the GetObject calls, from their copied CLI commands (newest first). */
async function rangesRead(page) {
  return (await exchanges(page, 's3 GetObject')).map((e) => (e.cli.match(/--range (bytes=\S+)/) ?? [null, 'whole'])[1]);
}

test('Parquet objects: S3 Select leaves them to the engine in the page, which reads the footer and the columns it needs by ranged GETs', async () => {
  const { page, problems } = await newPage(browser);
  await page.goto(site.url);
  assert.equal(await settled(page), 'Done.');
  // The answer to compare with: the bundled dragons.parquet, read from the site.
  const sql = 'SELECT s.dragon_name_str, s.age_years FROM S3Object s WHERE s.age_years > 300';
  await page.check('#dataset-parquet');
  await setSql(page, sql);
  await page.click('#run');
  assert.match(await settled(page), /Done/);
  const bundled = await tableRows(page);
  assert.ok(bundled.length > 3);

  // A bigger Parquet object of the learner's: four row groups, a wide last column.
  const logbook = fs.readFileSync(path.join(root, 'tests/e2e/data/dragons-logbook.parquet'));
  await page.check('#dataset-s3');
  await page.waitForFunction(() => document.querySelector('#s3-key')?.value === 'dragon_stats_one.json', null, { timeout: 20000 });
  await page.click('#s3-browse');
  await page.waitForSelector('#s3-listing li');
  await page.setInputFiles('#s3-upload', { name: 'logbook.parquet', mimeType: 'application/octet-stream', buffer: logbook });
  await page.waitForSelector('#s3-listing button:text-is("logbook.parquet")');
  await page.click('#s3-listing button:text-is("logbook.parquet")');
  await page.waitForFunction(() => document.querySelector('#in-format')?.value === 'Parquet');
  const detectedBy = (await rangesRead(page)).length;
  await setSql(page, sql);
  await page.click('#run');
  assert.match(await settled(page), /Done/);
  assert.match(await page.textContent('#fallback-note'), /S3 Select is not available here \(NotImplemented: .*\), so Wyvern read the footer and the columns the query needs with ranged GETs/);
  const rows = await tableRows(page);
  assert.equal(await page.textContent('#stat-records'), String(bundled.length * 20), 'the dragons twenty times over');
  assert.deepEqual(rows.slice(0, bundled.length), bundled);
  assert.deepEqual(rows.slice(bundled.length, 2 * bundled.length), bundled);
  // The run's reads: the last 64 KiB (the size, the footer, the last row groups whole), the
  // magic number the file starts with, then the two first row groups' two columns (one ranged
  // GET each); far less than the object.
  const reads = (await rangesRead(page)).slice(0, -detectedBy).reverse();
  assert.deepEqual(reads.slice(0, 2), ['bytes=-65536', 'bytes=0-3'], reads.join(' '));
  assert.equal(reads.length, 4, reads.join(' '));
  const spans = reads.slice(1).map((r) => r.match(/^bytes=(\d+)-(\d+)$/).slice(1).map(Number));
  const fetched = 65536 + spans.reduce((n, [a, b]) => n + b - a + 1, 0);
  assert.ok(fetched < logbook.length * 0.7, `${fetched} of ${logbook.length} bytes read`);
  assert.ok(spans.every(([a, b]) => b < logbook.length - 65536), 'nothing read twice');

  // The seeded copy of the bundled file: small enough that the first read holds all of it.
  await page.click('#s3-browse');
  await page.waitForSelector('#s3-listing li');
  await page.click('#s3-listing li button:text("samples/")');
  await page.waitForSelector('#s3-up');
  await page.click('#s3-listing li button:text("dragons.parquet")');
  await page.waitForFunction(() => document.querySelector('#s3-key')?.value === 'samples/dragons.parquet');
  await page.waitForFunction(() => document.querySelector('#in-format')?.value === 'Parquet');
  const before = (await rangesRead(page)).length;
  await page.click('#run');
  assert.match(await settled(page), /Done/);
  assert.deepEqual(await tableRows(page), bundled);
  assert.deepEqual((await rangesRead(page)).slice(0, -before), ['bytes=-65536']);

  assert.deepEqual(problems.external, [], 'nothing left this machine');
  assert.deepEqual(problems.console, []);
});
