//! Pages from content and a theme: templates compiled once, every page rendered in parallel.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostic::Diagnostic;
use crate::glossary::ROOT_TOKEN;
use crate::load::{Content, LoadedMunicipality};
use crate::model::{Municipality, Site, Unit};
use crate::output::SiteWriter;
use crate::site::{self, Job, SECTIONS, SectionDef};
use crate::validate::is_theme_name;

mod check_page;

pub use check_page::{LixRow, Matrix, MatrixColumn, RuleCell, RuleRow};

/// Templates that only site-wide jobs render (see [`site::site_wide_jobs`]); the check report
/// page does not get the list of municipalities at all.
const SITE_WIDE_TEMPLATES: &[&str] = &[
    "root.html",
    "glossary.html",
    "was.html",
    "check.html",
    CHECK_RULE_ROW,
    CHECK_LIX_ROW,
];

/// One row of the check report's table of rules, and of its table of LIX per section.
const CHECK_RULE_ROW: &str = "partials/check-rule-row.html";
const CHECK_LIX_ROW: &str = "partials/check-lix-row.html";

/// A theme's compiled templates and the folder of its static files.
pub struct Theme {
    pub name: String,
    pub dir: PathBuf,
    tera: Tera,
}

impl Theme {
    /// Whether any template but the site-wide ones could read the list of municipalities: it
    /// names `municipalities`, dumps the whole context (`__tera_context`), or names a site-wide
    /// template (to include or extend it). Judged from the template files' text, so it errs
    /// towards yes: the preview then renders every page after a save, and a build reads every
    /// municipality before it renders one.
    pub fn lists_municipalities_on_every_page(&self) -> bool {
        // The same walk the theme was loaded with, so every template it uses is looked at.
        let (files, _) = collect_templates(&self.dir);
        files.iter().any(|(name, path)| {
            if SITE_WIDE_TEMPLATES.contains(&name.as_str()) {
                return false;
            }
            // Unreadable: the theme loaded, so assume the worst rather than fail.
            let Some(text) = crate::confine::read(&self.dir, path)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            else {
                return true;
            };
            text.contains("municipalities")
                || text.contains("__tera_context")
                || SITE_WIDE_TEMPLATES.iter().any(|t| text.contains(t))
        })
    }

    pub fn static_dir(&self) -> PathBuf {
        self.dir.join("static")
    }

    fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// Compiles every template under `<themes>/<name>/templates`. `name` is a name, never a
    /// path; a template that is a link out of the theme's folder is refused (see
    /// [`crate::confine`]). Static files are not read here: their copy and the preview never
    /// follow links.
    pub fn load(themes: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = themes.join(name);
        let templates = dir.join("templates");
        if !is_theme_name(name) || !templates.is_dir() {
            return Err(vec![unknown_theme(themes, name)]);
        }
        let mut errors = Vec::new();
        if let Err(refused) = crate::confine::resolve(themes, &dir) {
            errors.push(refused.diagnostic(&dir, "Temaets mappe"));
            return Err(errors);
        }
        let (mut files, refused) = collect_templates(&dir);
        errors.extend(refused);
        files.sort();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        register_filters(&mut tera);
        let mut sources = Vec::new();
        for (name, path) in &files {
            match crate::confine::read(&dir, path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => sources.push((name.clone(), text)),
                    Err(_) => errors.push(
                        Diagnostic::error(path, "Skabelonen er ikke gemt som UTF-8")
                            .hint("Gem filen med tegnsættet UTF-8 i din editor"),
                    ),
                },
                Err(refused) => errors.push(refused.diagnostic(path, "Skabelonen")),
            }
        }
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            errors.push(template_error(&templates, &e));
        }
        if errors.is_empty() {
            Ok(Theme {
                name: name.to_string(),
                dir,
                tera,
            })
        } else {
            Err(errors)
        }
    }

    /// Renders into the calling thread's reusable buffer, then copies out an exactly sized
    /// string: no buffer growth per page, and no spare capacity kept alive with every page.
    fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.render_with(template, context, |html| html.to_owned())
    }

    /// [`Theme::render`] for a whole page: every [`ROOT_TOKEN`] becomes `root` in the same
    /// copy out of the buffer.
    fn render_page(
        &self,
        template: &str,
        context: &Context,
        root: &str,
    ) -> Result<String, Diagnostic> {
        self.render_with(template, context, |html| replace_root_token(html, root))
    }

    fn render_with(
        &self,
        template: &str,
        context: &Context,
        copy_out: impl FnOnce(&str) -> String,
    ) -> Result<String, Diagnostic> {
        let error = |e: &tera::Error| template_error(&self.dir.join("templates").join(template), e);
        RENDER_BUFFER.with(|cell| {
            // A nested render (a section body inside a page) would find the buffer taken.
            let mut fresh = Vec::new();
            let mut guard = cell.try_borrow_mut();
            let buffer = match guard.as_deref_mut() {
                Ok(buffer) => buffer,
                Err(_) => &mut fresh,
            };
            buffer.clear();
            self.tera
                .render_to(template, context, &mut *buffer)
                .map_err(|e| error(&e))?;
            // Every byte of every page is checked; the SIMD check takes a tenth of the time of
            // the standard library's on Danish text. Only a failure needs the detailed error.
            let html = simdutf8::basic::from_utf8(buffer).map_err(|_| {
                let detail = std::str::from_utf8(buffer)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                Diagnostic::error(
                    &self.dir.join("templates").join(template),
                    format!("Skabelonen gav ugyldig UTF-8: {detail}"),
                )
            })?;
            Ok(copy_out(html))
        })
    }
}

thread_local! {
    /// One output buffer per rendering thread, reused for every page it renders.
    static RENDER_BUFFER: std::cell::RefCell<Vec<u8>> =
        std::cell::RefCell::new(Vec::with_capacity(256 * 1024));
}

/// Filters the default theme needs, other themes may use them too.
fn register_filters(tera: &mut Tera) {
    // Anchors and folder names from Danish words: "Frit valg" -> "frit-valg".
    tera.register_filter("slugify", |val: &str, _: Kwargs, _: &State| {
        crate::scaffold::slug_for(val)
    });
    // Percentages as Danes write them: 35, 12,5.
    tera.register_filter("pct", |val: Value, _: Kwargs, _: &State| {
        let n = val.as_f64().unwrap_or(0.0);
        if n.fract() == 0.0 {
            format!("{n:.0}")
        } else {
            format!("{n}").replace('.', ",")
        }
    });
}

/// Every `.html` file below the theme folder's `templates/`, named by its path from there with
/// `/`, with the path to read it from; and the links that lead out of the theme folder, refused.
pub(crate) fn collect_templates(theme: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let (mut files, refused) = crate::confine::files_under(theme, &theme.join("templates"));
    files.retain(|(name, _)| name.ends_with(".html"));
    (files, refused)
}

/// The themes in `themes`: folders with a plain name and a `templates` folder.
fn known_themes(themes: &Path) -> Vec<String> {
    let mut known: Vec<String> = std::fs::read_dir(themes)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| is_theme_name(n) && themes.join(n).join("templates").is_dir())
                .collect()
        })
        .unwrap_or_default();
    known.sort();
    known
}

fn unknown_theme(themes: &Path, name: &str) -> Diagnostic {
    let known = known_themes(themes);
    let message = if is_theme_name(name) {
        format!("Temaet «{name}» findes ikke")
    } else {
        format!(
            "«{name}» kan ikke bruges som navn på et tema: kun bogstaver, tal, - og _ er tilladt"
        )
    };
    let file = if is_theme_name(name) {
        themes.join(name).join("templates")
    } else {
        themes.to_path_buf()
    };
    Diagnostic::error(&file, message)
        .expected(if known.is_empty() {
            format!("en mappe {}/<tema>/templates", themes.display())
        } else {
            format!("et af: {}", known.join(", "))
        })
        .hint("Vælg tema med --theme, eller ret theme i content/site.toml")
}

/// Template mistakes are the theme author's, so the whole chain of causes is shown.
fn template_error(path: &Path, e: &tera::Error) -> Diagnostic {
    if let tera::ErrorKind::TemplateNotFound(name) = e.kind() {
        // Most likely a theme copied from an older default theme.
        return Diagnostic::error(path, format!("Temaet mangler skabelonen «{name}»")).hint(
            format!("Kopiér templates/{name} fra themes/default til temaet"),
        );
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(&format!("\n  {cause}"));
        source = cause.source();
    }
    Diagnostic::error(path, format!("Skabelonen kunne ikke bruges: {text}"))
        .hint("Ret skabelonen i temaet. Tera-fejlen ovenfor siger, hvor det gik galt")
}

/// A finished page: where it goes and what it says.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub html: String,
}

/// A link in the navigation or the reading guide.
#[derive(Debug, Serialize)]
struct NavItem {
    id: &'static str,
    heading: &'static str,
    guide: &'static str,
    url: String,
    rules: &'static [&'static str],
}

/// What templates see of a municipality: its content plus what the generator works out.
#[derive(Serialize)]
struct MunicipalityView<'a> {
    slug: &'a str,
    #[serde(flatten)]
    data: &'a Municipality,
    /// The sections that exist, in reading order (URLs relative to the site root).
    sections: Vec<NavItem>,
    /// The unit to show in the contact block on every page.
    main_unit: Option<&'a Unit>,
    /// The served municipalities, with their page addresses.
    served: Vec<Served<'a>>,
    relatives_offers: Vec<usize>,
    has_anonymous_offer: bool,
}

#[derive(Serialize)]
struct Served<'a> {
    name: &'a str,
    slug: String,
}

/// The municipalities `m` serves, with their page addresses.
fn served_of(m: &Municipality) -> Vec<Served<'_>> {
    m.serves
        .iter()
        .map(|name| Served {
            name,
            slug: site::served_slug(name),
        })
        .collect()
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
}

fn municipality_view(lm: &LoadedMunicipality) -> Value {
    let m = &lm.data;
    let sections = site::sections_of(m)
        .into_iter()
        .map(|s| nav_item(&lm.slug, s))
        .collect();
    let main_unit = m
        .units
        .iter()
        .find(|u| u.phone.is_some())
        .or(m.units.first());
    let view = MunicipalityView {
        slug: &lm.slug,
        data: m,
        sections,
        main_unit,
        served: served_of(m),
        relatives_offers: m
            .offers
            .iter()
            .enumerate()
            .filter(|(_, o)| site::is_for_relatives(o))
            .map(|(i, _)| i)
            .collect(),
        has_anonymous_offer: m.offers.iter().any(|o| o.anonymous),
    };
    Value::from_serializable(&view)
}

fn nav_item(slug: &str, s: &'static SectionDef) -> NavItem {
    NavItem {
        id: s.id,
        heading: s.heading,
        guide: s.guide,
        url: format!("{slug}/{}/", s.slug),
        rules: s.rules,
    }
}

/// Renders every page of the site. Errors from all pages are reported together.
pub fn render_site(content: &Content, theme: &Theme) -> Result<Vec<Page>, Vec<Diagnostic>> {
    render_jobs(content, theme, &site::jobs(content))
}

/// Renders some of the site's pages, `jobs` being taken from [`site::jobs`] in its order,
/// e.g. one municipality's and the site-wide ones. Pages come back in the order of `jobs`.
pub fn render_jobs(
    content: &Content,
    theme: &Theme,
    jobs: &[Job],
) -> Result<Vec<Page>, Vec<Diagnostic>> {
    let results = render_each(content, theme, jobs, Ok);
    let mut pages = Vec::with_capacity(results.iter().map(Vec::len).sum());
    let mut errors = Vec::new();
    for r in results.into_iter().flatten() {
        match r {
            Ok(p) => pages.push(p),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        errors.dedup_by(|a, b| a.message == b.message);
        Err(errors)
    }
}

/// Renders every page and writes it at once, so that only the pages being rendered are in
/// memory, not the whole site: a national build then needs memory for its content, not for
/// its output. `writer` swaps the site into place when the caller finishes it; on errors
/// nothing is replaced.
pub fn render_site_into(
    content: &Content,
    theme: &Theme,
    writer: &SiteWriter,
) -> Result<(), Vec<Diagnostic>> {
    render_jobs_into(content, theme, &site::jobs(content), writer)
}

/// [`render_site_into`] for some of the site's pages, `jobs` being in the order of
/// [`site::jobs`].
pub fn render_jobs_into(
    content: &Content,
    theme: &Theme,
    jobs: &[Job],
    writer: &SiteWriter,
) -> Result<(), Vec<Diagnostic>> {
    let results = render_each(content, theme, jobs, write_into(writer));
    all_written(results.into_iter().flatten())
}

/// Writes each page it is given with `writer`, for [`PageRenderer::render_group`].
pub fn write_into(writer: &SiteWriter) -> impl Fn(Page) -> Result<(), Diagnostic> + Sync + '_ {
    |page| {
        writer
            .write_page(&page)
            .map_err(|e| Diagnostic::error(Path::new(&page.path), e.0))
    }
}

/// Whether every page was rendered and written; if not, each different problem once.
pub fn all_written(
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
    let renderer = PageRenderer::new(&content.site, theme, Some(&content.municipalities));
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
            renderer.render_group(group, lm, !spread_municipalities, &each)
        })
        .collect()
}

/// Renders pages with what all pages of a site share made once: a build renders each
/// municipality's pages as soon as it is loaded, through one of these, when the theme lets it.
pub struct PageRenderer<'a> {
    shared: Shared<'a>,
}

impl<'a> PageRenderer<'a> {
    /// `municipalities` is the list the site's front page shows. It may be `None` for a renderer
    /// of municipality pages only, when the theme reads the list on no other page.
    pub fn new(
        site: &Site,
        theme: &'a Theme,
        municipalities: Option<&[LoadedMunicipality]>,
    ) -> Self {
        let municipalities = municipalities.map_or_else(Value::none, |list| {
            Value::from_serializable(
                &list
                    .iter()
                    .map(|lm| RootEntry {
                        slug: &lm.slug,
                        name: &lm.data.short_name,
                        full_name: &lm.data.name,
                        organisation: &lm.data.organisation,
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
            },
        }
    }

    /// Renders `jobs`, all of them site-wide (`lm` is `None`) or all of municipality `lm`, and
    /// hands each page to `each`. With `in_parallel` the pages are spread over the threads;
    /// without, one thread renders them all, which is best when other threads are busy with
    /// other municipalities: their pages are written into the same folder, and threads creating
    /// files side by side in one folder queue on the kernel's lock for it.
    pub fn render_group<T: Send>(
        &self,
        jobs: &[Job],
        lm: Option<&LoadedMunicipality>,
        in_parallel: bool,
        each: impl Fn(Page) -> Result<T, Diagnostic> + Sync,
    ) -> Vec<Result<T, Diagnostic>> {
        let parts = lm.map(MunicipalityParts::new);
        let render = |job: &Job| self.shared.render_job(*job, parts.as_ref()).and_then(&each);
        if in_parallel {
            jobs.par_iter().map(render).collect()
        } else {
            jobs.iter().map(render).collect()
        }
    }
}

/// What all pages of one municipality share. The fragments are rendered by whichever page
/// needs them first: Tera spends about as long on one `{{ value }}` as on copying a kilobyte,
/// so a fragment that is the same on 38 pages is rendered once, not 38 times.
struct MunicipalityParts<'m> {
    lm: &'m LoadedMunicipality,
    /// The municipality's template view.
    view: Value,
    /// Its sections as `m.sections` has them, with their ids, for the other topics on a
    /// topic's page.
    nav: Vec<(&'static str, Value)>,
    /// `sections/<id>.html` at `h` 3, in the order of [`SECTIONS`].
    bodies: Vec<Fragment>,
    /// `partials/contact-block.html`, on every page.
    contact_block: Fragment,
    /// `partials/unit.html` for each unit, at `h` 3, on the offers' pages.
    units: Vec<Fragment>,
    /// The breadcrumbs above a page: on the front page, on a page below it, on an offer's page.
    crumbs_front: Value,
    crumbs: Value,
    crumbs_offer: Value,
}

type Fragment = OnceLock<Result<Value, Diagnostic>>;

impl<'m> MunicipalityParts<'m> {
    fn new(lm: &'m LoadedMunicipality) -> Self {
        let crumb = |title: &str, url: String| Crumb {
            title: title.to_string(),
            url,
        };
        let mut crumbs = vec![
            crumb("Forside", String::new()),
            crumb(&lm.data.short_name, format!("{}/", lm.slug)),
        ];
        let (crumbs_front, crumbs_below) = (
            Value::from_serializable(&crumbs[..1]),
            Value::from_serializable(&crumbs),
        );
        crumbs.push(crumb("Tilbud", format!("{}/tilbud/", lm.slug)));
        MunicipalityParts {
            lm,
            crumbs_front,
            crumbs: crumbs_below,
            crumbs_offer: Value::from_serializable(&crumbs),
            view: municipality_view(lm),
            nav: site::sections_of(&lm.data)
                .into_iter()
                .map(|s| (s.id, Value::from_serializable(&nav_item(&lm.slug, s))))
                .collect(),
            bodies: SECTIONS.iter().map(|_| OnceLock::new()).collect(),
            contact_block: OnceLock::new(),
            units: lm.data.units.iter().map(|_| OnceLock::new()).collect(),
        }
    }
}

#[derive(Serialize)]
struct RootEntry<'a> {
    slug: &'a str,
    name: &'a str,
    full_name: &'a str,
    organisation: &'a str,
    serves: Vec<Served<'a>>,
}

struct Shared<'a> {
    /// Each of [`SECTIONS`] as a template value, made once for all pages.
    sections: Vec<Value>,
    theme: &'a Theme,
    site: Value,
    municipalities: Value,
}

impl Shared<'_> {
    fn base_context(&self, path: &str) -> Context {
        let mut ctx = Context::new();
        // Relative links keep the site working from any folder on any server, and from disk.
        let depth = path.matches('/').count();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("path", path);
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("municipalities", self.municipalities.clone());
        ctx
    }

    /// Cloning a tera `Value` only counts a reference.
    fn municipality_context(&self, path: &str, parts: &MunicipalityParts) -> Context {
        let mut ctx = self.base_context(path);
        ctx.insert_value("m", parts.view.clone());
        ctx
    }

    /// The context of a page's own template: the municipality and the fragments every page of
    /// it shows.
    fn page_context(&self, path: &str, parts: &MunicipalityParts) -> Result<Context, Diagnostic> {
        let mut ctx = self.municipality_context(path, parts);
        let contact_block = self.optional_fragment(
            &parts.contact_block,
            parts,
            "partials/contact-block.html",
            |_| {},
        )?;
        ctx.insert_value("contact_block", contact_block);
        Ok(ctx)
    }

    /// A fragment of a municipality's pages, rendered the first time a page asks for it, with
    /// `root` standing for each page's own path to the site root (see [`replace_root_token`]).
    fn fragment(
        &self,
        cell: &Fragment,
        parts: &MunicipalityParts,
        template: &str,
        add_to_context: impl FnOnce(&mut Context),
    ) -> Result<Value, Diagnostic> {
        cell.get_or_init(|| {
            let path = format!("{}/index.html", parts.lm.slug);
            let mut ctx = self.municipality_context(&path, parts);
            // Written as it is: escaping would replace its U+0001.
            ctx.insert_value("root", Value::safe_string(ROOT_TOKEN));
            add_to_context(&mut ctx);
            let html = self.theme.render(template, &ctx)?;
            Ok(Value::safe_string(&html))
        })
        .clone()
    }

    /// A [`Shared::fragment`] from a template a theme may leave out: empty if it does.
    fn optional_fragment(
        &self,
        cell: &Fragment,
        parts: &MunicipalityParts,
        template: &str,
        add_to_context: impl FnOnce(&mut Context),
    ) -> Result<Value, Diagnostic> {
        if !self.theme.has_template(template) {
            return Ok(Value::safe_string(""));
        }
        self.fragment(cell, parts, template, add_to_context)
    }

    /// A section's body as the whole-standard page shows it, with sub-headings at level 3.
    /// Rendered once per municipality and section: the topic's own page shows the same body
    /// with every heading one level up (see [`promote_headings`]).
    fn section_body(
        &self,
        parts: &MunicipalityParts,
        section: &SectionDef,
    ) -> Result<Value, Diagnostic> {
        let index = SECTIONS
            .iter()
            .position(|s| s.id == section.id)
            .unwrap_or(0);
        let template = format!("sections/{}.html", section.id);
        self.fragment(&parts.bodies[index], parts, &template, |ctx| {
            ctx.insert("h", &3u8)
        })
    }

    /// `parts` are those of the job's municipality (`None` for site-wide pages).
    fn render_job(&self, job: Job, parts: Option<&MunicipalityParts>) -> Result<Page, Diagnostic> {
        let path = job.path_in(parts.map(|p| p.lm));
        let parts_of = |m: usize| {
            parts.ok_or_else(|| {
                Diagnostic::error(
                    Path::new(&path),
                    format!("Siden hører til kommune nr. {m}, men blev lavet uden den"),
                )
            })
        };
        let (template, ctx) = match job {
            Job::Root => ("root.html", self.base_context(&path)),
            Job::Glossary => ("glossary.html", self.base_context(&path)),
            Job::Was => ("was.html", self.base_context(&path)),
            Job::Front { m } => {
                let parts = parts_of(m)?;
                let mut ctx = self.page_context(&path, parts)?;
                ctx.insert_value("crumbs", parts.crumbs_front.clone());
                ("front.html", ctx)
            }
            Job::ReadingGuide { m } => {
                let parts = parts_of(m)?;
                let mut ctx = self.page_context(&path, parts)?;
                ctx.insert_value("crumbs", parts.crumbs.clone());
                ("guide.html", ctx)
            }
            Job::Section { m, section } => {
                let parts = parts_of(m)?;
                let def = &SECTIONS[section];
                // Prose headings start at h3 (see markdown.rs), and so do the section's own;
                // on the topic's own page the topic is the h1, so they move up one level lest
                // the page skip from h1 to h3.
                let body = promote_headings(self.section_body(parts, def)?.as_str().unwrap_or(""));
                let others: Vec<Value> = parts
                    .nav
                    .iter()
                    .filter(|(id, _)| *id != def.id)
                    .map(|(_, item)| item.clone())
                    .collect();
                let mut ctx = self.page_context(&path, parts)?;
                ctx.insert_value("crumbs", parts.crumbs.clone());
                ctx.insert_value("section", self.sections[section].clone());
                ctx.insert_value("others", Value::from(&others[..]));
                ctx.insert("body", &body);
                ("section.html", ctx)
            }
            Job::Offer { m, offer } => {
                let parts = parts_of(m)?;
                let data = &parts.lm.data;
                let unit = data.offers[offer]
                    .unit
                    .as_ref()
                    .and_then(|id| data.units.iter().position(|u| &u.id == id));
                let unit_html = match unit {
                    Some(u) => self.optional_fragment(
                        &parts.units[u],
                        parts,
                        "partials/unit.html",
                        |ctx| {
                            ctx.insert_value("unit", Value::from_serializable(&data.units[u]));
                            ctx.insert("h", &3u8);
                        },
                    )?,
                    None => Value::safe_string(""),
                };
                let mut ctx = self.page_context(&path, parts)?;
                ctx.insert_value("crumbs", parts.crumbs_offer.clone());
                ctx.insert("offer_index", &offer);
                ctx.insert_value("unit_html", unit_html);
                ("offer.html", ctx)
            }
            Job::Whole { m } => {
                let parts = parts_of(m)?;
                let mut whole = Vec::new();
                for def in site::sections_of(&parts.lm.data) {
                    whole.push(WholePart {
                        id: def.id,
                        heading: def.heading,
                        body: self
                            .section_body(parts, def)?
                            .as_str()
                            .unwrap_or("")
                            .to_string(),
                    });
                }
                let mut ctx = self.page_context(&path, parts)?;
                ctx.insert_value("crumbs", parts.crumbs.clone());
                ctx.insert("parts", &whole);
                ("whole.html", ctx)
            }
            Job::Served { m, served } => {
                let mut ctx = self.page_context(&path, parts_of(m)?)?;
                ctx.insert("served_name", &parts_of(m)?.lm.data.serves[served]);
                ("served.html", ctx)
            }
        };
        let root = "../".repeat(path.matches('/').count());
        let html = self.theme.render_page(template, &ctx, &root)?;
        Ok(Page { path, html })
    }
}

#[derive(Serialize)]
struct WholePart {
    id: &'static str,
    heading: &'static str,
    body: String,
}

/// Moves every heading from h3 to h6 up one level (h3 -> h2).
fn promote_headings(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut copied = 0;
    for lt in memchr::memchr_iter(b'<', bytes) {
        let name_at = if bytes.get(lt + 1) == Some(&b'/') {
            lt + 2
        } else {
            lt + 1
        };
        if bytes.get(name_at) == Some(&b'h')
            && let Some(&level @ b'3'..=b'6') = bytes.get(name_at + 1)
        {
            out.push_str(&html[copied..=name_at]);
            out.push((level - 1) as char);
            copied = name_at + 2;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// A copy of a page with every [`ROOT_TOKEN`] replaced by the relative path to the site root.
fn replace_root_token(html: &str, root: &str) -> String {
    // The token starts with U+0001, which no template writes otherwise and content cannot
    // (loading refuses a file whose text holds a control character), so the search is a memchr
    // (the SIMD one: every byte of every page goes through it) and a page without the token is
    // returned as it is.
    let marker = ROOT_TOKEN.as_bytes()[0];
    if memchr::memchr(marker, html.as_bytes()).is_none() {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    for at in memchr::memchr_iter(marker, html.as_bytes()) {
        // Inside a token already replaced (its closing U+0001), or a lone U+0001.
        if at < copied || !html[at..].starts_with(ROOT_TOKEN) {
            continue;
        }
        out.push_str(&html[copied..at]);
        out.push_str(root);
        copied = at + ROOT_TOKEN.len();
    }
    out.push_str(&html[copied..]);
    out
}

/// The check report for staff and council at `tjek/`: not linked from the citizen pages.
pub fn render_check_report(
    content: &Content,
    theme: &Theme,
    matrix: &Matrix,
) -> Result<Page, Diagnostic> {
    let path = "tjek/index.html";
    let mut ctx = Context::new();
    ctx.insert("root", "../");
    ctx.insert("path", path);
    ctx.insert("site", &content.site);
    let (rule_rows, lix_rows) = rayon::join(
        || render_rows(theme, CHECK_RULE_ROW, &matrix.rows, &ctx),
        || render_rows(theme, CHECK_LIX_ROW, &matrix.lix_rows, &ctx),
    );
    ctx.insert("matrix", matrix);
    // The page is rendered with marks where the rows go, and the rows are copied in after: a
    // national report's rows are megabytes, which as template values were copied three times
    // more on the way.
    ctx.insert_value("rule_rows", Value::safe_string(RULE_ROWS_MARK));
    ctx.insert_value("lix_rows", Value::safe_string(LIX_ROWS_MARK));
    let page = theme.render("check.html", &ctx)?;
    let html = splice(
        &page,
        &[(RULE_ROWS_MARK, &rule_rows?), (LIX_ROWS_MARK, &lix_rows?)],
    );
    Ok(Page {
        path: path.to_string(),
        html,
    })
}

/// Where the check report's rows go; written like [`ROOT_TOKEN`], between U+0001, which no
/// template writes otherwise and content cannot (see [`escape_html`]).
const RULE_ROWS_MARK: &str = "\u{1}RULE_ROWS\u{1}";
const LIX_ROWS_MARK: &str = "\u{1}LIX_ROWS\u{1}";

/// `page` with each of the marks replaced by its pieces, in one allocation.
fn splice(page: &str, marks: &[(&str, &[String])]) -> String {
    let mut found: Vec<(usize, &str, &[String])> = marks
        .iter()
        .flat_map(|&(mark, pieces)| {
            page.match_indices(mark)
                .map(move |(at, _)| (at, mark, pieces))
        })
        .collect();
    found.sort_unstable_by_key(|&(at, ..)| at);
    let marks_length: usize = found.iter().map(|(_, mark, _)| mark.len()).sum();
    let pieces_length: usize = found
        .iter()
        .flat_map(|(_, _, pieces)| pieces.iter())
        .map(String::len)
        .sum();
    let mut html = String::with_capacity(page.len() - marks_length + pieces_length);
    let mut from = 0;
    for (at, mark, pieces) in found {
        html.push_str(&page[from..at]);
        for piece in pieces {
            html.push_str(piece);
        }
        from = at + mark.len();
    }
    html.push_str(&page[from..]);
    html
}

/// The rows of a table of the check report, each rendered by `template` as `row` with what
/// `page` has. A national table is tens of thousands of cells: as template values all at once
/// they take some 60 MiB, far more than the processor's cache, where a row takes about one.
/// The rows are rendered on every core.
fn render_rows<R: Serialize + Sync>(
    theme: &Theme,
    template: &str,
    rows: &[R],
    page: &Context,
) -> Result<Vec<String>, Diagnostic> {
    rows.par_iter()
        .map(|row| {
            let mut ctx = page.clone();
            ctx.insert("row", row);
            theme.render(template, &ctx)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_go_where_the_page_has_their_marks() {
        let rules = ["<tr>1</tr>".to_string(), "<tr>2</tr>".to_string()];
        let lix = ["<tr>L</tr>".to_string()];
        let page = format!("<h1>a</h1>{LIX_ROWS_MARK}<p>b</p>{RULE_ROWS_MARK}{LIX_ROWS_MARK}");
        let html = splice(&page, &[(RULE_ROWS_MARK, &rules), (LIX_ROWS_MARK, &lix)]);
        assert_eq!(
            html,
            "<h1>a</h1><tr>L</tr><p>b</p><tr>1</tr><tr>2</tr><tr>L</tr>"
        );
        assert_eq!(html.capacity(), html.len());
        // A theme that leaves a table out gets the page as it rendered it.
        assert_eq!(splice("<p>b</p>", &[(RULE_ROWS_MARK, &rules)]), "<p>b</p>");
    }

    #[test]
    fn the_root_token_becomes_the_path_to_the_root() {
        let html =
            format!("<a href=\"{ROOT_TOKEN}ordliste/#a\">a</a> \u{1} <a href=\"{ROOT_TOKEN}x/\">");
        assert_eq!(
            replace_root_token(&html, "../../"),
            "<a href=\"../../ordliste/#a\">a</a> \u{1} <a href=\"../../x/\">"
        );
        assert_eq!(replace_root_token("<p>intet</p>", "../"), "<p>intet</p>");
    }

    #[test]
    fn headings_move_up_one_level_and_other_tags_stay() {
        assert_eq!(
            promote_headings("<h2>a</h2><h3 id=\"x\">b</h3><hr><h6>c</h6><header>"),
            "<h2>a</h2><h2 id=\"x\">b</h2><hr><h5>c</h5><header>"
        );
        assert_eq!(promote_headings("a < b <h4>c</h4> <"), "a < b <h3>c</h3> <");
    }
}
