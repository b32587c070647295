// Headings where the text has headings (WCAG 1.3.1): a paragraph that is only bold text,
// short, without a full stop, and followed by a paragraph or a list looks like a heading to a
// sighted reader, but a screen reader cannot jump to it and it is missing from the outline.

/** Runs in the page: one problem per heading-like bold paragraph. */
export function headingLikeCheck() {
  const MAX_CHARS = 100;
  const problems = [];
  for (const p of document.querySelectorAll('p')) {
    // Only one <strong> or <b> inside, and no text beside it.
    const kids = [...p.childNodes].filter((n) => !(n.nodeType === Node.TEXT_NODE && !n.textContent.trim()) && n.nodeType !== Node.COMMENT_NODE);
    if (kids.length !== 1 || kids[0].nodeType !== Node.ELEMENT_NODE || !['STRONG', 'B'].includes(kids[0].tagName)) continue;
    const text = p.textContent.replace(/\s+/g, ' ').trim();
    if (!text || [...text].length > MAX_CHARS || text.endsWith('.')) continue;
    const next = p.nextElementSibling;
    if (!next || !['P', 'UL', 'OL'].includes(next.tagName)) continue;
    problems.push(`bold paragraph used as a heading: «${text}» (make it a heading: ### ${text} in the content)`);
  }
  return problems;
}
