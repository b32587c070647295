//! `kvalitet check`: what the regulation requires, and whether citizens can read it.
//!
//! The checker reads the typed model and reports findings: a rule ID (`§4.2`, or `LIX`,
//! `SÆTNING`, `ORD`, `LINK`, `KONTAKT`, `WAS` for checks the regulation does not name), a
//! severity, a Danish message, and where in which file the content is (or the file where it
//! should be added). It never changes content and never invents facts: a topic the model does
//! not have is reported as missing.
//!
//! The same [`Report`] feeds three readers: the terminal (`kvalitet check`), the one-line
//! summary of `kvalitet build` ([`Report::summary_line`]) and the check report page for staff
//! and council ([`Report::matrix`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use rayon::prelude::*;

use crate::diagnostic::Severity;
use crate::glossary::lower_char;
use crate::lix::{self, Analysis};
use crate::load::{Content, LoadedMunicipality, SourceFile};
use crate::model::{Markdown, Municipality, OfferKind, PartialDate, Phone, TargetKind};

/// A prose field with fewer words than this gets no LIX warning of its own: the LIX of a few
/// words swings wildly with one long word. It still counts towards its section's LIX.
pub const MIN_WORDS_FOR_LIX_WARNING: usize = 10;

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
    topic: &'static str,
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

const fn other(id: &'static str, title: &'static str, requirement: &'static str) -> Rule {
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
        "WAS",
        "Tilgængelighedserklæring",
        "Offentlige hjemmesider skal have en tilgængelighedserklæring (webtilgængelighedsloven).",
    ),
];

/// The rule with this ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

fn rule_index(id: &str) -> usize {
    RULES.iter().position(|r| r.id == id).unwrap_or(RULES.len())
}

/// Legal terms and abbreviations a citizen may not know. `prefix` terms also match their
/// inflections ("visitationen", "visiteret" via their own forms).
struct HardTerm {
    name: &'static str,
    forms: &'static [&'static str],
    /// Abbreviations in capitals are matched only in capitals: "sul" is no abbreviation.
    case_sensitive: bool,
    prefix: bool,
}

/// How many forms the hard terms have in all.
const ALL_FORMS: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < HARD_TERMS.len() {
        n += HARD_TERMS[i].forms.len();
        i += 1;
    }
    n
};

const HARD_TERMS: &[HardTerm] = &[
    HardTerm {
        name: "jf.",
        forms: &["jf."],
        case_sensitive: false,
        prefix: false,
    },
    HardTerm {
        name: "jvf.",
        forms: &["jvf."],
        case_sensitive: false,
        prefix: false,
    },
    HardTerm {
        name: "stk.",
        forms: &["stk."],
        case_sensitive: false,
        prefix: false,
    },
    HardTerm {
        name: "SEL",
        forms: &["SEL"],
        case_sensitive: true,
        prefix: false,
    },
    HardTerm {
        name: "SUL",
        forms: &["SUL"],
        case_sensitive: true,
        prefix: false,
    },
    HardTerm {
        name: "visitation",
        forms: &["visitation", "visiter"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "afgørelse",
        forms: &["afgørelse"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "behandlingsplan",
        forms: &["behandlingsplan"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "handleplan",
        forms: &["handleplan"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "ambulant",
        forms: &["ambulant"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "døgnbehandling",
        forms: &["døgnbehandling"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "substitutionsbehandling",
        forms: &["substitutionsbehandling"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "underretningspligt",
        forms: &["underretningspligt"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "§ 101 a",
        forms: &["§ 101 a", "§ 101a", "§101 a", "§101a"],
        case_sensitive: false,
        prefix: false,
    },
    HardTerm {
        name: "Ankestyrelsen",
        forms: &["ankestyrelse"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "Tilbudsportalen",
        forms: &["tilbudsportal"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "måltal",
        forms: &["måltal"],
        case_sensitive: false,
        prefix: true,
    },
    HardTerm {
        name: "færdigbehandlet",
        forms: &["færdigbehandl"],
        case_sensitive: false,
        prefix: true,
    },
];

/// Settings for one run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// "Today" for revision dates: settable so that a run can be repeated with the same result.
    pub reference_date: PartialDate,
    /// LIX above which a text is reported; `site.toml`'s `lix_warning`.
    pub lix_warning: f64,
}

impl CheckOptions {
    /// Today's date and the site's LIX limit.
    pub fn for_site(site: &crate::model::Site) -> Self {
        CheckOptions {
            reference_date: today(),
            lix_warning: site.lix_warning,
        }
    }
}

/// Today's date (UTC, which is off by at most a day around midnight in Denmark).
pub fn today() -> PartialDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (year, month, day) = civil_from_days((seconds / 86_400) as i64);
    PartialDate {
        year,
        month: Some(month),
        day: Some(day),
    }
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// Parses a full date `ÅÅÅÅ-MM-DD`, e.g. for `--date`.
pub fn parse_reference_date(raw: &str) -> Result<PartialDate, String> {
    let date = PartialDate::parse(raw)?;
    if date.day.is_none() {
        return Err(format!(
            "«{raw}» er ikke en hel dato. Skriv ÅÅÅÅ-MM-DD, fx 2025-06-01"
        ));
    }
    Ok(date)
}

/// One thing the checker found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// `§4.2`, `LIX`, `SÆTNING`, `ORD`, `LINK`, `KONTAKT` or `WAS`.
    pub rule: &'static str,
    pub severity: Severity,
    /// True when the topic is absent; false when it is there but wrong or hard to read.
    pub missing: bool,
    /// The municipality's slug; `None` for the site as a whole (`site.toml`).
    pub municipality: Option<String>,
    pub message: String,
    /// What the rule requires, in plain Danish.
    pub requirement: &'static str,
    pub file: PathBuf,
    /// Where the content is; `None` when it is absent and should be added to the file.
    pub line: Option<usize>,
    /// Key path such as `follow_up.months` or `offers[2].description`.
    pub key: Option<String>,
    pub hint: Option<String>,
}

impl Finding {
    /// `file:line` or just `file`.
    pub fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{l}", self.file.display()),
            None => self.file.display().to_string(),
        }
    }
}

/// Whether a municipality meets a rule, for the report page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Present,
    Missing,
    Wrong,
    /// §5 when no residential treatment is offered.
    NotApplicable,
}

impl Status {
    pub fn danish(self) -> &'static str {
        match self {
            Status::Present => "i orden",
            Status::Missing => "mangler",
            Status::Wrong => "forkert",
            Status::NotApplicable => "ikke relevant",
        }
    }
}

/// LIX of one page section (or of a whole standard).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionLix {
    /// Stable id: `forside`, `garanti`, `tilbud/ambulant`, ...
    pub section: Cow<'static, str>,
    pub title: Cow<'static, str>,
    /// The section's place in the order of the standard's pages, the same in every
    /// municipality; all offers share one (see [`sections`]).
    #[serde(skip)]
    pub place: u8,
    /// Rounded to one decimal; `None` when the section has no words.
    pub lix: Option<f64>,
    /// Danish band name: "meget let", "let", "middel", "svær", "meget svær".
    pub band: Option<&'static str>,
    pub words: usize,
    pub sentences: usize,
    pub long_words: usize,
    pub long_sentences: usize,
    /// Whether the rounded LIX is above the site's `lix_warning`.
    pub above_limit: bool,
}

impl SectionLix {
    fn is_offer(&self) -> bool {
        self.section.starts_with(OFFER_SECTION)
    }
}

/// How the id of an offer's section begins: `tilbud/<offer id>`.
const OFFER_SECTION: &str = "tilbud/";

/// The place of the whole standard's LIX, which is not a section.
const WHOLE_PLACE: u8 = u8::MAX;

/// A municipality as the report knows it.
#[derive(Debug, Clone, Serialize)]
pub struct MunicipalitySummary {
    pub slug: String,
    pub name: String,
    pub file: PathBuf,
    /// LIX of the whole standard (law quotes left out).
    pub lix_total: SectionLix,
    /// LIX per page section, in reading order; offers are `tilbud/<id>`.
    pub lix: Vec<SectionLix>,
    /// The municipality's findings by severity.
    #[serde(skip)]
    pub counts: Counts,
    /// LIX of all the offers together, as the check report shows them; `None` without offers.
    #[serde(skip)]
    pub lix_offers: Option<SectionLix>,
    #[serde(skip)]
    residential_offered: bool,
}

/// A link to a page of the site, waiting to be resolved against the page list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InternalLink {
    pub municipality: Option<String>,
    pub file: PathBuf,
    pub line: Option<usize>,
    pub key: String,
    pub target: String,
}

/// Everything one run found.
#[derive(Debug, Clone)]
pub struct Report {
    pub reference_date: PartialDate,
    pub lix_warning: f64,
    /// Sorted: the site first, then municipalities in file order, then rule order, then line.
    /// Each municipality's findings are one run, as many as its summary counts: the report
    /// page and the build's summary are made from the counts and the runs without a pass over
    /// every finding, which at national scale has to read them all back from main memory.
    findings: Vec<Finding>,
    pub municipalities: Vec<MunicipalitySummary>,
    /// Internal links found in prose. The checker can only see that they are well-formed;
    /// [`Report::resolve_internal_links`] checks them against the pages once they are known.
    pub internal_links: Vec<InternalLink>,
    site_file: PathBuf,
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }

    fn add(&mut self, other: Counts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    fn count(&mut self, f: &Finding) {
        match f.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            c.count(f);
        }
        c
    }
}

/// One cell of the report page: how one municipality meets one rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleCell<'a> {
    pub municipality: &'a str,
    pub status: Status,
    /// "i orden", "mangler", "forkert" or "ikke relevant".
    pub label: &'static str,
    /// The messages of errors and warnings.
    pub messages: Vec<&'a str>,
    /// How many notes (info) there are besides.
    pub infos: usize,
}

/// One row of the report page: a rule, with a cell per municipality.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRow<'a> {
    pub rule: &'static str,
    pub title: &'static str,
    pub requirement: &'static str,
    pub reference: &'static str,
    pub legal: bool,
    pub cells: Vec<RuleCell<'a>>,
}

/// A municipality as a column of the report page.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixColumn<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub counts: Counts,
}

/// One row of the LIX table: a section, with a cell per municipality (`None` where the
/// municipality has no such section).
#[derive(Debug, Clone, Serialize)]
pub struct LixRow<'a> {
    pub section: &'a str,
    pub title: &'a str,
    /// A template sees only `lix`, `band` and `above_limit` of each cell: a national table has
    /// tens of thousands of cells, and the other six fields tripled its cost.
    #[serde(serialize_with = "lix_cells")]
    pub cells: Vec<Option<&'a SectionLix>>,
}

fn lix_cells<S: serde::Serializer>(
    cells: &[Option<&SectionLix>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Cell {
        lix: Option<f64>,
        band: Option<&'static str>,
        above_limit: bool,
    }
    serializer.collect_seq(cells.iter().map(|cell| {
        cell.map(|c| Cell {
            lix: c.lix,
            band: c.band,
            above_limit: c.above_limit,
        })
    }))
}

/// The check report page: rules down the side, municipalities across. It borrows its text
/// from the [`Report`]: a national report has tens of thousands of messages.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix<'a> {
    pub reference_date: String,
    pub lix_warning: f64,
    pub columns: Vec<MatrixColumn<'a>>,
    /// Rule rows, in [`RULES`] order, without `WAS` (it concerns the whole site). Not part of
    /// the page's `matrix`: each row is rendered on its own (see
    /// `render::render_check_report`).
    #[serde(skip)]
    pub rows: Vec<RuleRow<'a>>,
    /// LIX per section. Offers are one row, "Tilbud", over all a municipality's offers.
    /// Rendered row by row, as `rows` are.
    #[serde(skip)]
    pub lix_rows: Vec<LixRow<'a>>,
    /// Findings about the site as a whole (`site.toml`), e.g. `WAS`.
    pub site_findings: Vec<&'a Finding>,
    pub counts: Counts,
}

impl Report {
    /// Every finding, sorted: the site first, then municipalities in file order, then rule
    /// order, then line.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings about the site as a whole (`site.toml`).
    pub fn site_findings(&self) -> &[Finding] {
        let site = self
            .findings
            .iter()
            .take_while(|f| f.municipality.is_none())
            .count();
        &self.findings[..site]
    }

    /// Each municipality with its findings, in the order of `municipalities`.
    pub fn findings_by_municipality(
        &self,
    ) -> impl Iterator<Item = (&MunicipalitySummary, &[Finding])> {
        let mut rest = &self.findings[self.site_findings().len()..];
        self.municipalities.iter().map(move |m| {
            let (mine, after) = rest.split_at(m.counts.total().min(rest.len()));
            rest = after;
            debug_assert!(
                mine.iter()
                    .all(|f| f.municipality.as_ref() == Some(&m.slug))
            );
            (m, mine)
        })
    }

    pub fn counts(&self) -> Counts {
        let mut all = Counts::of(self.site_findings());
        for m in &self.municipalities {
            all.add(m.counts);
        }
        all
    }

    /// Counts for one municipality (`None`: the site as a whole).
    pub fn counts_for(&self, municipality: Option<&str>) -> Counts {
        match municipality {
            None => Counts::of(self.site_findings()),
            Some(slug) => self
                .municipalities
                .iter()
                .find(|m| m.slug == slug)
                .map_or_else(Counts::default, |m| m.counts),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.counts().errors > 0
    }

    /// Whether a run passes: no errors, and no warnings when they are denied.
    pub fn passes(&self, deny_warnings: bool) -> bool {
        let c = self.counts();
        c.errors == 0 && (!deny_warnings || c.warnings == 0)
    }

    /// One Danish line for `kvalitet build`, e.g.
    /// "Tjek: 3 fejl, 12 advarsler i 2 kommuner (kør kvalitet check for detaljer)".
    pub fn summary_line(&self) -> String {
        let c = self.counts();
        if c.errors == 0 && c.warnings == 0 {
            return "Tjek: ingen fejl eller advarsler".to_string();
        }
        let places = self
            .municipalities
            .iter()
            .filter(|m| m.counts.errors + m.counts.warnings > 0)
            .count();
        let warnings = if c.warnings == 1 {
            "1 advarsel".to_string()
        } else {
            format!("{} advarsler", c.warnings)
        };
        let where_ = match places {
            0 => " i site.toml".to_string(),
            1 => " i 1 kommune".to_string(),
            n => format!(" i {n} kommuner"),
        };
        format!(
            "Tjek: {} fejl, {warnings}{where_} (kør kvalitet check for detaljer)",
            c.errors
        )
    }

    /// How each municipality meets one rule.
    pub fn status(&self, municipality: &str, rule: &str) -> Status {
        match self
            .findings_by_municipality()
            .find(|(m, _)| m.slug == municipality)
        {
            Some((m, mine)) => {
                // Each rule's findings are one run (see `Report::sort`).
                let of_rule = mine
                    .chunk_by(|a, b| a.rule == b.rule)
                    .find(|run| run[0].rule == rule);
                rule_status(m, rule, of_rule.unwrap_or(&[]))
            }
            None => Status::Present,
        }
    }

    /// The data of the check report page, ready for a template.
    pub fn matrix(&self) -> Matrix<'_> {
        // Each municipality's findings are one run, and so are each rule's among them (see
        // `Report::sort`): the table is made a municipality at a time in one walk along them,
        // with no lookups, in parallel. A national report has tens of thousands of findings.
        let findings_of: Vec<&[Finding]> =
            self.findings_by_municipality().map(|(_, f)| f).collect();
        let row_rules: Vec<&Rule> = RULES.iter().filter(|r| r.id != "WAS").collect();
        let (columns, cells): (Vec<MatrixColumn>, Vec<Vec<RuleCell>>) = self
            .municipalities
            .par_iter()
            .zip(&findings_of)
            .map(|(m, mine)| {
                let mut by_rule = mine.chunk_by(|a, b| a.rule == b.rule).peekable();
                let cells = row_rules
                    .iter()
                    .map(|r| {
                        // Runs of rules that have no row here (`WAS`) come before their turn.
                        let row = rule_index(r.id);
                        while by_rule
                            .next_if(|run| rule_index(run[0].rule) < row)
                            .is_some()
                        {}
                        let rule_findings = by_rule.next_if(|run| run[0].rule == r.id);
                        rule_cell(m, r, rule_findings.unwrap_or(&[]))
                    })
                    .collect();
                let column = MatrixColumn {
                    slug: &m.slug,
                    name: &m.name,
                    counts: m.counts,
                };
                (column, cells)
            })
            .unzip();
        let rows = row_rules
            .iter()
            .zip(by_row(cells, row_rules.len()))
            .map(|(r, cells)| RuleRow {
                rule: r.id,
                title: r.title,
                requirement: r.requirement,
                reference: r.reference,
                legal: r.legal,
                cells,
            })
            .collect();

        Matrix {
            reference_date: self.reference_date.iso(),
            lix_warning: self.lix_warning,
            columns,
            rows,
            lix_rows: self.lix_rows(),
            site_findings: self.site_findings().iter().collect(),
            counts: self.counts(),
        }
    }

    /// The LIX table: a row for the whole standard, then one per section in the order of the
    /// standard's pages, with all of a municipality's offers merged into one row.
    fn lix_rows(&self) -> Vec<LixRow<'_>> {
        // Each municipality's sections by their places (see `SectionList`), in parallel.
        let mut by_place: Vec<Vec<Option<&SectionLix>>> = self
            .municipalities
            .par_iter()
            .map(|m| {
                let mut cells = Vec::new();
                for s in &m.lix {
                    let place = usize::from(s.place);
                    if cells.len() <= place {
                        cells.resize(place + 1, None);
                    }
                    cells[place].get_or_insert(s);
                }
                cells
            })
            .collect();
        let places = by_place.iter().map(Vec::len).max().unwrap_or(0);
        let mut rows = vec![LixRow {
            section: "hele",
            title: "Hele standarden",
            cells: self
                .municipalities
                .iter()
                .map(|m| Some(&m.lix_total))
                .collect(),
        }];
        for column in &mut by_place {
            column.resize(places, None);
        }
        for cells in by_row(by_place, places) {
            let Some(first) = cells.iter().flatten().next() else {
                continue;
            };
            rows.push(if first.is_offer() {
                LixRow {
                    section: "tilbud",
                    title: "Tilbud",
                    cells: self
                        .municipalities
                        .iter()
                        .map(|m| m.lix_offers.as_ref())
                        .collect(),
                }
            } else {
                LixRow {
                    section: &first.section,
                    title: &first.title,
                    cells,
                }
            });
        }
        rows
    }

    /// Checks internal links against the pages of the site. `exists(municipality, target)`
    /// says whether a link target written in that municipality's file leads to a page or
    /// anchor. Each link that does not is added as a `LINK` warning.
    pub fn resolve_internal_links(&mut self, exists: impl Fn(Option<&str>, &str) -> bool) {
        let mut added = Vec::new();
        for link in &self.internal_links {
            if !exists(link.municipality.as_deref(), &link.target) {
                added.push(Finding {
                    rule: "LINK",
                    severity: Severity::Warning,
                    missing: false,
                    municipality: link.municipality.clone(),
                    message: format!("Linket «{}» fører ikke til en side på sitet", link.target),
                    requirement: requirement("LINK"),
                    file: link.file.clone(),
                    line: link.line,
                    key: Some(link.key.clone()),
                    hint: Some(
                        "Ret adressen, så den peger på en side, der findes, eller fjern linket"
                            .to_string(),
                    ),
                });
            }
        }
        // The findings are sorted already (see `Report::assemble`).
        if !added.is_empty() {
            self.findings.extend(added);
            self.sort();
        }
    }

    /// The findings grouped by place: the site first (`None`), then each municipality in file
    /// order. Places without findings are left out.
    pub fn by_municipality(&self) -> Vec<(Option<&str>, &[Finding])> {
        let site = Some((None, self.site_findings())).filter(|(_, f)| !f.is_empty());
        site.into_iter()
            .chain(
                self.findings_by_municipality()
                    .filter(|(_, f)| !f.is_empty())
                    .map(|(m, f)| (Some(m.slug.as_str()), f)),
            )
            .collect()
    }

    /// The file of the site settings.
    pub fn site_file(&self) -> &Path {
        &self.site_file
    }

    /// The JSON document `kvalitet check --format json` prints (shape: see `cmd/check.rs`).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            version: u32,
            reference_date: String,
            lix_warning: f64,
            passed: bool,
            counts: Counts,
            findings: &'a [Finding],
            municipalities: Vec<JsonMunicipality<'a>>,
        }
        #[derive(Serialize)]
        struct JsonMunicipality<'a> {
            slug: &'a str,
            name: &'a str,
            file: &'a Path,
            counts: Counts,
            rules: Vec<JsonRule>,
            lix_total: &'a SectionLix,
            lix: &'a [SectionLix],
        }
        #[derive(Serialize)]
        struct JsonRule {
            rule: &'static str,
            status: Status,
        }
        let matrix = self.matrix();
        let doc = Json {
            version: 1,
            reference_date: self.reference_date.iso(),
            lix_warning: self.lix_warning,
            passed: !self.has_errors(),
            counts: self.counts(),
            findings: &self.findings,
            // The matrix has the statuses and counts already grouped.
            municipalities: self
                .municipalities
                .iter()
                .enumerate()
                .map(|(i, m)| JsonMunicipality {
                    slug: &m.slug,
                    name: &m.name,
                    file: &m.file,
                    counts: matrix.columns[i].counts,
                    rules: matrix
                        .rows
                        .iter()
                        .map(|row| JsonRule {
                            rule: row.rule,
                            status: row.cells[i].status,
                        })
                        .collect(),
                    lix_total: &m.lix_total,
                    lix: &m.lix,
                })
                .collect(),
        };
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    fn sort(&mut self) {
        // A map, not a search per comparison: a national run has thousands of findings.
        let order: HashMap<&str, usize> = self
            .municipalities
            .iter()
            .enumerate()
            .map(|(i, m)| (m.slug.as_str(), i))
            .collect();
        let unknown = order.len();
        let place = |f: &Finding| match &f.municipality {
            None => 0,
            Some(s) => 1 + order.get(s.as_str()).copied().unwrap_or(unknown),
        };
        let mut findings = std::mem::take(&mut self.findings);
        // Keys computed once per finding, not twice per comparison (stable, like `sort_by`).
        findings.sort_by_cached_key(|f| {
            (
                place(f),
                rule_index(f.rule),
                f.line.unwrap_or(0),
                f.severity,
            )
        });
        findings.dedup();
        let mut counts = vec![Counts::default(); self.municipalities.len() + 1];
        for f in &findings {
            if let Some(c) = counts.get_mut(place(f)) {
                c.count(f);
            }
        }
        for (m, c) in self.municipalities.iter_mut().zip(&counts[1..]) {
            m.counts = *c;
        }
        self.findings = findings;
    }
}

/// The report's tables are made a municipality (a column) at a time; this lays them out as
/// rows, cell `r` of every column going to row `r`.
fn by_row<T>(columns: Vec<Vec<T>>, rows: usize) -> Vec<Vec<T>> {
    let mut by_row: Vec<Vec<T>> = (0..rows)
        .map(|_| Vec::with_capacity(columns.len()))
        .collect();
    for column in columns {
        for (row, cell) in by_row.iter_mut().zip(column) {
            row.push(cell);
        }
    }
    by_row
}

/// How one municipality meets one rule, from the findings about that rule there: §5 does not
/// apply where the municipality offers no residential treatment.
fn rule_status(m: &MunicipalitySummary, rule: &str, findings: &[Finding]) -> Status {
    if rule == "§5" && !m.residential_offered {
        Status::NotApplicable
    } else {
        status_of(findings)
    }
}

/// A cell of the report table: [`rule_status`] and the messages.
fn rule_cell<'a>(m: &'a MunicipalitySummary, rule: &Rule, findings: &'a [Finding]) -> RuleCell<'a> {
    let status = rule_status(m, rule.id, findings);
    RuleCell {
        municipality: &m.slug,
        status,
        label: status.danish(),
        messages: findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| f.message.as_str())
            .collect(),
        infos: findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count(),
    }
}

/// Missing when a non-info finding says the topic is absent, wrong when any other non-info
/// finding exists, present otherwise.
fn status_of(findings: &[Finding]) -> Status {
    if findings
        .iter()
        .any(|f| f.missing && f.severity != Severity::Info)
    {
        Status::Missing
    } else if findings.iter().any(|f| f.severity != Severity::Info) {
        Status::Wrong
    } else {
        Status::Present
    }
}

fn requirement(id: &str) -> &'static str {
    rule(id).map_or("", |r| r.requirement)
}

/// Checks all content, leaving internal links unresolved (they need the site's page list):
/// `crate::build::check_content` resolves them, and is what every reader of a report uses.
pub fn check(content: &Content, options: &CheckOptions) -> Report {
    let (site, municipalities) = check_parts(content, options);
    Report::assemble(content, options, site, municipalities)
}

/// Checks the site and every municipality, in file order, without assembling the report:
/// the preview keeps the parts to check again only what a save changed.
pub fn check_parts(
    content: &Content,
    options: &CheckOptions,
) -> (SiteCheck, Vec<MunicipalityCheck>) {
    let prepared = PreparedCheck::new(&content.site, options);
    let site = prepared.site(content);
    // Municipalities are independent, so they are checked in parallel; `Report::assemble`
    // joins them in file order and sorts.
    let municipalities = content
        .municipalities
        .par_iter()
        .map(|m| prepared.municipality(m))
        .collect();
    (site, municipalities)
}

/// What every check of a site's parts needs from `site.toml`, worked out once, so that the
/// parts can be checked one at a time: a build checks each municipality as soon as it is
/// loaded, while its content is still in the processor's cache.
pub struct PreparedCheck<'o> {
    options: &'o CheckOptions,
    unexplained: UnexplainedTerms,
}

impl<'o> PreparedCheck<'o> {
    pub fn new(site: &crate::model::Site, options: &'o CheckOptions) -> Self {
        PreparedCheck {
            options,
            unexplained: UnexplainedTerms::new(site),
        }
    }

    /// Checks `site.toml`; part of [`check_parts`].
    pub fn site(&self, content: &Content) -> SiteCheck {
        check_site_with(content, self.options, &self.unexplained)
    }

    /// Checks one municipality; part of [`check_parts`].
    pub fn municipality(&self, m: &LoadedMunicipality) -> MunicipalityCheck {
        check_municipality_with(m, self.options, &self.unexplained)
    }
}

/// What checking `site.toml` found, before internal links are resolved.
#[derive(Debug, Clone)]
pub struct SiteCheck {
    pub findings: Vec<Finding>,
    pub internal_links: Vec<InternalLink>,
}

/// What checking one municipality found, before internal links are resolved. It depends only
/// on the municipality's own file, `site.toml` and the options, so the preview keeps it
/// between saves of other files.
#[derive(Debug, Clone)]
pub struct MunicipalityCheck {
    pub summary: MunicipalitySummary,
    pub findings: Vec<Finding>,
    pub internal_links: Vec<InternalLink>,
}

/// Checks one municipality; part of [`check`].
pub fn check_municipality(
    site: &crate::model::Site,
    m: &LoadedMunicipality,
    options: &CheckOptions,
) -> MunicipalityCheck {
    PreparedCheck::new(site, options).municipality(m)
}

fn check_site_with(
    content: &Content,
    options: &CheckOptions,
    unexplained: &UnexplainedTerms,
) -> SiteCheck {
    let site = &content.site;
    let mut findings = Vec::new();
    let mut internal_links = Vec::new();

    // The site as a whole.
    {
        let mut c = Checker {
            slug: None,
            source: &content.site_source,
            options,
            unexplained,
            findings: &mut findings,
            internal_links: &mut internal_links,
        };
        match &site.accessibility_statement {
            None => c.push(
                "WAS",
                Severity::Warning,
                true,
                "Der er ingen tilgængelighedserklæring. Offentlige hjemmesider skal linke til deres tilgængelighedserklæring",
                "accessibility_statement",
                false,
                Some("Lav erklæringen i Digitaliseringsstyrelsens WAS-Tool, og skriv linket i site.toml: accessibility_statement = \"https://www.was.digst.dk/...\""),
            ),
            Some(url) => c.url("WAS", "accessibility_statement", url),
        }
        if let Some(url) = &site.base_url {
            c.url("LINK", "base_url", url);
        }
        if let Some(intro) = &site.intro {
            c.language("intro", &intro.text);
            c.links("intro", intro);
        }
        for (i, entry) in site.glossary.iter().enumerate() {
            c.links(&format!("glossary[{i}].explanation"), &entry.explanation);
        }
    }
    sort_part(&mut findings);
    SiteCheck {
        findings,
        internal_links,
    }
}

fn check_municipality_with(
    m: &LoadedMunicipality,
    options: &CheckOptions,
    unexplained: &UnexplainedTerms,
) -> MunicipalityCheck {
    let mut findings = Vec::new();
    let mut internal_links = Vec::new();
    let mut c = Checker {
        slug: Some(&m.slug),
        source: &m.source,
        options,
        unexplained,
        findings: &mut findings,
        internal_links: &mut internal_links,
    };
    let mut summary = c.municipality(m);
    sort_part(&mut findings);
    summary.counts = Counts::of(&findings);
    MunicipalityCheck {
        summary,
        findings,
        internal_links,
    }
}

/// Sorts and deduplicates the findings of one part (the site, or one municipality) in the order
/// [`Report::sort`] gives the whole report, so that [`Report::assemble`] only joins the parts:
/// the parts are sorted in parallel, each while its content is in cache, and a national report
/// has tens of thousands of findings.
fn sort_part(findings: &mut Vec<Finding>) {
    findings.sort_by_cached_key(|f| (rule_index(f.rule), f.line.unwrap_or(0), f.severity));
    findings.dedup();
}

impl Report {
    /// The report of [`check`] from its parts: the site's and each municipality's, in the
    /// order of `content.municipalities`. Internal links are not resolved yet.
    pub fn assemble(
        content: &Content,
        options: &CheckOptions,
        site: SiteCheck,
        municipalities: Vec<MunicipalityCheck>,
    ) -> Report {
        let SiteCheck {
            mut findings,
            mut internal_links,
        } = site;
        let mut summaries = Vec::with_capacity(municipalities.len());
        findings.reserve(municipalities.iter().map(|m| m.findings.len()).sum());
        for part in municipalities {
            summaries.push(part.summary);
            findings.extend(part.findings);
            internal_links.extend(part.internal_links);
        }
        let report = Report {
            reference_date: options.reference_date,
            lix_warning: options.lix_warning,
            findings,
            municipalities: summaries,
            internal_links,
            site_file: content.site_source.path.clone(),
        };
        // Each part comes sorted (see `sort_part`), the site's first and the municipalities'
        // in the order the report lists them.
        debug_assert!({
            let mut sorted = report.clone();
            sorted.sort();
            sorted.findings == report.findings
        });
        report
    }
}

/// Finds the hard terms that the site's glossary does not explain, in one pass over a text.
///
/// Which terms the glossary explains is settled once per check; scanning each text once per
/// term form, lower-cased first, was most of what the language check cost.
struct UnexplainedTerms {
    /// Forms of unexplained terms, keyed by their first character (lower-cased unless the
    /// term is case-sensitive); every form starts below U+0100.
    by_first: Vec<Vec<Form>>,
    /// Each unexplained term, with its forms' numbers in the order listed.
    terms: Vec<(&'static HardTerm, Vec<usize>)>,
    forms: usize,
    /// For each ASCII character, the forms that may start with it, as places in `by_first`.
    ascii_candidates: Vec<Vec<(usize, usize)>>,
    /// For each byte: [`ALPHANUMERIC`] if it is an ASCII letter or digit, [`STARTS`] if it
    /// is ASCII and a form may start with it (as it stands, or lower-cased for terms that
    /// ignore case), [`MULTI`] if it is part of a character of two or more bytes.
    class: [u8; 256],
}

const ALPHANUMERIC: u8 = 1;
const STARTS: u8 = 2;
const MULTI: u8 = 4;

struct Form {
    number: usize,
    term: &'static HardTerm,
    chars: Vec<char>,
}

impl UnexplainedTerms {
    fn new(site: &crate::model::Site) -> Self {
        let words: Vec<String> = site
            .glossary
            .iter()
            .flat_map(|g| std::iter::once(&g.term).chain(g.also.iter()))
            .map(|w| normalise_term(w))
            .collect();
        let explains = |term: &HardTerm| {
            std::iter::once(term.name)
                .chain(term.forms.iter().copied())
                .map(normalise_term)
                .any(|t| words.contains(&t))
        };
        let mut by_first: Vec<Vec<Form>> = (0..256).map(|_| Vec::new()).collect();
        let mut terms = Vec::new();
        let mut forms = 0;
        for term in HARD_TERMS.iter().filter(|t| !explains(t)) {
            let mut numbers = Vec::new();
            for form in term.forms {
                let chars: Vec<char> = if term.case_sensitive {
                    form.chars().collect()
                } else {
                    form.chars().map(lower_char).collect()
                };
                let first = chars[0] as usize;
                assert!(first < 256, "hard term forms start in Latin-1: {form}");
                by_first[first].push(Form {
                    number: forms,
                    term,
                    chars,
                });
                numbers.push(forms);
                forms += 1;
            }
            terms.push((term, numbers));
        }
        // The candidates `forms_at` would try for each ASCII character.
        let ascii_candidates: Vec<Vec<(usize, usize)>> = (0..128u8)
            .map(|b| {
                let c = b as char;
                let lower = c.to_ascii_lowercase();
                let mut candidates = Vec::new();
                for (key, case_sensitive) in [(lower, false), (c, true)] {
                    for (i, form) in by_first[key as usize].iter().enumerate() {
                        if lower == c || form.term.case_sensitive == case_sensitive {
                            candidates.push((key as usize, i));
                        }
                    }
                    if lower == c {
                        break;
                    }
                }
                candidates
            })
            .collect();
        let mut class = [0u8; 256];
        for (b, class) in class.iter_mut().enumerate() {
            let c = b as u8 as char;
            if !c.is_ascii() {
                *class = MULTI;
                continue;
            }
            if c.is_ascii_alphanumeric() {
                *class |= ALPHANUMERIC;
            }
            if !ascii_candidates[b].is_empty() {
                *class |= STARTS;
            }
        }
        UnexplainedTerms {
            by_first,
            terms,
            forms,
            ascii_candidates,
            class,
        }
    }

    /// The unexplained hard terms in a text, in `HARD_TERMS` order, each with the byte where
    /// it first appears: the first of its forms, in the order listed, that stands in the text
    /// as a whole word (or the start of one, for terms that inflect).
    fn find_in(&self, text: &str) -> Vec<(&'static HardTerm, usize)> {
        if self.forms == 0 {
            return Vec::new();
        }
        // On the stack: every form of every hard term fits.
        let mut first_at = [None; ALL_FORMS];
        let mut found = 0;
        let mut prev_alphanumeric = false;
        let bytes = text.as_bytes();
        let mut at = 0;
        // ASCII, most of the text, is read as bytes through a table: decoding every character
        // and asking the Unicode tables about it was most of what the search cost.
        while let Some(&b) = bytes.get(at) {
            let class = self.class[b as usize];
            if class & MULTI == 0 {
                // Most ASCII characters start no form.
                if !prev_alphanumeric && class & STARTS != 0 {
                    for &(key, i) in &self.ascii_candidates[b as usize] {
                        let form = &self.by_first[key][i];
                        if first_at[form.number].is_none() && form_at_ascii(text, at, form) {
                            first_at[form.number] = Some(at);
                            found += 1;
                        }
                    }
                    if found == self.forms {
                        break;
                    }
                }
                at += 1;
                prev_alphanumeric = class & ALPHANUMERIC != 0;
                if prev_alphanumeric {
                    // Inside a word no term starts: the rest of its ASCII letters are passed
                    // over.
                    while let Some(&b) = bytes.get(at)
                        && self.class[b as usize] & ALPHANUMERIC != 0
                    {
                        at += 1;
                    }
                }
                continue;
            }
            let c = text[at..].chars().next().unwrap_or(' ');
            if !prev_alphanumeric {
                self.forms_at(text, at, c, &mut first_at, &mut found);
                if found == self.forms {
                    break;
                }
            }
            prev_alphanumeric = lix::is_alphanumeric(c);
            at += c.len_utf8();
        }
        self.terms
            .iter()
            .filter_map(|(term, numbers)| {
                numbers
                    .iter()
                    .find_map(|&n| first_at[n])
                    .map(|at| (*term, at))
            })
            .collect()
    }

    /// Records the forms not found before that stand at byte `at`, where character `c`
    /// starts and no word goes on.
    fn forms_at(
        &self,
        text: &str,
        at: usize,
        c: char,
        first_at: &mut [Option<usize>],
        found: &mut usize,
    ) {
        let lower = lower_char(c);
        let lookups = [(lower, false), (c, true)];
        for (key, case_sensitive) in lookups {
            let Some(candidates) = self.by_first.get(key as usize) else {
                continue;
            };
            for form in candidates {
                // Where lower-casing changes nothing, one lookup serves both kinds.
                if (lower != c && form.term.case_sensitive != case_sensitive)
                    || first_at[form.number].is_some()
                {
                    continue;
                }
                // Most candidates fail at their second character: when it is ASCII in the
                // text, it is compared here, without decoding the rest.
                if let Some(&want) = form.chars.get(1)
                    && let Some(&second) = text.as_bytes().get(at + c.len_utf8())
                    && second.is_ascii()
                {
                    let second = if form.term.case_sensitive {
                        second
                    } else {
                        second.to_ascii_lowercase()
                    };
                    if second as char != want {
                        continue;
                    }
                }
                if form_at(text, at, &form.chars, form.term) {
                    first_at[form.number] = Some(at);
                    *found += 1;
                }
            }
            if lower == c {
                break;
            }
        }
    }
}

/// [`form_at`], comparing bytes while the text is ASCII there.
fn form_at_ascii(text: &str, at: usize, form: &Form) -> bool {
    let bytes = text.as_bytes();
    let mut end = at;
    for &want in &form.chars {
        match bytes.get(end) {
            None => return false,
            Some(&b) if b.is_ascii() => {
                let have = if form.term.case_sensitive {
                    b
                } else {
                    b.to_ascii_lowercase()
                };
                if have as char != want {
                    return false;
                }
                end += 1;
            }
            // A character of several bytes may lower-case to the one wanted (K, the Kelvin
            // sign, to k): the full comparison decides.
            Some(_) => return form_at(text, at, &form.chars, form.term),
        }
    }
    form.term.prefix
        || form.chars.last() == Some(&'.')
        || text[end..]
            .chars()
            .next()
            .is_none_or(|c| !lix::is_alphanumeric(c))
}

/// Whether `form` stands at byte `at` of `text` as a whole word, or the start of one for
/// terms that inflect and forms that end in a full stop.
fn form_at(text: &str, at: usize, form: &[char], term: &HardTerm) -> bool {
    let mut rest = text[at..].chars();
    for want in form {
        let Some(have) = rest.next() else {
            return false;
        };
        let have = if term.case_sensitive {
            have
        } else {
            lower_char(have)
        };
        if have != *want {
            return false;
        }
    }
    term.prefix || form.last() == Some(&'.') || rest.next().is_none_or(|c| !c.is_alphanumeric())
}

fn normalise_term(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

/// A prose field, as plain text, in a page section.
/// A text of the standard, borrowed from the model: its plain text is made once, at load.
struct Field<'a> {
    key: String,
    text: &'a str,
}

struct Section<'a> {
    id: Cow<'static, str>,
    title: Cow<'static, str>,
    place: u8,
    fields: Vec<Field<'a>>,
}

struct Checker<'a> {
    slug: Option<&'a str>,
    source: &'a SourceFile,
    options: &'a CheckOptions,
    unexplained: &'a UnexplainedTerms,
    findings: &'a mut Vec<Finding>,
    internal_links: &'a mut Vec<InternalLink>,
}

impl Checker<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &'static str,
        severity: Severity,
        missing: bool,
        message: impl Into<String>,
        key: &str,
        at_key: bool,
        hint: Option<&str>,
    ) {
        let line = if at_key {
            self.source.line_of(key)
        } else {
            None
        };
        self.push_at(
            rule,
            severity,
            missing,
            message.into(),
            key,
            line,
            hint.map(str::to_string),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push_at(
        &mut self,
        rule: &'static str,
        severity: Severity,
        missing: bool,
        message: String,
        key: &str,
        line: Option<usize>,
        hint: Option<String>,
    ) {
        self.findings.push(Finding {
            rule,
            severity,
            missing,
            municipality: self.slug.map(str::to_string),
            message,
            requirement: requirement(rule),
            file: self.source.path.clone(),
            line,
            key: (!key.is_empty()).then(|| key.to_string()),
            hint,
        });
    }

    /// Reports a topic that is absent (`None`) or has no text.
    fn require(&mut self, rule_id: &'static str, key: &str, text: Option<&Markdown>) -> bool {
        let r = rule(rule_id).copied().unwrap_or(other(rule_id, "", ""));
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
                        "Tilføj [{table}] med text = \"\"\" ... \"\"\". Se eksemplet, som kvalitet new laver"
                    )
                };
                self.push(
                    rule_id,
                    Severity::Error,
                    true,
                    format!("Der står ikke noget om {}", r.topic),
                    key,
                    exists,
                    Some(&hint),
                );
                false
            }
            Some(md) if md.text.trim().is_empty() => {
                self.push(
                    rule_id,
                    Severity::Error,
                    true,
                    format!("Teksten om {} er tom", r.topic),
                    key,
                    true,
                    Some("Skriv teksten mellem \"\"\" og \"\"\", eller slet afsnittet, hvis standarden ikke beskriver emnet"),
                );
                false
            }
            Some(_) => true,
        }
    }

    fn municipality(&mut self, lm: &LoadedMunicipality) -> MunicipalitySummary {
        let m = &lm.data;
        self.legal(m);
        self.contact(m);
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
        }
        let lix_total = all.section(
            Cow::Borrowed("hele"),
            Cow::Borrowed("Hele standarden"),
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
        }
    }

    fn legal(&mut self, m: &Municipality) {
        // §3.3: the facts of approval.
        match &m.approval {
            None => self.push(
                "§3.3",
                Severity::Error,
                true,
                "Der står ikke, hvornår og af hvem standarden er godkendt",
                "approval",
                false,
                Some("Tilføj [approval] med approved_by og approved_on. Se eksemplet, som kvalitet new laver"),
            ),
            Some(a) => {
                if a.approved_on.is_none() {
                    self.push(
                        "§3.3",
                        Severity::Error,
                        true,
                        "Der står ikke, hvornår standarden er godkendt",
                        "approval.approved_on",
                        true,
                        Some("Tilføj approved_on = ÅÅÅÅ-MM-DD i [approval]"),
                    );
                }
                if a.approved_by.as_deref().is_none_or(|s| s.trim().is_empty()) {
                    self.push(
                        "§3.3",
                        Severity::Warning,
                        true,
                        "Der står ikke, hvem der har godkendt standarden",
                        "approval.approved_by",
                        true,
                        Some("Tilføj approved_by = \"Byrådet\" (eller hvem der godkendte den) i [approval]"),
                    );
                }
            }
        }

        self.require("§4.1.1", "tasks.text", m.tasks.as_ref().map(|t| &t.text));
        self.require(
            "§4.1.2",
            "target_group.text",
            m.target_group.as_ref().map(|t| &t.text),
        );
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
            m.referral.as_ref().map(|t| &t.text),
        );

        if self.require(
            "§4.1.6",
            "guarantee.text",
            m.guarantee.as_ref().map(|t| &t.text),
        ) && let Some(g) = &m.guarantee
            && g.days > 14
        {
            self.push(
                "§4.1.6",
                Severity::Error,
                false,
                format!(
                    "Behandlingsgarantien er {} dage. Den må højst være 14 dage",
                    g.days
                ),
                "guarantee.days",
                true,
                Some("Skriv days = 14, eller det færre antal dage, I lover"),
            );
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
            m.payment.as_ref().map(|t| &t.text),
        );
        if self.require(
            "§4.1.12",
            "complaints.text",
            m.complaints.as_ref().map(|t| &t.text),
        ) && m.complaints.as_ref().is_some_and(|c| c.routes.is_empty())
        {
            self.push(
                "§4.1.12",
                Severity::Warning,
                false,
                "Der står ikke, hvor borgeren sender en klage, og hvad fristen er",
                "complaints",
                true,
                Some("Tilføj en [[complaints.routes]] for hver slags klage med decision, send_to og deadline_weeks"),
            );
        }
        self.require("§4.1.13", "staff.text", m.staff.as_ref().map(|t| &t.text));
        self.require(
            "§4.1.14",
            "monitoring.text",
            m.monitoring.as_ref().map(|t| &t.text),
        );
        self.require(
            "§4.1.15",
            "gift_cards.text",
            m.gift_cards.as_ref().map(|t| &t.text),
        );

        // §4.2: follow-up after 1 and 6 months.
        if self.require(
            "§4.2",
            "follow_up.text",
            m.follow_up.as_ref().map(|t| &t.text),
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
                self.push(
                    "§4.2",
                    Severity::Error,
                    false,
                    format!(
                        "{given}. Loven kræver opfølgning efter 1 og 6 måneder, men opfølgningen efter {lacking_text} mangler"
                    ),
                    "follow_up.months",
                    true,
                    Some("Skriv months = [1, 6], og ret teksten, så den siger det samme"),
                );
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
        if residential_offered(m) {
            match &m.residential {
                None => self.push(
                    "§5",
                    Severity::Error,
                    true,
                    "Et tilbud er døgnbehandling, men der står ikke noget om kravene til døgnbehandlingssteder",
                    "residential",
                    false,
                    Some("Tilføj [residential] med text og provider_requirements. Se eksemplet, som kvalitet new laver"),
                ),
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
    }

    fn targets(&mut self, m: &Municipality) {
        let Some(monitoring) = &m.monitoring else {
            self.push(
                "§4.3",
                Severity::Error,
                true,
                "Der er ingen måltal",
                "monitoring.targets",
                false,
                Some("Tilføj [monitoring] med [[monitoring.targets]] for kind = \"drug_free\" og kind = \"return_within_12_months\""),
            );
            return;
        };
        let has = |kinds: &[TargetKind]| monitoring.targets.iter().any(|t| kinds.contains(&t.kind));
        if !has(&[TargetKind::DrugFree, TargetKind::Reduced]) {
            self.push(
                "§4.3",
                Severity::Error,
                true,
                "Der er intet måltal for, hvor mange der bliver stoffri eller nedsætter forbruget",
                "monitoring.targets",
                true,
                Some("Tilføj en [[monitoring.targets]] med kind = \"drug_free\" (eller \"reduced\") og percent"),
            );
        }
        if !has(&[TargetKind::ReturnWithin12Months]) {
            self.push(
                "§4.3",
                Severity::Error,
                true,
                "Der er intet måltal for, hvor mange der vender tilbage til behandling inden for 12 måneder",
                "monitoring.targets",
                true,
                Some("Tilføj en [[monitoring.targets]] med kind = \"return_within_12_months\" og percent"),
            );
        }
        for (i, t) in monitoring.targets.iter().enumerate() {
            if !(0.0..=100.0).contains(&t.percent) {
                self.push(
                    "§4.3",
                    Severity::Error,
                    false,
                    format!(
                        "Måltallet {} % er ikke en procentdel. Det skal være mellem 0 og 100",
                        t.percent
                    ),
                    &format!("monitoring.targets[{i}].percent"),
                    true,
                    Some("Skriv procenten som et tal mellem 0 og 100, fx percent = 35"),
                );
            }
        }
    }

    fn revision(&mut self, m: &Municipality) {
        let Some(a) = &m.approval else {
            self.push(
                "§6.1",
                Severity::Error,
                true,
                "Der står ikke, hvornår standarden skal revideres næste gang",
                "approval.next_revision",
                false,
                Some("Tilføj [approval] med next_revision = \"ÅÅÅÅ-MM\""),
            );
            self.push(
                "§6.2",
                Severity::Error,
                true,
                "Der står ikke, hvordan brugerrepræsentanter er med, når standarden revideres",
                "approval.user_representatives",
                false,
                Some("Tilføj user_representatives = \"\"\" ... \"\"\" i [approval]"),
            );
            return;
        };
        match a.next_revision {
            None => self.push(
                "§6.1",
                Severity::Error,
                true,
                "Der står ikke, hvornår standarden skal revideres næste gang",
                "approval.next_revision",
                true,
                Some("Tilføj next_revision = \"ÅÅÅÅ-MM\" i [approval], højst to år efter approved_on"),
            ),
            Some(next) => {
                if let Some(approved) = a.approved_on {
                    // Benefit of the doubt for dates known to the month: the earliest day the
                    // revision can mean against the latest day the approval can mean.
                    let (y, mo, d) = approved.last_day();
                    let limit = (
                        y + 2,
                        mo,
                        d.min(crate::model::days_in_month(y + 2, u32::from(mo)) as u8),
                    );
                    if next.first_day() > limit {
                        self.push(
                            "§6.1",
                            Severity::Error,
                            false,
                            format!(
                                "Næste revision er {}. Det er mere end to år efter godkendelsen {}",
                                next.danish(),
                                approved.danish()
                            ),
                            "approval.next_revision",
                            true,
                            Some("Standarden skal revideres mindst hvert andet år. Ret next_revision"),
                        );
                    }
                }
                if next.last_day() < self.options.reference_date.first_day() {
                    self.push(
                        "§6.1",
                        Severity::Error,
                        false,
                        format!(
                            "Standarden skulle være revideret senest {}. Den dato er passeret ({})",
                            next.danish(),
                            self.options.reference_date.danish()
                        ),
                        "approval.next_revision",
                        true,
                        Some("Få standarden revideret og godkendt igen, og skriv de nye datoer i [approval]"),
                    );
                }
            }
        }
        self.require(
            "§6.2",
            "approval.user_representatives",
            a.user_representatives.as_ref(),
        );
    }

    /// Phone numbers, e-mail addresses and web addresses in the structured facts.
    fn contact(&mut self, m: &Municipality) {
        if let Some(url) = &m.website {
            self.url("KONTAKT", "website", url);
        }
        for (i, u) in m.units.iter().enumerate() {
            if let Some(p) = &u.phone {
                self.phone(&format!("units[{i}].phone"), p);
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
        for (i, l) in m.law.iter().enumerate() {
            if let Some(url) = &l.url {
                self.url("LINK", &format!("law[{i}].url"), url);
            }
        }
        if !m.units.iter().any(|u| u.phone.is_some()) {
            let at_units = !m.units.is_empty();
            self.push(
                "KONTAKT",
                Severity::Warning,
                true,
                "Der er intet telefonnummer til behandlingsstedet. Borgeren skal kunne ringe med det samme",
                "units",
                at_units,
                Some("Skriv phone = \"12 34 56 78\" under [[units]]"),
            );
        }
    }

    fn phone(&mut self, key: &str, phone: &Phone) {
        if !phone.is_valid() {
            self.push(
                "KONTAKT",
                Severity::Error,
                false,
                format!("«{}» er ikke et dansk telefonnummer", phone.0),
                key,
                true,
                Some("Skriv otte cifre, fx \"96 11 40 50\""),
            );
        }
    }

    fn email(&mut self, key: &str, email: &str) {
        if let Some(problem) = email_problem(email) {
            self.push(
                "KONTAKT",
                Severity::Error,
                false,
                format!("«{email}» er ikke en gyldig e-mailadresse: {problem}"),
                key,
                true,
                Some("Skriv adressen som navn@domæne.dk"),
            );
        }
    }

    fn url(&mut self, rule: &'static str, key: &str, url: &str) {
        if let Some(problem) = url_problem(url) {
            self.push(
                rule,
                Severity::Error,
                false,
                format!("«{url}» er ikke en gyldig webadresse: {problem}"),
                key,
                true,
                Some("Skriv hele adressen, fx \"https://www.kommune.dk/rusmiddel\""),
            );
        }
    }

    /// LIX, long sentences and unexplained words in one prose field. Returns the analysis,
    /// so that sections add up their fields' counts without reading the text again.
    fn language<'t>(&mut self, key: &str, text: &'t str) -> Analysis<'t> {
        let analysis = lix::analyse(text);
        if let Some(l) = analysis.lix
            && l.words >= MIN_WORDS_FOR_LIX_WARNING
            && l.rounded() > self.options.lix_warning
        {
            // The three longest words (a stable sort: equally long ones in the order they
            // appear), each named once even where it appears apart from itself.
            let mut words: Vec<&str> = analysis.very_long_words.clone();
            words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            let mut long: Vec<&str> = Vec::with_capacity(3);
            for w in words {
                if long.len() == 3 {
                    break;
                }
                if !long.contains(&w) {
                    long.push(w);
                }
            }
            let mut hint = format!(
                "Sætningerne har i gennemsnit {:.0} ord, og {:.0} % af ordene er lange (over seks bogstaver). Skriv kortere sætninger og brug kortere ord",
                l.words as f64 / l.sentences as f64,
                100.0 * l.long_words as f64 / l.words as f64
            );
            if !long.is_empty() {
                hint.push_str(&format!(", fx i stedet for «{}»", long.join("», «")));
            }
            let first_words: Vec<&str> = text.split_whitespace().take(5).collect();
            let line = self.line_of_words(key, &first_words);
            self.push_at(
                "LIX",
                Severity::Warning,
                false,
                format!(
                    "Teksten har LIX {:.0} ({}). Målet er højst {:.0}",
                    l.rounded(),
                    l.band().danish(),
                    self.options.lix_warning
                ),
                key,
                line,
                Some(hint),
            );
        }
        for s in analysis.long_sentences() {
            let words: Vec<&str> = s.text.split_whitespace().collect();
            let quote = if words.len() > 12 {
                format!("{} …", words[..12].join(" "))
            } else {
                s.text.clone()
            };
            let line = self.line_of_words(key, &words);
            self.push_at(
                "SÆTNING",
                Severity::Info,
                false,
                format!("Sætningen har {} ord: «{quote}»", s.words),
                key,
                line,
                Some("Del den op i kortere sætninger med højst 25 ord".to_string()),
            );
        }
        for (term, at) in self.unexplained.find_in(text) {
            let found = text.get(at..).unwrap_or("");
            let shown: String = found
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '§' | ' '))
                .collect::<String>();
            let shown = shown.trim();
            let shown = if term.prefix {
                shown.split(' ').next().unwrap_or(shown)
            } else {
                term.name
            };
            let line = self.line_of_words(key, &[shown]);
            self.push_at(
                "ORD",
                Severity::Warning,
                false,
                format!("«{shown}» står i teksten, men ordlisten forklarer det ikke"),
                key,
                line,
                Some(format!(
                    "Tilføj «{}» til [[glossary]] i site.toml, eller skriv det med almindelige ord",
                    term.name
                )),
            );
        }
        analysis
    }

    /// Links in a Markdown field: external addresses well-formed, internal ones recorded.
    fn links(&mut self, key: &str, md: &Markdown) {
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
                self.push_at(
                    "LINK",
                    Severity::Warning,
                    false,
                    format!("Linket «{dest}» virker ikke: {problem}"),
                    key,
                    line,
                    Some(
                        "Ret adressen i parentesen efter linkteksten: [tekst](https://...)"
                            .to_string(),
                    ),
                );
            }
        }
    }

    /// A link that [`crate::url::refused_scheme`] refuses: the page shows its text, not a link.
    fn refused_link(&mut self, key: &str, line: Option<usize>, dest: &str, scheme: &str) {
        let dest = dest.trim();
        self.push_at(
            "LINK",
            Severity::Error,
            false,
            format!(
                "Linket «{dest}» bliver ikke vist: links af typen «{scheme}:» kan skade borgeren. Siden viser kun linkteksten"
            ),
            key,
            line,
            Some("Skriv en webadresse, der starter med https://, eller et link med mailto: eller tel:".to_string()),
        );
    }

    /// The line where a text first appears at or after `from` (a key's start, then the end of
    /// the text found before), moving `from` past it: texts looked for in the order they come
    /// are each found on their own line. The key's own line when the text is not there as
    /// written (a character reference, a tab written as `\t`).
    fn line_of_text(&self, key: &str, needle: &str, from: &mut Option<usize>) -> Option<usize> {
        let found = from.and_then(|start| {
            let at = start + self.source.text.get(start..)?.find(needle)?;
            *from = Some(at + needle.len());
            Some(self.source.line_at(at))
        });
        found.or_else(|| self.source.line_of(key))
    }

    /// The line where a run of words starts at or after a key, skipping Markdown marks
    /// between them; the key's own line otherwise.
    fn line_of_words(&self, key: &str, words: &[&str]) -> Option<usize> {
        let cores: Vec<&str> = words
            .iter()
            .take(5)
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|w| !w.is_empty())
            .collect();
        let found = self.source.key_span(key).and_then(|span| {
            let rest = self.source.text.get(span.start..)?;
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

fn residential_offered(m: &Municipality) -> bool {
    m.residential.is_some() || m.offers.iter().any(|o| o.kind == OfferKind::Residential)
}

/// "1", "1 og 3", "1, 3 og 12".
fn danish_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} og {last}", rest.join(", ")),
    }
}

/// What a section's LIX is computed from; counts add up across texts.
#[derive(Debug, Default, Clone, Copy)]
struct LixCounts {
    words: usize,
    sentences: usize,
    long_words: usize,
    long_sentences: usize,
}

impl LixCounts {
    fn add(&mut self, a: &Analysis) {
        if let Some(l) = a.lix {
            self.words += l.words;
            self.long_words += l.long_words;
        }
        self.sentences += a.sentences;
        self.long_sentences += a.long.len();
    }

    fn merge(&mut self, other: &LixCounts) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.long_words += other.long_words;
        self.long_sentences += other.long_sentences;
    }

    fn section(
        &self,
        id: Cow<'static, str>,
        title: Cow<'static, str>,
        place: u8,
        limit: f64,
    ) -> SectionLix {
        let LixCounts {
            words,
            sentences,
            long_words,
            long_sentences,
        } = *self;
        let value = lix::value(words, sentences, long_words);
        SectionLix {
            section: id,
            title,
            place,
            lix: value.map(|v| (v * 10.0).round() / 10.0),
            band: value.map(|v| lix::band(v).danish()),
            words,
            sentences: if words > 0 { sentences.max(1) } else { 0 },
            long_words,
            long_sentences,
            above_limit: value.is_some_and(|v| v.round() > limit),
        }
    }
}

/// The LIX of all of a municipality's offers together, from their counts; `None` if it has
/// none with words.
fn merge_offers_lix(offers: &[&SectionLix], limit: f64) -> Option<SectionLix> {
    let place = offers.first()?.place;
    let mut counts = LixCounts::default();
    for p in offers {
        counts.merge(&LixCounts {
            words: p.words,
            sentences: p.sentences,
            long_words: p.long_words,
            long_sentences: p.long_sentences,
        });
    }
    Some(counts.section(
        Cow::Borrowed("tilbud"),
        Cow::Borrowed("Tilbud"),
        place,
        limit,
    ))
}

/// Why an internal link (a path or an anchor) is malformed, if it is.
///
/// Only the form is checked here: the page list belongs to a later stage, which resolves the
/// links recorded in [`Report::internal_links`] with [`Report::resolve_internal_links`].
fn internal_problem(target: &str) -> Option<String> {
    if target.is_empty() {
        return Some("adressen er tom".to_string());
    }
    if target.chars().any(char::is_whitespace) {
        return Some("adressen indeholder mellemrum".to_string());
    }
    if target.contains('\\') {
        return Some("brug / og ikke \\ i adresser".to_string());
    }
    let first = target.split(['/', '#', '?']).next().unwrap_or("");
    let looks_like_domain = first.starts_with("www.")
        || [".dk", ".com", ".org", ".net", ".eu"]
            .iter()
            .any(|tld| first.to_ascii_lowercase().ends_with(tld));
    if looks_like_domain {
        return Some(format!(
            "der mangler https:// foran, skriv https://{target}"
        ));
    }
    if let Some((_, anchor)) = target.split_once('#') {
        if anchor.is_empty() {
            return Some("der står intet efter #".to_string());
        }
        if !anchor
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Some(format!(
                "ankeret «{anchor}» må kun have bogstaver, tal og bindestreger"
            ));
        }
    }
    None
}

/// Why a web address is malformed, if it is. Only the form is checked: no network access.
pub fn url_problem(url: &str) -> Option<String> {
    if url.chars().any(char::is_whitespace) {
        return Some("den indeholder mellemrum".to_string());
    }
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Some("den skal begynde med https://".to_string());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Some("der må ikke stå @ i domænet".to_string());
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) => {
            if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) {
                return Some(format!("porten «{port}» er ikke et tal"));
            }
            host
        }
        None => authority,
    };
    if let Some(p) = domain_problem(host, host == "localhost") {
        return Some(p);
    }
    if let Some(c) = tail
        .chars()
        .find(|c| matches!(c, '<' | '>' | '"' | '\\' | '{' | '}' | '|' | '^' | '`'))
    {
        return Some(format!("tegnet «{c}» må ikke stå i en webadresse"));
    }
    None
}

/// Why a domain name is malformed, if it is.
fn domain_problem(host: &str, single_label_ok: bool) -> Option<String> {
    if host.is_empty() {
        return Some("der mangler et domæne".to_string());
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 && !single_label_ok {
        return Some(format!("domænet «{host}» mangler en endelse som .dk"));
    }
    for label in &labels {
        if label.is_empty() {
            return Some(format!("domænet «{host}» har to punktummer i træk"));
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-')
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Some(format!("domænet «{host}» har ugyldige tegn"));
        }
    }
    let tld = labels.last().copied().unwrap_or("");
    if labels.len() >= 2 && (tld.chars().count() < 2 || !tld.chars().all(char::is_alphabetic)) {
        return Some(format!("endelsen «.{tld}» findes ikke"));
    }
    None
}

/// Why an e-mail address is malformed, if it is.
pub fn email_problem(email: &str) -> Option<String> {
    if email.chars().any(char::is_whitespace) {
        return Some("den indeholder mellemrum".to_string());
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Some("der mangler @".to_string());
    };
    if domain.contains('@') {
        return Some("der står mere end ét @".to_string());
    }
    if local.is_empty() {
        return Some("der mangler et navn før @".to_string());
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("punktummerne før @ står forkert".to_string());
    }
    if let Some(c) = local
        .chars()
        .find(|c| !(c.is_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(*c)))
    {
        return Some(format!("tegnet «{c}» må ikke stå i en e-mailadresse"));
    }
    domain_problem(domain, false)
}

/// The page sections of a standard with their prose, as plain text. Law quotes are left out:
/// their wording is the law's, not the editor's.
fn sections<'m>(m: &'m Municipality) -> Vec<Section<'m>> {
    let mut list = SectionList::default();
    fn md<'a>(key: &str, m: Option<&'a Markdown>) -> Vec<(String, &'a str)> {
        m.map(|m| vec![(key.to_string(), m.text.as_str())])
            .unwrap_or_default()
    }
    fn plain<'a>(key: &str, items: &'a [String]) -> Vec<(String, &'a str)> {
        items
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("{key}[{i}]"), s.as_str()))
            .collect()
    }

    list.fixed("forside", "Forside", md("summary", m.summary.as_ref()));
    list.fixed(
        "laesevejledning",
        "Hvordan læser jeg denne kvalitetsstandard?",
        md("reading_intro", m.reading_intro.as_ref()),
    );
    list.fixed("formaal", "Formål", md("purpose", m.purpose.as_ref()));
    fn topic<'a>(t: &'a Option<crate::model::Topic>, key: &str) -> Vec<(String, &'a str)> {
        md(key, t.as_ref().map(|t| &t.text))
    }
    list.fixed("opgaver", "Opgaver", topic(&m.tasks, "tasks.text"));
    list.fixed(
        "maalgruppe",
        "Hvem kan få hjælp?",
        md(
            "target_group.text",
            m.target_group.as_ref().map(|t| &t.text),
        ),
    );
    list.fixed("maal", "Mål og værdier", topic(&m.goals, "goals.text"));
    list.fixed(
        "organisering",
        "Organisering",
        topic(&m.structure, "structure.text"),
    );
    // A section the municipality left out still takes its place, so each call below is one.
    let mut fields = Vec::new();
    if let Some(r) = &m.referral {
        fields = md("referral.text", Some(&r.text));
        fields.extend(plain("referral.steps", &r.steps));
    }
    list.fixed("kom-i-gang", "Sådan kommer du i gang", fields);
    list.fixed(
        "garanti",
        "Behandlingsgaranti",
        md("guarantee.text", m.guarantee.as_ref().map(|t| &t.text)),
    );
    list.fixed(
        "frit-valg",
        "Frit valg",
        topic(&m.free_choice, "free_choice.text"),
    );
    list.fixed(
        "behandlingsplan",
        "Din behandlingsplan",
        topic(&m.treatment_plan, "treatment_plan.text"),
    );
    list.fixed(
        "handleplaner",
        "Handleplaner",
        topic(&m.action_plans, "action_plans.text"),
    );
    list.fixed(
        "brugerinddragelse",
        "Brugerinddragelse",
        topic(&m.user_involvement, "user_involvement.text"),
    );
    list.fixed(
        "betaling",
        "Hvad koster det?",
        md("payment.text", m.payment.as_ref().map(|t| &t.text)),
    );
    let mut fields = Vec::new();
    if let Some(c) = &m.complaints {
        fields = md("complaints.text", Some(&c.text));
        for (i, r) in c.routes.iter().enumerate() {
            fields.extend(md(&format!("complaints.routes[{i}].text"), r.text.as_ref()));
        }
    }
    list.fixed("klager", "Sådan klager du", fields);
    list.fixed("personale", "Personalet", topic(&m.staff, "staff.text"));
    let mut fields = Vec::new();
    if let Some(mo) = &m.monitoring {
        fields = md("monitoring.text", Some(&mo.text));
        for (i, t) in mo.targets.iter().enumerate() {
            fields.push((format!("monitoring.targets[{i}].text"), t.text.as_str()));
        }
    }
    list.fixed("maaltal", "Måltal og monitorering", fields);
    list.fixed(
        "gavekort",
        "Gavekort",
        md("gift_cards.text", m.gift_cards.as_ref().map(|t| &t.text)),
    );
    list.fixed(
        "opfoelgning",
        "Opfølgning efter behandlingen",
        md("follow_up.text", m.follow_up.as_ref().map(|t| &t.text)),
    );
    list.fixed(
        "boern",
        "Børn i hjemmet",
        topic(&m.children, "children.text"),
    );
    list.fixed(
        "fremtiden",
        "Den fremtidige indsats",
        topic(&m.future, "future.text"),
    );
    let mut fields = Vec::new();
    if let Some(r) = &m.residential {
        fields = md("residential.text", Some(&r.text));
        fields.extend(plain("residential.criteria", &r.criteria));
        fields.extend(md(
            "residential.provider_requirements",
            r.provider_requirements.as_ref(),
        ));
    }
    list.fixed("doegnbehandling", "Døgnbehandling", fields);
    list.fixed(
        "anonymitet",
        "Anonymitet og tavshedspligt",
        topic(&m.anonymity, "anonymity.text"),
    );
    list.fixed(
        "paaroerende",
        "Pårørende",
        topic(&m.relatives, "relatives.text"),
    );
    list.offers(m.offers.iter().enumerate().map(|(i, o)| {
        let mut fields = md(&format!("offers[{i}].for_whom"), o.for_whom.as_ref());
        fields.extend(md(
            &format!("offers[{i}].description"),
            Some(&o.description),
        ));
        (format!("{OFFER_SECTION}{}", o.id), o.title.clone(), fields)
    }));
    let mut contact = Vec::new();
    for (i, u) in m.units.iter().enumerate() {
        contact.extend(md(
            &format!("units[{i}].description"),
            u.description.as_ref(),
        ));
    }
    list.fixed("kontakt", "Kontakt", contact);
    let mut other = Vec::new();
    for (i, h) in m.other_help.iter().enumerate() {
        other.extend(md(
            &format!("other_help[{i}].description"),
            Some(&h.description),
        ));
    }
    list.fixed("anden-hjaelp", "Anden hjælp", other);
    let mut fields = Vec::new();
    if let Some(a) = &m.approval {
        fields = md("approval.revision_text", a.revision_text.as_ref());
        fields.extend(md(
            "approval.user_representatives",
            a.user_representatives.as_ref(),
        ));
    }
    list.fixed("om-standarden", "Om standarden", fields);
    list.sections
}

/// The sections of one standard as [`sections`] lists them, each with its place.
///
/// Every municipality's sections take their places in the same order, that of the standard's
/// pages, whether or not it wrote them, so a section's place says which row of the report's
/// LIX table it belongs in: a national report has tens of thousands of sections, and finding
/// their rows by name read every name back from main memory.
#[derive(Default)]
struct SectionList<'m> {
    sections: Vec<Section<'m>>,
    places: u8,
}

impl<'m> SectionList<'m> {
    /// A section every standard may have, in the next place.
    fn fixed(&mut self, id: &'static str, title: &'static str, fields: Vec<(String, &'m str)>) {
        let place = self.next_place();
        self.push(Cow::Borrowed(id), Cow::Borrowed(title), place, fields);
    }

    /// The offers, all in the next place: they share one row of the LIX table.
    fn offers(&mut self, offers: impl Iterator<Item = (String, String, Vec<(String, &'m str)>)>) {
        let place = self.next_place();
        for (id, title, fields) in offers {
            self.push(Cow::Owned(id), Cow::Owned(title), place, fields);
        }
    }

    fn next_place(&mut self) -> u8 {
        let place = self.places;
        self.places += 1;
        place
    }

    /// Adds the section if any of its texts has something in it.
    fn push(
        &mut self,
        id: Cow<'static, str>,
        title: Cow<'static, str>,
        place: u8,
        fields: Vec<(String, &'m str)>,
    ) {
        let fields: Vec<Field> = fields
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(key, text)| Field { key, text })
            .collect();
        if !fields.is_empty() {
            self.sections.push(Section {
                id,
                title,
                place,
                fields,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days_since_1970() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_089), (2025, 1, 1));
    }

    #[test]
    fn urls_must_be_complete_web_addresses() {
        assert_eq!(url_problem("https://www.fredericia.dk/rusmiddel"), None);
        assert_eq!(url_problem("http://localhost:1111/x?y=1#z"), None);
        assert_eq!(url_problem("https://æblerød.dk"), None);
        assert!(url_problem("www.fredericia.dk").is_some());
        assert!(url_problem("https://fredericia").is_some());
        assert!(url_problem("https://freder icia.dk").is_some());
        assert!(url_problem("https://fredericia..dk").is_some());
        assert!(url_problem("https://").is_some());
        assert!(url_problem("https://x.dk:abc/").is_some());
    }

    #[test]
    fn email_addresses_need_a_name_and_a_domain() {
        assert_eq!(email_problem("rusmiddel@fredericia.dk"), None);
        assert_eq!(email_problem("anne.hansen+raad@kommune.dk"), None);
        assert!(email_problem("rusmiddel.fredericia.dk").is_some());
        assert!(email_problem("@fredericia.dk").is_some());
        assert!(email_problem("a@b@c.dk").is_some());
        assert!(email_problem("rusmiddel@fredericia").is_some());
        assert!(email_problem("rus middel@fredericia.dk").is_some());
    }

    #[test]
    fn internal_links_must_be_well_formed() {
        assert_eq!(internal_problem("/fredericia/klager/"), None);
        assert_eq!(internal_problem("#ordliste"), None);
        assert_eq!(internal_problem("klager#frister"), None);
        assert!(internal_problem("#").is_some());
        assert!(internal_problem("www.ast.dk").is_some());
        assert!(internal_problem("sådan klager du").is_some());
    }

    #[test]
    fn prose_text_separates_blocks() {
        let text =
            Markdown::new("# Sådan kommer du i gang\n\n- Ring til os\n- Kom **forbi**\n").text;
        let a = lix::analyse(&text);
        assert_eq!(a.sentences, 3, "{text:?}");
        assert!(text.contains("Kom forbi"), "{text:?}");
    }

    #[test]
    fn hard_terms_are_whole_words() {
        let site: crate::model::Site = toml::from_str("title = \"Test\"").unwrap();
        let unexplained = UnexplainedTerms::new(&site);
        let names = |text: &str| -> Vec<(&str, usize)> {
            unexplained
                .find_in(text)
                .into_iter()
                .map(|(t, at)| (t.name, at))
                .collect()
        };
        assert!(names("jf. SEL § 101").contains(&("SEL", 4)));
        assert!(!names("Selv om du").iter().any(|(n, _)| *n == "SEL"));
        assert!(!names("sel om du").iter().any(|(n, _)| *n == "SEL"));
        assert_eq!(names("Du bliver Visiteret hurtigt"), [("visitation", 10)]);
        assert!(names("revisitation").is_empty());
        // Positions are bytes of the text as written, after letters of two bytes.
        assert_eq!(names("Æblet: afgørelsen"), [("afgørelse", 8)]);
        assert_eq!(names("se § 101a"), [("§ 101 a", 3)]);
        // A letter of two bytes is part of the word: no term starts inside "øjf.".
        assert!(names("øjf. ærSEL").is_empty());
        // The Kelvin sign lower-cases to k.
        assert_eq!(names("Se st\u{212a}. 2"), [("stk.", 3)]);
        assert_eq!(names("ø jf. Æ SEL"), [("jf.", 3), ("SEL", 10)]);
    }

    /// The search as it was before the byte table: every character decoded, every
    /// candidate compared in full.
    fn find_in_reference(u: &UnexplainedTerms, text: &str) -> Vec<(&'static HardTerm, usize)> {
        let mut first_at: Vec<Option<usize>> = vec![None; u.forms];
        let mut prev_alphanumeric = false;
        for (at, c) in text.char_indices() {
            if !prev_alphanumeric {
                let lower = lower_char(c);
                for (key, case_sensitive) in [(lower, false), (c, true)] {
                    for form in u.by_first.get(key as usize).into_iter().flatten() {
                        if (lower != c && form.term.case_sensitive != case_sensitive)
                            || first_at[form.number].is_some()
                        {
                            continue;
                        }
                        if form_at(text, at, &form.chars, form.term) {
                            first_at[form.number] = Some(at);
                        }
                    }
                    if lower == c {
                        break;
                    }
                }
            }
            prev_alphanumeric = c.is_alphanumeric();
        }
        u.terms
            .iter()
            .filter_map(|(term, numbers)| {
                numbers
                    .iter()
                    .find_map(|&n| first_at[n])
                    .map(|at| (*term, at))
            })
            .collect()
    }

    #[test]
    fn the_byte_table_search_agrees_with_the_character_search() {
        let site: crate::model::Site = toml::from_str(
            "title = \"Test\"\n[[glossary]]\nterm = \"Måltal\"\nexplanation = \"x\"",
        )
        .unwrap();
        let unexplained = UnexplainedTerms::new(&site);
        const WORDS: &[&str] = &[
            "jf.",
            "Jf.",
            "JF.",
            "jfr.",
            "jvf.",
            "stk.",
            "Stk",
            "SEL",
            "Sel",
            "sel",
            "SELV",
            "SUL",
            "SUL.",
            "sul",
            "visitation",
            "Visiteret",
            "VISITERING",
            "revisitation",
            "afgørelse",
            "AFGØRELSEN",
            "Afgørelserne",
            "behandlingsplanen",
            "handleplan",
            "ambulant",
            "døgnbehandling",
            "Døgnbehandlingen",
            "substitutionsbehandling",
            "underretningspligt",
            "§",
            "§101a",
            "101",
            "a",
            "101a",
            "ankestyrelsen",
            "Tilbudsportalen",
            "måltal",
            "færdigbehandlet",
            "FÆRDIGBEHANDLET",
            "st\u{212a}.",
            "sT\u{212a}.",
            "sTK.",
            "jF.",
            "st",
            "Visit",
            "\u{212a}",
            "ø",
            "æ",
            "Å",
            "søg",
            "jævnligt",
            "sådan",
            "stå",
            "ś",
            "x²",
            "½",
            "-",
            "(",
            "«",
            "»",
            "\"",
            ".",
            ",",
            "det",
            "og",
            "til",
            "du",
            "1.",
            "hjælp",
        ];
        const GAPS: &[&str] = &[
            " ", " ", " ", "", "\n", "\n\n", "-", "/", "\u{a0}", "«", "2",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..below(60) {
                text.push_str(WORDS[below(WORDS.len())]);
                text.push_str(GAPS[below(GAPS.len())]);
            }
            let found: Vec<_> = unexplained
                .find_in(&text)
                .into_iter()
                .map(|(t, at)| (t.name, at))
                .collect();
            let expected: Vec<_> = find_in_reference(&unexplained, &text)
                .into_iter()
                .map(|(t, at)| (t.name, at))
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }
}
