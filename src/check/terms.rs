//! Legal terms and abbreviations the site's glossary does not explain, found in one pass over
//! a text.

use crate::glossary::lower_char;
use crate::lix;

/// Legal terms and abbreviations a citizen may not know. `prefix` terms also match their
/// inflections ("visitationen", "visiteret" via their own forms).
pub(super) struct HardTerm {
    pub(super) name: &'static str,
    forms: &'static [&'static str],
    /// Abbreviations in capitals are matched only in capitals: "sul" is no abbreviation.
    case_sensitive: bool,
    pub(super) prefix: bool,
    /// What an abbreviation stands for, in everyday Danish, for the hint; empty for words.
    pub(super) meaning: &'static str,
}

/// How many forms the hard terms have in all.
const ALL_FORMS: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < HARD_TERMS.len() {
        n += HARD_TERMS[i].forms.len();
        i += 1;
    }
    n
};

const HARD_TERMS: &[HardTerm] = &[
    HardTerm {
        name: "jf.",
        forms: &["jf."],
        case_sensitive: false,
        prefix: false,
        meaning: "jævnfør (se også)",
    },
    HardTerm {
        name: "jvf.",
        forms: &["jvf."],
        case_sensitive: false,
        prefix: false,
        meaning: "jævnfør (se også)",
    },
    HardTerm {
        name: "stk.",
        forms: &["stk."],
        case_sensitive: false,
        prefix: false,
        meaning: "stykke (et afsnit i en paragraf)",
    },
    HardTerm {
        name: "SEL",
        forms: &["SEL"],
        case_sensitive: true,
        prefix: false,
        meaning: "serviceloven",
    },
    HardTerm {
        name: "SUL",
        forms: &["SUL"],
        case_sensitive: true,
        prefix: false,
        meaning: "sundhedsloven",
    },
    HardTerm {
        name: "evt.",
        forms: &["evt."],
        case_sensitive: false,
        prefix: false,
        meaning: "eventuelt (måske)",
    },
    HardTerm {
        name: "iht.",
        forms: &["iht."],
        case_sensitive: false,
        prefix: false,
        meaning: "i henhold til (efter)",
    },
    HardTerm {
        name: "bl.a.",
        forms: &["bl.a."],
        case_sensitive: false,
        prefix: false,
        meaning: "blandt andet",
    },
    HardTerm {
        name: "m.v.",
        forms: &["m.v."],
        case_sensitive: false,
        prefix: false,
        meaning: "med videre (og andet)",
    },
    HardTerm {
        name: "mv.",
        forms: &["mv."],
        case_sensitive: false,
        prefix: false,
        meaning: "med videre (og andet)",
    },
    HardTerm {
        name: "m.m.",
        forms: &["m.m."],
        case_sensitive: false,
        prefix: false,
        meaning: "med mere (og andet)",
    },
    HardTerm {
        name: "ifm.",
        forms: &["ifm."],
        case_sensitive: false,
        prefix: false,
        meaning: "i forbindelse med",
    },
    HardTerm {
        name: "pga.",
        forms: &["pga."],
        case_sensitive: false,
        prefix: false,
        meaning: "på grund af",
    },
    HardTerm {
        name: "vedr.",
        forms: &["vedr."],
        case_sensitive: false,
        prefix: false,
        meaning: "vedrørende (om)",
    },
    HardTerm {
        name: "ift.",
        forms: &["ift."],
        case_sensitive: false,
        prefix: false,
        meaning: "i forhold til",
    },
    HardTerm {
        name: "BEK",
        forms: &["BEK"],
        case_sensitive: true,
        prefix: false,
        meaning: "bekendtgørelse (regler, som en minister har fastsat)",
    },
    HardTerm {
        name: "VUM",
        forms: &["VUM"],
        case_sensitive: true,
        prefix: false,
        meaning: "Voksenudredningsmetoden (den måde, kommunen undersøger din situation på)",
    },
    HardTerm {
        name: "visitation",
        forms: &["visitation", "visiter"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "afgørelse",
        forms: &["afgørelse"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "behandlingsplan",
        forms: &["behandlingsplan"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "handleplan",
        forms: &["handleplan"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "ambulant",
        forms: &["ambulant"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "døgnbehandling",
        forms: &["døgnbehandling"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "substitutionsbehandling",
        forms: &["substitutionsbehandling"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "underretningspligt",
        forms: &["underretningspligt"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "§ 101 a",
        forms: &["§ 101 a", "§ 101a", "§101 a", "§101a"],
        case_sensitive: false,
        prefix: false,
        meaning: "",
    },
    HardTerm {
        name: "Ankestyrelsen",
        forms: &["ankestyrelse"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "Tilbudsportalen",
        forms: &["tilbudsportal"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "måltal",
        forms: &["måltal"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
    HardTerm {
        name: "færdigbehandlet",
        forms: &["færdigbehandl"],
        case_sensitive: false,
        prefix: true,
        meaning: "",
    },
];

/// Finds the hard terms that the site's glossary does not explain, in one pass over a text.
///
/// Which terms the glossary explains is settled once per check; scanning each text once per
/// term form, lower-cased first, was most of what the language check cost.
pub(super) struct UnexplainedTerms {
    /// Forms of unexplained terms, keyed by their first character (lower-cased unless the
    /// term is case-sensitive); every form starts below U+0100.
    by_first: Vec<Vec<Form>>,
    /// Each unexplained term, with its forms' numbers in the order listed.
    terms: Vec<(&'static HardTerm, Vec<usize>)>,
    forms: usize,
    /// For each ASCII character, the forms that may start with it, as places in `by_first`.
    ascii_candidates: Vec<Vec<(usize, usize)>>,
    /// For each byte: [`ALPHANUMERIC`] if it is an ASCII letter or digit, [`STARTS`] if it
    /// is ASCII and a form may start with it (as it stands, or lower-cased for terms that
    /// ignore case), [`MULTI`] if it is part of a character of two or more bytes.
    class: [u8; 256],
}

const ALPHANUMERIC: u8 = 1;
const STARTS: u8 = 2;
const MULTI: u8 = 4;

struct Form {
    number: usize,
    term: &'static HardTerm,
    chars: Vec<char>,
}

impl UnexplainedTerms {
    pub(super) fn new(site: &crate::model::Site) -> Self {
        let words: Vec<String> = site
            .glossary
            .iter()
            .flat_map(|g| std::iter::once(&g.term).chain(g.also.iter()))
            .map(|w| normalise_term(w))
            .collect();
        let explains = |term: &HardTerm| {
            std::iter::once(term.name)
                .chain(term.forms.iter().copied())
                .map(normalise_term)
                .any(|t| words.contains(&t))
        };
        let mut by_first: Vec<Vec<Form>> = (0..256).map(|_| Vec::new()).collect();
        let mut terms = Vec::new();
        let mut forms = 0;
        for term in HARD_TERMS.iter().filter(|t| !explains(t)) {
            let mut numbers = Vec::new();
            for form in term.forms {
                let chars: Vec<char> = if term.case_sensitive {
                    form.chars().collect()
                } else {
                    form.chars().map(lower_char).collect()
                };
                let first = chars[0] as usize;
                assert!(first < 256, "hard term forms start in Latin-1: {form}");
                by_first[first].push(Form {
                    number: forms,
                    term,
                    chars,
                });
                numbers.push(forms);
                forms += 1;
            }
            terms.push((term, numbers));
        }
        // The candidates `forms_at` would try for each ASCII character.
        let ascii_candidates: Vec<Vec<(usize, usize)>> = (0..128u8)
            .map(|b| {
                let c = b as char;
                let lower = c.to_ascii_lowercase();
                let mut candidates = Vec::new();
                for (key, case_sensitive) in [(lower, false), (c, true)] {
                    for (i, form) in by_first[key as usize].iter().enumerate() {
                        if lower == c || form.term.case_sensitive == case_sensitive {
                            candidates.push((key as usize, i));
                        }
                    }
                    if lower == c {
                        break;
                    }
                }
                candidates
            })
            .collect();
        let mut class = [0u8; 256];
        for (b, class) in class.iter_mut().enumerate() {
            let c = b as u8 as char;
            if !c.is_ascii() {
                *class = MULTI;
                continue;
            }
            if c.is_ascii_alphanumeric() {
                *class |= ALPHANUMERIC;
            }
            if !ascii_candidates[b].is_empty() {
                *class |= STARTS;
            }
        }
        UnexplainedTerms {
            by_first,
            terms,
            forms,
            ascii_candidates,
            class,
        }
    }

    /// The unexplained hard terms in a text, in `HARD_TERMS` order, each with the byte where
    /// it first appears: the first of its forms, in the order listed, that stands in the text
    /// as a whole word (or the start of one, for terms that inflect).
    pub(super) fn find_in(&self, text: &str) -> Vec<(&'static HardTerm, usize)> {
        if self.forms == 0 {
            return Vec::new();
        }
        // On the stack: every form of every hard term fits.
        let mut first_at = [None; ALL_FORMS];
        let mut found = 0;
        let mut prev_alphanumeric = false;
        let bytes = text.as_bytes();
        let mut at = 0;
        // ASCII, most of the text, is read as bytes through a table: decoding every character
        // and asking the Unicode tables about it was most of what the search cost.
        while let Some(&b) = bytes.get(at) {
            let class = self.class[b as usize];
            if class & MULTI == 0 {
                // Most ASCII characters start no form.
                if !prev_alphanumeric && class & STARTS != 0 {
                    for &(key, i) in &self.ascii_candidates[b as usize] {
                        let form = &self.by_first[key][i];
                        if first_at[form.number].is_none() && form_at_ascii(text, at, form) {
                            first_at[form.number] = Some(at);
                            found += 1;
                        }
                    }
                    if found == self.forms {
                        break;
                    }
                }
                at += 1;
                prev_alphanumeric = class & ALPHANUMERIC != 0;
                if prev_alphanumeric {
                    // Inside a word no term starts: the rest of its ASCII letters are passed
                    // over.
                    while let Some(&b) = bytes.get(at)
                        && self.class[b as usize] & ALPHANUMERIC != 0
                    {
                        at += 1;
                    }
                }
                continue;
            }
            let c = text[at..].chars().next().unwrap_or(' ');
            if !prev_alphanumeric {
                self.forms_at(text, at, c, &mut first_at, &mut found);
                if found == self.forms {
                    break;
                }
            }
            prev_alphanumeric = lix::is_alphanumeric(c);
            at += c.len_utf8();
        }
        self.terms
            .iter()
            .filter_map(|(term, numbers)| {
                numbers
                    .iter()
                    .find_map(|&n| first_at[n])
                    .map(|at| (*term, at))
            })
            .collect()
    }

    /// Records the forms not found before that stand at byte `at`, where character `c`
    /// starts and no word goes on.
    fn forms_at(
        &self,
        text: &str,
        at: usize,
        c: char,
        first_at: &mut [Option<usize>],
        found: &mut usize,
    ) {
        let lower = lower_char(c);
        let lookups = [(lower, false), (c, true)];
        for (key, case_sensitive) in lookups {
            let Some(candidates) = self.by_first.get(key as usize) else {
                continue;
            };
            for form in candidates {
                // Where lower-casing changes nothing, one lookup serves both kinds.
                if (lower != c && form.term.case_sensitive != case_sensitive)
                    || first_at[form.number].is_some()
                {
                    continue;
                }
                // Most candidates fail at their second character: when it is ASCII in the
                // text, it is compared here, without decoding the rest.
                if let Some(&want) = form.chars.get(1)
                    && let Some(&second) = text.as_bytes().get(at + c.len_utf8())
                    && second.is_ascii()
                {
                    let second = if form.term.case_sensitive {
                        second
                    } else {
                        second.to_ascii_lowercase()
                    };
                    if second as char != want {
                        continue;
                    }
                }
                if form_at(text, at, &form.chars, form.term) {
                    first_at[form.number] = Some(at);
                    *found += 1;
                }
            }
            if lower == c {
                break;
            }
        }
    }
}

/// [`form_at`], comparing bytes while the text is ASCII there.
fn form_at_ascii(text: &str, at: usize, form: &Form) -> bool {
    let bytes = text.as_bytes();
    let mut end = at;
    for &want in &form.chars {
        match bytes.get(end) {
            None => return false,
            Some(&b) if b.is_ascii() => {
                let have = if form.term.case_sensitive {
                    b
                } else {
                    b.to_ascii_lowercase()
                };
                if have as char != want {
                    return false;
                }
                end += 1;
            }
            // A character of several bytes may lower-case to the one wanted (K, the Kelvin
            // sign, to k): the full comparison decides.
            Some(_) => return form_at(text, at, &form.chars, form.term),
        }
    }
    form.term.prefix
        || form.chars.last() == Some(&'.')
        || text[end..]
            .chars()
            .next()
            .is_none_or(|c| !lix::is_alphanumeric(c))
}

/// Whether `form` stands at byte `at` of `text` as a whole word, or the start of one for
/// terms that inflect and forms that end in a full stop.
fn form_at(text: &str, at: usize, form: &[char], term: &HardTerm) -> bool {
    let mut rest = text[at..].chars();
    for want in form {
        let Some(have) = rest.next() else {
            return false;
        };
        let have = if term.case_sensitive {
            have
        } else {
            lower_char(have)
        };
        if have != *want {
            return false;
        }
    }
    term.prefix || form.last() == Some(&'.') || rest.next().is_none_or(|c| !c.is_alphanumeric())
}

fn normalise_term(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_terms_are_whole_words() {
        let site: crate::model::Site = toml::from_str("title = \"Test\"").unwrap();
        let unexplained = UnexplainedTerms::new(&site);
        let names = |text: &str| -> Vec<(&str, usize)> {
            unexplained
                .find_in(text)
                .into_iter()
                .map(|(t, at)| (t.name, at))
                .collect()
        };
        assert!(names("jf. SEL § 101").contains(&("SEL", 4)));
        assert!(!names("Selv om du").iter().any(|(n, _)| *n == "SEL"));
        assert!(!names("sel om du").iter().any(|(n, _)| *n == "SEL"));
        assert_eq!(names("Du bliver Visiteret hurtigt"), [("visitation", 10)]);
        assert!(names("revisitation").is_empty());
        // Positions are bytes of the text as written, after letters of two bytes.
        assert_eq!(names("Æblet: afgørelsen"), [("afgørelse", 8)]);
        assert_eq!(names("se § 101a"), [("§ 101 a", 3)]);
        // A letter of two bytes is part of the word: no term starts inside "øjf.".
        assert!(names("øjf. ærSEL").is_empty());
        // The Kelvin sign lower-cases to k.
        assert_eq!(names("Se st\u{212a}. 2"), [("stk.", 3)]);
        assert_eq!(names("ø jf. Æ SEL"), [("jf.", 3), ("SEL", 10)]);
    }

    /// The search as it was before the byte table: every character decoded, every
    /// candidate compared in full.
    fn find_in_reference(u: &UnexplainedTerms, text: &str) -> Vec<(&'static HardTerm, usize)> {
        let mut first_at: Vec<Option<usize>> = vec![None; u.forms];
        let mut prev_alphanumeric = false;
        for (at, c) in text.char_indices() {
            if !prev_alphanumeric {
                let lower = lower_char(c);
                for (key, case_sensitive) in [(lower, false), (c, true)] {
                    for form in u.by_first.get(key as usize).into_iter().flatten() {
                        if (lower != c && form.term.case_sensitive != case_sensitive)
                            || first_at[form.number].is_some()
                        {
                            continue;
                        }
                        if form_at(text, at, &form.chars, form.term) {
                            first_at[form.number] = Some(at);
                        }
                    }
                    if lower == c {
                        break;
                    }
                }
            }
            prev_alphanumeric = c.is_alphanumeric();
        }
        u.terms
            .iter()
            .filter_map(|(term, numbers)| {
                numbers
                    .iter()
                    .find_map(|&n| first_at[n])
                    .map(|at| (*term, at))
            })
            .collect()
    }

    #[test]
    fn the_byte_table_search_agrees_with_the_character_search() {
        let site: crate::model::Site = toml::from_str(
            "title = \"Test\"\n[[glossary]]\nterm = \"Måltal\"\nexplanation = \"x\"",
        )
        .unwrap();
        let unexplained = UnexplainedTerms::new(&site);
        const WORDS: &[&str] = &[
            "jf.",
            "Jf.",
            "JF.",
            "jfr.",
            "jvf.",
            "stk.",
            "Stk",
            "SEL",
            "Sel",
            "sel",
            "SELV",
            "SUL",
            "SUL.",
            "sul",
            "visitation",
            "Visiteret",
            "VISITERING",
            "revisitation",
            "afgørelse",
            "AFGØRELSEN",
            "Afgørelserne",
            "behandlingsplanen",
            "handleplan",
            "ambulant",
            "døgnbehandling",
            "Døgnbehandlingen",
            "substitutionsbehandling",
            "underretningspligt",
            "§",
            "§101a",
            "101",
            "a",
            "101a",
            "ankestyrelsen",
            "Tilbudsportalen",
            "måltal",
            "færdigbehandlet",
            "FÆRDIGBEHANDLET",
            "st\u{212a}.",
            "sT\u{212a}.",
            "sTK.",
            "jF.",
            "st",
            "Visit",
            "\u{212a}",
            "ø",
            "æ",
            "Å",
            "søg",
            "jævnligt",
            "sådan",
            "stå",
            "ś",
            "x²",
            "½",
            "-",
            "(",
            "«",
            "»",
            "\"",
            ".",
            ",",
            "det",
            "og",
            "til",
            "du",
            "1.",
            "hjælp",
        ];
        const GAPS: &[&str] = &[
            " ", " ", " ", "", "\n", "\n\n", "-", "/", "\u{a0}", "«", "2",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..below(60) {
                text.push_str(WORDS[below(WORDS.len())]);
                text.push_str(GAPS[below(GAPS.len())]);
            }
            let found: Vec<_> = unexplained
                .find_in(&text)
                .into_iter()
                .map(|(t, at)| (t.name, at))
                .collect();
            let expected: Vec<_> = find_in_reference(&unexplained, &text)
                .into_iter()
                .map(|(t, at)| (t.name, at))
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }
}
