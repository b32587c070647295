//! The checker: one municipality's (or the site's) findings, with the lines they are at.

use super::language::{LixCounts, merge_offers_lix};
use super::legal::residential_offered;
use super::report::WHOLE_PLACE;
use super::sections::sections;
use super::terms::UnexplainedTerms;
use super::{CheckOptions, Counts, Finding, InternalLink, MunicipalitySummary, SectionLix};
use crate::diagnostic::Severity;
use crate::load::{LoadedMunicipality, SourceFile};
use crate::model::{GeneralStandard, Markdown};
use crate::rules::{other, requirement, rule};

pub(super) struct Checker<'a> {
    pub(super) slug: Option<&'a str>,
    pub(super) source: &'a SourceFile,
    pub(super) options: &'a CheckOptions,
    pub(super) unexplained: &'a UnexplainedTerms,
    pub(super) findings: &'a mut Vec<Finding>,
    pub(super) internal_links: &'a mut Vec<InternalLink>,
    /// The municipality's general standard, which covers some rules in its place.
    pub(super) general: Option<&'a GeneralStandard>,
}

impl<'a> Checker<'a> {
    /// A finding about `rule`, written in steps and reported by [`Draft::push`]:
    /// `self.finding(rule, severity).missing().message(..).at_key(key).hint(..).push()`.
    pub(super) fn finding<'c>(
        &'c mut self,
        rule: &'static str,
        severity: Severity,
    ) -> Draft<'c, 'a> {
        Draft {
            checker: self,
            rule,
            severity,
            missing: false,
            partial: false,
            referred: false,
            message: String::new(),
            key: None,
            line: None,
            column: None,
            hint: None,
        }
    }

    /// Reports a topic that is absent (`None`) or has no text.
    pub(super) fn require(
        &mut self,
        rule_id: &'static str,
        key: &str,
        text: Option<&Markdown>,
    ) -> bool {
        let r = rule(rule_id).copied().unwrap_or(other(rule_id, "", ""));
        if self.covered(rule_id) && text.is_none_or(|md| md.text.trim().is_empty()) {
            // The general standard tells it; `Checker::referrals` says so.
            return false;
        }
        let table = key.split(['.', '[']).next().unwrap_or(key);
        match text {
            None => {
                let exists = self.source.key_span(table).is_some();
                let hint = if exists {
                    format!(
                        "Tilføj {} i [{table}]",
                        key.rsplit('.').next().unwrap_or(key)
                    )
                } else {
                    format!(
                        "Tilføj [{table}] med text = \"\"\" ... \"\"\". Se forklaringen i filen, som kvalitet new laver"
                    )
                };
                // At the table when it is there, so the editor sees where the text goes.
                let line = if exists {
                    self.source.line_of(key)
                } else {
                    None
                };
                self.finding(rule_id, Severity::Error)
                    .missing()
                    .message(format!("Der står ikke noget om {}", r.topic))
                    .at(key, line)
                    .hint(hint)
                    .push();
                false
            }
            Some(md) if md.text.trim().is_empty() => {
                self.finding(rule_id, Severity::Error)
                    .missing()
                    .message(format!("Teksten om {} er tom", r.topic))
                    .at_key(key)
                    .hint("Skriv teksten mellem \"\"\" og \"\"\", eller slet afsnittet, hvis standarden ikke beskriver emnet")
                    .push();
                false
            }
            Some(_) => true,
        }
    }

    /// Whether the municipality's general standard covers the rule.
    pub(super) fn covered(&self, rule: &str) -> bool {
        self.general.is_some_and(|g| g.covers(rule))
    }

    /// A note for each rule the general standard covers, naming it, at its `covers`.
    pub(super) fn referrals(&mut self) {
        let Some(g) = self.general else { return };
        for r in super::RULES.iter().filter(|r| g.covers(r.id)) {
            self.finding(r.id, Severity::Info)
                .referred()
                .message(format!(
                    "Standarden henviser til den generelle kvalitetsstandard «{}» ({}) for {}",
                    g.title.trim(),
                    g.url.trim(),
                    r.topic
                ))
                .at_key("general_standard.covers")
                .hint(format!(
                    "Tjek, at «{}» beskriver {}, og at linket virker",
                    g.title.trim(),
                    r.topic
                ))
                .push();
        }
    }

    pub(super) fn municipality(&mut self, lm: &LoadedMunicipality) -> MunicipalitySummary {
        let m = &lm.data;
        self.legal(m);
        self.baseline(lm);
        self.contact(m);
        self.help_lines(&m.help_now);
        self.finder(m);
        let sections = sections(m);
        let mut lix = Vec::new();
        let mut all = LixCounts::default();
        for section in sections {
            // Fields are paragraphs apart, so no sentence spans two of them and a section's
            // LIX is the sum of its fields' counts: each text is analysed once.
            let mut counts = LixCounts::default();
            for field in &section.fields {
                counts.add(&self.language(&field.key, field.text));
            }
            all.merge(&counts);
            if counts.words > 0 {
                lix.push(counts.section(
                    section.id,
                    section.title,
                    section.place,
                    self.options.lix_warning,
                ));
            }
        }
        for (key, md) in m.prose() {
            self.links(&key, md);
            self.headings(&key, md);
            self.prose_table(&key, md);
        }
        let lix_total = all.section(
            "hele".to_string(),
            "Hele standarden".to_string(),
            WHOLE_PLACE,
            self.options.lix_warning,
        );
        let offers: Vec<&SectionLix> = lix.iter().filter(|s| s.is_offer()).collect();
        let lix_offers = merge_offers_lix(&offers, self.options.lix_warning);
        MunicipalitySummary {
            slug: lm.slug.clone(),
            name: m.short_name.clone(),
            file: lm.source.path.clone(),
            lix_total,
            lix_offers,
            lix,
            // Counted once the findings are sorted and free of repeats.
            counts: Counts::default(),
            residential_offered: residential_offered(m),
            // Filled in once they are sorted.
            findings: Vec::new(),
        }
    }

    /// The line where a text first appears at or after `from` (a key's start, then the end of
    /// the text found before), moving `from` past it: texts looked for in the order they come
    /// are each found on their own line. The key's own line when the text is not there as
    /// written (a character reference, a tab written as `\t`).
    pub(super) fn line_of_text(
        &self,
        key: &str,
        needle: &str,
        from: &mut Option<usize>,
    ) -> Option<usize> {
        let found = from.and_then(|start| {
            let at = start + self.source.text.get(start..)?.find(needle)?;
            *from = Some(at + needle.len());
            Some(self.source.line_at(at))
        });
        found.or_else(|| self.source.line_of(key))
    }

    /// The line where a run of words starts in a key's value (or its key), skipping Markdown
    /// marks between them; the key's own line otherwise.
    pub(super) fn line_of_words(&self, key: &str, words: &[&str]) -> Option<usize> {
        let cores: Vec<&str> = words
            .iter()
            .take(5)
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .collect();
        let found = self.source.key_span(key).and_then(|span| {
            let end = self
                .source
                .value_span(key)
                .map_or(self.source.text.len(), |v| v.end.max(span.end));
            let rest = self.source.text.get(span.start..end)?;
            let first = cores.first()?;
            rest.match_indices(first).find_map(|(at, _)| {
                let mut tail = rest.get(at + first.len()..)?;
                for w in &cores[1..] {
                    tail = tail.trim_start_matches(|c: char| !c.is_alphanumeric());
                    tail = tail.strip_prefix(w)?;
                }
                Some(self.source.line_at(span.start + at))
            })
        });
        found.or_else(|| self.source.line_of(key))
    }
}

/// A finding being written (see [`Checker::finding`]); reported only when pushed.
#[must_use = "a finding is reported only by `push`"]
pub(super) struct Draft<'c, 'a> {
    checker: &'c mut Checker<'a>,
    rule: &'static str,
    severity: Severity,
    missing: bool,
    partial: bool,
    referred: bool,
    message: String,
    key: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    hint: Option<String>,
}

impl Draft<'_, '_> {
    /// The topic is absent, not merely wrong or hard to read.
    pub(super) fn missing(mut self) -> Self {
        self.missing = true;
        self
    }

    /// The topic is there but lacks a part the regulation names.
    pub(super) fn partial(mut self) -> Self {
        self.partial = true;
        self
    }

    /// The rule is covered by the general standard the message names.
    pub(super) fn referred(mut self) -> Self {
        self.referred = true;
        self
    }

    pub(super) fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// Names the key of content that is absent: the finding points at the file, at no line.
    pub(super) fn key(mut self, key: &str) -> Self {
        self.key = (!key.is_empty()).then(|| key.to_string());
        self
    }

    /// Names the key, at the line where it is in the file.
    pub(super) fn at_key(self, key: &str) -> Self {
        let line = self.checker.source.line_of(key);
        self.at(key, line)
    }

    /// Names the key, at a line found within its content (or at no line).
    pub(super) fn at(mut self, key: &str, line: Option<usize>) -> Self {
        self.line = line;
        self.key(key)
    }

    /// The column (counting characters from 1) where the finding is on its line.
    pub(super) fn column(mut self, column: Option<usize>) -> Self {
        self.column = column;
        self
    }

    pub(super) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Reports the finding, in the checker's file and municipality.
    pub(super) fn push(self) {
        let Draft {
            checker,
            rule,
            severity,
            missing,
            partial,
            referred,
            message,
            key,
            line,
            column,
            hint,
        } = self;
        checker.findings.push(Finding {
            rule,
            severity,
            missing,
            partial,
            referred,
            municipality: checker.slug.map(str::to_string),
            message,
            requirement: requirement(rule),
            file: checker.source.path.clone(),
            line,
            column,
            key,
            hint,
        });
    }
}
