//! Control characters in content. TOML refuses them written as they are, but lets a string
//! write them as escapes (`"\u0001"`, `"\b"`, `"\e"`). Content may not: HTML has no place for
//! them, a terminal would obey them, and the generator's own placeholder marks in its HTML
//! (the root token, the check report's row marks) are written with U+0001. A file whose text
//! holds one is refused at that string's line, so no page can hold one from content.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// Whether `c` may not stand in content: the C0 controls but tab, line feed and carriage
/// return, DEL, and the C1 controls.
pub(super) fn is_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// The first control character in a string or key of the parsed file, and where it is written
/// in `text`: the escape itself, so that the editor finds it in a long text; the whole string
/// where the escape cannot be told apart.
pub(super) fn first_control(text: &str, root: &DeTable<'_>) -> Option<(char, Range<usize>)> {
    // Only an escape can write one, and few files have a backslash before one of the letters
    // that start such an escape: then the file is not walked at all.
    let bytes = text.as_bytes();
    let maybe = memchr::memchr_iter(b'\\', bytes).any(|i| {
        matches!(
            bytes.get(i + 1),
            Some(b'u' | b'U' | b'b' | b'f' | b'e' | b'x')
        )
    });
    if !maybe {
        return None;
    }
    let (c, span) = in_table(root)?;
    let escape = text
        .get(span.clone())
        .and_then(|string| escape_of(string, c))
        .map(|at| span.start + at.start..span.start + at.end);
    Some((c, escape.unwrap_or(span)))
}

/// Where in `string` (as written, quotes included) the first escape that writes `c` stands.
fn escape_of(string: &str, c: char) -> Option<Range<usize>> {
    let bytes = string.as_bytes();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &bytes[i..]).map(|at| i + at) {
        let (written, len) = match bytes.get(at + 1) {
            Some(b'b') => (Some('\u{8}'), 2),
            Some(b'f') => (Some('\u{c}'), 2),
            Some(b'e') => (Some('\u{1b}'), 2),
            Some(&kind @ (b'u' | b'U' | b'x')) => {
                let digits = match kind {
                    b'u' => 4,
                    b'U' => 8,
                    _ => 2,
                };
                let value = string
                    .get(at + 2..at + 2 + digits)
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok());
                (value.and_then(char::from_u32), 2 + digits)
            }
            // `\\` and every other escape: passed over whole.
            _ => (None, 2),
        };
        if written == Some(c) {
            return Some(at..at + len);
        }
        i = (at + len).min(bytes.len());
    }
    None
}

fn in_table(table: &DeTable<'_>) -> Option<(char, Range<usize>)> {
    table.iter().find_map(|(key, value)| {
        control_in(key.get_ref())
            .map(|c| (c, key.span()))
            .or_else(|| in_value(value.get_ref(), value.span()))
    })
}

fn in_value(value: &DeValue<'_>, span: Range<usize>) -> Option<(char, Range<usize>)> {
    match value {
        DeValue::String(s) => control_in(s).map(|c| (c, span)),
        DeValue::Table(t) => in_table(t),
        DeValue::Array(items) => items
            .iter()
            .find_map(|item| in_value(item.get_ref(), item.span())),
        _ => None,
    }
}

fn control_in(s: &str) -> Option<char> {
    s.chars().find(|&c| is_control(c))
}

/// How an editor would have written `c` in the file, to find and delete it.
pub(super) fn written(c: char) -> String {
    match c {
        '\u{8}' => "\\b".to_string(),
        '\u{c}' => "\\f".to_string(),
        '\u{1b}' => "\\e".to_string(),
        c => format!("\\u{:04X}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<(char, String)> {
        let (root, errors) = DeTable::parse_recoverable(text);
        assert!(errors.is_empty(), "{errors:?}");
        first_control(text, root.get_ref()).map(|(c, span)| (c, text[span].to_string()))
    }

    #[test]
    fn escapes_that_write_a_control_character_are_found_where_they_stand() {
        assert_eq!(
            first("a = \"ok\"\n[b]\nc = [\"x\", \"y\\u0001z\"]\n"),
            Some(('\u{1}', "\\u0001".to_string()))
        );
        // In a long text, the escape itself: that is what the editor must find and delete.
        assert_eq!(
            first("t = \"\"\"\nEn linje.\nTo \\\\u0001 og \\e her.\n\"\"\"\n"),
            Some(('\u{1b}', "\\e".to_string()))
        );
        assert_eq!(
            first("t = \"\"\"\nring\\b\n\"\"\"\n").map(|f| f.0),
            Some('\u{8}')
        );
        assert_eq!(first("\"k\\u007F\" = 1\n").map(|f| f.0), Some('\u{7f}'));
        assert_eq!(first("t = \"\\u0085\"\n").map(|f| f.0), Some('\u{85}'));
    }

    #[test]
    fn tabs_line_ends_and_literal_backslashes_are_content() {
        assert_eq!(
            first("a = \"x\\ty\\nz\\r\"\nb = 'C:\\bruger\\u0001'\n"),
            None
        );
        assert_eq!(first("a = \"§ 101 «æøå» \\u00A0\"\n"), None);
        assert_eq!(first("a = \"\\\\u0001\"\n"), None);
    }

    #[test]
    fn the_escape_is_named_as_it_is_written() {
        assert_eq!(written('\u{1}'), "\\u0001");
        assert_eq!(written('\u{8}'), "\\b");
        assert_eq!(written('\u{1b}'), "\\e");
    }
}
