//! The change report page of a draft build (`/<kommune>/aendringer/`): the comparison made by
//! [`crate::revision::compare`], handed to the theme's `changes.html`.

use std::path::Path;

use serde::Serialize;
use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::load::APPROVED_DIR;
use crate::model::PartialDate;
use crate::revision::compare;

use super::fragments::MunicipalityParts;
use super::pages::Shared;

/// A problem in the approved copy, as the page tells it.
#[derive(Serialize)]
struct CopyProblem {
    /// `godkendt/<kommune>/<dato>.toml`, line and column where known.
    place: String,
    message: String,
}

impl Shared<'_> {
    /// The change report of `parts`' municipality: its approved copy against its working file.
    pub(super) fn changes_page(
        &self,
        path: &str,
        parts: &MunicipalityParts,
    ) -> Result<Context, Diagnostic> {
        let lm = parts.lm;
        let approved = lm.approved.as_deref().ok_or_else(|| {
            Diagnostic::error(
                Path::new(path),
                "Ændringssiden blev lavet uden den godkendte udgave",
            )
        })?;
        let mut ctx = self.page_context(path, parts)?;
        ctx.insert_value("crumbs", parts.crumbs.clone());
        let date = PartialDate::parse(&approved.date)
            .map(|d| format!("den {}", d.danish()))
            .unwrap_or_else(|_| approved.date.clone());
        ctx.insert("approved_date", &date);
        let file = format!("{APPROVED_DIR}/{}/{}.toml", lm.slug, approved.date);
        ctx.insert("approved_file", &file);
        match &approved.loaded {
            Ok(old) => {
                ctx.insert("changes", &compare(old, lm, self.site_model));
                ctx.insert(
                    "approved_by",
                    &old.data
                        .approval
                        .as_ref()
                        .and_then(|a| a.approved_by.clone()),
                );
            }
            Err(errors) => {
                let problems: Vec<CopyProblem> = errors
                    .iter()
                    .map(|d| CopyProblem {
                        place: match (d.line, d.column) {
                            (Some(l), Some(c)) => format!("{file}, linje {l}, kolonne {c}"),
                            (Some(l), None) => format!("{file}, linje {l}"),
                            _ => file.clone(),
                        },
                        message: d.message.clone(),
                    })
                    .collect();
                ctx.insert("copy_problems", &problems);
            }
        }
        Ok(ctx)
    }
}
