//! Messages about content, for editors: Danish, with file, line, column, key, what was expected
//! and a hint.
//!
//! Their size is bounded whatever the file: a source line longer than [`WHOLE_LINE`] characters
//! is shown as an excerpt of [`CONTEXT`] characters either side of the column, and a report shows at most
//! [`SHOWN_PER_FILE`] diagnostics per file, then how many more there are. Placing a diagnostic
//! costs the characters of its own line up to the column, never the text before that line.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// At most this many diagnostics are shown per file; the rest are counted.
pub(crate) const SHOWN_PER_FILE: usize = 20;

/// A source line this long or shorter is shown whole.
pub(crate) const WHOLE_LINE: usize = 120;

/// Characters of a longer source line shown either side of an error's column.
pub(crate) const CONTEXT: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn danish(self) -> &'static str {
        match self {
            Severity::Error => "fejl",
            Severity::Warning => "advarsel",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    /// 1-based; absent where the problem is the file as a whole.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Dotted path of the key, e.g. `units[0].phone`.
    pub key: Option<String>,
    pub message: String,
    pub expected: Option<String>,
    pub hint: Option<String>,
    /// The offending line of the file, shown under the message: whole if short, else
    /// [`CONTEXT`] characters either side of the column, "…" where it is cut; control
    /// characters made visible.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters of `source_line` come before the underline.
    #[serde(skip)]
    pub caret: usize,
    /// How many characters to underline, from `caret`.
    #[serde(skip)]
    pub underline: usize,
    /// Not zero only on the line standing for errors that are counted but not shown.
    #[serde(skip)]
    pub more: usize,
}

impl Diagnostic {
    pub fn error(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: None,
            column: None,
            key: None,
            message: message.into(),
            expected: None,
            hint: None,
            source_line: None,
            caret: 0,
            underline: 0,
            more: 0,
        }
    }

    pub fn warning(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Stands for `more` errors in `file` that are counted but not shown.
    pub(crate) fn more_in_file(file: &Path, more: usize) -> Self {
        Diagnostic {
            more,
            ..Diagnostic::error(file, format!("… og {more} fejl mere i denne fil"))
        }
    }

    /// Places the diagnostic at a byte range of the file's text. Costs the text before the
    /// range: a file with many diagnostics uses [`Diagnostic::at_line`] with a line index.
    pub fn at(self, text: &str, span: Range<usize>) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let bytes = text.as_bytes();
        let mut line = 1;
        let mut line_start = 0;
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[..start]) {
            // "\r\n" is one line end, counted at its "\n".
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            line += 1;
            line_start = i + 1;
        }
        self.at_line(text, line, line_start, span)
    }

    /// Places the diagnostic at a byte range of `text` whose line `line` (1-based) starts at
    /// byte `line_start`. Costs the characters from the line's start to the range and a bounded
    /// excerpt around it, never the rest of the line or of the file.
    pub(crate) fn at_line(
        mut self,
        text: &str,
        line: usize,
        line_start: usize,
        span: Range<usize>,
    ) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let line_start = floor_char_boundary(text, line_start.min(start));
        self.line = Some(line);
        let column = text[line_start..start].chars().count();
        self.column = Some(column + 1);

        // Characters after the column up to the line's end, counted no further than needed.
        let after = |limit: usize| {
            let mut to = start;
            for (taken, (i, c)) in text[start..].char_indices().enumerate() {
                if c == '\n' || c == '\r' {
                    return (to, false);
                }
                if taken == limit {
                    return (to, true);
                }
                to = start + i + c.len_utf8();
            }
            (to, false)
        };
        let (from, cut_before, (to, cut_after)) = match after(WHOLE_LINE) {
            (to, false) if column + text[start..to].chars().count() <= WHOLE_LINE => {
                (line_start, false, (to, false))
            }
            _ => {
                let mut from = start;
                let mut cut_before = false;
                for (taken, (i, _)) in text[line_start..start].char_indices().rev().enumerate() {
                    if taken == CONTEXT {
                        cut_before = true;
                        break;
                    }
                    from = line_start + i;
                }
                (from, cut_before, after(CONTEXT))
            }
        };
        let mut shown = String::with_capacity(to - from + 6);
        if cut_before {
            shown.push('…');
        }
        shown.extend(text[from..to].chars().map(visible));
        if cut_after {
            shown.push('…');
        }
        self.source_line = Some(shown);
        self.caret = usize::from(cut_before) + text[from..start].chars().count();
        let end = floor_char_boundary(text, span.end.clamp(start, to));
        self.underline = text[start..end].chars().count().max(1);
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` or just `file`.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file.display()),
            (Some(l), None) => format!("{}:{l}", self.file.display()),
            _ => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.more > 0 {
            return writeln!(f, "{}", Printable(&self.message));
        }
        let message = Printable(&self.message);
        writeln!(f, "{}: {message}", self.severity.danish())?;
        writeln!(f, "  --> {}", Printable(&self.location()))?;
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {}", Printable(text))?;
            let lead: String = text
                .chars()
                .take(self.caret)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {lead}{}", "^".repeat(self.underline.max(1)))?;
        }
        if let Some(key) = &self.key {
            writeln!(f, "  = nøgle: {}", Printable(key))?;
        }
        if let Some(expected) = &self.expected {
            writeln!(f, "  = forventet: {}", Printable(expected))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = tip: {}", Printable(hint))?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset. A line ends at "\n", "\r\n" or a
/// lone "\r" (old Mac files). The plain reference the source files' line index is tested
/// against.
#[cfg(test)]
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let d = Diagnostic::error(Path::new(""), "").at(text, offset..offset);
    (d.line.unwrap_or(1), d.column.unwrap_or(1))
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A character of a file as it may be shown in a terminal or a page: a control character
/// (which could move the cursor, recolour or clear the editor's terminal) becomes U+FFFD. Tabs
/// stay, so the underline lines up.
fn visible(c: char) -> char {
    if c.is_control() && c != '\t' {
        '\u{FFFD}'
    } else {
        c
    }
}

/// Text that may come from a file (a key, a name), written to a terminal: line breaks and tabs
/// kept, every other control character shown as U+FFFD.
struct Printable<'a>(&'a str);

impl fmt::Display for Printable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(|c: char| c.is_control() && c != '\n' && c != '\t') {
            f.write_str(&rest[..i])?;
            f.write_str("\u{FFFD}")?;
            let len = rest[i..].chars().next().map_or(1, char::len_utf8);
            rest = &rest[i + len..];
        }
        f.write_str(rest)
    }
}

/// An operating-system error in the editor's words; the system's own (English) text follows
/// only as a detail in parentheses.
pub(crate) fn danish_io_error(e: &std::io::Error) -> String {
    let danish = match e.raw_os_error() {
        // Kinds std does not name on stable Rust.
        Some(libc::ELOOP) => "der er for mange genveje i træk (måske en genvej til sig selv)",
        Some(libc::EIO) => "drevet kunne ikke læses eller skrives",
        Some(libc::ENXIO | libc::ENODEV) => "enheden findes ikke",
        Some(libc::EMFILE | libc::ENFILE) => "der er for mange åbne filer",
        _ => danish_io_kind(e.kind()),
    };
    // An error made from a kind alone has no text of its own beyond the kind's English name.
    if e.raw_os_error().is_none() && e.get_ref().is_none() {
        return danish.to_string();
    }
    let system = e.to_string();
    let system = match e.raw_os_error() {
        Some(code) => format!(
            "{}, fejlkode {code}",
            system
                .strip_suffix(&format!(" (os error {code})"))
                .unwrap_or(&system)
        ),
        None => system,
    };
    format!("{danish} (systemet siger: {system})")
}

/// Every kind of operating-system error, in Danish.
fn danish_io_kind(kind: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind as K;
    match kind {
        K::NotFound => "den findes ikke",
        K::PermissionDenied => "du har ikke adgang til den",
        K::IsADirectory => "det er en mappe, ikke en fil",
        K::NotADirectory => "det er en fil, ikke en mappe",
        K::AlreadyExists => "den findes allerede",
        K::DirectoryNotEmpty => "mappen er ikke tom",
        K::ReadOnlyFilesystem => "drevet kan kun læses, ikke skrives på",
        K::StorageFull => "der er ikke mere plads på drevet",
        K::QuotaExceeded => "du har brugt al den plads, du må bruge på drevet",
        K::FileTooLarge => "filen er for stor",
        K::ResourceBusy => "den er optaget af et andet program",
        K::ExecutableFileBusy => "filen bliver kørt som program lige nu",
        K::Deadlock => "to programmer venter på hinanden",
        K::CrossesDevices => "den kan ikke flyttes til et andet drev",
        K::TooManyLinks => "der er for mange henvisninger til filen",
        K::InvalidFilename => "navnet kan ikke bruges som filnavn (for langt eller ugyldige tegn)",
        K::ArgumentListTooLong => "der er for mange eller for lange argumenter",
        K::StaleNetworkFileHandle => "netværksdrevet har mistet forbindelsen til filen",
        K::NotSeekable => "den kan ikke læses som en almindelig fil",
        K::InvalidInput => "systemet kunne ikke bruge det, programmet bad om",
        K::InvalidData => "indholdet er ikke i det forventede format",
        K::UnexpectedEof => "filen sluttede før forventet",
        K::WriteZero => "der kunne ikke skrives mere",
        K::Interrupted => "handlingen blev afbrudt",
        K::WouldBlock => "den er ikke klar endnu",
        K::TimedOut => "det tog for lang tid",
        K::Unsupported => "systemet understøtter ikke handlingen",
        K::OutOfMemory => "der er ikke nok hukommelse",
        K::BrokenPipe => "modtageren lukkede forbindelsen",
        K::ConnectionRefused => "forbindelsen blev afvist",
        K::ConnectionReset => "forbindelsen blev afbrudt",
        K::ConnectionAborted => "forbindelsen blev afbrudt",
        K::NotConnected => "der er ingen forbindelse",
        K::AddrInUse => "adressen er allerede i brug",
        K::AddrNotAvailable => "adressen findes ikke på denne maskine",
        K::HostUnreachable => "maskinen kan ikke nås",
        K::NetworkUnreachable => "netværket kan ikke nås",
        K::NetworkDown => "netværket er nede",
        K::Other => "systemet meldte en fejl",
        _ => "systemet meldte en fejl",
    }
}

/// How a TOML value's type is named to an editor.
pub(crate) fn danish_type_name(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "tekst",
        toml::Value::Integer(_) => "et helt tal",
        toml::Value::Float(_) => "et kommatal",
        toml::Value::Boolean(_) => "sand/falsk (true/false)",
        toml::Value::Datetime(_) => "en dato",
        toml::Value::Array(_) => "en liste",
        toml::Value::Table(_) => "en tabel",
    }
}

/// The known key nearest to a mistyped one, if it is near enough to be a likely typo. Distance
/// is Damerau-Levenshtein: swapping two neighbouring letters (`phnoe`) is one mistake, as an
/// editor sees it, not two.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Prints diagnostics the way editors see them, grouped by file in the order the files first
/// appear: at most [`SHOWN_PER_FILE`] per file, then a line counting the rest. The closing
/// count includes the ones not shown.
pub fn report(diagnostics: &[Diagnostic]) -> String {
    let mut files: Vec<(&Path, Vec<&Diagnostic>)> = Vec::new();
    let mut group_of: std::collections::HashMap<&Path, usize> = Default::default();
    for d in diagnostics {
        let i = *group_of.entry(&d.file).or_insert_with(|| {
            files.push((&d.file, Vec::new()));
            files.len() - 1
        });
        files[i].1.push(d);
    }
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    for (_, group) in &files {
        let (mut shown, mut hidden_errors, mut hidden_others) = (0, 0, 0);
        for d in group {
            if d.more > 0 {
                hidden_errors += d.more;
                errors += d.more;
                continue;
            }
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => {}
            }
            if shown < SHOWN_PER_FILE {
                shown += 1;
                out.push_str(&d.to_string());
                out.push('\n');
            } else if d.is_error() {
                hidden_errors += 1;
            } else {
                hidden_others += 1;
            }
        }
        let hidden = match (hidden_errors, hidden_others) {
            (0, 0) => None,
            (e, 0) => Some(format!("{e} fejl")),
            (0, o) => Some(format!("{o} {}", beskeder(o))),
            (e, o) => Some(format!("{e} fejl og {o} {}", beskeder(o))),
        };
        if let Some(hidden) = hidden {
            out.push_str(&format!("… og {hidden} mere i denne fil\n\n"));
        }
    }
    if errors > 0 {
        out.push_str(&format!(
            "{errors} fejl og {warnings} {} i indholdet.\n",
            if warnings == 1 {
                "advarsel"
            } else {
                "advarsler"
            }
        ));
    }
    out
}

fn beskeder(n: usize) -> &'static str {
    if n == 1 { "besked" } else { "beskeder" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_key_suggests_typos_only() {
        let keys = ["phone", "email", "address", "hours"];
        assert_eq!(nearest("phnoe", keys), Some("phone"));
        assert_eq!(nearest("adress", keys), Some("address"));
        assert_eq!(nearest("telefonnummer", keys), None);
        // Two letters swapped and one doubled: two mistakes, not three.
        assert_eq!(nearest("phnoee", keys), Some("phone"));
    }

    #[test]
    fn every_system_error_kind_is_told_in_danish_with_the_system_text_in_parentheses() {
        use std::io::{Error, ErrorKind};
        for code in 1..=133 {
            let e = Error::from_raw_os_error(code);
            let text = danish_io_error(&e);
            let (danish, detail) = text.split_once(" (systemet siger: ").unwrap();
            assert!(
                !danish.is_empty() && !danish.contains(&e.to_string()),
                "{code} {:?}: {text}",
                e.kind()
            );
            assert!(detail.ends_with(&format!(", fejlkode {code})")), "{text}");
        }
        let busy = danish_io_error(&Error::from_raw_os_error(libc::EBUSY));
        assert!(
            busy.starts_with(
                "den er optaget af et andet program (systemet siger: Device or resource busy"
            ),
            "{busy}"
        );
        // A kind alone has no system text worth showing.
        assert_eq!(
            danish_io_error(&Error::from(ErrorKind::NotFound)),
            "den findes ikke"
        );
        let own = danish_io_error(&Error::new(
            ErrorKind::InvalidInput,
            "invalid input parameter",
        ));
        assert!(
            own.ends_with("(systemet siger: invalid input parameter)"),
            "{own}"
        );
        assert!(!own.starts_with("invalid"), "{own}");
    }

    #[test]
    fn a_long_line_is_shown_as_an_excerpt_with_the_caret_on_the_error() {
        let text = format!(
            "a = \"{}\" {}!{}\nb = 1\n",
            "x".repeat(5000),
            "y".repeat(10),
            "z".repeat(5000)
        );
        let at = text.find('!').unwrap();
        let d = Diagnostic::error(Path::new("f.toml"), "fejl").at(&text, at..at + 1);
        let shown = d.source_line.as_deref().unwrap();
        assert_eq!(shown.chars().count(), 2 * CONTEXT + 2, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().nth(d.caret), Some('!'));
        assert_eq!(d.column, Some(5000 + 18));
        assert!(d.to_string().len() < 400, "{d}");
    }

    #[test]
    fn a_short_line_is_shown_whole_without_its_line_end() {
        let text = "a = 1\r\nb = æ\r\nc = 3";
        let at = text.find('æ').unwrap();
        let d = Diagnostic::error(Path::new("f.toml"), "fejl").at(text, at..at + 2);
        assert_eq!(d.source_line.as_deref(), Some("b = æ"));
        assert_eq!(
            (d.line, d.column, d.caret, d.underline),
            (Some(2), Some(5), 4, 1)
        );
    }

    #[test]
    fn control_characters_from_a_file_never_reach_the_terminal() {
        let text = "navn = \"\u{1b}[2J\u{7}\"";
        let d = Diagnostic::error(Path::new("f.toml"), "Ukendt nøgle «\u{1b}[31m»")
            .at(text, 8..9)
            .key("\u{1b}]0;title\u{7}");
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "a = 1\rb = 2\r\nc = 3\nd";
        assert_eq!(line_column(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(line_column(text, text.find('c').unwrap()), (3, 1));
        assert_eq!(line_column(text, text.find('d').unwrap()), (4, 1));
    }

    #[test]
    fn a_report_shows_twenty_per_file_and_counts_the_rest() {
        let mut all = Vec::new();
        for i in 0..30 {
            all.push(Diagnostic::error(
                Path::new("a.toml"),
                format!("fejl nr. {i}"),
            ));
            all.push(Diagnostic::warning(
                Path::new("b.toml"),
                format!("advarsel nr. {i}"),
            ));
        }
        all.push(Diagnostic::more_in_file(Path::new("c.toml"), 7));
        let text = report(&all);
        assert_eq!(text.matches("fejl: fejl nr.").count(), SHOWN_PER_FILE);
        assert_eq!(
            text.matches("advarsel: advarsel nr.").count(),
            SHOWN_PER_FILE
        );
        assert!(text.contains("… og 10 fejl mere i denne fil"), "{text}");
        assert!(text.contains("… og 10 beskeder mere i denne fil"), "{text}");
        assert!(text.contains("… og 7 fejl mere i denne fil"), "{text}");
        assert!(
            text.ends_with("37 fejl og 30 advarsler i indholdet.\n"),
            "{text}"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nmål = \"ø\"\n";
        let offset = text.find('"').unwrap();
        assert_eq!(line_column(text, offset), (2, 7));
    }
}
