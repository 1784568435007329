// Writes the README's screenshots to docs/ from the built site (not a test):
//   node tests/e2e/screenshots.mjs           (all of them)
//   node tests/e2e/screenshots.mjs athena    (the Athena panel's only)
// The live-mode ones run against the local emulator (emulator/.venv, target/release/s3select).
import path from 'node:path';
import { serveDist, serveSite, startEmulator, launch, newPage, settled, setSql, root } from './helpers.mjs';

const out = (name) => path.join(root, 'docs', name);
const browser = await launch();
if (process.argv[2] === 'athena') {
  await athenaShots().finally(() => browser.close());
  process.exit(0);
}
const server = await serveDist();
try {
  const desk = { width: 1360, height: 860 };
  let { page } = await newPage(browser, desk);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await settled(page);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await page.screenshot({ path: out('playground-light.png') });

  ({ page } = await newPage(browser, desk));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(server.url);
  await settled(page);
  await page.click('text=Aggregates with CAST');
  await settled(page);
  await page.evaluate(() => { document.documentElement.setAttribute('data-theme', 'dark'); window.scrollTo(0, 0); });
  await page.screenshot({ path: out('playground-dark.png') });

  await setSql(page, "SELECT s.dragon_name_str\nFROM S3Object s\nWHERE CAST(s.age_years AS DATE) > 1");
  await page.click('#run');
  await settled(page);
  await page.screenshot({ path: out('error.png') });

  ({ page } = await newPage(browser, desk));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await settled(page);
  await page.click('text=MISSING vs NULL');
  await settled(page);
  await page.evaluate(() => { document.documentElement.setAttribute('data-theme', 'light'); window.scrollTo(0, 0); });
  await page.screenshot({ path: out('missing-vs-null.png') });
  await page.click('#tab-raw');
  await page.screenshot({ path: out('raw-output.png') });

  ({ page } = await newPage(browser, { width: 390, height: 844 }));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await settled(page);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await page.screenshot({ path: out('phone.png'), fullPage: false });

  // A spreadsheet's CRLF export: the settings detected, and the lines as S3 Select reads them.
  ({ page } = await newPage(browser, { width: 390, height: 844 }));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(server.url);
  await settled(page);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await page.setInputFiles('#file-input', { name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name,t\r\n1,Atlas,x\r\n2,Blaze,y\r\n3,Cinder, z \r\n') });
  await setSql(page, 'SELECT s.name, s.t FROM S3Object s');
  await page.click('#run');
  await settled(page);
  await (await page.$('#detection')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: out('detected-phone-dark.png'), fullPage: false });

  // The chart of one number column, and the history of the queries run.
  ({ page } = await newPage(browser, desk));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await settled(page);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  for (const sql of ['SELECT s.dragon_name_str, s.age_years FROM S3Object[*][*] s LIMIT 12', 'SELECT s.wingspan_ft FROM S3Object[*][*] s']) {
    await setSql(page, sql);
    await page.click('#run');
    await settled(page);
  }
  await page.click('#tab-chart');
  await page.waitForSelector('#chart-svg');
  await page.screenshot({ path: out('chart-histogram.png') });
  ({ page } = await newPage(browser, { width: 390, height: 844 }));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await settled(page);
  for (const sql of ['SELECT s.dragon_name_str, s.age_years FROM S3Object[*][*] s LIMIT 12', 'SELECT s.wingspan_ft FROM S3Object[*][*] s']) {
    await setSql(page, sql);
    await page.click('#run');
    await settled(page);
  }
  await (await page.$('#history')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: out('history-phone.png') });

  // Parquet: the bundled dragons.parquet with its example (desktop, light), and a Parquet file
  // opened and detected (phone, dark).
  ({ page } = await newPage(browser, desk));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await settled(page);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await page.click('text=Parquet: typed columns, no CAST');
  await settled(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: out('parquet.png') });
  ({ page } = await newPage(browser, { width: 390, height: 844 }));
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(server.url);
  await settled(page);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await page.setInputFiles('#file-input', path.join(root, 'crates/select/tests/parquet/data/people-snappy.parquet'));
  await page.waitForSelector('#detection');
  await (await page.$('#detection')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: out('parquet-detected-phone-dark.png') });

  // Completion: the data's fields after `s.`, in dark at desktop width and light at phone width.
  for (const [name, size, scheme] of [['completion-dark.png', desk, 'dark'], ['completion-phone.png', { width: 390, height: 844 }, 'light']]) {
    ({ page } = await newPage(browser, size));
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url);
    await settled(page);
    await page.evaluate((s) => document.documentElement.setAttribute('data-theme', s), scheme);
    await page.fill('#sql', '');
    await page.focus('#sql');
    await page.keyboard.type('SELECT s.dragon_name_str, UP');
    await page.keyboard.press('Control+Space');
    await page.keyboard.press('Enter');
    await page.keyboard.type('s.');
    await page.waitForFunction(() => document.querySelectorAll('#completions li').length > 1);
    await page.keyboard.press('ArrowDown');
    await (await page.$('#sql')).scrollIntoViewIfNeeded();
    await page.screenshot({ path: out(name) });
  }

  // The practice account (no config.json): opened by the Parameter Store tab, Reset asking first.
  ({ page } = await newPage(browser, desk));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(server.url);
  await settled(page);
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  await page.click('#nav-parameters');
  await page.waitForSelector('#who', { timeout: 20000 });
  await page.fill('#ssm-path', '/dragons');
  await page.check('#ssm-recursive');
  await page.click('#ssm-browse-button');
  await page.waitForSelector('#ssm-tree .param-name');
  await page.click('#practice-reset');
  await page.screenshot({ path: out('practice.png') });
  // A Parquet object in the practice bucket: its S3 Select leaves it to the engine in the page,
  // which reads it by ranged GETs (the note, the rows, the GetObject calls in the inspector).
  for (const [name, viewport, scheme] of [['live-parquet.png', desk, 'light'], ['live-parquet-phone-dark.png', { width: 390, height: 844 }, 'dark']]) {
    ({ page } = await newPage(browser, viewport));
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url);
    await settled(page);
    await page.evaluate((s) => document.documentElement.setAttribute('data-theme', s), scheme);
    await page.check('#dataset-s3');
    await page.waitForFunction(() => document.querySelector('#s3-key')?.value, null, { timeout: 20000 });
    await page.fill('#s3-key', 'samples/dragons.parquet');
    await page.dispatchEvent('#s3-key', 'change');
    await page.waitForFunction(() => document.querySelector('#in-format')?.value === 'Parquet');
    await setSql(page, 'SELECT s.dragon_name_str, s.age_years FROM S3Object s WHERE s.age_years > 300');
    await page.click('#run');
    await settled(page);
    await (await page.$('#fallback-note')).scrollIntoViewIfNeeded();
    await page.screenshot({ path: out(name) });
  }
  await liveShots(desk);
  await athenaShots();
  console.log('wrote docs/*.png');
} finally {
  await browser.close();
  server.stop();
}

/** Live mode against the local emulator: connection, S3 Select, inspector, the two panels. */
async function liveShots(desk) {
  const emulator = await startEmulator();
  const site = await serveSite(emulator.configPath);
  try {
    const { page } = await newPage(browser, desk);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(site.url);
    await settled(page);
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
    await page.click('#way-signin');
    await page.fill('#signin-user', 'learner');
    await page.fill('#signin-password', emulator.state.users.learner);
    await page.click('#connect');
    await page.waitForSelector('#who');
    await page.check('#dataset-s3');
    await page.waitForFunction(() => document.querySelector('#s3-key')?.value);
    await page.check('#s3-compare');
    await page.click('#run');
    await settled(page);
    await page.waitForSelector('#compare-note');
    await page.screenshot({ path: out('live-select.png') });

    const select = page.locator('#inspector details.exchange', { hasText: 'SelectObjectContent' }).first();
    await select.locator('summary').click();
    await select.scrollIntoViewIfNeeded();
    await select.screenshot({ path: out('live-inspector.png') });
    await select.locator('summary').click();

    await page.click('#nav-parameters');
    await page.fill('#ssm-path', '/dragons');
    await page.check('#ssm-decrypt');
    await page.click('#ssm-browse-button');
    await page.waitForSelector('#ssm-tree .param-name');
    await page.click('#ssm-tree .param-name[data-name="/dragons/secret/feeding-schedule"]');
    await page.waitForSelector('#param-value');
    await page.click('#param-history');
    await page.waitForSelector('#param-history-table');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: out('live-parameters.png') });

    await page.click('#nav-dragons');
    await page.selectOption('#dragon-search-by', 'family');
    await page.fill('#dragon-search', 'red');
    await page.click('#dragon-search-button');
    await page.waitForSelector('#dragon-table');
    await page.click('#dragon-report-button');
    await page.waitForSelector('.field-error');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: out('live-dragons.png') });
  } finally {
    site.stop();
    emulator.stop();
  }
}

/** The Athena panel against the local emulator: a query beside its translation, and its rows. */
async function athenaShots() {
  const emulator = await startEmulator();
  const site = await serveSite(emulator.configPath);
  const shots = [
    ['live-athena.png', { width: 1360, height: 860 }, 'light'],
    ['live-athena-dark.png', { width: 1360, height: 860 }, 'dark'],
    ['live-athena-phone.png', { width: 390, height: 844 }, 'light'],
    ['live-athena-phone-dark.png', { width: 390, height: 844 }, 'dark'],
  ];
  try {
    for (const [name, viewport, scheme] of shots) {
      const { page } = await newPage(browser, viewport);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(site.url);
      await settled(page);
      await page.evaluate((s) => document.documentElement.setAttribute('data-theme', s), scheme);
      await page.click('#connect');
      await page.waitForSelector('#who');
      await setSql(page, "SELECT s.dragon_name_str, CAST(s.weight_tons AS INT) AS tons\nFROM S3Object[*][*] s\nWHERE s.family_str = 'red'");
      await page.click('#run');
      await settled(page);
      await page.click('#run-athena');
      await page.waitForFunction(() => /^SUCCEEDED:/.test(document.querySelector('#athena-status')?.textContent ?? ''), null, { timeout: 20000 });
      await (await page.$('#athena')).scrollIntoViewIfNeeded();
      await page.evaluate(() => document.querySelector('#athena').scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: out(name) });
    }
  } finally {
    site.stop();
    emulator.stop();
  }
}
