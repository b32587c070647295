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

/// The linker as it was before it read the HTML in one pass, to compare with.
mod reference {
    use super::super::*;

    fn opens_skipped(tag: &str) -> bool {
        !tag.starts_with("</") && is_skipped(tag_name(tag))
    }

    fn closes_skipped(tag: &str) -> bool {
        tag.starts_with("</") && is_skipped(tag_name(tag))
    }

    pub(super) trait Reference {
        fn link_html_reference(&self, html: &str) -> Option<String>;
        fn link_text(&self, text: &str, linked: &mut [bool], out: &mut String) -> bool;
    }

    impl Reference for Linker {
        /// The HTML with glossary links, or `None` when no term appears.
        fn link_html_reference(&self, html: &str) -> Option<String> {
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
                let is_word = c.is_alphanumeric();
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
                        let Some(end) = matches_at_reference(text, at, &term.chars) else {
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
                        prev_is_word = term.chars.last().is_some_and(|&l| l.is_alphanumeric());
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
    fn matches_at_reference(text: &str, at: usize, term: &[char]) -> Option<usize> {
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
            Some((offset, next)) => (!(lower_char(next).is_alphanumeric()
                && last.is_alphanumeric()))
            .then_some(at + offset),
            None => Some(text.len()),
        }
    }
}

#[test]
fn ascii_prefixes_compare_as_byte_by_byte() {
    fn reference(text: &[u8], prefix: &[u8]) -> bool {
        if text.len() < prefix.len() {
            return true;
        }
        for (&have, &want) in text.iter().zip(prefix) {
            if !have.is_ascii() {
                return false;
            }
            if have.to_ascii_lowercase() != want {
                return true;
            }
        }
        false
    }
    for b in 0..128u8 {
        let word = u64::from_le_bytes([b, b'@', b'[', b'Z', b'A', b'z', b'a', 0x7f]);
        let lower = u64::from_le_bytes(
            [b, b'@', b'[', b'Z', b'A', b'z', b'a', 0x7f].map(|c| c.to_ascii_lowercase()),
        );
        let mut expected = lower.to_le_bytes();
        expected[0] = b.to_ascii_lowercase();
        assert_eq!(
            ascii_lowercase_word(word),
            u64::from_le_bytes(expected),
            "{b}"
        );
    }
    let alphabet: &[u8] = "aAbB[@zZ ø\x7f".as_bytes();
    let mut seed: u64 = 0x1234_5678_9abc_def1;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for _ in 0..50_000 {
        let prefix: Vec<u8> = (0..next(20)).map(|_| b"abz@["[next(5)]).collect();
        let mut text: Vec<u8> = prefix
            .iter()
            .map(|&b| {
                if next(2) == 0 {
                    b.to_ascii_uppercase()
                } else {
                    b
                }
            })
            .collect();
        text.truncate(next(text.len() + 1) + next(2) * text.len());
        for _ in 0..next(3) {
            let at = next(text.len() + 1);
            text.insert(at, alphabet[next(alphabet.len())]);
        }
        text.extend((0..next(12)).map(|_| alphabet[next(alphabet.len())]));
        assert_eq!(
            differs_in_ascii(&text, &prefix),
            reference(&text, &prefix),
            "{text:?} {prefix:?}"
        );
    }
}

#[test]
fn one_pass_links_as_the_reference_did() {
    use reference::Reference;
    let l = linker(&[
        ("Visitation", &["visiteret"]),
        ("Frit valg", &[]),
        ("SEL", &[]),
        ("Stk.", &["stk"]),
        ("§ 101 a", &["101a"]),
        ("Pårørende", &[]),
        ("Måltal", &[]),
        ("k", &[]),
        ("Øl", &[]),
        ("a<b", &[]),
        ("æble", &[]),
        ("×", &[]),
        ("Døgnbehandling", &[]),
        ("Behandlingsplan", &["behandlingsgaranti"]),
        ("(a)", &[]),
        ("ÿ", &[]),
    ]);
    let pieces = [
        "visitation",
        "Visiteret",
        "VISITATION",
        "frit",
        " ",
        "valg",
        "Frit valg",
        "sel",
        "SEL",
        "stk.",
        "Stk",
        "§",
        "§ 101 a",
        "101a",
        "101",
        "a",
        "pårørende",
        "PÅRØRENDE",
        "måltal",
        "\u{212a}",
        "\u{212b}",
        "K",
        "k",
        "øl",
        "Øl",
        "ØL",
        ".",
        ",",
        "-",
        "é",
        "<p>",
        "</p>",
        "<a href=\"x\">",
        "</a>",
        "<h3>",
        "</h3>",
        "<code>",
        "</code>",
        "<em>",
        "</em>",
        "<",
        ">",
        "&amp;",
        "\n",
        "x",
        "1",
        "ab",
        "b",
        "<br />",
        "<pre>",
        "</pre>",
        "<hr",
        "\u{a0}",
        "µ",
        "ß",
        "À",
        "×",
        "Æble",
        "æble",
        "\u{130}",
        "🙂",
        "behandling",
        "Behandlings",
        "plan",
        "garanti",
        "Døgn",
        "DØGNBEHANDLING",
        "(",
        ")",
        "÷",
        "ª",
        "\u{178}",
        "ÿ",
        "²",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut linked = 0;
    for _ in 0..50_000 {
        let mut html = String::new();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = (seed >> 59) as usize + 1;
        for _ in 0..n {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            html.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        let ours = l.link_html(&html);
        assert_eq!(ours, l.link_html_reference(&html), "{html:?}");
        linked += usize::from(ours.is_some());
    }
    assert!(linked > 12_000, "only {linked} of the texts had a term");
}
