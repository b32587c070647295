// Checks that run inside the page (passed to page.evaluate). Each returns plain data; the
// runner (run.mjs) turns it into passed or failed tests. Keep them free of closures: Playwright
// serialises the function source into the page.

/** Focusable elements in tab order candidates, tagged with data-kb, and their unfocused styles. */
export function kbPrepare() {
  const SEL = 'a[href], area[href], button, input, select, textarea, summary, iframe, audio[controls], video[controls], [tabindex], [contenteditable]';
  const visible = (el) => {
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none' && el.getClientRects().length > 0;
  };
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    const href = el.getAttribute('href');
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${href ? ` href="${href}"` : ''}> "${text}"`;
  };
  const snap = (el) => {
    const cs = getComputedStyle(el);
    return {
      outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
      boxShadow: cs.boxShadow,
      background: cs.backgroundColor,
      color: cs.color,
      textDecoration: `${cs.textDecorationLine} ${cs.textDecorationColor}`,
      border: `${cs.borderStyle} ${cs.borderWidth} ${cs.borderColor}`,
    };
  };
  const cands = [...document.querySelectorAll(SEL)].filter(
    (el) => el.tabIndex >= 0 && !el.disabled && el.type !== 'hidden' && !el.closest('[inert]') && visible(el),
  );
  cands.forEach((el, i) => el.setAttribute('data-kb', String(i)));
  window.__kb = { base: cands.map(snap), snap, describe };
  return cands.map(describe);
}

/** What has focus now, and whether the focus can be seen. Needs kbPrepare first. */
export function kbState() {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return { body: true };
  const { base, snap, describe } = window.__kb;
  const id = el.getAttribute('data-kb');
  const now = snap(el);
  const before = id !== null ? base[Number(id)] : null;
  const cs = getComputedStyle(el);
  const transparent = (c) => c === 'transparent' || /rgba\(.*,\s*0\)$/.test(c);
  const outlineShown = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor);
  const changed = before ? Object.keys(now).filter((k) => now[k] !== before[k]) : [];
  // A visible indicator: an outline that is drawn and was not there before, or a changed box
  // shadow, background, colour, underline or border.
  const indicator = (outlineShown && (!before || before.outline !== now.outline)) || changed.some((k) => k !== 'outline');
  const rects = el.getClientRects();
  const r = rects.length ? rects[0] : el.getBoundingClientRect();
  const inViewport = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  let coveredBy = null;
  if (inViewport) {
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    if (hit && !el.contains(hit) && !hit.contains(el)) coveredBy = hit.tagName.toLowerCase() + (hit.className ? '.' + hit.className : '');
  }
  return {
    id: id === null ? null : Number(id),
    desc: describe(el),
    indicator,
    changed,
    inViewport,
    coveredBy,
    elId: el.id || null,
    isSkipLink: el.matches('a[href="#indhold"], .skip-link'),
    inOrAfterMain: (() => {
      const main = document.querySelector('main');
      if (!main) return false;
      return main.contains(el) || Boolean(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    })(),
    hash: location.hash,
  };
}

/** Horizontal scrolling and clipped text at the current viewport. */
export function reflowCheck() {
  const problems = [];
  const de = document.documentElement;
  const vw = de.clientWidth;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    const text = (el.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
  const hasText = (el) => (el.innerText || '').trim().length > 0;
  const all = [...document.body.querySelectorAll('*')];
  if (de.scrollWidth > vw || document.body.scrollWidth > vw) {
    const culprits = all
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (!(r.width > 0 && r.right > vw + 1) || getComputedStyle(el).position === 'fixed') return false;
        // Content inside a box that scrolls or clips does not widen the page.
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') return false;
        }
        return true;
      })
      .filter((el, _, arr) => !arr.some((o) => o !== el && el.contains(o)))
      .slice(0, 5)
      .map(describe);
    problems.push(`page scrolls horizontally: scrollWidth ${de.scrollWidth} > clientWidth ${vw}; widest: ${culprits.join('; ') || '?'}`);
  }
  for (const el of all) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    // The visually-hidden pattern (1 px box with clip) is intentional, not clipped text.
    if (r.width <= 1 && r.height <= 1) continue;
    const hides = (v) => v === 'hidden' || v === 'clip';
    if (hides(cs.overflowX) && el.scrollWidth > el.clientWidth + 1 && hasText(el)) {
      problems.push(`text clipped horizontally (overflow-x: ${cs.overflowX}; ${el.scrollWidth} > ${el.clientWidth}): ${describe(el)}`);
    }
    if (hides(cs.overflowY) && el.scrollHeight > el.clientHeight + 1 && hasText(el)) {
      problems.push(`text clipped vertically (overflow-y: ${cs.overflowY}; ${el.scrollHeight} > ${el.clientHeight}): ${describe(el)}`);
    }
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`text cut with an ellipsis: ${describe(el)}`);
    }
    // A scrolling box is allowed only around a data table (WCAG 1.4.10 exception).
    if ((cs.overflowX === 'auto' || cs.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && !el.querySelector('table')) {
      problems.push(`content scrolls sideways in a box that holds no table: ${describe(el)}`);
    }
  }
  return problems;
}

/** Text spacing of WCAG 1.4.12, applied with !important over the page's own CSS. */
export const TEXT_SPACING_CSS = `
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
`;

/**
 * Print media: which navigation is still displayed, what external links print after them, and
 * the council packet's parts: the cover (its status line and whether a page break follows it),
 * the table of contents, headings kept with their text, and the @page rule's page numbers.
 */
export function printCheck() {
  const shown = (el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0;
  // The table of contents is a <nav> that stays in print: it is the packet's.
  const hiddenSelectors = ['.skip-link', 'header', '.site-header', 'nav:not(.toc)', '.breadcrumbs', '.contact-block', 'footer', '.site-footer'];
  const stillShown = [];
  for (const sel of hiddenSelectors) {
    for (const el of document.querySelectorAll(sel)) if (shown(el)) stillShown.push(sel);
  }
  const main = document.querySelector('main');
  const external = [];
  const internal = [];
  for (const a of main ? main.querySelectorAll('a[href]') : []) {
    if (!shown(a)) continue;
    const href = a.getAttribute('href');
    const after = getComputedStyle(a, '::after').content;
    if (/^https?:\/\//i.test(href)) external.push({ href, after });
    else internal.push({ href, after });
  }
  const text = (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null);
  const cover = document.querySelector('main .cover');
  const status = cover && cover.querySelector('.cover-status');
  const toc = document.querySelector('main .toc');
  const tocLinks = toc ? [...toc.querySelectorAll('a[href^="#"]')] : [];
  const headingsBreakable = [...(main ? main.querySelectorAll('h1, h2, h3') : [])]
    .filter((h) => shown(h) && getComputedStyle(h).breakAfter !== 'avoid')
    .map((h) => `${h.tagName.toLowerCase()} "${text(h).slice(0, 40)}"`);
  // The @page rules of every style sheet that applies, margin boxes included.
  const pageRules = [];
  const walk = (rules) => {
    for (const r of rules) {
      if (r.type === CSSRule.PAGE_RULE) pageRules.push(r.cssText);
      else if (r.cssRules) walk(r.cssRules);
    }
  };
  for (const sheet of document.styleSheets) {
    try {
      walk(sheet.cssRules);
    } catch {}
  }
  return {
    mainShown: Boolean(main && shown(main)),
    stillShown: [...new Set(stillShown)],
    external,
    internal,
    cover: cover && shown(cover) ? { text: text(cover), status: text(status), breakAfter: getComputedStyle(cover).breakAfter } : null,
    toc: toc && shown(toc) ? { heading: text(toc.querySelector('h2, h3')), links: tocLinks.length, broken: tocLinks.map((a) => a.getAttribute('href')).filter((h) => !document.getElementById(decodeURIComponent(h.slice(1)))), breakAfter: getComputedStyle(toc).breakAfter } : null,
    headingsBreakable,
    // A draft build marks every page noindex; its cover must not read as approved.
    draft: Boolean(document.querySelector('meta[name="robots"][content*="noindex" i]')),
    pageNumbered: pageRules.some((t) => /counter\(page\)/.test(t) && /counter\(pages\)/.test(t)),
  };
}
