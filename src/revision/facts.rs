//! The facts of a standard a citizen acts on, as labelled Danish values, so that two versions
//! can be compared fact by fact: guarantee days, follow-up months, targets, phone numbers,
//! addresses, opening hours, complaint routes and the approval.

use crate::model::{Address, Hours, Municipality, PartialDate, Phone, Target};

/// One fact: the section of the site that shows it (a [`crate::site::SECTIONS`] id, or
/// `forside`), a Danish label that names it, and its value as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fact {
    pub(crate) section: &'static str,
    pub(crate) label: String,
    pub(crate) value: String,
}

/// The facts of `m`, in the order of the site's sections. Labels are unique: a label that
/// comes twice (two units of one name) gets its number.
pub(crate) fn facts(m: &Municipality) -> Vec<Fact> {
    let mut f = Facts::default();
    let s = "forside";
    f.add(s, "Kommunens navn", Some(m.name.clone()));
    f.add(s, "Titel", m.title.clone());
    f.add(s, "Organisation", m.organisation.clone());
    f.add(s, "Hjemmeside", m.website.clone());
    f.add(
        s,
        "Dækker",
        words(m.substances.iter().map(|x| x.label().to_string())),
    );

    if let Some(t) = &m.target_group {
        let s = "target-group";
        f.add(s, "Målgruppe: alder fra", t.age_min.map(years));
        f.add(s, "Målgruppe: alder til", t.age_max.map(years));
    }

    if let Some(r) = &m.referral {
        let s = "getting-started";
        f.add(s, "Sagsbehandlingstid", r.case_handling_weeks.map(weeks));
    }

    if let Some(g) = &m.guarantee {
        f.add(
            "rights",
            "Behandlingsgaranti",
            Some(format!("{} dage", g.days)),
        );
    }

    if let Some(fu) = &m.follow_up {
        let months = words(fu.months.iter().map(u32::to_string));
        f.add(
            "plan",
            "Opfølgning efter behandlingen",
            months.map(|m| format!("{m} måneder efter")),
        );
    }

    if let Some(p) = &m.payment {
        f.add("payment", "Gratis", p.free.map(yes_no));
    }

    if let Some(c) = &m.complaints {
        let s = "complaints";
        for route in &c.routes {
            let of = |what: &str| format!("Klage over {}: {what}", route.decision);
            let deadline = match (route.deadline_weeks, route.no_deadline) {
                (Some(w), _) => Some(weeks(w)),
                (None, true) => Some("ingen frist".to_string()),
                (None, false) => None,
            };
            f.add(s, &of("send klagen til"), Some(route.send_to.clone()));
            f.add(s, &of("klagefrist"), deadline);
            f.add(s, &of("adresse"), route.address.clone());
            f.add(s, &of("telefon"), route.phone.as_ref().map(Phone::display));
            f.add(s, &of("e-mail"), route.email.clone());
            f.add(s, &of("form"), route.form.map(|x| x.label().to_string()));
            f.add(s, &of("næste instans"), route.next_instance.clone());
            f.add(s, &of("link"), route.link.clone());
        }
    }

    if let Some(g) = &m.gift_cards {
        let s = "gift-cards";
        f.add(s, "Gavekort bruges", Some(yes_no(g.used)));
        f.add(
            s,
            "Gavekort: beløb",
            g.amount_kr.map(|kr| format!("{kr} kr.")),
        );
    }

    if let Some(r) = &m.residential {
        let s = "residential";
        f.add(
            s,
            "Døgnbehandling: sagsbehandlingstid",
            r.case_handling_weeks.map(weeks),
        );
        f.add(
            s,
            "Døgnbehandling: steder",
            words(r.providers.iter().cloned()),
        );
    }

    if let Some(mo) = &m.monitoring {
        for t in &mo.targets {
            f.add("quality", &target_label(t), Some(target_value(t)));
        }
    }

    for o in &m.other_help {
        let s = "other-help";
        let of = |what: &str| format!("{}: {what}", o.name);
        f.add(s, &of("adresse"), o.address.as_ref().map(address));
        f.add(s, &of("telefon"), o.phone.as_ref().map(Phone::display));
        f.add(s, &of("e-mail"), o.email.clone());
        f.add(s, &of("åbningstider"), o.hours.clone());
    }

    for u in &m.units {
        let s = "contact";
        let of = |what: &str| format!("{}: {what}", u.name);
        f.add(s, &of("adresse"), u.address.as_ref().map(address));
        f.add(s, &of("telefon"), u.phone.as_ref().map(Phone::display));
        for p in &u.phones {
            f.add(
                s,
                &of(&format!("telefon ({})", p.label)),
                Some(p.number.display()),
            );
        }
        f.add(s, &of("e-mail"), u.email.clone());
        f.add(s, &of("hjemmeside"), u.website.clone());
        for h in &u.hours {
            f.add(
                s,
                &of(&format!("åbningstider ({})", h.label)),
                Some(hours(h)),
            );
        }
    }

    if let Some(a) = &m.approval {
        let s = "about";
        let date = |d: &Option<PartialDate>| d.as_ref().map(PartialDate::danish);
        f.add(s, "Godkendt af", a.approved_by.clone());
        f.add(s, "Godkendt den", date(&a.approved_on));
        f.add(s, "Dateret", date(&a.dated));
        f.add(s, "Opdateret", date(&a.updated));
        f.add(s, "Sagsnummer", a.case_number.clone());
        f.add(s, "Link til beslutningen", a.decision_url.clone());
        f.add(s, "Gælder fra", date(&a.valid_from));
        f.add(s, "Gælder til", date(&a.valid_to));
        f.add(s, "Næste revision", date(&a.next_revision));
    }
    f.list
}

#[derive(Default)]
struct Facts {
    list: Vec<Fact>,
}

impl Facts {
    /// Adds a fact that is there; an empty value is no fact.
    fn add(&mut self, section: &'static str, label: &str, value: Option<String>) {
        let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
            return;
        };
        let mut unique = label.to_string();
        let mut n = 2;
        while self.list.iter().any(|f| f.label == unique) {
            unique = format!("{label} ({n})");
            n += 1;
        }
        self.list.push(Fact {
            section,
            label: unique,
            value,
        });
    }
}

fn years(n: u32) -> String {
    format!("{n} år")
}

fn weeks(n: u32) -> String {
    if n == 1 {
        "1 uge".to_string()
    } else {
        format!("{n} uger")
    }
}

fn yes_no(b: bool) -> String {
    if b { "ja" } else { "nej" }.to_string()
}

/// "3, 6 og 12"; `None` for no items.
fn words(items: impl Iterator<Item = String>) -> Option<String> {
    let items: Vec<String> = items.collect();
    match items.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} og {last}", rest.join(", "))),
    }
}

fn address(a: &Address) -> String {
    let mut out = a.street.clone();
    if let Some(b) = &a.building {
        out = format!("{b}, {out}");
    }
    match &a.postcode {
        Some(p) => format!("{out}, {p} {}", a.city),
        None => format!("{out}, {}", a.city),
    }
}

fn hours(h: &Hours) -> String {
    let mut days: Vec<String> = h
        .days()
        .into_iter()
        .map(|(day, range)| format!("{day} {}", range.text))
        .collect();
    if let Some(note) = &h.note {
        days.push(note.clone());
    }
    days.join(", ")
}

/// The target's kind, or its own words when the kind is "other".
fn target_label(t: &Target) -> String {
    match t.kind {
        crate::model::TargetKind::Other => format!("Mål: {}", t.text),
        kind => format!("Mål: {}", kind.label().to_lowercase()),
    }
}

/// "mindst 35 %", with a decimal comma.
fn target_value(t: &Target) -> String {
    let n = if t.percent.fract() == 0.0 {
        format!("{:.0}", t.percent)
    } else {
        format!("{}", t.percent).replace('.', ",")
    };
    format!("{} {n} %", t.comparison.label()).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_join_as_danish_and_labels_stay_unique() {
        assert_eq!(
            words(["3", "6", "12"].map(String::from).into_iter()).unwrap(),
            "3, 6 og 12"
        );
        assert_eq!(words(std::iter::empty()), None);
        let mut f = Facts::default();
        f.add("contact", "Center: telefon", Some("11 22 33 44".into()));
        f.add("contact", "Center: telefon", Some("55 66 77 88".into()));
        f.add("contact", "Center: e-mail", Some(" ".into()));
        let labels: Vec<_> = f.list.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["Center: telefon", "Center: telefon (2)"]);
    }
}
