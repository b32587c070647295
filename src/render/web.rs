//! What search engines, web servers and link previews read: `sitemap.xml`, `robots.txt`, and
//! each page's description for `<meta name="description">` and Open Graph.
//!
//! A description is taken from the page's own content (the municipality's summary, the first
//! sentences of the topic's text) or is a plain sentence about what the page is. It is made of
//! whole sentences only, so it never says less carefully than the content does: a sentence cut
//! short could drop the "if" that the content puts on a promise.

use crate::load::LoadedMunicipality;
use crate::model::{Municipality, Site};
use crate::site::{self, Job, SECTIONS};
use crate::url::BaseUrl;

/// A description aims at this many characters (search engines show about 155).
const AIM: usize = 160;
/// A first sentence longer than this is not used: the page gets its plain sentence instead.
const LONGEST: usize = 300;
/// A description says at least this much, or the page gets its plain sentence.
const SHORTEST: usize = 40;

/// `sitemap.xml`: the site-wide pages (the front page, the glossary, any page a later job kind
/// adds) and every municipality's pages as [`site::municipality_jobs`] lists them, each with
/// the day its standard was approved when the content says it. Earlier approved versions,
/// `tjek/`, the `was/` redirect and files that are no page are left out: a citizen who searches
/// should land on the standard that applies now.
pub(super) fn sitemap(
    base: &BaseUrl,
    site: &Site,
    municipalities: &[LoadedMunicipality],
    comparison: bool,
) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for job in site::site_wide_jobs(site, false) {
        let path = job.path_in(None);
        if job != Job::Was && path.ends_with("index.html") {
            url_entry(&mut out, &base.absolute(&path), None);
        }
    }
    // The comparison of the municipalities, which the theme may leave out.
    if comparison {
        url_entry(&mut out, &base.absolute(crate::paths::COMPARE_PATH), None);
    }
    for (m, lm) in municipalities.iter().enumerate() {
        let lastmod = lm
            .data
            .approval
            .as_ref()
            .and_then(|a| a.approved_on.as_ref())
            .filter(|d| d.day.is_some())
            .map(|d| d.iso());
        for job in site::municipality_jobs(m, &lm.data) {
            let path = job.path_in(Some(lm));
            // The finder's answer pages are `noindex`: only its first page is listed.
            if path.ends_with("index.html") && !finder_answer_page(job) {
                url_entry(&mut out, &base.absolute(&path), lastmod.as_deref());
            }
        }
    }
    out.push_str("</urlset>\n");
    out
}

/// Whether `job` is a page of the finder after its first question: search engines are told
/// not to show those (`noindex`), so the sitemap does not list them either.
pub(super) fn finder_answer_page(job: Job) -> bool {
    matches!(job, Job::Finder { answers, .. } if answers != site::finder::Answers::default())
}

fn url_entry(out: &mut String, loc: &str, lastmod: Option<&str>) {
    out.push_str("  <url><loc>");
    out.push_str(&crate::page::escape_markup(loc));
    out.push_str("</loc>");
    if let Some(day) = lastmod {
        out.push_str("<lastmod>");
        out.push_str(&crate::page::escape_markup(day));
        out.push_str("</lastmod>");
    }
    out.push_str("</url>\n");
}

/// `robots.txt`: every page may be read, and the sitemap is named; a draft build turns every
/// search engine away and has no sitemap. Search engines read it only at the root of a host,
/// so on a site in a subfolder (`https://x.github.io/rus/`) it is there but not read.
pub(super) fn robots(base: &BaseUrl, draft: bool) -> String {
    if draft {
        "# Udkast: søgemaskiner skal ikke vise disse sider.\nUser-agent: *\nDisallow: /\n"
            .to_string()
    } else {
        format!(
            "User-agent: *\nDisallow:\n\nSitemap: {}sitemap.xml\n",
            base.root()
        )
    }
}

/// The description a prose field gives: whole sentences from its first paragraph that ends a
/// sentence (see [`first_sentences`]). Only paragraphs of the text itself count, never a list
/// item, which says little alone ("at tilbyde borgerne et gratis tilbud." under "Vi vil have
/// fokus på:"), nor a heading, nor a paragraph that leads into a list ("Du kan få:").
pub(crate) fn describe(md: &crate::model::Markdown) -> Option<String> {
    first_top_paragraph(&md.html).and_then(|p| first_sentences(&p))
}

/// The text of the first `<p>` of `html` that is not inside a list, quote or table and that
/// ends a sentence (`.`, `?` or `!`): tags left out, HTML's escapes undone (Tera escapes the
/// description again).
fn first_top_paragraph(html: &str) -> Option<String> {
    let mut nested = 0usize;
    let mut paragraph: Option<String> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if let Some(p) = paragraph.as_mut() {
            p.push_str(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>').map(|g| lt + g) else {
            break;
        };
        let tag = &rest[lt + 1..gt];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        match (name, closing) {
            ("ul" | "ol" | "blockquote" | "table", false) => nested += 1,
            ("ul" | "ol" | "blockquote" | "table", true) => nested = nested.saturating_sub(1),
            ("p", false) if nested == 0 => paragraph = Some(String::new()),
            ("p", true) => {
                // An escape ends in `;` and undoes to none of `.?!`, so the paragraph's last
                // character tells before its escapes are undone.
                if let Some(p) = paragraph.take()
                    && p.trim_end().ends_with(['.', '?', '!'])
                {
                    return Some(unescape(&p));
                }
            }
            _ => {}
        }
        rest = &rest[gt + 1..];
    }
    None
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Up to [`AIM`] characters of whole sentences from the start of `text`, one paragraph of
/// plain text, whitespace folded. `None` when its first sentences make no text of [`SHORTEST`]
/// to [`LONGEST`] characters.
pub(crate) fn first_sentences(text: &str) -> Option<String> {
    // Folded only as far as a sentence could end in a description and the next begin: a
    // sentence ending later is never taken, and a long paragraph need not be read to its end.
    let mut folded = String::with_capacity(LONGEST + 64);
    let mut chars = 0;
    for word in text.split_whitespace() {
        if chars > LONGEST + 2 {
            break;
        }
        if !folded.is_empty() {
            folded.push(' ');
            chars += 1;
        }
        folded.push_str(word);
        chars += word.chars().count();
    }
    sentences_from_folded(&folded)
}

/// [`first_sentences`] of text whose whitespace is folded already.
fn sentences_from_folded(folded: &str) -> Option<String> {
    let mut out = String::new();
    let mut count = 0;
    for sentence in sentences(folded) {
        let gap = usize::from(count > 0);
        let after = count + gap + sentence.chars().count();
        // Below the shortest useful text ("Behandlingsudvikling."), the next sentence is taken
        // even past the aim.
        if after > if count < SHORTEST { LONGEST } else { AIM } {
            break;
        }
        if gap == 1 {
            out.push(' ');
        }
        out.push_str(sentence);
        count = after;
        if count >= AIM {
            break;
        }
    }
    (count >= SHORTEST).then_some(out)
}

/// Words that end in a full stop without ending a sentence (lower-cased, without the stop).
const ABBREVIATIONS: &[&str] = &[
    "jf", "jvf", "stk", "nr", "fx", "ca", "kl", "tlf", "mv", "evt", "inkl", "ekskl", "pga", "vedr",
    "bek", "pkt", "dvs", "mht", "osv", "etc", "ifm", "iht", "hhv", "s", "f", "bl",
];

/// The sentences of folded text: each ends at `.`, `?` or `!` followed by a space and a capital
/// letter, or at the end. A full stop after an abbreviation ("jf.", "stk.", "bl.a.", "f.eks.")
/// or a number ("1.") does not end one.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let mut end = rest.len();
        for (i, &b) in bytes.iter().enumerate() {
            if matches!(b, b'.' | b'?' | b'!')
                && bytes.get(i + 1) == Some(&b' ')
                && rest[i + 2..].chars().next().is_some_and(char::is_uppercase)
                && (b != b'.' || !abbreviation(&rest[..i]))
            {
                end = i + 1;
                break;
            }
        }
        let sentence = &rest[..end];
        rest = rest[end..].trim_start();
        Some(sentence)
    })
}

/// Whether the word that ends `before` (just before a full stop) is an abbreviation or number.
fn abbreviation(before: &str) -> bool {
    let word = before.rsplit(' ').next().unwrap_or(before);
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    word.contains('.')
        || word.chars().all(|c| c.is_ascii_digit())
        || ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// The description of a site-wide page.
pub(super) fn site_description(job: Job, site: &Site) -> String {
    match job {
        Job::Root => site.intro.as_ref().and_then(describe).unwrap_or_else(|| {
            "Vælg din kommune, og læs kommunens kvalitetsstandard om hjælp til rusmidler."
                .to_string()
        }),
        Job::Glossary if !site.glossary.is_empty() => {
            "Ord fra kvalitetsstandarderne forklaret med almindelige ord.".to_string()
        }
        Job::Glossary => "Ordliste til kvalitetsstandarderne.".to_string(),
        Job::Was => format!("Link til tilgængelighedserklæringen for {}.", site.title),
        Job::NotFound => "Siden findes ikke. Find din kommune på forsiden.".to_string(),
        Job::HideVisit => {
            "Sådan kan du skjule, at du har besøgt siden: privat browsing og sletning af historik."
                .to_string()
        }
        _ => site.title.clone(),
    }
}

/// The description of one of municipality `m`'s pages (a job of [`site::jobs`] that has a
/// municipality).
/// `sections` gives the descriptions of the section pages (see [`section_descriptions`]).
pub(super) fn municipality_description<'d>(
    job: Job,
    m: &Municipality,
    sections: impl FnOnce() -> &'d [Option<String>],
) -> String {
    let own = |text: Option<&crate::model::Markdown>| text.and_then(describe);
    let about = || {
        format!(
            "{} – {}{}",
            m.title.as_deref().unwrap_or("Kvalitetsstandarden"),
            m.organisation
                .as_deref()
                .map_or(String::new(), |o| format!("{o}, ")),
            m.name
        )
    };
    match job {
        Job::Front { .. } => own(m.summary.as_ref()).unwrap_or_else(about),
        Job::ReadingGuide { .. } => own(m.reading_intro.as_ref()).unwrap_or_else(|| {
            format!(
                "Sådan læser du kvalitetsstandarden for {}, og hvad hvert afsnit handler om.",
                m.name
            )
        }),
        Job::Section { section, .. } => sections()[section].clone().unwrap_or_else(|| {
            format!(
                "{} Læs, hvad kvalitetsstandarden for {} siger om det.",
                SECTIONS[section].heading, m.name
            )
        }),
        Job::Offer { offer, .. } => {
            let o = &m.offers[offer];
            own(o.description.as_ref())
                .or_else(|| own(o.for_whom.as_ref()))
                .unwrap_or_else(|| format!("{}: et tilbud i {}.", o.title, m.name))
        }
        Job::Whole { .. } => format!(
            "Hele kvalitetsstandarden for {} på én side, til at læse i ét stræk eller printe.",
            m.name
        ),
        Job::Version { .. } => format!(
            "En godkendt udgave af kvalitetsstandarden for {} på én side.",
            m.name
        ),
        Job::Served { served, .. } => format!(
            "Bor du i {} Kommune, får du hjælp {}i {}.",
            m.serves[served],
            m.organisation
                .as_deref()
                .map_or(String::new(), |o| format!("hos {o} ")),
            m.short_name
        ),
        Job::Changes { .. } => format!(
            "Hvad er ændret i kvalitetsstandarden for {} siden godkendelsen.",
            m.name
        ),
        Job::Finder { .. } => format!(
            "Svar på få spørgsmål, og se, hvilke tilbud i {} der kan passe til dig.",
            m.short_name
        ),
        _ => about(),
    }
}

/// For each section of [`SECTIONS`], the first sentences of the first text its page shows that
/// is about the whole topic (`guarantee.text`, not one offer's or one unit's text), found in one
/// pass over the municipality's prose.
pub(super) fn section_descriptions(m: &Municipality) -> Vec<Option<String>> {
    let mut out = vec![None; SECTIONS.len()];
    for (key, md) in m.prose() {
        if key.contains('[') {
            continue;
        }
        let top = key.split('.').next().unwrap_or(&key);
        for (described, section) in out.iter_mut().zip(SECTIONS) {
            if described.is_none() && section.fields.contains(&top) {
                *described = describe(md);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_whole_sentences() {
        assert_eq!(
            first_sentences("Hjælpen er gratis. Du kan fx. ringe til os."),
            Some("Hjælpen er gratis. Du kan fx. ringe til os.".to_string())
        );
        // A heading, a lead-in to a list and the list are passed over.
        let md = crate::model::Markdown::new(
            "### Fokus i 2025\n\nVi vil have fokus på:\n\n- at tilbyde borgerne et gratis tilbud om behandling.\n\nVi vil gøre mere for de unge i hele byen & <omegnen>.\n",
        );
        assert_eq!(
            describe(&md),
            Some("Vi vil gøre mere for de unge i hele byen & <omegnen>.".to_string())
        );
        let list =
            crate::model::Markdown::new("Du kan få:\n\n- samtaler om din brug af stoffer.\n");
        assert_eq!(describe(&list), None);
        // Too short alone: the next sentence is taken too, even past the aim.
        let next = "Vi følger de nationale retningslinjer ".repeat(4) + "i alt.";
        assert_eq!(
            first_sentences(&format!("Udvikling. {next}")),
            Some(format!("Udvikling. {next}"))
        );
        assert_eq!(first_sentences("Udvikling."), None);
        assert_eq!(first_sentences("Overskrift\n\nliste"), None);
        let long = "Ord ".repeat(38) + "slut. Næste sætning er her.";
        assert_eq!(
            first_sentences(&long),
            Some(format!("{}slut.", "Ord ".repeat(38)))
        );
        // A first sentence too long to show is not cut: its end may hold the condition.
        assert_eq!(
            first_sentences(&("ord ".repeat(100) + "hvis du bor her.")),
            None
        );
        assert_eq!(first_sentences("  \n "), None);
        assert_eq!(
            first_sentences("Jf. SEL § 101, stk. 5 kan du vælge. Bl.a. her. Den 1. Maj."),
            Some("Jf. SEL § 101, stk. 5 kan du vælge. Bl.a. her. Den 1. Maj.".to_string())
        );
        assert_eq!(
            sentences("Jf. SEL stk. 5 kan du vælge. Bl.a. her. Den 1. Maj.").collect::<Vec<_>>(),
            ["Jf. SEL stk. 5 kan du vælge.", "Bl.a. her.", "Den 1. Maj."]
        );
    }

    #[test]
    fn a_long_paragraph_is_described_as_if_read_to_its_end() {
        let whole = |text: &str| {
            sentences_from_folded(&text.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        // Sentence ends on both sides of where the reading stops, after short and long words,
        // with abbreviations and lower-case starts that end no sentence.
        for first in 0..120 {
            for word in ["ord", "behandlingstilbuddet", "jf.", "x"] {
                let text = format!(
                    "{}Første slut. {} Næste. efter fx. Sidste led her. {}",
                    "a ".repeat(first),
                    format!("{word}  \n").repeat(first % 37 + 1),
                    "Mere tekst. ".repeat(40)
                );
                assert_eq!(first_sentences(&text), whole(&text), "{text}");
            }
        }
    }

    #[test]
    fn sitemap_text_is_escaped() {
        let mut out = String::new();
        url_entry(&mut out, "https://x.dk/a&b/", Some("2024-12-17"));
        assert_eq!(
            out,
            "  <url><loc>https://x.dk/a&amp;b/</loc><lastmod>2024-12-17</lastmod></url>\n"
        );
    }
}
