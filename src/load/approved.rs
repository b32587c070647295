//! The approved copies of a municipality's file: what `kvalitet godkend` keeps as the baseline
//! of the next revision, one file per approval, in `content/godkendt/<slug>/<ÅÅÅÅ-MM-DD>.toml`
//! (the approval's date). The folder is below the content folder, so it travels with the
//! content; loading the content reads only the files directly in it, so an approved copy is
//! never taken for a municipality of its own.

use std::path::{Path, PathBuf};

/// The folder, inside the content folder, that holds the approved copies.
pub(crate) const APPROVED_DIR: &str = "godkendt";

/// One approved copy of a municipality's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApprovedCopy {
    /// The approval's date, `ÅÅÅÅ-MM-DD`, from the file's name.
    pub date: String,
    pub path: PathBuf,
}

/// The folder of the approved copies of the municipality whose file is `<slug>.toml` in
/// `content`.
pub(crate) fn approved_dir(content: &Path, slug: &str) -> PathBuf {
    content.join(APPROVED_DIR).join(slug)
}

/// The path of the copy approved on `date` (`ÅÅÅÅ-MM-DD`).
pub(crate) fn approved_path(content: &Path, slug: &str, date: &str) -> PathBuf {
    approved_dir(content, slug).join(format!("{date}.toml"))
}

/// The approved copies of a municipality, oldest first. Only regular files named as a date
/// count (a link, a folder or another name is left alone); no folder means no copies.
pub(crate) fn approved_copies(content: &Path, slug: &str) -> Vec<ApprovedCopy> {
    let dir = approved_dir(content, slug);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut copies: Vec<ApprovedCopy> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let date = name.strip_suffix(".toml")?;
            is_date(date).then(|| ApprovedCopy {
                date: date.to_string(),
                path: e.path(),
            })
        })
        .collect();
    copies.sort_by(|a, b| a.date.cmp(&b.date));
    copies
}

/// The latest approved copy, if any.
pub(crate) fn latest_approved(content: &Path, slug: &str) -> Option<ApprovedCopy> {
    approved_copies(content, slug).pop()
}

/// `ÅÅÅÅ-MM-DD` with digits in their places.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_the_date_named_files_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let folder = approved_dir(dir.path(), "holbaek");
        std::fs::create_dir_all(&folder).unwrap();
        for name in [
            "2024-12-17.toml",
            "2022-11-30.toml",
            "noter.toml",
            "2023-01-01.txt",
        ] {
            std::fs::write(folder.join(name), "").unwrap();
        }
        std::fs::create_dir(folder.join("2025-01-01.toml")).unwrap();
        let dates: Vec<String> = approved_copies(dir.path(), "holbaek")
            .into_iter()
            .map(|c| c.date)
            .collect();
        assert_eq!(dates, ["2022-11-30", "2024-12-17"]);
        assert_eq!(
            latest_approved(dir.path(), "holbaek").unwrap().path,
            approved_path(dir.path(), "holbaek", "2024-12-17")
        );
        assert!(approved_copies(dir.path(), "odsherred").is_empty());
    }
}
