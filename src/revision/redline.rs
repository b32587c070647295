//! A word-level redline of two plain texts, with the `similar` crate: the words of the old
//! text that went are deletions, the words of the new one that came are insertions.
//!
//! Texts are compared as words (runs between whitespace), so a changed letter marks its whole
//! word, and blank lines (the end of a paragraph or list item in a prose field's plain text)
//! are kept as paragraph breaks. The diff has a deadline, so a hostile text cannot hang the
//! build: past it, `similar` gives a coarser, still correct diff.

use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices_deadline};

/// How long one text's diff may take before `similar` settles for a coarser one.
const DEADLINE: Duration = Duration::from_millis(500);

/// Stands for a paragraph break among the words: whitespace never is a word.
const BREAK: &str = "\n";

/// What a run of words is in the redline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Same,
    Deleted,
    Inserted,
}

/// A run of words of one kind, joined by single spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Run {
    pub(crate) kind: Kind,
    pub(crate) text: String,
}

/// A paragraph of the redline.
pub(crate) type Paragraph = Vec<Run>;

/// The words of `texts`, each text's paragraphs (split at blank lines) and the texts
/// themselves separated by [`BREAK`].
pub(crate) fn words<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for text in texts {
        for paragraph in text.split("\n\n") {
            let mut words = paragraph.split_whitespace().peekable();
            if words.peek().is_none() {
                continue;
            }
            if !out.is_empty() {
                out.push(BREAK);
            }
            out.extend(words);
        }
    }
    out
}

/// The redline from `old` to `new` (both made by [`words`]), in paragraphs; `None` when the
/// words are the same.
pub(crate) fn redline(old: &[&str], new: &[&str]) -> Option<Vec<Paragraph>> {
    if old == new {
        return None;
    }
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(Instant::now() + DEADLINE));
    let mut out = Redline::default();
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.push(Kind::Same, &old[old_range]),
            DiffTag::Delete => out.push(Kind::Deleted, &old[old_range]),
            DiffTag::Insert => out.push(Kind::Inserted, &new[new_range]),
            DiffTag::Replace => {
                out.push(Kind::Deleted, &old[old_range]);
                out.push(Kind::Inserted, &new[new_range]);
            }
        }
    }
    Some(out.finish())
}

/// Paragraphs being built: runs of one kind are joined, and a paragraph break ends the
/// paragraph whatever run it is in.
#[derive(Default)]
struct Redline {
    paragraphs: Vec<Paragraph>,
    current: Paragraph,
}

impl Redline {
    fn push(&mut self, kind: Kind, words: &[&str]) {
        for word in words {
            if *word == BREAK {
                let done = std::mem::take(&mut self.current);
                if !done.is_empty() {
                    self.paragraphs.push(done);
                }
                continue;
            }
            match self.current.last_mut() {
                Some(run) if run.kind == kind => {
                    run.text.push(' ');
                    run.text.push_str(word);
                }
                _ => self.current.push(Run {
                    kind,
                    text: (*word).to_string(),
                }),
            }
        }
    }

    fn finish(mut self) -> Vec<Paragraph> {
        if !self.current.is_empty() {
            self.paragraphs.push(self.current);
        }
        self.paragraphs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: Kind, text: &str) -> Run {
        Run {
            kind,
            text: text.to_string(),
        }
    }

    #[test]
    fn changed_words_are_deleted_and_inserted_whole() {
        let old = words(["Du får et tilbud inden for 14 dage."]);
        let new = words(["Du får et tilbud inden for 10 hverdage."]);
        let lines = redline(&old, &new).unwrap();
        assert_eq!(
            lines,
            vec![vec![
                run(Kind::Same, "Du får et tilbud inden for"),
                run(Kind::Deleted, "14 dage."),
                run(Kind::Inserted, "10 hverdage."),
            ]]
        );
    }

    #[test]
    fn same_words_give_no_redline_and_paragraphs_are_kept() {
        let old = words(["En.\n\nTo tre.", "Fire."]);
        assert_eq!(old, ["En.", BREAK, "To", "tre.", BREAK, "Fire."]);
        assert_eq!(
            redline(&old, &words(["En.\n\n To  tre.\n\n", "Fire."])),
            None
        );
        let lines = redline(&old, &words(["En.\n\nTo tre.", "Fem."])).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[2],
            vec![run(Kind::Deleted, "Fire."), run(Kind::Inserted, "Fem.")]
        );
    }

    #[test]
    fn a_text_that_came_or_went_is_all_inserted_or_deleted() {
        let lines = redline(&[], &words(["Ny tekst."])).unwrap();
        assert_eq!(lines, vec![vec![run(Kind::Inserted, "Ny tekst.")]]);
        let lines = redline(&words(["Gammel."]), &[]).unwrap();
        assert_eq!(lines, vec![vec![run(Kind::Deleted, "Gammel.")]]);
    }
}
