//! The load stage: the content folder read ([`crate::load`] reads each file), assembled with
//! its page addresses checked across files ([`crate::site::check_addresses`]), and the theme it
//! names.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::{
    Content, LoadedMunicipality, SourceFile, link_glossary, load_municipality, load_site,
    municipality_files,
};
use crate::model::Site;
use crate::render::Theme;
use crate::site::check_addresses;

/// What a build reads: the content folder, the folder of themes and which theme.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub themes: PathBuf,
    /// Overrides the theme named in site.toml.
    pub theme: Option<String>,
    /// The draft build: the working files, every page marked as a draft and not for search
    /// engines, and the change reports.
    pub draft: bool,
}

impl BuildOptions {
    pub fn new(content: impl Into<PathBuf>, themes: impl Into<PathBuf>) -> Self {
        BuildOptions {
            content: content.into(),
            themes: themes.into(),
            theme: None,
            draft: false,
        }
    }
}

/// Loads the content and the theme it names (or the one the options name).
pub fn load(options: &BuildOptions) -> Result<(Content, Theme), Vec<Diagnostic>> {
    let mut content = load_content(&options.content)?;
    if options.draft {
        // The change reports compare each working file with its latest approved copy.
        crate::revision::attach_approved(&options.content, &mut content.municipalities);
    }
    let theme_name = options
        .theme
        .clone()
        .unwrap_or_else(|| content.site.theme.clone());
    let theme = Theme::load(&options.themes, &theme_name)?;
    Ok((content, theme))
}

/// Reads `site.toml` and every municipality file in `dir`. All problems found are returned
/// together.
pub fn load_content(dir: &Path) -> Result<Content, Vec<Diagnostic>> {
    let files = municipality_files(dir)?;
    let site = load_site(dir);
    let results: Vec<Result<LoadedMunicipality, Vec<Diagnostic>>> =
        files.par_iter().map(|p| load_municipality(p)).collect();
    let mut content = assemble(dir, site, results)?;
    link_glossary(&content.site, &mut content.municipalities);
    Ok(content)
}

/// The content of folder `dir` from its site and its municipalities loaded one by one (in the
/// order of [`municipality_files`]), or every problem found in any of them. Glossary links are
/// not made here (see [`link_glossary`]); the page addresses across files are checked.
pub(crate) fn assemble(
    dir: &Path,
    site: Result<(Site, SourceFile), Vec<Diagnostic>>,
    results: Vec<Result<LoadedMunicipality, Vec<Diagnostic>>>,
) -> Result<Content, Vec<Diagnostic>> {
    let (site, mut errors) = match site {
        Ok(site) => (Some(site), Vec::new()),
        Err(errors) => (None, errors),
    };
    let mut municipalities = Vec::new();
    let mut warnings = Vec::new();
    for r in results {
        match r {
            Ok(m) => {
                warnings.extend(m.warnings.iter().cloned());
                municipalities.push(m)
            }
            Err(mut d) => errors.append(&mut d),
        }
    }
    if municipalities.is_empty() && errors.is_empty() {
        errors.push(
            Diagnostic::error(dir, "Der er ingen kommuner i indholdsmappen")
                .hint("Opret en med: kvalitet new <kommunens navn>"),
        );
    }
    match site {
        Some((site, site_source)) if errors.is_empty() => {
            let content = Content {
                dir: dir.to_path_buf(),
                site,
                site_source,
                municipalities,
                warnings,
            };
            check_addresses(&content)?;
            Ok(content)
        }
        _ => Err(errors),
    }
}
