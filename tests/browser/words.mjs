// Whole words on narrow screens (issue 21): at 320 px no word may be split across two lines.
//
// `splitWordsCheck` runs in the page (page.evaluate). For every visible text node it takes each
// run of letters and digits (a soft hyphen counts as part of the word) and asks the browser for
// the line boxes of that run (Range.getClientRects). A word whose boxes stand on more than one
// line was broken inside: by `overflow-wrap: anywhere` or `break-word`, by `word-break:
// break-all`, by a hyphenation point of `hyphens: auto`, or at a soft hyphen. A break after a
// hyphen, a slash or a space is not inside a word and is never reported.

export function splitWordsCheck() {
  const problems = [];
  const skipTags = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE', 'OPTION', 'TEXTAREA']);
  const hiddenCache = new Map();
  // The visually-hidden pattern (a clipped 1 px box) lays out one letter per line on purpose:
  // nobody sees those lines, so they are not split words.
  const hidden = (el) => {
    if (!el || el === document.body) return false;
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const own = cs.display === 'none' || cs.visibility === 'hidden'
      || (cs.clip !== 'auto' && cs.clip !== '') || (cs.clipPath && cs.clipPath !== 'none')
      || (r.width <= 1 && r.height <= 1 && cs.overflow !== 'visible');
    const result = own || hidden(el.parentElement);
    hiddenCache.set(el, result);
    return result;
  };
  const where = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    const box = el.closest('nav, table, li, p, h1, h2, h3, h4, h5, h6, dd, dt, td, th');
    if (box && box !== el) s = `${box.tagName.toLowerCase()}${box.className ? '.' + box.className.split(/\s+/).join('.') : ''} > ${s}`;
    return s;
  };
  // Distinct lines among a range's boxes: boxes whose vertical middles differ by more than
  // half the smaller box's height stand on different lines.
  const lines = (rects) => {
    const mids = [];
    for (const r of rects) {
      if (r.width === 0 && r.height === 0) continue;
      const mid = (r.top + r.bottom) / 2;
      if (!mids.some(([m, h]) => Math.abs(m - mid) < Math.min(h, r.height) / 2)) mids.push([mid, r.height]);
    }
    return mids.length;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const word = /[\p{L}\p{N}\u00AD]{2,}/gu;
  let found = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || skipTags.has(parent.tagName) || hidden(parent)) continue;
    const text = node.data;
    word.lastIndex = 0;
    for (let m = word.exec(text); m; m = word.exec(text)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      if (lines(range.getClientRects()) < 2) continue;
      // Where the word breaks: the first letter that starts a new line.
      let cut = 1;
      const firstTop = range.getClientRects()[0]?.top ?? 0;
      for (let i = 1; i < m[0].length; i++) {
        range.setStart(node, m.index + i);
        range.setEnd(node, m.index + i + 1);
        const rs = range.getClientRects();
        const r = rs[rs.length - 1];
        if (r && r.top > firstTop + r.height / 2) { cut = i; break; }
      }
      found++;
      if (problems.length < 8) {
        problems.push(`word split across lines at 320 px: "${m[0].slice(0, cut)}|${m[0].slice(cut)}" in ${where(parent)}`);
      }
    }
  }
  if (found > problems.length) problems.push(`... ${found - problems.length} more split words on this page`);
  return problems;
}
