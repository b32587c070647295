//! Where a TOML text's strings begin and end, found without the parser: after a mistake the
//! parser pairs quotes wrongly, and this scan says which opening quote went unanswered.
//!
//! The scan knows comments, the four kinds of string and backslash escapes, nothing else. It
//! costs one pass over the bytes, and is run only on a file with syntax errors.

use std::ops::Range;

/// One string as the scan reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Literal {
    /// `"`, `'`, `"""` or `'''`.
    pub quote: &'static str,
    /// From the opening quote to after the closing one (or the line end or file end, if open).
    pub span: Range<usize>,
    /// Where the closing quote starts, if there is one.
    pub close: Option<usize>,
}

impl Literal {
    pub(super) fn multiline(&self) -> bool {
        self.quote.len() == 3
    }

    /// Whether `offset` lies inside the string, quotes included.
    pub(super) fn contains(&self, offset: usize) -> bool {
        self.span.contains(&offset)
    }
}

/// Every string of `text`, in order.
pub(super) fn literals(text: &str) -> Vec<Literal> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n),
            q @ (b'"' | b'\'') => {
                let triple = bytes[i..].starts_with(if q == b'"' { b"\"\"\"" } else { b"'''" });
                let lit = if triple {
                    multiline(bytes, i, q)
                } else {
                    single(bytes, i, q)
                };
                i = lit.span.end.max(i + 1);
                out.push(lit);
            }
            _ => i += 1,
        }
    }
    out
}

fn quote_of(q: u8, triple: bool) -> &'static str {
    match (q, triple) {
        (b'"', false) => "\"",
        (b'"', true) => "\"\"\"",
        (_, false) => "'",
        (_, true) => "'''",
    }
}

fn single(bytes: &[u8], start: usize, q: u8) -> Literal {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == b'"' => i += 2,
            b'\n' | b'\r' => break,
            c if c == q => {
                return Literal {
                    quote: quote_of(q, false),
                    span: start..i + 1,
                    close: Some(i),
                };
            }
            _ => i += 1,
        }
    }
    Literal {
        quote: quote_of(q, false),
        span: start..i.min(bytes.len()),
        close: None,
    }
}

fn multiline(bytes: &[u8], start: usize, q: u8) -> Literal {
    let mut i = start + 3;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q && bytes[i..].starts_with(&[q, q, q]) => {
                // Up to two more quotes belong to the text: `""""` ends a text with `"`.
                let mut end = i + 3;
                while end < bytes.len() && end < i + 5 && bytes[end] == q {
                    end += 1;
                }
                return Literal {
                    quote: quote_of(q, true),
                    span: start..end,
                    close: Some(end - 3),
                };
            }
            _ => i += 1,
        }
    }
    Literal {
        quote: quote_of(q, true),
        span: start..bytes.len(),
        close: None,
    }
}

/// The string of `literals` (in order, as [`literals`] gives them) that holds `offset`.
pub(super) fn holding(literals: &[Literal], offset: usize) -> Option<&Literal> {
    let after = literals.partition_point(|l| l.span.start <= offset);
    literals[..after].last().filter(|l| l.contains(offset))
}

/// The longest `key = ` before a value that is looked for; keys are short.
const KEY_LINE: usize = 200;

/// A string whose opening quote was not answered where the editor meant it to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unclosed {
    pub quote: &'static str,
    /// The opening quote.
    pub open: Range<usize>,
    /// The quote that closed it instead, meant to open the next text; `None` if the text runs
    /// to the end of the file, or (for `"`) to the end of its line.
    pub closed_by: Option<usize>,
    /// The text has its end but not its start: `open` is then the `=` of the `key =` line
    /// where the start was forgotten, and `closed_by` the text's end.
    pub missing_opening: bool,
}

/// The first string of `text` that is not closed where it should be: a `"""` text that runs to
/// the end of the file, or that is closed by the `"""` of a later `key = """` line (so its end
/// was forgotten and the quotes pair wrongly from there on); or a `key = "` with nothing after it
/// on its line (a long text begun with one quote).
pub(super) fn first_unclosed(text: &str, literals: &[Literal]) -> Option<Unclosed> {
    literals.iter().find_map(|lit| {
        let open = lit.span.start..lit.span.start + lit.quote.len();
        if lit.multiline() {
            return match lit.close {
                Some(close) if !opens_a_value(text, close) => None,
                close => Some(forgotten_opening(text, lit).unwrap_or(Unclosed {
                    quote: lit.quote,
                    open,
                    closed_by: close,
                    missing_opening: false,
                })),
            };
        }
        // An open `"` runs to its line's end: what follows it on the line is its text.
        let rest_of_line = text.get(open.end..lit.span.end).unwrap_or("");
        (lit.close.is_none() && rest_of_line.trim().is_empty() && opens_a_value(text, open.start))
            .then_some(Unclosed {
                quote: lit.quote,
                open,
                closed_by: None,
                missing_opening: false,
            })
    })
}

/// How many lines above a lone `"""` the `key =` that lost its `"""` is looked for.
const TEXT_LINES: usize = 1000;

/// When `lit` opens with a `"""` alone on its line (so it was the end of a text), the `key =`
/// line above it that has no value: the text's start was forgotten there.
fn forgotten_opening(text: &str, lit: &Literal) -> Option<Unclosed> {
    let at = lit.span.start;
    let bytes = text.as_bytes();
    let line_start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |i| at + i);
    if text[line_start..line_end].trim() != lit.quote {
        return None;
    }
    let mut end = line_start.checked_sub(1)?;
    for _ in 0..TEXT_LINES {
        let start = memchr::memrchr(b'\n', &bytes[..end]).map_or(0, |i| i + 1);
        let line = text[start..end].trim_end();
        if line.trim_start().starts_with('[') || line.contains(lit.quote) {
            return None;
        }
        if line.ends_with('=') && opens_a_value(text, start + line.len()) {
            let eq = start + line.len() - 1;
            return Some(Unclosed {
                quote: lit.quote,
                open: eq..eq + 1,
                closed_by: Some(at),
                missing_opening: true,
            });
        }
        end = start.checked_sub(1)?;
    }
    None
}

/// Whether the quote at `at` stands where a value starts: after `key =` at the start of its line.
/// Looks back at most [`KEY_LINE`] bytes, so a long line of many strings costs linear time.
fn opens_a_value(text: &str, at: usize) -> bool {
    let before = text.as_bytes()[..at].trim_ascii_end();
    if before.last() != Some(&b'=') {
        return false;
    }
    let mut from = at.saturating_sub(KEY_LINE);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let line_start = match memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[from..at]) {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => return false,
    };
    let Some(key) = text[line_start..at].trim_end().strip_suffix('=') else {
        return false;
    };
    let key = key.trim();
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | '\'' | ' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed(text: &str) -> Option<(usize, Option<usize>)> {
        first_unclosed(text, &literals(text)).map(|u| (u.open.start, u.closed_by))
    }

    #[test]
    fn strings_comments_and_escapes_are_read_as_toml_reads_them() {
        let text = "a = \"x \\\" # y\" # \"not\"\nb = '''c'''' \nd = \"\"\"\ne\"\"\"\"\n";
        let lits = literals(text);
        let quotes: Vec<&str> = lits.iter().map(|l| l.quote).collect();
        assert_eq!(quotes, ["\"", "'''", "\"\"\""]);
        assert_eq!(&text[lits[0].span.clone()], "\"x \\\" # y\"");
        assert_eq!(&text[lits[1].span.clone()], "'''c''''");
        assert_eq!(&text[lits[2].span.clone()], "\"\"\"\ne\"\"\"\"");
        assert!(lits.iter().all(|l| l.close.is_some()));
    }

    #[test]
    fn a_forgotten_end_is_found_at_its_opening() {
        let ok = "[a]\ntext = \"\"\"\nEn tekst.\n\"\"\"\n[b]\ntext = \"\"\"\nTo.\n\"\"\"\n";
        assert_eq!(unclosed(ok), None);
        let missing = ok.replacen("En tekst.\n\"\"\"\n", "En tekst.\n", 1);
        let second = missing.rfind("text").unwrap() + 7;
        assert_eq!(unclosed(&missing), Some((11, Some(second))));
        let at_end = &ok[..ok.len() - 4];
        let last = ok.rfind("\"\"\"\nTo").unwrap();
        assert_eq!(unclosed(at_end), Some((last, None)));
        let no_start = ok.replacen("text = \"\"\"", "text =", 1);
        let end = no_start.find("\"\"\"").unwrap();
        let found = first_unclosed(&no_start, &literals(&no_start)).unwrap();
        assert_eq!((found.open.start, found.closed_by), (9, Some(end)));
        assert!(found.missing_opening);
        let one_quote = ok.replacen("text = \"\"\"", "text = \"", 1);
        assert_eq!(unclosed(&one_quote), Some((11, None)));
        // A short text missing its end on its line is not a long text.
        assert_eq!(unclosed("a = \"abc\nb = 1\n"), None);
    }
}
