//! "Hvilken hjælp passer til mig?": the finder at `/<kommune>/find-hjaelp/`, one question per
//! page, answered by plain links, the last leading to the offers that fit.
//!
//! Invariants kept here:
//! - Only typed facts decide a match (an offer's `kind`, `age_min`/`age_max`, `substances`,
//!   `anonymous`); an offer without the fact is possible for every answer, never excluded.
//! - The answers offered come from the offers still possible at that point (age bands from
//!   their own age limits), and a question is skipped when every answer leads to the same
//!   offers. So an empty result is reported once, at the fewest answers that lead to it.
//! - The pages are bounded: at most [`MAX_AGE_BANDS`] age bands, so at most
//!   2 × 6 × 3 × 2 = 72 result pages per municipality, and none without offers.

use crate::model::{Municipality, Offer, OfferKind, Substance};

/// The finder's folder below a municipality's folder.
pub const FINDER_SLUG: &str = "find-hjaelp";

/// The most age bands the age question offers: more limits than this are merged (the limits
/// most offers share are kept), and an offer whose range meets a band counts as possible.
pub(crate) const MAX_AGE_BANDS: usize = 6;

/// Who the help is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    Me,
    Someone,
}

/// What the help is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Uses {
    Alcohol,
    Drugs,
    Both,
}

/// An age band, both ends included; `to` is `None` for "or older".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AgeBand {
    pub from: u32,
    pub to: Option<u32>,
}

/// The finder's questions, in the order they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    Who,
    Age,
    Uses,
    Anonymous,
}

const QUESTIONS: [Question; 4] = [
    Question::Who,
    Question::Age,
    Question::Uses,
    Question::Anonymous,
];

/// One answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Who(Who),
    Age(AgeBand),
    Uses(Uses),
    /// `true`: the citizen wants to be anonymous; `false`: no, or it does not matter.
    Anonymous(bool),
}

/// The answers given so far: the address of one finder page. Questions before `next` were
/// answered or skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Answers {
    pub who: Option<Who>,
    pub age: Option<AgeBand>,
    pub uses: Option<Uses>,
    pub anonymous: Option<bool>,
    next: u8,
}

/// What a finder page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A question and its answers, each with the answers it leads to.
    Ask {
        question: Question,
        answers: Vec<(Answer, Answers)>,
    },
    /// The offers that fit (indexes into the municipality's `offers`, in file order).
    Result { offers: Vec<usize> },
}

impl Question {
    /// The question as the page's heading.
    pub fn heading(self, who: Option<Who>) -> &'static str {
        match (self, who) {
            (Question::Who, _) => "Hvem søger du hjælp til?",
            (Question::Age, _) => "Hvor gammel er du?",
            (Question::Uses, Some(Who::Someone)) => "Hvad drejer det sig om?",
            (Question::Uses, _) => "Hvad vil du have hjælp til?",
            (Question::Anonymous, _) => "Vil du være anonym?",
        }
    }

    /// A line under the heading that explains the question.
    pub fn hint(self, who: Option<Who>) -> &'static str {
        match (self, who) {
            (Question::Who, _) => {
                "Vælg «En, jeg kender», hvis du er pårørende. Det kan fx være til din partner, dit barn, din forælder eller en ven."
            }
            (Question::Age, Some(Who::Someone)) => {
                "Nogle af tilbuddene er for en bestemt alder. Svar med din egen alder."
            }
            (Question::Age, _) => "Nogle tilbud er for en bestemt alder.",
            (Question::Uses, Some(Who::Someone)) => {
                "Drikker personen, tager personen stoffer, eller begge dele?"
            }
            (Question::Uses, _) => "Nogle tilbud er kun for alkohol eller kun for stoffer.",
            (Question::Anonymous, _) => "Anonym betyder, at du ikke behøver at sige, hvem du er.",
        }
    }
}

impl Answer {
    /// The place of the answer's question in [`QUESTIONS`].
    fn question_index(self) -> usize {
        match self {
            Answer::Who(_) => 0,
            Answer::Age(_) => 1,
            Answer::Uses(_) => 2,
            Answer::Anonymous(_) => 3,
        }
    }

    /// The answer's folder in the page address.
    pub fn slug(self) -> String {
        match self {
            Answer::Who(Who::Me) => "mig".into(),
            Answer::Who(Who::Someone) => "en-jeg-kender".into(),
            Answer::Age(AgeBand {
                from: 0,
                to: Some(to),
            }) => format!("under-{}", to + 1),
            Answer::Age(AgeBand { from, to: Some(to) }) if from == to => format!("{from}-aar"),
            Answer::Age(AgeBand { from, to: Some(to) }) => format!("{from}-{to}"),
            Answer::Age(AgeBand { from, to: None }) => format!("fra-{from}"),
            Answer::Uses(Uses::Alcohol) => "alkohol".into(),
            Answer::Uses(Uses::Drugs) => "stoffer".into(),
            Answer::Uses(Uses::Both) => "begge".into(),
            Answer::Anonymous(true) => "anonym".into(),
            Answer::Anonymous(false) => "ligegyldigt".into(),
        }
    }

    /// The answer as the link a citizen picks.
    pub fn label(self) -> String {
        match self {
            Answer::Who(Who::Me) => "Mig selv".into(),
            Answer::Who(Who::Someone) => "En, jeg kender".into(),
            Answer::Age(AgeBand {
                from: 0,
                to: Some(to),
            }) => format!("Under {} år", to + 1),
            Answer::Age(AgeBand { from, to: Some(to) }) if from == to => format!("{from} år"),
            Answer::Age(AgeBand { from, to: Some(to) }) => format!("{from}–{to} år"),
            Answer::Age(AgeBand { from, to: None }) => format!("{from} år eller ældre"),
            Answer::Uses(Uses::Alcohol) => "Alkohol".into(),
            Answer::Uses(Uses::Drugs) => "Stoffer".into(),
            Answer::Uses(Uses::Both) => "Både alkohol og stoffer".into(),
            Answer::Anonymous(true) => "Ja, jeg vil være anonym".into(),
            Answer::Anonymous(false) => "Nej, eller det er lige meget".into(),
        }
    }

    /// The answer as it reads in a list of answers: "en, jeg kender", "18–29 år".
    pub fn summary(self) -> String {
        match self {
            Answer::Anonymous(true) => "anonym".into(),
            Answer::Anonymous(false) => "behøver ikke at være anonym".into(),
            other => {
                let label = other.label();
                let mut chars = label.chars();
                chars.next().map_or_else(String::new, |c| {
                    c.to_lowercase().chain(chars).collect::<String>()
                })
            }
        }
    }
}

impl Answers {
    /// The answers given, in the order of the questions.
    pub fn given(&self) -> Vec<Answer> {
        let mut out = Vec::new();
        out.extend(self.who.map(Answer::Who));
        out.extend(self.age.map(Answer::Age));
        out.extend(self.uses.map(Answer::Uses));
        out.extend(self.anonymous.map(Answer::Anonymous));
        out
    }

    /// The page's folder below the finder's: `mig/18-29/alkohol/`, empty for the first page.
    pub fn folders(&self) -> String {
        self.given().into_iter().map(|a| a.slug() + "/").collect()
    }

    /// These answers and `answer`, the question after it next.
    fn with(mut self, question: usize, answer: Answer) -> Answers {
        match answer {
            Answer::Who(w) => self.who = Some(w),
            Answer::Age(a) => self.age = Some(a),
            Answer::Uses(u) => self.uses = Some(u),
            Answer::Anonymous(a) => self.anonymous = Some(a),
        }
        self.next = (question + 1) as u8;
        self
    }

    /// The answers before the last one given: the page "Skift svar" leads back to, the one
    /// whose question the last answer answers. `None` on the first page.
    pub fn previous(&self) -> Option<Answers> {
        let mut given = self.given();
        given.pop()?;
        Some(given.into_iter().fold(Answers::default(), |at, answer| {
            at.with(answer.question_index(), answer)
        }))
    }

    /// Whether `offer`'s typed facts allow these answers.
    pub fn allow(&self, m: &Municipality, offer: &Offer) -> bool {
        self.who.is_none_or(|w| for_whom(offer, w))
            && self.age.is_none_or(|band| for_age(offer, band))
            && self.uses.is_none_or(|u| for_uses(m, offer, u))
            && self.anonymous.is_none_or(|a| !a || anonymous(offer))
    }
}

/// Whether the offer can be for `who`, by its kind: an offer for relatives only for someone
/// one knows; family offers, advice and offers of no or another kind for both; every other
/// kind (treatment of the citizen's own use) only for oneself.
fn for_whom(offer: &Offer, who: Who) -> bool {
    match offer.kind {
        Some(OfferKind::Relatives) => who == Who::Someone,
        None | Some(OfferKind::Family | OfferKind::Advice | OfferKind::Other) => true,
        Some(_) => who == Who::Me,
    }
}

/// Whether the offer's ages meet the band.
fn for_age(offer: &Offer, band: AgeBand) -> bool {
    let min = offer.age_min.unwrap_or(0);
    band.to.is_none_or(|to| min <= to) && offer.age_max.is_none_or(|max| max >= band.from)
}

/// The substances an offer helps with: its own, else the municipality's; `None` when neither
/// names one.
fn substances<'a>(m: &'a Municipality, offer: &'a Offer) -> Option<&'a [Substance]> {
    [&offer.substances, &m.substances]
        .into_iter()
        .find(|s| !s.is_empty())
        .map(Vec::as_slice)
}

/// Whether the offer helps with `uses`: "both" needs an offer that names both. The question
/// offers only the substances the standard covers (see [`answers_to`]).
fn for_uses(m: &Municipality, offer: &Offer, uses: Uses) -> bool {
    let Some(s) = substances(m, offer) else {
        return true;
    };
    let alcohol = s.contains(&Substance::Alcohol);
    let drugs = s.contains(&Substance::Drugs);
    match uses {
        Uses::Alcohol => alcohol,
        Uses::Drugs => drugs,
        Uses::Both => alcohol && drugs,
    }
}

/// Whether the citizen can be anonymous in the offer.
fn anonymous(offer: &Offer) -> bool {
    offer.anonymous || offer.kind == Some(OfferKind::Anonymous)
}

/// The offers the answers allow, in file order.
pub fn matching(m: &Municipality, answers: &Answers) -> Vec<usize> {
    (m.offers.iter().enumerate())
        .filter(|(_, o)| answers.allow(m, o))
        .map(|(i, _)| i)
        .collect()
}

/// The answers to `question` given the offers still possible.
fn answers_to(question: Question, m: &Municipality, possible: &[usize]) -> Vec<Answer> {
    match question {
        Question::Who => vec![Answer::Who(Who::Me), Answer::Who(Who::Someone)],
        Question::Age => age_bands(possible.iter().map(|&i| &m.offers[i]))
            .into_iter()
            .map(Answer::Age)
            .collect(),
        Question::Uses => {
            // Only the substances the standard covers: a standard for drugs alone does not
            // ask, and shows its offers for drugs.
            let covers = |s: Substance| {
                m.substances.contains(&s) || m.offers.iter().any(|o| o.substances.contains(&s))
            };
            match (covers(Substance::Alcohol), covers(Substance::Drugs)) {
                (true, false) => vec![Answer::Uses(Uses::Alcohol)],
                (false, true) => vec![Answer::Uses(Uses::Drugs)],
                _ => [Uses::Alcohol, Uses::Drugs, Uses::Both]
                    .map(Answer::Uses)
                    .to_vec(),
            }
        }
        Question::Anonymous => vec![Answer::Anonymous(true), Answer::Anonymous(false)],
    }
}

/// The age bands the offers' own limits cut the ages into: each `age_min` and each
/// `age_max + 1` starts a band. More than [`MAX_AGE_BANDS`] bands are merged, keeping the
/// limits most offers share (the lower age first on a tie).
pub(crate) fn age_bands<'a>(offers: impl Iterator<Item = &'a Offer>) -> Vec<AgeBand> {
    let mut cuts: Vec<(u32, usize)> = Vec::new();
    for offer in offers {
        let limits = [offer.age_min, offer.age_max.and_then(|a| a.checked_add(1))];
        for cut in limits.into_iter().flatten().filter(|&c| c > 0) {
            match cuts.iter_mut().find(|(c, _)| *c == cut) {
                Some((_, n)) => *n += 1,
                None => cuts.push((cut, 1)),
            }
        }
    }
    cuts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    cuts.truncate(MAX_AGE_BANDS - 1);
    let mut cuts: Vec<u32> = cuts.into_iter().map(|(c, _)| c).collect();
    cuts.sort_unstable();
    let mut bands = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for cut in cuts {
        bands.push(AgeBand {
            from,
            to: Some(cut - 1),
        });
        from = cut;
    }
    bands.push(AgeBand { from, to: None });
    bands
}

/// What the page at `answers` shows: the next question whose answers lead to different
/// offers, or, when none is left, the offers that fit.
pub fn step(m: &Municipality, answers: &Answers) -> Step {
    let possible = matching(m, answers);
    for (q, &question) in QUESTIONS.iter().enumerate().skip(answers.next as usize) {
        let options: Vec<(Answer, Answers)> = answers_to(question, m, &possible)
            .into_iter()
            .map(|a| (a, answers.with(q, a)))
            .collect();
        let sets: Vec<Vec<usize>> = options.iter().map(|(_, a)| matching(m, a)).collect();
        if sets.iter().any(|s| *s != sets[0]) {
            return Step::Ask {
                question,
                answers: options,
            };
        }
    }
    Step::Result { offers: possible }
}

/// Every page of the municipality's finder, the first page first, then depth first in the
/// order of the answers; none when the municipality has no offers.
pub fn pages(m: &Municipality) -> Vec<Answers> {
    if m.offers.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut todo = vec![Answers::default()];
    while let Some(at) = todo.pop() {
        out.push(at);
        if let Step::Ask { answers, .. } = step(m, &at) {
            todo.extend(answers.into_iter().rev().map(|(_, a)| a));
        }
    }
    out
}

/// The answer combinations no offer fits: the result pages with no offers, each as its
/// answers.
pub fn gaps(m: &Municipality) -> Vec<Answers> {
    pages(m)
        .into_iter()
        .filter(|a| matches!(step(m, a), Step::Result { offers } if offers.is_empty()))
        .collect()
}

#[cfg(test)]
mod tests;
