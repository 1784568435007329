// Writes the README's screenshots to docs/ from the built site (not a test):
//   node tests/e2e/screenshots.mjs
import path from 'node:path';
import { serveDist, launch, newPage, settled, setSql, root } from './helpers.mjs';

const out = (name) => path.join(root, 'docs', name);
const server = await serveDist();
const browser = await launch();
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
  console.log('wrote docs/*.png');
} finally {
  await browser.close();
  server.stop();
}
