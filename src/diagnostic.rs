//! Messages about content, for editors: Danish, with file, line, column, key, what was expected
//! and a hint.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

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
    /// The offending line of the file, shown under the message.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters to underline, from `column`.
    #[serde(skip)]
    pub underline: usize,
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
            underline: 0,
        }
    }

    pub fn warning(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Places the diagnostic at a byte range of the file's text.
    pub fn at(mut self, text: &str, span: std::ops::Range<usize>) -> Self {
        let (line, column) = line_column(text, span.start);
        self.line = Some(line);
        self.column = Some(column);
        let line_text = text.lines().nth(line - 1).unwrap_or("");
        self.source_line = Some(line_text.to_string());
        let end = span.end.min(text.len()).max(span.start);
        let covered = text.get(span.start..end).unwrap_or("");
        let covered = covered.lines().next().unwrap_or("");
        self.underline = covered.chars().count().max(1);
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
        writeln!(f, "{}: {}", self.severity.danish(), self.message)?;
        writeln!(f, "  --> {}", self.location())?;
        if let (Some(line), Some(column), Some(text)) = (self.line, self.column, &self.source_line)
        {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {text}")?;
            let lead: String = text
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {lead}{}", "^".repeat(self.underline.max(1)))?;
        }
        if let Some(key) = &self.key {
            writeln!(f, "  = nøgle: {key}")?;
        }
        if let Some(expected) = &self.expected {
            writeln!(f, "  = forventet: {expected}")?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = tip: {hint}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An operating-system error in the editor's words.
pub fn danish_io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "den findes ikke".to_string(),
        ErrorKind::PermissionDenied => "du har ikke adgang til den".to_string(),
        ErrorKind::IsADirectory => "det er en mappe, ikke en fil".to_string(),
        ErrorKind::NotADirectory => "det er en fil, ikke en mappe".to_string(),
        _ => format!("systemet svarede: {e}"),
    }
}

/// How a TOML value's type is named to an editor.
pub fn danish_type_name(value: &toml::Value) -> &'static str {
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

/// The known key nearest to a mistyped one, if it is near enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Prints diagnostics the way editors see them, with a closing count.
pub fn report(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_key_suggests_typos_only() {
        let keys = ["phone", "email", "address", "hours"];
        assert_eq!(nearest("phnoe", keys), Some("phone"));
        assert_eq!(nearest("adress", keys), Some("address"));
        assert_eq!(nearest("telefonnummer", keys), None);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = 1\nmål = \"ø\"\n";
        let offset = text.find('"').unwrap();
        assert_eq!(line_column(text, offset), (2, 7));
    }
}
