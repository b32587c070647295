// What the editor waits for: a municipality page open in headless Chromium on a running
// `kvalitet serve`, the municipality's file saved, and the time until the new text is on
// screen. Driven by benches/editor_view.rs; prints one JSON object on stdout.
//
//   node editor_view.mjs --url http://127.0.0.1:PORT/odsherred/ --file content/odsherred.toml \
//        --rounds 12 [--modes write,rename]
//
// One clock: this script writes the file and the page stamps its own moments, both as
// `performance.timeOrigin + performance.now()` (milliseconds since the epoch, sub-millisecond).
// Before measuring, the page's clock is read between two readings of this process's clock; the
// offset and that window are reported, and the offset is taken off every stamp.
//
// "Visible" is the first animation frame after the new sentence is in the page's DOM and the
// page has finished loading (style sheets applied, scroll position restored), whether the
// preview reloads the page or updates it in place. The stamps are taken in the page, so how
// often this script looks for them does not change them.

import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const url = arg('url');
const file = arg('file');
const rounds = Number(arg('rounds', '12'));
const modes = arg('modes', 'write,rename').split(',');
// The text after which each save puts its new sentence.
const anchor = arg('anchor', 'summary = """\n');
if (!url || !file) {
  console.error('usage: node editor_view.mjs --url URL --file FILE [--rounds N] [--modes write,rename]');
  process.exit(2);
}

const now = () => performance.timeOrigin + performance.now();

// Runs in every document before its own scripts. The sentence looked for is in
// sessionStorage, so a reloaded document finds it too.
const STAMPS = () => {
  const t = () => performance.timeOrigin + performance.now();
  const b = { origin: performance.timeOrigin };
  let want = null;
  try {
    want = sessionStorage.getItem('bench-want');
  } catch {}
  window.__benchArm = (sentence) => {
    want = sentence;
    for (const k of Object.keys(b)) delete b[k];
    b.origin = performance.timeOrigin;
    try {
      sessionStorage.setItem('bench-want', sentence);
      sessionStorage.removeItem('bench-event');
    } catch {}
  };
  window.__bench = () => {
    let event = null;
    try {
      event = Number(sessionStorage.getItem('bench-event')) || null;
    } catch {}
    return { ...b, event };
  };
  // When the reload event reached the page (before the page's own handler runs).
  const ES = window.EventSource;
  if (ES) {
    window.EventSource = class extends ES {
      constructor(u, o) {
        super(u, o);
        this.addEventListener('reload', () => {
          try {
            if (!sessionStorage.getItem('bench-event')) sessionStorage.setItem('bench-event', String(t()));
          } catch {}
        });
      }
    };
  }
  const settled = () => {
    requestAnimationFrame(() => {
      b.frame = t();
      b.scrollY = scrollY;
      b.html = performance
        .getEntriesByType('resource')
        .filter((r) => r.name === location.href)
        .map((r) => ({ start: performance.timeOrigin + r.startTime, end: performance.timeOrigin + r.responseEnd }))
        .pop();
      const nav = performance.getEntriesByType('navigation')[0];
      if (nav && b.origin !== undefined && !b.html) {
        b.html = { start: performance.timeOrigin + nav.fetchStart, end: performance.timeOrigin + nav.responseEnd };
      }
      b.css = performance
        .getEntriesByType('resource')
        .filter((r) => r.name.endsWith('.css'))
        .map((r) => ({ name: r.name.replace(/^.*\//, ''), start: performance.timeOrigin + r.startTime, end: performance.timeOrigin + r.responseEnd }));
    });
  };
  const check = () => {
    if (b.text || !want || !document.body || !document.body.textContent.includes(want)) return;
    b.text = t();
    if (document.readyState === 'complete') settled();
    else
      addEventListener('load', () => {
        b.load = t();
        settled();
      });
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const original = readFileSync(file, 'utf8');
if (!original.includes(anchor)) {
  console.error(`editor_view: ${file} has no ${JSON.stringify(anchor)}`);
  process.exit(2);
}

function save(mode, text) {
  if (mode === 'write') {
    writeFileSync(file, text);
  } else {
    // As many editors save: a hidden temp file beside the real one, renamed over it.
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    writeFileSync(temp, text);
    renameSync(temp, file);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { url, rounds, clock: null, modes: {} };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(STAMPS);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  // Let the page open its event stream.
  await sleep(300);

  // The page's clock against ours: read between two readings of ours, the narrowest of 20.
  let best = null;
  for (let i = 0; i < 20; i++) {
    const before = now();
    const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = now();
    if (!best || after - before < best.window) best = { window: after - before, offset: inPage - (before + after) / 2 };
  }
  result.clock = best;

  // The editor reads part-way down the page, so keeping the scroll position is part of it.
  await page.evaluate(() => scrollTo(0, 300));

  for (const mode of modes) {
    const samples = [];
    for (let round = 0; round < rounds; round++) {
      const sentence = `Gemt ${mode} ${round} ${Date.now()}.`;
      const text = original.replace(anchor, `${anchor}${sentence} `);
      await page.evaluate((s) => window.__benchArm(s), sentence);
      const saved = now();
      save(mode, text);
      const deadline = saved + 15000;
      let b = null;
      while (!b || !b.frame) {
        if (now() > deadline) throw new Error(`the page did not show "${sentence}" within 15 s`);
        await sleep(20);
        // Fails while a reload replaces the document; the next look finds the new one.
        b = await page.evaluate(() => window.__bench && window.__bench()).catch(() => null);
      }
      const off = result.clock.offset;
      const since = (t) => (t === undefined || t === null ? null : t - off - saved);
      samples.push({
        event: since(b.event),
        html_start: b.html ? since(b.html.start) : null,
        html_end: b.html ? since(b.html.end) : null,
        text: since(b.text),
        load: since(b.load),
        visible: since(b.frame),
        scroll_y: b.scrollY,
        css: (b.css || []).filter((r) => r.start - off - saved > 0).map((r) => ({ name: r.name, start: since(r.start), end: since(r.end) })),
      });
      // Let the folder settle, so saves do not merge.
      await sleep(150);
    }
    result.modes[mode] = { samples, median_visible: median(samples.map((s) => s.visible)) };
  }
} finally {
  writeFileSync(file, original);
  await browser.close();
}
console.log(JSON.stringify(result));
