// The browser suite: every page of a built site in headless Debian Chromium.
//
//   node run.mjs <site-dir>              self-test on fixtures/broken, then the whole suite
//   node run.mjs --self-test             only the self-test (proves the checks bite)
//
// Checks: axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page, the Nu HTML checker on every
// page, no request to any host but 127.0.0.1, keyboard use per kind of page, reflow at 320 px
// and at 1280 px with 200 % zoom, text spacing, print, the accessibility statement, and
// screenshots for people to look at. Ends with "N passed, M failed" on a line of its own.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './serve.mjs';
import { kbPrepare, kbState, printCheck, reflowCheck, TEXT_SPACING_CSS } from './checks.mjs';
import { headingLikeCheck } from './headings.mjs';
import { tableStructureCheck } from './tables.mjs';
import { splitWordsCheck } from './words.mjs';
import { quickExitHistoryProblems, quickExitProblems } from './quick_exit.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_VERSION = require('axe-core/package.json').version;
const VNU_JAR = String(require('vnu-jar'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const WORKERS = Number(process.env.A11Y_WORKERS || 2);
// A11Y_FULL=1 runs the keyboard walk and axe at 320 px on every page, not one of each kind.
const FULL = process.env.A11Y_FULL === '1';

// ---------------------------------------------------------------------------------------------
// What axe runs. The WCAG A/AA tags of 2.0, 2.1 and 2.2, plus a few best-practice rules that
// catch what a citizen on a screen reader meets (a skipped heading level is not a WCAG failure
// by axe's tags, but the issue asks the suite to catch it).
const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  rules: {
    'heading-order': { enabled: true },
    'page-has-heading-one': { enabled: true },
    'landmark-one-main': { enabled: true },
    'landmark-unique': { enabled: true },
    'region': { enabled: true },
    'skip-link': { enabled: true },
    'empty-heading': { enabled: true },
    'empty-table-header': { enabled: true },
    // No rule is disabled. To disable one, add it here as { enabled: false } with the reason
    // on the line above, e.g. a false positive with a link to the axe-core issue.
  },
  resultTypes: ['violations', 'incomplete'],
};

// ---------------------------------------------------------------------------------------------
// Results.
const results = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
function record(name, problems, { quietPass = false } = {}) {
  if (problems.length === 0) {
    results.passed++;
    if (!quietPass) console.log(`ok    ${name}`);
  } else {
    results.failed++;
    failures.push(name);
    console.log(`FAIL  ${name}`);
    for (const p of problems.slice(0, 20)) console.log(`        - ${p}`);
    if (problems.length > 20) console.log(`        - ... and ${problems.length - 20} more`);
  }
}
/** Self-test: passes when the check found the planted fault. */
function expectFound(name, problems, pattern) {
  const hit = problems.filter((p) => pattern.test(p));
  if (hit.length) {
    results.passed++;
    console.log(`ok    self-test: ${name} (found: ${hit[0].slice(0, 100)})`);
  } else {
    results.failed++;
    failures.push(`self-test: ${name}`);
    console.log(`FAIL  self-test: ${name}: the check did not report the planted fault`);
    for (const p of problems.slice(0, 10)) console.log(`        reported: ${p}`);
  }
}
function skip(name, why) {
  results.skipped++;
  console.log(`skip  ${name}: ${why}`);
}
function section(title) {
  console.log(`\n== ${title}`);
}
const seconds = (t0) => ((Date.now() - t0) / 1000).toFixed(1);

async function pool(items, n, fn) {
  const queue = items.map((item, i) => [item, i]);
  const out = new Array(items.length);
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async (_, w) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          out[next[1]] = await fn(next[0], w);
        } catch (err) {
          // One page that hangs or crashes fails its own test, not the whole run.
          record(`browser error on ${next[0].path ?? next[0]}`, [String(err.message || err).split('\n')[0]]);
        }
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Pages of the site.
async function findPages(root) {
  const pages = [];
  async function walk(dir) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name === '404.html' && dir === root) {
        // The web server's page for an address that has no page (written with a base_url).
        pages.push({ path: '/404.html', file: full });
      } else if (entry.name === 'index.html') {
        const rel = path.relative(root, path.dirname(full)).split(path.sep).join('/');
        pages.push({ path: rel ? `/${rel}/` : '/', file: full });
      }
    }
  }
  await walk(root);
  pages.sort((a, b) => a.path.localeCompare(b.path));
  const paths = new Set(pages.map((p) => p.path));
  for (const p of pages) p.kind = kindOf(p.path, paths);
  return pages;
}

/** One page of each kind per municipality, and every section template once. */
function representative(pages) {
  const seen = new Set();
  return pages.filter((p) => {
    const parts = p.path.split('/').filter(Boolean);
    let key;
    if (p.kind === 'section') key = `section ${parts[1]}`;
    // The finder: its first page, a question after it and a deeper page, per municipality.
    else if (p.kind === 'finder') key = `finder ${parts[0]} ${Math.min(parts.length, 4)}`;
    else if (p.kind === 'offer') key = `offer ${parts[0]}`;
    else key = p.path; // root, glossary, was, served, and per municipality front, guide, whole
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function kindOf(p, paths) {
  const parts = p.split('/').filter(Boolean);
  if (parts.length === 0) return 'root';
  if (parts.length === 1) {
    if (parts[0] === '404.html') return 'notfound';
    if (parts[0] === 'ordliste') return 'glossary';
    if (parts[0] === 'was') return 'was';
    if (parts[0] === 'skjul-dit-besoeg') return 'skjul';
    return paths.has(`/${parts[0]}/laesevejledning/`) ? 'front' : 'served';
  }
  if (parts[1] === 'find-hjaelp') return 'finder';
  if (parts.length === 2) {
    if (parts[1] === 'laesevejledning') return 'guide';
    if (parts[1] === 'hele-standarden') return 'whole';
    if (parts[1] === 'aendringer') return 'changes';
    return 'section';
  }
  if (parts.length === 3 && parts[1] === 'tilbud') return 'offer';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// The browser. Every request to a host other than 127.0.0.1 is aborted and written down; a
// page's test fails when one was attempted (no third-party fonts, scripts or trackers).
let browser;
async function launch() {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives each launch a fresh, temporary profile (--user-data-dir) itself.
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A page whose outside requests are blocked and logged in page.__log. */
async function guardedPage(context) {
  const page = await context.newPage();
  const log = { blocked: [], expectedOutside: [], allow: new Set(), broken: [], errors: [] };
  page.__log = log;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    let host = '';
    try {
      host = new URL(url).hostname;
    } catch {}
    if (host === '127.0.0.1' || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    if (log.allow.has(url)) log.expectedOutside.push(url);
    else log.blocked.push(url);
    // "aborted" leaves the current document in place (no error page), so a blocked meta
    // refresh does not replace the page under test.
    return route.abort('aborted');
  });
  page.on('response', (res) => {
    if (res.status() >= 400) log.broken.push(`${res.status()} ${res.url()}`);
  });
  page.on('pageerror', (err) => log.errors.push(`script error: ${err.message}`));
  return page;
}

/** Loads a page with a clean log; returns the problems of loading it. */
async function load(page, url, allow = []) {
  const log = page.__log;
  log.blocked = [];
  log.expectedOutside = [];
  log.broken = [];
  log.errors = [];
  log.allow = new Set(allow);
  await page.goto(url, { waitUntil: 'load' });
}
function loadProblems(page) {
  const log = page.__log;
  return [
    ...log.blocked.map((u) => `request to another host than 127.0.0.1 (blocked): ${u}`),
    ...log.broken.map((u) => `broken local resource: ${u}`),
    ...log.errors,
  ];
}

async function newContext(opts = {}) {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, locale: 'da-DK', reducedMotion: 'reduce', ...opts });
}

// ---------------------------------------------------------------------------------------------
// axe-core.
// axe is injected into every document by an init script of the page (see axePage) or, on a page
// without one, by addScriptTag; the init script saves parsing axe.min.js again over the
// DevTools protocol for each page (about 0.3–0.5 s a page here).
async function axePage(context) {
  const page = await guardedPage(context);
  await page.addInitScript({ path: AXE_PATH });
  return page;
}
async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async (opts) => {
    const r = await window.axe.run(document, opts);
    const slim = (list) =>
      list.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200) })),
      }));
    return { violations: slim(r.violations), incomplete: slim(r.incomplete) };
  }, AXE_OPTIONS);
}
function axeProblems(violations) {
  return violations.flatMap((v) =>
    v.nodes.slice(0, 3).map((n) => `${v.id} (${v.impact}): ${v.help} at ${n.target}${n.summary ? ' – ' + n.summary : ''}`),
  );
}

// ---------------------------------------------------------------------------------------------
// The Nu HTML checker: one JVM for all files. Returns Map(file -> [messages]).
async function runVnu(files) {
  const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--exit-zero-always', ...files];
  const out = await new Promise((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stderr.trim() || stdout.trim()) : reject(new Error(`vnu exited ${code}: ${stderr.slice(0, 2000)}`))));
  });
  const json = JSON.parse(out.slice(out.indexOf('{')));
  const byFile = new Map(files.map((f) => [path.resolve(f), []]));
  for (const m of json.messages || []) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    const file = m.url ? path.resolve(fileURLToPath(m.url)) : '?';
    const where = m.lastLine ? `line ${m.lastLine}${m.lastColumn ? ':' + m.lastColumn : ''}` : '';
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push(`${where} ${m.message}${m.extract ? ` [${m.extract.replace(/\s+/g, ' ').slice(0, 80)}]` : ''}`.trim());
  }
  return byFile;
}

// ---------------------------------------------------------------------------------------------
// Keyboard: the first Tab reaches the skip link, the skip link moves focus to the main content,
// every link and control is reached by Tab, and focus can always be seen.
async function keyboardProblems(page, url, { requireSkipLink = true } = {}) {
  const problems = [];
  // 1. Tab through the whole page.
  await load(page, url);
  const cands = await page.evaluate(kbPrepare);
  const reached = new Set();
  let first = null;
  for (let i = 0; i < cands.length + 10; i++) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate(kbState);
    if (s.body) {
      if (i === 0) problems.push('the first Tab focuses nothing');
      break;
    }
    if (first === null) first = s;
    else if (s.id !== null && s.id === first.id) break; // wrapped around
    if (s.id !== null) {
      if (reached.has(s.id)) break;
      reached.add(s.id);
    }
    if (!s.indicator) problems.push(`focus not visible (no outline, shadow, background, colour or underline change) on ${s.desc}`);
    if (!s.inViewport) problems.push(`focused element is outside the viewport: ${s.desc}`);
    if (s.coveredBy) problems.push(`focused element is covered by ${s.coveredBy}: ${s.desc}`);
  }
  if (requireSkipLink && first && !first.isSkipLink) problems.push(`the first Tab reaches ${first.desc}, not the skip link to #indhold`);
  const missed = cands.filter((_, i) => !reached.has(i));
  for (const d of missed) problems.push(`never reached by Tab: ${d}`);

  // 2. Fresh load: Tab, Enter on the skip link, and the next Tab continues in the main content.
  if (first && first.isSkipLink) {
    await load(page, url);
    await page.evaluate(kbPrepare);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#indhold', null, { timeout: 2000 }).catch(() => {});
    const s = await page.evaluate(kbState);
    if (s.body || s.elId !== 'indhold') problems.push(`the skip link did not move focus to #indhold (focus is on ${s.body ? 'the body' : s.desc})`);
    const mainTop = await page.evaluate(() => document.getElementById('indhold')?.getBoundingClientRect().top ?? -1);
    if (mainTop < -1 || mainTop > 800) problems.push(`after the skip link the main content is not in view (top ${mainTop})`);
    await page.keyboard.press('Tab');
    const next = await page.evaluate(kbState);
    if (!next.body && !next.inOrAfterMain) problems.push(`the Tab after the skip link goes back before the main content: ${next.desc}`);
  }
  problems.push(...loadProblems(page));
  return { problems, stops: reached.size };
}

// ---------------------------------------------------------------------------------------------
const REFLOW_MODES = [
  // 320 CSS px (WCAG 1.4.10), then, on the same load, WCAG 1.4.12 text spacing at 320 px.
  // At 320 px also no word split across two lines (words.mjs).
  { name: '320px', context: { viewport: { width: 320, height: 640 } }, words: true, then: { name: 'text-spacing@320px', css: TEXT_SPACING_CSS } },
  // 1280 px at 200 % browser zoom: zoom halves the CSS-pixel viewport and doubles the device
  // pixel ratio, so the layout (media queries included) is exactly a 640 CSS px viewport at
  // deviceScaleFactor 2. (CSS `zoom` on <html> would not change the media queries.)
  { name: '1280px@200%', context: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 } },
];

/** Problems per variant of the mode: [[name, problems], ...]. */
async function reflowProblems(page, url, mode, allow = []) {
  await load(page, url, allow);
  const out = [[mode.name, await page.evaluate(reflowCheck)]];
  if (mode.words) out[0][1].push(...(await page.evaluate(splitWordsCheck)));
  if (mode.then) {
    await page.addStyleTag({ content: mode.then.css });
    out.push([mode.then.name, await page.evaluate(reflowCheck)]);
  }
  const lp = loadProblems(page);
  return out.map(([n, p]) => [n, [...p, ...lp]]);
}

// ---------------------------------------------------------------------------------------------
// Print: a page on paper, in print media and as an A4 PDF from Chromium. Navigation hidden,
// external links written out, headings kept with their text, and "Side N af M" on every page
// of the PDF, read back with pdftotext. The council packet (`packet`) also has a cover whose
// status line claims an approval exactly when the standard states one (`approval`: true,
// false, or null when unknown), then the table of contents, each ending its page.
async function printProblems(page, url, pdfFile, { packet = false, approval = null } = {}) {
  await load(page, url);
  await page.emulateMedia({ media: 'print' });
  const r = await page.evaluate(printCheck);
  const problems = [];
  if (!r.mainShown) problems.push('main content is not displayed in print');
  for (const sel of r.stillShown) problems.push(`still displayed in print: ${sel}`);
  for (const a of r.external) if (!a.after.includes(a.href)) problems.push(`external link ${a.href} prints without its address (::after content: ${a.after})`);
  for (const a of r.internal) if (/\(.*\)/.test(a.after)) problems.push(`internal link ${a.href} prints an address: ${a.after}`);
  for (const h of r.headingsBreakable.slice(0, 5)) problems.push(`heading can end a printed page without its text (break-after is not avoid): ${h}`);
  if (!r.pageNumbered) problems.push('no @page rule with counter(page) and counter(pages) applies in print');
  if (packet) {
    if (!r.cover) problems.push('no cover (.cover) in print');
    else {
      if (r.cover.breakAfter !== 'page') problems.push(`the cover does not end its printed page (break-after: ${r.cover.breakAfter})`);
      problems.push(...statusProblems(r.cover.status, approval, r.draft));
    }
    if (!r.toc) problems.push('no table of contents (.toc) in print');
    else {
      if (r.toc.links === 0) problems.push('the table of contents lists no part');
      for (const h of r.toc.broken) problems.push(`the table of contents links ${h}, which is not on the page`);
      if (r.toc.breakAfter !== 'page') problems.push(`the table of contents does not end its printed page (break-after: ${r.toc.breakAfter})`);
    }
  }
  const pdf = await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  const pageCount = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  if (pdf.subarray(0, 5).toString() !== '%PDF-' || pageCount < 1) problems.push('Chromium did not produce a PDF');
  const sheets = await pdfText(pdfFile);
  if (sheets === null) problems.push('pdftotext is missing, so the page numbers cannot be read back: apt-get install poppler-utils');
  else {
    const flat = sheets.map((t) => t.replace(/\s+/g, ' ').trim());
    const unnumbered = flat.map((t, i) => (new RegExp(`Side ${i + 1} af ${sheets.length}\\b`).test(t) ? null : i + 1)).filter(Boolean);
    if (unnumbered.length) problems.push(`printed pages without "Side N af ${sheets.length}": ${unnumbered.slice(0, 10).join(', ')}${unnumbered.length > 10 ? ', ...' : ''}`);
    if (packet && r.cover?.status && !(flat[0] || '').includes(r.cover.status)) problems.push(`the first printed page does not hold the cover's status "${r.cover.status}"`);
    if (packet && r.toc?.heading && !(flat[1] || '').startsWith(r.toc.heading)) problems.push(`the second printed page does not start with the contents ("${r.toc.heading}"): "${(flat[1] || '').slice(0, 60)}"`);
  }
  return { problems, pageCount, external: r.external.length };
}

/** What is wrong with a cover's status line, given whether the standard states an approval
 *  (true, false, null: unknown) and whether the page is a draft. */
function statusProblems(status, approval, draft) {
  if (status === null) return ['the cover has no status line (.cover-status)'];
  const problems = [];
  // "ikke godkendt" (a draft) is no claim; any other "godkendt" is.
  const claims = /godkendt/i.test(status.replace(/ikke godkendt/gi, ''));
  if (approval === false && claims) problems.push(`the cover claims an approval the standard does not state: "${status}"`);
  if (approval === true && !claims) problems.push(`the cover does not name the approval the standard states: "${status}"`);
  if (draft && !/^udkast/i.test(status)) problems.push(`a draft page (noindex) has a cover that does not say it is a draft: "${status}"`);
  return problems;
}

/** The text of each page of a PDF, by pdftotext (poppler-utils); null when it is missing. */
async function pdfText(file) {
  const out = await new Promise((resolve) => {
    const child = spawn('pdftotext', ['-enc', 'UTF-8', file, '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks = [];
    child.stdout.on('data', (d) => chunks.push(d));
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code === 0 ? Buffer.concat(chunks).toString('utf8') : null));
  });
  if (out === null) return null;
  const sheets = out.split('\f');
  if (sheets.length > 1 && sheets[sheets.length - 1].trim() === '') sheets.pop();
  return sheets;
}

/** Whether the standard states an approval (by whom or when), read from its "Om denne
 *  kvalitetsstandard" page; a standard without that page states none. */
async function approvalStated(siteDir, p) {
  const slug = p.path.split('/').filter(Boolean)[0];
  const about = await readFile(path.join(siteDir, slug, 'om-standarden', 'index.html'), 'utf8').catch(() => '');
  return /<dt>Godkendt (af|den)<\/dt>/.test(about);
}

// ---------------------------------------------------------------------------------------------
// Self-test on fixtures/broken: every check must report the fault planted for it.
async function selfTest() {
  section('self-test: fixtures/broken/ must fail every check');
  const t0 = Date.now();
  const dir = path.join(HERE, 'fixtures', 'broken');
  const server = await startServer(dir);
  const url = server.url;
  const vnuPromise = runVnu([path.join(dir, 'index.html')]);
  try {
    const ctx = await newContext();
    const page = await guardedPage(ctx);
    await load(page, url);
    const blocked = loadProblems(page);
    const { violations } = await runAxe(page);
    const axeP = axeProblems(violations);
    expectFound('axe finds the image without alt text', axeP, /^image-alt /);
    expectFound('axe finds the skipped heading level', axeP, /^heading-order /);
    expectFound('axe finds the low contrast text', axeP, /^color-contrast /);
    expectFound('blocked request to a third-party host is reported', blocked, /fonts\.googleapis\.com/);
    const kb = await keyboardProblems(page, url);
    expectFound('keyboard check finds the missing skip link', kb.problems, /not the skip link/);
    expectFound('keyboard check finds the invisible focus', kb.problems, /focus not visible/);
    await ctx.close();
    const narrow = await newContext(REFLOW_MODES[0].context);
    const np = await guardedPage(narrow);
    const [[, rp], [, tp]] = await reflowProblems(np, url, REFLOW_MODES[0]);
    expectFound('reflow check finds horizontal scrolling at 320 px', rp, /page scrolls horizontally/);
    expectFound('reflow check finds clipped text', rp, /text clipped/);
    expectFound('text-spacing check finds clipped text', tp, /text clipped/);
    await narrow.close();
    await selfTestWords();
    // Print: the fixture has no cover, no contents and no page numbers, and prints its header.
    const pctx = await newContext();
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'kvalitet-print-'));
    const pr = await printProblems(await guardedPage(pctx), url, path.join(tmp, 'broken.pdf'), { packet: true, approval: false });
    await pctx.close();
    await rm(tmp, { recursive: true, force: true });
    expectFound('print check finds the header still printed', pr.problems, /still displayed in print: header/);
    expectFound('print check finds no cover', pr.problems, /no cover/);
    expectFound('print check finds no table of contents', pr.problems, /no table of contents/);
    expectFound('print check finds no @page rule with page numbers', pr.problems, /no @page rule/);
    expectFound('print check finds printed pages without a page number', pr.problems, /printed pages without "Side N af/);
    expectFound('print check finds a cover claiming an approval the standard lacks', statusProblems('Godkendt af Byrådet den 1. maj 2025.', false, false), /claims an approval/);
    expectFound('print check finds a draft cover that reads as approved', statusProblems('Godkendt af Byrådet den 1. maj 2025.', true, true), /does not say it is a draft/);
    expectFound('print check finds a cover without the stated approval', statusProblems('Udkast – ikke godkendt.', true, true), /does not name the approval/);
    const vnu = await vnuPromise;
    const vp = [...vnu.values()].flat();
    expectFound('vnu finds the invalid HTML', vp, /not allowed as child of element .ul./);
    expectFound('vnu finds the image without alt', vp, /alt/);
    await headingSelfTest();
    await tableSelfTest();
  } finally {
    await server.close();
  }
  // The quick exit: fixtures/quick-exit-late/ has two links before it and no Escape script.
  const late = await startServer(path.join(HERE, 'fixtures', 'quick-exit-late'));
  try {
    const ctx = await newContext();
    const qp = await quickExitProblems(await guardedPage(ctx), late.url, load);
    const qh = await quickExitHistoryProblems(await guardedPage(ctx), `${late.url}?foer`, late.url, load);
    await ctx.close();
    expectFound('quick exit check finds that the link leaves the page in the history', qh, /Back returns to the page/);
    expectFound('quick exit check finds the exit link after the second Tab stop', qp, /not the first or second Tab stop/);
    expectFound('quick exit check finds that Escape does not leave', qp, /Escape three times/);
  } finally {
    await late.close();
  }
  console.log(`   self-test took ${seconds(t0)} s`);
}

/** The heading-like check reports the two bold paragraphs of fixtures/bold-heading/ that stand
 *  as headings, and nothing else there. */
async function headingSelfTest() {
  const server = await startServer(path.join(HERE, 'fixtures', 'bold-heading'));
  const ctx = await newContext();
  try {
    const page = await guardedPage(ctx);
    await load(page, server.url);
    const problems = await page.evaluate(headingLikeCheck);
    expectFound('heading-like check finds a bold paragraph followed by text', problems, /«Borgerrådgiveren»/);
    expectFound('heading-like check finds a bold paragraph followed by a list', problems, /«Værdier»/);
    record('self-test: heading-like check leaves statements, bold words and real headings alone', problems.length === 2 ? [] : problems);
  } finally {
    await ctx.close();
    await server.close();
  }
}

/** The table check reports the two tables of fixtures/table-as-text/ without a caption or header
 *  cells, the bold data cell standing as a group header, and nothing about the well-built one. */
async function tableSelfTest() {
  const server = await startServer(path.join(HERE, 'fixtures', 'table-as-text'));
  const ctx = await newContext();
  try {
    const page = await guardedPage(ctx);
    await load(page, server.url);
    const problems = await page.evaluate(tableStructureCheck);
    expectFound('table check finds a table without a caption', problems, /no caption/);
    expectFound('table check finds a table without header cells', problems, /«Åbningstider»: no header cells/);
    expectFound('table check finds a bold data cell standing as a group header', problems, /«Specialtilbud» looks like a group header/);
    record('self-test: table check leaves a table with caption and row-group header alone', problems.length === 3 ? [] : problems);
  } finally {
    await ctx.close();
    await server.close();
  }
}

// The split-words check (words.mjs) on fixtures/split-words: it must find each planted split in
// index.html and nothing in whole.html, the same content with whole words.
async function selfTestWords() {
  const server = await startServer(path.join(HERE, 'fixtures', 'split-words'));
  const ctx = await newContext(REFLOW_MODES[0].context);
  try {
    const page = await guardedPage(ctx);
    const [[, bad]] = await reflowProblems(page, server.url, REFLOW_MODES[0]);
    expectFound('split-words check finds a breadcrumb split inside a word', bad, /split .*"[^"|]*\|[^"]*" in li/);
    expectFound('split-words check finds a table cell split inside a word', bad, /split .*"[^"|]*\|[^"]*" in t[dh]/);
    expectFound('split-words check finds a word split at a soft hyphen', bad, /split .*"Alkoholbe/);
    const [[, good]] = await reflowProblems(page, `${server.url}whole.html`, REFLOW_MODES[0]);
    record('self-test: split-words check finds nothing where words are whole', good);
  } finally {
    await ctx.close();
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
async function suite(siteDir) {
  const pages = await findPages(siteDir);
  if (pages.length === 0) throw new Error(`no index.html under ${siteDir}: build the site first`);
  const server = await startServer(siteDir);
  const urlOf = (p) => new URL(p.path.slice(1), server.url).href;
  const timings = [];
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
  const artifacts = path.resolve(process.env.A11Y_ARTIFACTS || path.join(HERE, 'artifacts', `run-${stamp}`));
  await mkdir(path.join(artifacts, 'screenshots'), { recursive: true });
  console.log(`site: ${path.resolve(siteDir)} (${pages.length} pages) served at ${server.url}`);
  console.log(`artifacts (screenshots, PDFs): ${artifacts}`);

  // The accessibility statement: /was/ redirects to the WAS-Tool.
  const was = pages.find((p) => p.kind === 'was');
  let statementUrl = null;
  if (was) {
    const html = await readFile(was.file, 'utf8');
    const m = html.match(/<meta\s+http-equiv="refresh"\s+content="0;\s*url=([^"]+)"/i);
    statementUrl = m ? m[1].replace(/&amp;/g, '&') : null;
  }
  const allowFor = (p) => (p.kind === 'was' && statementUrl ? [statementUrl] : []);

  // Nu HTML checker in its own process while the browser works.
  const tVnu = Date.now();
  const vnuPromise = runVnu(pages.map((p) => p.file)).then((r) => {
    timings.push(['Nu HTML checker', seconds(tVnu)]);
    return r;
  });

  try {
    // 1. axe-core on every page, plus the statement link in every footer.
    section(`axe-core ${AXE_VERSION} (${AXE_OPTIONS.runOnly.values.join(', ')} + best-practice: ${Object.keys(AXE_OPTIONS.rules).join(', ')}) and blocked requests, every page at 1280 px`);
    let t0 = Date.now();
    const ctx = await newContext();
    const workers = await Promise.all(Array.from({ length: WORKERS }, () => axePage(ctx)));
    const incomplete = new Map();
    const footerMissing = [];
    await pool(pages, WORKERS, async (p, w) => {
      const page = workers[w];
      await load(page, urlOf(p), allowFor(p));
      const { violations, incomplete: inc } = await runAxe(page);
      for (const v of inc) incomplete.set(v.id, (incomplete.get(v.id) || 0) + v.nodes.length);
      record(`axe ${p.path}`, [...axeProblems(violations), ...loadProblems(page)], { quietPass: true });
      record(`heading-like ${p.path}`, await page.evaluate(headingLikeCheck), { quietPass: true });
      record(`tables ${p.path}`, await page.evaluate(tableStructureCheck), { quietPass: true });
      if (statementUrl && p.kind !== 'was') {
        const ok = await page.evaluate(
          (href) => [...document.querySelectorAll('footer a')].some((a) => a.textContent.trim() === 'Tilgængelighedserklæring' && a.getAttribute('href') === href),
          statementUrl,
        );
        if (!ok) footerMissing.push(p.path);
      }
    });
    console.log(`sum   axe: ${pages.length - failures.filter((f) => f.startsWith('axe ')).length} of ${pages.length} pages without violations or outside requests (${seconds(t0)} s)`);
    console.log(`sum   heading-like: ${pages.length - failures.filter((f) => f.startsWith('heading-like ')).length} of ${pages.length} pages without a bold paragraph used as a heading`);
    console.log(`sum   tables: ${pages.length - failures.filter((f) => f.startsWith('tables ')).length} of ${pages.length} pages whose tables have a caption, header cells and no bold data cell as a group header`);
    if (incomplete.size) {
      console.log(`      (axe "needs review", not failures: ${[...incomplete].map(([k, n]) => `${k} ×${n}`).join(', ')})`);
    }
    timings.push(['axe-core', seconds(t0)]);

    // axe again at 320 px: the phone layout (target size, scrolling boxes) differs.
    const sample = FULL ? pages : representative(pages);
    section(`axe-core at 320 px, ${FULL ? 'every page' : `one page of each kind per municipality and every section (${sample.length} pages; A11Y_FULL=1 for all)`}`);
    t0 = Date.now();
    const nctx = await newContext({ viewport: { width: 320, height: 640 } });
    const nworkers = await Promise.all(Array.from({ length: WORKERS }, () => axePage(nctx)));
    let axeNarrowBad = 0;
    await pool(sample, WORKERS, async (p, w) => {
      const page = nworkers[w];
      await load(page, urlOf(p), allowFor(p));
      const { violations } = await runAxe(page);
      const problems = [...axeProblems(violations), ...loadProblems(page)];
      if (problems.length) axeNarrowBad++;
      record(`axe@320px ${p.path}`, problems, { quietPass: true });
    });
    await nctx.close();
    console.log(`sum   axe@320px: ${sample.length - axeNarrowBad} of ${sample.length} pages without violations (${seconds(t0)} s)`);
    timings.push(['axe-core 320px', seconds(t0)]);

    // 2. The accessibility statement.
    section('accessibility statement (WAS-Tool)');
    if (!was) {
      skip('accessibility statement', 'the site has no was/index.html: set accessibility_statement = "https://was.digst.dk/<domain>" in content/site.toml');
    } else {
      const page = workers[0];
      record('/was/ has <meta http-equiv="refresh" content="0; url=https://was.digst.dk/...">', statementUrl && /^https:\/\/was\.digst\.dk\/./.test(statementUrl) ? [] : [`refresh target: ${statementUrl}`]);
      await load(page, urlOf(was), [statementUrl]);
      await page.waitForTimeout(300);
      const link = await page.evaluate(() => [...document.querySelectorAll('main a[href]')].map((a) => a.getAttribute('href')));
      record('/was/ has a plain link to the statement', link.includes(statementUrl) ? [] : [`links: ${link.join(', ')}`]);
      record('/was/ redirects the browser to the statement', page.__log.expectedOutside.includes(statementUrl) ? [] : ['Chromium did not follow the meta refresh']);
      record(`every page's footer links "Tilgængelighedserklæring" to ${statementUrl}`, footerMissing.map((p) => `missing on ${p}`));
    }

    // 3. Nu HTML checker results.
    section('Nu HTML checker (vnu-jar, errors only), every page');
    const vnu = await vnuPromise;
    for (const p of pages) record(`vnu ${p.path}`, vnu.get(path.resolve(p.file)) || [], { quietPass: true });
    console.log(`sum   vnu: ${pages.length - failures.filter((f) => f.startsWith('vnu ')).length} of ${pages.length} pages without errors`);

    // 4. Keyboard, on every page but the redirect.
    const kbPages = sample.filter((p) => p.kind !== 'was');
    section(`keyboard: skip link, focus to #indhold, every link reachable, focus visible (${FULL ? 'every page' : `${kbPages.length} pages: each kind per municipality, every section`}, 1280 px)`);
    t0 = Date.now();
    const stopsByKind = new Map();
    const kbWorkers = await Promise.all(Array.from({ length: WORKERS }, () => guardedPage(ctx)));
    await pool(kbPages, WORKERS, async (p, w) => {
      const { problems, stops } = await keyboardProblems(kbWorkers[w], urlOf(p));
      record(`keyboard ${p.path}`, problems, { quietPass: true });
      const k = stopsByKind.get(p.kind) || { pages: 0, stops: 0 };
      stopsByKind.set(p.kind, { pages: k.pages + 1, stops: k.stops + stops });
    });
    console.log(`sum   keyboard: kinds ${[...stopsByKind].map(([k, v]) => `${k} (${v.pages} pages, ${v.stops} tab stops)`).join(', ')} (${seconds(t0)} s)`);
    for (const kind of ['root', 'front', 'section', 'offer', 'whole', 'glossary', 'guide', 'finder']) {
      if (!stopsByKind.has(kind)) record(`keyboard: the site has a page of kind ${kind}`, ['none found']);
    }
    timings.push(['keyboard', seconds(t0)]);

    // 4b. The quick exit, when the site has it (quick_exit in site.toml builds /skjul-dit-besoeg/).
    if (pages.some((p) => p.kind === 'skjul')) {
      section(`quick exit: the first or second Tab stop, and Escape three times leaves (${kbPages.length} pages)`);
      t0 = Date.now();
      await pool(kbPages, WORKERS, async (p, w) => {
        record(`quick exit ${p.path}`, await quickExitProblems(kbWorkers[w], urlOf(p), load), { quietPass: true });
      });
      // Leaving by the link replaces the page in the history, checked on one page of each kind.
      const kinds = [...new Map(kbPages.map((p) => [p.kind, p])).values()];
      await pool(kinds, WORKERS, async (p, w) => {
        record(`quick exit history ${p.path}`, await quickExitHistoryProblems(kbWorkers[w], `${urlOf(p)}?foer`, urlOf(p), load), { quietPass: true });
      });
      timings.push(['quick exit', seconds(t0)]);
    }

    // 5. Print: the whole standard (the council packet) and the change reports on paper.
    section('print: the council packet and the change reports to PDF: cover, contents, page numbers, navigation hidden, external link targets shown');
    t0 = Date.now();
    const printed = pages.filter((p) => p.kind === 'whole' || p.kind === 'changes');
    let externalSeen = 0;
    await mkdir(path.join(artifacts, 'print'), { recursive: true });
    for (const p of printed) {
      const page = workers[0];
      const pdfFile = path.join(artifacts, 'print', `${p.path.split('/').filter(Boolean).join('-')}.pdf`);
      const packet = p.kind === 'whole';
      const approval = packet ? await approvalStated(siteDir, p) : null;
      const r = await printProblems(page, urlOf(p), pdfFile, { packet, approval });
      externalSeen += r.external;
      record(`print ${p.path} -> ${path.relative(process.cwd(), pdfFile)} (${r.pageCount} pages, ${r.external} external links written out)`, [...r.problems, ...loadProblems(page)]);
    }
    record('print: the whole-standard pages have external links to check', externalSeen > 0 ? [] : ['no external link in any whole standard: the ::after check proved nothing']);
    timings.push(['print', seconds(t0)]);
    await ctx.close();

    // 6. Reflow and zoom on every page.
    for (const mode of REFLOW_MODES) {
      const names = [mode.name, ...(mode.then ? [mode.then.name] : [])];
      section(`reflow ${names.join(' and ')}: no horizontal scrolling, no clipped text (every page)`);
      t0 = Date.now();
      const rctx = await newContext(mode.context);
      const rpages = await Promise.all(Array.from({ length: WORKERS }, () => guardedPage(rctx)));
      const bad = new Map(names.map((n) => [n, 0]));
      await pool(pages, WORKERS, async (p, w) => {
        for (const [name, problems] of await reflowProblems(rpages[w], urlOf(p), mode, allowFor(p))) {
          if (problems.length) bad.set(name, bad.get(name) + 1);
          record(`reflow ${name} ${p.path}`, problems, { quietPass: true });
        }
      });
      for (const n of names) console.log(`sum   reflow ${n}: ${pages.length - bad.get(n)} of ${pages.length} pages`);
      console.log(`      (${seconds(t0)} s)`);
      timings.push([`reflow ${names.join(' + ')}`, seconds(t0)]);
      await rctx.close();
    }

    // 7. Screenshots for people to look at.
    section('screenshots');
    t0 = Date.now();
    const mu = pages.some((p) => p.path === '/odsherred/') ? 'odsherred' : pages.find((p) => p.kind === 'front')?.path.split('/')[1];
    const offer = pages.find((p) => p.kind === 'offer' && p.path.startsWith(`/${mu}/`));
    const shots = [
      ['root', '/'],
      ['front', `/${mu}/`],
      ['offer', offer?.path],
      ['complaints', `/${mu}/klage/`],
    ];
    for (const width of [320, 1280]) {
      const sctx = await newContext({ viewport: { width, height: width === 320 ? 640 : 800 } });
      const page = await guardedPage(sctx);
      for (const [name, p] of shots) {
        if (!p || !pages.some((x) => x.path === p)) {
          record(`screenshot ${name} at ${width}px`, [`page ${p} not in the site`]);
          continue;
        }
        await load(page, new URL(p.slice(1), server.url).href);
        const file = path.join(artifacts, 'screenshots', `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        record(`screenshot ${name} ${p} at ${width}px -> ${path.relative(process.cwd(), file)}`, loadProblems(page));
      }
      await sctx.close();
    }
    timings.push(['screenshots', seconds(t0)]);
    console.log(`\nScreenshots and PDFs: ${artifacts}`);
  } finally {
    await server.close();
  }
  return timings;
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const args = process.argv.slice(2);
  const selfOnly = args.includes('--self-test');
  const siteDir = args.find((a) => !a.startsWith('--'));
  if (!selfOnly && !siteDir) {
    console.error('usage: node run.mjs <site-dir> | node run.mjs --self-test');
    process.exit(2);
  }
  if (siteDir && !(await stat(siteDir).catch(() => null))?.isDirectory()) {
    console.error(`not a folder: ${siteDir}`);
    process.exit(2);
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
    process.exit(2);
  }
  const t0 = Date.now();
  await launch();
  console.log(`Chromium ${browser.version()} (${CHROMIUM}), playwright-core ${require('playwright-core/package.json').version}, axe-core ${AXE_VERSION}, vnu-jar ${require('vnu-jar/package.json').version}, ${WORKERS} workers`);
  let timings = [];
  try {
    const tSelf = Date.now();
    await selfTest();
    timings.push(['self-test', seconds(tSelf)]);
    if (!selfOnly) timings = timings.concat(await suite(siteDir));
  } catch (err) {
    results.failed++;
    failures.push(`suite crashed: ${err.message}`);
    console.log(`FAIL  the suite crashed: ${err.stack || err}`);
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`\nTimings: ${timings.map(([k, v]) => `${k} ${v} s`).join(', ')}`);
  console.log(`Browser suite took ${seconds(t0)} s`);
  if (failures.length) {
    console.log(`\nFailed (${failures.length}):`);
    for (const f of failures.slice(0, 50)) console.log(`  ${f}`);
    if (failures.length > 50) console.log(`  ... and ${failures.length - 50} more`);
  }
  console.log('');
  console.log(`${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`);
  process.exit(results.failed ? 1 : 0);
}

main();
