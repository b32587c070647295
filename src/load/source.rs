//! A content file's text and where each key sits in it: the key index made from the parsed
//! tree, and the line index that turns a byte offset into a line.

use std::fmt::Write;
use std::ops::Range;
use std::path::PathBuf;

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::Diagnostic;

use super::controls;
use super::translate::translate_all;

/// A content file's text and where each key sits in it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    keys: KeyIndex,
    /// Byte offset where each line starts, so a line number costs a binary search.
    line_starts: Vec<usize>,
}

#[derive(Debug, Clone)]
struct KeySpan {
    key: Range<usize>,
    value: Range<usize>,
}

/// Key paths (`units[0].phone`) to their spans, in the order the keys were found; a path
/// found again keeps its place and takes the new span.
#[derive(Debug, Clone, Default)]
pub(super) struct KeyIndex(IndexMap<String, KeySpan>);

impl KeyIndex {
    /// Adds `path`, or gives an earlier one its span.
    fn insert(&mut self, path: &str, span: KeySpan) {
        match self.0.get_mut(path) {
            Some(earlier) => *earlier = span,
            None => {
                self.0.insert(path.to_string(), span);
            }
        }
    }

    fn get(&self, path: &str) -> Option<&KeySpan> {
        self.0.get(path)
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &KeySpan)> {
        self.0.iter().map(|(path, span)| (path.as_str(), span))
    }
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut keys = KeyIndex::default();
        let (root, _errors) = DeTable::parse_recoverable(&text);
        collect_spans(root.get_ref(), &mut String::new(), &mut keys);
        Self::with_keys(path, text, keys)
    }

    pub(super) fn with_keys(path: PathBuf, text: String, keys: KeyIndex) -> Self {
        let line_starts = line_starts(&text);
        SourceFile {
            path,
            text,
            keys,
            line_starts,
        }
    }

    /// Reads a file into `T`, parsing the TOML once for both the key positions and the model.
    /// Every syntax error is reported; of type errors, the first.
    pub(crate) fn parse_typed<T: DeserializeOwned>(
        path: PathBuf,
        text: String,
    ) -> (SourceFile, Result<T, Vec<Diagnostic>>) {
        let (source, _, result) = Self::parse_prepared(path, text, |_, _| ((), true));
        (source, result)
    }

    /// [`SourceFile::parse_typed`], with `prepare` given the parsed tree of a file without
    /// syntax errors (and the file's text) before it is read into `T` (the key index is made before, so every key
    /// keeps its place). When `prepare` says not to go on, the result is an empty error list
    /// and the caller tells why from what `prepare` returned.
    pub(crate) fn parse_prepared<T: DeserializeOwned, P>(
        path: PathBuf,
        text: String,
        prepare: impl FnOnce(&mut DeTable<'_>, &str) -> (P, bool),
    ) -> (SourceFile, Option<P>, Result<T, Vec<Diagnostic>>) {
        let mut keys = KeyIndex::default();
        let (mut root, syntax) = DeTable::parse_recoverable(&text);
        collect_spans(root.get_ref(), &mut String::new(), &mut keys);
        let control = controls::first_control(&text, root.get_ref());
        let mut prepared = None;
        let (syntax, result) = if !syntax.is_empty() {
            drop(root);
            (true, Err(syntax))
        } else if control.is_some() {
            // Told below, once the file's line index is made.
            drop(root);
            (false, Err(Vec::new()))
        } else {
            let (p, go_on) = prepare(root.get_mut(), &text);
            prepared = Some(p);
            if go_on {
                let typed = T::deserialize(toml::de::Deserializer::from(root)).map_err(|e| vec![e]);
                (false, typed)
            } else {
                (false, Err(Vec::new()))
            }
        };
        let source = Self::with_keys(path, text, keys);
        if let Some((c, span)) = control {
            let d = Diagnostic::error(
                &source.path,
                format!(
                    "Teksten har et usynligt styretegn, skrevet som «{}»",
                    controls::written(c)
                ),
            )
            .expected("almindelig tekst")
            .hint(format!(
                "Slet «{}» fra teksten. Styretegn kan ikke vises på en hjemmeside",
                controls::written(c)
            ));
            let d = source.place(d, span);
            return (source, prepared, Err(vec![d]));
        }
        let result = result.map_err(|errors| translate_all::<T>(&errors, syntax, &source));
        (source, prepared, result)
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line_at(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// `d` placed at a byte range of the text, its line found in the line index.
    pub fn place(&self, d: Diagnostic, span: Range<usize>) -> Diagnostic {
        let line = self.line_at(span.start);
        let line_start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        d.at_line(&self.text, line, line_start, span)
    }

    /// Byte range of a key such as `units[0].phone` (the key itself, for underlining).
    pub(crate) fn key_span(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).map(|k| k.key.clone())
    }

    /// Byte range of a key's value: for an item of an inline list (`serves[1]`), the item.
    pub(crate) fn value_span(&self, path: &str) -> Option<Range<usize>> {
        self.keys.get(path).map(|k| k.value.clone())
    }

    /// 1-based line of a key, or of the nearest enclosing table that exists.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(span) = self.keys.get(path) {
                return Some(self.line_at(span.key.start));
            }
            path = parent_path(path)?;
        }
    }

    /// A diagnostic placed at a key, or at the file when the key is absent.
    pub(crate) fn diagnostic_at(&self, mut d: Diagnostic, path: &str) -> Diagnostic {
        let mut p = path;
        loop {
            if let Some(span) = self.keys.get(p) {
                d = self.place(d, span.key.clone());
                break;
            }
            match parent_path(p) {
                Some(parent) => p = parent,
                None => break,
            }
        }
        d.key(path)
    }

    /// The key named `name` whose key text starts at `offset` (an unknown key's own position).
    pub(super) fn key_named_at(&self, offset: usize, name: &str) -> Option<&str> {
        self.keys
            .iter()
            .filter(|(path, s)| {
                s.key.start == offset
                    && (*path == name
                        || path
                            .strip_suffix(name)
                            .is_some_and(|table| table.ends_with('.')))
            })
            .min_by_key(|(path, _)| path.len())
            .map(|(path, _)| path)
    }

    /// The table whose value is exactly `span`: where serde reports a missing field.
    pub(super) fn table_with_span(&self, span: &Range<usize>) -> Option<&str> {
        self.keys
            .iter()
            .filter(|(_, s)| s.value == *span)
            .max_by_key(|(path, _)| path.len())
            .map(|(path, _)| path)
    }

    /// The deepest key whose key or value contains the byte offset.
    pub(super) fn key_at(&self, offset: usize) -> Option<&str> {
        self.keys
            .iter()
            .filter(|(_, s)| {
                (s.key.start <= offset && offset < s.key.end.max(s.key.start + 1))
                    || (s.value.start <= offset && offset < s.value.end.max(s.value.start + 1))
            })
            .max_by_key(|(path, s)| (path.len(), std::cmp::Reverse(s.value.len())))
            .map(|(path, _)| path)
    }
}

/// Byte offset where each line starts; a line ends at "\n", "\r\n" or a lone "\r", as
/// [`Diagnostic::at`] counts them. Line ends are found with a SIMD search: content lines are
/// long (prose), so a search per line end costs less than looking at every byte.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(text.len() / 32 + 1);
    starts.push(0);
    starts.extend(
        memchr::memchr2_iter(b'\n', b'\r', bytes)
            .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
            .map(|i| i + 1),
    );
    starts
}

fn parent_path(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '['])?;
    Some(&path[..cut])
}

/// Adds the keys of `table` under the path `prefix` (empty at the top).
fn collect_spans(table: &DeTable<'_>, path: &mut String, keys: &mut KeyIndex) {
    for (key, value) in table.iter() {
        // `path` holds this key's path until the end of the loop's body, then is cut back.
        let parent = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key.get_ref());
        keys.insert(
            path,
            KeySpan {
                key: key.span(),
                value: value.span(),
            },
        );
        collect_value(value.get_ref(), key.span(), value.span(), path, keys);
        path.truncate(parent);
    }
}

/// Adds the keys inside `value`, whose path is `path`.
fn collect_value(
    value: &DeValue<'_>,
    key: Range<usize>,
    span: Range<usize>,
    path: &mut String,
    keys: &mut KeyIndex,
) {
    match value {
        DeValue::Table(t) => collect_spans(t, path, keys),
        DeValue::Array(items) => {
            let parent = path.len();
            for (i, item) in items.iter().enumerate() {
                let _ = write!(path, "[{i}]");
                // An array of tables has no key of its own per item; its header is the best place.
                let item_key = if matches!(item.get_ref(), DeValue::Table(_))
                    && item.span().start > span.start
                {
                    item.span()
                } else {
                    key.clone()
                };
                keys.insert(
                    path,
                    KeySpan {
                        key: item_key.clone(),
                        value: item.span(),
                    },
                );
                collect_value(item.get_ref(), item_key, item.span(), path, keys);
                path.truncate(parent);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;

    use super::*;

    // A map built straight from the tree, to compare the index (entries and positions) with.
    fn collect_spans_reference(
        table: &DeTable<'_>,
        prefix: &str,
        out: &mut HashMap<String, KeySpan>,
    ) {
        for (key, value) in table.iter() {
            let path = if prefix.is_empty() {
                key.get_ref().to_string()
            } else {
                format!("{prefix}.{}", key.get_ref())
            };
            out.insert(
                path.clone(),
                KeySpan {
                    key: key.span(),
                    value: value.span(),
                },
            );
            collect_value_reference(value.get_ref(), key.span(), value.span(), &path, out);
        }
    }

    fn collect_value_reference(
        value: &DeValue<'_>,
        key: Range<usize>,
        span: Range<usize>,
        path: &str,
        out: &mut HashMap<String, KeySpan>,
    ) {
        match value {
            DeValue::Table(t) => collect_spans_reference(t, path, out),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{i}]");
                    // An array of tables has no key of its own per item; its header is the best place.
                    let item_key = if matches!(item.get_ref(), DeValue::Table(_))
                        && item.span().start > span.start
                    {
                        item.span()
                    } else {
                        key.clone()
                    };
                    out.insert(
                        item_path.clone(),
                        KeySpan {
                            key: item_key.clone(),
                            value: item.span(),
                        },
                    );
                    collect_value_reference(item.get_ref(), item_key, item.span(), &item_path, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn line_starts_are_after_every_newline() {
        let mut text = String::new();
        for i in 0..200u32 {
            let expected: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            assert_eq!(line_starts(&text), expected, "{text:?}");
            text.push(match i * 7 % 5 {
                0 | 3 => '\n',
                1 => 'æ',
                2 => '\u{8a}',
                _ => 'x',
            });
        }
    }

    #[test]
    fn line_index_and_line_column_agree_on_every_line_end() {
        let text = "a\rb\r\nc\n\rd\r\re";
        let source = SourceFile::new(PathBuf::from("f.toml"), text.to_string());
        for (offset, _) in text.char_indices() {
            let (line, column) = crate::diagnostic::line_column(text, offset);
            let placed = source.place(Diagnostic::error(Path::new("f.toml"), ""), offset..offset);
            assert_eq!(
                (placed.line, placed.column),
                (Some(line), Some(column)),
                "{offset}"
            );
        }
        assert_eq!(source.line_at(text.find('e').unwrap()), 7);
    }

    #[test]
    fn key_index_has_every_key_the_hash_map_had() {
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in ["content", "tests/golden"] {
            for entry in std::fs::read_dir(dir).unwrap() {
                files.push(entry.unwrap().path());
            }
        }
        let mut texts: Vec<String> = files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        // A quoted key with a dot names the same path as a table and its key.
        texts.push("\"a.b\" = 1\n[a]\nb = [1, [2, 3]]\nc = { d = 4 }\n[[e]]\nf = 5\n".to_string());
        for text in texts {
            let mut expected = HashMap::new();
            let (root, _) = DeTable::parse_recoverable(&text);
            collect_spans_reference(root.get_ref(), "", &mut expected);
            let source = SourceFile::new(PathBuf::from("x.toml"), text.clone());
            let ours: HashMap<&str, &KeySpan> = source.keys.iter().collect();
            assert_eq!(ours.len(), expected.len(), "{text}");
            for (path, span) in &expected {
                let got = source.keys.get(path).unwrap();
                assert_eq!((&got.key, &got.value), (&span.key, &span.value), "{path}");
                assert!(std::ptr::eq(ours[path.as_str()], got));
            }
            assert!(source.keys.get("no.such[0].key").is_none());
        }
    }
}
