//! The TOML parser's syntax errors, told in Danish at the place the editor must change.
//!
//! The parser's own words never reach the editor. Three causes are found before its message is
//! read, because its message names a later place or a wrong cause: a string whose end was
//! forgotten (named once, at its opening; the errors it causes further down are not shown), a
//! character pasted from a word processor (a no-break space, typographic quotes), and a space
//! inside a key. The rest is told by what the parser met, with the hint of the key's kind
//! ([`super::fields`]).

use std::ops::Range;

use crate::diagnostic::{Diagnostic, SHOWN_PER_FILE};

use super::SourceFile;
use super::fields::{Kind, advice, kind_of};
use super::strings::{Literal, Unclosed, first_unclosed, holding, literals};

/// The syntax errors of one file, each `(parser's message, where)`, in the editor's words. A
/// forgotten end of a string is one error at its opening, and the errors after it are dropped;
/// so are the keys of a table written twice. At most [`SHOWN_PER_FILE`] are translated, then one
/// line counts the rest.
pub(super) fn translate_all(
    errors: &[(String, Range<usize>)],
    source: &SourceFile,
) -> Vec<Diagnostic> {
    let lits = literals(&source.text);
    let unclosed = first_unclosed(&source.text, &lits);
    let mut out = Vec::new();
    let mut hidden = 0;
    // Where a table written twice starts: its keys are not told again.
    let mut twice: Option<usize> = None;
    for (message, span) in errors {
        if let Some(u) = &unclosed
            && span.start >= u.open.start
        {
            if out.len() < SHOWN_PER_FILE {
                out.push(unclosed_string(u, source));
            } else {
                hidden += 1;
            }
            break;
        }
        if message.starts_with("duplicate key")
            && let Some(at) = twice
        {
            if !has_header(&source.text, at, span.start, &lits) {
                // The next one is looked for from here: each line is read once.
                twice = Some(span.start.max(at));
                continue;
            }
            twice = None;
        }
        if out.len() >= SHOWN_PER_FILE {
            hidden += 1;
            continue;
        }
        let d = if message.starts_with("duplicate key") {
            let (d, table) = duplicate(span.clone(), source, &lits);
            if table {
                twice = Some(span.end);
            }
            d
        } else {
            translate(message, span.clone(), source, &lits)
        };
        out.push(d);
    }
    if out.is_empty()
        && let Some(u) = &unclosed
    {
        out.push(unclosed_string(u, source));
    }
    for d in &mut out {
        if let Some(line) = &mut d.source_line {
            *line = line.chars().map(shown).collect();
        }
        if let Some(key) = &mut d.key {
            *key = key
                .chars()
                .map(shown)
                .collect::<String>()
                .replace('\t', "⇥");
        }
    }
    if hidden > 0 {
        out.push(Diagnostic::more_in_file(&source.path, hidden));
    }
    out
}

/// Whether a `[table]` line stands between `from` and `to`, outside a string.
fn has_header(text: &str, from: usize, to: usize, lits: &[Literal]) -> bool {
    let mut at = from;
    while let Some(n) = text[at..to.max(at)].find('\n') {
        at += n + 1;
        if text[at..].trim_start().starts_with('[') && holding(lits, at).is_none() {
            return true;
        }
    }
    false
}

/// A key or a table written twice, named, with the line where it was written first; and
/// whether it is a table.
fn duplicate(span: Range<usize>, source: &SourceFile, lits: &[Literal]) -> (Diagnostic, bool) {
    let text = &source.text;
    let name = text
        .get(span.clone())
        .unwrap_or("")
        .trim()
        .trim_matches(['"', '\''])
        .to_string();
    let line = line_of(text, span.start);
    let line_text = text[line.clone()].trim();
    let inside = |at: usize| holding(lits, at).is_some_and(Literal::multiline);
    // Lines before this one, last first, that are not inside a long text.
    let lines_before = text[..line.start]
        .lines()
        .scan(0usize, |at, l| {
            let start = *at;
            *at += l.len() + 1;
            Some((start, l))
        })
        .filter(|(start, _)| !inside(*start))
        .collect::<Vec<_>>();
    if line_text.starts_with('[') {
        let header = line_text.split('#').next().unwrap_or(line_text).trim();
        let first = lines_before
            .iter()
            .find(|(_, l)| l.split('#').next().unwrap_or(l).trim() == header)
            .map(|(start, _)| source.line_at(*start));
        let first = first.map_or(String::new(), |l| format!(" Den første står på linje {l}."));
        let d = Diagnostic::error(
            &source.path,
            format!("Overskriften {header} står to gange i filen"),
        )
        .expected("hver [overskrift] én gang")
        .hint(format!(
            "Flyt linjerne herunder op under den første {header}, og slet denne.{first} Brug [[...]] om ting, der kan være flere af, som [[offers]]"
        ));
        return (source.place(d, span).key(name), true);
    }
    let first = lines_before
        .iter()
        .rev()
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(start, l)| {
            l.split_once('=')
                .is_some_and(|(k, _)| k.trim().trim_matches('"') == name)
                && !inside(*start)
        })
        .map(|(start, _)| *start);
    let path = first
        .and_then(|start| path_at(source, start))
        .unwrap_or_else(|| name.clone());
    let first = first.map_or(String::new(), |start| {
        format!(" Den første står på linje {}.", source.line_at(start))
    });
    let d = Diagnostic::error(
        &source.path,
        format!("Nøglen «{name}» står to gange under samme overskrift"),
    )
    .expected("hver nøgle én gang under hver overskrift")
    .hint(format!("Slet den ene.{first}"));
    (source.place(d, span).key(path), false)
}

fn line_of(text: &str, at: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let at = at.min(text.len());
    let start = memchr::memrchr2(b'\n', b'\r', &bytes[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr2(b'\n', b'\r', &bytes[at..]).map_or(text.len(), |i| at + i);
    start..end
}

/// How far from an error a pasted character is looked for on its line.
const NEAR: usize = 200;

/// The key written at the start of the line holding `at`, if the line is `key = ...`.
fn key_on_line(text: &str, at: usize) -> Option<(String, usize)> {
    let line = line_of(text, at);
    let (key, _) = text[line.clone()].split_once('=')?;
    let trimmed = key.trim();
    let ok = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | ' ' | '\t'));
    ok.then(|| {
        let offset = line.start + key.find(trimmed).unwrap_or(0);
        (trimmed.trim_matches('"').to_string(), offset)
    })
}

/// The key path at `at` for its kind: from the key index if the parser kept the key, else the
/// key as written on the line.
fn path_at(source: &SourceFile, at: usize) -> Option<String> {
    let (written, offset) = key_on_line(&source.text, at)?;
    Some(source.key_at(offset).map(str::to_string).unwrap_or(written))
}

fn last_name(path: &str) -> &str {
    let name = path.rsplit('.').next().unwrap_or(path);
    name.split('[').next().unwrap_or(name)
}

/// The value written after `=` on the line holding `at`, to the line's end or a comment.
fn value_on_line(text: &str, at: usize) -> Option<&str> {
    let line = line_of(text, at);
    let (_, value) = text[line].split_once('=')?;
    let value = match value.find(" #") {
        Some(i) if !value[..i].contains('"') => &value[..i],
        _ => value,
    };
    Some(value.trim())
}

fn place(source: &SourceFile, d: Diagnostic, span: Range<usize>) -> Diagnostic {
    source.place(d, span)
}

/// The one error for a string whose end was forgotten, at its opening quote.
fn unclosed_string(u: &Unclosed, source: &SourceFile) -> Diagnostic {
    let line = source.line_at(u.open.start);
    let key = path_at(source, u.open.start);
    let name = key.as_deref().map(last_name).unwrap_or("text");
    if u.missing_opening {
        let end = u.closed_by.map_or(line, |c| source.line_at(c));
        let d = Diagnostic::error(
            &source.path,
            format!(
                "Teksten efter «{name} =» på linje {line} mangler sine første {}",
                u.quote
            ),
        )
        .expected(format!("{name} = {}", u.quote))
        .hint(format!(
            "Skriv {q} efter = på linje {line}. Tekstens afsluttende {q} står på linje {end}",
            q = u.quote
        ));
        let d = place(source, d, u.open.clone());
        return match key {
            Some(k) => d.key(k),
            None => d,
        };
    }
    let message = if u.quote.len() == 3 {
        format!(
            "Teksten, der begynder på linje {line}, bliver ikke lukket med {}",
            u.quote
        )
    } else {
        format!(
            "Teksten, der begynder med {} på linje {line}, bliver ikke lukket",
            u.quote
        )
    };
    let hint = match (u.quote.len(), u.closed_by) {
        (3, Some(close)) => format!(
            "Sæt {q} på en linje for sig efter tekstens sidste linje. Nu slutter teksten først ved {q} på linje {}, som skulle begynde den næste tekst, og resten af filen bliver læst forkert",
            source.line_at(close),
            q = u.quote
        ),
        (3, None) => format!(
            "Sæt {} på en linje for sig efter tekstens sidste linje. Nu fortsætter teksten til slutningen af filen",
            u.quote
        ),
        _ => format!(
            "Tekst over flere linjer skrives mellem \"\"\" og \"\"\": skriv {name} = \"\"\" her og \"\"\" på en linje for sig efter teksten"
        ),
    };
    let d = Diagnostic::error(&source.path, message)
        .expected(format!(
            "{} på en linje for sig, hvor teksten slutter",
            "\"\"\""
        ))
        .hint(hint);
    let d = place(source, d, u.open.clone());
    match key {
        Some(k) => d.key(k),
        None => d,
    }
}

/// A character pasted from a word processor, and how it is named.
fn pasted(c: char) -> Option<(&'static str, bool)> {
    // (name, whether it is invisible and shown as ⍽)
    Some(match c {
        '\u{a0}' => ("et hårdt mellemrum", true),
        '\u{202f}' => ("et smalt hårdt mellemrum", true),
        '\u{2007}' => ("et tal-mellemrum", true),
        '\u{2000}'..='\u{2006}' | '\u{2008}' | '\u{2009}' | '\u{200a}' | '\u{3000}' => {
            ("et specielt mellemrum", true)
        }
        '\u{200b}' | '\u{2060}' | '\u{feff}' => ("et usynligt tegn uden bredde", true),
        '“' | '”' | '„' | '‟' | '«' | '»' => ("et typografisk anførselstegn", false),
        '’' | '‘' | '‚' | '‛' => ("en typografisk apostrof", false),
        _ => return None,
    })
}

/// How a pasted character is shown in a message: an invisible one as ⍽.
pub(super) fn shown(c: char) -> char {
    match pasted(c) {
        Some((_, true)) => '⍽',
        _ => c,
    }
}

/// The first pasted character on the line holding `at`, outside a closed string, at most
/// [`NEAR`] bytes from `at`.
fn pasted_on_line(text: &str, at: usize, lits: &[Literal]) -> Option<(usize, char)> {
    let line = line_of(text, at);
    let mut from = line.start.max(at.saturating_sub(NEAR));
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = line.end.min(at + NEAR);
    while !text.is_char_boundary(to) {
        to += 1;
    }
    text[from..to]
        .char_indices()
        .map(|(i, c)| (from + i, c))
        .find(|&(i, c)| {
            pasted(c).is_some()
                && !holding(lits, i)
                    .is_some_and(|l| l.close.is_some() && l.span.end > i + c.len_utf8())
        })
}

fn pasted_character(at: usize, c: char, source: &SourceFile, key: Option<String>) -> Diagnostic {
    let (name, invisible) = pasted(c).unwrap_or(("et tegn", false));
    let d = if invisible {
        Diagnostic::error(
            &source.path,
            format!(
                "Linjen har {name} «{}», som ligner et almindeligt mellemrum, men ikke er det",
                shown(c)
            ),
        )
        .expected("almindelige mellemrum")
        .hint("Slet tegnet ved ⍽, og skriv et almindeligt mellemrum, hvis der skal være et. Tegnet kommer ofte med, når tekst kopieres fra Word, en pdf eller en hjemmeside")
    } else {
        let name_key = key.as_deref().map(last_name).unwrap_or("name");
        Diagnostic::error(
            &source.path,
            format!("«{c}» er {name}, som filen ikke kan bruge om en tekst"),
        )
        .expected("lige anførselstegn: \"…\"")
        .hint(format!(
            "Skriv teksten mellem lige anførselstegn, fx {name_key} = \"…\". Word laver \" om til “ og ”, når du skriver; ret dem i en teksteditor"
        ))
    };
    let d = place(source, d, at..at + c.len_utf8());
    match key {
        Some(k) => d.key(k.chars().map(shown).collect::<String>()),
        None => d,
    }
}

/// One syntax error in the editor's words.
fn translate(
    message: &str,
    span: Range<usize>,
    source: &SourceFile,
    lits: &[Literal],
) -> Diagnostic {
    let text = &source.text;
    let at = span.start.min(text.len());
    let key = path_at(source, at);
    if let Some((i, c)) = pasted_on_line(text, at, lits) {
        return pasted_character(i, c, source, key);
    }
    let what = message.split(", expected").next().unwrap_or(message);
    let kind = key.as_deref().and_then(kind_of);
    let name = key.as_deref().map(last_name).unwrap_or("");
    let value = value_on_line(text, at);
    let kind_advice = |fallback: (&str, &str)| match kind {
        Some(k) => advice(k, name, value),
        None => (fallback.0.to_string(), fallback.1.to_string()),
    };
    let e = |m: String| Diagnostic::error(&source.path, m);
    let line = line_of(text, at);
    let line_text = &text[line.clone()];
    let d = match what {
        "invalid basic string" | "invalid literal string" => {
            // The string's line ended before its closing quote: placed at the opening.
            if let Some(open) = lits
                .iter()
                .find(|l| l.close.is_none() && line.contains(&l.span.start))
            {
                let d = e(format!(
                    "Teksten mangler sit afsluttende anførselstegn {}",
                    open.quote
                ))
                .expected(format!("{q}tekst{q} på én linje", q = open.quote))
                .hint(format!(
                    "Sæt {} efter teksten, på samme linje. Tekst over flere linjer skrives mellem \"\"\" og \"\"\"",
                    open.quote
                ));
                return with_key(place(source, d, open.span.start..open.span.start + 1), key);
            }
            e("Teksten kan ikke læses".to_string())
                .expected("tekst i anførselstegn")
                .hint("Tjek anførselstegnene på linjen: teksten skal begynde og slutte med \"")
        }
        "missing escaped value" | "too few unicode value digits" | "invalid unicode escape" => e(
            "En omvendt skråstreg \\ i en tekst skal efterfølges af et bogstav, der betyder noget særligt"
                .to_string(),
        )
        .expected("\\\\ for en omvendt skråstreg")
        .hint("Skriv \\\\ i stedet for \\, eller brug / i stedet"),
        "invalid multi-line basic string" | "invalid multi-line literal string"
            if text[line.start..at].trim_end().ends_with('\\') =>
        {
            e("En omvendt skråstreg \\ i en tekst skal efterfølges af et bogstav, der betyder noget særligt".to_string())
                .expected("\\\\ for en omvendt skråstreg")
                .hint("Skriv \\\\ i stedet for \\, eller brug / i stedet")
        }
        "invalid multi-line basic string" | "invalid multi-line literal string" => {
            e("Teksten bliver ikke lukket".to_string())
                .expected("\"\"\" på en linje for sig, hvor teksten slutter")
                .hint("Sæt \"\"\" på en linje for sig efter tekstens sidste linje")
        }
        "string values must be quoted" => {
            let word = text[span.clone()].trim();
            let (expected, hint) = kind_advice((
                "tekst i anførselstegn",
                "Sæt teksten i lige anførselstegn: \"…\"",
            ));
            let m = match kind {
                Some(Kind::YesNo) => format!("«{word}» kan ikke bruges her: {name} er ja eller nej, skrevet true eller false"),
                Some(Kind::Date) => format!("«{word}» er ikke en dato, som filen kan læse"),
                Some(Kind::Decimal | Kind::Whole) => format!("«{word}» er ikke et tal"),
                _ => format!("Teksten «{word}» står uden anførselstegn"),
            };
            e(m).expected(expected).hint(hint)
        }
        w if w.starts_with("invalid float")
            || w.starts_with("invalid integer")
            || w.starts_with("invalid date")
            || w.starts_with("invalid hexadecimal")
            || w.starts_with("invalid octal")
            || w.starts_with("invalid binary")
            || w.starts_with("invalid boolean")
            || w.contains("leading zero")
            || w.contains("sign")
            || w.contains("radix")
            || w.contains("`_`")
            || w.contains("prefix") =>
        {
            let written = value.unwrap_or("").to_string();
            let (expected, hint) = kind_advice((
                "et tal som 12 eller 12.5, eller tekst i anførselstegn",
                "Skriv tal med punktum før decimalerne og uden mellemrum. Tekst skal stå i anførselstegn",
            ));
            let m = match kind {
                Some(Kind::Date) => format!("«{written}» er ikke en dato, som filen kan læse"),
                _ => format!("«{written}» kan ikke læses som et tal"),
            };
            e(m).expected(expected).hint(hint)
        }
        "unexpected key or value" | "unexpected content" | "invalid value"
        | "invalid key-value pair" | "unexpected content between comment and newline" => {
            let before = text[line.start..at].trim_end();
            let rest = text[at..line.end].trim();
            if rest.starts_with(',')
                && before.chars().last().is_some_and(|c| c.is_ascii_digit())
                && matches!(kind, Some(Kind::Decimal | Kind::Whole) | None)
            {
                let number = value.unwrap_or("").replace(',', ".");
                let message = if kind == Some(Kind::Whole) {
                    format!("Der står et komma efter tallet, men «{name}» er et helt tal")
                } else {
                    "Decimaler skrives efter et punktum, ikke et komma".to_string()
                };
                let (expected, hint) = match kind {
                    Some(k) => advice(k, name, value),
                    None => (
                        "et tal med punktum før decimalerne".to_string(),
                        format!("Skriv {number}"),
                    ),
                };
                e(message).expected(expected)
                    .hint(hint)
            } else if let Some(k) = kind {
                let (expected, hint) = advice(k, name, value);
                e(format!(
                    "Der står mere efter værdien af «{name}»: «{}»",
                    excerpt(rest)
                ))
                .expected(expected)
                .hint(hint)
            } else {
                e(format!("Der står mere på linjen, end der må: «{}»", excerpt(rest)))
                    .expected("én nøgle = værdi eller én [overskrift] pr. linje")
                    .hint("Tekst med mellemrum skal stå i anførselstegn. En kommentar begynder med #")
            }
        }
        "key with no value" => {
            let word = text[line.start..at].trim();
            let after = &text[at..line.end];
            if after.contains('=') && !word.is_empty() && !word.contains(' ') {
                let whole = text[line.start..line.start + line_text.find('=').unwrap_or(0)].trim();
                let joined = key_meant(whole);
                let tab = whole.contains('\t');
                let d = e(format!(
                    "Nøglen «{}» har {} inde i navnet",
                    whole.replace('\t', "⇥"),
                    if tab { "et tabulatortegn «⇥»" } else { "et mellemrum" }
                ))
                .expected("et navn uden mellemrum")
                .hint(format!(
                    "Nøgler har ingen mellemrum. Mente du «{joined}»? Se navnene i filen fra kvalitet new"
                ));
                // At the space itself, where the parser points at the word after it.
                let lead = line_text.len() - line_text.trim_start().len();
                let space = line.start
                    + line_text[lead..]
                        .find(char::is_whitespace)
                        .map(|i| lead + i)
                        .filter(|&i| line.start + i < at)
                        .unwrap_or(at - line.start);
                return with_key(place(source, d, space..space + 1), key);
            } else if !word.is_empty()
                && !word.contains(' ')
                && after.trim_start().starts_with(|c: char| "\"'[{".contains(c) || c.is_ascii_digit())
            {
                e(format!("Der mangler et = mellem nøglen «{word}» og værdien"))
                    .expected(format!("{word} = værdi"))
                    .hint(format!(
                        "Skriv {word} = {}",
                        after.trim()
                    ))
            } else {
                let d = e("Linjen er tekst, men står ikke i en tekst".to_string())
                    .expected("nøgle = værdi")
                    .hint("Tekst skal stå efter en nøgle, fx mellem text = \"\"\" og \"\"\". Tjek om \"\"\" før eller efter teksten mangler. En kommentar begynder med #");
                return place(source, d, line.start..at.max(line.start + 1));
            }
        }
        "missing value for key" | "missing value" => {
            let (expected, hint) = kind_advice((
                "en værdi efter =",
                "Skriv værdien efter =, fx tekst i anførselstegn",
            ));
            e(format!("Nøglen «{name}» har ingen værdi efter ="))
                .expected(expected)
                .hint(hint)
        }
        "invalid unquoted key" | "unquoted keys cannot be empty" => {
            let word = text[line.start..line.end]
                .split(['=', '[', ']'])
                .map(str::trim)
                .find(|w| !w.is_empty())
                .unwrap_or("");
            let danish = word.chars().any(|c| "æøåÆØÅ".contains(c));
            e(if word.is_empty() {
                "Der mangler en nøgle før =".to_string()
            } else {
                format!("«{word}» kan ikke bruges som nøgle")
            })
            .expected("et navn af små bogstaver a-z, tal og _")
            .hint(if danish {
                "Nøglerne er engelske og uden æ, ø og å, fx age_min. Se navnene i filen fra kvalitet new"
            } else {
                "Skriv nøglen, som den står i filen fra kvalitet new, fx age_min = 18. Tekst skal stå efter ="
            })
        }
        "extra `=`" | "extra assignment between key-value pairs" => {
            e("Der er et = for meget".to_string())
                .expected("nøgle = værdi, med ét =")
                .hint("Slet det ekstra =. Står = inde i en tekst, så sæt teksten i anførselstegn")
        }
        "unclosed table" => e("Overskriften mangler sin afsluttende ]".to_string())
            .expected("[navn]")
            .hint(format!("Skriv overskriften som [{}]", header_name(line_text))),
        "unclosed array table" => e("Overskriften mangler sine afsluttende ]]".to_string())
            .expected("[[navn]]")
            .hint(format!("Skriv overskriften som [[{}]]", header_name(line_text))),
        "missing table open" => e("Overskriften mangler sin første [".to_string())
            .expected("[navn]")
            .hint("Skriv overskriften som [navn] eller [[navn]]"),
        "unclosed array" | "missing comma between array elements" | "extra comma in array"
        | "unexpected `=` in array" | "missing array opening" => {
            let m = match what {
                "unclosed array" => "Listen mangler sin afsluttende ]",
                "missing comma between array elements" => {
                    "Der mangler et komma mellem to ting i listen"
                }
                "extra comma in array" => "Der er et komma for meget i listen",
                "unexpected `=` in array" => "Der står et = inde i listen",
                _ => "Listen mangler sin første [",
            };
            let (expected, hint) = kind_advice((
                "en liste som [\"…\", \"…\"]",
                "Skriv listen i firkantede parenteser med komma mellem tingene og hver tekst i anførselstegn: [\"…\", \"…\"]",
            ));
            e(m.to_string()).expected(expected).hint(hint)
        }
        w if w.contains("inline table") || w.contains("key-value pairs") => {
            let m = match what {
                "unclosed inline table" => "Tabellen i { } mangler sin afsluttende }",
                "missing comma between key-value pairs" => {
                    "Der mangler et komma mellem to nøgler i { }"
                }
                "missing assignment between key-value pairs" => {
                    "Der mangler et = mellem en nøgle og dens værdi i { }"
                }
                "extra comma in inline table" => "Der er et komma for meget i { }",
                _ => "Tabellen i { } kan ikke læses",
            };
            e(m.to_string())
                .expected("{ nøgle = værdi, nøgle = værdi } på én linje")
                .hint("Skriv fx address = { street = \"…\", postcode = \"…\", city = \"…\" }: komma mellem parrene og det hele på én linje")
        }
        "invalid comment character" | "missing comment start" => {
            e("Kommentaren har et tegn, der ikke må stå i filen".to_string())
                .expected("almindelig tekst efter #")
                .hint("Slet tegnet fra kommentaren")
        }
        w if w.starts_with("keys cannot be multi-line") => {
            e("En nøgle kan ikke skrives med tre anførselstegn".to_string())
                .expected("nøgle = værdi")
                .hint("Skriv nøglen uden anførselstegn, fx text = \"\"\"")
        }
        w if w.contains("recurs") => {
            e("Der er for mange lister eller tabeller inde i hinanden".to_string())
                .expected("højst nogle få lag af [ ] og { }")
                .hint("Skriv værdien enklere; se eksemplerne i filen fra kvalitet new")
        }
        w if w.starts_with("cannot extend value") => {
            e(format!(
                "«{}» har allerede en værdi, så den kan ikke også være en tabel",
                text[span.clone()].trim()
            ))
            .expected("hver nøgle én gang")
            .hint("Giv den ene et andet navn, eller slet den")
        }
        "carriage return must be followed by newline" => {
            e("Linjen slutter med et tegn, der ikke må stå i filen".to_string())
                .expected("almindelige linjeskift")
                .hint("Gem filen igen i en teksteditor")
        }
        _ => e("Linjen kan ikke læses".to_string())
            .expected("nøgle = værdi eller [overskrift]")
            .hint("Sammenlign linjen med filen fra kvalitet new: tekst i anførselstegn, tal uden, og én nøgle pr. linje"),
    };
    with_key(place(source, d, span), key)
}

fn with_key(d: Diagnostic, key: Option<String>) -> Diagnostic {
    match key {
        Some(k) if d.key.is_none() => d.key(k),
        _ => d,
    }
}

fn header_name(line: &str) -> String {
    let name: String = line
        .trim()
        .trim_start_matches('[')
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
        .collect();
    if name.is_empty() {
        "navn".to_string()
    } else {
        name
    }
}

/// At most 30 characters of a piece of a line, for a message.
fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(30).collect();
    if s.chars().count() > 30 {
        out.push('…');
    }
    out
}

/// The key an editor meant by a name with spaces or tabs in it: its words joined by one `_`
/// ("short name", "short\t_name": "short_name") or by nothing ("da\tys": "days"), whichever
/// the scaffold names; joined by `_` when it names neither.
fn key_meant(written: &str) -> String {
    let words: Vec<&str> = written
        .split_whitespace()
        .map(|w| w.trim_matches('_'))
        .filter(|w| !w.is_empty())
        .collect();
    let by_underscore = words.join("_");
    let together = words.concat();
    let named = |key: &str| {
        crate::scaffold::TEMPLATE.lines().any(|l| {
            l.trim_start_matches(['#', ' '])
                .starts_with(&format!("{key} ="))
        })
    };
    if !named(&by_underscore) && named(&together) {
        together
    } else {
        by_underscore
    }
}
