//! Numbers in prose that disagree with the structured fact beside them: the guarantee's days,
//! the follow-up months, a target's percent and a complaint route's deadline. Each is an
//! error at the line of the prose, since the citizen reads both and cannot tell which is true.

use super::checker::Checker;
use crate::diagnostic::Severity;
use crate::model::Municipality;

/// The words of a unit, in lower case, that a number in prose may count.
const DAYS: &[&str] = &[
    "dag", "dage", "dags", "dagen", "dagene", "hverdag", "hverdage",
];
const MONTHS: &[&str] = &[
    "måned",
    "måneder",
    "måneds",
    "måneden",
    "månederne",
    "md",
    "mdr",
    "mdrs",
];
const WEEKS: &[&str] = &["uge", "uger", "uges", "ugen", "ugerne"];
const PERCENT: &[&str] = &["%", "procent", "pct"];

/// Numbers written as words, as the documents write small ones.
const NUMBER_WORDS: &[(&str, f64)] = &[
    ("en", 1.0),
    ("et", 1.0),
    ("én", 1.0),
    ("ét", 1.0),
    ("to", 2.0),
    ("tre", 3.0),
    ("fire", 4.0),
    ("fem", 5.0),
    ("seks", 6.0),
    ("syv", 7.0),
    ("otte", 8.0),
    ("ni", 9.0),
    ("ti", 10.0),
    ("elleve", 11.0),
    ("tolv", 12.0),
    ("tretten", 13.0),
    ("fjorten", 14.0),
    ("femten", 15.0),
    ("seksten", 16.0),
    ("sytten", 17.0),
    ("atten", 18.0),
    ("nitten", 19.0),
    ("tyve", 20.0),
];

/// Words that join the numbers of one count: "1 og 6 måneder", "3 – 5 mdr.".
const JOINS: &[&str] = &["og", "eller", "til"];

/// A count in prose: its numbers, and the words from the first of them to the unit (to find
/// its line).
#[derive(Debug, PartialEq)]
pub(super) struct Count<'t> {
    pub(super) numbers: Vec<f64>,
    pub(super) words: Vec<&'t str>,
}

/// The words of a text: runs of letters and digits (a decimal comma or point inside a number
/// kept), and `%` on its own.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    // An ASCII digit is one byte of its own in UTF-8, so the neighbours of a comma or point
    // are read as bytes.
    let bytes = text.as_bytes();
    for (at, c) in text.char_indices() {
        let decimal = matches!(c, ',' | '.')
            && at > 0
            && bytes[at - 1].is_ascii_digit()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_digit);
        if c.is_alphanumeric() || (decimal && start.is_some()) {
            start.get_or_insert(at);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..at]);
        }
        if c == '%' {
            out.push(&text[at..at + 1]);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn number(word: &str) -> Option<f64> {
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        return word.replace(',', ".").parse().ok();
    }
    NUMBER_WORDS
        .iter()
        .find(|(w, _)| is_word(word, w))
        .map(|&(_, n)| n)
}

/// Whether `word` is `lower` (a lower-case word) in any case.
fn is_word(word: &str, lower: &str) -> bool {
    if word.is_ascii() {
        return word.eq_ignore_ascii_case(lower);
    }
    word.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

/// Each count of `units` in a text: the numbers right before a unit word, joined by "og",
/// "eller" or "til".
pub(super) fn counts<'t>(text: &'t str, units: &[&str]) -> Vec<Count<'t>> {
    let words = words(text);
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !units.iter().any(|u| is_word(w, u)) {
            continue;
        }
        let mut first = i;
        let mut numbers = Vec::new();
        for j in (0..i).rev() {
            if let Some(n) = number(words[j]) {
                numbers.push(n);
                first = j;
            } else if !JOINS.iter().any(|join| is_word(words[j], join)) || numbers.is_empty() {
                break;
            }
        }
        if !numbers.is_empty() {
            numbers.reverse();
            out.push(Count {
                numbers,
                words: words[first..=i].to_vec(),
            });
        }
    }
    out
}

/// "14", "35,5".
fn shown(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n}")
    } else {
        format!("{n}").replace('.', ",")
    }
}

impl Checker<'_> {
    pub(super) fn contradictions(&mut self, m: &Municipality) {
        if let Some(g) = &m.guarantee
            && let Some(text) = &g.text
        {
            let days = f64::from(g.days);
            self.disagree(
                "§4.1.6",
                "guarantee.text",
                &text.text,
                DAYS,
                |n| n == days,
                |said| format!("Teksten siger {said} dage, men days = {}. Tallene skal være ens", g.days),
                "Ret teksten eller days, så de siger det samme. Behandlingsgarantien er højst 14 dage",
            );
        }
        if let Some(f) = &m.follow_up
            && let Some(text) = &f.text
        {
            let months = f.months.clone();
            let field = format!(
                "[{}]",
                months
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            self.disagree(
                "§4.2",
                "follow_up.text",
                &text.text,
                MONTHS,
                |n| months.iter().any(|&mo| f64::from(mo) == n),
                |said| format!("Teksten siger opfølgning efter {said} måneder, men months = {field}. Tallene skal være ens"),
                "Ret teksten eller months, så de siger det samme. Loven kræver opfølgning efter 1 og 6 måneder",
            );
        }
        for (i, t) in m
            .monitoring
            .iter()
            .flat_map(|mo| mo.targets.iter())
            .enumerate()
        {
            let percent = t.percent;
            self.disagree(
                "§4.3",
                &format!("monitoring.targets[{i}].text"),
                &t.text,
                PERCENT,
                |n| n == percent,
                |said| format!("Teksten til måltallet siger {said} %, men percent = {}. Tallene skal være ens", shown(percent)),
                "Ret teksten eller percent, så de siger det samme",
            );
        }
        for (i, r) in m
            .complaints
            .iter()
            .flat_map(|c| c.routes.iter())
            .enumerate()
        {
            let (Some(weeks), Some(text)) = (r.deadline_weeks, &r.text) else {
                continue;
            };
            self.disagree(
                "§4.1.12",
                &format!("complaints.routes[{i}].text"),
                &text.text,
                WEEKS,
                |n| n == f64::from(weeks),
                |said| format!("Teksten om klagen over «{}» siger {said} uger, men deadline_weeks = {weeks}. Tallene skal være ens", r.decision.trim()),
                "Ret teksten eller deadline_weeks, så de siger det samme",
            );
        }
    }

    /// An error at the line of each count of `units` in `text` with a number that `agrees`
    /// refuses.
    #[allow(clippy::too_many_arguments)]
    fn disagree(
        &mut self,
        rule: &'static str,
        key: &str,
        text: &str,
        units: &[&str],
        agrees: impl Fn(f64) -> bool,
        message: impl Fn(&str) -> String,
        hint: &str,
    ) {
        for count in counts(text, units) {
            if count.numbers.iter().all(|&n| agrees(n)) {
                continue;
            }
            let said = match count.numbers.as_slice() {
                [one] => shown(*one),
                [rest @ .., last] => format!(
                    "{} og {}",
                    rest.iter()
                        .map(|&n| shown(n))
                        .collect::<Vec<_>>()
                        .join(", "),
                    shown(*last)
                ),
                [] => continue,
            };
            let line = self.line_of_words(key, &count.words);
            self.finding(rule, Severity::Error)
                .message(message(&said))
                .at(key, line)
                .hint(hint)
                .push();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str, units: &[&str]) -> Vec<Vec<f64>> {
        counts(text, units).into_iter().map(|c| c.numbers).collect()
    }

    #[test]
    fn counts_are_the_numbers_right_before_their_unit() {
        assert_eq!(
            numbers("Vi følger op efter 1 og 3 måneder.", MONTHS),
            [vec![1.0, 3.0]]
        );
        assert_eq!(
            numbers("efter 1 md og efter 3 mdr., opfølgning", MONTHS),
            [vec![1.0], vec![3.0]]
        );
        assert_eq!(numbers("senest inden for 30 dage", DAYS), [vec![30.0]]);
        assert_eq!(numbers("inden for fjorten dage", DAYS), [vec![14.0]]);
        assert_eq!(numbers("14\ndags behandling", DAYS), [vec![14.0]]);
        assert_eq!(numbers("35,5 % er stoffri", PERCENT), [vec![35.5]]);
        assert_eq!(numbers("35 procent", PERCENT), [vec![35.0]]);
        // Words that are not numbers end a count, and a unit without a number is none.
        assert!(numbers("1-2 gange om måneden", MONTHS).is_empty());
        assert!(numbers("Dagbehandling varer længe", DAYS).is_empty());
        assert_eq!(
            numbers("Behandlingen varer 3 – 5 mdr.", MONTHS),
            [vec![3.0, 5.0]]
        );
    }
}
