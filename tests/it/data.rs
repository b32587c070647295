//! Readable by machines, comparable by people: the schema.org JSON-LD on a municipality's front
//! and contact pages, the open data files (`<kommune>/kvalitetsstandard.json`,
//! `data/alle.json`), and the comparison of the municipalities at `sammenlign/`.

use kvalitet::check::{RULES, Status};
use serde_json::Value;

use crate::fixture::{BUNDLED, Fixture};

/// The JSON-LD of a built page, parsed; `None` when the page has none.
fn json_ld(html: &str) -> Option<Value> {
    let start = html.find("<script type=\"application/ld+json\">")?;
    let rest = &html[start..];
    let body = &rest[rest.find('>')? + 1..rest.find("</script>")?];
    Some(serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}")))
}

/// Every value of `v` is a fact: no null, no empty text, list or object.
fn assert_no_empty_value(v: &Value, at: &str) {
    match v {
        Value::Null => panic!("null at {at}"),
        Value::String(s) => assert!(!s.trim().is_empty(), "empty text at {at}"),
        Value::Array(a) => {
            assert!(!a.is_empty(), "empty list at {at}");
            for (i, item) in a.iter().enumerate() {
                assert_no_empty_value(item, &format!("{at}[{i}]"));
            }
        }
        Value::Object(o) => {
            assert!(!o.is_empty(), "empty object at {at}");
            for (k, item) in o {
                assert_no_empty_value(item, &format!("{at}.{k}"));
            }
        }
        _ => {}
    }
}

fn channel<'a>(ld: &'a Value, name: &str) -> &'a Value {
    ld["availableChannel"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no channel {name} in {ld:#}"))
}

fn days(specs: &Value) -> Vec<(String, String, String)> {
    specs
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["@type"], "OpeningHoursSpecification");
            (
                s["dayOfWeek"].as_str().unwrap().to_string(),
                s["opens"].as_str().unwrap().to_string(),
                s["closes"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn front_and_contact_pages_describe_the_service_with_the_facts_the_file_gives() {
    let f = Fixture::bundled();
    f.build();
    for path in ["holstebro/index.html", "holstebro/kontakt/index.html"] {
        let ld = json_ld(&f.page(path)).unwrap_or_else(|| panic!("no JSON-LD on {path}"));
        assert_no_empty_value(&ld, path);
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], "GovernmentService");
        assert_eq!(ld["provider"]["@type"], "GovernmentOrganization");
        assert_eq!(ld["provider"]["name"], "Holstebro Kommune");
        let areas: Vec<&str> = ld["areaServed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(areas, ["Holstebro Kommune", "Lemvig", "Struer"], "{path}");
        // Holstebro's file leaves `payment.free` out: the data says nothing about the price.
        assert!(ld.get("isAccessibleForFree").is_none(), "{path}");

        let unit = channel(&ld, "Stofbehandlingen Holstebro");
        assert_eq!(unit["@type"], "ServiceChannel");
        assert_eq!(unit["servicePhone"]["@type"], "ContactPoint");
        assert_eq!(unit["servicePhone"]["telephone"], "+4596114050");
        // "Telefontræffetid" are the phone's hours.
        let phone_hours = days(&unit["servicePhone"]["hoursAvailable"]);
        assert_eq!(phone_hours.len(), 5);
        assert!(phone_hours.contains(&(
            "https://schema.org/Thursday".into(),
            "09:00".into(),
            "17:00".into()
        )));
        let place = &unit["serviceLocation"];
        assert_eq!(place["@type"], "Place");
        assert_eq!(place["address"]["@type"], "PostalAddress");
        assert_eq!(place["address"]["streetAddress"], "Danmarksgade 24");
        assert_eq!(place["address"]["postalCode"], "7500");
        // "Åbningstid" are the place's opening hours; the café's and the medicine's hours
        // are neither, and are not said.
        let opening = days(&place["openingHoursSpecification"]);
        assert!(opening.contains(&(
            "https://schema.org/Friday".into(),
            "08:00".into(),
            "13:30".into()
        )));
        assert_eq!(opening.len(), 5, "{opening:?}");
        assert!(!ld.to_string().contains("\"09:00\",\"opens\":\"08:00\""));
    }
    // Other pages carry no JSON-LD.
    assert!(json_ld(&f.page("holstebro/klage/index.html")).is_none());
}

#[test]
fn a_fact_the_file_leaves_out_is_left_out_of_the_json_ld() {
    let f = Fixture::bundled();
    f.build();
    // Holbæk's units have no phone number, the Kasernevej address no postcode, and its only
    // hours are labelled "Dagbehandling": neither opening nor phone hours.
    let ld = json_ld(&f.page("holbaek/kontakt/index.html")).unwrap();
    assert_no_empty_value(&ld, "holbaek");
    let text = ld.to_string();
    assert!(!text.contains("servicePhone"), "{ld:#}");
    assert!(!text.contains("hoursAvailable"), "{ld:#}");
    assert!(!text.contains("openingHoursSpecification"), "{ld:#}");
    let kasernevej = channel(&ld, "Rusmiddelcenter Holbæk, Kasernevej");
    assert!(
        kasernevej["serviceLocation"]["address"]
            .get("postalCode")
            .is_none()
    );
    // Holbæk's file says treatment is free.
    assert_eq!(ld["isAccessibleForFree"], true);
}

#[test]
fn content_cannot_close_the_json_ld_script() {
    let f = Fixture::bundled();
    f.edit(
        "holbaek.toml",
        "name = \"Rusmiddelcenter Holbæk, Kasernevej\"",
        "name = \"Kasernevej</script><script>alert(1)</script>\"",
    );
    f.build();
    let html = f.page("holbaek/index.html");
    let ld = json_ld(&html).unwrap();
    channel(&ld, "Kasernevej</script><script>alert(1)</script>");
    assert!(!html.contains("<script>alert(1)"));
}

/// A municipality file as TOML, to compare the data files with what the editor wrote.
fn content_toml(f: &Fixture, file: &str) -> toml::Value {
    toml::from_str(&f.read(file)).unwrap()
}

#[test]
fn the_open_data_files_parse_and_say_what_the_content_says() {
    let f = Fixture::bundled();
    f.build();
    let all: Value = serde_json::from_str(&f.page("data/alle.json")).unwrap();
    assert_eq!(all["version"], 1);
    let listed = all["municipalities"].as_array().unwrap();
    let slugs: Vec<&str> = listed
        .iter()
        .map(|m| m["municipality"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, BUNDLED);
    for (slug, in_all) in slugs.iter().zip(listed) {
        let own: Value =
            serde_json::from_str(&f.page(&format!("{slug}/kvalitetsstandard.json"))).unwrap();
        assert_eq!(own["version"], 1, "{slug}");
        // The file of all holds each one's file but its texts, and says where they are.
        let file_name = format!("{slug}/kvalitetsstandard.json");
        assert_eq!(in_all["file"], file_name.as_str());
        let mut own = own;
        let fields = own.as_object_mut().unwrap();
        fields.remove("version");
        let texts = fields.remove("texts").unwrap();
        assert!(!texts.as_array().unwrap().is_empty(), "{slug} has texts");
        fields.insert("file".into(), Value::String(file_name));
        assert_eq!(&own, in_all, "{slug}: data/alle.json says otherwise");

        let file = content_toml(&f, &format!("{slug}.toml"));
        let facts = &own["facts"];
        assert_eq!(own["municipality"]["name"], file["name"].as_str().unwrap());
        assert_eq!(
            facts["guarantee_days"].as_i64(),
            file.get("guarantee")
                .map(|g| g["days"].as_integer().unwrap()),
            "{slug}"
        );
        let months: Vec<i64> = file
            .get("follow_up")
            .map(|fu| {
                fu["months"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_integer().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        let published: Vec<i64> = facts["follow_up_months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_i64().unwrap())
            .collect();
        assert_eq!(published, months, "{slug}");
        // Every unit's phone number, as the editor wrote it, digits for digits.
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let units = file.get("units").and_then(|u| u.as_array()).cloned();
        for (unit, data) in units
            .unwrap_or_default()
            .iter()
            .zip(facts["units"].as_array().unwrap())
        {
            assert_eq!(data["name"], unit["name"].as_str().unwrap());
            let written: Vec<String> = unit
                .get("phone")
                .into_iter()
                .map(|p| digits(p.as_str().unwrap()))
                .collect();
            let published: Vec<String> = data["phones"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["label"].is_null())
                .map(|p| {
                    p["number"]["dial"]
                        .as_str()
                        .unwrap()
                        .trim_start_matches("+45")
                        .to_string()
                })
                .collect();
            assert_eq!(published, written, "{slug}: {}", data["name"]);
        }
    }
    let odsherred: Value =
        serde_json::from_str(&f.page("odsherred/kvalitetsstandard.json")).unwrap();
    assert_eq!(odsherred["approval"]["approved_on"], "2024-12-17");
    assert_eq!(odsherred["approval"]["approved_by"], "Byrådet");
    assert_eq!(odsherred["approval"]["next_revision"], "2026-12");
    assert_eq!(odsherred["facts"]["free_of_charge"], true);
    assert_eq!(odsherred["facts"]["targets"].as_array().unwrap().len(), 3);
    let holstebro: Value =
        serde_json::from_str(&f.page("holstebro/kvalitetsstandard.json")).unwrap();
    // Left out of the file, so unknown: not "false".
    assert!(holstebro["facts"]["free_of_charge"].is_null());
    assert_eq!(
        holstebro["facts"]["units"][0]["phones"][0]["number"]["dial"],
        "+4596114050"
    );
    // The texts, as plain text and as HTML, under the key the file gives them.
    let free_choice = holstebro["texts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "free_choice.text")
        .unwrap();
    assert!(!free_choice["text"].as_str().unwrap().is_empty());
    assert!(free_choice["html"].as_str().unwrap().contains("<p>"));
}

#[test]
fn the_glossary_links_in_the_open_data_lead_to_the_glossary() {
    let f = Fixture::bundled();
    f.build();
    let mut linked = 0;
    for slug in BUNDLED {
        let file = f.page(&format!("{slug}/kvalitetsstandard.json"));
        let data: Value = serde_json::from_str(&file).unwrap();
        for text in data["texts"].as_array().unwrap() {
            let html = text["html"].as_str().unwrap();
            // No character a browser would take into the address: the pages' own
            // placeholder for their way to the site root is theirs alone.
            let control = |c: char| c.is_control() && c != '\n';
            assert!(!html.contains(control), "{slug} {}: {html}", text["key"]);
            // From the file's own address, as from a page at the same depth.
            for (at, _) in html.match_indices("class=\"term\" href=\"") {
                let href = &html[at + 19..];
                assert!(href.starts_with("../ordliste/#"), "{slug}: {href}");
                linked += 1;
            }
        }
    }
    assert!(linked > 0, "the bundled texts use words from the glossary");
}

#[test]
fn a_draft_build_writes_no_open_data() {
    let f = Fixture::bundled();
    let mut options = f.options();
    options.draft = true;
    kvalitet::build::build(&options, &f.output()).unwrap();
    assert!(!f.output().join("data").exists());
    assert!(!f.output().join("holbaek/kvalitetsstandard.json").exists());
    // The comparison is there, without a link to the data the draft does not have.
    let compare = f.page("sammenlign/index.html");
    assert!(compare.contains("<table"));
    assert!(!compare.contains("alle.json"));
}

/// The cells of the comparison's row of `slug`: (text, link) of each `<td>`.
fn row_cells(html: &str, slug: &str) -> Vec<(String, Option<String>)> {
    let row = html
        .split(&format!("<tr id=\"{slug}\">"))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_else(|| panic!("no row {slug}"));
    row.split("<td>")
        .skip(1)
        .map(|cell| {
            let cell = cell.split("</td>").next().unwrap();
            let link = cell
                .split("href=\"")
                .nth(1)
                .map(|h| h.split('"').next().unwrap().to_string());
            (crate::fixture::text(cell), link)
        })
        .collect()
}

#[test]
fn the_comparison_has_a_row_per_municipality_and_the_facts_of_each() {
    let f = Fixture::bundled();
    f.build();
    assert!(f.page("index.html").contains("href=\"sammenlign/\""));
    let html = f.page("sammenlign/index.html");
    assert!(html.contains("<caption"));
    let headers: Vec<&str> = html
        .split("<th scope=\"col\">")
        .skip(1)
        .map(|h| h.split("</th>").next().unwrap())
        .collect();
    assert_eq!(
        headers,
        [
            "Kommune",
            "Garanti",
            "Opfølgning",
            "Anonym behandling",
            "Frit valg",
            "Mål i tal",
            "Godkendt",
            "Næste revision",
            "LIX",
            "Lovens krav beskrevet",
            "Lovens krav delvis beskrevet",
            "Lovens krav, der mangler",
        ]
    );
    assert_eq!(html.matches("<th scope=\"row\">").count(), 5);
    for slug in BUNDLED {
        assert_eq!(row_cells(&html, slug).len(), headers.len() - 1, "{slug}");
    }

    // Odsherred, against its file and the check report /tjek/ is made from.
    let cells = row_cells(&html, "odsherred");
    let link = |s: &str| Some(format!("../odsherred/{s}"));
    assert_eq!(cells[0], ("14 dage".into(), link("dine-rettigheder/")));
    assert_eq!(
        cells[1],
        ("Efter 1 og 3 måneder".into(), link("plan-og-opfoelgning/"))
    );
    assert_eq!(cells[2], ("Ja".into(), link("tilbud/")));
    assert_eq!(cells[3], ("Beskrevet".into(), link("dine-rettigheder/")));
    assert!(cells[4].0.starts_with("3 mål"), "{:?}", cells[4]);
    assert!(cells[4].0.contains("højst 30 %"), "{:?}", cells[4]);
    assert_eq!(cells[4].1, link("kvalitet/"));
    assert_eq!(
        cells[5],
        (
            "17. december 2024 af Byrådet".into(),
            link("om-standarden/")
        )
    );
    assert_eq!(cells[6], ("december 2026".into(), link("om-standarden/")));

    let content = kvalitet::pipeline::load_content(&f.content()).unwrap();
    let report = kvalitet::build::check_content(&content);
    let summary = report
        .municipalities
        .iter()
        .find(|m| m.slug == "odsherred")
        .unwrap();
    let lix = summary.lix_total.lix.unwrap();
    let lix_text = format!("{lix}").replace('.', ",");
    assert!(cells[7].0.starts_with(&lix_text), "{:?} vs {lix}", cells[7]);
    assert_eq!(cells[7].1, link("hele-standarden/"));
    let count = |status: Status| {
        RULES
            .iter()
            .filter(|r| r.legal && r.id != "WAS")
            .filter(|r| report.status("odsherred", r.id) == status)
            .count()
            .to_string()
    };
    let tjek = Some("../tjek/".to_string());
    assert_eq!(cells[8], (count(Status::Present), tjek.clone()));
    assert_eq!(cells[9], (count(Status::Partial), tjek.clone()));
    assert_eq!(cells[10], (count(Status::Missing), tjek));

    // Fredericia's file has no approval: the table says so, and links nowhere.
    let fredericia = row_cells(&html, "fredericia");
    assert_eq!(fredericia[5], ("Står ikke i standarden".into(), None));
    assert_eq!(fredericia[4], ("Ingen mål i tal".into(), None));
}

#[test]
fn a_municipality_file_cannot_take_the_address_of_the_comparison_or_the_data() {
    for (file, what) in [
        ("sammenlign.toml", "sammenligningen af kommunerne"),
        ("data.toml", "de åbne data"),
    ] {
        let f = Fixture::bundled();
        f.write(file, f.read("odsherred.toml"));
        let errors = f.try_build().expect_err(file);
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains(file) && e.message.contains(what)),
            "{file}: {errors:?}"
        );
        assert!(!f.output().exists(), "{file}: nothing is written");
    }
}
