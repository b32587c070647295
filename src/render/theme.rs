//! A theme: its templates compiled once, the filters they may use, and rendering into a
//! reused buffer.

use std::path::{Path, PathBuf};

use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostic::Diagnostic;
use crate::embedded::{EMBEDDED_THEME, Statics, embedded_templates};
use crate::glossary::ROOT_TOKEN;
use crate::load::validate::is_theme_name;

/// Templates that only site-wide jobs render (see [`crate::site::site_wide_jobs`]); the check report
/// page does not get the list of municipalities at all.
const SITE_WIDE_TEMPLATES: &[&str] = &[
    "root.html",
    "glossary.html",
    "was.html",
    "404.html",
    "check.html",
    "compare.html",
    CHECK_RULE_ROW,
    CHECK_LIX_ROW,
];

/// One row of the check report's table of rules, and of its table of LIX per section.
pub(super) const CHECK_RULE_ROW: &str = "partials/check-rule-row.html";
pub(super) const CHECK_LIX_ROW: &str = "partials/check-lix-row.html";

/// A theme's compiled templates and where its static files come from.
pub struct Theme {
    pub name: String,
    /// The theme's folder; for the embedded theme, where `kvalitet tema kopier` would put it
    /// (named in messages only).
    pub dir: PathBuf,
    statics: Statics,
    /// See [`Theme::lists_municipalities_on_every_page`].
    lists_everywhere: bool,
    tera: Tera,
}

impl Theme {
    /// Whether any template but the site-wide ones could read the list of municipalities: it
    /// names `municipalities`, dumps the whole context (`__tera_context`), or names a site-wide
    /// template (to include or extend it). Judged from the template files' text when the theme
    /// was loaded, so it errs towards yes: the preview then renders every page after a save,
    /// and a build reads every municipality before it renders one.
    pub(crate) fn lists_municipalities_on_every_page(&self) -> bool {
        self.lists_everywhere
    }

    /// Where the theme's static files come from: its `static/` folder, or the binary.
    pub fn statics(&self) -> Statics {
        self.statics.clone()
    }

    pub(super) fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }

    /// Compiles every template under `<themes>/<name>/templates`. `name` is a name, never a
    /// path; a template that is a link out of the theme's folder is refused (see
    /// [`crate::confine`]). Static files are not read here: their copy and the preview never
    /// follow links.
    ///
    /// The theme [`EMBEDDED_THEME`] is taken from the binary when `<themes>/<name>` does not
    /// exist at all; a folder of that name on disk always wins.
    pub fn load(themes: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = themes.join(name);
        if name == EMBEDDED_THEME && std::fs::symlink_metadata(&dir).is_err() {
            return Self::embedded(dir);
        }
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
        let statics = Statics::Folder(dir.join("static"));
        match Self::compile(name, dir, statics, &sources, errors) {
            Ok(theme) => Ok(theme),
            Err(errors) => Err(errors),
        }
    }

    /// The default theme built into the binary (see [`crate::embedded`]).
    fn embedded(dir: PathBuf) -> Result<Theme, Vec<Diagnostic>> {
        let sources: Vec<(String, String)> = embedded_templates()
            .map(|(name, bytes)| {
                (
                    name.to_string(),
                    String::from_utf8_lossy(bytes).into_owned(),
                )
            })
            .collect();
        Self::compile(EMBEDDED_THEME, dir, Statics::Embedded, &sources, Vec::new())
    }

    /// The theme from its templates' names and texts, or every problem found.
    fn compile(
        name: &str,
        dir: PathBuf,
        statics: Statics,
        sources: &[(String, String)],
        mut errors: Vec<Diagnostic>,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let templates = dir.join("templates");
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        register_filters(&mut tera);
        // `check.html` includes the row partials; a theme copied from an older default theme
        // lacks them, and is told which file to copy rather than where the include failed.
        let missing: Vec<Diagnostic> = [CHECK_RULE_ROW, CHECK_LIX_ROW]
            .into_iter()
            .filter(|partial| !sources.iter().any(|(n, _)| n == partial))
            .map(|partial| missing_template(&templates.join(partial), partial))
            .collect();
        if !missing.is_empty() {
            errors.extend(missing);
        } else if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            errors.push(template_error(&templates, &e));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let lists_everywhere = sources.iter().any(|(name, text)| {
            !SITE_WIDE_TEMPLATES.contains(&name.as_str())
                && (text.contains("municipalities")
                    || text.contains("__tera_context")
                    || SITE_WIDE_TEMPLATES.iter().any(|t| text.contains(t)))
        });
        Ok(Theme {
            name: name.to_string(),
            dir,
            statics,
            lists_everywhere,
            tera,
        })
    }

    /// Renders into the calling thread's reusable buffer, then copies out an exactly sized
    /// string: no buffer growth per page, and no spare capacity kept alive with every page.
    pub(super) fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.render_with(template, context, |html| html.to_owned())
    }

    /// [`Theme::render`] for a whole page: every [`ROOT_TOKEN`] becomes `root` in the same
    /// copy out of the buffer, and the prose headings are placed under the theme's headings
    /// (see [`crate::markdown::place_prose_headings`]).
    pub(super) fn render_page(
        &self,
        template: &str,
        context: &Context,
        root: &str,
    ) -> Result<String, Diagnostic> {
        self.render_with(template, context, |html| {
            let page = replace_root_token(html, root);
            // Prose headings take their level from where the theme put the text.
            crate::markdown::place_prose_headings(&page).unwrap_or(page)
        })
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
        crate::paths::slug_for(val)
    });
    // Text shown as is, escaped, with a line-break opportunity after each slash before a
    // letter (a web address as the text of its link): `{{ url | breakable | safe }}`.
    tera.register_filter("breakable", |val: &str, _: Kwargs, _: &State| {
        crate::breaks::escape_with_breaks(val)
    });
    // A text as one part of a URL's query, every byte but letters, digits and -_.~
    // percent-encoded: "Vej 1, 4300 Holbæk" -> "Vej%201%2C%204300%20Holb%C3%A6k".
    tera.register_filter("urlencode_query", |val: &str, _: Kwargs, _: &State| {
        crate::url::query_component(val)
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

/// The themes in `themes`: folders with a plain name and a `templates` folder, and the one
/// built into the binary.
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
    if std::fs::symlink_metadata(themes.join(EMBEDDED_THEME)).is_err() {
        known.push(EMBEDDED_THEME.to_string());
    }
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
        .hint(format!(
            "Vælg tema med --theme, eller ret theme i content/site.toml. Temaet «{EMBEDDED_THEME}» er bygget ind i kvalitet. Med kvalitet tema kopier får du en kopi i themes/, som du kan rette i"
        ))
}

/// A template the theme lacks: most likely a theme copied from an older default theme.
fn missing_template(path: &Path, name: &str) -> Diagnostic {
    Diagnostic::error(path, format!("Temaet mangler skabelonen «{name}»")).hint(format!(
        "Kopiér templates/{name} fra themes/default til temaet"
    ))
}

/// Template mistakes are the theme author's, so the whole chain of causes is shown.
fn template_error(path: &Path, e: &tera::Error) -> Diagnostic {
    if let tera::ErrorKind::TemplateNotFound(name) = e.kind() {
        return missing_template(path, name);
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

/// Stands for the page's title in the head (`og_title` in a template's context): replaced by
/// the text of the page's `<title>`, which the page's template makes, so that a link preview
/// shows the same title as the browser tab, on every page, whatever its template.
pub(super) const OG_TITLE_TOKEN: &str = "\u{1}OG-TITLE\u{1}";

/// The text of the first `<title>` of `html`, as the template escaped it; a `"` a template
/// wrote there is escaped too, so the text can stand in an attribute.
fn title_of(html: &str) -> String {
    let Some(start) = memchr::memmem::find(html.as_bytes(), b"<title>").map(|i| i + 7) else {
        return String::new();
    };
    let end =
        memchr::memmem::find(&html.as_bytes()[start..], b"</title>").map_or(start, |i| start + i);
    html[start..end].trim().replace('"', "&quot;")
}

/// A copy of a page with every [`ROOT_TOKEN`] replaced by the relative path to the site root,
/// and every [`OG_TITLE_TOKEN`] by the page's title.
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
        if at < copied {
            continue;
        }
        let (token, with) = if html[at..].starts_with(ROOT_TOKEN) {
            (ROOT_TOKEN, root.to_string())
        } else if html[at..].starts_with(OG_TITLE_TOKEN) {
            (OG_TITLE_TOKEN, title_of(html))
        } else {
            continue;
        };
        out.push_str(&html[copied..at]);
        out.push_str(&with);
        copied = at + token.len();
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_token_becomes_the_path_to_the_root() {
        let html =
            format!("<a href=\"{ROOT_TOKEN}ordliste/#a\">a</a> \u{1} <a href=\"{ROOT_TOKEN}x/\">");
        assert_eq!(
            replace_root_token(&html, "../../"),
            "<a href=\"../../ordliste/#a\">a</a> \u{1} <a href=\"../../x/\">"
        );
        assert_eq!(replace_root_token("<p>intet</p>", "../"), "<p>intet</p>");
        let head = format!("<title>Klage – Site</title><meta content=\"{OG_TITLE_TOKEN}\">");
        assert_eq!(
            replace_root_token(&head, "../"),
            "<title>Klage – Site</title><meta content=\"Klage – Site\">"
        );
    }
}
