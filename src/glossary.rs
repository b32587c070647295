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
    /// Lowercased spelling, and the entry's anchor.
    terms: Vec<(Vec<char>, String)>,
}

impl Linker {
    pub fn new(site: &Site) -> Linker {
        let mut terms = Vec::new();
        for entry in &site.glossary {
            let anchor = slug_for(&entry.term);
            for spelling in std::iter::once(&entry.term).chain(entry.also.iter()) {
                let lower: Vec<char> = spelling.trim().to_lowercase().chars().collect();
                if !lower.is_empty() {
                    terms.push((lower, anchor.clone()));
                }
            }
        }
        // Longer spellings first, so "frit valg" wins over a shorter overlapping term.
        terms.sort_by_key(|t| std::cmp::Reverse(t.0.len()));
        Linker { terms }
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
        let mut linked = vec![false; self.terms.len()];
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
        // with this letter. Scanning the text once per term was the slow part of loading.
        let chars: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, lower(c))).collect();
        let mut changed = false;
        let mut copied = 0;
        let mut k = 0;
        'scan: while k < chars.len() {
            let c = chars[k].1;
            let at_word_start = k == 0 || !is_word_char(chars[k - 1].1) || !is_word_char(c);
            if at_word_start {
                for (i, (term, anchor)) in self.terms.iter().enumerate() {
                    if linked[i] || term[0] != c || !matches_at(&chars, k, term) {
                        continue;
                    }
                    let start = chars[k].0;
                    let end = chars.get(k + term.len()).map_or(text.len(), |&(i, _)| i);
                    for (j, (_, other)) in self.terms.iter().enumerate() {
                        if other == anchor {
                            linked[j] = true;
                        }
                    }
                    out.push_str(&text[copied..start]);
                    out.push_str(&format!(
                        "<a class=\"term\" href=\"{ROOT_TOKEN}ordliste/#{anchor}\">{}</a>",
                        &text[start..end]
                    ));
                    copied = end;
                    changed = true;
                    k += term.len();
                    continue 'scan;
                }
            }
            k += 1;
        }
        out.push_str(&text[copied..]);
        changed
    }
}

/// Whether `term` (lower-cased) stands at `k` as a whole word.
fn matches_at(chars: &[(usize, char)], k: usize, term: &[char]) -> bool {
    let fits = term.iter().enumerate().all(|(offset, want)| {
        chars
            .get(k + offset)
            .is_some_and(|&(_, have)| have == *want)
    });
    if !fits {
        return false;
    }
    let last = term[term.len() - 1];
    match chars.get(k + term.len()) {
        Some(&(_, next)) => !(is_word_char(next) && is_word_char(last)),
        None => true,
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

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
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
