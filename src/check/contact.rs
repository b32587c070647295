//! Phone numbers, e-mail addresses, web addresses and links: well-formed, and never a link the
//! site refuses to publish.

use super::InternalLink;
use super::addresses::{email_problem, internal_problem, url_problem};
use super::checker::Checker;
use crate::diagnostic::Severity;
use crate::model::{Markdown, Municipality, Phone};

impl Checker<'_> {
    /// Phone numbers, e-mail addresses and web addresses in the structured facts.
    pub(super) fn contact(&mut self, m: &Municipality) {
        if let Some(url) = &m.website {
            self.url("KONTAKT", "website", url);
        }
        for (i, u) in m.units.iter().enumerate() {
            if let Some(p) = &u.phone {
                self.phone(&format!("units[{i}].phone"), p);
            }
            for (j, p) in u.phones.iter().enumerate() {
                self.phone(&format!("units[{i}].phones[{j}].number"), &p.number);
            }
            if let Some(e) = &u.email {
                self.email(&format!("units[{i}].email"), e);
            }
            if let Some(url) = &u.website {
                self.url("KONTAKT", &format!("units[{i}].website"), url);
            }
        }
        if let Some(c) = &m.complaints {
            for (i, r) in c.routes.iter().enumerate() {
                if let Some(p) = &r.phone {
                    self.phone(&format!("complaints.routes[{i}].phone"), p);
                }
                if let Some(e) = &r.email {
                    self.email(&format!("complaints.routes[{i}].email"), e);
                }
                if let Some(url) = &r.link {
                    self.url("KONTAKT", &format!("complaints.routes[{i}].link"), url);
                }
            }
        }
        for (i, h) in m.other_help.iter().enumerate() {
            if let Some(p) = &h.phone {
                self.phone(&format!("other_help[{i}].phone"), p);
            }
            if let Some(e) = &h.email {
                self.email(&format!("other_help[{i}].email"), e);
            }
        }
        for (i, p) in m.partners.iter().enumerate() {
            if let Some(url) = &p.url {
                self.url("KONTAKT", &format!("partners[{i}].url"), url);
            }
        }
        for (i, l) in m.law.iter().enumerate() {
            if let Some(url) = &l.url {
                self.url("LINK", &format!("law[{i}].url"), url);
            }
        }
        if !m.units.iter().any(|u| u.has_phone()) {
            // At the units, when there are some to add a phone number to.
            let line = if m.units.is_empty() {
                None
            } else {
                self.source.line_of("units")
            };
            self.finding("KONTAKT", Severity::Warning)
                .missing()
                .message("Der er intet telefonnummer til behandlingsstedet. Borgeren skal kunne ringe med det samme")
                .at("units", line)
                .hint("Skriv phone = \"<jeres telefonnummer>\" under [[units]] med nummeret fra jeres kvalitetsstandard")
                .push();
        }
    }

    fn phone(&mut self, key: &str, phone: &Phone) {
        if !phone.is_valid() {
            self.finding("KONTAKT", Severity::Error)
                .message(format!("«{}» er ikke et dansk telefonnummer", phone.0))
                .at_key(key)
                .hint("Skriv telefonnummeret med otte cifre, som det står i jeres kvalitetsstandard: phone = \"<otte cifre>\"")
                .push();
        }
    }

    fn email(&mut self, key: &str, email: &str) {
        if let Some(problem) = email_problem(email) {
            self.finding("KONTAKT", Severity::Error)
                .message(format!(
                    "«{email}» er ikke en gyldig e-mailadresse: {problem}"
                ))
                .at_key(key)
                .hint("Skriv adressen som navn@domæne.dk")
                .push();
        }
    }

    pub(super) fn url(&mut self, rule: &'static str, key: &str, url: &str) {
        if let Some(problem) = url_problem(url) {
            self.finding(rule, Severity::Error)
                .message(format!("«{url}» er ikke en gyldig webadresse: {problem}"))
                .at_key(key)
                .hint("Skriv hele adressen, fx \"https://www.kommune.dk/rusmiddel\"")
                .push();
        }
    }

    /// Links in a Markdown field: external addresses well-formed, internal ones recorded.
    pub(super) fn links(&mut self, key: &str, md: &Markdown) {
        let mut from = self.source.key_span(key).map(|span| span.start);
        for dest in &md.links {
            let line = self.line_of_text(key, dest, &mut from);
            let dest = dest.trim();
            // After the scheme's colon: an e-mail address or a phone number.
            let rest = || dest.split_once(':').map_or("", |(_, rest)| rest);
            let problem = match crate::url::scheme_of(dest).as_deref() {
                Some("http" | "https") => url_problem(dest),
                Some("mailto") => {
                    let address = rest().split('?').next().unwrap_or("");
                    email_problem(address).map(|p| format!("e-mailadressen er ugyldig: {p}"))
                }
                Some("tel") => (!Phone(rest().to_string()).is_valid())
                    .then(|| "det er ikke et dansk telefonnummer med otte cifre".to_string()),
                // Any other scheme is one `crate::url::is_safe` refuses.
                Some(other) => {
                    self.refused_link(key, line, dest, other);
                    continue;
                }
                None => match internal_problem(dest) {
                    Some(p) => Some(p),
                    None => {
                        self.internal_links.push(InternalLink {
                            municipality: self.slug.map(str::to_string),
                            file: self.source.path.clone(),
                            line,
                            key: key.to_string(),
                            target: dest.to_string(),
                        });
                        None
                    }
                },
            };
            if let Some(problem) = problem {
                self.finding("LINK", Severity::Warning)
                    .message(format!("Linket «{dest}» virker ikke: {problem}"))
                    .at(key, line)
                    .hint("Ret adressen i parentesen efter linkteksten: [tekst](https://...)")
                    .push();
            }
        }
    }

    /// A link that [`crate::url::refused_scheme`] refuses: the page shows its text, not a link.
    fn refused_link(&mut self, key: &str, line: Option<usize>, dest: &str, scheme: &str) {
        let dest = dest.trim();
        self.finding("LINK", Severity::Error)
            .message(format!(
                "Linket «{dest}» bliver ikke vist: links af typen «{scheme}:» kan skade borgeren. Siden viser kun linkteksten"
            ))
            .at(key, line)
            .hint("Skriv en webadresse, der starter med https://, eller et link med mailto: eller tel:")
            .push();
    }
}
