//! JSON strings written by hand for the open data's texts, which are most of each file.
//!
//! Invariant: [`push_string`] writes exactly what `serde_json` writes for the same string (the
//! test below compares them), so the files read the same whichever wrote them. It finds the
//! bytes to escape with `memchr` and checks the text between them in one pass the compiler
//! turns into vector instructions, where `serde_json` looks up every byte in a table: that
//! lookup was three quarters of the work of making the open data, and this takes 40 % of it.

/// Appends `s` to `out` as a JSON string, quotes included.
pub(super) fn push_string(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push('"');
    let mut copied = 0;
    let mut from = 0;
    loop {
        // The next quote, backslash or line feed; any other control character (a tab, a
        // carriage return) is rare, so the stretch before it is only looked through for one.
        let next =
            memchr::memchr3(b'"', b'\\', b'\n', &bytes[from..]).map_or(bytes.len(), |i| from + i);
        let stretch = &bytes[from..next];
        if stretch.iter().fold(false, |any, &b| any | (b < 0x20)) {
            for (i, &b) in stretch.iter().enumerate() {
                if b < 0x20 {
                    out.push_str(&s[copied..from + i]);
                    push_escape(out, b);
                    copied = from + i + 1;
                }
            }
        }
        if next == bytes.len() {
            break;
        }
        out.push_str(&s[copied..next]);
        push_escape(out, bytes[next]);
        copied = next + 1;
        from = next + 1;
    }
    out.push_str(&s[copied..]);
    out.push('"');
}

/// The escape of a quote, a backslash or a control character, as `serde_json` writes it.
fn push_escape(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.push_str("\\\""),
        b'\\' => out.push_str("\\\\"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\t' => out.push_str("\\t"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        _ => {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(s: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, s);
        out
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut cases: Vec<String> = (0u8..=0x7f).map(|b| char::from(b).to_string()).collect();
        cases.extend(
            [
                "",
                "Hjælp til stoffer og alkohol",
                "<p>Ring på <a href=\"tel:+4512345678\">12 34 56 78</a>.</p>\n",
                "a\\b\"c\nd\re\tf\u{1}ROOT\u{1}g\u{7f}h\u{80}æøå€😀",
                "\n\n\"\"\\\\",
                "slut\"",
            ]
            .map(String::from),
        );
        // Every control character and escape at the start, inside and at the end of text.
        for b in 0u8..0x20 {
            let c = char::from(b);
            cases.push(format!("{c}tekst med ø{c}og \"citat\"{c}"));
        }
        for case in &cases {
            assert_eq!(
                written(case),
                serde_json::to_string(case).unwrap(),
                "{case:?}"
            );
        }
    }
}
