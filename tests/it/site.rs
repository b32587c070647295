//! The bundled content builds into the site a citizen depends on.
//!
//! These tests build `content/` once and read the pages as a citizen's browser would get them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use kvalitet::pipeline::load_content;
use kvalitet::site::sections_of;

use crate::fixture::{Fixture, repo, text, tree};

fn kvalitet(args: &[&str], content: &Path, output: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(args)
        .arg("--content")
        .arg(content)
        .arg("--output")
        .arg(output)
        .arg("--themes")
        .arg(repo().join("themes"))
        .output()
        .unwrap()
}

/// The bundled site, built once for all tests in this file.
fn site() -> &'static Path {
    // The fixture lives as long as the test binary; statics are not dropped.
    static SITE: OnceLock<(Fixture, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let fixture = Fixture::empty();
        let out = fixture.root().join("output");
        let result = kvalitet(&["build"], &repo().join("content"), &out);
        assert!(
            result.status.success(),
            "the bundled content must build:\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
        (fixture, out)
    });
    out
}

fn page(path: &str) -> String {
    let file = site().join(path).join("index.html");
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn all_pages(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_pages(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn the_root_lists_every_municipality_and_those_served_by_holstebro() {
    let root = page("");
    for (slug, name) in [
        ("fredericia", "Fredericia"),
        ("holbaek", "Holbæk"),
        ("holstebro", "Holstebro"),
        ("odsherred", "Odsherred"),
        ("slagelse", "Slagelse"),
        ("lemvig", "Lemvig"),
        ("struer", "Struer"),
    ] {
        assert!(
            root.contains(&format!("href=\"{slug}/\">{name}</a>")),
            "root links to {name}"
        );
    }
    for served in ["lemvig", "struer"] {
        let p = page(served);
        assert!(
            p.contains("href=\"../holstebro/\""),
            "{served} leads to Holstebro"
        );
        assert!(
            text(&p).contains("Holstebro Kommune giver behandlingen til borgere fra"),
            "{served} says Holstebro serves it"
        );
    }
}

#[test]
fn every_topic_appears_under_its_question_and_the_guide_lists_exactly_those() {
    let content = load_content(&repo().join("content")).unwrap();
    for m in &content.municipalities {
        let sections = sections_of(&m.data);
        assert!(sections.len() >= 10, "{} has its topics", m.slug);
        let whole = page(&format!("{}/hele-standarden", m.slug));
        let guide = page(&format!("{}/laesevejledning", m.slug));
        let guide_list = guide
            .split("<ol class=\"guide\">")
            .nth(1)
            .and_then(|rest| rest.split("</ol>").next())
            .expect("the guide has a list of sections");
        let listed: Vec<&str> = guide_list
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        let expected: Vec<String> = sections
            .iter()
            .map(|s| format!("../../{}/{}/", m.slug, s.slug))
            .collect();
        assert_eq!(
            listed, expected,
            "{}: the guide lists exactly the sections",
            m.slug
        );
        for s in &sections {
            let p = page(&format!("{}/{}", m.slug, s.slug));
            assert!(
                p.contains(&format!("<h1>{}</h1>", s.heading)),
                "{}/{} is headed by the question",
                m.slug,
                s.slug
            );
            assert!(
                whole.contains(&format!("<h2 id=\"{}\">{}</h2>", s.id, s.heading)),
                "{}: the whole standard has {}",
                m.slug,
                s.heading
            );
        }
        // A topic the file leaves out is nowhere: no page, no guide line.
        for s in kvalitet::site::SECTIONS {
            if !(s.present)(&m.data) {
                assert!(
                    !site().join(&m.slug).join(s.slug).exists(),
                    "{}: no page for the missing topic {}",
                    m.slug,
                    s.slug
                );
                assert!(
                    !guide.contains(s.heading),
                    "{}: guide omits {}",
                    m.slug,
                    s.heading
                );
            }
        }
    }
}

#[test]
fn every_phone_number_is_a_tap_to_call_link() {
    let content = load_content(&repo().join("content")).unwrap();
    let mut checked = 0;
    for m in &content.municipalities {
        let contact_page = site().join(&m.slug).join("kontakt/index.html");
        if !contact_page.exists() {
            continue;
        }
        let contact = std::fs::read_to_string(contact_page).unwrap();
        for unit in &m.data.units {
            if let Some(phone) = &unit.phone {
                let link = format!("href=\"tel:{}\">{}</a>", phone.dial(), phone.display());
                assert!(contact.contains(&link), "{}: {link}", m.slug);
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 4,
        "the bundled content has phone numbers ({checked})"
    );
    let holstebro = page("holstebro");
    assert!(
        holstebro.contains("href=\"tel:+4596114050\">96 11 40 50</a>"),
        "the front page offers to call right now"
    );
}

#[test]
fn every_page_has_one_h1_danish_language_a_skip_link_and_no_script() {
    let mut pages = Vec::new();
    all_pages(site(), &mut pages);
    assert!(
        pages.len() > 100,
        "the site has its pages ({})",
        pages.len()
    );
    for p in pages {
        let html = std::fs::read_to_string(&p).unwrap();
        let name = p.display();
        assert!(html.contains("<html lang=\"da\">"), "{name}: lang=da");
        assert_eq!(html.matches("<h1").count(), 1, "{name}: exactly one h1");
        if !p.ends_with("was/index.html") {
            assert!(
                html.contains("class=\"skip-link\" href=\"#indhold\""),
                "{name}: skip link"
            );
            assert!(
                html.contains("<main id=\"indhold\""),
                "{name}: main landmark"
            );
        }
        // Structured data for search engines (schema.org JSON-LD) is data, not a program.
        assert!(
            !html
                .replace("<script type=\"application/ld+json\">", "")
                .contains("<script"),
            "{name}: no JavaScript needed"
        );
        assert!(
            !html.contains("http://fonts") && !html.contains("https://fonts"),
            "{name}: no web fonts"
        );
    }
}

#[test]
fn the_contact_block_is_in_the_same_place_on_every_municipality_page() {
    let mut pages = Vec::new();
    all_pages(&site().join("slagelse"), &mut pages);
    for p in pages {
        let html = std::fs::read_to_string(&p).unwrap();
        let main_end = html.find("</main>").unwrap();
        let block = html.find("class=\"contact-block\"").unwrap_or_else(|| {
            panic!("{}: contact block", p.display());
        });
        let footer = html.find("<footer").unwrap();
        assert!(
            main_end < block && block < footer,
            "{}: between main and footer",
            p.display()
        );
        // The block is rendered once for all pages, at different depths: its link to the
        // contact page must lead there from each of them.
        let link = &html[block..footer];
        let href_at = link
            .rfind("href=\"")
            .unwrap_or_else(|| panic!("{}: link to the contact page", p.display()))
            + "href=\"".len();
        let href = &link[href_at..href_at + link[href_at..].find('"').unwrap()];
        assert!(
            href.ends_with("slagelse/kontakt/"),
            "{}: {href}",
            p.display()
        );
        let target = p.parent().unwrap().join(href).join("index.html");
        assert!(target.is_file(), "{}: {href} leads nowhere", p.display());
        assert_eq!(
            target.canonicalize().unwrap(),
            site()
                .join("slagelse/kontakt/index.html")
                .canonicalize()
                .unwrap()
        );
    }
}

#[test]
fn odsherred_shows_its_targets_and_approval() {
    let quality = text(&page("odsherred/kvalitet"));
    assert!(
        quality.contains("35 % af borgerne i behandling er clean og/eller ædru"),
        "{quality}"
    );
    assert!(quality.contains("35 % af borgerne i behandling har reduceret deres forbrug"));
    assert!(
        quality.contains("højst 30 %"),
        "the return target is a maximum"
    );
    let about = page("odsherred/om-standarden");
    assert!(
        about.contains("<time datetime=\"2024-12-17\">17.12.2024</time>"),
        "{about}"
    );
    assert!(text(&about).contains("Godkendt af Byrådet"));
    assert!(text(&about).contains("Bliver revideret senest december 2026"));
}

#[test]
fn bundled_facts_match_the_seed_documents() {
    // Holbæk: two addresses and day treatment four days a week 8.30-13.
    let holbaek = text(&page("holbaek/kontakt"));
    assert!(holbaek.contains("Birkevænget 4, 4300 Holbæk"));
    assert!(holbaek.contains("Kasernevej 6, Holbæk"));
    let day = text(&page("holbaek/tilbud/dagbehandling"));
    assert!(
        day.contains("fire dage om ugen") || day.contains("4 dage om ugen"),
        "{day}"
    );
    assert!(day.contains("8.30-13"), "{day}");
    // Holstebro: tap-to-call and Thursday until 17.
    let holstebro = page("holstebro/kontakt");
    assert!(holstebro.contains("href=\"tel:+4596114050\">96 11 40 50</a>"));
    assert!(holstebro.contains("<th scope=\"row\">Torsdag</th><td>kl. 8-17</td>"));
    assert!(text(&page("holstebro/gavekort")).contains("200 kr."));
    // Slagelse: the youth unit Perron 3 at Ingemannsvej 24, and its 45 % target.
    let slagelse = text(&page("slagelse/kontakt"));
    assert!(slagelse.contains("Perron 3"));
    assert!(slagelse.contains("Ingemannsvej 24, 4200 Slagelse"));
    assert!(text(&page("slagelse/kvalitet")).contains("45 %"));
    assert!(text(&page("slagelse/gavekort")).contains("Kommunen bruger ikke gavekort"));
    // Fredericia: 8 weeks' case handling for residential treatment.
    assert!(text(&page("fredericia/doegnbehandling")).contains("op til 8 uger"));
    // Odsherred: 1-5 anonymous counselling sessions.
    assert!(text(&page("odsherred/dine-rettigheder")).contains("1-5 anonyme rådgivende samtaler"));
    // Odsherred's borgerrådgiver is a tap-to-call link too.
    assert!(page("odsherred/anden-hjaelp").contains("href=\"tel:+4521156947\""));
}

#[test]
fn raw_html_in_content_is_escaped() {
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::copy(repo().join("content/site.toml"), content.join("site.toml")).unwrap();
    let file = kvalitet::scaffold::scaffold("Prøve").replace(
        "summary = \"\"\"\n\"\"\"",
        "summary = \"\"\"\nHej <script>alert('x')</script> og <img src=x onerror=alert(1)>\n\"\"\"",
    );
    std::fs::write(content.join("proeve.toml"), file).unwrap();
    let out = dir.join("output");
    let result = kvalitet(&["build"], &content, &out);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let front = std::fs::read_to_string(out.join("proeve/index.html")).unwrap();
    assert!(
        !front.contains("<script>alert"),
        "script is not passed through"
    );
    assert!(
        !front.contains("<img src=x"),
        "raw tags are not passed through"
    );
    assert!(front.contains("&lt;script&gt;alert"), "it is shown as text");
}

#[test]
fn a_failed_build_leaves_the_previous_site_byte_for_byte_unchanged() {
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    for f in ["site.toml", "odsherred.toml", "fredericia.toml"] {
        std::fs::copy(repo().join("content").join(f), content.join(f)).unwrap();
    }
    let out = dir.join("output");
    assert!(kvalitet(&["build"], &content, &out).status.success());
    let before = tree(&out);
    assert!(before.len() > 40);

    let broken = std::fs::read_to_string(content.join("odsherred.toml"))
        .unwrap()
        .replacen("[guarantee]\n", "[guarantee\n", 1);
    std::fs::write(content.join("odsherred.toml"), broken).unwrap();
    let result = kvalitet(&["build"], &content, &out);
    assert!(!result.status.success(), "broken content fails the build");
    assert!(String::from_utf8_lossy(&result.stderr).contains("odsherred.toml:"));
    assert_eq!(tree(&out), before, "the last good site is untouched");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no half-written folder is left: {leftovers:?}"
    );
}

#[test]
fn build_refuses_to_overwrite_a_folder_it_did_not_make() {
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    let out = dir.join("Dokumenter");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("budget.xlsx"), "vigtigt").unwrap();
    let result = kvalitet(&["build"], &repo().join("content"), &out);
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("ikke lavet af kvalitet"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("budget.xlsx")).unwrap(),
        "vigtigt"
    );
}

#[test]
fn kvalitet_new_writes_a_file_that_builds_and_explains_every_field() {
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::copy(repo().join("content/site.toml"), content.join("site.toml")).unwrap();
    let result = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(["new", "Ærø", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    assert!(result.status.success());
    let file = std::fs::read_to_string(content.join("aeroe.toml")).unwrap();
    assert!(file.contains("name = \"Ærø Kommune\""));
    // Every key line has a Danish explanation above it, within the table it belongs to.
    assert!(file.contains("# (§4.1.6) Behandlingsgaranti"));
    let again = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(["new", "Ærø", "--content"])
        .arg(&content)
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );
    let out = dir.join("output");
    let built = kvalitet(&["build"], &content, &out);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(out.join("aeroe/index.html").is_file());
}

#[test]
fn the_accessibility_statement_is_linked_from_every_page_and_was_redirects() {
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    let site_toml = std::fs::read_to_string(repo().join("content/site.toml")).unwrap();
    let statement = "https://was.digst.dk/rusmiddel-proeve-dk";
    std::fs::write(
        content.join("site.toml"),
        format!("accessibility_statement = \"{statement}\"\n{site_toml}"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("content/odsherred.toml"),
        content.join("odsherred.toml"),
    )
    .unwrap();
    let out = dir.join("output");
    let result = kvalitet(&["build"], &content, &out);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let mut pages = Vec::new();
    all_pages(&out, &mut pages);
    for p in &pages {
        if p.ends_with("was/index.html") {
            continue;
        }
        let html = std::fs::read_to_string(p).unwrap();
        assert!(
            html.contains(&format!(
                "<a href=\"{statement}\">Tilgængelighedserklæring</a>"
            )),
            "{}: footer link",
            p.display()
        );
    }
    let was = std::fs::read_to_string(out.join("was/index.html")).unwrap();
    assert!(was.contains(&format!(
        "http-equiv=\"refresh\" content=\"0; url={statement}\""
    )));
    assert!(
        was.contains(&format!("<a href=\"{statement}\">")),
        "a plain link too"
    );
    // Without the setting there is no footer link and no /was/ page.
    assert!(!page("odsherred").contains("Tilgængelighedserklæring"));
    assert!(!site().join("was").exists());
}

#[test]
fn the_check_report_page_shows_rules_against_municipalities() {
    let report = page("tjek");
    let t = text(&report);
    for rule in ["§3.3", "§4.1.6", "§4.2", "§4.3", "§5", "§6.2"] {
        assert!(
            report.contains(&format!("<span class=\"rule-id\">{rule}</span>")),
            "{rule}"
        );
    }
    for name in ["Fredericia", "Holbæk", "Holstebro", "Odsherred", "Slagelse"] {
        assert!(
            report.contains(&format!("<th scope=\"col\">{name}</th>")),
            "{name}"
        );
    }
    // Odsherred follows up after 1 and 3 months: the §4.2 row says so.
    let row = report
        .split("<span class=\"rule-id\">§4.2</span>")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap();
    assert!(row.contains("status-wrong"), "{row}");
    assert!(t.contains("LIX for hvert afsnit"));
    // Staff and council find it by address; citizens are not sent there.
    assert!(!page("odsherred").contains("tjek/"));
}

#[test]
fn build_prints_pages_time_and_the_check_summary() {
    let scratch = Fixture::empty();
    let out = scratch.root().join("output");
    let result = kvalitet(&["build"], &repo().join("content"), &out);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(stdout.contains("sider for 5 kommuner på"), "{stdout}");
    assert!(stdout.contains("Tjekket mod loven: "), "{stdout}");
    assert!(stdout.contains("fejl"), "{stdout}");
}

/// The build times its stages and the command prints them when a developer asks with
/// `KVALITET_TIMINGS`; the library itself prints nothing.
#[test]
fn build_prints_its_stage_timings_only_when_asked() {
    let fx = Fixture::bundled();
    let report = kvalitet::build::build(&fx.options(), &fx.output()).unwrap();
    let stages: Vec<&str> = report.stages.iter().map(|t| t.stage).collect();
    assert_eq!(
        stages[1..],
        ["site pages+check report", "swap"],
        "{stages:?}"
    );

    let quiet = kvalitet(&["build"], &fx.content(), &fx.root().join("quiet"));
    assert!(quiet.status.success());
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(!stderr.contains("timing"), "{stderr}");

    let timed = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(["build", "--content"])
        .arg(fx.content())
        .arg("--output")
        .arg(fx.root().join("timed"))
        .arg("--themes")
        .arg(fx.themes())
        .env("KVALITET_TIMINGS", "1")
        .output()
        .unwrap();
    assert!(timed.status.success());
    let stderr = String::from_utf8_lossy(&timed.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("timing "))
        .collect();
    assert_eq!(lines.len(), stages.len(), "{stderr}");
    assert!(
        lines[2].starts_with("timing swap: ")
            && lines[2].contains(" ms wall, ")
            && lines[2].contains(" ms cpu, peak ")
            && lines[2].ends_with(" MiB"),
        "{stderr}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `kvalitet build` writes, page for page, the site the preview renders in memory: the build
/// renders each municipality's pages as soon as it has read it, or after reading all of them
/// when the theme shows the list of municipalities on their pages too.
fn assert_build_matches_preview(themes: &Path, dir: &Path) -> PathBuf {
    assert_build_of_matches_preview(&repo().join("content"), themes, dir)
}

fn assert_build_of_matches_preview(content: &Path, themes: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("output");
    let result = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .args(["build", "--content"])
        .arg(content)
        .arg("--output")
        .arg(&out)
        .arg("--themes")
        .arg(themes)
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let options = kvalitet::build::BuildOptions::new(content, themes);
    let rendered = match kvalitet::build::render(&options) {
        Ok(site) => site,
        Err(e) => panic!("{e:?}"),
    };
    assert!(rendered.pages.len() > 100);
    for page in &rendered.pages {
        let written = std::fs::read_to_string(out.join(&page.path))
            .unwrap_or_else(|e| panic!("{}: {e}", page.path));
        assert!(written == page.html, "{} differs", page.path);
    }
    out
}

#[test]
fn the_built_site_is_the_site_the_preview_shows() {
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    assert_build_matches_preview(&repo().join("themes"), &dir);
}

/// With eight municipalities or more, each one's pages are rendered on one thread.
#[test]
fn a_larger_built_site_is_the_site_the_preview_shows() {
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    let content = dir.join("content");
    kvalitet::synthetic::generate(&content, 17, 7).unwrap();
    let out = assert_build_of_matches_preview(&content, &repo().join("themes"), &dir);
    let municipalities = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("hele-standarden").is_dir())
        .count();
    assert_eq!(municipalities, 17);
}

#[test]
fn a_theme_may_list_the_municipalities_on_every_page() {
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    let themes = dir.join("themes");
    copy_tree(&repo().join("themes"), &themes);
    let base = themes.join("default/templates/base.html");
    let text = std::fs::read_to_string(&base).unwrap();
    let footer = "<footer class=\"site-footer\">";
    assert!(text.contains(footer));
    std::fs::write(
        &base,
        text.replacen(
            footer,
            // The check report gets no list, hence the `if`.
            &format!("{footer}<p class=\"all\">{{% if municipalities %}}{{% for mu in municipalities %}}{{{{ mu.name }}}};{{% endfor %}}{{% endif %}}</p>"),
            1,
        ),
    )
    .unwrap();
    let out = assert_build_matches_preview(&themes, &dir);
    let page = std::fs::read_to_string(out.join("fredericia/kontakt/index.html")).unwrap();
    assert!(
        page.contains("<p class=\"all\">Fredericia;Holbæk;Holstebro;Odsherred;Slagelse;</p>"),
        "{}",
        page.split("<footer").nth(1).unwrap_or("")
    );
}

#[test]
fn a_theme_missing_a_template_is_told_which_one_to_copy() {
    // A theme copied from the default theme before the check report's rows had partials.
    let scratch = Fixture::empty();
    let dir = scratch.root().to_path_buf();
    let themes = dir.join("themes");
    copy_tree(&repo().join("themes"), &themes);
    std::fs::remove_file(themes.join("default/templates/partials/check-lix-row.html")).unwrap();
    let out = dir.join("output");
    let result = Command::new(env!("CARGO_BIN_EXE_kvalitet"))
        .arg("build")
        .arg("--content")
        .arg(repo().join("content"))
        .arg("--output")
        .arg(&out)
        .arg("--themes")
        .arg(&themes)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(!result.status.success(), "{stderr}");
    assert!(
        stderr.contains("Temaet mangler skabelonen «partials/check-lix-row.html»"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Kopiér templates/partials/check-lix-row.html fra themes/default"),
        "{stderr}"
    );
    assert!(!out.exists(), "no site is published");
}
