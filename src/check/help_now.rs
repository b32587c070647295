//! `HJAELP-NU`: the lines for urgent help (`[[help_now]]`). A line whose number nobody has
//! checked for twelve months may have moved; a site with no line open around the clock leaves
//! a citizen at night with nothing to call. The check reads `always_open`, never `hours`.

use super::checker::Checker;
use crate::diagnostic::Severity;
use crate::model::{HelpLine, PartialDate};

/// The rule's ID.
const RULE: &str = "HJAELP-NU";

impl Checker<'_> {
    /// Each line's `verified_on`: there, and not older than twelve months.
    pub(super) fn help_lines(&mut self, lines: &[HelpLine]) {
        let today = self.options.reference_date;
        for (i, line) in lines.iter().enumerate() {
            let key = format!("help_now[{i}]");
            let name = line.name.trim();
            match &line.verified_on {
                None => self
                    .finding(RULE, Severity::Warning)
                    .message(format!(
                        "Der står ikke, hvornår nogen sidst har tjekket nummeret til {name}"
                    ))
                    .at_key(&key)
                    .hint(format!(
                        "Ring til nummeret, eller se det på linjens egen hjemmeside. Passer nummeret og tiderne, så skriv datoen under linjen: verified_on = {}",
                        today.iso()
                    ))
                    .push(),
                Some(date) if is_stale(date, &today) => self
                    .finding(RULE, Severity::Warning)
                    .message(format!(
                        "Nummeret til {name} blev sidst tjekket {}. Det er mere end 12 måneder siden, så nummeret eller tiderne kan have ændret sig",
                        date.danish()
                    ))
                    .at_key(&format!("{key}.verified_on"))
                    .hint(format!(
                        "Ring til nummeret, eller se det på linjens egen hjemmeside. Passer nummeret og tiderne, så skriv dagens dato: verified_on = {}",
                        today.iso()
                    ))
                    .push(),
                Some(_) => {}
            }
        }
    }

    /// `site.toml`'s lines: one of them must be open around the clock, since they are the
    /// lines every page shows.
    pub(super) fn always_open_line(&mut self, lines: &[HelpLine]) {
        if lines.iter().any(|l| l.always_open) {
            return;
        }
        let message = if lines.is_empty() {
            "Der står ingen linjer til hjælp nu ([[help_now]]) i site.toml. Borgeren finder intet nummer at ringe til, når kommunen har lukket"
        } else {
            "Ingen af linjerne til hjælp nu ([[help_now]]) i site.toml har åbent døgnet rundt (always_open = true). Om natten finder borgeren intet nummer at ringe til"
        };
        let draft = self
            .finding(RULE, Severity::Warning)
            .missing()
            .message(message)
            .hint("Tilføj en landsdækkende linje, der har åbent døgnet rundt, fx 112 ved livsfare, med always_open = true. README'en forklarer hvordan under «Hjælp nu: numre, borgeren kan ringe til»");
        if lines.is_empty() {
            draft.key("help_now").push();
        } else {
            draft.at_key("help_now[0]").push();
        }
    }
}

/// Whether `date` lies more than twelve months before `today`: its last day a year on is
/// before today's first.
fn is_stale(date: &PartialDate, today: &PartialDate) -> bool {
    let (year, month, day) = date.last_day();
    (year + 1, month, day) < today.first_day()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_stale_a_year_and_a_day_after_it() {
        let today = PartialDate::parse("2026-12-06").unwrap();
        let stale = |d: &str| is_stale(&PartialDate::parse(d).unwrap(), &today);
        assert!(!stale("2025-12-06"));
        assert!(stale("2025-12-05"));
        // A month or a year counts from its last day.
        assert!(!stale("2025-12"));
        assert!(stale("2025-11"));
        assert!(stale("2024"));
    }
}
