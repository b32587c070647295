//! The LIX readability index for Danish text.
//!
//! LIX = words / sentences + 100 * long words / words, where a long word has more than six
//! letters (Björnsson's definition, the one Danish plain-language guides use).
//!
//! Counting conventions, chosen so the number matches what a person counting by hand would get:
//! - A word is a run of characters between spaces that contains a letter or a digit. Punctuation
//!   around it is not part of it. Letters are counted as characters, so æ, ø and å count once.
//! - A hyphenated word ("rusmiddel-centret", "SEL-lovgivningen") is one word, and the hyphen is
//!   not a letter. A dangling hyphen ("døgn- og dagbehandling") leaves the word "døgn".
//! - Numbers ("14", "3-6", "2024", "15.30") count as words, because the reader reads them, but
//!   never as long words: a number's length says nothing about how hard it is to read.
//! - A sentence ends at a full stop, colon, exclamation mark or question mark (the usual LIX
//!   convention counts the colon too), and at a blank line, so that headings and list items
//!   written without a full stop still count as units of their own.
//! - Abbreviations do not end a sentence: "jf.", "stk.", "bl.a.", "f.eks.", "fx.", "ca.",
//!   "nr.", "kl." and the like, and any word with a full stop inside it ("m.v."). Those that
//!   usually close a list ("osv.", "mv.", "m.v.", "m.m.", "etc.") end a sentence only when the
//!   next word starts with a capital letter. An ordinal number ("17. december") does not end a
//!   sentence when the next word starts with a small letter.
//!
//! [`analyse`] reads a text in one pass over its bytes (`scan`): its words, their letters and
//! where sentences end are worked out in one loop, kept in one module so that it compiles as
//! one piece.

use serde::Serialize;

mod scan;
#[cfg(test)]
mod tests;

pub(crate) use scan::analyse;
pub(crate) use scan::is_alphanumeric;

/// Sentences with more words than this are hard to follow.
pub(crate) const LONG_SENTENCE_WORDS: usize = 25;

/// Words with more letters than this are long.
pub(crate) const LONG_WORD_LETTERS: usize = 6;

/// The counts behind one LIX value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Lix {
    pub words: usize,
    pub sentences: usize,
    pub long_words: usize,
    /// The index itself, unrounded.
    pub value: f64,
}

impl Lix {
    /// The whole number editors see; bands and warnings use it so they agree with what is shown.
    pub(crate) fn rounded(&self) -> f64 {
        self.value.round()
    }

    pub(crate) fn band(&self) -> Band {
        band(self.value)
    }
}

/// LIX bands as Danish plain-language guides name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Band {
    VeryEasy,
    Easy,
    Medium,
    Hard,
    VeryHard,
}

impl Band {
    pub(crate) fn danish(self) -> &'static str {
        match self {
            Band::VeryEasy => "meget let",
            Band::Easy => "let",
            Band::Medium => "middel",
            Band::Hard => "svær",
            Band::VeryHard => "meget svær",
        }
    }
}

/// The band of a LIX value: under 25 very easy, 25-34 easy, 35-44 medium, 45-54 hard, 55 and
/// over very hard. The value is rounded first, so 34.6 (shown as 35) is medium.
pub(crate) fn band(value: f64) -> Band {
    let v = value.round();
    if v < 25.0 {
        Band::VeryEasy
    } else if v < 35.0 {
        Band::Easy
    } else if v < 45.0 {
        Band::Medium
    } else if v < 55.0 {
        Band::Hard
    } else {
        Band::VeryHard
    }
}

/// A long sentence as the reader meets it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Sentence {
    /// The sentence's words, joined by single spaces (punctuation kept).
    pub text: String,
    pub words: usize,
}

/// LIX from its counts, unrounded; `None` without words. A text of words has at least one
/// sentence, whatever the count says.
pub(crate) fn value(words: usize, sentences: usize, long_words: usize) -> Option<f64> {
    (words > 0)
        .then(|| words as f64 / sentences.max(1) as f64 + 100.0 * long_words as f64 / words as f64)
}

/// Words with more letters than this are named in the hint when a text's LIX is too high.
pub(crate) const VERY_LONG_WORD_LETTERS: usize = 12;

/// Everything the checker needs from one text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Analysis<'a> {
    /// `None` when the text has no words.
    pub lix: Option<Lix>,
    /// Sentences with at least one word.
    pub sentences: usize,
    /// Only the long sentences keep their text: the checker quotes them, and joining every
    /// sentence's words was most of what the analysis cost.
    pub long: Vec<Sentence>,
    /// Words of more than [`VERY_LONG_WORD_LETTERS`] letters, without the punctuation around
    /// them, in the order they appear.
    pub very_long_words: Vec<&'a str>,
}

impl Analysis<'_> {
    pub(crate) fn long_sentences(&self) -> impl Iterator<Item = &Sentence> {
        self.long.iter()
    }
}
