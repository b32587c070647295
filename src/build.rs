//! The whole build, from content folder to written site, as calls that `build` and `serve`
//! share.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{
    CheckOptions, MunicipalityCheck, PreparedCheck, Report, SiteCheck, check_parts,
};
use crate::diagnostic::Diagnostic;
use crate::glossary::Linker;
use crate::load::approved::load_for_site;
use crate::load::{
    Content, LoadedMunicipality, SourceFile, link_municipality, load_site, municipality_files,
};
use crate::model::Site;
use crate::output::{SiteWriter, WriteStats};
use crate::page::{Page, PageSink};
use crate::pipeline::{assemble, findings, full_in_memory, load, render_and_report};
use crate::render::{PageRenderer, Theme, all_written};
use crate::site::{self, Job};

/// The options of every build, defined with the pipeline that the folder build, the preview
/// and its rebuilds share.
pub use crate::pipeline::BuildOptions;

/// Where themes are when no folder is named: `themes/` here, or beside the content folder, so
/// that `kvalitet build --content ../site/content` works from anywhere.
pub fn default_themes_dir(content: &Path) -> PathBuf {
    let here = PathBuf::from("themes");
    if here.is_dir() {
        return here;
    }
    match content.parent() {
        Some(parent) if parent.join("themes").is_dir() => parent.join("themes"),
        _ => here,
    }
}

/// A rendered site in memory, not yet written.
pub struct RenderedSite {
    pub content: Content,
    pub pages: Vec<Page>,
    pub statics: crate::embedded::Statics,
}

/// Runs `kvalitet check` on loaded content, with internal links resolved against the pages
/// the site will have.
pub fn check_content(content: &Content) -> Report {
    check_content_with(content, &CheckOptions::for_site(&content.site))
}

/// [`check_content`] with options of the caller's own (`kvalitet check --date`). Every reader
/// of the findings (`kvalitet check`, the build's summary, `/tjek/`, the preview) gets them from
/// [`findings`], so each reports the same links.
pub fn check_content_with(content: &Content, options: &CheckOptions) -> Report {
    let (site_check, checks) = check_parts(content, options);
    findings(content, options, site_check, checks)
}

/// Loads content and theme and renders every page, including the check report. Nothing is
/// written: the preview server serves these from memory.
pub fn render(options: &BuildOptions) -> Result<RenderedSite, Vec<Diagnostic>> {
    let built = full_in_memory(options, |content, check_options| {
        ((), check_content_with(content, check_options))
    })?;
    let mut pages = built.rendered.pages;
    pages.push(built.rendered.check_page);
    pages.extend(built.rendered.compare_page);
    Ok(RenderedSite {
        content: built.content,
        pages,
        statics: built.theme.statics(),
    })
}

#[derive(Debug)]
pub struct BuildReport {
    pub stats: WriteStats,
    pub municipalities: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// One line from `kvalitet check`, so every build reminds the editor of open findings.
    pub check_summary: String,
    /// How long each stage took, in the order they ran.
    pub stages: Vec<StageTiming>,
    /// The check's findings by severity, for a summary in other words.
    pub check_counts: crate::check::Counts,
    /// The municipalities whose working file has changes not approved yet, by short name and
    /// file name ("Holbæk (holbaek.toml)"), in file order. The published build shows their
    /// latest approved version.
    pub unapproved: Vec<String>,
    /// The build was a draft (see [`BuildOptions::draft`]).
    pub draft: bool,
    pub built: Built,
}

/// Renders and writes the site to `output`, replacing the previous build only on success.
///
/// Pages are written as they are rendered, so memory holds the content, not the whole site.
pub fn build(options: &BuildOptions, output: &Path) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let mut stages = Stages::new(started);
    // Making ready the folder to write into looks at every file of the published site (to
    // refuse one that is not ours) and needs no content, so it runs beside the first reading.
    let (ahead, writer) = rayon::join(|| look_ahead(options), || SiteWriter::begin(output, None));
    let mut writer = writer.map_err(|e| vec![Diagnostic::error(output, e.0)])?;
    // Without the look ahead, everything is read first.
    let read = match ahead {
        Some(ahead) => Read::Streamed(ahead),
        None => {
            let (content, theme) = load(options)?;
            Read::Whole(content, theme)
        }
    };
    let statics = match &read {
        Read::Streamed(ahead) => ahead.theme.statics(),
        Read::Whole(_, theme) => theme.statics(),
    };
    writer
        .copy_static(&statics)
        .map_err(|e| vec![Diagnostic::error(output, e.0)])?;
    // The folder the site replaces is looked through for files that are not ours once every
    // municipality's pages are written, beside the last stretch (the pages assembled from all
    // municipalities and the check report, made mostly on one thread); the swap waits for it.
    let looked = OnceLock::new();
    let last_stretch: Result<_, Vec<Diagnostic>> = rayon::scope(|scope| {
        let look = || scope.spawn(|_| drop(looked.set(writer.check_target())));
        let ready = match read {
            Read::Streamed(ahead) => {
                let ready = stream_municipalities(options, ahead, &writer, look)?;
                stages.done("municipalities");
                ready
            }
            Read::Whole(content, theme) => {
                look();
                stages.done("load");
                Ready {
                    check_options: CheckOptions::for_site(&content.site),
                    jobs: site::jobs(&content),
                    checked: None,
                    content,
                    theme,
                }
            }
        };
        let Ready {
            content,
            theme,
            check_options,
            checked,
            jobs,
        } = ready;
        // The check report needs every municipality's check, the pages left do not.
        let rendered = render_and_report(&content, &theme, &jobs, &writer, || {
            let (site_check, checks) =
                checked.unwrap_or_else(|| check_parts(&content, &check_options));
            ((), findings(&content, &check_options, site_check, checks))
        })?;
        Ok((content, rendered))
    });
    let (content, rendered) = last_stretch?;
    let target = looked
        .into_inner()
        .unwrap_or_else(|| writer.check_target())
        .map_err(|e| vec![Diagnostic::error(output, e.0)])?;
    let report = rendered.report;
    for page in std::iter::once(&rendered.check_page).chain(&rendered.compare_page) {
        writer
            .write_page(page)
            .map_err(|e| vec![Diagnostic::error(output, e.0)])?;
    }
    stages.done("site pages+check report");
    let stats = writer
        .finish_checked(target)
        .map_err(|e| vec![Diagnostic::error(output, e.0)])?;
    stages.done("swap");
    let unapproved = unapproved_changes(&content.municipalities);
    let draft = content.draft;
    let Content {
        municipalities,
        warnings,
        ..
    } = content;
    Ok(BuildReport {
        stats,
        municipalities: municipalities.len(),
        elapsed: started.elapsed(),
        warnings,
        check_summary: report.summary_line(),
        stages: stages.timings,
        check_counts: report.counts(),
        unapproved,
        draft,
        built: Built {
            municipalities,
            report: Some(report),
        },
    })
}

/// The municipalities whose working file differs from their latest approved copy, as
/// [`BuildReport::unapproved`] names them.
fn unapproved_changes(municipalities: &[LoadedMunicipality]) -> Vec<String> {
    municipalities
        .iter()
        .filter(|lm| lm.history.unapproved_changes)
        .map(|lm| {
            let working = lm.history.working_file.as_ref().unwrap_or(&lm.source.path);
            let file = working.file_name().unwrap_or_default().to_string_lossy();
            format!("{} ({file})", lm.data.short_name)
        })
        .collect()
}

/// What a build reads before the municipalities, when it lets each municipality's pages be
/// written as soon as that municipality is read (see [`stream_municipalities`]).
struct LookAhead {
    site: Site,
    site_source: SourceFile,
    theme: Theme,
    files: Vec<PathBuf>,
}

/// `site.toml`, the theme and the list of municipality files, if all three are readable and
/// the theme shows the list of municipalities on the site-wide pages only. Otherwise the build
/// reads everything first, which also reports the problems in the order editors know.
fn look_ahead(options: &BuildOptions) -> Option<LookAhead> {
    // A draft build reads every approved copy with its municipality, through `load`.
    if options.draft {
        return None;
    }
    let files = municipality_files(&options.content).ok()?;
    let (site, site_source) = load_site(&options.content).ok()?;
    let theme_name = options.theme.as_ref().unwrap_or(&site.theme);
    let theme = Theme::load(&options.themes, theme_name).ok()?;
    if theme.lists_municipalities_on_every_page() {
        return None;
    }
    Some(LookAhead {
        site,
        site_source,
        theme,
        files,
    })
}

/// How a build reads the content: each municipality as its pages are made (see
/// [`stream_municipalities`]), or all of it first.
enum Read {
    Streamed(LookAhead),
    Whole(Content, Theme),
}

/// What the last stretch of a build starts from: the content read, and the pages and checks
/// still to make.
struct Ready {
    content: Content,
    theme: Theme,
    check_options: CheckOptions,
    /// The site's and each municipality's check, if made while the municipalities streamed.
    checked: Option<(SiteCheck, Vec<MunicipalityCheck>)>,
    /// The pages not written yet, in the order of [`site::jobs`].
    jobs: Vec<Job>,
}

/// Reads, links, checks and renders each municipality in one go, and writes its pages.
///
/// A municipality's content is then still in the processor's cache when it is checked and
/// rendered. Reading every municipality first and rendering after, as the preview does, reads a
/// national site's content back from main memory: that made N = 980 cost about 15 % more per
/// page than N = 98.
fn stream_municipalities(
    options: &BuildOptions,
    ahead: LookAhead,
    writer: &SiteWriter,
    pages_written: impl FnOnce(),
) -> Result<Ready, Vec<Diagnostic>> {
    let LookAhead {
        site,
        site_source,
        theme,
        files,
    } = ahead;
    let linker = Linker::new(&site);
    let check_options = CheckOptions::for_site(&site);
    let checker = PreparedCheck::new(&site, &check_options);
    let renderer = PageRenderer::new(&site, &theme, None, options.draft);
    // With a few municipalities, each one's pages and check are spread over the threads too.
    let spread = files.len() >= 4 * rayon::current_num_threads();
    let results: Vec<_> = files
        .par_iter()
        .enumerate()
        .map(|(m, path)| {
            let mut lm = load_for_site(path, options.draft)?;
            link_municipality(&linker, &mut lm);
            let jobs: Vec<Job> = site::municipality_jobs(m, &lm.data)
                .into_iter()
                .chain(site::version_jobs(m, &lm))
                .collect();
            // Pages below the file's own folder are written now; a page for a served name is
            // kept until `assemble` has found that no other file gives the same address.
            let render = |in_parallel| {
                renderer.render_group(&jobs, Some(&lm), in_parallel, |job, page| match job {
                    Job::Served { .. } => Ok(Some(page)),
                    _ => writer.take(page).map(|()| None),
                })
            };
            let (rendered, check) = if spread {
                (render(false), checker.municipality(&lm))
            } else {
                rayon::join(|| render(true), || checker.municipality(&lm))
            };
            // Only the problems are kept of the pages written: a national site has tens of
            // thousands of pages.
            let mut served = Vec::new();
            let mut unwritten = Vec::new();
            for page in rendered {
                match page {
                    Ok(Some(page)) => served.push(page),
                    Ok(None) => {}
                    Err(problem) => unwritten.push(problem),
                }
            }
            // The open data is made while the text is there, and its entry in `data/alle.json`
            // (without the texts) kept (a stream build is never a draft: see `look_ahead`).
            let (file, data) = crate::data::file_and_entry(&lm);
            let data_page = Page {
                path: Job::Data { m }.path_in(Some(&lm)),
                html: file,
            };
            lm.release_text();
            unwritten.extend(writer.take(data_page).err());
            Ok((check, lm, unwritten, served, data))
        })
        .collect();
    pages_written();
    let mut loaded = Vec::with_capacity(results.len());
    let mut checks = Vec::with_capacity(results.len());
    let mut unwritten = Vec::new();
    let mut served_pages = Vec::new();
    let mut data = Vec::with_capacity(results.len());
    for result in results {
        loaded.push(result.map(|(check, lm, problems, served, json)| {
            checks.push(check);
            unwritten.extend(problems);
            served_pages.extend(served);
            data.push(json);
            lm
        }));
    }
    // A file that cannot be read fails the build before any page problem is told: the pages
    // of the others may have been written, but into the new site, which is then not used.
    let mut content = assemble(&options.content, Ok((site, site_source)), loaded)?;
    content.draft = options.draft;
    all_written(unwritten.into_iter().map(Err))?;
    all_written(served_pages.into_iter().map(|page| writer.take(page)))?;
    let all_data = Page {
        path: Job::AllData.path(&content),
        html: crate::data::all_json(&data),
    };
    all_written([writer.take(all_data)])?;
    let site_check = checker.site(&content);
    Ok(Ready {
        checked: Some((site_check, checks)),
        check_options,
        jobs: site::site_wide_jobs(&content.site, content.draft),
        content,
        theme,
    })
}

/// The content and findings a build worked from, handed back so that the caller decides when
/// they are freed (when the municipalities were streamed, their text is freed already). Freeing
/// a national site's content is hundreds of thousands of small frees (about 130 ms at N = 980
/// when all of it is held); dropping this spreads them over the threads, and a command that
/// exits right after the build can `forget` it and leave the memory to the operating system,
/// which takes a whole process's memory back at once.
pub struct Built {
    municipalities: Vec<LoadedMunicipality>,
    report: Option<Report>,
}

impl Drop for Built {
    fn drop(&mut self) {
        let municipalities = std::mem::take(&mut self.municipalities);
        let report = self.report.take();
        rayon::join(
            || municipalities.into_par_iter().for_each(drop),
            || drop(report),
        );
    }
}

impl std::fmt::Debug for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Built({} municipalities)", self.municipalities.len())
    }
}

/// Wall and CPU time of one stage of a build, and the most memory the process held by its
/// end: for developers finding where a build's time goes (`KVALITET_TIMINGS=1 kvalitet build`
/// prints them). CPU time above the wall time says how well the stage kept the cores busy.
#[derive(Debug, Clone, PartialEq)]
pub struct StageTiming {
    pub stage: &'static str,
    pub wall: Duration,
    pub cpu: Duration,
    pub peak_mib: f64,
}

/// The stages of one build, timed as each ends.
struct Stages {
    last: Instant,
    last_cpu: Duration,
    timings: Vec<StageTiming>,
}

impl Stages {
    fn new(started: Instant) -> Self {
        Stages {
            last: started,
            last_cpu: process_cpu_time(),
            timings: Vec::new(),
        }
    }

    fn done(&mut self, stage: &'static str) {
        let (now, cpu) = (Instant::now(), process_cpu_time());
        self.timings.push(StageTiming {
            stage,
            wall: now - self.last,
            cpu: cpu.saturating_sub(self.last_cpu),
            peak_mib: peak_resident_mib(),
        });
        (self.last, self.last_cpu) = (now, cpu);
    }
}

/// The most memory the process has held so far, as the kernel counts it.
fn peak_resident_mib() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes the struct it is given.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return 0.0;
    }
    // SAFETY: getrusage succeeded, so it filled the struct; on Linux ru_maxrss is in KiB.
    unsafe { usage.assume_init() }.ru_maxrss as f64 / 1024.0
}

/// User and system time of the whole process (all threads) so far. On a shared machine it
/// moves less than wall time when other jobs compete for the cores.
pub fn process_cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return Duration::ZERO;
        }
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}
