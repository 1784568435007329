// Live mode in headless Chromium against the local AWS emulator (moto + our patches): connect,
// S3 Select, Parameter Store, the Dragon API and the request inspector, as a learner uses them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, newPage, settled, setSql, tableRows, startEmulator, serveSite, dist, root } from './helpers.mjs';

let emulator;
let site;
let browser;

const RED = "SELECT s.dragon_name_str, s.location_city_str FROM S3Object[*][*] s WHERE s.family_str = 'red'";

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'index.html')), 'the site is built (python3 scripts/build-site.py)');
  emulator = await startEmulator();
  site = await serveSite(emulator.configPath);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  emulator?.stop();
});

async function open() {
  const { page, problems } = await newPage(browser);
  await page.goto(site.url);
  await settled(page);
  return { page, problems };
}

async function connectGuest(page) {
  await page.click('#connect');
  await page.waitForSelector('#who', { timeout: 20000 });
}

/** Connects with the emulator learner's own IAM keys (they may write parameters). */
async function connectKeys(page) {
  await page.click('#way-keys');
  await page.fill('#keys-id', emulator.state.access_key_id);
  await page.fill('#keys-secret', emulator.state.secret_access_key);
  await page.click('#connect');
  await page.waitForSelector('#who');
}

async function signIn(page, user, password) {
  await page.click('#way-signin');
  await page.fill('#signin-user', user);
  await page.fill('#signin-password', password);
  await page.click('#connect');
}

/** The inspector's exchanges for an operation, newest first. */
async function exchanges(page, op) {
  return page.$$eval('#inspector details.exchange', (list, op) => list
    .filter((d) => d.querySelector('.op').textContent === op)
    .map((d) => ({
      status: d.querySelector('summary .mono:not(.method)').textContent,
      canonical: d.querySelector('.canonical-request')?.textContent ?? '',
      stringToSign: d.querySelector('.string-to-sign')?.textContent ?? '',
      signature: d.querySelector('.signature')?.textContent ?? '',
      frames: [...d.querySelectorAll('.frames li')].map((li) => li.textContent),
      requestHeaders: [...d.querySelectorAll('.headers')][0]?.textContent ?? '',
      requestBody: d.querySelector('.request-body').textContent,
      responseBody: d.querySelector('.response-body').textContent,
      cli: d.querySelector('.snippet.cli').textContent,
      boto3: d.querySelector('.snippet.boto3').textContent,
    })), op);
}

async function runLiveSelect(page, sql = RED) {
  await page.check('#dataset-s3');
  await page.waitForFunction(() => document.querySelector('#s3-bucket')?.value && document.querySelector('#s3-key')?.value, null, { timeout: 10000 });
  await setSql(page, sql);
  await page.click('#run');
  return settled(page);
}

/**
 * Runs a copied AWS CLI command with the learner's own keys (the command carries none), in a
 * fresh folder; returns its standard output and the files it wrote.
 */
function awsCli(command) {
  const bin = path.join(root, 'emulator/.venv-cli/bin');
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'wyvern-cli-'));
  const stdout = execFileSync('bash', ['-c', command], {
    cwd,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      AWS_ACCESS_KEY_ID: emulator.state.access_key_id,
      AWS_SECRET_ACCESS_KEY: emulator.state.secret_access_key,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      HOME: process.env.HOME,
    },
    encoding: 'utf8',
  });
  const files = Object.fromEntries(fs.readdirSync(cwd).map((f) => [f, fs.readFileSync(path.join(cwd, f), 'utf8')]));
  fs.rmSync(cwd, { recursive: true, force: true });
  return { stdout, files };
}

test('without a class config the live panel offers the practice account first, and nothing offline changes', async () => {
  const { page, problems } = await newPage(browser);
  const offline = await import('./helpers.mjs').then((h) => h.serveDist());
  try {
    await page.goto(offline.url);
    assert.equal(await settled(page), 'Done.');
    assert.match(await page.textContent('#config-note'), /no config\.json/);
    // Hidden (display: none: not shown, not focusable, not read out) until asked.
    assert.equal(await page.isVisible('#connect'), false, 'one line until asked');
    assert.match(await page.textContent('label:has(#dataset-s3)'), /practice account/, 'the S3 object is the practice bucket');
    await page.click('#live-expand');
    assert.equal(await page.getAttribute('#way-practice', 'aria-selected'), 'true');
    assert.ok(!(await page.isDisabled('#connect')), 'the practice account needs no class');
    await page.click('#way-keys');
    assert.equal(await page.inputValue('#keys-region'), 'us-east-1', 'keys without a config ask for a region');
    await page.click('#way-guest');
    assert.ok(await page.isDisabled('#connect'), 'guest needs a class environment');
    // Parameter Store needs a connection: with no class, it opens the practice account.
    await page.click('#nav-parameters');
    await page.waitForFunction(() => /Practice account/.test(document.querySelector('#who')?.textContent ?? ''));
    assert.deepEqual(problems.console, []);
  } finally {
    offline.stop();
  }
});

test('guest: temporary credentials from the identity pool, shown with identity and expiry', async () => {
  const { page, problems } = await newPage(browser);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(site.url);
  await settled(page);
  assert.ok(!fetched.some((p) => p.includes('wyvern-live')), 'live mode is not downloaded before Connect');
  assert.match(await page.textContent('#config-note'), /Class environment: http:\/\/127\.0\.0\.1:\d+ \(us-east-1\)/);
  await connectGuest(page);
  assert.ok(fetched.some((p) => p.endsWith('.wasm') && p.includes('wyvern-live')), 'and is on Connect');
  assert.equal(await page.textContent('#who'), 'Guest');
  assert.match(await page.textContent('#identity'), /^us-east-1:[0-9a-f-]{36}$/);
  assert.match(await page.textContent('#expiry'), /expires in (1:00:00|59:\d\d)/);
  // The classic flow: GetId, GetOpenIdToken, then STS for the guest role.
  for (const op of ['cognito-identity GetId', 'cognito-identity GetOpenIdToken', 'sts AssumeRoleWithWebIdentity']) {
    // The inspector's records are posted beside the answer: one may be drawn just after #who.
    await page.waitForFunction((op) => [...document.querySelectorAll('#inspector details.exchange .op')].some((e) => e.textContent === op), op);
    const [e] = await exchanges(page, op);
    assert.equal(e?.status, '200', op);
  }
  const [sts] = await exchanges(page, 'sts AssumeRoleWithWebIdentity');
  assert.match(sts.responseBody, /<AccessKeyId>ASIA/);
  assert.doesNotMatch(sts.responseBody + sts.requestBody, /<SecretAccessKey>[^*]|<SessionToken>[^*]|WebIdentityToken=[^*]/, 'secrets are redacted');
  await page.click('#sign-out');
  await page.waitForSelector('#connect');
  assert.deepEqual(problems.console, []);
  assert.deepEqual(problems.external, []);
});

test('sign in; a first sign-in sets a new password; a wrong password shows the code', async () => {
  const { page } = await open();
  await signIn(page, 'learner', 'not-the-password');
  await page.waitForSelector('#connect-error');
  assert.match(await page.textContent('#connect-error'), /NotAuthorizedException/);
  assert.equal(await page.inputValue('#signin-user'), 'learner', 'what the learner typed stays');
  await signIn(page, 'learner', emulator.state.users.learner);
  await page.waitForSelector('#who');
  assert.equal(await page.textContent('#who'), 'Signed in as learner');
  const [init] = await exchanges(page, 'cognito-idp InitiateAuth');
  assert.doesNotMatch(init.requestBody, /Dragon-rider/, 'the password is redacted in the inspector');
  assert.doesNotMatch(init.cli + init.boto3, /Dragon-rider/);
  await page.click('#sign-out');

  await signIn(page, 'newcomer', emulator.state.users.newcomer);
  await page.waitForSelector('#new-password');
  await page.fill('#new-password', 'Brand-new-pass-9!');
  await page.click('#set-password');
  await page.waitForSelector('#who');
  assert.equal(await page.textContent('#who'), 'Signed in as newcomer');
});

test('S3 Select streams rows and stats; the inspector shows the frames and what was signed', async () => {
  const { page, problems } = await open();
  await connectGuest(page);
  assert.equal(await runLiveSelect(page), 'Done.');
  assert.equal(await page.inputValue('#s3-bucket'), emulator.state.bucket, 'prefilled from Parameter Store');
  assert.equal(await page.inputValue('#s3-key'), emulator.state.key);
  const rows = await tableRows(page);
  assert.equal(rows.length, 9);
  assert.deepEqual(rows[0], ['Atlas', 'anchorage']);
  assert.equal(await page.textContent('#stat-records'), '9');
  assert.match(await page.textContent('#stat-scanned'), /KB/);
  const [select] = await exchanges(page, 's3 SelectObjectContent');
  assert.equal(select.status, '200');
  assert.ok(select.frames.some((f) => f.startsWith('Records')), select.frames.join('\n'));
  assert.ok(select.frames.some((f) => f.startsWith('Stats')));
  assert.equal(select.frames.at(-1), 'End');
  assert.match(select.requestBody, /<Expression>SELECT s\.dragon_name_str/);
  assert.match(select.requestHeaders, /x-amz-security-token\*\* redacted \*\*/);
  // The canonical request the inspector shows is the one the emulator rebuilt and verified,
  // with the session token's value hidden; the string to sign (which hashes the unredacted
  // canonical request) is identical.
  const verified = await (await fetch(`${emulator.endpoint}/_wyvern/verified?signature=${select.signature}`)).json();
  assert.match(verified.canonicalRequest, /\nx-amz-security-token:[^*\n]{20,}\n/);
  assert.equal(select.canonical, verified.canonicalRequest.replace(/\nx-amz-security-token:[^\n]*/, '\nx-amz-security-token:** redacted **'));
  assert.equal(select.stringToSign, verified.stringToSign);
  // No secret anywhere on the page: not the session token, not the secret key.
  const html = await page.content();
  const token = verified.canonicalRequest.match(/\nx-amz-security-token:([^\n]+)/)[1];
  assert.ok(!html.includes(token), 'the session token is not on the page');
  assert.deepEqual(problems.console, []);
});

test('a redirect is refused, not followed with the signed headers', async () => {
  const { page } = await open();
  await connectGuest(page);
  assert.equal(await runLiveSelect(page), 'Done.');
  // Another origin (localhost, not 127.0.0.1) that counts the requests reaching it.
  const elsewhere = `${emulator.endpoint.replace('127.0.0.1', 'localhost')}/_wyvern/redirected`;
  await emulator.fault({ redirect_to: elsewhere });
  try {
    await page.click('#run');
    assert.equal(await settled(page), 'Error.');
    assert.match(await page.textContent('#error'), /redirected, which Wyvern does not follow/);
    const faults = await (await fetch(`${emulator.endpoint}/_wyvern/faults`)).json();
    assert.equal(faults.redirected_hits, 0, 'nothing reached the redirect target');
  } finally {
    await emulator.fault({ redirect_to: '' });
  }
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
});

test('a live answer is split by the output serialization it was asked for', async () => {
  const { page } = await open();
  await connectGuest(page);
  await page.check('#dataset-s3');
  await page.selectOption('#out-format', 'CSV');
  await page.selectOption('#out-quote-fields', 'ALWAYS');
  for (const [id, value] of [['#out-fd', ';'], ['#out-rd', '|']]) {
    await page.fill(id, value);
    await page.press(id, 'Tab');
  }
  // Each record holds both delimiters inside a quoted field.
  const sql = "SELECT s.dragon_name_str, 'a|b;c' FROM S3Object[*][*] s WHERE s.family_str = 'red'";
  assert.equal(await runLiveSelect(page, sql), 'Done.');
  const rows = await tableRows(page);
  assert.equal(rows.length, 9);
  assert.deepEqual(rows[0], ['Atlas', 'a|b;c']);
  assert.equal(await page.textContent('#stat-records'), '9');
  await page.click('#tab-raw');
  assert.match(await page.textContent('#raw-output'), /^"Atlas";"a\|b;c"\|"Hydra"/);
});

test('rows appear while the answer streams, and Cancel stops it', async () => {
  const { page } = await open();
  await connectGuest(page);
  await emulator.fault({ slow_select: 0.4 });
  try {
    await page.check('#dataset-s3');
    await page.waitForFunction(() => document.querySelector('#s3-key')?.value);
    await setSql(page, 'SELECT s.dragon_name_str FROM S3Object[*][*] s');
    await page.click('#run');
    await page.waitForFunction(() => document.querySelectorAll('#results-table tbody tr').length > 0, null, { timeout: 20000 });
    assert.match(await page.textContent('#status'), /S3 Select: streaming/);
    await page.click('#cancel');
    assert.equal(await settled(page), 'Cancelled.');
    const [select] = await exchanges(page, 's3 SelectObjectContent');
    assert.ok(!select.frames.includes('End'), 'the stream was cut before its end');
    assert.ok(select.frames.some((f) => /cancelled/.test(f)));
  } finally {
    await emulator.fault({ slow_select: 0 });
  }
});

test('compare with local: the engine in the browser gives the same answer byte for byte', async () => {
  const { page } = await open();
  await connectGuest(page);
  await page.check('#dataset-s3');
  await page.check('#s3-compare');
  assert.equal(await runLiveSelect(page), 'Done.');
  await page.waitForSelector('#compare-note');
  assert.match(await page.textContent('#compare-note'), /agrees with S3 Select: the same 9 records/);
  assert.equal((await exchanges(page, 's3 GetObject')).length, 1);
});

test('without S3 Select on the account, the query runs locally on the object and says so', async () => {
  const { page } = await open();
  await connectGuest(page);
  await emulator.fault({ select_unavailable: true });
  try {
    assert.equal(await runLiveSelect(page), 'Done.');
    assert.match(await page.textContent('#fallback-note'), /S3 Select is not available here \(MethodNotAllowed/);
    assert.equal((await tableRows(page)).length, 9);
  } finally {
    await emulator.fault({ select_unavailable: false });
  }
});

test('a Parquet object: S3 Select answers it, and without S3 Select the page reads it by ranged GETs', async () => {
  const { page, problems } = await open();
  const sql = 'SELECT s.dragon_name_str, s.age_years FROM S3Object s WHERE s.age_years > 300';
  // The answer of the bundled copy, read from the site by the engine in the page.
  await page.check('#dataset-parquet');
  await setSql(page, sql);
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  const bundled = await tableRows(page);
  assert.ok(bundled.length > 3);

  await connectGuest(page);
  await page.check('#dataset-s3');
  await page.waitForFunction(() => document.querySelector('#s3-key')?.value);
  await page.fill('#s3-key', 'samples/dragons.parquet');
  await page.dispatchEvent('#s3-key', 'change');
  await page.waitForFunction(() => document.querySelector('#in-format')?.value === 'Parquet');
  await setSql(page, sql);
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), bundled);
  const [select] = await exchanges(page, 's3 SelectObjectContent');
  assert.equal(select.status, '200');
  assert.match(select.requestBody, /<InputSerialization>(<CompressionType>NONE<\/CompressionType>)?<Parquet><\/Parquet><\/InputSerialization>/);
  assert.match(select.cli, /--input-serialization '\{[^']*"Parquet":\{\}\}'/);

  await emulator.fault({ select_unavailable: true });
  try {
    const before = (await exchanges(page, 's3 GetObject')).length;
    await page.click('#run');
    assert.equal(await settled(page), 'Done.');
    assert.match(await page.textContent('#fallback-note'), /\(MethodNotAllowed: .*\), so Wyvern read the footer and the columns the query needs with ranged GETs/);
    assert.deepEqual(await tableRows(page), bundled);
    const reads = (await exchanges(page, 's3 GetObject')).slice(0, -before || undefined);
    assert.deepEqual(reads.map((r) => [r.status, (r.cli.match(/--range (\S+)/) ?? [])[1]]), [['206', 'bytes=-65536']]);
  } finally {
    await emulator.fault({ select_unavailable: false });
  }
  assert.deepEqual(problems.console, []);
});

test('expired credentials are renewed without the learner noticing', async () => {
  const { page } = await open();
  await connectGuest(page);
  assert.equal(await runLiveSelect(page), 'Done.');
  const before = await page.$$eval('.connected .chip.mono', (c) => c[1].textContent);
  await emulator.fault({ expire_sessions: true });
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.equal((await tableRows(page)).length, 9);
  const selects = await exchanges(page, 's3 SelectObjectContent');
  assert.equal(selects[1].status, '400', 'the first attempt met ExpiredToken');
  assert.match(selects[1].responseBody, /ExpiredToken/);
  assert.equal(selects[0].status, '200', 'then new credentials answered');
  await page.waitForFunction((b) => document.querySelectorAll('.connected .chip.mono')[1].textContent !== b, before);
});

test('a wrong pasted secret shows SignatureDoesNotMatch and keeps what was typed', async () => {
  const { page } = await open();
  await page.click('#way-keys');
  await page.fill('#keys-id', emulator.state.access_key_id);
  await page.fill('#keys-secret', 'not-the-secret');
  await page.click('#connect');
  await page.waitForSelector('#connect-error');
  assert.match(await page.textContent('#connect-error'), /SignatureDoesNotMatch/);
  assert.equal(await page.inputValue('#keys-id'), emulator.state.access_key_id);
  await page.fill('#keys-secret', emulator.state.secret_access_key);
  await page.click('#connect');
  await page.waitForSelector('#who');
  assert.match(await page.textContent('#identity'), /arn:aws:iam::\d+:user\/wyvern-learner/);
});

test('the copied AWS CLI command is valid: run against the emulator, it answers as the app did', async () => {
  const { page } = await open();
  await connectGuest(page);
  assert.equal(await runLiveSelect(page), 'Done.');
  await page.click('#tab-raw');
  const appOutput = await page.textContent('#raw-output');
  const [select] = await exchanges(page, 's3 SelectObjectContent');
  assert.match(select.cli, /^aws s3api select-object-content /);
  assert.doesNotMatch(select.cli, /ASIA|AKIA|redacted/, 'no credentials in the command');
  assert.match(select.cli, / results\.json --region us-east-1 --endpoint-url http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(awsCli(select.cli).files['results.json'], appOutput);
  const [params] = await exchanges(page, 'ssm GetParameters');
  assert.match(params.cli, /^aws ssm get-parameters --names /);
  const answer = JSON.parse(awsCli(params.cli + ' --output json').stdout);
  assert.deepEqual(answer.Parameters.map((p) => p.Value).sort(), [emulator.state.bucket, emulator.state.key].sort());
  // The boto3 snippet runs too (with the emulator's boto3) and prints the same records.
  const python = path.join(root, 'emulator/.venv/bin/python');
  const printed = execFileSync(python, ['-c', select.boto3], {
    env: { AWS_ACCESS_KEY_ID: emulator.state.access_key_id, AWS_SECRET_ACCESS_KEY: emulator.state.secret_access_key, HOME: process.env.HOME },
    encoding: 'utf8',
  });
  assert.ok(printed.startsWith(appOutput), printed);
  // The button puts the command on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const exchange = page.locator('#inspector details.exchange', { hasText: 'SelectObjectContent' }).first();
  await exchange.locator('summary').click();
  await exchange.locator('.copy-cli').click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), select.cli);
});

test('without a clipboard (a page served over plain HTTP) Copy says how to copy by hand', async () => {
  const { page, problems } = await newPage(browser);
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await page.goto(site.url);
  await settled(page);
  await connectGuest(page);
  // A particular exchange: newer ones (the bucket and key lookup) are inserted above it. Wait for
  // that lookup, or an insert between finding the summary and clicking it moves another under the mouse.
  await page.waitForSelector('#inspector details.exchange .op:text-is("ssm GetParameters")');
  const exchange = page.locator('#inspector details.exchange', { hasText: 'AssumeRoleWithWebIdentity' });
  await exchange.locator('summary').click();
  await exchange.locator('.copy-cli').click();
  assert.match(await exchange.locator('.copied').textContent(), /no clipboard access/);
  assert.deepEqual(problems.console, [], 'and the page lives on');
  assert.equal(await page.textContent('#who'), 'Guest');
});

test('Athena: Run on Athena translates the query and answers as S3 Select did, a failed query shows its code, Cancel stops a slow one on Athena too', async () => {
  const { page, problems } = await open();
  await connectGuest(page);
  // The course's query on its data (the bundled JSON document), by the page's engine first.
  await setSql(page, RED);
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  const local = (await tableRows(page)).map((r) => r.join('|')).sort();
  assert.ok(local.length > 0);
  await page.click('#run-athena');
  await page.waitForFunction(() => /^(SUCCEEDED:|FAILED)/.test(document.querySelector('#athena-status')?.textContent ?? ''), null, { timeout: 20000 });
  assert.equal(await page.textContent('#athena-status').then((t) => t.split(':')[0]), 'SUCCEEDED', await page.textContent('#athena'));
  assert.equal(await page.textContent('#athena-from'), RED, 'the S3 Select query beside its translation');
  const athenaSql = await page.inputValue('#athena-sql');
  assert.match(athenaSql, /FROM dragons_jsonl\b/);
  assert.doesNotMatch(athenaSql, /S3Object/);
  const rows = await page.$$eval('#athena-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join('|')));
  assert.deepEqual(rows.sort(), local, 'Athena (DuckDB in the emulator) answers as the engine did');
  const status = await page.textContent('#athena-status');
  assert.match(status, new RegExp(`SUCCEEDED: ${local.length} rows · \\d+ ms on Athena · scanned [\\d.]+ KB · about USD 0\\.000050 `));
  // Every call signed and shown, and its copied CLI command runs (with the learner's own keys).
  const [start] = await exchanges(page, 'athena StartQueryExecution');
  assert.equal(start.status, '200');
  assert.match(start.requestHeaders, /AmazonAthena\.StartQueryExecution/);
  assert.match(start.cli, /^aws athena start-query-execution /);
  assert.match(start.cli, / --query-string 'SELECT [^]*\nFROM dragons_jsonl s\n[^]*' --work-group /);
  assert.match(start.cli, / --work-group wyvern /);
  assert.match(start.cli, / --query-execution-context '\{"Catalog":"AwsDataCatalog","Database":"dragons"\}' /);
  assert.match(JSON.parse(awsCli(start.cli + ' --output json').stdout).QueryExecutionId, /^[0-9a-f-]{36}$/);
  assert.ok((await exchanges(page, 'athena GetQueryExecution')).length >= 1);
  assert.ok((await exchanges(page, 'athena GetQueryResults')).length >= 1);

  // A query with no translation says why (S3Object over a whole JSON document is not a table's
  // rows), and the Athena SQL written so far stays.
  await setSql(page, 'SELECT * FROM S3Object s');
  await page.click('#athena-translate');
  await page.waitForSelector('#athena-untranslated');
  assert.match(await page.textContent('#athena-untranslated'), /^UnsupportedSyntax: /);
  assert.equal(await page.inputValue('#athena-sql'), athenaSql);

  // A query Athena refuses: its error name and message, and the SQL is kept.
  await page.fill('#athena-sql', 'SELECT no_such_column FROM dragons_jsonl');
  await page.click('#athena-run');
  await page.waitForSelector('#athena-error');
  assert.equal(await page.textContent('#athena-error .error-code'), 'COLUMN_NOT_FOUND');
  assert.equal(await page.inputValue('#athena-sql'), 'SELECT no_such_column FROM dragons_jsonl');

  // A slow query, cancelled: the page stops polling and Athena stops the query.
  await emulator.fault({ slow_athena: 30 });
  try {
    await page.fill('#athena-sql', 'SELECT count(*) FROM dragons_csv');
    await page.click('#athena-run');
    await page.waitForFunction(() => /^(QUEUED|RUNNING)/.test(document.querySelector('#athena-status')?.textContent ?? ''));
    await page.click('#athena-cancel');
    await page.waitForFunction(() => document.querySelector('#athena-status')?.textContent.startsWith('CANCELLED'));
    await page.waitForFunction(() => [...document.querySelectorAll('#inspector .op')].some((o) => o.textContent === 'athena StopQueryExecution'));
    const [stop] = await exchanges(page, 'athena StopQueryExecution');
    assert.equal(stop.status, '200');
    const stopped = JSON.parse(stop.requestBody).QueryExecutionId;
    const state = JSON.parse(awsCli(`aws athena get-query-execution --query-execution-id ${stopped} --region us-east-1 --endpoint-url ${emulator.endpoint} --output json`).stdout);
    assert.equal(state.QueryExecution.Status.State, 'CANCELLED');
  } finally {
    await emulator.fault({ slow_athena: 0 });
  }
  assert.deepEqual(problems.console, []);
});

test('the object browser lists the bucket and opens another object with matching settings', async () => {
  const { page } = await open();
  await connectGuest(page);
  await page.check('#dataset-s3');
  await page.waitForFunction(() => document.querySelector('#s3-bucket')?.value);
  await page.click('#s3-browse');
  await page.waitForSelector('#s3-listing li');
  const names = () => page.$$eval('#s3-listing li button', (b) => b.map((x) => x.textContent));
  assert.deepEqual(await names(), ['samples/', 'dragon_stats_one.json'], 'folders first, then objects');
  // A folder opens (ListObjectsV2 with prefix=samples%2F and delimiter=%2F, signed and verified).
  await page.click('#s3-listing li button:text("samples/")');
  await page.waitForFunction(() => document.querySelector('#s3-folder')?.textContent.endsWith('/samples/'));
  assert.deepEqual(await names(), ['↑ up', 'dragons.csv', 'dragons.jsonl', 'dragons.parquet']);
  await page.click('#s3-up');
  await page.waitForFunction(() => !document.querySelector('#s3-up'));
  await page.click('#s3-listing li button:text("samples/")');
  await page.waitForSelector('#s3-up');
  await page.click('#s3-listing li button:text("dragons.csv")');
  assert.equal(await page.inputValue('#s3-key'), 'samples/dragons.csv');
  assert.equal(await page.inputValue('#in-format'), 'CSV');
  await setSql(page, "SELECT s.dragon_name_str FROM S3Object s WHERE s.family_str = 'red' LIMIT 2");
  await page.click('#run');
  assert.equal(await settled(page), 'Done.');
  assert.deepEqual(await tableRows(page), [['Atlas'], ['Hydra']]);
});

test('"remember on this device" keeps the session across a reload; without it, a reload signs out', async () => {
  const { page } = await open();
  await page.check('#remember');
  await connectGuest(page);
  const identity = await page.textContent('#identity');
  const stored = await page.evaluate(() => sessionStorage.getItem('wyvern-credentials'));
  assert.ok(stored && JSON.parse(stored).identityId === identity);
  assert.equal(await page.evaluate(() => localStorage.getItem('wyvern-credentials')), null, 'never in localStorage');
  await page.reload();
  await page.waitForSelector('#who');
  assert.equal(await page.textContent('#identity'), identity);
  assert.equal(await runLiveSelect(page), 'Done.', 'the restored credentials sign');
  await page.click('#sign-out');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('wyvern-credentials')), null, 'Sign out wipes them');

  const second = await open();
  await connectGuest(second.page);
  assert.equal(await second.page.evaluate(() => sessionStorage.getItem('wyvern-credentials')), null);
  await second.page.reload();
  await settled(second.page);
  assert.equal(await second.page.$('#who'), null);
});

test('"remember on this device" never keeps a pasted long-term secret key', async () => {
  const { page } = await open();
  await page.click('#way-keys');
  await page.check('#remember');
  await connectKeys(page);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('wyvern-credentials')), null);
  const html = await page.content();
  assert.ok(!html.includes(emulator.state.secret_access_key), 'the secret is not in the page');
  await page.click('#sign-out');
  assert.equal(await page.isChecked('#remember'), false, 'the opt-in is withdrawn, not silently kept');
});

test('Parameter Store: put, browse, read decrypted, history, overwrite only after a confirm, delete', async () => {
  const { page, problems } = await open();
  await connectKeys(page);
  await page.click('#nav-parameters');
  const put = async (name, type, value) => {
    await page.fill('#put-name', name);
    await page.selectOption('#put-type', type);
    await page.fill('#put-value', value);
    await page.click('#put-save');
  };
  await put('/wyvern-test/plain', 'String', 'hello');
  await page.waitForSelector('#put-result');
  assert.match(await page.textContent('#put-result'), /Saved \/wyvern-test\/plain, version 1/);
  assert.equal(await page.isVisible('#put-confirm'), false, 'no question before a conflict');
  await put('/wyvern-test/secret', 'SecureString', 'dragons sleep at noon');
  await page.waitForFunction(() => /secret, version 1/.test(document.querySelector('#put-result')?.textContent));
  // Overwriting asks first.
  await put('/wyvern-test/plain', 'String', 'hello again');
  await page.waitForSelector('#put-confirm');
  await page.click('#put-overwrite');
  await page.waitForFunction(() => /plain, version 2/.test(document.querySelector('#put-result')?.textContent));

  await page.fill('#ssm-path', '/wyvern-test');
  await page.check('#ssm-decrypt');
  await page.click('#ssm-browse-button');
  await page.waitForSelector('#ssm-tree .param-name[data-name="/wyvern-test/secret"]');
  assert.deepEqual(await page.$$eval('#ssm-tree .param-name', (b) => b.map((x) => x.dataset.name)), ['/wyvern-test/plain', '/wyvern-test/secret']);
  await page.click('#ssm-tree .param-name[data-name="/wyvern-test/secret"]');
  await page.waitForSelector('#param-value');
  assert.equal(await page.textContent('#param-value'), 'dragons sleep at noon');
  await page.uncheck('#ssm-decrypt');
  await page.click('#ssm-tree .param-name[data-name="/wyvern-test/secret"]');
  await page.waitForFunction(() => document.querySelector('#param-value')?.textContent !== 'dragons sleep at noon');

  await page.click('#ssm-tree .param-name[data-name="/wyvern-test/plain"]');
  await page.waitForFunction(() => document.querySelector('#param-value')?.textContent === 'hello again');
  await page.click('#param-history');
  await page.waitForSelector('#param-history-table');
  assert.deepEqual(await page.$$eval('#param-history-table tbody tr', (r) => r.map((x) => x.children[1].textContent)), ['hello again', 'hello']);

  await page.click('#param-delete');
  await page.click('#param-delete-confirm');
  await page.waitForFunction(() => !document.querySelector('#param-detail'));
  await page.click('#ssm-browse-button');
  await page.waitForFunction(() => document.querySelectorAll('#ssm-tree .param-name').length === 1);
  // Reading what is gone shows the service's code.
  await page.fill('#put-name', '');
  const [deleted] = await exchanges(page, 'ssm DeleteParameter');
  assert.equal(deleted.status, '200');
  assert.deepEqual(problems.console, []);
});

test('Parameter Store pages: ten at a time, "More…" brings the rest', async () => {
  const { page } = await open();
  await connectKeys(page);
  await page.click('#nav-parameters');
  for (let i = 1; i <= 12; i++) {
    await page.fill('#put-name', `/wyvern-pages/p${String(i).padStart(2, '0')}`);
    await page.fill('#put-value', `value ${i}`);
    await page.click('#put-save');
    await page.waitForFunction((n) => document.querySelector('#put-result')?.textContent.includes(n), `p${String(i).padStart(2, '0')}, version 1`);
  }
  await page.fill('#ssm-path', '/wyvern-pages');
  await page.click('#ssm-browse-button');
  await page.waitForFunction(() => document.querySelectorAll('#ssm-tree .param-name').length === 10);
  await page.click('#ssm-more');
  await page.waitForFunction(() => document.querySelectorAll('#ssm-tree .param-name').length === 12);
  assert.equal(await page.$('#ssm-more'), null, 'no more pages');
  const names = await page.$$eval('#ssm-tree .param-name', (b) => b.map((x) => x.textContent));
  assert.deepEqual(names, Array.from({ length: 12 }, (_, i) => `p${String(i + 1).padStart(2, '0')}`));
});

test('a guest cannot write parameters: the error shows the service code', async () => {
  const { page } = await open();
  await connectGuest(page);
  await page.click('#nav-parameters');
  await page.fill('#put-name', '/wyvern-test/guest');
  await page.fill('#put-value', 'nope');
  await page.click('#put-save');
  await page.waitForSelector('#put-result');
  assert.match(await page.textContent('#put-result'), /AccessDenied/);
});

test('Dragon API: list, search by name and family, report one, refuse a duplicate and bad input', async () => {
  const { page } = await open();
  await connectGuest(page);
  await page.click('#nav-dragons');
  assert.match(await page.textContent('#dragons-sign-in-first'), /Sign in/);
  await page.click('#sign-out');
  await signIn(page, 'learner', emulator.state.users.learner);
  await page.waitForSelector('#who');
  await page.click('#dragon-search-button');
  await page.waitForSelector('#dragon-table');
  assert.equal(await page.textContent('#dragon-count'), '62 dragons');
  await page.fill('#dragon-search', 'Atlas');
  await page.click('#dragon-search-button');
  await page.waitForFunction(() => document.querySelector('#dragon-count')?.textContent === '1 dragons');
  await page.selectOption('#dragon-search-by', 'family');
  await page.fill('#dragon-search', 'red');
  await page.click('#dragon-search-button');
  await page.waitForFunction(() => document.querySelector('#dragon-count')?.textContent === '9 dragons');
  const [list] = await exchanges(page, 'execute-api GET /dragons');
  assert.match(list.requestHeaders, /authorization\*\* redacted \(token\) \*\*/);

  await page.click('#dragon-report-button');
  await page.waitForSelector('.field-error');
  assert.ok((await page.$$('.field-error')).length >= 8, 'every empty field says so');
  const fill = async (name) => {
    const values = { dragonName: name, description: 'Small and quick', family: 'red', city: 'anchorage', state: 'alaska', country: 'usa', neighborhood: 'w fireweed ln', reportingPhoneNumber: '+1 555 0100' };
    for (const [k, v] of Object.entries(values)) await page.fill(`#dragon-${k}`, v);
  };
  await fill('Wyvernling');
  await page.click('#dragon-report-button');
  await page.waitForSelector('#report-result.ok');
  await page.click('#dragon-report-button');
  await page.waitForSelector('#report-result.error');
  assert.match(await page.textContent('#report-result'), /already/i);
  await page.fill('#dragon-search', '');
  await page.click('#dragon-search-button');
  await page.waitForFunction(() => document.querySelector('#dragon-count')?.textContent === '63 dragons');
});
