//! The rules a standard is checked against: those of Bek. 1477, and the few plain-language and
//! link rules beside them, in the order the report lists them. Loading names them (a general
//! standard covers rules by ID) and the check reports against them, so they sit below both.

use serde::Serialize;

/// A rule the checker reports against.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    /// `§4.1.6`, or a name such as `LIX` for checks the regulation does not name.
    pub id: &'static str,
    /// Short Danish title for headings and the report page.
    pub title: &'static str,
    /// What the rule requires, in plain Danish, quoted in every finding.
    pub requirement: &'static str,
    /// Where the rule comes from.
    pub reference: &'static str,
    /// Whether Bek. 1477 requires it (the others are plain language and working links).
    pub legal: bool,
    /// The topic, as it fits into "Der står ikke noget om ...".
    #[serde(skip)]
    pub(crate) topic: &'static str,
}

const fn legal(
    id: &'static str,
    title: &'static str,
    topic: &'static str,
    reference: &'static str,
    requirement: &'static str,
) -> Rule {
    Rule {
        id,
        title,
        requirement,
        reference,
        legal: true,
        topic,
    }
}

pub(crate) const fn other(
    id: &'static str,
    title: &'static str,
    requirement: &'static str,
) -> Rule {
    Rule {
        id,
        title,
        requirement,
        reference: "",
        legal: false,
        topic: "",
    }
}

/// Every rule, in the order findings and the report page list them.
pub const RULES: &[Rule] = &[
    legal(
        "§3.3",
        "Offentliggørelse",
        "godkendelsen",
        "Bek. 1477 § 3, stk. 3",
        "Kvalitetsstandarden skal offentliggøres på internettet. Det skal fremgå, hvornår og af hvem den er godkendt.",
    ),
    legal(
        "§4.1.1",
        "Opgaver",
        "de opgaver, I løser",
        "Bek. 1477 § 4, stk. 1, nr. 1",
        "Standarden skal beskrive de opgaver, der udføres.",
    ),
    legal(
        "§4.1.2",
        "Målgruppe",
        "målgruppen",
        "Bek. 1477 § 4, stk. 1, nr. 2",
        "Standarden skal beskrive målgruppen: hvem tilbuddene er for.",
    ),
    legal(
        "§4.1.3",
        "Mål og værdier",
        "mål, værdier og normer",
        "Bek. 1477 § 4, stk. 1, nr. 3",
        "Standarden skal beskrive det overordnede mål og de værdier og normer, indsatsen bygger på.",
    ),
    legal(
        "§4.1.4",
        "Organisering og tilbud",
        "organiseringen og typerne af tilbud",
        "Bek. 1477 § 4, stk. 1, nr. 4",
        "Standarden skal beskrive den organisatoriske struktur og typerne af behandlingstilbud.",
    ),
    legal(
        "§4.1.5",
        "Visitation",
        "visitationen",
        "Bek. 1477 § 4, stk. 1, nr. 5",
        "Standarden skal beskrive visitationen: hvordan borgeren bliver vurderet og får et tilbud.",
    ),
    legal(
        "§4.1.6",
        "Behandlingsgaranti",
        "behandlingsgarantien",
        "Bek. 1477 § 4, stk. 1, nr. 6",
        "Standarden skal beskrive behandlingsgarantien: behandlingen skal begynde senest 14 dage efter, at borgeren har henvendt sig.",
    ),
    legal(
        "§4.1.7",
        "Frit valg",
        "frit valg af behandlingssted",
        "Bek. 1477 § 4, stk. 1, nr. 7",
        "Standarden skal beskrive borgerens ret til frit valg af behandlingssted.",
    ),
    legal(
        "§4.1.8",
        "Behandlingsplan",
        "behandlingsplanen",
        "Bek. 1477 § 4, stk. 1, nr. 8",
        "Standarden skal beskrive behandlingsplanen og opfølgningen på den (SEL § 101, stk. 8).",
    ),
    legal(
        "§4.1.9",
        "Handleplaner",
        "handleplaner",
        "Bek. 1477 § 4, stk. 1, nr. 9",
        "Standarden skal beskrive, hvordan handleplaner bliver lavet, koordineret og fulgt op.",
    ),
    legal(
        "§4.1.10",
        "Brugerinddragelse",
        "brugerinddragelse",
        "Bek. 1477 § 4, stk. 1, nr. 10",
        "Standarden skal beskrive, hvordan brugerne bliver inddraget.",
    ),
    legal(
        "§4.1.11",
        "Betaling",
        "betaling",
        "Bek. 1477 § 4, stk. 1, nr. 11",
        "Standarden skal beskrive betaling for kost og logi m.v.",
    ),
    legal(
        "§4.1.12",
        "Sagsbehandling og klager",
        "sagsbehandling og klager",
        "Bek. 1477 § 4, stk. 1, nr. 12",
        "Standarden skal beskrive sagsbehandlingen og borgerens adgang til at klage.",
    ),
    legal(
        "§4.1.13",
        "Personale",
        "personalets kvalifikationer",
        "Bek. 1477 § 4, stk. 1, nr. 13",
        "Standarden skal beskrive personalets faglige kvalifikationer og kompetenceudvikling.",
    ),
    legal(
        "§4.1.14",
        "Monitorering",
        "monitorering af indsatsen",
        "Bek. 1477 § 4, stk. 1, nr. 14",
        "Standarden skal beskrive, hvordan indsatsen bliver monitoreret.",
    ),
    legal(
        "§4.1.15",
        "Gavekort",
        "gavekort",
        "Bek. 1477 § 4, stk. 1, nr. 15",
        "Standarden skal beskrive retningslinjerne for gavekort, eller sige, at der ikke bruges gavekort.",
    ),
    legal(
        "§4.2",
        "Opfølgning efter behandling",
        "opfølgning efter behandlingen",
        "Bek. 1477 § 4, stk. 2",
        "Kommunen skal følge op senest 1 måned og igen 6 måneder efter, at behandlingen er afsluttet.",
    ),
    legal(
        "§4.3",
        "Måltal",
        "måltal",
        "Bek. 1477 § 4, stk. 3",
        "Standarden skal have måltal i procent for andelen, der er stoffri eller har nedsat forbruget, og for andelen, der vender tilbage til behandling inden for 12 måneder.",
    ),
    legal(
        "§4.4",
        "Børn i hjemmet",
        "hjemmeboende børn",
        "Bek. 1477 § 4, stk. 4",
        "Standarden skal beskrive, hvordan I er opmærksomme på hjemmeboende børn under 18 år.",
    ),
    legal(
        "§4.5",
        "Den fremtidige indsats",
        "den fremtidige indsats",
        "Bek. 1477 § 4, stk. 5",
        "Standarden skal beskrive den fremtidige indsats.",
    ),
    legal(
        "§5",
        "Døgnbehandling",
        "kravene til døgnbehandlingssteder",
        "Bek. 1477 § 5",
        "Tilbyder kommunen døgnbehandling, skal standarden beskrive kravene til stederne: behandlingsform, målgruppe, kerneydelser, personale, fysiske forhold og pris.",
    ),
    legal(
        "§6.1",
        "Revision",
        "revisionen",
        "Bek. 1477 § 6, stk. 1",
        "Kommunalbestyrelsen skal revidere standarden mindst hvert andet år.",
    ),
    legal(
        "§6.2",
        "Brugerrepræsentanter",
        "brugerrepræsentanter",
        "Bek. 1477 § 6, stk. 2",
        "Brugerrepræsentanter skal inddrages, når standarden bliver revideret.",
    ),
    other(
        "LIX",
        "Letlæsthed",
        "Teksten skal være let at læse: korte sætninger og korte ord (lav LIX).",
    ),
    other(
        "SÆTNING",
        "Lange sætninger",
        "En sætning bør have højst 25 ord.",
    ),
    other(
        "ORD",
        "Svære ord",
        "Forkortelser og fagord skal stå i ordlisten, så borgeren kan slå dem op.",
    ),
    other(
        "LINK",
        "Links",
        "Links skal være gyldige adresser, og interne links skal føre til en side, der findes.",
    ),
    other(
        "KONTAKT",
        "Kontaktoplysninger",
        "Telefonnumre, e-mailadresser og webadresser skal være gyldige, så borgeren kan komme i kontakt.",
    ),
    other(
        "OVERSKRIFT",
        "Overskrifter",
        "En overskrift i teksten skal være skrevet som en overskrift (### ...), ikke med fed skrift, så skærmlæsere kan finde den.",
    ),
    other(
        "TABEL",
        "Tabeller i teksten",
        "En tabel skal bygges af indholdets felter, så siden kan give den en titel og overskrifter, som en skærmlæser kan læse op.",
    ),
    other(
        "FIND-HJAELP",
        "Hjælp til alle svar",
        "Hver borger, der svarer på «Hvilken hjælp passer til mig?», skal finde mindst ét tilbud, der kan passe.",
    ),
    other(
        "WAS",
        "Tilgængelighedserklæring",
        "Offentlige hjemmesider skal have en tilgængelighedserklæring (webtilgængelighedsloven).",
    ),
    other(
        "WEBADRESSE",
        "Hjemmesidens adresse",
        "Hjemmesiden skal kende sin egen adresse (base_url), så søgemaskiner kan finde siderne.",
    ),
    other(
        "HJAELP-NU",
        "Hjælp nu",
        "Mindst ét nummer til hjælp nu skal have åbent døgnet rundt, og hvert nummer skal være tjekket inden for de seneste 12 måneder.",
    ),
];

/// The rules about the site as a whole (`site.toml`), not about each municipality: the check
/// report and the JSON list them apart from the municipalities' rules. `HJAELP-NU` is about
/// `site.toml`'s lines; a municipality's own lines are reported in its file, without a row
/// in the report's table.
pub(crate) const SITE_RULES: [&str; 3] = ["WAS", "WEBADRESSE", "HJAELP-NU"];

/// The rule with this ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Whether a municipality's general standard can cover the rule with this ID (`4.1.12` or
/// `§4.1.12`): a rule of § 4 or § 5 of Bek. 1477. Approval and revision (§3.3, §6) concern this
/// standard itself.
pub(crate) fn referable(id: &str) -> bool {
    let id = id.trim().trim_start_matches('§').trim();
    RULES
        .iter()
        .filter(|r| r.legal && (r.id.starts_with("§4") || r.id.starts_with("§5")))
        .any(|r| &r.id["§".len()..] == id)
}

pub(crate) fn rule_index(id: &str) -> usize {
    RULES.iter().position(|r| r.id == id).unwrap_or(RULES.len())
}

pub(crate) fn requirement(id: &str) -> &'static str {
    rule(id).map_or("", |r| r.requirement)
}
