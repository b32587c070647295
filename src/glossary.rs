//! Links the words of the glossary from the prose where they appear.
//!
//! Prose is HTML by the time this runs (Markdown is rendered once, at load). The first time a
//! term appears in a prose field it becomes a link to its entry on the glossary page, so a
//! reader who meets "visitation" can find out what it means. Text inside links, headings and
//! code is left alone.

use crate::model::{Markdown, Site};
use crate::scaffold::slug_for;

/// Stands for the relative path to the site root; each page replaces it with its own, since
/// prose is rendered once but appears on pages at different depths.
pub const ROOT_TOKEN: &str = "\u{1}ROOT\u{1}";

pub struct Linker {
    /// Lower-cased spellings, longest first.
    terms: Vec<Term>,
    /// Entry anchors; a term names its entry by index here.
    anchors: Vec<String>,
    /// Terms by their first character, for characters below U+0100, in `terms` order.
    by_first: Vec<Vec<usize>>,
    /// Terms whose first character is above U+00FF, in `terms` order.
    other: Vec<usize>,
}

struct Term {
    chars: Vec<char>,
    entry: usize,
}

impl Linker {
    pub fn new(site: &Site) -> Linker {
        let mut terms = Vec::new();
        let mut anchors = Vec::new();
        for entry in &site.glossary {
            let anchor = slug_for(&entry.term);
            let index = anchors
                .iter()
                .position(|a| *a == anchor)
                .unwrap_or_else(|| {
                    anchors.push(anchor);
                    anchors.len() - 1
                });
            for spelling in std::iter::once(&entry.term).chain(entry.also.iter()) {
                let chars: Vec<char> = spelling.trim().to_lowercase().chars().collect();
                if !chars.is_empty() {
                    terms.push(Term {
                        chars,
                        entry: index,
                    });
                }
            }
        }
        // Longer spellings first, so "frit valg" wins over a shorter overlapping term.
        terms.sort_by_key(|t| std::cmp::Reverse(t.chars.len()));
        let mut by_first = vec![Vec::new(); 256];
        let mut other = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            match by_first.get_mut(term.chars[0] as usize) {
                Some(bucket) => bucket.push(i),
                None => other.push(i),
            }
        }
        Linker {
            terms,
            anchors,
            by_first,
            other,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Links the first appearance of each term in one prose field.
    pub fn link(&self, markdown: &mut Markdown) {
        if self.terms.is_empty() {
            return;
        }
        if let Some(html) = self.link_html(&markdown.html) {
            markdown.html = html;
        }
    }

    /// The HTML with glossary links, or `None` when no term appears.
    pub fn link_html(&self, html: &str) -> Option<String> {
        let mut linked = vec![false; self.anchors.len()];
        let mut out = String::with_capacity(html.len() + 64);
        let mut changed = false;
        let mut skip_depth = 0usize;
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(after_lt) = rest.strip_prefix('<') {
                let end = after_lt.find('>').map_or(rest.len(), |i| i + 2);
                let tag = &rest[..end];
                if opens_skipped(tag) {
                    skip_depth += 1;
                } else if closes_skipped(tag) {
                    skip_depth = skip_depth.saturating_sub(1);
                }
                out.push_str(tag);
                rest = &rest[end..];
                continue;
            }
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            if skip_depth == 0 {
                changed |= self.link_text(text, &mut linked, &mut out);
            } else {
                out.push_str(text);
            }
            rest = &rest[end..];
        }
        changed.then_some(out)
    }

    fn link_text(&self, text: &str, linked: &mut [bool], out: &mut String) -> bool {
        // One pass over the text: at each word start, try the terms (longest first) that begin
        // with this letter. Scanning the text once per term was the slow part of loading, and
        // so was decoding every character: ASCII, most of Danish prose, is read as bytes.
        let bytes = text.as_bytes();
        let mut changed = false;
        let mut copied = 0;
        let mut prev_is_word = false;
        let mut at = 0;
        'scan: while at < bytes.len() {
            // Inside a word nothing can start: the rest of its ASCII letters are passed over.
            if prev_is_word && bytes[at].is_ascii_alphanumeric() {
                at += 1;
                continue;
            }
            let (c, len) = match bytes[at] {
                b if b.is_ascii() => (b.to_ascii_lowercase() as char, 1),
                _ => {
                    let c = text[at..].chars().next().unwrap_or(' ');
                    (lower_char(c), c.len_utf8())
                }
            };
            let is_word = is_word_char(c);
            if !prev_is_word || !is_word {
                let candidates = match self.by_first.get(c as usize) {
                    Some(bucket) => bucket.as_slice(),
                    None => self.other.as_slice(),
                };
                // The second letter rules out most candidates before a full comparison.
                let second = if candidates.is_empty() {
                    None
                } else {
                    text[at + len..].chars().next().map(lower_char)
                };
                for &i in candidates {
                    let term = &self.terms[i];
                    if linked[term.entry]
                        || term.chars[0] != c
                        || term.chars.get(1).is_some_and(|&t| Some(t) != second)
                    {
                        continue;
                    }
                    let Some(end) = matches_at(text, at, &term.chars) else {
                        continue;
                    };
                    linked[term.entry] = true;
                    out.push_str(&text[copied..at]);
                    out.push_str("<a class=\"term\" href=\"");
                    out.push_str(ROOT_TOKEN);
                    out.push_str("ordliste/#");
                    out.push_str(&self.anchors[term.entry]);
                    out.push_str("\">");
                    out.push_str(&text[at..end]);
                    out.push_str("</a>");
                    copied = end;
                    changed = true;
                    prev_is_word = term.chars.last().is_some_and(|&l| is_word_char(l));
                    at = end;
                    continue 'scan;
                }
            }
            prev_is_word = is_word;
            at += len;
        }
        out.push_str(&text[copied..]);
        changed
    }
}

/// Where `term` (lower-cased) ends if it stands at byte `at` of `text` as a whole word.
fn matches_at(text: &str, at: usize, term: &[char]) -> Option<usize> {
    let mut rest = text[at..].char_indices();
    for want in term {
        let (_, have) = rest.next()?;
        if lower_char(have) != *want {
            return None;
        }
    }
    let end = rest.next();
    let last = term[term.len() - 1];
    match end {
        Some((offset, next)) => {
            (!(is_word_char(lower_char(next)) && is_word_char(last))).then_some(at + offset)
        }
        None => Some(text.len()),
    }
}

fn tag_name(tag: &str) -> &str {
    let inner = tag.trim_start_matches('<').trim_start_matches('/');
    let end = inner
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(inner.len());
    &inner[..end]
}

fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "a" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "code" | "pre"
    )
}

fn opens_skipped(tag: &str) -> bool {
    !tag.starts_with("</") && is_skipped(tag_name(tag))
}

fn closes_skipped(tag: &str) -> bool {
    tag.starts_with("</") && is_skipped(tag_name(tag))
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// One character lower-cased, for comparing text with lower-cased terms character by
/// character. A character whose lower case is more than one character stays as it is.
pub(crate) fn lower_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GlossaryEntry;

    fn linker(entries: &[(&str, &[&str])]) -> Linker {
        let site: Site = toml::from_str("title = \"t\"").unwrap();
        let mut site = site;
        site.glossary = entries
            .iter()
            .map(|(term, also)| GlossaryEntry {
                term: term.to_string(),
                explanation: Markdown::new("x"),
                also: also.iter().map(|s| s.to_string()).collect(),
            })
            .collect();
        Linker::new(&site)
    }

    #[test]
    fn links_the_first_appearance_as_a_whole_word() {
        let l = linker(&[("Visitation", &["visiteret"])]);
        let html = l
            .link_html("<p>Efter visitationen kommer visitation. Du er visiteret.</p>")
            .unwrap();
        assert_eq!(
            html,
            format!(
                "<p>Efter visitationen kommer <a class=\"term\" href=\"{ROOT_TOKEN}ordliste/#visitation\">visitation</a>. Du er visiteret.</p>"
            )
        );
    }

    #[test]
    fn leaves_links_headings_and_code_alone() {
        let l = linker(&[("SEL", &[])]);
        assert!(
            l.link_html("<h3>SEL</h3><a href=\"x\">SEL</a><code>SEL</code>")
                .is_none()
        );
        let html = l.link_html("<h3>SEL</h3><p>Se SEL.</p>").unwrap();
        assert!(
            html.starts_with("<h3>SEL</h3><p>Se <a class=\"term\""),
            "{html}"
        );
    }

    #[test]
    fn matches_danish_letters_and_symbols() {
        let l = linker(&[("Pårørende", &[]), ("§ 101 a", &["101a"])]);
        let html = l
            .link_html("<p>PÅRØRENDE kan få hjælp efter § 101 a.</p>")
            .unwrap();
        assert!(html.contains("#paaroerende\">PÅRØRENDE</a>"), "{html}");
        assert!(html.contains("#101-a\">§ 101 a</a>"), "{html}");
    }
}
