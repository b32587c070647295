//! The whole build, from content folder to written site, as one call that `build` and `serve`
//! share.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::check::{CheckOptions, check};
use crate::diagnostic::Diagnostic;
use crate::load::{Content, load_content};
use crate::output::{WriteStats, write_site};
use crate::render::{Page, Theme, render_site};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub themes: PathBuf,
    /// Overrides the theme named in site.toml.
    pub theme: Option<String>,
}

impl BuildOptions {
    pub fn new(content: impl Into<PathBuf>, themes: impl Into<PathBuf>) -> Self {
        BuildOptions {
            content: content.into(),
            themes: themes.into(),
            theme: None,
        }
    }
}

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
    pub static_dir: PathBuf,
}

/// Loads content and theme and renders every page. Nothing is written.
pub fn render(options: &BuildOptions) -> Result<RenderedSite, Vec<Diagnostic>> {
    let content = load_content(&options.content)?;
    let theme_name = options
        .theme
        .clone()
        .unwrap_or_else(|| content.site.theme.clone());
    let theme = Theme::load(&options.themes, &theme_name)?;
    let pages = render_site(&content, &theme)?;
    Ok(RenderedSite {
        content,
        pages,
        static_dir: theme.static_dir(),
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
}

/// Renders and writes the site to `output`, replacing the previous build only on success.
pub fn build(options: &BuildOptions, output: &Path) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let site = render(options)?;
    let stats = write_site(output, &site.pages, Some(&site.static_dir))
        .map_err(|e| vec![Diagnostic::error(output, e.0)])?;
    let elapsed = started.elapsed();
    let findings = check(&site.content, &CheckOptions::for_site(&site.content.site));
    Ok(BuildReport {
        stats,
        municipalities: site.content.municipalities.len(),
        elapsed,
        warnings: site.content.warnings,
        check_summary: findings.summary_line(),
    })
}
