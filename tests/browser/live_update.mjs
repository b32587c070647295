// The preview's live update in a real browser, as the editor sees it. Run by tests/it/serve.rs
// (tests/it/serve_browser.rs) against a running preview on a copy of the content:
//
//   node live_update.mjs --url http://127.0.0.1:PORT/odsherred/ --file content/odsherred.toml \
//        --css themes/default/static/style.css
//
// 1. Saving the municipality's file shows the new text in the open page without loading the
//    page again: same document, same scroll position, style sheets not fetched again.
// 2. A broken save shows the error banner over the page; fixing it removes the banner.
// 3. Changing the theme's style sheet loads the page again, so the new style applies, and the
//    page is scrolled back to where the editor was.
// Prints "ok: ..." or "FAIL: ..." per check; exits 1 on any failure.

import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const url = arg('url');
const file = arg('file');
const css = arg('css');
if (!url || !file || !css) {
  console.error('usage: node live_update.mjs --url URL --file FILE --css STYLE.CSS');
  process.exit(2);
}

const anchor = 'summary = """\n';
const original = readFileSync(file, 'utf8');
const originalCss = readFileSync(css, 'utf8');
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAIL'}: ${what}`);
  if (!ok) failures++;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` in the page until it returns something truthy; null after 10 s. */
async function until(page, fn, arg) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    const v = await page.evaluate(fn, arg).catch(() => null);
    if (v) return v;
    await sleep(25);
  }
  return null;
}

function renameOver(target, text) {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, target);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(url, { waitUntil: 'load' });
  await sleep(300);
  await page.evaluate(() => {
    window.__sameDocument = true;
    scrollTo(0, 300);
  });
  // Style sheets fetched after `since`, by whichever document is open then.
  const sheetsSince = (since) =>
    performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.css') && performance.timeOrigin + r.startTime > since).length;
  const savedAt = await page.evaluate(() => performance.timeOrigin + performance.now());

  // 1. A save shows in place.
  const first = 'Første gemte sætning.';
  writeFileSync(file, original.replace(anchor, `${anchor}${first} `));
  const shown = await until(page, (s) => document.body.textContent.includes(s), first);
  check(shown, 'a saved sentence shows in the open page');
  const after = await page.evaluate(() => ({ same: window.__sameDocument === true, y: scrollY }));
  check(after.same, 'the page is updated in place, not loaded again');
  check(after.y === 300, `the scroll position is kept (scrollY ${after.y}, expected 300)`);
  check((await page.evaluate(sheetsSince, savedAt)) === 0, 'the style sheets are not fetched again');

  // 2. A broken save shows the banner; the fix removes it.
  renameOver(file, original.replace(anchor, `${anchor}"""\nikke = [toml`));
  const banner = await until(page, () => {
    const b = document.querySelector('[data-kvalitet-error]');
    return b && b.textContent.includes('linje');
  });
  check(banner, 'a broken save shows the error banner with the line');
  check(await page.evaluate((s) => document.body.textContent.includes(s), first), 'the last good text stays under the banner');
  const fixed = 'Rettet sætning.';
  renameOver(file, original.replace(anchor, `${anchor}${fixed} `));
  const gone = await until(page, (s) => !document.querySelector('[data-kvalitet-error]') && document.body.textContent.includes(s), fixed);
  check(gone, 'fixing the file removes the banner and shows the new text');

  // 3. A style change loads the page again with the new style, scrolled back.
  writeFileSync(css, `${originalCss}\nhtml { --kvalitet-live-test: 7; }\n`);
  const styled = await until(page, () => getComputedStyle(document.documentElement).getPropertyValue('--kvalitet-live-test').trim() === '7');
  check(styled, 'a changed style sheet applies in the open page');
  await page.waitForLoadState('load');
  const restored = await until(page, () => scrollY === 300);
  check(restored, `after loading again the page is scrolled back (scrollY ${await page.evaluate(() => scrollY).catch(() => '?')})`);
  check(!(await page.evaluate(() => window.__sameDocument === true)), 'the page was loaded again for the style change');
} finally {
  writeFileSync(file, original);
  writeFileSync(css, originalCss);
  await browser.close();
}
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
