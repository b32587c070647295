use super::*;

/// Every key of the model has a Danish explanation in the scaffold (or the site template).
#[test]
fn every_key_of_the_model_is_explained() {
    let (_, kommune) = generate::<Municipality>("", "", TEMPLATE);
    let (_, site) = generate::<Site>("", "", SITE_TEMPLATE);
    assert!(
        kommune.is_empty() && site.is_empty(),
        "keys without an explanation in src/scaffold.toml: {kommune:?}; in src/scaffold_site.toml: {site:?}"
    );
}

/// The values of `tests/schema/samples.json`, which `tests/schema/validate.py` holds the
/// schema's patterns to, are what the loader accepts and refuses.
#[test]
fn the_pattern_samples_are_what_the_loader_accepts() {
    use crate::model::{PartialDate, Phone, TimeRange};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema/samples.json");
    let samples: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let accepts = |kind: &str, value: &str| -> bool {
        match kind {
            "phone" => serde_json::from_value::<Phone>(Value::from(value)).is_ok(),
            "hours" => TimeRange::parse(value).is_ok(),
            "date" => PartialDate::parse(value).is_ok(),
            _ => panic!("unknown kind {kind}"),
        }
    };
    for kind in ["phone", "hours", "date"] {
        for (list, expected) in [("valid", true), ("invalid", false)] {
            let values = samples[kind][list].as_array().unwrap();
            assert!(!values.is_empty());
            for value in values {
                let value = value.as_str().unwrap();
                assert_eq!(accepts(kind, value), expected, "{kind} {value:?}");
            }
        }
    }
}

#[test]
fn the_site_template_is_a_valid_site_toml() {
    let source = crate::load::SourceFile::new("site.toml".into(), SITE_TEMPLATE.to_string());
    let site: Site = crate::load::parse(&source).unwrap();
    assert_eq!(site.theme, "default");
}

/// Required keys hold for a table with something in it; a table of blank text only is left
/// out when read, so the schema allows it, as the loader does.
#[test]
fn a_blank_table_may_lack_its_required_keys() {
    let schema = kommune_schema();
    let guarantee = &schema["properties"]["guarantee"];
    assert_eq!(
        guarantee["anyOf"][0]["required"],
        serde_json::json!(["days"])
    );
    assert!(guarantee.get("required").is_none());
    assert_eq!(schema["required"], serde_json::json!(["name"]));
}
