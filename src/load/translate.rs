//! Parser and type errors from TOML and serde, said in Danish and placed at their key.

use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, SHOWN_PER_FILE, nearest};

use super::SourceFile;
use super::fields::{Kind, advice, danish_date, kind_of};

/// Parses a file into `T`, turning serde's English into a Danish diagnostic.
pub fn parse<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    toml::from_str::<T>(&source.text).map_err(|e| translate::<T>(&e, source))
}

pub(super) fn translate<T: DeserializeOwned>(
    e: &toml::de::Error,
    source: &SourceFile,
) -> Diagnostic {
    let message = e.message().trim().to_string();
    let span = e.span().unwrap_or(0..0);
    let key = source.key_at(span.start).map(str::to_string);
    let base = source.place(Diagnostic::error(&source.path, ""), span.clone());
    let mut d = danish_message(&message, key.as_deref(), source, span, &|k| {
        belongs_at_top::<T>(k)
    });
    d.file = base.file;
    if d.line.is_none() {
        d.line = base.line;
        d.column = base.column;
        d.source_line = base.source_line;
        d.caret = base.caret;
        d.underline = base.underline;
    }
    if d.key.is_none() {
        d.key = key;
    }
    d
}

/// The errors of one file in Danish: the syntax errors (`syntax`) with those a forgotten end of
/// a string causes left out, or the one type error. At most [`SHOWN_PER_FILE`] are translated,
/// then one line counts the rest: a file of junk has one error per line.
pub(super) fn translate_all<T: DeserializeOwned>(
    errors: &[toml::de::Error],
    syntax: bool,
    source: &SourceFile,
) -> Vec<Diagnostic> {
    if syntax {
        let errors: Vec<(String, Range<usize>)> = errors
            .iter()
            .map(|e| (e.message().trim().to_string(), e.span().unwrap_or(0..0)))
            .collect();
        return super::syntax::translate_all(&errors, source);
    }
    let mut shown: Vec<Diagnostic> = errors
        .iter()
        .take(SHOWN_PER_FILE)
        .map(|e| translate::<T>(e, source))
        .collect();
    if errors.len() > SHOWN_PER_FILE {
        let more = errors.len() - SHOWN_PER_FILE;
        shown.push(Diagnostic::more_in_file(&source.path, more));
    }
    shown
}

/// Whether `key` is a key of the file's top level (so it was written under the wrong table).
fn belongs_at_top<T: DeserializeOwned>(key: &str) -> bool {
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    match toml::from_str::<T>(&format!("{key} = 0")) {
        Ok(_) => true,
        Err(e) => !e.message().starts_with("unknown field"),
    }
}

fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

fn danish_message(
    message: &str,
    key: Option<&str>,
    source: &SourceFile,
    span: Range<usize>,
    top_level: &dyn Fn(&str) -> bool,
) -> Diagnostic {
    let d = |msg: String| Diagnostic::error(&source.path, msg);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let names = backticked(rest);
        let unknown = names.first().copied().unwrap_or("?");
        let expected = &names[1.min(names.len())..];
        let mut diag = d(format!("Ukendt nøgle «{unknown}»"))
            .expected(format!("en af: {}", expected.join(", ")));
        let table = source
            .key_named_at(span.start, unknown)
            .map(|k| k.strip_suffix(unknown).unwrap_or(k).trim_end_matches('.'))
            .or(key)
            .unwrap_or("");
        diag = match nearest(unknown, expected.iter().copied()) {
            Some(near) => diag.hint(format!("Mente du «{near}»?")),
            None if !table.is_empty() && top_level(unknown) => diag.hint(format!(
                "«{unknown}» hører til øverst i filen, men står under overskriften [{}]. Flyt linjen op over den første overskrift i [firkantede parenteser]",
                table.split('[').next().unwrap_or(table)
            )),
            None => match super::examples::headers_with_key(unknown).as_slice() {
                [] => diag.hint("Se listen over nøgler i filen, som `kvalitet new` laver"),
                headers => diag.hint(format!(
                    "«{unknown}» hører til under {}. En linje hører altid til den sidste [overskrift] over den. Flyt linjen op under den rigtige overskrift",
                    danish_or(headers)
                )),
            },
        };
        // The key itself, not the table it is in.
        let path = match source.key_named_at(span.start, unknown) {
            Some(k) => k.to_string(),
            None => match key {
                Some(k) => format!("{k}.{unknown}"),
                None => unknown.to_string(),
            },
        };
        return diag.key(path);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).first().copied().unwrap_or("?").to_string();
        // serde reports the span of the table that lacks the field; the whole file is the top.
        let table = source.table_with_span(&span).unwrap_or("");
        let path = if table.is_empty() {
            field.clone()
        } else {
            format!("{table}.{field}")
        };
        let where_ = under_heading(table);
        return d(format!("Det påkrævede felt «{field}» mangler {where_}"))
            .expected(format!("{field} = ..."))
            .hint(format!("Tilføj linjen «{field} = ...» {where_}"))
            .key(path);
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let names = backticked(rest);
        let unknown = names.first().copied().unwrap_or("?");
        let expected = &names[1.min(names.len())..];
        let mut diag = d(format!("Ukendt værdi «{unknown}»"))
            .expected(format!("en af: {}", expected.join(", ")));
        if let Some(near) = nearest(unknown, expected.iter().copied()) {
            diag = diag.hint(format!("Mente du «{near}»?"));
        }
        return diag;
    }
    if let Some(rest) = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        if let Some(d) = out_of_range(found, expected, &d) {
            return d;
        }
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = match key.and_then(|k| Some((k, kind_of(k)?))) {
            // A topic's table and a text both have plain names: only a string is a text.
            Some((k, kind)) if kind != Kind::Text || expected.contains("string") => advice(
                kind,
                k.rsplit('.').next().unwrap_or(k),
                source.text.get(span.clone()),
            ),
            _ => danish_expected(expected),
        };
        return d(format!(
            "Værdien har forkert form: der står {}",
            danish_found(found)
        ))
        .expected(expected.0)
        .hint(expected.1);
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = danish_expected(expected);
        return d(format!("Ugyldig værdi: {}", danish_found(found)))
            .expected(expected.0)
            .hint(expected.1);
    }
    if message.starts_with("wanted ")
        || message.starts_with("expected ")
        || message.starts_with("unexpected keys")
        || message.contains("overflowed")
    {
        // The deserializer's own checks of a value's form (an enum given a number, a number
        // too large for any type).
        let written = source.text.get(span.clone()).unwrap_or("").trim();
        let (expected, hint) = match key.and_then(|k| Some((k, kind_of(k)?))) {
            Some((k, kind)) if kind != Kind::Text => {
                advice(kind, k.rsplit('.').next().unwrap_or(k), Some(written))
            }
            _ => (
                "et af de faste ord i anførselstegn".to_string(),
                "Skriv værdien, som den står i filen fra kvalitet new, med anførselstegn om ord"
                    .to_string(),
            ),
        };
        return d(format!("«{}» kan ikke bruges her", shorten(written)))
            .expected(expected)
            .hint(hint);
    }
    if message.is_ascii() && !message.contains('«') {
        // The TOML syntax itself is broken.
        return super::syntax::translate_all(&[(message.to_string(), span)], source)
            .pop()
            .unwrap_or_else(|| d("Linjen kan ikke læses".to_string()));
    }
    own_message(message, key, source, span)
}

/// A message of our own deserializers (`src/model/`): Danish, its first sentence the message
/// and the rest its hint. A sentence ends at ". " outside «», where the editor's value is
/// quoted; a key whose kind is known gets its kind's hint instead (a weekday keeps a hint of its
/// own, which says what is wrong with the time span).
fn own_message(
    message: &str,
    key: Option<&str>,
    source: &SourceFile,
    span: Range<usize>,
) -> Diagnostic {
    let (first, rest) = split_sentence(message);
    let mut chars = first.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let mut diag = Diagnostic::error(&source.path, first);
    if let Some(rest) = rest {
        diag = diag.hint(rest.to_string());
    }
    let Some(key) = key else { return diag };
    let Some(kind) = kind_of(key) else {
        return diag;
    };
    let written = source.text.get(span).map(str::trim);
    let name = key.rsplit('.').next().unwrap_or(key);
    let (expected, hint) = advice(kind, name, written);
    match kind {
        Kind::Weekday => {
            let value = written.unwrap_or("").trim_matches('"');
            if names_weekdays(value) {
                return Diagnostic::error(
                    &source.path,
                    format!("«{value}» nævner ugedage, men hver ugedag er sin egen nøgle"),
                )
                .expected(expected)
                .hint(hint);
            }
            diag.expected(expected)
        }
        Kind::Date => {
            let value = written.unwrap_or("").trim_matches('"');
            if danish_date(value).is_some() {
                diag = Diagnostic::error(
                    &source.path,
                    format!("Datoen «{value}» skal skrives som ÅÅÅÅ-MM-DD"),
                );
            }
            diag.expected(expected).hint(hint)
        }
        Kind::Phone => diag.expected(expected).hint(hint),
        _ => diag,
    }
}

/// The first sentence of `message` and the rest: split at the first ". " outside «».
fn split_sentence(message: &str) -> (String, Option<&str>) {
    let mut depth = 0usize;
    for (i, c) in message.char_indices() {
        match c {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            '.' if depth == 0 && message[i + 1..].starts_with(' ') => {
                let rest = message[i + 2..].trim();
                return (message[..i].to_string(), (!rest.is_empty()).then_some(rest));
            }
            _ => {}
        }
    }
    (message.to_string(), None)
}

/// Whether an opening-hours value names days ("man-fre 8-15", "Mandag: 8-15").
fn names_weekdays(value: &str) -> bool {
    let lower = value.to_lowercase();
    lower.split(|c: char| !c.is_alphabetic()).any(|w| {
        ["man", "tir", "ons", "tor", "tors", "fre", "lør", "søn"].contains(&w)
            || [
                "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
            ]
            .contains(&w)
    })
}

/// At most 40 characters of what the editor wrote, for a message.
fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A whole number outside the range of the field's type (`days = 99999999999999999999`): said
/// to be too large or too small, with the range, rather than "not a whole number".
fn out_of_range(
    found: &str,
    expected: &str,
    d: &dyn Fn(String) -> Diagnostic,
) -> Option<Diagnostic> {
    let number = found.strip_prefix("integer ")?.split('`').nth(1)?;
    let (min, max): (i128, i128) = match expected.trim().trim_start_matches("a ") {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    };
    let negative = number.starts_with('-');
    // Beyond even i128: its sign says which way.
    let value: i128 = number
        .parse()
        .unwrap_or(if negative { i128::MIN } else { i128::MAX });
    let what = if value > max {
        "for stort"
    } else if value < min {
        "for lille"
    } else {
        return None;
    };
    Some(
        d(format!("Tallet {number} er {what}"))
            .expected(format!("et helt tal fra {min} til {max}"))
            .hint("Tjek tallet. Skriv fx 14 for 14 dage"),
    )
}

fn danish_found(found: &str) -> String {
    if let Some(s) = found.strip_prefix("string ") {
        format!("teksten {s}")
    } else if let Some(n) = found.strip_prefix("integer ") {
        format!("tallet {}", n.trim_matches('`'))
    } else if let Some(n) = found.strip_prefix("floating point ") {
        format!("kommatallet {}", n.trim_matches('`'))
    } else if let Some(b) = found.strip_prefix("boolean ") {
        b.trim_matches('`').to_string()
    } else {
        match found {
            "sequence" => "en liste".to_string(),
            "map" => "en tabel".to_string(),
            other => other.to_string(),
        }
    }
}

/// What was expected, and how to write it.
fn danish_expected(expected: &str) -> (String, String) {
    let e = expected.trim();
    if e.starts_with('u') || e.starts_with('i') && e[1..].chars().all(|c| c.is_ascii_digit()) {
        return (
            "et helt tal uden anførselstegn".to_string(),
            "Skriv fx 14, ikke \"14\" eller \"14 dage\"".to_string(),
        );
    }
    if e.starts_with('f') {
        return (
            "et tal uden anførselstegn".to_string(),
            "Skriv fx 35 eller 35.5 (med punktum), ikke \"35 %\"".to_string(),
        );
    }
    if e == "a boolean" {
        return (
            "true eller false".to_string(),
            "Skriv true (ja) eller false (nej) uden anførselstegn".to_string(),
        );
    }
    if e.contains("string") {
        return (
            "tekst i anførselstegn".to_string(),
            "Sæt teksten i anførselstegn, fx \"Mandag\"".to_string(),
        );
    }
    if e.contains("sequence") {
        return (
            "en liste".to_string(),
            "Skriv en liste i firkantede parenteser med komma mellem tingene: [\"…\", \"…\"]"
                .to_string(),
        );
    }
    if e.starts_with("struct") || e.contains("map") {
        return (
            "en tabel".to_string(),
            "Skriv feltet som en tabel med [navn] og linjer med nøgle = værdi".to_string(),
        );
    }
    (
        e.to_string(),
        "Sammenlign med et eksempel fra `kvalitet new`".to_string(),
    )
}

/// Where a key goes, as the editor sees the file: "øverst i filen", "under \[guarantee\]", for
/// the third `[[offers]]` "under den 3. \[\[offers\]\]", and for a table inside the first
/// `[[units]]` "i «address» under den 1. \[\[units\]\]".
fn under_heading(table: &str) -> String {
    if table.is_empty() {
        return "øverst i filen".to_string();
    }
    let (head, inner) = match table.split_once("].") {
        Some((head, inner)) => (format!("{head}]"), Some(inner)),
        None => (table.to_string(), None),
    };
    let heading = match head.strip_suffix(']').and_then(|t| t.rsplit_once('[')) {
        Some((name, index)) => match index.parse::<usize>() {
            Ok(i) => format!("under den {}. [[{name}]]", i + 1),
            Err(_) => format!("under [{head}]"),
        },
        None => format!("under [{head}]"),
    };
    match inner {
        Some(inner) => format!("i «{inner}» {heading}"),
        None => heading,
    }
}

/// "a", "a eller b", "a, b eller c".
fn danish_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} eller {last}", rest.join(", ")),
    }
}
