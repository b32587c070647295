//! The rules of Bek. 1477: each topic there, and the facts it must state.

use super::checker::Checker;
use crate::diagnostic::Severity;
use crate::model::{Municipality, OfferKind, PartialDate, TargetGroup, TargetKind};

impl Checker<'_> {
    pub(super) fn legal(&mut self, m: &Municipality) {
        self.referrals();
        // §3.3: the facts of approval.
        match &m.approval {
            None => self
                .finding("§3.3", Severity::Error)
                .missing()
                .message("Der står ikke, hvornår og af hvem standarden er godkendt")
                .key("approval")
                .hint("Tilføj [approval] med approved_by og approved_on. Se forklaringen i filen, som kvalitet new laver")
                .push(),
            Some(a) => {
                let today = self.options.reference_date;
                if let Some(approved) = a.approved_on
                    && approved.first_day() > today.first_day()
                {
                    self.finding("§3.3", Severity::Error)
                        .message(format!(
                            "Standarden er godkendt {}. Den dato er ikke kommet endnu ({})",
                            approved.danish(),
                            today.danish()
                        ))
                        .at_key("approval.approved_on")
                        .hint("Skriv den dato, standarden blev godkendt. Er den ikke godkendt endnu, så slet approved_on, til den er")
                        .push();
                }
                if let Some(updated) = a.updated
                    && updated.first_day() > today.first_day()
                {
                    self.finding("§3.3", Severity::Error)
                        .message(format!(
                            "Standarden er opdateret {}. Den dato er ikke kommet endnu ({})",
                            updated.danish(),
                            today.danish()
                        ))
                        .at_key("approval.updated")
                        .hint("Skriv den dato, teksten sidst blev ændret")
                        .push();
                }
                if a.approved_on.is_none() {
                    self.finding("§3.3", Severity::Error)
                        .missing()
                        .message("Der står ikke, hvornår standarden er godkendt")
                        .at_key("approval.approved_on")
                        .hint("Tilføj approved_on = ÅÅÅÅ-MM-DD i [approval]")
                        .push();
                }
                if a.approved_by.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    self.finding("§3.3", Severity::Warning)
                        .missing()
                        .message("Der står ikke, hvem der har godkendt standarden")
                        .at_key("approval.approved_by")
                        .hint("Tilføj approved_by = \"<hvem der godkendte den>\" i [approval], som det står i dokumentet")
                        .push();
                }
            }
        }

        self.require("§4.1.1", "tasks.text", m.tasks.as_ref().map(|t| &t.text));
        self.require(
            "§4.1.2",
            "target_group.text",
            m.target_group.as_ref().and_then(|t| t.text.as_ref()),
        );
        if let Some(t) = &m.target_group {
            self.subgroup_ages(t);
        }
        self.require("§4.1.3", "goals.text", m.goals.as_ref().map(|t| &t.text));

        // §4.1.4: the structure in prose, or the kinds of offers as a list; either tells it.
        let structure = m
            .structure
            .as_ref()
            .is_some_and(|s| !s.text.text.trim().is_empty());
        if !structure && m.offers.is_empty() {
            self.require(
                "§4.1.4",
                "structure.text",
                m.structure.as_ref().map(|t| &t.text),
            );
        }

        self.require(
            "§4.1.5",
            "referral.text",
            m.referral.as_ref().and_then(|t| t.text.as_ref()),
        );

        if self.require(
            "§4.1.6",
            "guarantee.text",
            m.guarantee.as_ref().and_then(|t| t.text.as_ref()),
        ) && let Some(g) = &m.guarantee
            && g.days > 14
        {
            self.finding("§4.1.6", Severity::Error)
                .message(format!(
                    "Behandlingsgarantien er {} dage. Den må højst være 14 dage",
                    g.days
                ))
                .at_key("guarantee.days")
                .hint("Skriv days = 14, eller det færre antal dage, I lover")
                .push();
        }

        self.require(
            "§4.1.7",
            "free_choice.text",
            m.free_choice.as_ref().map(|t| &t.text),
        );
        self.require(
            "§4.1.8",
            "treatment_plan.text",
            m.treatment_plan.as_ref().map(|t| &t.text),
        );
        self.require(
            "§4.1.9",
            "action_plans.text",
            m.action_plans.as_ref().map(|t| &t.text),
        );
        self.require(
            "§4.1.10",
            "user_involvement.text",
            m.user_involvement.as_ref().map(|t| &t.text),
        );
        self.require(
            "§4.1.11",
            "payment.text",
            m.payment.as_ref().and_then(|t| t.text.as_ref()),
        );
        if self.require(
            "§4.1.12",
            "complaints.text",
            m.complaints.as_ref().and_then(|t| t.text.as_ref()),
        ) && !self.covered("§4.1.12")
            && m.complaints.as_ref().is_some_and(|c| c.routes.is_empty())
        {
            self.finding("§4.1.12", Severity::Warning)
                .partial()
                .message("Der står ikke, hvor borgeren sender en klage, og hvad fristen er")
                .at_key("complaints")
                .hint("Tilføj en [[complaints.routes]] for hver slags klage med decision, send_to og deadline_weeks")
                .push();
        }
        self.require("§4.1.13", "staff.text", m.staff.as_ref().map(|t| &t.text));
        self.require(
            "§4.1.14",
            "monitoring.text",
            m.monitoring.as_ref().and_then(|t| t.text.as_ref()),
        );
        self.require(
            "§4.1.15",
            "gift_cards.text",
            m.gift_cards.as_ref().and_then(|t| t.text.as_ref()),
        );

        // §4.2: follow-up after 1 and 6 months.
        if self.require(
            "§4.2",
            "follow_up.text",
            m.follow_up.as_ref().and_then(|t| t.text.as_ref()),
        ) && let Some(f) = &m.follow_up
        {
            let lacking: Vec<u32> = [1, 6]
                .into_iter()
                .filter(|n| !f.months.contains(n))
                .collect();
            if !lacking.is_empty() {
                let given = if f.months.is_empty() {
                    "Der står ingen måneder for opfølgningen".to_string()
                } else {
                    format!(
                        "Opfølgningen sker efter {} måneder",
                        danish_list(&f.months.iter().map(u32::to_string).collect::<Vec<_>>())
                    )
                };
                let lacking_text = match lacking.as_slice() {
                    [1] => "1 måned".to_string(),
                    _ => format!(
                        "{} måneder",
                        danish_list(&lacking.iter().map(u32::to_string).collect::<Vec<_>>())
                    ),
                };
                self.finding("§4.2", Severity::Error)
                    .message(format!(
                        "{given}. Loven kræver opfølgning efter 1 og 6 måneder, men opfølgningen efter {lacking_text} mangler"
                    ))
                    .at_key("follow_up.months")
                    .hint("Skriv months = [1, 6], og ret teksten, så den siger det samme")
                    .push();
            }
        }

        self.targets(m);

        self.require(
            "§4.4",
            "children.text",
            m.children.as_ref().map(|t| &t.text),
        );
        self.require("§4.5", "future.text", m.future.as_ref().map(|t| &t.text));

        // §5: requirements for residential providers, when residential treatment is offered.
        if residential_offered(m) && !self.covered("§5") {
            match &m.residential {
                None => self
                    .finding("§5", Severity::Error)
                    .missing()
                    .message("Et tilbud er døgnbehandling, men der står ikke noget om kravene til døgnbehandlingssteder")
                    .key("residential")
                    .hint("Tilføj [residential] med text og provider_requirements. Se forklaringen i filen, som kvalitet new laver")
                    .push(),
                Some(r) => {
                    self.require(
                        "§5",
                        "residential.provider_requirements",
                        r.provider_requirements.as_ref(),
                    );
                }
            }
        }

        self.revision(m);
        self.parts(m);
        self.contradictions(m);
    }

    fn targets(&mut self, m: &Municipality) {
        let covered = self.covered("§4.3");
        let Some(monitoring) = &m.monitoring else {
            if covered {
                return;
            }
            self.finding("§4.3", Severity::Error)
                .missing()
                .message("Der er ingen måltal")
                .key("monitoring.targets")
                .hint("Tilføj [monitoring] med [[monitoring.targets]] for kind = \"drug_free\" og kind = \"return_within_12_months\"")
                .push();
            return;
        };
        let has = |kinds: &[TargetKind]| monitoring.targets.iter().any(|t| kinds.contains(&t.kind));
        if !covered && !has(&[TargetKind::DrugFree, TargetKind::Reduced]) {
            self.finding("§4.3", Severity::Error)
                .missing()
                .message("Der er intet måltal for, hvor mange der bliver stoffri eller nedsætter forbruget")
                .at_key("monitoring.targets")
                .hint("Tilføj en [[monitoring.targets]] med kind = \"drug_free\" (eller \"reduced\") og percent")
                .push();
        }
        if !covered && !has(&[TargetKind::ReturnWithin12Months]) {
            self.finding("§4.3", Severity::Error)
                .missing()
                .message("Der er intet måltal for, hvor mange der vender tilbage til behandling inden for 12 måneder")
                .at_key("monitoring.targets")
                .hint("Tilføj en [[monitoring.targets]] med kind = \"return_within_12_months\" og percent")
                .push();
        }
        for (i, t) in monitoring.targets.iter().enumerate() {
            if !(0.0..=100.0).contains(&t.percent) {
                self.finding("§4.3", Severity::Error)
                    .message(format!(
                        "Måltallet {} % er ikke en procentdel. Det skal være mellem 0 og 100",
                        t.percent
                    ))
                    .at_key(&format!("monitoring.targets[{i}].percent"))
                    .hint("Skriv procenten fra standarden som et tal mellem 0 og 100, uden %-tegn")
                    .push();
            }
        }
    }

    fn revision(&mut self, m: &Municipality) {
        let Some(a) = &m.approval else {
            self.finding("§6.1", Severity::Error)
                .missing()
                .message("Der står ikke, hvornår standarden skal revideres næste gang")
                .key("approval.next_revision")
                .hint("Tilføj [approval] med next_revision = \"ÅÅÅÅ-MM\"")
                .push();
            self.finding("§6.2", Severity::Error)
                .missing()
                .message(
                    "Der står ikke, hvordan brugerrepræsentanter er med, når standarden revideres",
                )
                .key("approval.user_representatives")
                .hint("Tilføj user_representatives = \"\"\" ... \"\"\" i [approval]")
                .push();
            return;
        };
        let today = self.options.reference_date;
        // An update of the text is no approval: the rules below read `approved_on` only.
        let not_approval = if a.updated.is_some() {
            " At teksten er opdateret (updated), er ikke en ny godkendelse."
        } else {
            ""
        };
        // With a next revision the rules on it below judge the deadline.
        if let Some(approved) = a.approved_on
            && a.next_revision.is_none()
            && two_years_after(approved) < today.first_day()
        {
            self.finding("§6.1", Severity::Error)
                .message(format!(
                    "Standarden er godkendt {}. Det er mere end to år siden ({}), og der står ikke, at den er revideret siden",
                    approved.danish(),
                    today.danish()
                ))
                .at_key("approval.approved_on")
                .hint(format!("Standarden skal revideres mindst hvert andet år.{not_approval} Få den revideret og godkendt igen, og skriv de nye datoer i [approval]"))
                .push();
        }
        if let Some(valid_to) = a.valid_to
            && valid_to.last_day() < today.first_day()
        {
            self.finding("§6.1", Severity::Error)
                .message(format!(
                    "Standarden gælder til {}. Den dato er passeret ({})",
                    valid_to.danish(),
                    today.danish()
                ))
                .at_key("approval.valid_to")
                .hint(
                    "Få standarden revideret og godkendt igen, og skriv de nye datoer i [approval]",
                )
                .push();
        }
        match a.next_revision {
            None => self
                .finding("§6.1", Severity::Error)
                .missing()
                .message("Der står ikke, hvornår standarden skal revideres næste gang")
                .at_key("approval.next_revision")
                .hint("Tilføj next_revision = \"ÅÅÅÅ-MM\" i [approval], højst to år efter approved_on")
                .push(),
            Some(next) => {
                if let Some(approved) = a.approved_on
                    && next.first_day() > two_years_after(approved)
                {
                    self.finding("§6.1", Severity::Error)
                        .message(format!(
                            "Næste revision er {}. Det er mere end to år efter godkendelsen {}",
                            next.danish(),
                            approved.danish()
                        ))
                        .at_key("approval.next_revision")
                        .hint("Standarden skal revideres mindst hvert andet år. Ret next_revision")
                        .push();
                }
                if next.last_day() < today.first_day() {
                    self.finding("§6.1", Severity::Error)
                        .message(format!(
                            "Standarden skulle være revideret senest {}. Den dato er passeret ({})",
                            next.danish(),
                            today.danish()
                        ))
                        .at_key("approval.next_revision")
                        .hint(format!("Få standarden revideret og godkendt igen, og skriv de nye datoer i [approval].{not_approval}"))
                        .push();
                }
            }
        }
        self.require(
            "§6.2",
            "approval.user_representatives",
            a.user_representatives.as_ref(),
        );
    }
}

impl Checker<'_> {
    /// §4.1.2: a group within the target group has ages inside the target group's.
    fn subgroup_ages(&mut self, t: &TargetGroup) {
        for (i, g) in t.subgroups.iter().enumerate() {
            let below = match (t.age_min, g.age_min, g.age_max) {
                (Some(lo), Some(min), _) if min < lo => Some(("age_min", lo)),
                (Some(lo), None, Some(max)) if max < lo => Some(("age_max", lo)),
                _ => None,
            };
            let above = match (t.age_max, g.age_max, g.age_min) {
                (Some(hi), Some(max), _) if max > hi => Some(("age_max", hi)),
                (Some(hi), None, Some(min)) if min > hi => Some(("age_min", hi)),
                _ => None,
            };
            let (message, key) = match (below, above) {
                (Some((key, lo)), _) => (
                    format!(
                        "Gruppen «{}» har en alder under målgruppens laveste alder, {lo} år",
                        g.name
                    ),
                    key,
                ),
                (None, Some((key, hi))) => (
                    format!(
                        "Gruppen «{}» har en alder over målgruppens højeste alder, {hi} år",
                        g.name
                    ),
                    key,
                ),
                (None, None) => continue,
            };
            self.finding("§4.1.2", Severity::Warning)
                .message(message)
                .at_key(&format!("target_group.subgroups[{i}].{key}"))
                .hint("Ret alderen på gruppen eller på målgruppen (age_min og age_max i [target_group]), så de passer sammen")
                .push();
        }
    }
}

/// The last day a revision is due after an approval: two years after the latest day the
/// approval can mean (benefit of the doubt for dates known to the month).
pub(super) fn two_years_after(approved: PartialDate) -> (i32, u8, u8) {
    let (y, mo, d) = approved.last_day();
    (
        y + 2,
        mo,
        d.min(crate::model::days_in_month(y + 2, u32::from(mo)) as u8),
    )
}

pub(super) fn residential_offered(m: &Municipality) -> bool {
    m.residential.is_some()
        || m.offers
            .iter()
            .any(|o| o.kind == Some(OfferKind::Residential))
}

/// "1", "1 og 3", "1, 3 og 12".
fn danish_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} og {last}", rest.join(", ")),
    }
}
