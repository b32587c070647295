//! What kind of value each key of the content holds, and the one way to tell an editor how to
//! write it. Every message about a value (a syntax error, a wrong type, a value our own types
//! refuse) takes its hint from here, so a key gets the same advice whatever the mistake.
//!
//! Examples in hints are the editor's own value rewritten where one can be read, else plainly
//! made up (`"12 34 56 78"`): a hint never shows a fact that could be taken as real.

use crate::model::{DAY_KEYS, MONTHS};

/// How a key's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `monday` to `sunday`: a time span or "Lukket".
    Weekday,
    /// A unit's `hours`: tables under `[[units.hours]]`, one key per weekday.
    UnitHours,
    YesNo,
    Decimal,
    Whole,
    Date,
    Phone,
    Substances,
    TextList,
    WholeList,
    /// Markdown, usually long: between `"""`.
    Prose,
    Text,
}

/// The kind of the key at `path` (`units[0].hours[0].monday`), from its name and its parent's.
pub(super) fn kind_of(path: &str) -> Option<Kind> {
    let mut names = path.rsplit('.').map(|n| n.split('[').next().unwrap_or(n));
    let name = names.next()?;
    let parent = names.next().unwrap_or("");
    Some(match name {
        n if DAY_KEYS.contains(&n) => Kind::Weekday,
        "hours" if parent == "units" => Kind::UnitHours,
        "anonymous" | "no_deadline" | "used" | "free" | "always_open" => Kind::YesNo,
        "percent" | "lix_warning" => Kind::Decimal,
        "age_min" | "age_max" | "amount_kr" | "case_handling_weeks" | "deadline_weeks" | "days" => {
            Kind::Whole
        }
        "approved_on" | "dated" | "next_revision" | "valid_from" | "valid_to" | "updated"
        | "verified_on" => Kind::Date,
        "phone" => Kind::Phone,
        "number" if parent == "phones" => Kind::Phone,
        "substances" => Kind::Substances,
        "serves" | "also" | "criteria" | "providers" | "steps" | "links" | "covers" => {
            Kind::TextList
        }
        "months" => Kind::WholeList,
        "text"
        | "description"
        | "explanation"
        | "summary"
        | "reading_intro"
        | "purpose"
        | "intro"
        | "for_whom"
        | "provider_requirements"
        | "revision_text"
        | "user_representatives" => Kind::Prose,
        "" => return None,
        _ if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') => Kind::Text,
        _ => return None,
    })
}

/// What a key of `kind` holds, and how to write it. `key` is the key's own name; `written` the
/// value as the editor wrote it, when it can be read.
pub(super) fn advice(kind: Kind, key: &str, written: Option<&str>) -> (String, String) {
    let value = written.map(|w| w.trim().trim_matches(['"', '\'', '“', '”', '„']).trim());
    match kind {
        Kind::Weekday => (
            "et tidsrum i anførselstegn, fx \"8-15.30\", eller \"Lukket\"".to_string(),
            "Hver ugedag har sin egen linje: monday = \"8-15\", tuesday = \"8-15\" og så videre til sunday. Skriv \"Lukket\" for en lukket dag".to_string(),
        ),
        Kind::UnitHours => (
            "åbningstider under [[units.hours]], én ugedag pr. linje".to_string(),
            "Skriv åbningstiderne under en linje med [[units.hours]], én ugedag pr. linje: monday = \"8-15\", tuesday = \"8-15\" og så videre".to_string(),
        ),
        Kind::YesNo => (
            "true (ja) eller false (nej)".to_string(),
            format!(
                "Skriv {key} = true for ja eller {key} = false for nej, uden anførselstegn"
            ),
        ),
        Kind::Decimal => {
            let number = value
                .map(|v| v.trim_end_matches('%').trim().replace(',', "."))
                .filter(|v| v.parse::<f64>().is_ok())
                .unwrap_or_else(|| "12.5".to_string());
            (
                "et tal uden anførselstegn, med punktum før decimalerne".to_string(),
                format!(
                    "Skriv {key} = {number}: decimaler efter et punktum, ikke et komma, og uden % og anførselstegn"
                ),
            )
        }
        Kind::Whole => {
            let digits: String = value
                .map(|v| v.chars().take_while(char::is_ascii_digit).collect())
                .filter(|d: &String| !d.is_empty())
                .unwrap_or_else(|| "14".to_string());
            (
                "et helt tal uden anførselstegn".to_string(),
                format!("Skriv kun tallet, uden enhed og anførselstegn: {key} = {digits}"),
            )
        }
        Kind::Date => {
            let how = match value.and_then(danish_date) {
                Some(iso) if iso.len() == 10 => format!("Skriv {key} = {iso}"),
                Some(iso) => format!("Skriv {key} = \"{iso}\""),
                None => "Skriv datoen som ÅÅÅÅ-MM-DD uden anførselstegn, fx 2024-12-17, eller som \"ÅÅÅÅ-MM\" med anførselstegn, hvis kun måneden er kendt".to_string(),
            };
            (
                "en dato som ÅÅÅÅ-MM-DD, eller \"ÅÅÅÅ-MM\" for en måned".to_string(),
                how,
            )
        }
        Kind::Phone => (
            "otte cifre i anførselstegn, eller et kort nummer som 112 eller 1813".to_string(),
            format!("Skriv nummeret i anførselstegn, fx {key} = \"12 34 56 78\""),
        ),
        Kind::Substances => (
            "en liste i firkantede parenteser".to_string(),
            "Skriv fx substances = [\"drugs\", \"alcohol\"]: drugs for stoffer, alcohol for alkohol"
                .to_string(),
        ),
        Kind::TextList => (
            "en liste af tekster i firkantede parenteser".to_string(),
            format!(
                "Skriv hver tekst i anførselstegn og listen i firkantede parenteser: {key} = [\"…\", \"…\"]"
            ),
        ),
        Kind::WholeList => (
            "en liste af hele tal i firkantede parenteser".to_string(),
            format!("Skriv fx {key} = [1, 6]"),
        ),
        Kind::Prose => (
            "tekst mellem \"\"\" og \"\"\"".to_string(),
            format!(
                "Skriv {key} = \"\"\" på én linje, teksten på de næste linjer og \"\"\" på en linje for sig til sidst"
            ),
        ),
        Kind::Text => {
            let shown = value.filter(|v| {
                !v.is_empty()
                    && v.chars().count() <= 40
                    && !v.starts_with(['[', '{'])
                    && !v.contains(['"', '\n'])
            });
            (
                "tekst i anførselstegn".to_string(),
                match shown {
                    Some(v) => format!("Sæt teksten i lige anførselstegn: {key} = \"{v}\""),
                    None => format!("Sæt teksten i lige anførselstegn: {key} = \"…\""),
                },
            )
        }
    }
}

/// A date as Danes write it ("17. december 2024", "17.12.2024", "17/12/2024", "december 2026")
/// in TOML's form: "2024-12-17", or "2026-12" for a month. `None` if it is not a real date.
pub(super) fn danish_date(raw: &str) -> Option<String> {
    let lower = raw.trim().to_lowercase();
    let parts: Vec<&str> = lower
        .split(|c: char| c == '.' || c == '/' || c == '-' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    let month = |p: &str| -> Option<u32> {
        if let Ok(n) = p.parse::<u32>() {
            return (1..=12).contains(&n).then_some(n);
        }
        let at = MONTHS
            .iter()
            .position(|m| *m == p || (p.len() >= 3 && m.starts_with(p)))?;
        Some(at as u32 + 1)
    };
    let year = |p: &str| -> Option<i32> {
        (p.len() == 4 && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [d, m, y] => {
            let (d, m, y) = (d.parse::<u32>().ok()?, month(m)?, year(y)?);
            (1..=crate::model::days_in_month(y, m))
                .contains(&d)
                .then(|| format!("{y}-{m:02}-{d:02}"))
        }
        [m, y] if m.parse::<u32>().is_err() => Some(format!("{}-{:02}", year(y)?, month(m)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_danes_write_them_are_read() {
        assert_eq!(
            danish_date("17. december 2024").as_deref(),
            Some("2024-12-17")
        );
        assert_eq!(danish_date("17.12.2024").as_deref(), Some("2024-12-17"));
        assert_eq!(danish_date("1/2/2025").as_deref(), Some("2025-02-01"));
        assert_eq!(danish_date("December 2026").as_deref(), Some("2026-12"));
        assert_eq!(danish_date("30. februar 2025"), None);
        assert_eq!(danish_date("snart"), None);
    }

    #[test]
    fn every_key_of_the_scaffold_has_the_kind_its_example_value_has() {
        let scaffold: toml::Table = toml::from_str(&crate::scaffold::switched_on("Prøve")).unwrap();
        let mut checked = 0;
        walk(&toml::Value::Table(scaffold), "", &mut |path, value| {
            let Some(kind) = kind_of(path) else {
                panic!("{path}: no kind");
            };
            let fits = match value {
                toml::Value::Boolean(_) => kind == Kind::YesNo,
                toml::Value::Integer(_) => matches!(kind, Kind::Whole | Kind::Decimal),
                toml::Value::Float(_) => kind == Kind::Decimal,
                toml::Value::Datetime(_) => kind == Kind::Date,
                toml::Value::String(s) => match kind {
                    Kind::Weekday | Kind::Phone | Kind::Text | Kind::Prose => true,
                    Kind::Date => s.len() == 7,
                    _ => false,
                },
                toml::Value::Array(items) => match kind {
                    Kind::Substances | Kind::TextList => items.iter().all(|i| i.is_str()),
                    Kind::WholeList => items.iter().all(|i| i.is_integer()),
                    _ => false,
                },
                toml::Value::Table(_) => true,
            };
            assert!(fits, "{path} = {value} is not {kind:?}");
            checked += 1;
        });
        assert!(checked > 50, "{checked}");
    }

    fn walk(value: &toml::Value, path: &str, f: &mut dyn FnMut(&str, &toml::Value)) {
        match value {
            toml::Value::Table(t) => {
                for (k, v) in t {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    if !v.is_table()
                        && !v.as_array().is_some_and(|a| a.iter().any(|i| i.is_table()))
                    {
                        f(&p, v);
                    }
                    walk(v, &p, f);
                }
            }
            toml::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}[{i}]"), f);
                }
            }
            _ => {}
        }
    }
}
