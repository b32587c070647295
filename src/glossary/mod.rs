//! Links the words of the glossary from the prose where they appear.
//!
//! Prose is HTML by the time this runs (Markdown is rendered once, at load). The first time a
//! term appears in a prose field it becomes a link to its entry on the glossary page, so a
//! reader who meets "visitation" can find out what it means. Text inside links, headings and
//! code is left alone.

use crate::model::{Markdown, Site};
use crate::paths::slug_for;

/// Stands for the relative path to the site root; each page replaces it with its own, since
/// prose is rendered once but appears on pages at different depths.
pub(crate) const ROOT_TOKEN: &str = "\u{1}ROOT\u{1}";

pub(crate) struct Linker {
    /// Lower-cased spellings, longest first.
    terms: Vec<Term>,
    /// Entry anchors; a term names its entry by index here.
    anchors: Vec<String>,
    /// Terms by their first character, for characters below U+0100, in `terms` order.
    by_first: Vec<Vec<usize>>,
    /// Terms whose first character is above U+00FF, in `terms` order.
    other: Vec<usize>,
    /// Whether a term may start with an ASCII character followed by another, both lower-cased,
    /// at `first << 7 | second`; second 0 stands for any other second character.
    pairs: Vec<bool>,
    /// `lower_char` of U+0080 to U+00FF.
    latin1: [char; 128],
    /// What each byte of the HTML is for these terms: `NEVER`, `OTHER_MAY`, `WORD_NEVER`,
    /// `WORD_MAY`, `TAG` or `NON_ASCII`.
    class: [u8; 256],
}

struct Term {
    chars: Vec<char>,
    /// The ASCII characters `chars` starts with, as bytes.
    ascii_prefix: Vec<u8>,
    entry: usize,
}

impl Linker {
    pub(crate) fn new(site: &Site) -> Linker {
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
                    let ascii_prefix = chars
                        .iter()
                        .take_while(|c| c.is_ascii())
                        .map(|&c| c as u8)
                        .collect();
                    terms.push(Term {
                        chars,
                        ascii_prefix,
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
        let mut pairs = vec![false; 128 * 128];
        for term in &terms {
            let first = term.chars[0];
            if !first.is_ascii() {
                continue;
            }
            let row = &mut pairs[(first as usize) << 7..][..128];
            row[0] = true;
            match term.chars.get(1) {
                Some(&second) if second.is_ascii() => row[second as usize] = true,
                Some(_) => {}
                None => row.fill(true),
            }
        }
        let latin1 = std::array::from_fn(|i| lower_char(char::from(0x80 + i as u8)));
        let class = std::array::from_fn(|b| {
            let may = b < 128 && pairs[usize::from((b as u8).to_ascii_lowercase()) << 7];
            match (BYTE_CLASS[b], may) {
                (WORD, true) => WORD_MAY,
                (WORD, false) => WORD_NEVER,
                (OTHER, true) => OTHER_MAY,
                (OTHER, false) => NEVER,
                (class, _) => class,
            }
        });
        Linker {
            terms,
            anchors,
            by_first,
            other,
            pairs,
            latin1,
            class,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Links the first appearance of each term in one prose field.
    pub(crate) fn link(&self, markdown: &mut Markdown) {
        if self.terms.is_empty() {
            return;
        }
        if let Some(html) = self.link_html(&markdown.html) {
            markdown.html = html;
        }
    }

    /// The HTML with glossary links, or `None` when no term appears.
    pub(crate) fn link_html(&self, html: &str) -> Option<String> {
        // One pass over the bytes of the whole HTML. Tags are passed over, and so is the text
        // of elements left alone. In other text, a term can start at a word start or at a
        // character that is not part of a word. Each byte's class comes from one table made
        // for these terms, so a byte that cannot start a term costs a look-up, and a table of
        // first and second letters rules out most word starts before any term is compared; the
        // rest of a word is then passed over as a whole. The output is only built once a term
        // is found.
        let bytes = html.as_bytes();
        let mut small = [false; 64];
        let mut large = Vec::new();
        let linked: &mut [bool] = if self.anchors.len() <= small.len() {
            &mut small[..self.anchors.len()]
        } else {
            large.resize(self.anchors.len(), false);
            &mut large
        };
        let mut unlinked = self.anchors.len();
        let mut out = String::new();
        let mut copied = 0;
        let mut skip_depth = 0usize;
        // At the top of the loop, the character before `at` is not part of a word, or the one
        // at `at` is not (after a term), or `at` starts a text node.
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            let (c, len, is_word) = match self.class[b as usize] {
                NEVER => {
                    at += 1;
                    continue;
                }
                WORD_NEVER => {
                    at = self.word_end(html, at + 1);
                    continue;
                }
                WORD_MAY => {
                    if !self.may_start(b, bytes.get(at + 1)) {
                        at = self.word_end(html, at + 1);
                        continue;
                    }
                    (b.to_ascii_lowercase() as char, 1, true)
                }
                OTHER_MAY => {
                    if !self.may_start(b, bytes.get(at + 1)) {
                        at += 1;
                        continue;
                    }
                    (b as char, 1, false)
                }
                TAG => {
                    let end = bytes[at + 1..]
                        .iter()
                        .position(|&c| c == b'>')
                        .map_or(bytes.len(), |i| at + i + 2);
                    let tag = &html[at..end];
                    if is_skipped(tag_name(tag)) {
                        if tag.starts_with("</") {
                            skip_depth = skip_depth.saturating_sub(1);
                        } else {
                            skip_depth += 1;
                        }
                    }
                    at = end;
                    if skip_depth > 0 {
                        // The text up to the next tag is left alone.
                        at = bytes[at..]
                            .iter()
                            .position(|&c| c == b'<')
                            .map_or(bytes.len(), |i| at + i);
                    }
                    continue;
                }
                _ => {
                    let (lower, len) = self.lower_at(html, at);
                    (lower, len, self.is_word(lower))
                }
            };
            let Some((term, end)) = self.term_at(html, at, c, len, linked) else {
                at = if is_word {
                    self.word_end(html, at + len)
                } else {
                    at + len
                };
                continue;
            };
            linked[term.entry] = true;
            unlinked -= 1;
            if out.capacity() == 0 {
                out.reserve(html.len() + 64);
            }
            out.push_str(&html[copied..at]);
            out.push_str("<a class=\"term\" href=\"");
            out.push_str(ROOT_TOKEN);
            out.push_str("ordliste/#");
            out.push_str(&self.anchors[term.entry]);
            out.push_str("\">");
            out.push_str(&html[at..end]);
            out.push_str("</a>");
            copied = end;
            if unlinked == 0 {
                break;
            }
            // A term that ends in a word character is followed by none (see `matches_at`), so
            // the loop may go on from its end either way.
            at = end;
        }
        if copied == 0 {
            return None;
        }
        out.push_str(&html[copied..]);
        Some(out)
    }

    /// Where the word that goes on at byte `at` of `html` ends: the first byte that does not
    /// start a word character.
    #[inline]
    fn word_end(&self, html: &str, mut at: usize) -> usize {
        let bytes = html.as_bytes();
        loop {
            while at < bytes.len() && BYTE_CLASS[bytes[at] as usize] == WORD {
                at += 1;
            }
            match bytes.get(at) {
                Some(&b) if !b.is_ascii() => {
                    let (lower, len) = self.lower_at(html, at);
                    if !self.is_word(lower) {
                        return at;
                    }
                    at += len;
                }
                _ => return at,
            }
        }
    }

    /// The character at byte `at` of `html` lower-cased (as [`lower_char`] does), and its
    /// length in bytes.
    #[inline]
    fn lower_at(&self, html: &str, at: usize) -> (char, usize) {
        let bytes = html.as_bytes();
        match (bytes[at], bytes.get(at + 1)) {
            (b, _) if b.is_ascii() => (b.to_ascii_lowercase() as char, 1),
            // U+0080 to U+00FF, Danish letters among them: from a table.
            (b @ (0xc2 | 0xc3), Some(&next)) => {
                let index = usize::from(b & 1) << 6 | usize::from(next & 0x3f);
                (self.latin1[index], 2)
            }
            _ => {
                let c = html[at..].chars().next().unwrap_or(' ');
                (lower_char(c), c.len_utf8())
            }
        }
    }

    /// Whether `c` is part of a word, as `char::is_alphanumeric` says (see
    /// [`crate::lix::is_alphanumeric`], which answers Latin-1 without the Unicode tables).
    #[inline]
    fn is_word(&self, c: char) -> bool {
        crate::lix::is_alphanumeric(c)
    }

    /// The longest term not yet linked that starts at byte `at` of `html`, where the character
    /// `c` (lower-cased) takes `len` bytes, and where the term ends.
    #[inline(never)]
    fn term_at(
        &self,
        html: &str,
        at: usize,
        c: char,
        len: usize,
        linked: &[bool],
    ) -> Option<(&Term, usize)> {
        let candidates = match self.by_first.get(c as usize) {
            Some(bucket) => bucket.as_slice(),
            None => self.other.as_slice(),
        };
        // The second letter rules out most candidates before a full comparison.
        let second = if candidates.is_empty() || at + len >= html.len() {
            None
        } else {
            Some(self.lower_at(html, at + len).0)
        };
        candidates.iter().find_map(|&i| {
            let term = &self.terms[i];
            if linked[term.entry]
                || term.chars[0] != c
                || term.chars.get(1).is_some_and(|&t| Some(t) != second)
            {
                return None;
            }
            if differs_in_ascii(&html.as_bytes()[at..], &term.ascii_prefix) {
                return None;
            }
            self.matches_at(html, at, &term.chars)
                .map(|end| (term, end))
        })
    }

    /// Where `term` (lower-cased) ends if it stands at byte `at` of `html` as a whole word. A
    /// term ends at the latest where its text node does, at the next tag.
    fn matches_at(&self, html: &str, at: usize, term: &[char]) -> Option<usize> {
        let bytes = html.as_bytes();
        let mut end = at;
        for want in term {
            if end >= bytes.len() || bytes[end] == b'<' {
                return None;
            }
            let (have, len) = self.lower_at(html, end);
            if have != *want {
                return None;
            }
            end += len;
        }
        if end >= bytes.len() {
            return Some(html.len());
        }
        let last = term[term.len() - 1];
        let (next, _) = self.lower_at(html, end);
        (!(self.is_word(next) && self.is_word(last))).then_some(end)
    }

    /// Whether a term may start at the ASCII byte `first` followed by the byte `second`.
    /// False only when no term can: a non-ASCII second character may lower-case to anything,
    /// so it always passes, and so does the end of the text.
    fn may_start(&self, first: u8, second: Option<&u8>) -> bool {
        let class = match second {
            Some(&s) if s.is_ascii() => s.to_ascii_lowercase(),
            _ => 0,
        };
        self.pairs[usize::from(first.to_ascii_lowercase()) << 7 | usize::from(class)]
    }
}

const OTHER: u8 = 0;
const WORD: u8 = 1;
const TAG: u8 = 2;
const NON_ASCII: u8 = 3;
/// An ASCII character that is not part of a word and starts no term.
const NEVER: u8 = 4;
/// An ASCII character that is not part of a word and may start a term.
const OTHER_MAY: u8 = 5;
/// An ASCII letter or digit that starts no term.
const WORD_NEVER: u8 = 6;
/// An ASCII letter or digit that may start a term.
const WORD_MAY: u8 = 7;

/// What each byte of UTF-8 HTML is: an ASCII letter or digit (a word character), the start of
/// a tag, any other ASCII character, or part of a longer character.
const BYTE_CLASS: [u8; 256] = {
    let mut class = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = if (b as u8).is_ascii_alphanumeric() {
            WORD
        } else if b == b'<' as usize {
            TAG
        } else {
            OTHER
        };
        b += 1;
    }
    class
};

/// Whether `text` surely does not start with a term whose ASCII characters start with `prefix`:
/// it ends first, or an ASCII byte differs (lower-cased) before the first non-ASCII one. Up to
/// there, bytes are characters; an ASCII character lower-cases to ASCII and no other way.
fn differs_in_ascii(text: &[u8], prefix: &[u8]) -> bool {
    if text.len() < prefix.len() {
        return true;
    }
    // Eight bytes at a time while they are all ASCII: "behandling" is compared with
    // "behandlingsplan" in two steps, not eleven.
    let mut from = 0;
    for (have, want) in text.chunks_exact(8).zip(prefix.chunks_exact(8)) {
        let have = u64::from_le_bytes(have.try_into().unwrap_or_default());
        if have & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        if ascii_lowercase_word(have) != u64::from_le_bytes(want.try_into().unwrap_or_default()) {
            return true;
        }
        from += 8;
    }
    for (&have, &want) in text[from..].iter().zip(&prefix[from..]) {
        if !have.is_ascii() {
            return false;
        }
        if have.to_ascii_lowercase() != want {
            return true;
        }
    }
    false
}

/// Eight ASCII bytes, each lower-cased as `to_ascii_lowercase` does.
fn ascii_lowercase_word(word: u64) -> u64 {
    const EACH: u64 = 0x0101_0101_0101_0101;
    // With every byte below 0x80, adding sets a byte's high bit exactly when it is at least
    // 'A' (or past 'Z'), and no carry crosses a byte.
    let from_a = word + EACH * (0x80 - u64::from(b'A'));
    let past_z = word + EACH * (0x80 - u64::from(b'Z') - 1);
    let upper = from_a & !past_z & (EACH * 0x80);
    word | (upper >> 2)
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
mod tests;
