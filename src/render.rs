//! Pages from content and a theme: templates compiled once, every page rendered in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostic::Diagnostic;
use crate::load::{Content, LoadedMunicipality};
use crate::model::{Municipality, Unit};
use crate::site::{self, Job, SECTIONS, SectionDef};

/// A theme's compiled templates and the folder of its static files.
pub struct Theme {
    pub name: String,
    pub dir: PathBuf,
    tera: Tera,
}

impl Theme {
    pub fn static_dir(&self) -> PathBuf {
        self.dir.join("static")
    }

    /// Compiles every template under `<themes>/<name>/templates`.
    pub fn load(themes: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = themes.join(name);
        let templates = dir.join("templates");
        if !templates.is_dir() {
            let known: Vec<String> = std::fs::read_dir(themes)
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok())
                        .filter(|e| e.path().join("templates").is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            return Err(vec![
                Diagnostic::error(&templates, format!("Temaet «{name}» findes ikke"))
                    .expected(if known.is_empty() {
                        format!("en mappe {}/<tema>/templates", themes.display())
                    } else {
                        format!("et af: {}", known.join(", "))
                    })
                    .hint("Vælg tema med --theme, eller ret theme i content/site.toml"),
            ]);
        }
        let mut files = Vec::new();
        collect_templates(&templates, &templates, &mut files);
        files.sort();
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        register_filters(&mut tera);
        let mut errors = Vec::new();
        let mut sources = Vec::new();
        for (name, path) in &files {
            match std::fs::read_to_string(path) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(e) => errors.push(Diagnostic::error(
                    path,
                    format!("Skabelonen kan ikke læses: {e}"),
                )),
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

    fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|e| template_error(&self.dir.join("templates").join(template), &e))
    }
}

/// Filters the default theme needs; other themes may use them too.
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

fn collect_templates(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            collect_templates(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, path));
        }
    }
}

/// Template mistakes are the theme author's, so the whole chain of causes is shown.
fn template_error(path: &Path, e: &tera::Error) -> Diagnostic {
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

/// Extra pages that come from other stages (such as the check report).
#[derive(Debug, Clone, Default)]
pub struct ExtraPages {
    pub pages: Vec<Page>,
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
        served: m
            .serves
            .iter()
            .map(|name| Served {
                name,
                slug: site::served_slug(name),
            })
            .collect(),
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
    let jobs = site::jobs(content);
    let views: Vec<Value> = content
        .municipalities
        .par_iter()
        .map(municipality_view)
        .collect();
    let site_value = Value::from_serializable(&content.site);
    let municipalities_value = Value::from_serializable(
        &content
            .municipalities
            .iter()
            .map(|lm| RootEntry {
                slug: &lm.slug,
                name: &lm.data.short_name,
                full_name: &lm.data.name,
                organisation: &lm.data.organisation,
                serves: lm
                    .data
                    .serves
                    .iter()
                    .map(|name| Served {
                        name,
                        slug: site::served_slug(name),
                    })
                    .collect(),
            })
            .collect::<Vec<_>>(),
    );
    let shared = Shared {
        content,
        theme,
        views: &views,
        site: site_value,
        municipalities: municipalities_value,
    };
    let results: Vec<Result<Page, Diagnostic>> =
        jobs.par_iter().map(|job| shared.render_job(*job)).collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
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

#[derive(Serialize)]
struct RootEntry<'a> {
    slug: &'a str,
    name: &'a str,
    full_name: &'a str,
    organisation: &'a str,
    serves: Vec<Served<'a>>,
}

struct Shared<'a> {
    content: &'a Content,
    theme: &'a Theme,
    views: &'a [Value],
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

    fn municipality_context(&self, path: &str, m: usize) -> Context {
        let mut ctx = self.base_context(path);
        ctx.insert_value("m", self.views[m].clone());
        ctx
    }

    /// A section's body, with sub-headings starting at level `h`.
    fn section_body(&self, m: usize, section: &SectionDef, h: u8) -> Result<String, Diagnostic> {
        let path = format!(
            "{}/{}/index.html",
            self.content.municipalities[m].slug, section.slug
        );
        let mut ctx = self.municipality_context(&path, m);
        ctx.insert("h", &h);
        self.theme
            .render(&format!("sections/{}.html", section.id), &ctx)
    }

    fn render_job(&self, job: Job) -> Result<Page, Diagnostic> {
        let path = job.path(self.content);
        let crumbs_for = |m: usize| -> Vec<Crumb> {
            let lm = &self.content.municipalities[m];
            vec![
                Crumb {
                    title: "Forside".to_string(),
                    url: String::new(),
                },
                Crumb {
                    title: lm.data.short_name.clone(),
                    url: format!("{}/", lm.slug),
                },
            ]
        };
        let (template, ctx) = match job {
            Job::Root => ("root.html", self.base_context(&path)),
            Job::Glossary => ("glossary.html", self.base_context(&path)),
            Job::Was => ("was.html", self.base_context(&path)),
            Job::Front { m } => {
                let mut ctx = self.municipality_context(&path, m);
                ctx.insert("crumbs", &crumbs_for(m)[..1]);
                ("front.html", ctx)
            }
            Job::ReadingGuide { m } => {
                let mut ctx = self.municipality_context(&path, m);
                ctx.insert("crumbs", &crumbs_for(m));
                ("guide.html", ctx)
            }
            Job::Section { m, section } => {
                let def = &SECTIONS[section];
                let body = self.section_body(m, def, 2)?;
                let mut ctx = self.municipality_context(&path, m);
                ctx.insert("crumbs", &crumbs_for(m));
                ctx.insert("section", def);
                ctx.insert("body", &body);
                ("section.html", ctx)
            }
            Job::Offer { m, offer } => {
                let mut ctx = self.municipality_context(&path, m);
                let mut crumbs = crumbs_for(m);
                crumbs.push(Crumb {
                    title: "Tilbud".to_string(),
                    url: format!("{}/tilbud/", self.content.municipalities[m].slug),
                });
                ctx.insert("crumbs", &crumbs);
                ctx.insert("offer_index", &offer);
                ("offer.html", ctx)
            }
            Job::Whole { m } => {
                let mut parts = Vec::new();
                for def in site::sections_of(&self.content.municipalities[m].data) {
                    parts.push(WholePart {
                        id: def.id,
                        heading: def.heading,
                        body: self.section_body(m, def, 3)?,
                    });
                }
                let mut ctx = self.municipality_context(&path, m);
                ctx.insert("crumbs", &crumbs_for(m));
                ctx.insert("parts", &parts);
                ("whole.html", ctx)
            }
            Job::Served { m, served } => {
                let mut ctx = self.municipality_context(&path, m);
                ctx.insert(
                    "served_name",
                    &self.content.municipalities[m].data.serves[served],
                );
                ("served.html", ctx)
            }
        };
        let html = self.theme.render(template, &ctx)?;
        Ok(Page { path, html })
    }
}

#[derive(Serialize)]
struct WholePart {
    id: &'static str,
    heading: &'static str,
    body: String,
}
