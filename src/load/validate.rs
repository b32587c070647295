//! Values, not only types: what serde accepts but a page must not show. Required text is not
//! empty, a web address is never a script, ages run from low to high, a theme is a name and the
//! LIX limit a number. Each problem is a located Danish error.

use std::collections::HashMap;

use super::SourceFile;
use crate::diagnostic::{Diagnostic, nearest};
use crate::model::{Address, Municipality, Site};

/// Rules serde cannot express: identifiers unique and well-formed, references that resolve,
/// values that say something (below) and page addresses ([`super::check_serves`]).
pub(super) fn check_file(m: &Municipality, source: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let error = |message: String| Diagnostic::error(&source.path, message);

    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, offer) in m.offers.iter().enumerate() {
        let key = format!("offers[{i}].id");
        // An offer with a page and no id got one from its title while loading.
        if !offer.id.is_empty() && !crate::paths::is_slug(&offer.id) {
            out.push(
                source.diagnostic_at(
                    error(format!(
                        "Tilbuddets id «{}» kan ikke bruges som sideadresse",
                        offer.id
                    ))
                    .expected("små bogstaver a-z, tal og bindestreger, fx \"dagbehandling\"")
                    .hint("æ -> ae, ø -> oe, å -> aa, mellemrum -> bindestreg"),
                    &key,
                ),
            );
        }
        if !offer.id.is_empty()
            && let Some(first) = seen.insert(&offer.id, i)
        {
            let first_line = source
                .line_of(&format!("offers[{first}].id"))
                .map_or(String::new(), |l| format!(" (linje {l})"));
            out.push(
                source.diagnostic_at(
                    error(format!("To tilbud har samme id «{}»", offer.id))
                        .expected("et id, som ingen andre tilbud i filen har")
                        .hint(format!(
                            "Det første tilbud med dette id står tidligere i filen{first_line}. Giv et af dem et andet id"
                        )),
                    &key,
                ),
            );
        }
        if let Some(unit) = &offer.unit
            && !m.units.iter().any(|u| &u.id == unit)
        {
            let ids: Vec<&str> = m.units.iter().map(|u| u.id.as_str()).collect();
            let mut d = error(format!(
                "Tilbuddet «{}» henviser til et ukendt sted «{unit}»",
                offer.title
            ))
            .expected(if ids.is_empty() {
                "id på et sted under [[units]]".to_string()
            } else {
                format!("et af: {}", ids.join(", "))
            });
            if let Some(near) = nearest(unit, ids.iter().copied()) {
                d = d.hint(format!("Mente du «{near}»?"));
            }
            out.push(source.diagnostic_at(d, &format!("offers[{i}].unit")));
        }
        if let (Some(lo), Some(hi)) = (offer.age_min, offer.age_max)
            && lo > hi
        {
            out.push(
                source.diagnostic_at(
                    error(format!(
                        "Alderen går fra {lo} til {hi} år: den mindste alder er størst"
                    ))
                    .hint("Byt om på age_min og age_max"),
                    &format!("offers[{i}].age_min"),
                ),
            );
        }
    }
    // One group, one spelling: the offers list makes a heading of each spelling.
    let mut groups: HashMap<String, &str> = HashMap::new();
    for (i, offer) in m.offers.iter().enumerate() {
        let Some(group) = offer.group.as_deref() else {
            continue;
        };
        let first = *groups.entry(group.trim().to_lowercase()).or_insert(group);
        if first.trim() != group.trim() {
            out.push(
                source.diagnostic_at(
                    error(format!(
                        "Gruppen «{group}» er stavet anderledes end «{first}» tidligere i filen"
                    ))
                    .expected(format!("samme stavning som «{first}»"))
                    .hint(format!(
                        "Skriv group = \"{first}\", så tilbuddene står under samme overskrift"
                    )),
                    &format!("offers[{i}].group"),
                ),
            );
        }
    }
    if let Some(t) = &m.target_group {
        for (i, group) in t.subgroups.iter().enumerate() {
            if let (Some(lo), Some(hi)) = (group.age_min, group.age_max)
                && lo > hi
            {
                out.push(
                    source.diagnostic_at(
                        error(format!(
                            "Gruppen «{}» går fra {lo} til {hi} år: den mindste alder er størst",
                            group.name
                        ))
                        .hint("Byt om på age_min og age_max"),
                        &format!("target_group.subgroups[{i}].age_min"),
                    ),
                );
            }
        }
    }

    out.extend(check_municipality(m, source));
    out.extend(super::check_serves(m, source));

    let mut units: HashMap<&str, usize> = HashMap::new();
    for (i, unit) in m.units.iter().enumerate() {
        if units.insert(&unit.id, i).is_some() {
            out.push(
                source.diagnostic_at(
                    error(format!("To steder har samme id «{}»", unit.id))
                        .expected("et id, som ingen andre steder i filen har"),
                    &format!("units[{i}].id"),
                ),
            );
        }
    }
    out
}

/// Required text of a municipality file, with what to write there.
pub(crate) fn check_municipality(m: &Municipality, source: &SourceFile) -> Vec<Diagnostic> {
    let mut c = Checker {
        source,
        out: Vec::new(),
    };
    c.text(
        "name",
        &m.name,
        "kommunens fulde navn, fx \"Holbæk Kommune\"",
    );
    c.url("website", m.website.as_deref());
    c.help_lines(&m.help_now);
    if let Some(t) = &m.target_group
        && let (Some(lo), Some(hi)) = (t.age_min, t.age_max)
        && lo > hi
    {
        c.push(
            Diagnostic::error(
                &source.path,
                format!("Alderen går fra {lo} til {hi} år: den mindste alder er størst"),
            )
            .hint("Byt om på age_min og age_max"),
            "target_group.age_min",
        );
    }
    if let Some(t) = &m.target_group {
        for (i, group) in t.subgroups.iter().enumerate() {
            c.text(
                &format!("target_group.subgroups[{i}].name"),
                &group.name,
                "gruppens navn, som standarden skriver det",
            );
        }
    }
    if let Some(r) = &m.referral {
        for (i, step) in r.steps.iter().enumerate() {
            c.text(
                &format!("referral.steps[{i}]"),
                step,
                "trinnet med dine ord",
            );
        }
    }
    if let Some(complaints) = &m.complaints {
        for (i, route) in complaints.routes.iter().enumerate() {
            let key = format!("complaints.routes[{i}]");
            c.text(
                &format!("{key}.decision"),
                &route.decision,
                "hvad man kan klage over",
            );
            c.text(
                &format!("{key}.send_to"),
                &route.send_to,
                "hvor klagen skal sendes hen",
            );
            c.url(&format!("{key}.link"), route.link.as_deref());
        }
    }
    if let Some(mo) = &m.monitoring {
        for (i, target) in mo.targets.iter().enumerate() {
            c.text(
                &format!("monitoring.targets[{i}].text"),
                &target.text,
                "målet med kommunens ord",
            );
        }
    }
    if let Some(r) = &m.residential {
        for (i, criterion) in r.criteria.iter().enumerate() {
            c.text(
                &format!("residential.criteria[{i}]"),
                criterion,
                "kriteriet",
            );
        }
        for (i, provider) in r.providers.iter().enumerate() {
            c.text(
                &format!("residential.providers[{i}]"),
                provider,
                "behandlingsstedets navn",
            );
        }
    }
    for (i, unit) in m.units.iter().enumerate() {
        let key = format!("units[{i}]");
        c.text(&format!("{key}.id"), &unit.id, "et kort id, fx \"kontakt\"");
        c.text(&format!("{key}.name"), &unit.name, "stedets navn");
        c.address(&key, unit.address.as_ref());
        c.url(&format!("{key}.website"), unit.website.as_deref());
        for (j, phone) in unit.phones.iter().enumerate() {
            c.text(
                &format!("{key}.phones[{j}].label"),
                &phone.label,
                "hvad nummeret er til, fx \"Rådgivning for unge\"",
            );
        }
        for (j, hours) in unit.hours.iter().enumerate() {
            c.text(
                &format!("{key}.hours[{j}].label"),
                &hours.label,
                "hvad tiderne gælder, fx \"Åbningstid\"",
            );
        }
    }
    for (i, offer) in m.offers.iter().enumerate() {
        c.text(
            &format!("offers[{i}].title"),
            &offer.title,
            "tilbuddets navn",
        );
        if let Some(group) = &offer.group {
            c.text(
                &format!("offers[{i}].group"),
                group,
                "navnet på gruppen af tilbud, fx \"Rådgivning\"",
            );
        }
        if let Some(who) = &offer.decided_by {
            c.text(
                &format!("offers[{i}].decided_by"),
                who,
                "hvem der bestemmer, om du kan få tilbuddet, fx \"Socialafdelingen\"",
            );
        }
    }
    for (i, partner) in m.partners.iter().enumerate() {
        let key = format!("partners[{i}]");
        c.text(
            &format!("{key}.name"),
            &partner.name,
            "samarbejdspartnerens navn",
        );
        c.url(&format!("{key}.url"), partner.url.as_deref());
    }
    for (i, other) in m.other_help.iter().enumerate() {
        let key = format!("other_help[{i}]");
        c.text(&format!("{key}.name"), &other.name, "stedets navn");
        c.address(&key, other.address.as_ref());
    }
    if let Some(a) = &m.approval {
        c.url("approval.decision_url", a.decision_url.as_deref());
    }
    if let Some(g) = &m.general_standard {
        c.text(
            "general_standard.title",
            &g.title,
            "titlen på den generelle kvalitetsstandard",
        );
        c.url("general_standard.url", Some(&g.url));
        for (i, id) in g.covers.iter().enumerate() {
            if !crate::rules::referable(id) {
                c.push(
                    Diagnostic::error(
                        &source.path,
                        format!("«{id}» er ikke et krav, som en generel standard kan dække"),
                    )
                    .expected("et krav fra § 4 eller § 5 i bekendtgørelsen, fx \"4.1.12\"")
                    .hint("Skriv numrene på de krav, den generelle standard beskriver, fx covers = [\"4.1.12\", \"4.1.13\"]"),
                    &format!("general_standard.covers[{i}]"),
                );
            }
        }
    }
    for (i, law) in m.law.iter().enumerate() {
        let key = format!("law[{i}]");
        c.text(
            &format!("{key}.reference"),
            &law.reference,
            "henvisningen, fx \"SEL § 101\"",
        );
        c.text(
            &format!("{key}.title"),
            &law.title,
            "lovens navn, fx \"Serviceloven § 101\"",
        );
        c.url(&format!("{key}.url"), law.url.as_deref());
    }
    c.out
}

/// `site.toml`'s values.
pub(crate) fn check_site(site: &Site, source: &SourceFile) -> Vec<Diagnostic> {
    let mut c = Checker {
        source,
        out: Vec::new(),
    };
    c.text("title", &site.title, "sidens titel");
    c.text("language", &site.language, "sprogkoden \"da\"");
    if !is_theme_name(&site.theme) {
        c.push(
            Diagnostic::error(
                &source.path,
                format!("«{}» er ikke navnet på et tema", site.theme),
            )
            .expected("navnet på en mappe under themes/: bogstaver, tal, - og _")
            .hint("Skriv kun temaets navn, fx theme = \"default\""),
            "theme",
        );
    }
    if !(site.lix_warning.is_finite() && site.lix_warning >= 0.0) {
        c.push(
            Diagnostic::error(
                &source.path,
                format!(
                    "LIX-grænsen {} kan ikke bruges: den skal være et tal fra 0 og op",
                    site.lix_warning
                ),
            )
            .expected("et tal fra 0 og op, fx 40")
            .hint("Skriv fx lix_warning = 40"),
            "lix_warning",
        );
    }
    c.url("base_url", site.base_url.as_deref());
    c.url(
        "accessibility_statement",
        site.accessibility_statement.as_deref(),
    );
    for (i, entry) in site.glossary.iter().enumerate() {
        c.text(
            &format!("glossary[{i}].term"),
            &entry.term,
            "ordet, der skal forklares",
        );
    }
    c.help_lines(&site.help_now);
    c.quick_exit(site.quick_exit.as_deref());
    c.out
}

/// A theme is a folder under `themes/`, named without any path: letters, digits, `-`, `_`.
pub(crate) fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

struct Checker<'a> {
    source: &'a SourceFile,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic, key: &str) {
        self.out.push(self.source.diagnostic_at(d, key));
    }

    /// Text that must say something: not empty, not only spaces.
    fn text(&mut self, key: &str, value: &str, what: &str) {
        if value.trim().is_empty() {
            let field = key.rsplit('.').next().unwrap_or(key);
            self.push(
                Diagnostic::error(&self.source.path, format!("Feltet «{field}» er tomt"))
                    .expected(format!("tekst: {what}"))
                    .hint(format!("Skriv {what} mellem anførselstegnene")),
                key,
            );
        }
    }

    /// A web address that becomes a link: not empty, and of a scheme a link may have.
    fn url(&mut self, key: &str, value: Option<&str>) {
        let Some(value) = value else { return };
        let field = key.rsplit('.').next().unwrap_or(key);
        let d = if value.trim().is_empty() {
            Diagnostic::error(&self.source.path, format!("Feltet «{field}» er tomt"))
        } else if !crate::url::is_safe(value) {
            let scheme = crate::url::refused_scheme(value).unwrap_or_default();
            Diagnostic::error(
                &self.source.path,
                format!(
                    "Adressen i «{field}» starter med «{scheme}:», og den slags link bliver ikke vist på siden"
                ),
            )
        } else {
            return;
        };
        self.push(
            d.expected("en webadresse, der starter med https://")
                .hint("Skriv en adresse, der starter med https://, fx \"https://www.kommune.dk/rusmiddel\", eller slet linjen"),
            key,
        );
    }

    /// `[[help_now]]`: each line has a name and says when to use it.
    fn help_lines(&mut self, lines: &[crate::model::HelpLine]) {
        for (i, line) in lines.iter().enumerate() {
            let key = format!("help_now[{i}]");
            help_line_texts(self, &key, line);
        }
    }

    /// `quick_exit`: a whole web address (`https:` or `http:`), since the link must lead
    /// away from the site at once; a relative link, `mailto:` or `tel:` does not.
    fn quick_exit(&mut self, value: Option<&str>) {
        let Some(value) = value else { return };
        let scheme = crate::url::scheme_of(value);
        let web = crate::url::is_safe(value)
            && matches!(scheme.as_deref(), Some("https" | "http"))
            && value.contains("//");
        if web {
            return;
        }
        let message = match scheme.filter(|s| s != "https" && s != "http") {
            _ if value.trim().is_empty() => "Feltet «quick_exit» er tomt".to_string(),
            Some(scheme) => format!(
                "Adressen i «quick_exit» starter med «{scheme}:». Knappen «Forlad siden hurtigt» skal føre til en almindelig hjemmeside"
            ),
            None => format!(
                "«{value}» er ikke en hel webadresse. Knappen «Forlad siden hurtigt» skal føre væk fra siden, til en almindelig hjemmeside"
            ),
        };
        self.push(
            Diagnostic::error(&self.source.path, message)
                .expected("en webadresse, der starter med https://")
                .hint("Skriv adressen på en hjemmeside, der ikke vækker mistanke, fx quick_exit = \"https://www.dr.dk/\", eller slet linjen"),
            "quick_exit",
        );
    }

    fn address(&mut self, key: &str, address: Option<&Address>) {
        if let Some(a) = address {
            self.text(
                &format!("{key}.address.street"),
                &a.street,
                "vejnavn og nummer, som de står i jeres kvalitetsstandard",
            );
            self.text(&format!("{key}.address.city"), &a.city, "byen");
        }
    }
}

/// What [`prepare_municipality`] found in a file's tree before it is read into the model.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// Keys (with indices, `offers[0].description`) whose text was empty and that now count
    /// as left out, each worth a warning.
    pub blank: Vec<String>,
    /// Every key taken out for being empty, told or not.
    pub emptied: Vec<String>,
    /// Required top-level keys the file lacks, every one of them.
    pub missing: Vec<&'static Required>,
    /// Keys whose value is still the scaffold's own example.
    pub examples: Vec<String>,
}

/// A top-level key no municipality's pages can do without.
#[derive(Debug)]
pub struct Required {
    pub key: &'static str,
    /// What to write, in Danish, after "Skriv ".
    pub what: &'static str,
    /// A line the editor can copy, with a placeholder, never a value that looks real.
    pub line: &'static str,
}

/// Only what a page cannot exist without: the municipality's name (headings, titles, the list
/// of municipalities). The short name comes from the name when it is left out; every other
/// field is shown only where it is written.
pub const REQUIRED: &[Required] = &[Required {
    key: "name",
    what: "kommunens fulde navn",
    line: "name = \"<kommunens navn> Kommune\"",
}];

/// Makes a municipality file's tree ready to read: finds the scaffold's examples still in it,
/// takes out text that is empty or only spaces (and tables left empty by it, so an untouched
/// topic of the scaffold is simply absent), and lists every required key missing. Reading goes
/// on only when no required key is missing, so an empty file is told all it lacks at once.
pub(crate) fn prepare_municipality(
    root: &mut toml::de::DeTable<'_>,
    text: &str,
) -> (Prepared, bool) {
    let mut out = Prepared::default();
    super::examples::find_examples(root, text, &mut out.examples);
    strip_blank(
        root,
        &mut String::new(),
        text,
        &mut out.blank,
        &mut out.emptied,
    );
    out.missing = REQUIRED
        .iter()
        .filter(|r| !root.contains_key(r.key))
        .collect();
    let go_on = out.missing.is_empty();
    (out, go_on)
}

/// The empty text box the scaffold leaves for the editor to write in: untouched, it is not yet
/// written rather than emptied, so it is left out without a warning.
const SCAFFOLD_BOX: &str = "\"\"\"\n\"\"\"";

/// `table` at `path` without its blank text; a table emptied by that is taken out too, and
/// the blanks inside it are not told (an untouched topic is simply left out). Items of arrays
/// keep their place, so every later message about `offers[2]` still points at the third.
fn strip_blank(
    table: &mut toml::de::DeTable<'_>,
    path: &mut String,
    text: &str,
    blank: &mut Vec<String>,
    emptied: &mut Vec<String>,
) {
    use std::fmt::Write;
    use toml::de::DeValue;
    let mut gone: Vec<String> = Vec::new();
    for (key, value) in table.iter_mut() {
        let key: &str = key.get_ref();
        // `path` holds this key's path until the end of the loop's body, then is cut back.
        let parent = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        let span = value.span();
        match value.get_mut() {
            DeValue::String(s) if s.trim().is_empty() => {
                let written = text.get(span).unwrap_or("");
                if written != SCAFFOLD_BOX && written.replace('\r', "") != SCAFFOLD_BOX {
                    blank.push(path.clone());
                }
                emptied.push(path.clone());
                gone.push(key.to_string());
            }
            DeValue::Table(t) => {
                let told = blank.len();
                let was_empty = t.is_empty();
                strip_blank(t, path, text, blank, emptied);
                if t.is_empty() {
                    if !was_empty {
                        blank.truncate(told);
                    }
                    gone.push(key.to_string());
                }
            }
            DeValue::Array(items) => {
                let here = path.len();
                for (i, item) in items.iter_mut().enumerate() {
                    if let DeValue::Table(t) = item.get_mut() {
                        let _ = write!(path, "[{i}]");
                        strip_blank(t, path, text, blank, emptied);
                        path.truncate(here);
                    }
                }
            }
            _ => {}
        }
        path.truncate(parent);
    }
    for key in &gone {
        table.remove(key.as_str());
    }
}

/// The warning for a text that is empty and so counts as left out.
pub(crate) fn blank_warning(source: &SourceFile, key: &str) -> Diagnostic {
    let field = key.rsplit('.').next().unwrap_or(key);
    source.diagnostic_at(
        Diagnostic::warning(
            &source.path,
            format!("Feltet «{field}» er tomt, så det tæller, som om det ikke er der"),
        )
        .hint(format!(
            "Skriv teksten mellem anførselstegnene, eller slet linjen med «{field}», hvis standarden ikke siger noget om det"
        )),
        key,
    )
}

/// The error for a key that must say something but is empty.
pub(crate) fn blank_required_error(source: &SourceFile, key: &str) -> Diagnostic {
    let field = key.rsplit('.').next().unwrap_or(key);
    source.diagnostic_at(
        Diagnostic::error(&source.path, format!("Feltet «{field}» er tomt"))
            .expected(format!("{field} med tekst"))
            .hint(format!(
                "Skriv teksten mellem anførselstegnene. «{field}» skal være der, når resten er der"
            )),
        key,
    )
}

/// The error for a required key the file lacks (or has empty, then at its line).
pub(crate) fn missing_error(source: &SourceFile, r: &Required) -> Diagnostic {
    if source.key_span(r.key).is_some() {
        return blank_required_error(source, r.key);
    }
    let d = Diagnostic::error(
        &source.path,
        format!("Feltet «{}» mangler øverst i filen", r.key),
    )
    .expected(format!("{}: {}", r.key, r.what))
    .hint(format!(
        "Skriv linjen {} øverst i filen, før den første overskrift i [firkantede parenteser], med {}",
        r.line, r.what
    ))
    .key(r.key);
    source.place(d, 0..0)
}

/// The text fields of one help line (`key` is `help_now[i]`).
fn help_line_texts(c: &mut Checker<'_>, key: &str, line: &crate::model::HelpLine) {
    c.text(
        &format!("{key}.name"),
        &line.name,
        "linjens navn, fx \"Alarmcentralen\"",
    );
    c.text(
        &format!("{key}.when"),
        &line.when,
        "hvornår borgeren skal ringe, fx \"ved livsfare\"",
    );
    if let Some(hours) = &line.hours {
        c.text(&format!("{key}.hours"), hours, "hvornår linjen har åbent");
    }
}
