//! A rendered page and where pages go: the one type the renderer hands over and the writer and
//! the preview take, below both so that neither depends on the other.

use crate::diagnostic::Diagnostic;

/// A finished page: where it goes and what it says.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub html: String,
}

/// Takes each page as it is rendered, from many threads at once. What it hands back for a
/// page is kept in job order by the renderer: nothing for a folder, the page for memory.
pub trait PageSink: Sync {
    type Kept: Send;

    fn take(&self, page: Page) -> Result<Self::Kept, Diagnostic>;
}

/// Keeps every page, in job order: the preview serves them from memory.
pub(crate) struct InMemory;

impl PageSink for InMemory {
    type Kept = Page;

    fn take(&self, page: Page) -> Result<Page, Diagnostic> {
        Ok(page)
    }
}

/// `s` as text in HTML or XML, in an element or a quoted attribute: `&`, `<`, `>`, `"` and `'`
/// written as references (`&apos;` is one in both HTML5 and XML).
pub(crate) fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
