//! The one pipeline of `kvalitet build`, `kvalitet serve` and the preview's rebuild after a
//! save: content -> model -> check -> page jobs -> render -> a page sink.
//!
//! # Stages
//!
//! 1. **Load** ([`load`], [`load_content`]): `site.toml`, the theme and every municipality
//!    file, each read and validated by [`crate::load`] and parsed once with its key positions,
//!    then assembled ([`assemble`]) with the page addresses checked across files
//!    ([`crate::site::check_addresses`]).
//! 2. **Check** ([`crate::check`]): the site's check and one check per municipality. The
//!    report every reader sees (`kvalitet check`, the build's summary line, `/tjek/`, the
//!    preview's banner count) is made from those parts by one function, [`findings`]: the
//!    parts assembled in file order, then the internal links resolved against the pages the
//!    site will have.
//! 3. **Page jobs** ([`crate::site`], [`JobList`]): a flat list of render jobs, decided from
//!    the content alone: the site-wide pages, then each municipality's, in file order.
//! 4. **Render** ([`crate::render::render_jobs_to`]): the jobs rendered in parallel, a
//!    municipality's view built once for its pages.
//! 5. **Sink** ([`PageSink`], in [`crate::page`] below both the renderer and the writer): each
//!    page handed over as soon as it is rendered, to the folder writer
//!    ([`crate::output::SiteWriter`], which keeps nothing) or to memory ([`InMemory`], which
//!    keeps the pages, in job order, for the preview's map of path -> page).
//!
//! The modules depend on each other in this order only, never back: `build` (the folder
//! build, with its streaming) and `incremental` and `serve` (the preview) sit above this
//! module, which sits above `render`, `check`, `site` and `load` (`tests/it/structure.rs`
//! keeps it so).
//!
//! # Job lists
//!
//! The same render and sink serve three job lists (as Zola's `Queue::full_build` and
//! `Queue::single_page`):
//! - **Full build**: every job of [`crate::site::jobs`], then the check report page.
//! - **Municipalities changed** ([`JobList`], a save in the preview,
//!   [`crate::incremental`]): their jobs and the site-wide ones (which list every
//!   municipality), then the check report page; every page if the theme lists the
//!   municipalities on every page.
//! - **`site.toml` or the theme changed**, or a file added, removed or renamed: the full
//!   build's list, since every page depends on them.
//!
//! # Speed kept, and where it is contained
//!
//! Judged by `cargo bench --bench build_speed` at N = 98, each trick on and off in turn with
//! the same binary on the same machine (a shared host: single medians drift by a third).
//! - **Streaming municipalities** (`build::stream_municipalities`), kept for memory: a folder
//!   build reads, checks, renders and writes each municipality in one go while its content is
//!   in the processor's cache, and frees its text before the next. Off, N = 98 built in about
//!   163 ms against 183 ms on, but its peak memory rose from 18 to 38 MiB, over the 32 MiB aim.
//!   It holds only while no municipality's page reads the list of every municipality, which
//!   the theme tells by its templates' text
//!   ([`crate::render::Theme::lists_municipalities_on_every_page`], erring towards yes); the
//!   build then takes the full build's job list instead. Contained in `build`: the other
//!   paths never stream.
//! - **`Built`** (`build::Built`), kept, not judged at N = 98: the content a build worked
//!   from, handed back so that the command can leave its memory to the operating system at
//!   exit (`mem::forget`). It changes no result; `build_speed` frees it outside its timed
//!   part, so only its `command_*` lines (N = 980) can show what it saves.
//! - **`mallopt(M_TOP_PAD)`**, removed: the build with and without it ran in the same time
//!   (about 21,000 pages/s on the same machine).
//! - **Three tricks of the check and load stages**, removed: each saved under 5 % at N = 98
//!   (build_speed, the plain version against the trick alone, alternating, five runs each):
//!   the open-addressing key index of `load` 3.7 %, the check report's rows spliced into the
//!   page instead of rendered by the template 1.9 % (and 3 of 24 MiB peak memory), section ids
//!   and titles as `Cow<'static, str>` 0.4 %. The plain versions stand: an `IndexMap` key
//!   index, the rows rendered by `check.html`, `String`s.
//!
//! What pays without a trick: walks of a file's tree that extend one path buffer instead of
//! making strings per key, and a check that reads a text no more than its findings need; a
//! municipality's template view made once for all its pages (the pages for the names it
//! serves included), and what many of its pages show (JSON-LD, the finder's offers) made by
//! the first page that shows it; the writer naming each file from an open folder (`output`),
//! so that the kernel does not walk the whole path of each of tens of thousands of files; and
//! the old site looked through while the last, mostly single-threaded pages are made
//! (`build`). Together with smaller passes over prose, these took N = 98 from about 19,500 to
//! about 23,000 pages/s on the same machine in the same minutes.
//!
//! Speed and memory are shown by `cargo bench --bench build_speed` (`KVALITET_BENCH_N=98` for
//! the real country; the `build N=98 pages_per_s` and `peak_rss` lines) and the preview's
//! save-to-reload by `cargo bench --bench editor_view`.

use std::collections::HashSet;

use rayon::prelude::*;

use crate::check::{CheckOptions, MunicipalityCheck, Report, SiteCheck};
use crate::diagnostic::Diagnostic;
use crate::load::Content;
use crate::page::{InMemory, Page, PageSink};
use crate::render::{Theme, render_check_report, render_comparison, render_jobs_to};
use crate::site::{self, Job};

mod content;

pub(crate) use content::assemble;
pub use content::{BuildOptions, load, load_content};

/// The check report every reader gets: the site's and each municipality's check (in the order
/// of `content.municipalities`) assembled, with internal links resolved against the pages the
/// site will have.
pub fn findings(
    content: &Content,
    options: &CheckOptions,
    site: SiteCheck,
    municipalities: Vec<MunicipalityCheck>,
) -> Report {
    let mut report = Report::assemble(content, options, site, municipalities);
    resolve_links(content, &mut report);
    report
}

/// Resolves the report's internal links against the pages the site will have; part of
/// [`findings`].
pub(crate) fn resolve_links(content: &Content, report: &mut Report) {
    // Most standards link only to other sites: then no page list is needed, and a national
    // site's is tens of thousands of paths.
    if report.internal_links.is_empty() {
        return;
    }
    let pages: HashSet<String> = site::jobs(content)
        .par_iter()
        .map(|job| job.path(content))
        .collect();
    report.resolve_internal_links(|municipality, target| link_exists(&pages, municipality, target));
}

/// Whether an internal link in prose leads to a page. A path starting with `/` counts from the
/// site root; any other path from the municipality's front page, which is where editors think
/// of their pages as living. A bare `#anchor` depends on the page the prose lands on, so it
/// is not judged.
fn link_exists(pages: &HashSet<String>, municipality: Option<&str>, target: &str) -> bool {
    let path = target.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return true;
    }
    let from_root = match (path.strip_prefix('/'), municipality) {
        (Some(rooted), _) => rooted.to_string(),
        (None, Some(slug)) => format!("{slug}/{path}"),
        (None, None) => path.to_string(),
    };
    let trimmed = from_root.trim_end_matches('/');
    pages.contains(&format!("{trimmed}/index.html"))
        || pages.contains(trimmed)
        || (trimmed.is_empty() && pages.contains("index.html"))
}

/// What [`render_and_report`] made.
pub(crate) struct Rendered<K, T> {
    /// What the sink kept of each page, in the order of the jobs.
    pub pages: Vec<K>,
    /// The check report page, last: it is the one page no job list leaves out.
    pub check_page: Page,
    /// The comparison of the municipalities (`sammenlign/`), made from the same findings;
    /// `None` when the theme has no `compare.html`.
    pub compare_page: Option<Page>,
    pub report: Report,
    /// What the check stage handed back beside the report (the preview keeps the parts).
    pub checked: T,
}

/// The last stages for any job list: the pages of `jobs` rendered into `sink` while `check`
/// makes the findings (with [`findings`]), and then the check report page from them. The
/// pages' errors come before the check page's.
pub(crate) fn render_and_report<S: PageSink, T: Send>(
    content: &Content,
    theme: &Theme,
    jobs: &[Job],
    sink: &S,
    check: impl FnOnce() -> (T, Report) + Send,
) -> Result<Rendered<S::Kept, T>, Vec<Diagnostic>> {
    let (pages, checked) = rayon::join(
        || render_jobs_to(content, theme, jobs, sink),
        || {
            let (checked, report) = check();
            let (page, compare) = rayon::join(
                || render_check_report(content, theme, &report.matrix()),
                || render_comparison(content, theme, &report),
            );
            (checked, report, page, compare)
        },
    );
    let pages = pages?;
    let (checked, report, check_page, compare_page) = checked;
    Ok(Rendered {
        pages,
        check_page: check_page.map_err(|d| vec![d])?,
        compare_page: compare_page.map_err(|d| vec![d])?,
        report,
        checked,
    })
}

/// The pages a run after a save of existing municipality files renders: their pages and the
/// site-wide ones. (A full build renders every job of [`crate::site::jobs`].)
#[derive(Debug, Clone, Copy)]
pub(crate) struct JobList<'a> {
    /// Indices into `content.municipalities`.
    pub municipalities: &'a [usize],
    /// The theme may read the list of municipalities on any page
    /// ([`Theme::lists_municipalities_on_every_page`]), so every page is rendered.
    pub list_on_every_page: bool,
}

impl JobList<'_> {
    /// Whether `job`'s page is rendered in this run.
    pub(crate) fn includes(&self, job: &Job) -> bool {
        self.list_on_every_page
            || job
                .municipality()
                .is_none_or(|m| self.municipalities.contains(&m))
    }

    /// The jobs of `all` (the site's, in the order of [`crate::site::jobs`]) this run renders,
    /// in the same order.
    pub(crate) fn select(&self, all: &[Job]) -> Vec<Job> {
        all.iter()
            .filter(|job| self.includes(job))
            .copied()
            .collect()
    }
}

/// A full build into memory ([`full_in_memory`]): what the preview serves and keeps.
pub(crate) struct InMemorySite<T> {
    pub content: Content,
    pub theme: Theme,
    pub check_options: CheckOptions,
    /// Every job of [`crate::site::jobs`]; `rendered.pages` holds its page at the same index.
    pub jobs: Vec<Job>,
    pub rendered: Rendered<Page, T>,
}

/// The full build's job list into memory: content and theme loaded, every page rendered
/// while `check` makes the findings (with [`findings`]) from the loaded content.
pub(crate) fn full_in_memory<T: Send>(
    options: &BuildOptions,
    check: impl FnOnce(&Content, &CheckOptions) -> (T, Report) + Send,
) -> Result<InMemorySite<T>, Vec<Diagnostic>> {
    let (content, theme) = load(options)?;
    let check_options = CheckOptions::for_site(&content.site);
    let jobs = site::jobs(&content);
    let rendered = render_and_report(&content, &theme, &jobs, &InMemory, || {
        check(&content, &check_options)
    })?;
    Ok(InMemorySite {
        content,
        theme,
        check_options,
        jobs,
        rendered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_links_resolve_from_the_root_or_the_municipality() {
        let pages: HashSet<String> = ["index.html", "odsherred/klage/index.html"]
            .into_iter()
            .map(String::from)
            .collect();
        assert!(link_exists(&pages, Some("odsherred"), "klage/"));
        assert!(link_exists(
            &pages,
            Some("holbaek"),
            "/odsherred/klage/#frist"
        ));
        assert!(link_exists(&pages, Some("odsherred"), "#frist"));
        assert!(link_exists(&pages, None, "/"));
        assert!(!link_exists(&pages, Some("odsherred"), "klager/"));
        assert!(!link_exists(&pages, Some("holbaek"), "klage/"));
    }
}
