//! The finder "Hvilken hjælp passer til mig?": reached from the front page by links alone, one
//! question per page, each path ending at the offers whose typed facts do not exclude the
//! answers; a combination no offer fits is reported by `check` as info `FIND-HJAELP`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use kvalitet::diagnostic::Severity;
use kvalitet::model::{Municipality, Offer, OfferKind, Substance};

use crate::check::{SITE, of, run};
use crate::fixture::{Fixture, text};

const START: &str = "Hvilken hjælp passer til mig?";
const RESULT: &str = "Tilbud, der kan passe til dig";

/// The `href` of every `<a>` in `html`, with the link's text.
fn links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<a ") {
        rest = &rest[at..];
        let end = rest.find("</a>").expect("a closed link");
        let tag_end = rest.find('>').unwrap();
        let tag = &rest[..tag_end];
        if let Some(h) = tag.find("href=\"") {
            let href = &tag[h + 6..];
            let href = &href[..href.find('"').unwrap()];
            out.push((
                href.to_string(),
                text(&rest[tag_end + 1..end]).trim().to_string(),
            ));
        }
        rest = &rest[end..];
    }
    out
}

/// The page a relative link on the page at `from` (a path below the output) leads to.
fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "" | "." => {}
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if href.ends_with('/') || href.is_empty() {
        path.push_str(if path.is_empty() {
            "index.html"
        } else {
            "/index.html"
        });
    }
    path
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("main closed");
    &html[start..end]
}

fn h1(html: &str) -> String {
    let start = html.find("<h1>").expect("a heading") + 4;
    let end = html[start..].find("</h1>").unwrap() + start;
    text(&html[start..end]).trim().to_string()
}

/// Whether the offer's typed facts allow the answers, given as the links' texts: written here
/// from the rules the finder promises, not from its code.
fn allows(m: &Municipality, offer: &Offer, answer: &str) -> bool {
    let substances = |s: Substance| {
        let own = if offer.substances.is_empty() {
            &m.substances
        } else {
            &offer.substances
        };
        own.is_empty() || own.contains(&s)
    };
    let (min, max) = (
        offer.age_min.unwrap_or(0),
        offer.age_max.unwrap_or(u32::MAX),
    );
    let band = |from: u32, to: u32| min <= to && max >= from;
    match answer {
        "Mig selv" => offer.kind != Some(OfferKind::Relatives),
        "En, jeg kender" => matches!(
            offer.kind,
            None | Some(
                OfferKind::Relatives | OfferKind::Family | OfferKind::Advice | OfferKind::Other
            )
        ),
        "Alkohol" => substances(Substance::Alcohol),
        "Stoffer" => substances(Substance::Drugs),
        "Både alkohol og stoffer" => {
            substances(Substance::Alcohol) && substances(Substance::Drugs)
        }
        "Ja, jeg vil være anonym" => offer.anonymous || offer.kind == Some(OfferKind::Anonymous),
        "Nej, eller det er lige meget" => true,
        age => {
            let number = |s: &str| s.parse::<u32>().unwrap();
            if let Some(from) = age.strip_suffix(" år eller ældre") {
                return band(number(from), u32::MAX);
            }
            let age = age
                .strip_suffix(" år")
                .unwrap_or_else(|| panic!("an answer: {age}"));
            if let Some(n) = age.strip_prefix("Under ") {
                band(0, number(n) - 1)
            } else if let Some((from, to)) = age.split_once('–') {
                band(number(from), number(to))
            } else {
                band(number(age), number(age))
            }
        }
    }
}

/// The titles of the offers a result page lists, in its order.
fn listed(html: &str) -> Vec<String> {
    let Some(at) = html.find("finder-offers") else {
        return Vec::new();
    };
    let list = &html[at..at + html[at..].find("</ul>\n{").unwrap_or(html.len() - at)];
    list.split("<li class=\"card\">")
        .skip(1)
        .map(|card| {
            let title_end = card
                .find("</a>")
                .or_else(|| card.find("</strong>"))
                .unwrap();
            text(&card[..title_end]).trim().to_string()
        })
        .collect()
}

/// Walks every municipality's finder from its front page by links alone and checks each
/// result against the model; returns the number of finder pages.
fn walk_all(f: &Fixture) -> usize {
    let out = f.build();
    let (content, _) = kvalitet::pipeline::load(&f.options()).unwrap();
    let mut pages = 0;
    for lm in &content.municipalities {
        let m = &lm.data;
        let front_path = format!("{}/index.html", lm.slug);
        let front = f.page(&front_path);
        let start = links(main_of(&front))
            .into_iter()
            .find(|(_, t)| t == START)
            .map(|(href, _)| resolve(&front_path, &href));
        if m.offers.is_empty() {
            assert!(start.is_none(), "{}: a finder without offers", lm.slug);
            assert!(!out.join(&lm.slug).join("find-hjaelp").exists());
            continue;
        }
        let start = start.unwrap_or_else(|| panic!("{}: no link to the finder", lm.slug));
        // Each page with the answers that led there.
        let mut todo: Vec<(String, Vec<String>)> = vec![(start, Vec::new())];
        let mut seen = BTreeSet::new();
        let mut found = BTreeSet::new();
        while let Some((path, answers)) = todo.pop() {
            assert!(seen.insert(path.clone()), "{path} reached twice");
            assert!(answers.len() <= 4, "{path}: more than four questions");
            pages += 1;
            let html = f.page(&path);
            let main = main_of(&html);
            assert!(!main.contains("<form"), "{path} has a form");
            assert!(!main.contains("<script"), "{path} has a script");
            let page_links = links(main);
            for (href, _) in &page_links {
                if !href.starts_with("tel:") {
                    let to = resolve(&path, href);
                    assert!(out.join(&to).is_file(), "{path}: {href} leads nowhere");
                }
            }
            if h1(&html) == RESULT {
                let expected: Vec<String> = m
                    .offers
                    .iter()
                    .filter(|o| answers.iter().all(|a| allows(m, o, a)))
                    .map(|o| o.title.clone())
                    .collect();
                assert_eq!(listed(&html), expected, "{path} after {answers:?}");
                found.extend(expected);
                let texts: Vec<&str> = page_links.iter().map(|(_, t)| t.as_str()).collect();
                if m.offers.iter().any(|o| o.has_page) {
                    assert!(texts.contains(&"Se alle tilbud"), "{path}");
                }
                assert!(
                    texts.contains(&"Skift svar") || answers.is_empty(),
                    "{path}"
                );
                continue;
            }
            // A question: its answers lead on, at least two of them (else it is skipped).
            let next: Vec<(String, String)> = page_links
                .into_iter()
                .filter(|(href, _)| {
                    resolve(&path, href).starts_with(&path.replace("index.html", ""))
                        && resolve(&path, href) != path
                })
                .collect();
            assert!(next.len() >= 2, "{path}: a question with {next:?}");
            for (href, label) in next {
                let mut answers = answers.clone();
                answers.push(label);
                todo.push((resolve(&path, &href), answers));
            }
        }
        // Every offer is found by some answers.
        let all: BTreeSet<String> = m.offers.iter().map(|o| o.title.clone()).collect();
        assert_eq!(found, all, "{}", lm.slug);
    }
    pages
}

#[test]
fn every_path_from_the_front_page_ends_at_the_offers_its_answers_allow() {
    let pages = walk_all(&Fixture::bundled());
    // Bounded: the bundled site's five municipalities have 148 finder pages.
    assert!((50..=400).contains(&pages), "{pages} finder pages");
}

const TWO_OFFERS: &str = r#"name = "Testby Kommune"
short_name = "Testby"
substances = ["drugs", "alcohol"]

[[units]]
id = "center"
name = "Rusmiddelcenteret"
phone = "11 22 33 44"

[[offers]]
id = "ambulant"
kind = "outpatient"
title = "Ambulant behandling"
description = "Samtaler hos os."
unit = "center"
substances = ["drugs"]
age_min = 18
anonymous = true

[[offers]]
kind = "advice"
title = "Rådgivning"
unit = "center"
anonymous = true
"#;

fn site_with(municipality: &str) -> Fixture {
    let f = Fixture::empty();
    f.write("site.toml", SITE);
    f.write("testby.toml", municipality);
    f
}

#[test]
fn a_combination_no_offer_fits_is_reported_as_info_and_shown_as_no_offers() {
    let gaps = TWO_OFFERS.replace("kind = \"advice\"", "kind = \"outpatient\"");
    let report = run(&gaps);
    let found = of(&report, "FIND-HJAELP");
    let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("Ingen tilbud passer til: en, jeg kender.")),
        "{messages:?}"
    );
    assert!(found.iter().all(|f| f.severity == Severity::Info));
    assert!(found.iter().all(|f| f.key.as_deref() == Some("offers")));
    // The citizen who answers so sees that no offer fits, and the contact block.
    let f = site_with(&gaps);
    f.build();
    let page = f.page("testby/find-hjaelp/en-jeg-kender/index.html");
    assert_eq!(h1(&page), RESULT);
    assert!(listed(&page).is_empty());
    assert!(
        text(&page).contains("Kvalitetsstandarden nævner ingen tilbud, der passer til dine svar")
    );
    // A standard whose offers fit every answer has no such finding.
    assert!(of(&run(TWO_OFFERS), "FIND-HJAELP").is_empty());
}

#[test]
fn a_question_whose_answers_change_nothing_is_skipped() {
    // Both offers can be anonymous, so that is never asked. Under 18 only the advice is left,
    // which names no substance (the standard's both count): no more questions.
    let f = site_with(TWO_OFFERS);
    walk_all(&f);
    let first = f.page("testby/find-hjaelp/index.html");
    assert_eq!(h1(&first), "Hvem søger du hjælp til?");
    assert_eq!(
        h1(&f.page("testby/find-hjaelp/mig/index.html")),
        "Hvor gammel er du?"
    );
    let young = f.page("testby/find-hjaelp/mig/under-18/index.html");
    assert_eq!(h1(&young), RESULT);
    assert_eq!(listed(&young), ["Rådgivning"]);
    let adult = f.page("testby/find-hjaelp/mig/fra-18/index.html");
    assert_eq!(h1(&adult), "Hvad vil du have hjælp til?");
    let someone = f.page("testby/find-hjaelp/en-jeg-kender/index.html");
    assert_eq!(listed(&someone), ["Rådgivning"]);
    assert!(
        !f.output()
            .join("testby/find-hjaelp/mig/fra-18/stoffer/anonym")
            .exists()
    );
}

#[test]
fn the_result_links_each_offer_and_calls_its_unit() {
    let f = site_with(TWO_OFFERS);
    f.build();
    let dir = f.output().join("testby/find-hjaelp/mig");
    let mut results: HashMap<String, String> = HashMap::new();
    for entry in walkdir(&dir) {
        let html = std::fs::read_to_string(&entry).unwrap();
        if h1(&html) == RESULT {
            results.insert(entry.display().to_string(), html);
        }
    }
    let (_, html) = results
        .iter()
        .find(|(_, h)| listed(h) == ["Ambulant behandling", "Rådgivning"])
        .expect("a result with both offers");
    let hrefs: Vec<String> = links(main_of(html)).into_iter().map(|(h, _)| h).collect();
    assert!(
        hrefs.iter().any(|h| h.ends_with("testby/tilbud/ambulant/")),
        "{hrefs:?}"
    );
    assert!(
        hrefs.iter().any(|h| h.ends_with("testby/kontakt/")),
        "{hrefs:?}"
    );
    assert!(hrefs.iter().any(|h| h == "tel:+4511223344"), "{hrefs:?}");
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn a_municipality_without_offers_has_no_finder() {
    let f = site_with("name = \"Testby Kommune\"\nshort_name = \"Testby\"\n");
    f.build();
    assert!(!f.page("testby/index.html").contains(START));
    assert!(!f.output().join("testby/find-hjaelp").exists());
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "index.html") {
                out.push(p);
            }
        }
    }
    out
}
