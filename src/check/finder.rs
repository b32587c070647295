//! `FIND-HJAELP`: the answer combinations of the finder "Hvilken hjælp passer til mig?" that
//! no offer fits (see [`crate::site::finder`]), each an info finding for the council: a gap in
//! the offers, or offers whose facts are missing.

use super::checker::Checker;
use crate::diagnostic::Severity;
use crate::model::Municipality;
use crate::site::finder;

impl Checker<'_> {
    /// One info finding per answer combination that leads to no offer, named by its answers,
    /// at the file's `offers`.
    pub(super) fn finder(&mut self, m: &Municipality) {
        for gap in finder::gaps(m) {
            let answers: Vec<String> = gap.given().into_iter().map(|a| a.summary()).collect();
            self.finding("FIND-HJAELP", Severity::Info)
                .message(format!(
                    "Ingen tilbud passer til: {}. En borger, der svarer sådan på «Hvilken hjælp passer til mig?», finder ingen tilbud",
                    answers.join(", ")
                ))
                .at_key("offers")
                .hint("Det kan være et hul i tilbuddene, som kommunalbestyrelsen bør kende. Eller tilbuddene mangler oplysninger: skriv kind, age_min, age_max, substances og anonymous ved de tilbud, hvor standarden siger dem")
                .push();
        }
    }
}
