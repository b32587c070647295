//! Plain language: LIX, long sentences and unexplained words in each text, and LIX per section.

use super::SectionLix;
use super::checker::Checker;
use crate::diagnostic::Severity;
use crate::lix::{self, Analysis};

/// A prose field with fewer words than this gets no LIX warning of its own: the LIX of a few
/// words swings wildly with one long word. It still counts towards its section's LIX.
pub(crate) const MIN_WORDS_FOR_LIX_WARNING: usize = 10;

impl Checker<'_> {
    /// LIX, long sentences and unexplained words in one prose field. Returns the analysis,
    /// so that sections add up their fields' counts without reading the text again.
    pub(super) fn language<'t>(&mut self, key: &str, text: &'t str) -> Analysis<'t> {
        let analysis = lix::analyse(text);
        if let Some(l) = analysis.lix
            && l.words >= MIN_WORDS_FOR_LIX_WARNING
            && l.rounded() > self.options.lix_warning
        {
            // The three longest words (a stable sort: equally long ones in the order they
            // appear), each named once even where it appears apart from itself.
            let mut words: Vec<&str> = analysis.very_long_words.clone();
            words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            let mut long: Vec<&str> = Vec::with_capacity(3);
            for w in words {
                if long.len() == 3 {
                    break;
                }
                if !long.contains(&w) {
                    long.push(w);
                }
            }
            let mut hint = format!(
                "Sætningerne har i gennemsnit {:.0} ord, og {:.0} % af ordene er lange (over seks bogstaver). Skriv kortere sætninger og brug kortere ord",
                l.words as f64 / l.sentences as f64,
                100.0 * l.long_words as f64 / l.words as f64
            );
            if !long.is_empty() {
                hint.push_str(&format!(", fx i stedet for «{}»", long.join("», «")));
            }
            let first_words: Vec<&str> = text.split_whitespace().take(5).collect();
            let line = self.line_of_words(key, &first_words);
            let limit = self.options.lix_warning;
            self.finding("LIX", Severity::Warning)
                .message(format!(
                    "Teksten har LIX {:.0} ({}). Målet er højst {:.0}",
                    l.rounded(),
                    l.band().danish(),
                    limit
                ))
                .at(key, line)
                .hint(hint)
                .push();
        }
        for s in analysis.long_sentences() {
            let words: Vec<&str> = s.text.split_whitespace().collect();
            let quote = if words.len() > 12 {
                format!("{} …", words[..12].join(" "))
            } else {
                s.text.clone()
            };
            let line = self.line_of_words(key, &words);
            self.finding("SÆTNING", Severity::Info)
                .message(format!("Sætningen har {} ord: «{quote}»", s.words))
                .at(key, line)
                .hint("Del den op i kortere sætninger med højst 25 ord")
                .push();
        }
        for (term, at) in self.unexplained.find_in(text) {
            let found = text.get(at..).unwrap_or("");
            let shown: String = found
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '§' | ' '))
                .collect::<String>();
            let shown = shown.trim();
            let shown = if term.prefix {
                shown.split(' ').next().unwrap_or(shown)
            } else {
                term.name
            };
            let line = self.line_of_words(key, &[shown]);
            self.finding("ORD", Severity::Warning)
                .message(format!(
                    "«{shown}» står i teksten, men ordlisten forklarer det ikke"
                ))
                .at(key, line)
                .hint(if term.meaning.is_empty() {
                    format!(
                        "Tilføj «{}» til [[glossary]] i site.toml, eller skriv det med almindelige ord",
                        term.name
                    )
                } else {
                    format!(
                        "«{}» betyder {}. Skriv det med almindelige ord, eller tilføj «{}» til [[glossary]] i site.toml",
                        term.name, term.meaning, term.name
                    )
                })
                .push();
        }
        analysis
    }
}

/// What a section's LIX is computed from; counts add up across texts.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct LixCounts {
    pub(super) words: usize,
    pub(super) sentences: usize,
    pub(super) long_words: usize,
    pub(super) long_sentences: usize,
}

impl LixCounts {
    pub(super) fn add(&mut self, a: &Analysis) {
        if let Some(l) = a.lix {
            self.words += l.words;
            self.long_words += l.long_words;
        }
        self.sentences += a.sentences;
        self.long_sentences += a.long.len();
    }

    pub(super) fn merge(&mut self, other: &LixCounts) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.long_words += other.long_words;
        self.long_sentences += other.long_sentences;
    }

    pub(super) fn section(&self, id: String, title: String, place: u8, limit: f64) -> SectionLix {
        let LixCounts {
            words,
            sentences,
            long_words,
            long_sentences,
        } = *self;
        let value = lix::value(words, sentences, long_words);
        SectionLix {
            section: id,
            title,
            place,
            lix: value.map(|v| (v * 10.0).round() / 10.0),
            band: value.map(|v| lix::band(v).danish()),
            words,
            sentences: if words > 0 { sentences.max(1) } else { 0 },
            long_words,
            long_sentences,
            above_limit: value.is_some_and(|v| v.round() > limit),
        }
    }
}

/// The LIX of all of a municipality's offers together, from their counts; `None` if it has
/// none with words.
pub(super) fn merge_offers_lix(offers: &[&SectionLix], limit: f64) -> Option<SectionLix> {
    let place = offers.first()?.place;
    let mut counts = LixCounts::default();
    for p in offers {
        counts.merge(&LixCounts {
            words: p.words,
            sentences: p.sentences,
            long_words: p.long_words,
            long_sentences: p.long_sentences,
        });
    }
    Some(counts.section("tilbud".to_string(), "Tilbud".to_string(), place, limit))
}

impl Checker<'_> {
    /// A Markdown table in a prose field (`| a | b |` over `| --- | --- |`): the page shows it
    /// without a caption, group headers or a scrolling box, so the editor hears, at its first
    /// row, that structured content does it better.
    pub(super) fn prose_table(&mut self, key: &str, md: &crate::model::Markdown) {
        let Some(at) = memchr::memmem::find(md.html.as_bytes(), b"<table>") else {
            return;
        };
        // The words of the first header cell find the table's line in the file.
        // `<th>` or `<th style=...>`, not `<thead>`.
        let first_cell = md.html[at..]
            .match_indices("<th")
            .map(|(i, _)| &md.html[at + i + 3..])
            .find(|rest| rest.starts_with(['>', ' ']))
            .and_then(|cell| cell.split_once('>'))
            .map(|(_, rest)| rest.split("</th>").next().unwrap_or(""))
            .unwrap_or("");
        let plain: String = {
            let mut out = String::new();
            let mut in_tag = false;
            for c in first_cell.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => out.push(c),
                    _ => {}
                }
            }
            out
        };
        let words: Vec<&str> = plain.split_whitespace().collect();
        let line = if words.is_empty() {
            self.source.line_of(key)
        } else {
            self.line_of_words(key, &words)
        };
        self.finding("TABEL", Severity::Warning)
            .message(
                "Teksten har en tabel skrevet med | og ---. Den får ingen titel og ingen \
                 gruppeoverskrifter, og på en mobil kan den blive for bred",
            )
            .at(key, line)
            .hint(
                "Skriv tilbud som [[offers]] med group = \"...\" for hver gruppe, så bygger \
                 siden tabellen. Andre tabeller kan du skrive som en liste",
            )
            .push();
    }
}

#[cfg(test)]
mod tests {
    use crate::lix;
    use crate::model::Markdown;

    #[test]
    fn prose_text_separates_blocks() {
        let text =
            Markdown::new("# Sådan kommer du i gang\n\n- Ring til os\n- Kom **forbi**\n").text;
        let a = lix::analyse(&text);
        assert_eq!(a.sentences, 3, "{text:?}");
        assert!(text.contains("Kom forbi"), "{text:?}");
    }
}
