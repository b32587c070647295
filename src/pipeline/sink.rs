//! Where rendered pages go: a folder being written, or memory.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::output::SiteWriter;
use crate::render::Page;

/// Takes each page as it is rendered, from many threads at once. What it hands back for a
/// page is kept in job order by the renderer: nothing for a folder, the page for memory.
pub trait PageSink: Sync {
    type Kept: Send;

    fn take(&self, page: Page) -> Result<Self::Kept, Diagnostic>;
}

/// Writes each page into the new folder at once, so memory holds the pages being rendered,
/// not the site.
impl PageSink for SiteWriter {
    type Kept = ();

    fn take(&self, page: Page) -> Result<(), Diagnostic> {
        self.write_page(&page)
            .map_err(|e| Diagnostic::error(Path::new(&page.path), e.0))
    }
}

/// Keeps every page, in job order: the preview serves them from memory.
pub struct InMemory;

impl PageSink for InMemory {
    type Kept = Page;

    fn take(&self, page: Page) -> Result<Page, Diagnostic> {
        Ok(page)
    }
}
