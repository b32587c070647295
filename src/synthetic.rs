//! Deterministic synthetic content for benchmarks.
//!
//! Writes a content folder in our own format: a small `site.toml` with a glossary and `n`
//! municipality files shaped like the largest real documents (Slagelse, Holstebro): about 15
//! offers, 3 units with contact details and hours, 6 complaint routes, every regulation topic
//! filled, and prose of realistic length with lists, emphasis and links. The same seed always
//! gives the same bytes, so benchmark runs on different machines and commits compare.
//!
//! It never writes into the bundled `content/`: callers pass a scratch folder.

use std::fs;
use std::io;
use std::path::Path;

/// splitmix64: tiny, fast, good enough to vary text, and stable across platforms and releases
/// (unlike a hash-seeded or external generator).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// See [`paragraph`].
const WORDS_SCALE_PERCENT: usize = 55;

const SENTENCES: &[&str] = &[
    "Rusmiddelcentret tilbyder rådgivning og behandling til borgere, der har et problematisk forbrug af stoffer eller alkohol.",
    "Du kan henvende dig personligt, telefonisk eller skriftligt, og du behøver ikke en henvisning fra din læge.",
    "Behandlingen tager udgangspunkt i dine egne mål, og den bliver tilrettelagt sammen med dig.",
    "Vi arbejder ud fra en helhedsorienteret tilgang, hvor vi ser på hele din livssituation.",
    "Der arbejdes med motiverende samtaler, kognitiv terapi og løsningsfokuserede metoder.",
    "Inden for fjorten dage efter din første henvendelse får du tilbudt en samtale om dine muligheder.",
    "Behandlingsplanen beskriver dine mål, de indsatser du får, og hvornår vi følger op.",
    "Vi samarbejder med jobcentret, psykiatrien og din egen læge, hvis du giver samtykke til det.",
    "Pårørende kan få rådgivning, også selv om den, de er pårørende til, ikke er i behandling.",
    "Alle medarbejdere har tavshedspligt, men de har også pligt til at underrette kommunen, hvis et barn mistrives.",
    "Du kan vælge et andet behandlingssted, hvis det er godkendt og giver samme slags behandling.",
    "Behandlingen er gratis, men ved døgnbehandling kan du skulle betale en del af udgiften til kost og logi.",
    "Vi følger op en måned og seks måneder efter, at din behandling er afsluttet.",
    "Medarbejderne er socialrådgivere, pædagoger, sygeplejersker, psykologer og læger.",
    "Vi måler løbende, om behandlingen virker, og bruger resultaterne til at forbedre tilbuddene.",
    "Gruppeforløbene har plads til højst ti deltagere og mødes en gang om ugen.",
    "Hvis du er under tredive år, kan du få hjælp i ungeenheden, som har sine egne lokaler.",
    "Du kan få hjælp til at lave en plan for, hvordan du holder fast i de forandringer, du har opnået.",
    "Vi tilbyder hjemmebesøg, hvis du ikke selv kan komme til os.",
    "Lægen kan vurdere, om du har brug for medicin under behandlingen.",
    "Efter behandlingen kan du deltage i en efterbehandlingsgruppe, hvor du møder andre i samme situation.",
    "Brugerrådet giver råd om, hvordan tilbuddene kan blive bedre, og deltager i ansættelser.",
    "Kommunen har indgået aftaler med flere private behandlingssteder, som alle er godkendt af Socialtilsynet.",
    "Du får en skriftlig afgørelse med en klagevejledning, hvis du får afslag på behandling.",
    "Vi tager særligt hensyn til gravide og til forældre med hjemmeboende børn.",
    "Anonym behandling foregår adskilt fra den øvrige behandling, så ingen behøver at kende dit navn.",
    "Det er muligt at få samtaler uden for almindelig arbejdstid efter aftale med din behandler.",
    "Kvalitetsstandarden bliver revideret mindst hvert andet år og godkendt af byrådet.",
    "Vi bruger data fra Stofmisbrugsdatabasen og DANRIS til at følge udviklingen.",
    "Hvis du flytter til en anden kommune, hjælper vi med at overdrage din behandling.",
];

const EMPHASIS: &[&str] = &[
    "gratis",
    "inden for 14 dage",
    "uden henvisning",
    "anonymt",
    "sammen med dig",
    "tavshedspligt",
    "frit valg",
    "skriftlig afgørelse",
];

const LINKS: &[(&str, &str)] = &[
    ("netstof.dk", "https://www.netstof.dk"),
    ("Tilbudsportalen", "https://tilbudsportalen.dk"),
    ("Ankestyrelsen", "https://ast.dk"),
    ("alkohologsamfund.dk", "https://www.alkohologsamfund.dk"),
    ("Sundhedsstyrelsen", "https://www.sst.dk"),
];

const LIST_ITEMS: &[&str] = &[
    "individuelle samtaler med en fast behandler",
    "gruppeforløb med andre i samme situation",
    "samtaler med dine pårørende, hvis du ønsker det",
    "hjælp til at finde job eller uddannelse",
    "lægelig vurdering og medicinsk behandling",
    "støtte til at skabe struktur i hverdagen",
    "tilbagefaldsforebyggende samtaler",
    "hjælp til kontakt med andre dele af kommunen",
    "sundhedssamtaler med en sygeplejerske",
    "rådgivning om økonomi og bolig",
];

const SUBHEADINGS: &[&str] = &[
    "Sådan foregår det",
    "Det kan du forvente",
    "Samarbejde med andre",
    "Når behandlingen slutter",
    "Hvis du er ung",
];

const NAME_PARTS: (&[&str], &[&str]) = (
    &[
        "Vester", "Øster", "Nørre", "Sønder", "Hede", "Skov", "Sø", "Bro", "Strand", "Lyng",
        "Mølle", "Eng", "Kirke", "Holm", "Bjerg", "Dal",
    ],
    &[
        "by", "lev", "rup", "sted", "bjerg", "holm", "købing", "skov", "bæk", "vig", "løse", "inge",
    ],
);

const STREETS: &[&str] = &[
    "Ingemannsvej",
    "Danmarksgade",
    "Stationsvej",
    "Kirkegade",
    "Skolevej",
    "Torvet",
    "Havnegade",
    "Viborgvej",
];

const OFFER_KINDS: &[(&str, &str)] = &[
    ("advice", "Rådgivning og vejledning"),
    ("outpatient", "Ambulant behandling"),
    ("group", "Gruppebehandling"),
    ("day", "Dagbehandling"),
    ("residential", "Døgnbehandling"),
    ("youth", "Behandling for unge"),
    ("anonymous", "Anonym behandling"),
    ("medical", "Medicinsk behandling"),
    ("relatives", "Tilbud til pårørende"),
    ("family", "Familiesamtaler"),
    ("aftercare", "Efterbehandling"),
    ("outreach", "Udekørende team"),
    ("other", "Sundhedsklinik"),
];

const GLOSSARY: &str = r#"
[[glossary]]
term = "Ambulant behandling"
also = ["ambulant", "ambulante"]
explanation = "Behandling, hvor du bor hjemme og kommer til samtaler eller grupper hos behandlingsstedet."

[[glossary]]
term = "Ankestyrelsen"
explanation = "En statslig myndighed, der behandler klager over kommunens afgørelser."

[[glossary]]
term = "Behandlingsgaranti"
explanation = "Din ret til at få et tilbud om behandling inden for 14 dage efter, at du har henvendt dig til kommunen."

[[glossary]]
term = "Behandlingsplan"
explanation = "En plan, som du laver sammen med din behandler. Den beskriver dine mål, og hvad behandlingen skal indeholde."

[[glossary]]
term = "Døgnbehandling"
explanation = "Behandling, hvor du bor på behandlingsstedet i en periode."

[[glossary]]
term = "Frit valg"
explanation = "Din ret til at vælge et andet behandlingssted end det, kommunen har peget på, hvis stedet giver samme slags behandling."

[[glossary]]
term = "Pårørende"
explanation = "Familie og venner, som står et menneske med problemer med stoffer eller alkohol nær."

[[glossary]]
term = "Visitation"
also = ["visiteret", "visiteres"]
explanation = "Når kommunen vurderer, hvilken hjælp du har brug for, og beslutter, hvilket tilbud du kan få."
"#;

/// Writes `site.toml` and `n` municipality files (`kommune-001.toml`, ...) into `dir`.
pub fn generate(dir: &Path, n: usize, seed: u64) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join("site.toml"), site_toml())?;
    for i in 1..=n {
        // Each file has its own stream, so file k is the same whatever n is.
        let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        fs::write(
            dir.join(format!("{}.toml", file_stem(i))),
            municipality_toml(i, &mut rng),
        )?;
    }
    Ok(())
}

/// The file stem (and page address) of municipality `i`, counting from 1.
pub(crate) fn file_stem(i: usize) -> String {
    format!("kommune-{i:03}")
}

fn site_toml() -> String {
    let mut out = String::from(
        "title = \"Hjælp til stoffer og alkohol\"\n\
         language = \"da\"\n\
         theme = \"default\"\n\
         publisher = \"Syntetisk testportal\"\n\
         accessibility_statement = \"https://www.was.digst.dk/example\"\n\
         lix_warning = 40\n\
         intro = \"\"\"\n\
         Her kan du læse, hvilken hjælp din kommune giver, hvis du har problemer med stoffer eller\n\
         alkohol. Hjælpen er **gratis**. Vælg din kommune.\n\
         \"\"\"\n",
    );
    out.push_str(GLOSSARY);
    out
}

/// Escapes a value for a TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A paragraph of about `words` words, wrapped as editors wrap it, with emphasis and perhaps a
/// link.
fn paragraph(rng: &mut Rng, words: usize) -> String {
    // The lengths below follow the real documents' fields; scaled so that a page carries
    // about 150 words of Markdown on average, as the benchmark's brief sets.
    let words = words * WORDS_SCALE_PERCENT / 100;
    let mut text = String::new();
    let mut count = 0;
    while count < words {
        let sentence = rng.pick(SENTENCES);
        count += sentence.split_whitespace().count();
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(sentence);
    }
    if rng.chance(70) {
        let e = rng.pick(EMPHASIS);
        if rng.chance(50) {
            text.push_str(&format!(" Hjælpen er **{e}**."));
        } else {
            text.push_str(&format!(" Husk: *{e}*."));
        }
    }
    if rng.chance(40) {
        let (label, url) = LINKS[(rng.next() % LINKS.len() as u64) as usize];
        text.push_str(&format!(" Læs mere på [{label}]({url})."));
    }
    wrap(&text, 96)
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width + 1);
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + 1 + word.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// Prose of about `words` words: paragraphs, sometimes a bold sub-heading and a list.
fn prose(rng: &mut Rng, words: usize) -> String {
    let mut parts = Vec::new();
    let mut left = words;
    if words >= 80 && rng.chance(50) {
        parts.push(format!("**{}**", rng.pick(SUBHEADINGS)));
    }
    while left > 0 {
        let chunk = left.min(rng.range(40, 70) as usize);
        parts.push(paragraph(rng, chunk));
        left -= chunk;
        if left > 0 && rng.chance(35) {
            let items = rng.range(3, 5);
            let list: Vec<String> = (0..items)
                .map(|_| format!("- {}", rng.pick(LIST_ITEMS)))
                .collect();
            parts.push(list.join("\n"));
            left = left.saturating_sub(items as usize * 6);
        }
    }
    parts.join("\n\n")
}

fn multiline(key: &str, text: &str) -> String {
    format!("{key} = \"\"\"\n{text}\n\"\"\"\n")
}

fn phone(rng: &mut Rng) -> String {
    format!(
        "{} {:02} {:02} {:02}",
        rng.range(20, 99),
        rng.range(0, 99),
        rng.range(0, 99),
        rng.range(0, 99)
    )
}

fn town(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(NAME_PARTS.0), rng.pick(NAME_PARTS.1))
}

fn hours_table(out: &mut String, rng: &mut Rng, label: &str) {
    let open = rng.range(7, 9);
    let close = rng.range(14, 15);
    out.push_str("\n[[units.hours]]\n");
    out.push_str(&format!("label = {}\n", quoted(label)));
    for day in ["monday", "tuesday", "wednesday"] {
        out.push_str(&format!("{day} = \"{open}-{close}.30\"\n"));
    }
    out.push_str(&format!("thursday = \"{open}-17\"\n"));
    out.push_str(&format!("friday = \"{open}-13\"\n"));
    out.push_str("saturday = \"Lukket\"\n");
    if rng.chance(50) {
        out.push_str("note = \"Herudover kan man træffe individuelle aftaler.\"\n");
    }
}

fn municipality_toml(i: usize, rng: &mut Rng) -> String {
    let short = format!("{} {i}", town(rng));
    let centre = format!("Rusmiddelcenter {short}");
    let domain = format!("{}.example.dk", file_stem(i));
    let postcode = rng.range(1000, 9990);
    let mut out = String::with_capacity(48 * 1024);
    let push = |out: &mut String, s: String| out.push_str(&s);

    push(
        &mut out,
        format!("# Syntetisk kvalitetsstandard nr. {i}, lavet til benchmarks.\n\n"),
    );
    push(
        &mut out,
        format!("name = {}\n", quoted(&format!("{short} Kommune"))),
    );
    push(&mut out, format!("short_name = {}\n", quoted(&short)));
    push(&mut out, format!("organisation = {}\n", quoted(&centre)));
    out.push_str(
        "title = \"Kvalitetsstandard for social behandling for stofmisbrug og alkoholbehandling\"\n",
    );
    out.push_str("substances = [\"drugs\", \"alcohol\"]\n");
    if i.is_multiple_of(4) {
        push(&mut out, format!("serves = [\"Nabokommune {i}\"]\n"));
    }
    push(
        &mut out,
        format!("website = \"https://www.{domain}/rusmiddel\"\n"),
    );
    push(&mut out, multiline("summary", &paragraph(rng, 50)));
    let mut intro = paragraph(rng, 30);
    intro.push_str("\n\n");
    for n in 2..=6 {
        intro.push_str(&format!("- **Afsnit {n}** {}\n", rng.pick(SENTENCES)));
    }
    push(&mut out, multiline("reading_intro", intro.trim_end()));
    push(&mut out, multiline("purpose", &prose(rng, 60)));

    let topic = |out: &mut String, rng: &mut Rng, name: &str, words: usize| {
        out.push_str(&format!("\n[{name}]\n"));
        out.push_str(&multiline("text", &prose(rng, words)));
    };
    topic(&mut out, rng, "tasks", 120);
    out.push_str("\n[target_group]\nage_min = 18\n");
    push(&mut out, multiline("text", &prose(rng, 90)));
    topic(&mut out, rng, "goals", 200);
    topic(&mut out, rng, "structure", 120);

    out.push_str("\n[referral]\nsteps = [\n");
    for _ in 0..5 {
        push(&mut out, format!("  {},\n", quoted(rng.pick(SENTENCES))));
    }
    out.push_str("]\ncase_handling_weeks = 2\n");
    push(&mut out, multiline("text", &prose(rng, 250)));
    out.push_str("\n[guarantee]\ndays = 14\n");
    push(&mut out, multiline("text", &prose(rng, 90)));
    topic(&mut out, rng, "free_choice", 150);
    topic(&mut out, rng, "treatment_plan", 200);
    topic(&mut out, rng, "action_plans", 150);
    topic(&mut out, rng, "user_involvement", 180);
    topic(&mut out, rng, "anonymity", 100);
    topic(&mut out, rng, "relatives", 120);
    topic(&mut out, rng, "responsibilities", 80);
    out.push_str("\n[payment]\nfree = true\n");
    push(&mut out, multiline("text", &prose(rng, 90)));

    out.push_str("\n[complaints]\n");
    push(&mut out, multiline("text", &prose(rng, 150)));
    let decisions = [
        "Afgørelser om social behandling for stofmisbrug efter Servicelovens § 101",
        "Afgørelser om anonym behandling efter Servicelovens § 101 a",
        "Kommunens serviceniveau i alkoholbehandlingen efter Sundhedslovens § 141",
        "Sundhedsfaglige afgørelser, fx om substitutionsmedicin",
        "Afslag på døgnbehandling",
        "Personalets optræden og sagsbehandlingen",
    ];
    for (r, decision) in decisions.iter().enumerate() {
        out.push_str("\n[[complaints.routes]]\n");
        push(&mut out, format!("decision = {}\n", quoted(decision)));
        match r {
            3 => {
                out.push_str("send_to = \"Styrelsen for Patientklager\"\n");
                out.push_str("link = \"https://stpk.dk\"\nno_deadline = true\n");
            }
            5 => {
                push(&mut out, format!("send_to = {}\n", quoted(&centre)));
                out.push_str("no_deadline = true\nform = \"written_or_oral\"\n");
            }
            _ => {
                push(&mut out, format!("send_to = {}\n", quoted(&centre)));
                push(
                    &mut out,
                    format!(
                        "address = {}\n",
                        quoted(&format!(
                            "{} {}, {postcode} {short}",
                            rng.pick(STREETS),
                            rng.range(1, 80)
                        ))
                    ),
                );
                push(&mut out, format!("phone = \"{}\"\n", phone(rng)));
                push(&mut out, format!("email = \"klage@{domain}\"\n"));
                out.push_str("deadline_weeks = 4\nform = \"written\"\n");
                out.push_str("next_instance = \"Ankestyrelsen\"\nlink = \"https://ast.dk\"\n");
            }
        }
        push(&mut out, multiline("text", &paragraph(rng, 30)));
    }

    topic(&mut out, rng, "staff", 150);
    out.push_str("\n[monitoring]\n");
    push(&mut out, multiline("text", &prose(rng, 180)));
    for (kind, pct, cmp) in [
        ("drug_free", rng.range(25, 45), "at_least"),
        ("reduced", rng.range(20, 40), "at_least"),
        ("return_within_12_months", rng.range(10, 25), "at_most"),
    ] {
        out.push_str("\n[[monitoring.targets]]\n");
        push(
            &mut out,
            format!(
                "kind = \"{kind}\"\npercent = {pct}\ncomparison = \"{cmp}\"\ntext = \"Målet er {pct} % af borgerne efter endt behandling.\"\n"
            ),
        );
    }
    out.push_str("\n[gift_cards]\nused = true\namount_kr = 200\n");
    push(&mut out, multiline("text", &paragraph(rng, 50)));
    out.push_str("\n[follow_up]\nmonths = [1, 6]\n");
    push(&mut out, multiline("text", &prose(rng, 120)));
    topic(&mut out, rng, "children", 130);
    topic(&mut out, rng, "future", 180);
    out.push_str("\n[residential]\n");
    push(&mut out, multiline("text", &prose(rng, 150)));
    out.push_str("criteria = [\n");
    for _ in 0..4 {
        push(&mut out, format!("  {},\n", quoted(rng.pick(LIST_ITEMS))));
    }
    out.push_str("]\ncase_handling_weeks = 4\n");
    push(
        &mut out,
        multiline("provider_requirements", &prose(rng, 180)),
    );
    out.push_str("providers = [\"Behandlingscenter Nord\", \"Døgncenter Syd\"]\n");

    let units = ["stofbehandling", "alkoholbehandling", "ungeenheden"];
    let unit_names = ["Stofbehandlingen", "Alkoholbehandlingen", "Ungeenheden"];
    for (u, id) in units.iter().enumerate() {
        out.push_str("\n[[units]]\n");
        push(&mut out, format!("id = \"{id}\"\n"));
        push(&mut out, format!("name = {}\n", quoted(unit_names[u])));
        push(
            &mut out,
            format!("for_whom = {}\n", quoted(rng.pick(LIST_ITEMS))),
        );
        push(&mut out, format!("phone = \"{}\"\n", phone(rng)));
        push(&mut out, format!("email = \"{id}@{domain}\"\n"));
        push(
            &mut out,
            format!("website = \"https://www.{domain}/{id}\"\n"),
        );
        push(
            &mut out,
            format!(
                "address = {{ street = {}, postcode = \"{postcode}\", city = {} }}\n",
                quoted(&format!("{} {}", rng.pick(STREETS), rng.range(1, 80))),
                quoted(&short)
            ),
        );
        push(&mut out, multiline("description", &prose(rng, 120)));
        hours_table(&mut out, rng, "Åbningstid");
        hours_table(&mut out, rng, "Telefontid");
    }

    for o in 0..15 {
        let (kind, title) = OFFER_KINDS[o % OFFER_KINDS.len()];
        out.push_str("\n[[offers]]\n");
        push(&mut out, format!("id = \"tilbud-{:02}-{kind}\"\n", o + 1));
        push(&mut out, format!("kind = \"{kind}\"\n"));
        push(
            &mut out,
            format!("title = {}\n", quoted(&format!("{title} {}", o + 1))),
        );
        out.push_str("substances = [\"drugs\", \"alcohol\"]\n");
        if kind == "youth" {
            out.push_str("age_min = 15\nage_max = 29\n");
        } else {
            out.push_str("age_min = 18\n");
        }
        push(&mut out, multiline("for_whom", &paragraph(rng, 30)));
        push(&mut out, multiline("description", &prose(rng, 140)));
        out.push_str("intensity = \"1-2 samtaler om ugen\"\nduration = \"3-6 måneder\"\n");
        push(&mut out, format!("unit = \"{}\"\n", units[o % units.len()]));
        if matches!(kind, "anonymous" | "relatives" | "advice") {
            out.push_str("anonymous = true\n");
        }
    }

    for h in 0..3 {
        out.push_str("\n[[other_help]]\n");
        push(
            &mut out,
            format!("name = {}\n", quoted(&format!("Værestedet {}", h + 1))),
        );
        push(&mut out, multiline("description", &prose(rng, 60)));
        push(&mut out, format!("phone = \"{}\"\n", phone(rng)));
        out.push_str("hours = \"Torsdag kl. 14.00-16.30\"\n");
    }

    let laws = [
        ("SEL § 101", "Serviceloven § 101", "serviceloven/101"),
        ("SEL § 101 a", "Serviceloven § 101 a", "serviceloven/101a"),
        ("SUL § 141", "Sundhedsloven § 141", "sundhedsloven/141"),
        ("SEL § 153", "Serviceloven § 153", "serviceloven/153"),
    ];
    for (reference, title, path) in laws {
        out.push_str("\n[[law]]\n");
        push(&mut out, format!("reference = {}\n", quoted(reference)));
        push(&mut out, format!("title = {}\n", quoted(title)));
        push(
            &mut out,
            format!("url = \"https://danskelove.dk/{path}\"\n"),
        );
        let mut text = String::new();
        for stk in 1..=6 {
            if stk > 1 {
                text.push_str(&format!("\n\nStk. {stk}. "));
            }
            text.push_str(&paragraph(rng, 30));
        }
        push(&mut out, multiline("text", &text));
    }

    out.push_str(
        "\n[approval]\napproved_by = \"Byrådet\"\napproved_on = 2024-12-17\n\
         valid_from = \"2025-01\"\nvalid_to = \"2026-12\"\nnext_revision = \"2026-12\"\n",
    );
    push(&mut out, multiline("revision_text", &paragraph(rng, 50)));
    push(
        &mut out,
        multiline("user_representatives", &paragraph(rng, 40)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::{BuildOptions, render};

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("kvalitet-synthetic-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn generated_content_loads_and_renders() {
        let dir = scratch("render");
        generate(&dir, 3, 7).unwrap();
        let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        let site = match render(&BuildOptions::new(&dir, themes)) {
            Ok(site) => site,
            Err(errors) => panic!("{errors:#?}"),
        };
        assert_eq!(site.content.municipalities.len(), 3);
        let m = &site.content.municipalities[0].data;
        assert_eq!(m.offers.len(), 15);
        assert_eq!(m.units.len(), 3);
        assert_eq!(m.complaints.as_ref().map(|c| c.routes.len()), Some(6));
        // Every section of the theme is present, so every template is exercised.
        assert_eq!(
            crate::site::sections_of(m).len(),
            crate::site::SECTIONS.len()
        );
        let _ = fs::remove_dir_all(&dir);
    }

    fn files(dir: &Path, prefix: &Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, prefix, out);
            } else {
                let rel = path.strip_prefix(prefix).unwrap().to_path_buf();
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }

    #[test]
    fn streamed_build_writes_the_same_site() {
        use crate::output::{SiteWriter, write_site};
        use crate::render::{Theme, render_site, render_site_into};
        let dir = scratch("stream");
        generate(&dir.join("content"), 2, 3).unwrap();
        let content = crate::pipeline::load_content(&dir.join("content")).unwrap();
        let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        let theme = Theme::load(&themes, "default").unwrap();
        let pages = render_site(&content, &theme).unwrap();
        write_site(&dir.join("collected"), &pages, Some(&theme.statics())).unwrap();
        let writer = SiteWriter::begin(&dir.join("streamed"), Some(&theme.statics())).unwrap();
        render_site_into(&content, &theme, &writer).unwrap();
        let stats = writer.finish().unwrap();
        assert_eq!(stats.pages, pages.len());
        let (mut a, mut b) = (Vec::new(), Vec::new());
        files(&dir.join("collected"), &dir.join("collected"), &mut a);
        files(&dir.join("streamed"), &dir.join("streamed"), &mut b);
        a.sort();
        b.sort();
        assert!(a.len() > pages.len());
        assert!(a == b, "the two ways of writing give different sites");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn same_seed_same_bytes() {
        let (a, b) = (scratch("a"), scratch("b"));
        generate(&a, 2, 42).unwrap();
        generate(&b, 2, 42).unwrap();
        for name in ["site.toml", "kommune-001.toml", "kommune-002.toml"] {
            assert_eq!(
                fs::read(a.join(name)).unwrap(),
                fs::read(b.join(name)).unwrap()
            );
        }
        let _ = fs::remove_dir_all(&a);
        let _ = fs::remove_dir_all(&b);
    }
}
