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
