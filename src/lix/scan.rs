//! The single pass over a text's bytes: tokens, their letters, and where sentences end.

use super::{
    Analysis, LONG_SENTENCE_WORDS, LONG_WORD_LETTERS, Lix, Sentence, VERY_LONG_WORD_LETTERS, value,
};

/// Abbreviations that stand before something else and never end a sentence.
pub(super) const NEVER_END: &[&str] = &[
    "jf.", "jvf.", "jfr.", "stk.", "bl.a.", "f.eks.", "fx.", "ca.", "nr.", "kl.", "pkt.", "evt.",
    "dvs.", "tlf.", "pga.", "p.g.a.", "ift.", "i.f.t.", "mht.", "m.h.t.", "inkl.", "ekskl.",
    "hhv.", "vedr.", "iht.", "i.h.t.", "ang.", "bek.", "lbk.", "pr.", "min.", "maks.", "max.",
    "gl.", "kr.", "t.o.m.", "f.o.m.", "d.", "s.", "jan.", "feb.", "aug.", "sep.", "sept.", "okt.",
    "nov.", "dec.",
];

/// Abbreviations that often close a list, and so may end a sentence.
pub(super) const MAY_END: &[&str] = &[
    "osv.", "mv.", "m.v.", "m.m.", "etc.", "o.l.", "mfl.", "m.fl.",
];

/// Splits a text into sentences and computes its LIX, in one pass over its bytes.
///
/// A token is a run of characters that are not whitespace (as [`str::split_whitespace`]
/// sees it); a paragraph ends where two line breaks have only whitespace between them (a
/// blank line, as [`str::lines`] sees it). A sentence's end depends on the token after it in
/// the same paragraph, so whether a token ends one is settled when the next has been read.
pub(crate) fn analyse(text: &str) -> Analysis<'_> {
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
pub(super) fn is_letter(c: char) -> bool {
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

pub(super) fn ends_sentence(token: &str, next: Option<&str>) -> bool {
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
