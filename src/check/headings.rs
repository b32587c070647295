//! `OVERSKRIFT`: a paragraph that is only bold text, standing where a heading belongs.
//!
//! Municipal documents mark their sub-headings with bold type; carried over as `**Mål**`, such
//! a line looks like a heading but is a paragraph to a screen reader, which cannot jump to it.
//! A paragraph is taken for a heading when it is only bold text (or its first line is, as when
//! a heading is pasted with no blank line after it), short, does not end with a full stop, and
//! more text follows it in the same field. "**Behandlingen er gratis.**" is a
//! statement, not a heading.

use super::checker::Checker;
use crate::diagnostic::Severity;
use crate::model::Markdown;

/// A heading is short: a bold paragraph longer than this is emphasis.
pub(crate) const MAX_HEADING_CHARS: usize = 100;

impl Checker<'_> {
    /// Reports every heading-like bold paragraph of one prose field, at its line and column.
    pub(super) fn headings(&mut self, key: &str, md: &Markdown) {
        let mut from = self.source.value_span(key).map(|v| v.start);
        for label in heading_like_paragraphs(&md.html) {
            let (line, column) = self.place_bold(key, &label, &mut from);
            self.finding("OVERSKRIFT", Severity::Warning)
                .message(format!(
                    "Afsnittet «{label}» ligner en overskrift, men er skrevet med fed skrift"
                ))
                .at(key, line)
                .column(column)
                .hint(format!("Skriv den som en overskrift: ### {label}"))
                .push();
        }
    }

    /// The line and column of `**label**` (or `__label__`) in the key's value at or after
    /// `from`, moving `from` past it; the line of the words and no column when the label is
    /// not there as written (a character written as an escape).
    fn place_bold(
        &self,
        key: &str,
        label: &str,
        from: &mut Option<usize>,
    ) -> (Option<usize>, Option<usize>) {
        let end = self
            .source
            .value_span(key)
            .map_or(self.source.text.len(), |v| v.end);
        let found = from.and_then(|start| {
            let value = self.source.text.get(start..end)?;
            ["**", "__"].iter().find_map(|mark| {
                let needle = format!("{mark}{label}{mark}");
                value.find(&needle).map(|at| (start + at, needle.len()))
            })
        });
        match found {
            Some((at, len)) => {
                *from = Some(at + len);
                let line = self.source.line_at(at);
                let line_start = self.source.text[..at].rfind('\n').map_or(0, |n| n + 1);
                let column = self.source.text[line_start..at].chars().count() + 1;
                (Some(line), Some(column))
            }
            None => {
                let words: Vec<&str> = label.split_whitespace().collect();
                (self.line_of_words(key, &words), None)
            }
        }
    }
}

/// The text of every paragraph in a field's HTML that is only bold text, at most
/// [`MAX_HEADING_CHARS`] long, not ending with a full stop, and followed by more of the field.
pub(crate) fn heading_like_paragraphs(html: &str) -> Vec<String> {
    const OPEN: &str = "<p><strong>";
    const CLOSE: &str = "</strong></p>";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = memchr::memmem::find(rest.as_bytes(), OPEN.as_bytes()) {
        let inner_and_more = &rest[start + OPEN.len()..];
        let Some(end) = inner_and_more.find("</p>") else {
            break;
        };
        let paragraph = &inner_and_more[..end + "</p>".len()];
        rest = &inner_and_more[end + "</p>".len()..];
        // Only bold: one <strong> that closes where the paragraph does, or that fills the
        // paragraph's first line when the text goes on in the next line (a heading pasted with
        // no blank line after it).
        let (inner, text_follows_inside) = match paragraph.strip_suffix(CLOSE) {
            Some(inner) => (inner, false),
            None => match paragraph.split_once("</strong>\n") {
                Some((inner, after)) if after.trim() != "</p>" => (inner, true),
                _ => continue,
            },
        };
        if inner.contains("<strong>") || inner.contains("</strong>") {
            continue;
        }
        let label = plain_text(inner);
        let label = label.trim();
        let followed = text_follows_inside || !rest.trim().is_empty();
        if !label.is_empty()
            && followed
            && label.chars().count() <= MAX_HEADING_CHARS
            && !label.ends_with('.')
        {
            out.push(label.to_string());
        }
    }
    out
}

/// The text of an HTML fragment without its tags, with the escapes the renderer writes undone.
fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(source: &str) -> Vec<String> {
        heading_like_paragraphs(&crate::markdown::render(source).html)
    }

    #[test]
    fn a_short_bold_paragraph_followed_by_text_is_heading_like() {
        assert_eq!(labels("**Mål**\n\nVi hjælper dig.\n"), ["Mål"]);
        assert_eq!(labels("__Værdier__\n\n- Åbenhed\n"), ["Værdier"]);
        assert_eq!(
            labels("Tekst.\n\n**Hvilke tilbud omfatter behandlingen?**\n\nTekst.\n"),
            ["Hvilke tilbud omfatter behandlingen?"]
        );
        assert_eq!(
            labels("**Klage & ankestyrelse**\n\nTekst.\n"),
            ["Klage & ankestyrelse"]
        );
        // Pasted with no blank line after it: the text goes on in the same paragraph.
        assert_eq!(labels("**Mål**\nVi hjælper dig.\n"), ["Mål"]);
    }

    #[test]
    fn statements_emphasis_and_last_paragraphs_are_not() {
        assert!(labels("**Behandlingen er gratis.**\n\nDu betaler ikke.\n").is_empty());
        assert!(labels("Du kan **altid** ringe.\n\nTekst.\n").is_empty());
        assert!(labels("**Effekt.** Vi måler.\n\nTekst.\n").is_empty());
        assert!(labels("**Mål** og mere\n\nTekst.\n").is_empty());
        assert!(labels("Tekst.\n\n**Mål**\n").is_empty());
        assert!(labels("**Mål** *og* **værdier**\n\nTekst.\n").is_empty());
        let long = format!("**{}**\n\nTekst.\n", "ord ".repeat(34).trim());
        assert!(labels(&long).is_empty());
        assert!(labels("### Mål\n\nTekst.\n").is_empty());
        assert!(labels("**Effekt.**\nVi måler.\n").is_empty());
        assert!(labels("Vi siger **det**\nog mere.\n").is_empty());
    }
}
