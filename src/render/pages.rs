//! One function per kind of page: each makes its page's template context from what the site
//! and the municipality share.

use std::path::Path;

use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::load::LoadedMunicipality;
use crate::site::{self, Job, SECTIONS};
use crate::url::BaseUrl;

use super::Page;
use super::fragments::MunicipalityParts;
use super::theme::OG_TITLE_TOKEN;
use super::theme::Theme;
use super::view::{WholePart, version_note};
use super::web;

pub(super) struct Shared<'a> {
    /// Each of [`SECTIONS`] as a template value, made once for all pages.
    pub(super) sections: Vec<Value>,
    pub(super) theme: &'a Theme,
    pub(super) site: Value,
    pub(super) municipalities: Value,
    /// Every page is marked as a draft, not for search engines.
    pub(super) draft: bool,
    /// The site itself, for the change report's check of both versions.
    pub(super) site_model: &'a crate::model::Site,
    /// Every municipality, for the open data of all of them and the sitemap; `None` for a
    /// renderer of municipality pages only.
    pub(super) all: Option<&'a [LoadedMunicipality]>,
    /// The site's address, when `base_url` is a whole web address.
    pub(super) base: Option<BaseUrl>,
}

impl Shared<'_> {
    pub(super) fn base_context(&self, path: &str) -> Context {
        let mut ctx = Context::new();
        // Relative links keep the site working from any folder on any server, and from disk.
        let depth = path.matches('/').count();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("path", path);
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("municipalities", self.municipalities.clone());
        ctx.insert("draft", &self.draft);
        ctx.insert("noindex", &false);
        ctx.insert_value("canonical", Value::none());
        ctx.insert_value("og_title", Value::from(OG_TITLE_TOKEN));
        ctx
    }

    /// Cloning a tera `Value` only counts a reference.
    pub(super) fn municipality_context(&self, path: &str, parts: &MunicipalityParts) -> Context {
        let mut ctx = self.base_context(path);
        ctx.insert_value("m", parts.view.clone());
        ctx
    }

    /// The context of a page's own template: the municipality and the fragments every page of
    /// it shows.
    pub(super) fn page_context(
        &self,
        path: &str,
        parts: &MunicipalityParts,
    ) -> Result<Context, Diagnostic> {
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

    /// `parts` are those of the job's municipality (`None` for site-wide pages).
    pub(super) fn render_job(
        &self,
        job: Job,
        parts: Option<&MunicipalityParts>,
    ) -> Result<Page, Diagnostic> {
        let path = job.path_in(parts.map(|p| p.lm));
        if let Some(page) = self.data_page(job, &path, parts)? {
            return Ok(page);
        }
        let parts_of = |m: usize| {
            parts.ok_or_else(|| {
                Diagnostic::error(
                    Path::new(&path),
                    format!("Siden hører til kommune nr. {m}, men blev lavet uden den"),
                )
            })
        };
        let (template, mut ctx) = match job {
            Job::Sitemap | Job::Robots => return self.text_file(job, path),
            Job::NotFound => ("404.html", self.base_context(&path)),
            Job::HideVisit => ("skjul.html", self.base_context(&path)),
            Job::Root => ("root.html", self.root_page(&path)),
            Job::Glossary => ("glossary.html", self.glossary_page(&path)),
            Job::Was => ("was.html", self.was_page(&path)),
            Job::Front { m } => ("front.html", self.front_page(&path, parts_of(m)?)?),
            Job::ReadingGuide { m } => ("guide.html", self.guide_page(&path, parts_of(m)?)?),
            Job::Section { m, section } => (
                "section.html",
                self.section_page(&path, parts_of(m)?, section)?,
            ),
            Job::Offer { m, offer } => ("offer.html", self.offer_page(&path, parts_of(m)?, offer)?),
            Job::Whole { m } => ("whole.html", self.whole_page(&path, parts_of(m)?)?),
            Job::Version { m, version } => (
                "whole.html",
                self.version_page(&path, parts_of(m)?, version)?,
            ),
            Job::Served { m, served } => (
                "served.html",
                self.served_page(&path, parts_of(m)?, served)?,
            ),
            Job::Changes { m } => ("changes.html", self.changes_page(&path, parts_of(m)?)?),
            Job::Finder { m, answers } => (
                "finder.html",
                self.finder_page(&path, parts_of(m)?, answers)?,
            ),
            Job::Data { .. } | Job::AllData => unreachable!("open data is made by data_page"),
        };
        let description = match parts {
            Some(parts) if job.municipality().is_some() => {
                web::municipality_description(job, &parts.lm.data, || {
                    parts
                        .section_descriptions
                        .get_or_init(|| web::section_descriptions(&parts.lm.data))
                })
            }
            _ => web::site_description(job, self.site_model),
        };
        ctx.insert("description", &description);
        let mut root = "../".repeat(path.matches('/').count());
        if job == Job::NotFound {
            // A server shows the 404 page at any address, so its links start from the site's
            // own path, not from where the file lies. The job is there only with a base URL.
            root = self.base.as_ref().map_or("/", |b| b.path()).to_string();
            ctx.insert("root", &root);
            ctx.insert("noindex", &true);
        } else if let Some(base) = &self.base {
            ctx.insert("canonical", &base.absolute(&path));
        }
        let html = self.theme.render_page(template, &ctx, &root)?;
        Ok(Page { path, html })
    }

    /// The open data files, made without a template; `None` for every other page.
    fn data_page(
        &self,
        job: Job,
        path: &str,
        parts: Option<&MunicipalityParts>,
    ) -> Result<Option<Page>, Diagnostic> {
        let missing = || {
            Diagnostic::error(
                Path::new(path),
                "De åbne data blev lavet uden kommunernes indhold",
            )
        };
        let html = match job {
            Job::Data { .. } => crate::data::municipality_json(parts.ok_or_else(missing)?.lm),
            Job::AllData => {
                let all = self.all.ok_or_else(missing)?;
                let entries: Vec<String> = all.iter().map(crate::data::entry_json).collect();
                crate::data::all_json(&entries)
            }
            _ => return Ok(None),
        };
        Ok(Some(Page {
            path: path.to_string(),
            html,
        }))
    }

    /// `sitemap.xml` and `robots.txt`: text files made here, not by the theme.
    fn text_file(&self, job: Job, path: String) -> Result<Page, Diagnostic> {
        let missing = || {
            Diagnostic::error(
                std::path::Path::new(&path),
                "Filen kræver base_url og listen over kommuner, men blev lavet uden dem",
            )
        };
        let base = self.base.as_ref().ok_or_else(missing)?;
        let html = match job {
            Job::Sitemap => web::sitemap(
                base,
                self.site_model,
                self.all.ok_or_else(missing)?,
                self.theme.has_template(super::compare_page::TEMPLATE),
            ),
            _ => web::robots(base, self.draft),
        };
        Ok(Page { path, html })
    }

    /// The site's front page: the list of municipalities.
    fn root_page(&self, path: &str) -> Context {
        self.base_context(path)
    }

    /// The glossary of the whole site.
    fn glossary_page(&self, path: &str) -> Context {
        self.base_context(path)
    }

    /// `was/`: the redirect to the accessibility statement.
    fn was_page(&self, path: &str) -> Context {
        self.base_context(path)
    }

    /// A municipality's front page.
    fn front_page(&self, path: &str, parts: &MunicipalityParts) -> Result<Context, Diagnostic> {
        let mut ctx = self.page_context(path, parts)?;
        ctx.insert_value("crumbs", parts.crumbs_front.clone());
        ctx.insert("jsonld", parts.json_ld());
        Ok(ctx)
    }

    /// A municipality's reading guide.
    fn guide_page(&self, path: &str, parts: &MunicipalityParts) -> Result<Context, Diagnostic> {
        let mut ctx = self.page_context(path, parts)?;
        ctx.insert_value("crumbs", parts.crumbs.clone());
        Ok(ctx)
    }

    /// A topic's own page: its body and links to the municipality's other topics.
    fn section_page(
        &self,
        path: &str,
        parts: &MunicipalityParts,
        section: usize,
    ) -> Result<Context, Diagnostic> {
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
        let mut ctx = self.page_context(path, parts)?;
        ctx.insert_value("crumbs", parts.crumbs.clone());
        ctx.insert_value("section", self.sections[section].clone());
        ctx.insert_value("others", Value::from(&others[..]));
        ctx.insert("body", &body);
        if def.id == "contact" {
            ctx.insert("jsonld", parts.json_ld());
        }
        Ok(ctx)
    }

    /// An offer's page, with the unit that runs it.
    fn offer_page(
        &self,
        path: &str,
        parts: &MunicipalityParts,
        offer: usize,
    ) -> Result<Context, Diagnostic> {
        let data = &parts.lm.data;
        let unit = data.offers[offer]
            .unit
            .as_ref()
            .and_then(|id| data.units.iter().position(|u| &u.id == id));
        let unit_html = match unit {
            Some(u) => {
                self.optional_fragment(&parts.units[u], parts, "partials/unit.html", |ctx| {
                    ctx.insert_value("unit", Value::from_serializable(&data.units[u]));
                    ctx.insert("h", &3u8);
                })?
            }
            None => Value::safe_string(""),
        };
        let mut ctx = self.page_context(path, parts)?;
        ctx.insert_value("crumbs", parts.crumbs_offer.clone());
        ctx.insert("offer_index", &offer);
        ctx.insert_value("unit_html", unit_html);
        Ok(ctx)
    }

    /// The whole standard on one page: every topic's body in reading order.
    fn whole_page(&self, path: &str, parts: &MunicipalityParts) -> Result<Context, Diagnostic> {
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
        let mut ctx = self.page_context(path, parts)?;
        ctx.insert_value("crumbs", parts.crumbs.clone());
        ctx.insert("parts", &whole);
        ctx.insert_value("version", Value::none());
        Ok(ctx)
    }

    /// An approved version of the standard (an index into `history.versions` of `parts`'
    /// municipality) as the whole-standard page shows it, from its copy, with `version`
    /// telling which version it is and which applies now.
    fn version_page(
        &self,
        path: &str,
        parts: &MunicipalityParts,
        version: usize,
    ) -> Result<Context, Diagnostic> {
        let copy = MunicipalityParts::new(&parts.lm.history.versions[version].loaded, self.draft);
        let mut ctx = self.whole_page(path, &copy)?;
        ctx.insert("version", &version_note(parts.lm, version, self.draft));
        Ok(ctx)
    }

    /// The page of a municipality that `parts`' municipality serves.
    fn served_page(
        &self,
        path: &str,
        parts: &MunicipalityParts,
        served: usize,
    ) -> Result<Context, Diagnostic> {
        let mut ctx = self.page_context(path, parts)?;
        ctx.insert("served_name", &parts.lm.data.serves[served]);
        Ok(ctx)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_move_up_one_level_and_other_tags_stay() {
        assert_eq!(
            promote_headings("<h2>a</h2><h3 id=\"x\">b</h3><hr><h6>c</h6><header>"),
            "<h2>a</h2><h2 id=\"x\">b</h2><hr><h5>c</h5><header>"
        );
        assert_eq!(promote_headings("a < b <h4>c</h4> <"), "a < b <h3>c</h3> <");
    }
}
