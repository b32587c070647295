use super::scan::{MAY_END, NEVER_END, ends_sentence, is_letter, leading_ascii_letters};
use super::*;

/// The tokeniser as it was before the single pass over bytes: a token list per
/// paragraph from `str::lines` and `str::split_whitespace`. The new one must agree.
mod reference {
    use super::super::scan::{MAY_END, NEVER_END};
    use super::super::{
        Analysis, LONG_SENTENCE_WORDS, LONG_WORD_LETTERS, Lix, Sentence, VERY_LONG_WORD_LETTERS,
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
                value: words as f64 / n_sentences as f64 + 100.0 * long_words as f64 / words as f64,
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
        let trimmed = token.trim_end_matches(['"', '\'', '»', '«', ')', ']', '”', '’', '*', '_']);
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
                if !body.is_empty() && body.chars().all(|c| c.is_ascii_digit()) && next_is_small {
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

/// LIX of a text, or `None` when it has no words.
fn lix(text: &str) -> Option<Lix> {
    analyse(text).lix
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
