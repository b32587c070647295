//! The change report page of a draft build (`/<kommune>/aendringer/`): the comparison made by
//! [`crate::revision::compare`], handed to the theme's `changes.html`.

use std::path::Path;

use tera::Context;

use crate::diagnostic::Diagnostic;
use crate::model::PartialDate;
use crate::revision::compare;

use super::fragments::MunicipalityParts;
use super::pages::Shared;

impl Shared<'_> {
    /// The change report of `parts`' municipality: its approved copy against its working file.
    pub(super) fn changes_page(
        &self,
        path: &str,
        parts: &MunicipalityParts,
    ) -> Result<Context, Diagnostic> {
        let lm = parts.lm;
        // A draft build has the page only for a municipality with an approved copy (a copy
        // that cannot be read stops the build before any page is made).
        let approved = lm.history.versions.last().ok_or_else(|| {
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
        let old = &approved.loaded;
        ctx.insert("changes", &compare(old, lm, self.site_model));
        ctx.insert(
            "approved_by",
            &old.data
                .approval
                .as_ref()
                .and_then(|a| a.approved_by.clone()),
        );
        Ok(ctx)
    }
}
