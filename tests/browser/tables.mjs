// Tables a screen reader can read (WCAG 1.3.1): every table has a caption that names it and
// header cells, and no row stands as a group header while being made of data cells (a bold
// data cell beside empty cells, as in a table carried over from a document).

/** Runs in the page: one problem per table that breaks the contract. */
export function tableStructureCheck() {
  const problems = [];
  const tables = [...document.querySelectorAll('table')];
  tables.forEach((table, i) => {
    const name = `table ${i + 1} of ${tables.length}`;
    const caption = table.querySelector(':scope > caption');
    const captionText = caption ? caption.textContent.replace(/\s+/g, ' ').trim() : '';
    const label = captionText ? `«${captionText.slice(0, 60)}»` : name;
    if (!captionText) problems.push(`${name}: no caption naming the table`);
    if (!table.querySelector('th')) problems.push(`${label}: no header cells (th)`);
    for (const row of table.querySelectorAll('tr')) {
      const cells = [...row.children].filter((c) => c.tagName === 'TD' || c.tagName === 'TH');
      const filled = cells.filter((c) => c.textContent.trim() !== '');
      if (cells.length < 2 || filled.length !== 1 || filled[0].tagName !== 'TD') continue;
      const cell = filled[0];
      const kids = [...cell.childNodes].filter((n) => !(n.nodeType === Node.TEXT_NODE && !n.textContent.trim()));
      const boldOnly = kids.length === 1 && kids[0].nodeType === Node.ELEMENT_NODE && ['STRONG', 'B'].includes(kids[0].tagName);
      if (boldOnly) {
        problems.push(`${label}: «${cell.textContent.trim()}» looks like a group header but is a bold data cell beside empty cells (use a th with scope="rowgroup")`);
      }
    }
  });
  return problems;
}
