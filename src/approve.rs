//! `kvalitet godkend`: records the council's approval in a municipality's `[approval]` table
//! and keeps a copy of the approved text as the baseline of the next revision.
//!
//! The file is edited with `toml_edit`, and only inside `[approval]`: every byte outside the
//! table stays as it was, and inside it the other keys and every comment stay too (a value
//! replaced keeps the comment after it). The new text is validated as a build would read it
//! before anything is written; the file is then replaced atomically (a temporary file beside
//! it, renamed into place) and the copy, byte for byte the file just written, goes to
//! `content/godkendt/<slug>/<ÅÅÅÅ-MM-DD>.toml`. Nothing is written when anything is refused.

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Value};

use crate::diagnostic::{Diagnostic, danish_io_error};
use crate::load::approved::{approved_copies, approved_path};
use crate::load::{LoadedMunicipality, load_municipality, municipality_files};
use crate::model::PartialDate;

/// What to approve: the municipality, as the editor names it, and the approval's facts as
/// written on the command line.
#[derive(Debug, Clone)]
pub struct Request {
    pub content: PathBuf,
    /// The file name (`holbaek`) or the municipality's name (`Holbæk`).
    pub municipality: String,
    /// `ÅÅÅÅ-MM-DD`.
    pub date: String,
    /// Who approved it, e.g. "Byrådet".
    pub by: String,
    pub case_number: Option<String>,
    pub decision_url: Option<String>,
    /// The day the approval may not be after; today unless given.
    pub today: Option<PartialDate>,
}

/// Why nothing was approved.
#[derive(Debug, Clone)]
pub enum Refusal {
    /// The municipality's file cannot be read as a build reads it: its errors, to be shown as
    /// `build` shows them.
    Load(Vec<Diagnostic>),
    /// The request cannot be done: a message and a hint, in Danish.
    Request { message: String, hint: String },
}

impl Refusal {
    fn request(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Refusal::Request {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// What was done.
#[derive(Debug, Clone)]
pub struct Approved {
    /// The municipality's name, e.g. "Holbæk Kommune".
    pub name: String,
    pub slug: String,
    /// The municipality's file, now holding the approval.
    pub file: PathBuf,
    /// The approved copy.
    pub copy: PathBuf,
    pub date: PartialDate,
    /// The copy was there already, with the same text (the same approval recorded again).
    pub copy_existed: bool,
    /// The working file's `next_revision` is missing or not after the approval: the editor is
    /// reminded to set it.
    pub revision_due: Option<PartialDate>,
    pub revision_missing: bool,
}

/// Records the approval `request` describes; see the module's documentation.
pub fn approve(request: &Request) -> Result<Approved, Refusal> {
    let date = approval_date(request)?;
    let by = request.by.trim();
    if by.is_empty() {
        return Err(Refusal::request(
            "Der står ikke, hvem der har godkendt standarden",
            "Skriv det efter --af, fx --af \"Byrådet\"",
        ));
    }
    for (what, value) in [
        ("--af", Some(by)),
        ("--sagsnr", request.case_number.as_deref()),
        ("--referat", request.decision_url.as_deref()),
    ] {
        if value.is_some_and(|v| v.chars().any(char::is_control)) {
            return Err(Refusal::request(
                format!("{what} indeholder et usynligt styretegn (fx et linjeskift)"),
                format!("Skriv {what} på én linje, uden tabulator og linjeskift"),
            ));
        }
    }
    if let Some(url) = &request.decision_url {
        let scheme = crate::url::scheme_of(url);
        if !crate::url::is_safe(url) || !matches!(scheme.as_deref(), Some("http" | "https")) {
            return Err(Refusal::request(
                format!("«{url}» er ikke en webadresse, der kan linkes til"),
                "Skriv hele adressen på referatet, med https:// foran, fx --referat https://www.kommune.dk/referat",
            ));
        }
    }

    let path = find(&request.content, &request.municipality)?;
    let loaded = load_municipality(&path).map_err(Refusal::Load)?;
    let raw =
        crate::confine::read_in_own_folder(&path, "Filen").map_err(|d| Refusal::Load(vec![d]))?;
    let old = String::from_utf8(raw).map_err(|_| {
        Refusal::request(
            format!("{} er ikke gemt som UTF-8", path.display()),
            "Gem filen med tegnsættet UTF-8 i din editor",
        )
    })?;

    let copies = approved_copies(&request.content, &loaded.slug);
    if let Some(latest) = copies.last()
        && latest.date > date.iso()
    {
        return Err(Refusal::request(
            format!(
                "Standarden er allerede godkendt {}, efter {}. En ny godkendelse skal være den nyeste",
                PartialDate::parse(&latest.date).map_or(latest.date.clone(), |d| d.danish()),
                date.danish()
            ),
            format!(
                "Tjek datoen. Den seneste godkendte tekst ligger i {}",
                latest.path.display()
            ),
        ));
    }

    let new = with_approval(&old, &date, by, request).map_err(|message| {
        Refusal::request(
            message,
            "Ret det, og prøv igen. Eller skriv godkendelsen i [approval] i hånden: approved_on = ÅÅÅÅ-MM-DD og approved_by = \"...\"",
        )
    })?;
    // The new text is read as a build will read it before it replaces the old one.
    crate::load::municipality_from_text(&path, new.clone()).map_err(Refusal::Load)?;

    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Refusal::request(
            format!("{} er et link til en anden fil", path.display()),
            "kvalitet godkend skriver ikke gennem et link. Skriv godkendelsen i den fil, linket peger på, eller gør linket til en almindelig fil",
        ));
    }
    let copy = approved_path(&request.content, &loaded.slug, &date.iso());
    let copy_existed = existing_copy(&copy)?.is_some_and(|bytes| {
        // The same approval recorded again: the copy is the text it would be.
        bytes == new.as_bytes()
    });
    if !copy_existed && copy.exists() {
        return Err(Refusal::request(
            format!(
                "Der er allerede en godkendt kopi fra {} med en anden tekst: {}",
                date.danish(),
                copy.display()
            ),
            "En godkendt tekst bliver aldrig overskrevet. Tjek datoen. Er kopien forkert, så flyt den væk først",
        ));
    }
    // The copy's folders are made before the file is written, so that a folder that cannot be
    // made leaves the file as it was.
    copy_folders(&request.content, &loaded.slug)?;

    if new != old {
        write_atomically(&path, new.as_bytes(), &path).map_err(|e| write_error(&path, &e))?;
    }
    if !copy_existed {
        write_atomically(&copy, new.as_bytes(), &path).map_err(|e| {
            Refusal::request(
                format!(
                    "Godkendelsen er skrevet i {}, men kopien af teksten kan ikke gemmes i {}: {}",
                    path.display(),
                    copy.display(),
                    danish_io_error(&e)
                ),
                "Ret fejlen, og kør den samme kommando igen. Så gemmes kopien",
            )
        })?;
    }

    let next = loaded.data.approval.as_ref().and_then(|a| a.next_revision);
    Ok(Approved {
        name: loaded.data.name.clone(),
        slug: loaded.slug.clone(),
        file: path,
        copy,
        date,
        copy_existed,
        revision_due: next.filter(|n| n.last_day() <= date.first_day()),
        revision_missing: next.is_none(),
    })
}

/// The approval's date: a whole date, not after today.
fn approval_date(request: &Request) -> Result<PartialDate, Refusal> {
    let date = crate::check::parse_reference_date(&request.date).map_err(|why| {
        // The reason without the general advice on dates, which allows a month alone.
        let why = why.split(". Skriv").next().unwrap_or(&why).to_string();
        Refusal::request(
            why,
            "Skriv den dag, standarden blev godkendt, som ÅÅÅÅ-MM-DD efter --dato, fx --dato 2024-12-17",
        )
    })?;
    let today = request.today.unwrap_or_else(crate::check::today);
    if date.first_day() > today.first_day() {
        return Err(Refusal::request(
            format!(
                "{} er ikke kommet endnu (i dag er det {})",
                date.danish(),
                today.danish()
            ),
            "Du kan først skrive godkendelsen, når byrådet har godkendt standarden",
        ));
    }
    Ok(date)
}

/// The file of the municipality `want` names, as `kvalitet check` matches names: the file
/// name first, then the name in each file that can be read.
fn find(content: &Path, want: &str) -> Result<PathBuf, Refusal> {
    let files = municipality_files(content).map_err(Refusal::Load)?;
    let slug = crate::paths::slug_for(crate::paths::short_name_of(want));
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if let Some(p) = files.iter().find(|p| stem(p) == slug) {
        return Ok(p.clone());
    }
    let loaded: Vec<(PathBuf, Option<LoadedMunicipality>)> = files
        .iter()
        .map(|p| (p.clone(), load_municipality(p).ok()))
        .collect();
    if let Some((p, _)) = loaded
        .iter()
        .find(|(_, m)| m.as_ref().is_some_and(|m| m.is_named(want)))
    {
        return Ok(p.clone());
    }
    let known: Vec<String> = loaded
        .iter()
        .map(|(p, m)| match m {
            Some(m) => format!("{} ({})", m.slug, m.data.name),
            None => stem(p),
        })
        .collect();
    Err(Refusal::request(
        format!(
            "Der er ingen kommune, der hedder «{want}», i {}",
            content.display()
        ),
        if known.is_empty() {
            "Der er ingen kommunefiler i mappen. Angiv mappen med indhold med --content".to_string()
        } else {
            format!("Du kan vælge: {}", known.join(", "))
        },
    ))
}

/// `text` with the approval written into its `[approval]` table (made at the end when there is
/// none), or why it cannot be. Every byte outside the table is kept, and checked to be.
pub(crate) fn with_approval(
    text: &str,
    date: &PartialDate,
    by: &str,
    request: &Request,
) -> Result<String, String> {
    // A byte order mark some editors write first is not TOML: it is kept aside and put back.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        return with_approval(rest, date, by, request).map(|new| format!("\u{feff}{new}"));
    }
    if text.replace("\r\n", "").contains('\r') {
        return Err("Filen har linjeskift af den gamle Mac-slags (CR alene), og dem kan kvalitet godkend ikke skrive i. Gem filen med almindelige linjeskift (LF) i din editor".into());
    }
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|_| "Filen kan ikke læses som TOML".to_string())?;
    let (year, month, day) = date.first_day();
    let on = toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: year as u16,
            month,
            day,
        }),
        time: None,
        offset: None,
    };
    let mut facts: Vec<(&str, Value)> =
        vec![("approved_by", by.into()), ("approved_on", on.into())];
    if let Some(n) = &request.case_number {
        facts.push(("case_number", n.trim().into()));
    }
    if let Some(u) = &request.decision_url {
        facts.push(("decision_url", u.trim().into()));
    }
    let created = !doc.contains_key("approval");
    if created {
        doc.insert("approval", Item::Table(toml_edit::Table::new()));
    }
    let table = doc
        .get_mut("approval")
        .and_then(Item::as_table_like_mut)
        .ok_or("approval er ikke en tabel ([approval])".to_string())?;
    let existing: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    for (key, mut value) in facts {
        match table.get_mut(key) {
            Some(Item::Value(old)) => {
                // The spaces and the comment around the old value stay around the new one.
                *value.decor_mut() = old.decor().clone();
                *old = value;
            }
            Some(_) => return Err(format!("approval.{key} er ikke en værdi")),
            None => {
                table.insert(key, Item::Value(value));
            }
        }
    }
    if let Some(Item::Table(table)) = doc.get_mut("approval") {
        place_new_keys(table, &existing);
    }
    let mut new = doc.to_string();
    if text.contains("\r\n") {
        // Lines written new end as the file's own lines do.
        new = new.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    let before = outside_approval(text);
    let after = outside_approval(&new);
    let kept = if created {
        // The table comes last: the old text is all before it.
        new.starts_with(text.trim_end()) && after.trim_end() == text.trim_end()
    } else {
        before == after
    };
    if !kept {
        return Err("Godkendelsen kan ikke skrives uden at ændre filen uden for [approval]".into());
    }
    Ok(new)
}

/// The keys of `[approval]` in the order the scaffold (`kvalitet new`) writes them.
const APPROVAL_ORDER: [&str; 6] = [
    "dated",
    "approved_by",
    "approved_on",
    "updated",
    "case_number",
    "decision_url",
];

/// Moves the keys of `table` not in `existing` (those just added) to where the scaffold has
/// them: after the last key that comes before them there, or first in the table. The keys that
/// were there keep their order, and each keeps the comments above it.
fn place_new_keys(table: &mut toml_edit::Table, existing: &[String]) {
    let order = |key: &str| APPROVAL_ORDER.iter().position(|k| *k == key);
    let rank = |key: &str| -> (usize, usize) {
        if let Some(i) = existing.iter().position(|k| k == key) {
            return (i + 1, 0);
        }
        let mine = order(key).unwrap_or(APPROVAL_ORDER.len());
        let after = existing
            .iter()
            .enumerate()
            .filter(|(_, k)| order(k).is_some_and(|o| o < mine))
            .map(|(i, _)| i + 1)
            .max()
            .unwrap_or(0);
        (after, 1 + mine)
    };
    table.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
}

/// `text` without its `[approval]` table: from its header to the comments above the next
/// header, or the end.
pub(crate) fn outside_approval(text: &str) -> String {
    match approval_range(text) {
        Some(r) => format!("{}{}", &text[..r.start], &text[r.end..]),
        None => text.to_string(),
    }
}

/// Where the `[approval]` table is in `text`: from the start of its header's line to the start
/// of the comments and blank lines above the next header (or the end). Headers are found by the TOML parser, so a line
/// inside a multi-line string is never taken for one.
fn approval_range(text: &str) -> Option<Range<usize>> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut headers: Vec<(usize, bool)> = Vec::new();
    collect_headers(doc.as_table(), &mut Vec::new(), &mut headers);
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    let start = headers.iter().find(|(_, is)| *is)?.0;
    let end = headers
        .iter()
        .map(|(at, _)| *at)
        .filter(|at| *at > start)
        .min()
        .unwrap_or(text.len());
    Some(line_start(start)..end)
}

/// The start of every table header below `table`, and whether it is `[approval]`.
fn collect_headers(table: &toml_edit::Table, path: &mut Vec<String>, out: &mut Vec<(usize, bool)>) {
    for (key, item) in table.iter() {
        path.push(key.to_string());
        match item {
            Item::Table(t) => {
                let approval = path.len() == 1 && key == "approval";
                // The approval's own comments above it are kept like any text outside it.
                let at = if approval {
                    t.span().map(|s| s.start)
                } else {
                    header_start(t)
                };
                if let Some(at) = at {
                    out.push((at, approval));
                }
                collect_headers(t, path, out);
            }
            Item::ArrayOfTables(a) => {
                for t in a.iter() {
                    if let Some(at) = header_start(t) {
                        out.push((at, false));
                    }
                    collect_headers(t, path, out);
                }
            }
            _ => {}
        }
        path.pop();
    }
}

/// Where a table's header starts, with the comments and blank lines above it that belong to it.
fn header_start(t: &toml_edit::Table) -> Option<usize> {
    let header = t.span()?.start;
    let prefix = t.decor().prefix().and_then(|p| p.span());
    Some(prefix.map_or(header, |p| p.start.min(header)))
}

/// The bytes of the copy at `copy`, if there is one. Anything there but a regular file (a link,
/// a folder, a FIFO) is refused and never opened.
fn existing_copy(copy: &Path) -> Result<Option<Vec<u8>>, Refusal> {
    match std::fs::symlink_metadata(copy) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(write_error(copy, &e)),
        Ok(m) if m.file_type().is_file() => crate::confine::read_in_own_folder(copy, "Kopien")
            .map(Some)
            .map_err(|d| Refusal::Load(vec![d])),
        Ok(_) => Err(not_a_folder_or_file(copy)),
    }
}

/// Makes `godkendt/` and `godkendt/<slug>/` in the content folder. A link there (which could
/// lead the copy out of the content folder) is refused.
fn copy_folders(content: &Path, slug: &str) -> Result<(), Refusal> {
    let top = content.join(crate::load::approved::APPROVED_DIR);
    for dir in [top.clone(), top.join(slug)] {
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_dir() => {}
            Ok(_) => return Err(not_a_folder_or_file(&dir)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&dir).map_err(|e| write_error(&dir, &e))?;
            }
            Err(e) => return Err(write_error(&dir, &e)),
        }
    }
    Ok(())
}

fn not_a_folder_or_file(path: &Path) -> Refusal {
    Refusal::request(
        format!(
            "{} er et link eller en særlig fil. kvalitet godkend skriver ikke der",
            path.display()
        ),
        "Godkendte kopier ligger i almindelige mapper og filer i content/godkendt/. Flyt det, der ligger der, væk",
    )
}

/// Replaces `path` with `bytes` in one step: a temporary file beside it, written and synced,
/// renamed over it, with the permissions of `like` (the municipality's file). Its name starts
/// with a dot, so content loading never reads it.
fn write_atomically(path: &Path, bytes: &[u8], like: &Path) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".kvalitet-godkend-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // A temporary file is made readable by its owner only; the file keeps who may read it.
    if let Ok(meta) = std::fs::metadata(like) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn write_error(path: &Path, e: &std::io::Error) -> Refusal {
    Refusal::request(
        format!(
            "{} kan ikke skrives: {}",
            path.display(),
            danish_io_error(e)
        ),
        "Tjek, at du må skrive i mappen, og at der er plads på disken. Intet er ændret",
    )
}

#[cfg(test)]
mod tests;
