//! The preview's memory between saves: the last good build, kept in parts, so that saving a
//! municipality's file re-reads, re-checks and re-renders only that municipality and what
//! shows every municipality, instead of the whole site.
//!
//! What depends on what:
//! - A municipality's pages: its own file, `site.toml`, the theme, and the list of
//!   municipalities (names and addresses, which the bundled theme shows only on the front page
//!   of the site).
//! - The site-wide pages (jobs without a municipality: the front page, the glossary, the
//!   accessibility redirect): `site.toml`, the theme and the list of municipalities.
//! - A municipality's check: its own file, its approved copies (a change below `godkendt/`
//!   is a change outside the content folder's files, so a full build) and `site.toml` (see
//!   [`check_municipality`]); then every internal link is resolved against the pages of the
//!   whole site, and the check report page shows every municipality.
//!
//! So after a save of existing municipality files, only those files are read and checked, and
//! their pages, the site-wide pages and the check report are rendered; the links of the whole
//! site are resolved again (cheap). If the theme reads the list of municipalities anywhere
//! else, every page is rendered (still without reading or checking the others). Anything
//! else — `site.toml`, a theme file, a file added, removed or renamed, an event without paths,
//! a new day (revision dates are checked against today) — needs a full build.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::{
    CheckOptions, MunicipalityCheck, Report, SiteCheck, check_municipality, check_parts,
};
use crate::diagnostic::Diagnostic;
use crate::load::approved::load_for_site;
use crate::load::{Content, LoadedMunicipality, link_glossary};
use crate::page::{InMemory, Page};
use crate::pipeline::{
    BuildOptions, InMemorySite, JobList, findings, full_in_memory, render_and_report,
};
use crate::render::Theme;
use crate::site::{self, Job};

/// A rendered page whose bytes can be shared with the server without copying.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedPage {
    pub path: String,
    pub html: Arc<Vec<u8>>,
}

impl From<Page> for SharedPage {
    fn from(page: Page) -> Self {
        SharedPage {
            path: page.path,
            html: Arc::new(page.html.into_bytes()),
        }
    }
}

/// What [`SiteState::update`] did.
#[derive(Debug)]
pub enum Update {
    /// The change cannot be applied to the kept state; build afresh with [`SiteState::build`].
    NeedsFull,
    /// A saved file does not load, or a page does not render. The state is still the last good
    /// site; until the files named here are saved again, every change needs a full build.
    Failed(Vec<Diagnostic>),
    /// Applied. `pages_changed` is false when every page rendered again came out the same (a
    /// save that changed nothing visible), so browsers need not reload.
    Done {
        pages_changed: bool,
        /// Municipality files read again.
        reloaded: usize,
    },
}

/// The last good build, in the parts an incremental step replaces.
pub struct SiteState {
    content: Content,
    theme: Theme,
    /// The content folder without symlinks, to tell its files from others in file events.
    content_dir: PathBuf,
    /// Whether a template other than the site-wide ones may read the list of municipalities,
    /// so that any municipality's file can change every page.
    list_on_every_page: bool,
    check_options: CheckOptions,
    site_check: SiteCheck,
    /// One per municipality, in the order of `content.municipalities`.
    checks: Vec<MunicipalityCheck>,
    /// Every job of [`site::jobs`], and its page at the same index.
    jobs: Vec<Job>,
    pages: Vec<SharedPage>,
    check_page: SharedPage,
    /// The comparison of the municipalities, made with the check report.
    compare_page: Option<SharedPage>,
    /// Municipality files (indices) whose latest save failed: the state holds their previous
    /// version, so it is only right again once they are read anew.
    broken: Vec<usize>,
}

impl SiteState {
    /// Loads, checks and renders everything, as [`crate::build::render`] does.
    pub fn build(options: &BuildOptions) -> Result<SiteState, Vec<Diagnostic>> {
        let built = full_in_memory(options, |content, check_options| {
            let (site_check, checks) = check_parts(content, check_options);
            let report = report_of(content, check_options, &site_check, &checks);
            ((site_check, checks), report)
        })?;
        let InMemorySite {
            content,
            theme,
            check_options,
            jobs,
            rendered,
        } = built;
        let content_dir = std::fs::canonicalize(&options.content)
            .unwrap_or_else(|_| options.content.to_path_buf());
        let list_on_every_page = theme.lists_municipalities_on_every_page();
        let (site_check, checks) = rendered.checked;
        let (pages, check_page) = (rendered.pages, rendered.check_page);
        let compare_page = rendered.compare_page.map(SharedPage::from);
        Ok(SiteState {
            content,
            theme,
            content_dir,
            list_on_every_page,
            check_options,
            site_check,
            checks,
            jobs,
            pages: pages.into_iter().map(SharedPage::from).collect(),
            check_page: check_page.into(),
            compare_page,
            broken: Vec::new(),
        })
    }

    /// Applies saved files to the kept state, if they are all existing municipality files.
    pub fn update(&mut self, changed: &[PathBuf]) -> Update {
        let Some(changed) = self.plan(changed) else {
            return Update::NeedsFull;
        };
        let check_options = CheckOptions::for_site(&self.content.site);
        if check_options.reference_date != self.check_options.reference_date {
            return Update::NeedsFull;
        }
        let loaded: Vec<Result<LoadedMunicipality, Vec<Diagnostic>>> = changed
            .par_iter()
            .map(|&m| {
                let lm = &self.content.municipalities[m];
                let working = lm.history.working_file.as_ref().unwrap_or(&lm.source.path);
                load_for_site(working, self.content.draft)
            })
            .collect();
        let mut fresh = Vec::with_capacity(loaded.len());
        let mut errors = Vec::new();
        for result in loaded {
            match result {
                Ok(m) => fresh.push(m),
                Err(mut d) => errors.append(&mut d),
            }
        }
        if !errors.is_empty() {
            self.mark_broken(&changed);
            return Update::Failed(errors);
        }
        link_glossary(&self.content.site, &mut fresh);

        // Swapped in, and back out if rendering fails, rather than copying the content.
        let mut previous = Vec::with_capacity(fresh.len());
        for (&m, lm) in changed.iter().zip(fresh) {
            previous.push(std::mem::replace(&mut self.content.municipalities[m], lm));
        }
        // Addresses are checked across all municipalities, as a full build checks them.
        let rendered = site::check_addresses(&self.content)
            .and_then(|()| self.render_changed(&changed, &check_options));
        match rendered {
            Ok(next) => {
                let pages_changed = self.apply(&changed, next);
                self.content.warnings = self
                    .content
                    .municipalities
                    .iter()
                    .flat_map(|lm| lm.warnings.iter().cloned())
                    .collect();
                self.broken.clear();
                Update::Done {
                    pages_changed,
                    reloaded: changed.len(),
                }
            }
            Err(errors) => {
                for (&m, lm) in changed.iter().zip(previous) {
                    self.content.municipalities[m] = lm;
                }
                self.mark_broken(&changed);
                Update::Failed(errors)
            }
        }
    }

    /// Every page, in the order the site is written: where two pages share a path, the later
    /// one is the one on the site.
    pub fn pages(&self) -> impl Iterator<Item = &SharedPage> {
        self.pages
            .iter()
            .chain(std::iter::once(&self.check_page))
            .chain(&self.compare_page)
    }

    pub(crate) fn page_count(&self) -> usize {
        self.pages.len() + 1
    }

    pub fn content(&self) -> &Content {
        &self.content
    }

    pub fn statics(&self) -> crate::embedded::Statics {
        self.theme.statics()
    }

    /// Indices of the municipalities whose files are `changed`, or `None` if some changed path
    /// is anything else, or a file that is gone.
    fn plan(&self, changed: &[PathBuf]) -> Option<Vec<usize>> {
        if changed.is_empty() {
            return None;
        }
        let mut indices = Vec::with_capacity(changed.len());
        for path in changed {
            let name = path.file_name()?;
            let dir = std::fs::canonicalize(path.parent()?).ok()?;
            if dir != self.content_dir || !path.is_file() {
                return None;
            }
            let m = self.content.municipalities.iter().position(|lm| {
                let working = lm.history.working_file.as_ref().unwrap_or(&lm.source.path);
                working.file_name() == Some(name)
            })?;
            indices.push(m);
        }
        indices.sort_unstable();
        indices.dedup();
        self.broken
            .iter()
            .all(|b| indices.contains(b))
            .then_some(indices)
    }

    fn mark_broken(&mut self, changed: &[usize]) {
        self.broken.extend_from_slice(changed);
        self.broken.sort_unstable();
        self.broken.dedup();
    }

    /// The pages rendered again when the municipalities `changed` change.
    fn job_list<'a>(&self, changed: &'a [usize]) -> JobList<'a> {
        JobList {
            municipalities: changed,
            list_on_every_page: self.list_on_every_page,
        }
    }

    /// Checks the changed municipalities and renders what depends on them, from
    /// `self.content`, which already holds their new versions.
    fn render_changed(
        &self,
        changed: &[usize],
        check_options: &CheckOptions,
    ) -> Result<Next, Vec<Diagnostic>> {
        let content = &self.content;
        let jobs = site::jobs(content);
        let selected = self.job_list(changed).select(&jobs);
        let rendered = render_and_report(content, &self.theme, &selected, &InMemory, || {
            let checks: Vec<MunicipalityCheck> = changed
                .par_iter()
                .map(|&m| {
                    check_municipality(&content.site, &content.municipalities[m], check_options)
                })
                .collect();
            let mut all: Vec<&MunicipalityCheck> = self.checks.iter().collect();
            for (&m, check) in changed.iter().zip(&checks) {
                all[m] = check;
            }
            let report = report_of(content, check_options, &self.site_check, all);
            (checks, report)
        })?;
        let (pages, checks, check_page) = (rendered.pages, rendered.checked, rendered.check_page);
        Ok(Next {
            jobs,
            pages: pages.into_iter().map(SharedPage::from).collect(),
            checks,
            check_page: check_page.into(),
            compare_page: rendered.compare_page.map(SharedPage::from),
        })
    }

    /// Takes the new pages and checks in; returns whether any page differs from before.
    fn apply(&mut self, changed: &[usize], next: Next) -> bool {
        let rerender = self.job_list(changed);
        let mut fresh = next.pages.into_iter();
        let mut kept = Vec::with_capacity(self.pages.len());
        let mut replaced = Vec::new();
        for (job, page) in self.jobs.iter().zip(std::mem::take(&mut self.pages)) {
            if rerender.includes(job) {
                replaced.push(page);
            } else {
                kept.push(page);
            }
        }
        let mut kept = kept.into_iter();
        let mut pages = Vec::with_capacity(next.jobs.len());
        let mut pages_changed = false;
        let mut old = replaced.into_iter();
        for job in &next.jobs {
            let page = if rerender.includes(job) {
                let page = fresh.next().expect("a page for every job rendered again");
                pages_changed |= old.next().as_ref() != Some(&page);
                page
            } else {
                kept.next().expect("the other jobs are as before")
            };
            pages.push(page);
        }
        // Fewer pages than before (a section or offer removed) is a change too.
        pages_changed |= old.next().is_some();
        pages_changed |= self.check_page != next.check_page;
        pages_changed |= self.compare_page != next.compare_page;
        self.jobs = next.jobs;
        self.pages = pages;
        self.check_page = next.check_page;
        self.compare_page = next.compare_page;
        for (&m, check) in changed.iter().zip(next.checks) {
            self.checks[m] = check;
        }
        pages_changed
    }
}

/// The result of an incremental step, before it replaces the state.
struct Next {
    jobs: Vec<Job>,
    /// Pages of the jobs rendered again, in job order.
    pages: Vec<SharedPage>,
    /// New checks of the changed municipalities, in their order.
    checks: Vec<MunicipalityCheck>,
    check_page: SharedPage,
    compare_page: Option<SharedPage>,
}

/// The check report of the kept and the new parts, made by [`findings`] as every reader's is.
fn report_of<'a>(
    content: &Content,
    options: &CheckOptions,
    site_check: &SiteCheck,
    checks: impl IntoIterator<Item = &'a MunicipalityCheck>,
) -> Report {
    let checks = checks.into_iter().cloned().collect();
    findings(content, options, site_check.clone(), checks)
}
