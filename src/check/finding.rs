//! One thing the checker found.

use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostic::Severity;

/// One thing the checker found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// `§4.2`, `LIX`, `SÆTNING`, `ORD`, `LINK`, `KONTAKT` or `WAS`.
    pub rule: &'static str,
    pub severity: Severity,
    /// True when the topic is absent; false when it is there but wrong or hard to read.
    pub missing: bool,
    /// True when the topic is there but lacks a part the regulation names (`docs/rules.md`).
    pub partial: bool,
    /// True when the rule is covered by the municipality's general standard, which the
    /// message names.
    pub referred: bool,
    /// The municipality's slug; `None` for the site as a whole (`site.toml`).
    pub municipality: Option<String>,
    pub message: String,
    /// What the rule requires, in plain Danish.
    pub requirement: &'static str,
    pub file: PathBuf,
    /// Where the content is; `None` when it is absent and should be added to the file.
    pub line: Option<usize>,
    /// The column (counting characters from 1) on `line`, where a finding points at a place
    /// within a line; left out of the JSON otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Key path such as `follow_up.months` or `offers[2].description`.
    pub key: Option<String>,
    pub hint: Option<String>,
}

impl Finding {
    /// `file:line:column`, `file:line` or just `file`.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file.display()),
            (Some(l), None) => format!("{}:{l}", self.file.display()),
            (None, _) => self.file.display().to_string(),
        }
    }
}
