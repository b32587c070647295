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

use serde::Serialize;

/// Sentences with more words than this are hard to follow.
pub const LONG_SENTENCE_WORDS: usize = 25;

/// Words with more letters than this are long.
pub const LONG_WORD_LETTERS: usize = 6;

/// Abbreviations that stand before something else and never end a sentence.
const NEVER_END: &[&str] = &[
    "jf.", "jvf.", "jfr.", "stk.", "bl.a.", "f.eks.", "fx.", "ca.", "nr.", "kl.", "pkt.", "evt.",
    "dvs.", "tlf.", "pga.", "p.g.a.", "ift.", "i.f.t.", "mht.", "m.h.t.", "inkl.", "ekskl.",
    "hhv.", "vedr.", "iht.", "i.h.t.", "ang.", "bek.", "lbk.", "pr.", "min.", "maks.", "max.",
    "gl.", "kr.", "t.o.m.", "f.o.m.", "d.", "s.", "jan.", "feb.", "aug.", "sep.", "sept.", "okt.",
    "nov.", "dec.",
];

/// Abbreviations that often close a list, and so may end a sentence.
const MAY_END: &[&str] = &[
    "osv.", "mv.", "m.v.", "m.m.", "etc.", "o.l.", "mfl.", "m.fl.",
];

/// The counts behind one LIX value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lix {
    pub words: usize,
    pub sentences: usize,
    pub long_words: usize,
    /// The index itself, unrounded.
    pub value: f64,
}

impl Lix {
    /// The whole number editors see; bands and warnings use it so they agree with what is shown.
    pub fn rounded(&self) -> f64 {
        self.value.round()
    }

    pub fn band(&self) -> Band {
        band(self.value)
    }
}

/// LIX bands as Danish plain-language guides name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    VeryEasy,
    Easy,
    Medium,
    Hard,
    VeryHard,
}

impl Band {
    pub fn danish(self) -> &'static str {
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
pub fn band(value: f64) -> Band {
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
pub struct Sentence {
    /// The sentence's words, joined by single spaces (punctuation kept).
    pub text: String,
    pub words: usize,
}

/// LIX from its counts, unrounded; `None` without words. A text of words has at least one
/// sentence, whatever the count says.
pub fn value(words: usize, sentences: usize, long_words: usize) -> Option<f64> {
    (words > 0)
        .then(|| words as f64 / sentences.max(1) as f64 + 100.0 * long_words as f64 / words as f64)
}

/// Words with more letters than this are named in the hint when a text's LIX is too high.
pub const VERY_LONG_WORD_LETTERS: usize = 12;

/// Everything the checker needs from one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis<'a> {
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
    pub fn long_sentences(&self) -> impl Iterator<Item = &Sentence> {
        self.long.iter()
    }
}

/// LIX of a text, or `None` when it has no words.
pub fn lix(text: &str) -> Option<Lix> {
    analyse(text).lix
}

/// Splits a text into sentences and computes its LIX, in one pass over its bytes.
///
/// A token is a run of characters that are not whitespace (as [`str::split_whitespace`]
/// sees it); a paragraph ends where two line breaks have only whitespace between them (a
/// blank line, as [`str::lines`] sees it). A sentence's end depends on the token after it in
/// the same paragraph, so whether a token ends one is settled when the next has been read.
pub fn analyse(text: &str) -> Analysis<'_> {
    let bytes = text.as_bytes();
    let mut counts = Counter::default();
    let mut at = 0;
    // The token before the current one; `last_end` is 0 before the first token.
    let mut last_start = 0;
    let mut last_end = 0;
    // Where the current sentence's first token starts, and how many words it has so far.
    let mut sentence_start = 0;
    let mut words_in_sentence = 0;
    loop {
        // Whitespace before the token, and the line breaks in it.
        let mut line_breaks = 0u32;
        while let Some(&b) = bytes.get(at) {
            match CLASS[b as usize] {
                SPACE => {
                    line_breaks += u32::from(b == b'\n');
                    at += 1;
                }
                MULTI => {
                    let c = char_at(text, at);
                    if !c.is_whitespace() {
                        break;
                    }
                    at += c.len_utf8();
                }
                _ => break,
            }
        }
        if at == bytes.len() {
            break;
        }
        let start = at;
        let token = scan_token(text, start);
        at = token.end;
        if last_end == 0 {
            sentence_start = start;
        } else if line_breaks >= 2
            // Most tokens end in a letter or a comma, and so cannot end a sentence: that is
            // settled on their last byte, before anything is sliced.
            || (may_end_sentence(bytes[last_end - 1])
                && ends_sentence(&text[last_start..last_end], Some(&text[start..at])))
        {
            // At a blank line the sentence ends whether or not its last token ends it.
            counts.close(&text[sentence_start..last_end], words_in_sentence);
            sentence_start = start;
            words_in_sentence = 0;
        }
        if token.alphanumeric_end > 0 {
            counts.words += 1;
            words_in_sentence += 1;
            if token.letters > LONG_WORD_LETTERS {
                counts.long_words += 1;
                if token.letters > VERY_LONG_WORD_LETTERS {
                    counts
                        .very_long_words
                        .push(&text[token.alphanumeric_start..token.alphanumeric_end]);
                }
            }
        }
        last_start = start;
        last_end = at;
    }
    // The last paragraph ends with the text.
    if last_end > 0 {
        counts.close(&text[sentence_start..last_end], words_in_sentence);
    }
    let Counter {
        words,
        long_words,
        sentences,
        long,
        very_long_words,
    } = counts;
    let lix = value(words, sentences, long_words).map(|value| Lix {
        words,
        sentences: sentences.max(1),
        long_words,
        value,
    });
    Analysis {
        lix,
        sentences,
        long,
        very_long_words,
    }
}

#[derive(Default)]
struct Counter<'a> {
    words: usize,
    long_words: usize,
    sentences: usize,
    long: Vec<Sentence>,
    very_long_words: Vec<&'a str>,
}

impl Counter<'_> {
    /// Closes a sentence: `text` runs from its first token to its last.
    fn close(&mut self, text: &str, words: usize) {
        // A run of punctuation ("–", "..."), with no word in it, is no sentence.
        if words == 0 {
            return;
        }
        self.sentences += 1;
        if words > LONG_SENTENCE_WORDS {
            let mut joined = String::with_capacity(text.len());
            for (i, token) in text.split_whitespace().enumerate() {
                if i > 0 {
                    joined.push(' ');
                }
                joined.push_str(token);
            }
            self.long.push(Sentence {
                text: joined,
                words,
            });
        }
    }
}

/// What a byte is to the tokeniser: bit flags, so that a run of letters and digits is
/// counted without branching on which it is.
const ALPHANUMERIC: u8 = 1;
/// Set for letters only, and worth 1 when shifted down.
const LETTER: u8 = 2 | ALPHANUMERIC;
const DIGIT: u8 = ALPHANUMERIC;
const SPACE: u8 = 4;
/// A byte of a character of two or more bytes.
const MULTI: u8 = 8;
const OTHER: u8 = 0;

const CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        class[b] = if c >= 0x80 {
            MULTI
        } else if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() {
            DIGIT
        } else if matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
            // Exactly the ASCII characters `char::is_whitespace` accepts.
            SPACE
        } else {
            OTHER
        };
        b += 1;
    }
    class
};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `chunk` (eight bytes, the first lowest) that is an ASCII
/// letter, found for all eight at once: a byte `b` below 0x80 plus `0x80 - k` has its high
/// bit set exactly when `b >= k`, and no sum carries into the next byte.
fn ascii_letter_bits(chunk: u64) -> u64 {
    let ascii = !chunk & HIGH_BITS;
    // Setting bit 5 makes capitals small and keeps every other byte outside a..z.
    let small = (chunk & !HIGH_BITS) | (0x20 * ONES);
    let from_a = small + (0x80 - u64::from(b'a')) * ONES;
    let after_z = small + (0x80 - u64::from(b'z' + 1)) * ONES;
    from_a & !after_z & ascii
}

/// How many of the first bytes of `chunk` (eight bytes) are ASCII letters.
pub(crate) fn leading_ascii_letters(chunk: &[u8]) -> usize {
    let mut eight = [0u8; 8];
    eight.copy_from_slice(&chunk[..8]);
    let bits = ascii_letter_bits(u64::from_le_bytes(eight));
    ((!bits & HIGH_BITS).trailing_zeros() / 8) as usize
}

/// Whether a character is a letter, as [`char::is_alphabetic`] says. The Latin-1 letters
/// (æ, ø, å, é, ü ...) are answered without the Unicode tables.
fn is_letter(c: char) -> bool {
    if ('\u{c0}'..='\u{ff}').contains(&c) {
        c != '×' && c != '÷'
    } else {
        c.is_alphabetic()
    }
}

/// Whether a character is a letter or a digit, as [`char::is_alphanumeric`] says, with the
/// Latin-1 letters answered without the Unicode tables.
pub(crate) fn is_alphanumeric(c: char) -> bool {
    is_letter(c) || c.is_numeric()
}

/// The character at byte `at` of `text`, which starts one.
fn char_at(text: &str, at: usize) -> char {
    text[at..].chars().next().unwrap_or(' ')
}

/// One token: a run of characters between whitespace.
#[derive(Debug, Clone, Copy)]
struct Token {
    /// Byte where the token ends in the text.
    end: usize,
    /// Byte range from its first letter or digit to the end of its last; `0..0` if it has
    /// none, and so is no word.
    alphanumeric_start: usize,
    alphanumeric_end: usize,
    /// Letters in it; a number has none.
    letters: usize,
}

/// Reads the token that starts at byte `start` of `text`, which is not whitespace: ASCII a
/// byte (or eight letters) at a time, the Latin-1 letters (æ, ø, å, é ...) without
/// decoding them.
#[inline(always)]
fn scan_token(text: &str, start: usize) -> Token {
    let bytes = text.as_bytes();
    let mut at = start;
    let mut alphanumeric_start = usize::MAX;
    let mut alphanumeric_end = 0;
    let mut letters = 0;
    while let Some(&b) = bytes.get(at) {
        let class = CLASS[b as usize];
        if class & ALPHANUMERIC != 0 {
            // A run of ASCII letters and digits, most of every word.
            if alphanumeric_start == usize::MAX {
                alphanumeric_start = at;
            }
            letters += usize::from(class >> 1);
            at += 1;
            loop {
                // Letters eight at a time, while there are eight bytes left.
                if let Some(chunk) = bytes.get(at..at + 8) {
                    let n = leading_ascii_letters(chunk);
                    letters += n;
                    at += n;
                    if n == 8 {
                        continue;
                    }
                }
                match bytes.get(at) {
                    Some(&b) if CLASS[b as usize] & ALPHANUMERIC != 0 => {
                        letters += usize::from(CLASS[b as usize] >> 1);
                        at += 1;
                    }
                    _ => break,
                }
            }
            alphanumeric_end = at;
        } else if class == SPACE {
            break;
        } else if b == 0xc3 {
            // U+00C0 to U+00FF: letters all but × (U+00D7) and ÷ (U+00F7).
            let second = bytes.get(at + 1).copied().unwrap_or(0);
            if second != 0x97 && second != 0xb7 {
                if alphanumeric_start == usize::MAX {
                    alphanumeric_start = at;
                }
                alphanumeric_end = at + 2;
                letters += 1;
            }
            at += 2;
        } else if class == MULTI {
            let c = char_at(text, at);
            if c.is_whitespace() {
                break;
            }
            let len = c.len_utf8();
            let letter = is_letter(c);
            if letter || c.is_numeric() {
                if alphanumeric_start == usize::MAX {
                    alphanumeric_start = at;
                }
                alphanumeric_end = at + len;
            }
            letters += usize::from(letter);
            at += len;
        } else {
            at += 1;
        }
    }
    if alphanumeric_end == 0 {
        alphanumeric_start = 0;
    }
    Token {
        end: at,
        alphanumeric_start,
        alphanumeric_end,
        letters,
    }
}

/// Whether a token whose last byte is `b` may end a sentence: it ends in a mark, a closing
/// quote or bracket, or a character of several bytes (», ”, ’).
fn may_end_sentence(b: u8) -> bool {
    !b.is_ascii()
        || matches!(
            b,
            b'!' | b'?' | b':' | b'.' | b'"' | b'\'' | b')' | b']' | b'*' | b'_'
        )
}

fn ends_sentence(token: &str, next: Option<&str>) -> bool {
    // Most tokens end in a letter or a comma: no need to look further.
    match token.as_bytes().last() {
        Some(&b) if !may_end_sentence(b) => return false,
        None => return false,
        _ => {}
    }
    // Closing quotes and brackets may follow the mark: «Ring nu.» (se nedenfor.)
    let trimmed = token.trim_end_matches(['"', '\'', '»', '«', ')', ']', '”', '’', '*', '_']);
    let Some(last) = trimmed.chars().last() else {
        return false;
    };
    match last {
        '!' | '?' | ':' => true,
        '.' => {
            let start = trimmed.trim_start_matches(['"', '\'', '»', '«', '(', '[', '“', '*', '_']);
            let next_first = || next.and_then(|n| n.chars().find(|c| c.is_alphanumeric()));
            let next_is_capital =
                || next_first().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            let next_is_small = || next_first().is_some_and(|c| c.is_lowercase());
            // Lower-casing a text of Latin-1 characters (no byte from 0xC4 up) changes each
            // character alone, into one of the same kind: ASCII stays ASCII, a letter stays a
            // letter, and nothing becomes a full stop or a digit. So such a token is judged as
            // it stands, its ASCII compared without case; only others are lower-cased first.
            let lowered;
            let start = if start.bytes().all(|b| b < 0xc4) {
                start
            } else {
                lowered = start.to_lowercase();
                lowered.as_str()
            };
            if start.ends_with("...") {
                return true;
            }
            // Every listed abbreviation is ASCII and at most six bytes long.
            if start.len() <= 6 && start.is_ascii() {
                let listed = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(start));
                if listed(NEVER_END) {
                    return false;
                }
                if listed(MAY_END) {
                    return next.is_none() || next_is_capital();
                }
            }
            let body = &start[..start.len() - 1];
            if body.contains('.') && body.chars().any(is_letter) {
                // "m.v.", "o.a.": an abbreviation we do not list.
                return next.is_none() || next_is_capital();
            }
            if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) && next_is_small() {
                return false;
            }
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokeniser as it was before the single pass over bytes: a token list per
    /// paragraph from `str::lines` and `str::split_whitespace`. The new one must agree.
    mod reference {
        use super::super::{
            Analysis, LONG_SENTENCE_WORDS, LONG_WORD_LETTERS, Lix, MAY_END, NEVER_END, Sentence,
            VERY_LONG_WORD_LETTERS,
        };

        pub(super) fn analyse(text: &str) -> Analysis<'_> {
            let mut counts = Counter::default();
            // One buffer for every paragraph: a sentence's end depends on the word after it.
            let mut tokens: Vec<&str> = Vec::new();
            let mut lines = text.lines();
            loop {
                tokens.clear();
                for line in lines.by_ref() {
                    let before = tokens.len();
                    tokens.extend(line.split_whitespace());
                    // A line that is empty or only whitespace ends the paragraph.
                    if tokens.len() == before && before > 0 {
                        break;
                    }
                }
                if tokens.is_empty() {
                    break;
                }
                counts.paragraph(&tokens);
            }
            let Counter {
                words,
                long_words,
                sentences,
                long,
                very_long_words,
            } = counts;
            let lix = (words > 0).then(|| {
                let n_sentences = sentences.max(1);
                Lix {
                    words,
                    sentences: n_sentences,
                    long_words,
                    value: words as f64 / n_sentences as f64
                        + 100.0 * long_words as f64 / words as f64,
                }
            });
            Analysis {
                lix,
                sentences,
                long,
                very_long_words,
            }
        }

        #[derive(Default)]
        struct Counter<'a> {
            words: usize,
            long_words: usize,
            sentences: usize,
            long: Vec<Sentence>,
            very_long_words: Vec<&'a str>,
        }

        impl<'a> Counter<'a> {
            fn paragraph(&mut self, tokens: &[&'a str]) {
                let mut start = 0;
                let mut words_in_sentence = 0;
                for (i, token) in tokens.iter().enumerate() {
                    if let Some((word, letters)) = word_letters(token) {
                        self.words += 1;
                        words_in_sentence += 1;
                        if letters > LONG_WORD_LETTERS {
                            self.long_words += 1;
                        }
                        if letters > VERY_LONG_WORD_LETTERS {
                            self.very_long_words.push(word);
                        }
                    }
                    if ends_sentence(token, tokens.get(i + 1).copied()) {
                        self.close(&tokens[start..=i], words_in_sentence);
                        start = i + 1;
                        words_in_sentence = 0;
                    }
                }
                self.close(&tokens[start..], words_in_sentence);
            }

            fn close(&mut self, tokens: &[&str], words: usize) {
                // A run of punctuation ("–", "..."), with no word in it, is no sentence.
                if words == 0 {
                    return;
                }
                self.sentences += 1;
                if words > LONG_SENTENCE_WORDS {
                    self.long.push(Sentence {
                        text: tokens.join(" "),
                        words,
                    });
                }
            }
        }

        /// A token's word without the punctuation around it, and its letters (0 for a number); `None`
        /// if the token is no word.
        fn word_letters(token: &str) -> Option<(&str, usize)> {
            // Most tokens are plain ASCII; the Unicode tables are only needed for the others.
            if token.is_ascii() {
                let bytes = token.as_bytes();
                let first = bytes.iter().position(u8::is_ascii_alphanumeric)?;
                let last = bytes.iter().rposition(u8::is_ascii_alphanumeric)?;
                let core = &token[first..=last];
                return Some((core, core.bytes().filter(u8::is_ascii_alphabetic).count()));
            }
            let core = token.trim_matches(|c: char| !c.is_alphanumeric());
            if core.is_empty() {
                return None;
            }
            Some((core, core.chars().filter(|c| c.is_alphabetic()).count()))
        }

        pub(super) fn ends_sentence(token: &str, next: Option<&str>) -> bool {
            // Most tokens end in a letter or a comma: no need to look further.
            match token.as_bytes().last() {
                Some(b) if b.is_ascii() && !b"!?:.\"')]*_".contains(b) => return false,
                None => return false,
                _ => {}
            }
            // Closing quotes and brackets may follow the mark: «Ring nu.» (se nedenfor.)
            let trimmed =
                token.trim_end_matches(['"', '\'', '»', '«', ')', ']', '”', '’', '*', '_']);
            let Some(last) = trimmed.chars().last() else {
                return false;
            };
            match last {
                '!' | '?' | ':' => true,
                '.' => {
                    let lower = trimmed
                        .trim_start_matches(['"', '\'', '»', '«', '(', '[', '“', '*', '_'])
                        .to_lowercase();
                    let next_is_capital = next
                        .and_then(|n| n.chars().find(|c| c.is_alphanumeric()))
                        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
                    let next_is_small = next
                        .and_then(|n| n.chars().find(|c| c.is_alphanumeric()))
                        .is_some_and(|c| c.is_lowercase());
                    if lower.ends_with("...") {
                        return true;
                    }
                    if NEVER_END.contains(&lower.as_str()) {
                        return false;
                    }
                    if MAY_END.contains(&lower.as_str()) {
                        return next.is_none() || next_is_capital;
                    }
                    let body = &lower[..lower.len() - 1];
                    if body.contains('.') && body.chars().any(|c| c.is_alphabetic()) {
                        // "m.v.", "o.a.": an abbreviation we do not list.
                        return next.is_none() || next_is_capital;
                    }
                    if !body.is_empty() && body.chars().all(|c| c.is_ascii_digit()) && next_is_small
                    {
                        return false;
                    }
                    true
                }
                _ => false,
            }
        }
    }

    /// A small deterministic generator, so that the comparison is the same on every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn the_byte_scanner_agrees_with_the_token_lists() {
        const TOKENS: &[&str] = &[
            "Du",
            "kan",
            "få",
            "hjælp.",
            "Det",
            "er",
            "gratis",
            "Behandlingen",
            "starter",
            "senest",
            "14",
            "dage",
            "efter,",
            "at",
            "du",
            "har",
            "henvendt",
            "dig.",
            "særlig",
            "støtte.",
            "Pårørende",
            "rådgivning.",
            "rusmiddel-centret",
            "SEL-lovgivningen",
            "døgn-",
            "og",
            "dagbehandling",
            "3-6",
            "måneder.",
            "20241217.",
            "15.30",
            "jf.",
            "Jf.",
            "JF.",
            "stk.",
            "bl.a.",
            "Bl.a.",
            "f.eks.",
            "fx.",
            "ca.",
            "kl.",
            "9",
            "mv.",
            "m.v.",
            "M.V.",
            "m.m.",
            "osv.",
            "etc.",
            "o.a.",
            "17.",
            "december",
            "December",
            "1.",
            "§",
            "101",
            "a",
            "–",
            "-",
            "...",
            "…",
            "Ring",
            "nu.»",
            "«Ring",
            "(se",
            "nedenfor.)",
            "\"Kom",
            "forbi.\"",
            "**vigtigt.**",
            "_her._",
            "[link].",
            "Hvad?",
            "Intet:",
            "Ja!",
            "substitutionsbehandlingen",
            "behandlingsgarantien,",
            "«rusmiddelbehandlingen»,",
            "ÆBLEGRØD.",
            "Ærø.",
            "Øresund",
            "Århus.",
            "æ",
            "ø",
            "å",
            "é",
            "×",
            "÷",
            "½",
            "²",
            "ª",
            "µ",
            "İstanbul.",
            "ΣΟΦΟΣ.",
            "日本語。",
            "x²",
            "2½.",
            "'",
            "\"",
            "»",
            "«",
            "(",
            ")",
            ".",
            ":",
            "!",
            "?",
            "*",
            "_",
            "a.b",
            "A.B.",
            "t.o.m.",
            "T.O.M.",
            "Ekskl.",
            "m.fl.",
            "12345678901234567890.",
            "abcdefghijklmnopqrstu.",
            "ÅÆØÅÆØÅÆØÅÆØÅÆØÅÆØ.",
            "KR.",
            "\u{212a}r.",
            "ÆKSKL.",
            "Ekskl.»",
            "İ.",
            "M.FL.",
            "Sept.",
            "ß.",
            "µ.",
            "a.ø.",
            "Å.B.",
            "½.",
            "x.y.z.",
            "hjælp.",
            "Hjælp...",
        ];
        const PLAIN: &[&str] = &[
            "du",
            "kan",
            "få",
            "hjælp",
            "behandlingen",
            "og",
            "rådgivning",
            "i",
            "kommunen",
            "Århus",
            "14",
            "døgnbehandlingen,",
        ];
        const SPACES: &[&str] = &[
            " ",
            " ",
            " ",
            " ",
            "\n",
            "\n\n",
            " \n \n ",
            "\u{a0}",
            "\u{2003}",
            "\r\n",
            "\r\n\r\n",
            "\t",
            "\u{85}",
            "\u{2028}",
            "\n\u{a0}\n",
            "\x0b",
            "\n\x0c\n",
            "\u{3000}",
            "\n\n\n",
            "\n \n\t\n",
        ];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let (mut with_long_sentences, mut with_blank_lines) = (0, 0);
        for _ in 0..3000 {
            let mut text = String::new();
            if rng.below(4) == 0 {
                text.push_str(SPACES[rng.below(SPACES.len())]);
            }
            // Some texts are mostly plain words, so that long sentences occur.
            let plain = [0, 50, 95][rng.below(3)];
            for i in 0..rng.below(120) {
                let is_plain = rng.below(100) < plain;
                if i > 0 {
                    text.push_str(if is_plain {
                        " "
                    } else {
                        SPACES[rng.below(SPACES.len())]
                    });
                }
                text.push_str(if is_plain {
                    PLAIN[rng.below(PLAIN.len())]
                } else {
                    TOKENS[rng.below(TOKENS.len())]
                });
            }
            if rng.below(3) == 0 {
                text.push_str(SPACES[rng.below(SPACES.len())]);
            }
            let a = analyse(&text);
            assert_eq!(a, reference::analyse(&text), "{text:?}");
            with_long_sentences += usize::from(!a.long.is_empty());
            with_blank_lines += usize::from(text.contains("\n\n"));
        }
        // The texts reach the rarer paths too.
        assert!(with_long_sentences > 100, "{with_long_sentences}");
        assert!(with_blank_lines > 1000, "{with_blank_lines}");
    }

    #[test]
    fn sentence_ends_agree_with_lower_casing_every_token() {
        // Tokens ending in a full stop, with the quotes and brackets the checker trims, in
        // every case: Latin-1 ones are judged without lower-casing them.
        let mut tokens = Vec::new();
        for word in NEVER_END.iter().chain(MAY_END).chain(&[
            "12.",
            "12..",
            "...",
            "a.",
            "ø.",
            "æ.b.",
            "½.",
            "ß.",
            "µ.",
            "ª.",
            "×.",
            "x.y.z.",
            "hjælp.",
            "Ærø.",
            "\u{212a}r.",
            "İ.",
            "ΣΟΦΟΣ.",
            "日本.",
            "a.日.",
            ".",
            "..",
        ]) {
            for w in [
                word.to_string(),
                word.to_uppercase(),
                format!("«{}»", word.to_uppercase()),
                format!("({word})"),
                format!("*{word}*"),
                format!("{word}\""),
            ] {
                tokens.push(w);
            }
        }
        assert!(
            NEVER_END
                .iter()
                .chain(MAY_END)
                .all(|a| a.len() <= 6 && a.is_ascii())
        );
        let nexts = [
            None,
            Some("Du"),
            Some("du"),
            Some("«Du"),
            Some("17"),
            Some("æble"),
            Some("Ærø"),
            Some("–"),
            Some("(se"),
        ];
        for token in &tokens {
            for next in nexts {
                assert_eq!(
                    ends_sentence(token, next),
                    reference::ends_sentence(token, next),
                    "{token:?} {next:?}"
                );
            }
        }
    }

    #[test]
    fn edges_of_tokens_and_sentences() {
        let counts = |text: &str| {
            let a = analyse(text);
            let l = a.lix.expect("words");
            (l.words, a.sentences, l.long_words)
        };
        // Ærøskøbing(10 letters, long), Ålborg(6): letters of two bytes count once.
        assert_eq!(counts("Ærøskøbing og Ålborg."), (3, 1, 1));
        // A closing quote or bracket after the full stop still ends the sentence.
        assert_eq!(counts("«Ring nu.» Vi svarer."), (4, 2, 0));
        assert_eq!(counts("(Se nedenfor.) Vi svarer."), (4, 2, 1));
        // "m.v." and "mv." end a sentence only before a capital letter.
        assert_eq!(counts("Kost m.v. betales ikke."), (4, 1, 1));
        assert_eq!(counts("Kost m.v. Du betaler."), (4, 2, 1));
        assert_eq!(counts("Kost M.V. Du betaler."), (4, 2, 1));
        // "bl.a." never does; an unlisted abbreviation like "o.a." only before a capital.
        assert_eq!(counts("Bl.a. Du og bl.a. Vi."), (5, 1, 0));
        assert_eq!(counts("Ring o.a. hvis du vil."), (5, 1, 0));
        // An ordinal before a small letter does not end the sentence; before a capital it does.
        assert_eq!(counts("Mød op 17. december."), (4, 1, 1));
        assert_eq!(counts("Mød op 17. December."), (4, 2, 1));
        // Numbers are words but never long; "15.30" is one word.
        assert_eq!(counts("Kl. 15.30 og 20241217 dage."), (5, 1, 0));
        // Three dots always end a sentence; a token of dots alone is no word.
        assert_eq!(counts("Og så ... Vi ses"), (4, 2, 0));
        // No-break space and other Unicode spaces separate words like a space does.
        assert_eq!(counts("Ring\u{a0}til\u{2003}os."), (3, 1, 0));
        // A line of spaces, or CRLF line ends, make a blank line; one line break does not.
        assert_eq!(counts("Ring til os\n  \t\nKom forbi"), (5, 2, 0));
        assert_eq!(counts("Ring til os\r\n\r\nKom forbi"), (5, 2, 0));
        assert_eq!(counts("Ring til os\r\nkom forbi"), (5, 1, 0));
        // Punctuation around a very long word is not part of it.
        let a = analyse("Læs om «rusmiddelbehandlingen», og substitutionsbehandling-");
        assert_eq!(
            a.very_long_words,
            ["rusmiddelbehandlingen", "substitutionsbehandling"]
        );
        // A long sentence is quoted with single spaces, across line breaks.
        let text = format!(
            "Nu:\n{}\n  slut.",
            vec!["ord"; LONG_SENTENCE_WORDS].join(" \t")
        );
        let a = analyse(&text);
        assert_eq!(a.long.len(), 1);
        assert_eq!(
            a.long[0].text,
            format!("{} slut.", vec!["ord"; LONG_SENTENCE_WORDS].join(" "))
        );
    }

    #[test]
    fn ascii_letters_are_found_eight_at_a_time() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for position in 0..8 {
            for b in 0..=255u8 {
                for _ in 0..8 {
                    let mut chunk = [0u8; 8];
                    for (i, byte) in chunk.iter_mut().enumerate() {
                        *byte = match rng.below(3) {
                            _ if i == position => b,
                            0 => b"aZ"[rng.below(2)],
                            _ => rng.below(256) as u8,
                        };
                    }
                    let expected = chunk.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                    assert_eq!(leading_ascii_letters(&chunk), expected, "{chunk:?}");
                }
            }
        }
        assert_eq!(leading_ascii_letters(b"abcdefgh"), 8);
        assert_eq!(leading_ascii_letters(b"ABCxyz@["), 6);
        assert_eq!(leading_ascii_letters(b"`{aaaaaa"), 0);
        assert_eq!(leading_ascii_letters("aæbcdefg".as_bytes()), 1);
    }

    #[test]
    fn latin_1_letters_are_letters() {
        for c in '\u{80}'..='\u{3ff}' {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    fn assert_lix(text: &str, words: usize, sentences: usize, long: usize, value: f64) {
        let l = lix(text).expect("the text has words");
        assert_eq!(
            (l.words, l.sentences, l.long_words),
            (words, sentences, long),
            "{text}"
        );
        assert!(
            (l.value - value).abs() < 0.01,
            "{text}: {} != {value}",
            l.value
        );
    }

    #[test]
    fn short_plain_sentences() {
        // Du(2) kan(3) få(2) hjælp(5). Det(3) er(2) gratis(6).
        // 7 words, 2 sentences, no word over 6 letters: 7/2 + 0 = 3.5
        assert_lix("Du kan få hjælp. Det er gratis.", 7, 2, 0, 3.5);
    }

    #[test]
    fn long_words_raise_the_index() {
        // Behandlingen(12) starter(7) senest(6) 14(number) dage(4) efter(5) at(2) du(2) har(3)
        // henvendt(8) dig(3): 11 words, 1 sentence, 3 long (Behandlingen, starter, henvendt).
        // 11/1 + 100*3/11 = 11 + 27.27 = 38.27
        assert_lix(
            "Behandlingen starter senest 14 dage efter, at du har henvendt dig.",
            11,
            1,
            3,
            38.27,
        );
    }

    #[test]
    fn danish_letters_count_once() {
        // Få(2) særlig(6) støtte(6): 3 words, none over 6 letters: 3/1 + 0 = 3.
        // Counting bytes would make "særlig" and "støtte" 7 long and the LIX 69.67.
        assert_lix("Få særlig støtte.", 3, 1, 0, 3.0);
        // Pårørende(9) kan(3) også(4) få(2) rådgivning(10): 5 words, 2 long.
        // 5/1 + 100*2/5 = 5 + 40 = 45
        assert_lix("Pårørende kan også få rådgivning.", 5, 1, 2, 45.0);
    }

    #[test]
    fn a_hyphenated_word_is_one_word() {
        // Ring(4) til(3) rusmiddel-centret(16 letters, one word) i(1) dag(3): 5 words, 1 long.
        // 5/1 + 100*1/5 = 5 + 20 = 25. Split at the hyphen it would be 6 + 33.33 = 39.33.
        assert_lix("Ring til rusmiddel-centret i dag.", 5, 1, 1, 25.0);
    }

    #[test]
    fn numbers_are_words_but_never_long() {
        // Du(2) kan(3) få(2) døgn-(4) og(2) dagbehandling(13) i(1) 3-6(number) måneder(7):
        // 9 words, 1 sentence, 2 long (dagbehandling, måneder). 9 + 100*2/9 = 9 + 22.22 = 31.22
        assert_lix(
            "Du kan få døgn- og dagbehandling i 3-6 måneder.",
            9,
            1,
            2,
            31.22,
        );
        // 20241217(number) is not long, though it has 8 digits: 1 + 0 = 1
        assert_lix("20241217.", 1, 1, 0, 1.0);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        // Du(2) har(3) ret(3) til(3) behandling(10), jf.(2) SEL(3) §(not a word) 101(number)
        // stk.(3) 1.(number): 10 words, 1 sentence ("jf." and "stk." do not end it), 1 long.
        // 10/1 + 100*1/10 = 10 + 10 = 20
        assert_lix(
            "Du har ret til behandling, jf. SEL § 101 stk. 1.",
            10,
            1,
            1,
            20.0,
        );
        // Ring(4) fx.(2) kl.(2) 9(number) eller(5) bl.a.(3) f.eks.(4) i(1) morgen(6): 9 words,
        // 1 sentence, 0 long: 9
        assert_lix("Ring fx. kl. 9 eller bl.a. f.eks. i morgen.", 9, 1, 0, 9.0);
        // The 17. of a date does not end the sentence, "mv." before a capital letter does.
        // Vi(2) mødes(5) 17.(number) december(8) om(2) kost(4) mv.(2) Du(2) betaler(7)
        // intet(5): 10 words, 2 sentences, 2 long: 10/2 + 100*2/10 = 5 + 20 = 25
        assert_lix(
            "Vi mødes 17. december om kost mv. Du betaler intet.",
            10,
            2,
            2,
            25.0,
        );
    }

    #[test]
    fn colon_exclamation_and_question_marks_end_sentences() {
        // Hvad(4) koster(6) det(3)? Intet(5): behandlingen(12) er(2) gratis(6)!
        // 7 words, 3 sentences, 1 long: 7/3 + 100*1/7 = 2.333 + 14.286 = 16.62
        assert_lix(
            "Hvad koster det? Intet: behandlingen er gratis!",
            7,
            3,
            1,
            16.62,
        );
    }

    #[test]
    fn a_blank_line_ends_a_heading_or_list_item() {
        // "Sådan kommer du i gang" has no full stop but is its own sentence.
        // Sådan(5) kommer(6) du(2) i(1) gang(4) / Ring(4) til(3) os(2): 8 words, 2 sentences,
        // 0 long: 4
        assert_lix("Sådan kommer du i gang\n\nRing til os", 8, 2, 0, 4.0);
        // One line break is only a space.
        assert_lix("Sådan kommer du\ni gang.", 5, 1, 0, 5.0);
    }

    #[test]
    fn text_without_words_has_no_lix() {
        assert_eq!(lix(""), None);
        assert_eq!(lix("  – … §  "), None);
        assert_eq!(analyse("").sentences, 0);
    }

    #[test]
    fn long_sentences_are_found() {
        let long = vec!["ord"; LONG_SENTENCE_WORDS + 1].join(" ") + ".";
        let ok = vec!["ord"; LONG_SENTENCE_WORDS].join(" ") + ".";
        let text = format!("{ok} {long} Kort.");
        let a = analyse(&text);
        assert_eq!(a.sentences, 3);
        let long: Vec<_> = a.long_sentences().collect();
        assert_eq!(long.len(), 1);
        assert_eq!(long[0].words, LONG_SENTENCE_WORDS + 1);
    }

    #[test]
    fn bands_follow_the_usual_limits() {
        assert_eq!(band(3.5), Band::VeryEasy);
        assert_eq!(band(24.4), Band::VeryEasy);
        assert_eq!(band(24.5), Band::Easy);
        assert_eq!(band(34.0), Band::Easy);
        assert_eq!(band(35.0), Band::Medium);
        assert_eq!(band(44.0), Band::Medium);
        assert_eq!(band(45.0), Band::Hard);
        assert_eq!(band(54.4), Band::Hard);
        assert_eq!(band(55.0), Band::VeryHard);
        assert_eq!(Band::Hard.danish(), "svær");
    }
}
