// Loads each HTML file in Debian's chromium (headless, through
// puppeteer-core), at a desktop and a phone width, runs axe-core with the
// WCAG 2.x A and AA rules, and prints every violation.  Exit 1 when there
// is any, 2 when the browser cannot be run.
//   node axe.mjs FILE.html...        (CHROMIUM=path overrides /usr/bin/chromium)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const widths = [[1280, 900], [375, 740]];

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node axe.mjs FILE.html...');
  process.exit(2);
}
let browser;
try {
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // root in CI: chromium's sandbox needs a user namespace it may not get
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    timeout: 120000,
  });
} catch (e) {
  console.error(`FAIL: cannot start chromium: ${e.message}`);
  process.exit(2);
}
let violations = 0, checked = 0;
try {
  for (const f of files) {
    for (const [width, height] of widths) {
      const page = await browser.newPage();
      await page.setViewport({ width, height });
      // JavaScript stays on for axe itself; the pages have none of their own
      await page.goto(pathToFileURL(path.resolve(f)).href, { waitUntil: 'load', timeout: 120000 });
      await page.evaluate(axeSource);
      const res = await page.evaluate(async (t) =>
        await globalThis.axe.run(document, { runOnly: { type: 'tag', values: t } }), tags);
      checked += res.passes.length;
      for (const v of res.violations) {
        violations++;
        console.log(`FAIL ${f} at ${width}px: ${v.id} (${v.impact}): ${v.help}`);
        for (const n of v.nodes.slice(0, 5)) console.log(`    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`);
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
}
if (checked === 0) {
  console.log('FAIL: axe checked nothing');
  process.exit(1);
}
console.log(`${files.length} file(s), ${violations} violation(s), ${checked} rule passes`);
process.exit(violations ? 1 : 0);
