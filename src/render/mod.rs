//! Pages from content and a theme: templates compiled once, every page rendered in parallel.
//!
//! [`Theme`] compiles a theme's templates; [`view`] shapes a municipality for templates;
//! [`fragments`] renders the pieces a municipality's pages share; [`pages`] renders each kind
//! of page; [`check_page`] is the check report page.

use rayon::prelude::*;
use tera::Value;

use crate::diagnostic::Diagnostic;
use crate::load::{Content, LoadedMunicipality};
use crate::model::Site;
use crate::page::{InMemory, Page, PageSink};
use crate::site::{self, Job, SECTIONS};
use crate::url::BaseUrl;

mod changes_page;
mod check_page;
mod compare_page;
mod finder_page;
mod fragments;
mod pages;
mod theme;
mod view;
mod web;

pub(crate) use check_page::render_check_report;
pub(crate) use compare_page::render_comparison;
pub use theme::Theme;

use fragments::MunicipalityParts;
use pages::Shared;
use view::{RootEntry, served_of};

/// The context every site-level page one folder below the root starts from (`tjek/`,
/// `sammenlign/`): the site, the draft flag, the canonical address when there is a `base_url`,
/// the page's description and the Open Graph title placeholder.
fn site_page_context(content: &Content, path: &str, description: &str) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("root", "../");
    ctx.insert("path", path);
    ctx.insert("site", &content.site);
    ctx.insert("draft", &content.draft);
    ctx.insert("noindex", &false);
    let base = content.site.base_url.as_deref().and_then(BaseUrl::parse);
    ctx.insert("canonical", &base.map(|b| b.absolute(path)));
    ctx.insert("description", description);
    ctx.insert("og_title", theme::OG_TITLE_TOKEN);
    ctx
}

/// Renders every page of the site. Errors from all pages are reported together.
pub fn render_site(content: &Content, theme: &Theme) -> Result<Vec<Page>, Vec<Diagnostic>> {
    render_jobs(content, theme, &site::jobs(content))
}

/// Renders some of the site's pages, `jobs` being taken from [`site::jobs`] in its order,
/// e.g. one municipality's and the site-wide ones. Pages come back in the order of `jobs`.
pub(crate) fn render_jobs(
    content: &Content,
    theme: &Theme,
    jobs: &[Job],
) -> Result<Vec<Page>, Vec<Diagnostic>> {
    render_jobs_to(content, theme, jobs, &InMemory)
}

/// Renders every page and hands it to `sink` at once (the folder writer, which writes it), so
/// that only the pages being rendered are in memory, not the whole site: a national build then
/// needs memory for its content, not for its output. The writer swaps the site into place
/// when the caller finishes it; on errors nothing is replaced.
pub fn render_site_into<S: PageSink>(
    content: &Content,
    theme: &Theme,
    sink: &S,
) -> Result<(), Vec<Diagnostic>> {
    render_jobs_into(content, theme, &site::jobs(content), sink)
}

/// [`render_site_into`] for some of the site's pages, `jobs` being in the order of
/// [`site::jobs`].
pub(crate) fn render_jobs_into<S: PageSink>(
    content: &Content,
    theme: &Theme,
    jobs: &[Job],
    sink: &S,
) -> Result<(), Vec<Diagnostic>> {
    render_jobs_to(content, theme, jobs, sink).map(drop)
}

/// The render stage of the pipeline: renders `jobs` (in the order of [`site::jobs`]) and hands
/// each page to `sink`; what the sink keeps comes back in the order of `jobs`. Errors from all
/// pages are reported together, each different problem once.
pub(crate) fn render_jobs_to<S: PageSink>(
    content: &Content,
    theme: &Theme,
    jobs: &[Job],
    sink: &S,
) -> Result<Vec<S::Kept>, Vec<Diagnostic>> {
    let results = render_each(content, theme, jobs, |page| sink.take(page));
    let mut kept = Vec::with_capacity(results.iter().map(Vec::len).sum());
    let mut errors = Vec::new();
    for r in results.into_iter().flatten() {
        match r {
            Ok(k) => kept.push(k),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(kept)
    } else {
        errors.dedup_by(|a, b| a.message == b.message);
        Err(errors)
    }
}

/// Whether every page was rendered and written; if not, each different problem once.
pub(crate) fn all_written(
    results: impl IntoIterator<Item = Result<(), Diagnostic>>,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors: Vec<Diagnostic> = results.into_iter().filter_map(Result::err).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        errors.dedup_by(|a, b| a.message == b.message);
        Err(errors)
    }
}

/// Renders the pages of `jobs` and hands each to `each`, in parallel; results grouped as the
/// jobs are.
///
/// Pages are rendered a municipality at a time: its template view is built once, shared by
/// its pages, and dropped when they are done, so memory does not grow with views of every
/// municipality at once.
fn render_each<T: Send>(
    content: &Content,
    theme: &Theme,
    jobs: &[Job],
    each: impl Fn(Page) -> Result<T, Diagnostic> + Sync,
) -> Vec<Vec<Result<T, Diagnostic>>> {
    let renderer = PageRenderer::new(
        &content.site,
        theme,
        Some(&content.municipalities),
        content.draft,
    );
    let groups: Vec<&[Job]> = jobs
        .chunk_by(|a, b| a.municipality() == b.municipality())
        .collect();
    let spread_municipalities = groups.len() >= 4 * rayon::current_num_threads();
    groups
        .par_iter()
        .map(|group| {
            let lm = group
                .first()
                .and_then(Job::municipality)
                .map(|m| &content.municipalities[m]);
            renderer.render_group(group, lm, !spread_municipalities, |_, page| each(page))
        })
        .collect()
}

/// Renders pages with what all pages of a site share made once: a build renders each
/// municipality's pages as soon as it is loaded, through one of these, when the theme lets it.
pub(crate) struct PageRenderer<'a> {
    shared: Shared<'a>,
}

impl<'a> PageRenderer<'a> {
    /// `municipalities` is the list the site's front page shows. It may be `None` for a renderer
    /// of municipality pages only, when the theme reads the list on no other page. `draft` marks
    /// every page as a draft (see [`crate::pipeline::BuildOptions::draft`]).
    pub(crate) fn new(
        site: &'a Site,
        theme: &'a Theme,
        municipalities: Option<&'a [LoadedMunicipality]>,
        draft: bool,
    ) -> Self {
        let all = municipalities;
        let municipalities = municipalities.map_or_else(Value::none, |list| {
            Value::from_serializable(
                &list
                    .iter()
                    .map(|lm| RootEntry {
                        slug: &lm.slug,
                        name: &lm.data.short_name,
                        full_name: &lm.data.name,
                        organisation: lm.data.organisation.as_deref(),
                        serves: served_of(&lm.data),
                    })
                    .collect::<Vec<_>>(),
            )
        });
        PageRenderer {
            shared: Shared {
                sections: SECTIONS.iter().map(Value::from_serializable).collect(),
                theme,
                site: Value::from_serializable(site),
                municipalities,
                draft,
                site_model: site,
                all,
                base: site.base_url.as_deref().and_then(BaseUrl::parse),
            },
        }
    }

    /// Renders `jobs`, all of them site-wide (`lm` is `None`) or all of municipality `lm`, and
    /// hands each page with its job to `each`. With `in_parallel` the pages are spread over the threads;
    /// without, one thread renders them all, which is best when other threads are busy with
    /// other municipalities: their pages are written into the same folder, and threads creating
    /// files side by side in one folder queue on the kernel's lock for it.
    pub(crate) fn render_group<T: Send>(
        &self,
        jobs: &[Job],
        lm: Option<&LoadedMunicipality>,
        in_parallel: bool,
        each: impl Fn(Job, Page) -> Result<T, Diagnostic> + Sync,
    ) -> Vec<Result<T, Diagnostic>> {
        let parts = lm.map(|lm| MunicipalityParts::new(lm, self.shared.draft));
        let render = |job: &Job| {
            self.shared
                .render_job(*job, parts.as_ref())
                .and_then(|page| each(*job, page))
        };
        if in_parallel {
            jobs.par_iter().map(render).collect()
        } else {
            jobs.iter().map(render).collect()
        }
    }
}
