//! Found by search engines and shown well when a link is shared: with a `base_url`, the build
//! writes `sitemap.xml`, `robots.txt`, `404.html` and canonical links, and only then; every
//! page has a description from its own content and Open Graph tags; `tjek/` is never indexed;
//! `check` warns when `base_url` is missing.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::fixture::{Fixture, text};

const BASE: &str = "https://rusmiddel.example.dk/rus/";

/// The bundled content, published at [`BASE`] (a folder below the host, as on GitHub Pages).
fn with_base_url() -> Fixture {
    let f = Fixture::bundled();
    f.set_line(
        "site.toml",
        "# base_url = ",
        &format!("base_url = \"{BASE}\""),
    );
    f
}

/// Every file of the built site below `dir`, by its path with `/`, with its text.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if path.is_dir() {
                todo.push(path);
            } else if !name.starts_with(".kvalitet") {
                found.push((name, fs::read_to_string(&path).unwrap_or_default()));
            }
        }
    }
    found.sort();
    found
}

fn html_pages(dir: &Path) -> Vec<(String, String)> {
    let pages: Vec<_> = files(dir)
        .into_iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .collect();
    assert!(pages.len() > 50, "the site has its pages: {}", pages.len());
    pages
}

/// The value of attribute `attr` of each `<tag ...>` in `html` (attributes as the theme writes
/// them: `name="value"`).
fn attributes(html: &str, tag: &str, attr: &str) -> Vec<String> {
    let open = format!("<{tag} ");
    let mut out = Vec::new();
    for (at, _) in html.match_indices(&open) {
        let end = html[at..].find('>').map_or(html.len(), |e| at + e);
        let element = &html[at..end];
        let key = format!(" {attr}=\"");
        if let Some(start) = element.find(&key).map(|s| s + key.len()) {
            let value = &element[start..];
            out.push(value[..value.find('"').unwrap_or(value.len())].to_string());
        }
    }
    out
}

/// The `content` of the `<meta>` whose `name` or `property` is `key`, if the page has one.
fn meta(html: &str, key: &str) -> Option<String> {
    for needle in [
        format!("<meta name=\"{key}\" content=\""),
        format!("<meta property=\"{key}\" content=\""),
    ] {
        if let Some(start) = html.find(&needle).map(|s| s + needle.len()) {
            let rest = &html[start..];
            return Some(rest[..rest.find('"').unwrap()].to_string());
        }
    }
    None
}

/// The page's canonical address, if it has one.
fn canonical(html: &str) -> Option<String> {
    let needle = "<link rel=\"canonical\" href=\"";
    let start = html.find(needle)? + needle.len();
    Some(html[start..start + html[start..].find('"')?].to_string())
}

/// A small check that `xml` is well-formed: one declaration, elements opened and closed in
/// order with one root, text with only the five predefined entities and no bare `<` or `&`.
/// Returns the elements' names in document order with their text.
fn well_formed(xml: &str) -> Result<Vec<(String, String)>, String> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .ok_or("no XML declaration")?;
    let mut stack: Vec<String> = Vec::new();
    let mut elements = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    while !rest.is_empty() {
        let lt = rest.find('<').unwrap_or(rest.len());
        let text = &rest[..lt];
        check_text(text)?;
        if let (Some(open), false) = (stack.last(), text.trim().is_empty()) {
            elements.push((open.clone(), text.to_string()));
        } else if stack.is_empty() && !text.trim().is_empty() {
            return Err(format!("text outside the root: {text:?}"));
        }
        if lt == rest.len() {
            break;
        }
        let gt = rest[lt..].find('>').ok_or("a tag is not closed")? + lt;
        let tag = &rest[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or(format!("</{name}> closes nothing"))?;
            if open != name {
                return Err(format!("<{open}> is closed by </{name}>"));
            }
        } else {
            let name = tag
                .split_whitespace()
                .next()
                .ok_or("an empty tag")?
                .to_string();
            if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(format!("odd element name {name:?}"));
            }
            if tag.contains('<') || tag.matches('"').count() % 2 == 1 {
                return Err(format!("a broken tag: {tag:?}"));
            }
            if stack.is_empty() {
                roots += 1;
            }
            stack.push(name);
        }
        rest = &rest[gt + 1..];
    }
    if !stack.is_empty() {
        return Err(format!("not closed: {stack:?}"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(elements)
}

fn check_text(text: &str) -> Result<(), String> {
    for (at, _) in text.match_indices('&') {
        let entity = &text[at..at + text[at..].find(';').ok_or("a bare &")? + 1];
        if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity) {
            return Err(format!("unknown entity {entity}"));
        }
    }
    if text.contains('>') && text.contains("]]>") {
        return Err("]]> in text".to_string());
    }
    Ok(())
}

/// The file a path of the site (below [`BASE`]'s path) is published from: a folder is its
/// `index.html`.
fn file_of(out: &Path, path: &str) -> std::path::PathBuf {
    let path = path.split('#').next().unwrap();
    if path.is_empty() || path.ends_with('/') {
        out.join(path).join("index.html")
    } else {
        out.join(path)
    }
}

#[test]
fn with_a_base_url_the_sitemap_lists_the_public_pages_at_their_whole_addresses() {
    let f = with_base_url();
    let out = f.build();
    let xml = f.page("sitemap.xml");
    let elements = well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(elements.first().map(|(n, _)| n.as_str()), Some("loc"));
    assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    let locs: Vec<&str> = elements
        .iter()
        .filter(|(n, _)| n == "loc")
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(locs.contains(&BASE), "the front page: {locs:?}");
    for loc in &locs {
        let path = loc
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{loc} is not below {BASE}"));
        assert!(
            !path.starts_with("tjek"),
            "the check report is in the sitemap"
        );
        assert!(!path.starts_with("was"), "the redirect is in the sitemap");
        assert!(
            file_of(&out, path).is_file(),
            "{loc} is no page of the site"
        );
    }
    // Every page a citizen reads is there: each page but the check report and the finder's
    // answer pages, which are `noindex` (and no version pages exist here).
    let pages: Vec<String> = html_pages(&out)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|n| n.ends_with("index.html") && !n.starts_with("tjek/"))
        .filter(|n| !n.contains("/find-hjaelp/") || n.ends_with("/find-hjaelp/index.html"))
        .collect();
    assert_eq!(locs.len(), pages.len(), "{locs:#?}");
    for slug in ["holbaek", "odsherred", "lemvig"] {
        assert!(locs.contains(&format!("{BASE}{slug}/").as_str()), "{slug}");
    }
    // The approval day, where the content gives one (Odsherred), and nothing where it does not.
    assert!(xml.contains(&format!(
        "<loc>{BASE}odsherred/</loc><lastmod>2024-12-17</lastmod>"
    )));
    assert!(xml.contains(&format!("<loc>{BASE}holbaek/</loc></url>")));
}

#[test]
fn a_month_alone_gives_no_lastmod() {
    let f = with_base_url();
    f.edit(
        "odsherred.toml",
        "approved_on = 2024-12-17",
        "approved_on = \"2024-12\"",
    );
    f.build();
    let xml = f.page("sitemap.xml");
    assert!(
        xml.contains(&format!("<loc>{BASE}odsherred/</loc></url>")),
        "{xml}"
    );
    assert!(!xml.contains("lastmod"));
}

#[test]
fn a_name_with_xml_characters_stays_valid_xml() {
    let f = with_base_url();
    f.set_line(
        "site.toml",
        "base_url = ",
        "base_url = \"https://rusmiddel.example.dk/a&b'/\"",
    );
    f.build();
    let xml = f.page("sitemap.xml");
    well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(xml.contains("<loc>https://rusmiddel.example.dk/a&amp;b&apos;/holbaek/</loc>"));
}

#[test]
fn robots_names_the_sitemap_and_every_page_names_its_address() {
    let f = with_base_url();
    let out = f.build();
    let robots = f.page("robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {BASE}sitemap.xml\n")),
        "{robots}"
    );
    assert!(robots.contains("User-agent: *"));
    assert!(!robots.contains("Disallow: /"), "{robots}");
    for (name, html) in html_pages(&out) {
        if name == "404.html" {
            // Shown at any address: it names none, and is not for search engines.
            assert_eq!(canonical(&html), None);
            assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
            continue;
        }
        let expected = format!("{BASE}{}", name.strip_suffix("index.html").unwrap());
        assert_eq!(
            canonical(&html).as_deref(),
            Some(expected.as_str()),
            "{name}"
        );
        assert_eq!(
            meta(&html, "og:url").as_deref(),
            Some(expected.as_str()),
            "{name}"
        );
    }
}

#[test]
fn the_404_page_works_at_any_depth() {
    let f = with_base_url();
    let out = f.build();
    let html = f.page("404.html");
    let hrefs: Vec<String> = attributes(&html, "a", "href")
        .into_iter()
        .chain(attributes(&html, "link", "href"))
        .collect();
    let styles = attributes(&html, "link", "href");
    assert!(styles.contains(&"/rus/style.css".to_string()), "{styles:?}");
    assert!(
        hrefs.contains(&"/rus/".to_string()),
        "a link to the front page"
    );
    for slug in ["holbaek", "odsherred", "lemvig"] {
        assert!(hrefs.contains(&format!("/rus/{slug}/")), "a link to {slug}");
    }
    for href in &hrefs {
        if href.starts_with('#') || href.starts_with("https://") || href.starts_with("tel:") {
            continue;
        }
        let path = href
            .strip_prefix("/rus/")
            .unwrap_or_else(|| panic!("{href} does not start from the site's path"));
        assert!(file_of(&out, path).is_file(), "{href} leads nowhere");
    }
    assert!(text(&html).contains("Siden findes ikke"));
}

#[test]
fn without_a_base_url_there_are_no_files_for_search_engines_and_no_canonical_links() {
    let f = Fixture::bundled();
    let out = f.build();
    for file in ["sitemap.xml", "robots.txt", "404.html"] {
        assert!(!out.join(file).exists(), "{file}");
    }
    for (name, html) in html_pages(&out) {
        assert_eq!(canonical(&html), None, "{name}");
        assert_eq!(meta(&html, "og:url"), None, "{name}");
    }
}

#[test]
fn a_draft_has_no_sitemap_and_turns_search_engines_away() {
    let f = with_base_url();
    let mut options = f.options();
    options.draft = true;
    kvalitet::build::build(&options, &f.output()).unwrap();
    assert!(!f.output().join("sitemap.xml").exists());
    let robots = f.page("robots.txt");
    assert!(robots.contains("Disallow: /\n"), "{robots}");
    assert!(!robots.contains("Sitemap"), "{robots}");
}

#[test]
fn the_check_report_is_never_indexed() {
    for f in [Fixture::bundled(), with_base_url()] {
        f.build();
        let html = f.page("tjek/index.html");
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    }
}

#[test]
fn every_page_says_what_it_is_when_a_link_is_shared() {
    let f = Fixture::bundled();
    let out = f.build();
    for (name, html) in html_pages(&out) {
        let description = meta(&html, "description").unwrap_or_default();
        assert!(
            description.len() > 20,
            "{name}: description {description:?}"
        );
        assert!(!description.contains('<'), "{name}: {description}");
        assert_eq!(
            meta(&html, "og:description").as_deref(),
            Some(description.as_str()),
            "{name}"
        );
        let title = meta(&html, "og:title").unwrap_or_default();
        let tab = html
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .unwrap();
        assert_eq!(title, tab, "{name}: og:title is the page's title");
        assert!(!title.contains('\u{1}'));
        assert_eq!(meta(&html, "og:type").as_deref(), Some("website"), "{name}");
        assert_eq!(meta(&html, "og:locale").as_deref(), Some("da_DK"), "{name}");
    }
}

#[test]
fn descriptions_come_from_the_page_s_own_content() {
    let f = Fixture::bundled();
    f.build();
    // The front page: the summary's first sentences.
    let front = f.page("holbaek/index.html");
    let description = meta(&front, "description").unwrap();
    assert!(
        description.starts_with("Rusmiddelcenter Holbæk tilbyder social behandling af stofmisbrug"),
        "{description}"
    );
    assert!(
        squash(&text(&front)).contains(&squash(&description)),
        "the page says it: {description}"
    );
    // A topic's page: the first sentences of its own text.
    let complaints = f.page("holbaek/klage/index.html");
    let description = meta(&complaints, "description").unwrap();
    assert!(
        squash(&text(&complaints)).contains(&squash(&description)),
        "{description}"
    );
    // A list item alone is no description: Odsherred's plans are a list after "fokus på:",
    // and "at tilbyde borgerne et gratis tilbud" out of its list would promise too much.
    let plans = meta(&f.page("odsherred/fremtiden/index.html"), "description").unwrap();
    assert!(!plans.contains("gratis"), "{plans}");
    assert!(
        plans.contains("Hvad vil kommunen arbejde med fremover?"),
        "{plans}"
    );
    // Another municipality's complaints page has its own.
    let other = meta(&f.page("odsherred/klage/index.html"), "description").unwrap();
    assert_ne!(description, other);
}

/// Text without whitespace: a page's text has spaces where its tags were.
fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

fn check_json(f: &Fixture) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(["check", "--format", "json", "--content"])
        .arg(f.content())
        .current_dir(f.root())
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn webadresse(v: &serde_json::Value) -> Vec<serde_json::Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "WEBADRESSE")
        .cloned()
        .collect()
}

#[test]
fn check_warns_when_the_base_url_is_missing() {
    let found = webadresse(&check_json(&Fixture::bundled()));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["severity"], "warning");
    assert!(found[0]["file"].as_str().unwrap().ends_with("site.toml"));
    assert_eq!(found[0]["key"], "base_url");
    assert!(found[0]["message"].as_str().unwrap().contains("base_url"));
    assert!(
        found[0]["hint"]
            .as_str()
            .unwrap()
            .contains("base_url = \"https://")
    );
    // Not about any municipality: no municipality has a row for it.
    let v = check_json(&with_base_url());
    assert!(webadresse(&v).is_empty());
    for m in v["municipalities"].as_array().unwrap() {
        assert!(
            !m["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["rule"] == "WEBADRESSE")
        );
    }
}

#[test]
fn earlier_versions_are_pages_but_not_in_the_sitemap() {
    let f = with_base_url();
    let out = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args([
            "godkend",
            "holbaek",
            "--dato",
            "2024-12-17",
            "--af",
            "Byrådet",
        ])
        .arg("--content")
        .arg(f.content())
        .current_dir(f.root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = f.build();
    assert!(site.join("holbaek/version/2024-12-17/index.html").is_file());
    let xml = f.page("sitemap.xml");
    assert!(!xml.contains("/version/"), "{xml}");
    // The approval just written gives Holbæk's pages their day.
    assert!(
        xml.contains(&format!(
            "<loc>{BASE}holbaek/klage/</loc><lastmod>2024-12-17</lastmod>"
        )),
        "{xml}"
    );
}
