//! The parts each rule of Bek. 1477 names, and the words that show a text mentions them.
//!
//! A rule with several parts ("udarbejdelse af og opfølgning på personens behandlingsplan") is
//! met only when its text mentions each part, by a word that holds one of the part's stems,
//! or a structured fact tells it. A missing part, or a text of a sentence or two, makes
//! the rule partial (`delvis`), with a finding that names what is missing. `docs/rules.md`
//! holds the same table for readers.

use super::checker::Checker;
use super::legal::residential_offered;
use crate::diagnostic::Severity;
use crate::model::Municipality;
use crate::rules::rule;

/// One part of a rule, as the regulation names it.
pub(super) struct Part {
    /// Danish, as it fits "Teksten siger ikke noget om ...".
    pub(super) name: &'static str,
    /// Lower-case pieces of words (or of a run of words) that mention the part, anywhere in a
    /// word, since Danish joins words ("grunduddannelse"); one that starts with a space only
    /// at the start of a word (" kost", not "omkostning").
    pub(super) stems: &'static [&'static str],
    /// A structured fact that tells the part without words.
    pub(super) fact: Option<fn(&Municipality) -> bool>,
    /// Whether the part is required of this municipality.
    pub(super) applies: fn(&Municipality) -> bool,
}

/// A rule's parts, and the texts that must mention them.
pub(super) struct RuleParts {
    pub(super) rule: &'static str,
    /// The text that tells the rule; the findings point at it.
    pub(super) key: &'static str,
    /// That text first, then the others that may mention a part.
    pub(super) texts: fn(&Municipality) -> Vec<&str>,
    pub(super) parts: &'static [Part],
}

/// A text with fewer sentences than this is partial, whatever words it has.
pub(super) const MIN_SENTENCES: usize = 3;

const FOLLOW_UP: &[&str] = &[
    "opfølg",
    "evaluer",
    "følge op",
    "følger op",
    "følges op",
    "fulgt op",
    "følg op",
];

fn always(_: &Municipality) -> bool {
    true
}

const fn part(name: &'static str, stems: &'static [&'static str]) -> Part {
    Part {
        name,
        stems,
        fact: None,
        applies: always,
    }
}

/// The rule's own text first (empty when absent), then the others there are.
fn texts<'m>(
    own: Option<&'m str>,
    others: impl IntoIterator<Item = Option<&'m str>>,
) -> Vec<&'m str> {
    std::iter::once(own.unwrap_or(""))
        .chain(others.into_iter().flatten())
        .collect()
}

/// Every rule with parts, in the order of the regulation.
pub(super) const PARTS: &[RuleParts] = &[
    RuleParts {
        rule: "§4.1.3",
        key: "goals.text",
        texts: |m| texts(m.goals.as_ref().map(|t| t.text.text.as_str()), []),
        parts: &[
            part("det overordnede mål", &["mål", "formål"]),
            part(
                "værdier og normer",
                &["værdi", "norm", "etik", "menneskesyn", "respekt", "princip"],
            ),
        ],
    },
    RuleParts {
        rule: "§4.1.8",
        key: "treatment_plan.text",
        texts: |m| texts(m.treatment_plan.as_ref().map(|t| t.text.text.as_str()), []),
        parts: &[
            part("udarbejdelse af planen", &["behandlingsplan", "plan"]),
            part("opfølgning", FOLLOW_UP),
        ],
    },
    RuleParts {
        rule: "§4.1.9",
        key: "action_plans.text",
        texts: |m| texts(m.action_plans.as_ref().map(|t| t.text.text.as_str()), []),
        parts: &[
            part(
                "udarbejdelse",
                &[
                    "udarbejd",
                    "lave",
                    "laver",
                    "laves",
                    "lavet",
                    "udfærdig",
                    "tilbyd",
                    "tilbud om",
                ],
            ),
            part(
                "koordinering",
                &[
                    "koordin",
                    "samarbejd",
                    "samordn",
                    "sammenhæng",
                    "tværfaglig",
                ],
            ),
            part("opfølgning", FOLLOW_UP),
        ],
    },
    RuleParts {
        rule: "§4.1.11",
        key: "payment.text",
        texts: |m| {
            texts(
                m.payment
                    .as_ref()
                    .and_then(|t| t.text.as_ref())
                    .map(|t| t.text.as_str()),
                [],
            )
        },
        parts: &[
            Part {
                name: "betaling",
                stems: &[
                    "betal",
                    "gratis",
                    "egenbetal",
                    "koster",
                    "pris",
                    "vederlagsfri",
                    "udgift",
                ],
                fact: Some(|m| m.payment.as_ref().is_some_and(|p| p.free.is_some())),
                applies: always,
            },
            Part {
                name: "kost og logi",
                stems: &[" kost", "logi", "ophold", " mad"],
                fact: None,
                applies: residential_offered,
            },
        ],
    },
    RuleParts {
        rule: "§4.1.12",
        key: "complaints.text",
        texts: |m| {
            let mut all = texts(
                m.complaints
                    .as_ref()
                    .and_then(|t| t.text.as_ref())
                    .map(|t| t.text.as_str()),
                [
                    m.referral
                        .as_ref()
                        .and_then(|t| t.text.as_ref())
                        .map(|t| t.text.as_str()),
                    m.residential
                        .as_ref()
                        .and_then(|t| t.text.as_ref())
                        .map(|t| t.text.as_str()),
                ],
            );
            for route in m.complaints.iter().flat_map(|c| &c.routes) {
                all.push(&route.decision);
                all.extend(route.text.as_ref().map(|t| t.text.as_str()));
            }
            all
        },
        parts: &[
            Part {
                name: "sagsbehandlingstid",
                stems: &["sagsbehandlingstid", "behandlingstid", "svartid"],
                fact: Some(|m| {
                    m.referral
                        .as_ref()
                        .is_some_and(|r| r.case_handling_weeks.is_some())
                        || m.residential
                            .as_ref()
                            .is_some_and(|r| r.case_handling_weeks.is_some())
                }),
                applies: always,
            },
            Part {
                name: "klageadgang",
                stems: &["klage"],
                fact: Some(|m| m.complaints.as_ref().is_some_and(|c| !c.routes.is_empty())),
                applies: always,
            },
            Part {
                name: "klagefrister",
                stems: &["frist"],
                fact: Some(|m| {
                    m.complaints.as_ref().is_some_and(|c| {
                        c.routes
                            .iter()
                            .any(|r| r.deadline_weeks.is_some() || r.no_deadline)
                    })
                }),
                applies: always,
            },
        ],
    },
    RuleParts {
        rule: "§4.1.13",
        key: "staff.text",
        texts: |m| texts(m.staff.as_ref().map(|t| t.text.text.as_str()), []),
        parts: &[
            part(
                "faglige kvalifikationer",
                &[
                    "kvalifik",
                    "uddann",
                    "faglig",
                    "socialrådgiver",
                    "sygeplejerske",
                    "psykolog",
                    "pædagog",
                    "læge",
                    "terapeut",
                ],
            ),
            part(
                "kompetenceudvikling",
                &[
                    "kompetence",
                    "efteruddan",
                    "videreuddan",
                    "kursus",
                    "kurser",
                    "supervision",
                    "opkvalific",
                ],
            ),
        ],
    },
    RuleParts {
        rule: "§5",
        key: "residential.provider_requirements",
        texts: |m| {
            texts(
                m.residential
                    .as_ref()
                    .and_then(|r| r.provider_requirements.as_ref())
                    .map(|t| t.text.as_str()),
                [m.residential
                    .as_ref()
                    .and_then(|r| r.text.as_ref())
                    .map(|t| t.text.as_str())],
            )
        },
        parts: &[
            part("behandlingsform", &["behandlingsform", "metode", "tilgang"]),
            part("målgruppe", &["målgruppe"]),
            part("kerneydelser", &["kerneydelse", "ydelse", "indhold"]),
            part(
                "personaleforhold",
                &["personale", "medarbejder", "behandlere", "uddann"],
            ),
            part(
                "fysiske forhold",
                &[
                    "fysiske forhold",
                    "bygning",
                    "værelse",
                    "lokale",
                    "faciliteter",
                    "beliggen",
                ],
            ),
            part("pris", &["pris", "takst", "betal", "koster"]),
        ],
    },
];

/// Whether `stem` stands in `lower`, a lower-cased text: anywhere, or at the start of a word
/// when it starts with a space.
pub(super) fn mentions(lower: &str, stem: &str) -> bool {
    let Some(start) = stem.strip_prefix(' ') else {
        return lower.contains(stem);
    };
    lower.match_indices(start).any(|(at, _)| {
        lower[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// "a", "a og b", "a, b og c".
pub(super) fn danish_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} og {last}", rest.join(", ")),
    }
}

impl Checker<'_> {
    /// Each rule of [`PARTS`] whose text is there: the parts it does not mention, or that it
    /// is too short to tell them. A rule the general standard covers is not judged here.
    pub(super) fn parts(&mut self, m: &Municipality) {
        for rp in PARTS {
            if self.covered(rp.rule) {
                continue;
            }
            let all = (rp.texts)(m);
            let Some(own) = all.first().filter(|t| !t.trim().is_empty()) else {
                // Absent or empty: `require` reported it.
                continue;
            };
            let own = *own;
            let lower: Vec<String> = all.iter().map(|t| t.to_lowercase()).collect();
            let applying: Vec<&Part> = rp.parts.iter().filter(|p| (p.applies)(m)).collect();
            let names: Vec<&str> = applying.iter().map(|p| p.name).collect();
            let topic = rule(rp.rule).map_or("", |r| r.topic);
            let reference = rule(rp.rule).map_or("", |r| r.reference);
            let mut lacking = false;
            for p in &applying {
                let told = p.fact.is_some_and(|fact| fact(m))
                    || lower.iter().any(|t| p.stems.iter().any(|s| mentions(t, s)));
                if !told {
                    lacking = true;
                    self.finding(rp.rule, Severity::Warning)
                        .partial()
                        .message(format!("Teksten om {topic} siger ikke noget om {}", p.name))
                        .at_key(rp.key)
                        .hint(format!(
                            "Loven ({reference}) kræver, at standarden beskriver {}. Skriv om {}",
                            danish_and(&names),
                            p.name
                        ))
                        .push();
                }
            }
            if lacking {
                continue;
            }
            let sentences = crate::lix::analyse(own).sentences;
            if sentences < MIN_SENTENCES {
                let counted = if sentences == 1 {
                    "1 sætning".to_string()
                } else {
                    format!("{sentences} sætninger")
                };
                self.finding(rp.rule, Severity::Warning)
                    .partial()
                    .message(format!(
                        "Teksten om {topic} er kun {counted}. Den kan ikke nå at beskrive {}",
                        danish_and(&names)
                    ))
                    .at_key(rp.key)
                    .hint(format!(
                        "Beskriv hver del, loven ({reference}) nævner, med et par sætninger: {}",
                        danish_and(&names)
                    ))
                    .push();
            }
        }
        self.structure(m);
        self.complaint_deadlines(m);
    }

    /// §4.1.4: the organisational structure in prose and the kinds of offers, each described.
    fn structure(&mut self, m: &Municipality) {
        if self.covered("§4.1.4") {
            return;
        }
        let text = m
            .structure
            .as_ref()
            .is_some_and(|s| !s.text.text.trim().is_empty());
        if !text && m.offers.is_empty() {
            // `require` reported the topic missing.
            return;
        }
        if !text {
            self.finding("§4.1.4", Severity::Warning)
                .partial()
                .message("Der står ikke noget om den organisatoriske struktur: hvordan behandlingen er organiseret")
                .key("structure.text")
                .hint("Tilføj [structure] med text = \"\"\" ... \"\"\", der fortæller, hvem der gør hvad, og hvordan tilbuddene hænger sammen")
                .push();
        }
        if m.offers.is_empty() {
            self.finding("§4.1.4", Severity::Warning)
                .partial()
                .message("Der står ikke, hvilke typer af behandlingstilbud der er")
                .key("offers")
                .hint("Tilføj et [[offers]] for hvert tilbud med kind, title og description")
                .push();
        }
        for (i, offer) in m.offers.iter().enumerate() {
            if offer
                .description
                .as_ref()
                .is_none_or(|d| d.text.trim().is_empty())
            {
                self.finding("§4.1.4", Severity::Warning)
                    .partial()
                    .message(format!("Tilbuddet «{}» har ingen beskrivelse", offer.title))
                    .at_key(&format!("offers[{i}].description"))
                    .hint("Skriv i description, hvad tilbuddet indeholder, og hvem det er for")
                    .push();
            }
        }
    }

    /// §4.1.12: each complaint route says its deadline, or that there is none.
    fn complaint_deadlines(&mut self, m: &Municipality) {
        if self.covered("§4.1.12") {
            return;
        }
        let Some(c) = &m.complaints else { return };
        for (i, route) in c.routes.iter().enumerate() {
            if route.deadline_weeks.is_none() && !route.no_deadline {
                self.finding("§4.1.12", Severity::Warning)
                    .partial()
                    .message(format!(
                        "Der står ikke, hvad fristen er for at klage over «{}»",
                        route.decision.trim()
                    ))
                    .at_key(&format!("complaints.routes[{i}]"))
                    .hint("Skriv fristen som deadline_weeks = 4, eller no_deadline = true, hvis der ingen frist er. Skriv kun det, standarden selv siger")
                    .push();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stem_counts_inside_a_word_unless_it_starts_with_a_space() {
        assert!(mentions("vi følger op på planen", "følger op"));
        assert!(mentions("opfølgningen sker hver måned", "opfølg"));
        assert!(mentions("en sundhedsfaglig grunduddannelse", "uddann"));
        assert!(!mentions("omkostningerne", " kost"));
        assert!(mentions("kost og logi", " kost"));
        assert!(mentions("(kost)", " kost"));
    }

    #[test]
    fn every_rule_with_parts_is_a_rule_with_at_least_two_parts() {
        for rp in PARTS {
            assert!(rule(rp.rule).is_some(), "{}", rp.rule);
            assert!(rp.parts.len() >= 2, "{}", rp.rule);
            for p in rp.parts {
                assert!(!p.stems.is_empty(), "{}: {}", rp.rule, p.name);
                for s in p.stems {
                    assert_eq!(s.to_lowercase(), *s, "{}: {s}", rp.rule);
                    assert!(!s.trim().is_empty(), "{}", rp.rule);
                }
            }
        }
    }

    #[test]
    fn lists_read_as_danish() {
        assert_eq!(danish_and(&["a"]), "a");
        assert_eq!(danish_and(&["a", "b", "c"]), "a, b og c");
    }
}
