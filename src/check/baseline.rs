//! The approved copies (`content/godkendt/<slug>/`, see [`crate::load::approved`]) against the
//! working file: the approval facts must agree with the latest copy (§3.3), and a file changed
//! since that approval must not be past its revision date (§6.1).

use super::checker::Checker;
use crate::diagnostic::Severity;
use crate::load::LoadedMunicipality;
use crate::load::approved::{ApprovedCopy, latest_approved};
use crate::model::PartialDate;

/// What the latest approved copy says of its own approval.
struct Baseline {
    copy: ApprovedCopy,
    date: PartialDate,
    text: String,
    approved_by: Option<String>,
    next_revision: Option<PartialDate>,
}

impl Baseline {
    /// The latest copy of `lm`, read from the content folder its file is in.
    fn of(lm: &LoadedMunicipality) -> Option<Baseline> {
        let content = lm.source.path.parent()?;
        let copy = latest_approved(content, &lm.slug)?;
        let date = PartialDate::parse(&copy.date).ok()?;
        // Read as content is read (a link out of its folder is refused, a lone CR is a line end),
        // so that it compares with the working file's text as loaded.
        let text = crate::load::read_text(&copy.path).ok()?;
        let approval = toml::from_str::<toml::Table>(&text)
            .ok()
            .and_then(|t| t.get("approval")?.as_table().cloned());
        let field = |key: &str| approval.as_ref().and_then(|a| a.get(key)).cloned();
        Some(Baseline {
            approved_by: field("approved_by").and_then(|v| v.as_str().map(str::to_string)),
            next_revision: field("next_revision").and_then(|v| match v {
                toml::Value::String(s) => PartialDate::parse(&s).ok(),
                toml::Value::Datetime(d) => PartialDate::parse(&d.to_string()).ok(),
                _ => None,
            }),
            copy,
            date,
            text,
        })
    }
}

impl Checker<'_> {
    pub(super) fn baseline(&mut self, lm: &LoadedMunicipality) {
        let Some(base) = Baseline::of(lm) else {
            return;
        };
        let approval = lm.data.approval.as_ref();
        let command = format!(
            "kvalitet godkend {} --dato ÅÅÅÅ-MM-DD --af \"{}\"",
            lm.slug,
            base.approved_by.as_deref().unwrap_or("Byrådet")
        );
        let copy = base.copy.path.display();

        // §3.3: the facts of approval agree with the latest approved copy. No `approved_on` at
        // all is told by the rule on approval itself.
        if let Some(on) = approval.and_then(|a| a.approved_on) {
            if on != base.date {
                let hint = if on > base.date {
                    format!(
                        "Der er ingen godkendt kopi fra {}. Skriv godkendelsen med {command}, så kopien kommer med",
                        on.danish()
                    )
                } else {
                    format!(
                        "Skriv approved_on = {}, som i kopien, eller skriv en ny godkendelse med {command}",
                        base.copy.date
                    )
                };
                self.finding("§3.3", Severity::Error)
                    .message(format!(
                        "Standarden er godkendt {} ifølge approved_on, men den seneste godkendte tekst er fra {} ({copy})",
                        on.danish(),
                        base.date.danish()
                    ))
                    .at_key("approval.approved_on")
                    .hint(hint)
                    .push();
            } else if let Some(by) = base.approved_by.as_deref().map(str::trim)
                && let Some(now) = approval
                    .and_then(|a| a.approved_by.as_deref())
                    .map(str::trim)
                && !now.is_empty()
                && now != by
            {
                self.finding("§3.3", Severity::Error)
                    .message(format!(
                        "Standarden er godkendt af «{now}» ifølge approved_by, men af «{by}» ifølge den godkendte tekst fra {} ({copy})",
                        base.date.danish()
                    ))
                    .at_key("approval.approved_by")
                    .hint(format!(
                        "Skriv approved_by = \"{by}\", som i kopien. Er standarden godkendt igen, så skriv godkendelsen med {command}"
                    ))
                    .push();
            }
        }

        // §6.1: changes made since the approval are approved by the revision date it set (its
        // `next_revision`, or two years after it).
        if lm.source.text == base.text {
            return;
        }
        let today = self.options.reference_date;
        let (due, passed) = match base.next_revision {
            Some(next) => (next.danish(), next.last_day() < today.first_day()),
            None => {
                let due = super::legal::two_years_after(base.date);
                (
                    PartialDate {
                        year: due.0,
                        month: Some(due.1),
                        day: Some(due.2),
                    }
                    .danish(),
                    due < today.first_day(),
                )
            }
        };
        if !passed {
            return;
        }
        let key = if self.source.key_span("approval.next_revision").is_some() {
            "approval.next_revision"
        } else if self.source.key_span("approval.approved_on").is_some() {
            "approval.approved_on"
        } else {
            "approval"
        };
        self.finding("§6.1", Severity::Error)
            .message(format!(
                "Filen er ændret, siden standarden blev godkendt {}, og ændringerne er ikke godkendt. Fristen for revision, {due}, er passeret ({})",
                base.date.danish(),
                today.danish()
            ))
            .at_key(key)
            .hint(format!(
                "Få den ændrede standard godkendt, og skriv godkendelsen med {command}. Den godkendte tekst ligger i {copy}"
            ))
            .push();
    }
}
