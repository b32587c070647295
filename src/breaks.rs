//! Line-break opportunities after a slash, so that narrow screens never split a word.
//!
//! Browsers do not break a line after `/`, so "stofmisbrug/stofafhængighed" or a web address
//! is one long unbreakable run; on a 320 px screen `overflow-wrap: break-word` then splits it
//! inside a word ("stofafhængighe|d"). A `<wbr>` after each slash that a letter follows lets the line break at the slash instead. Nothing else changes: `<wbr>` is neither
//! read aloud nor copied.

/// `html` with `<wbr>` after every `/` in its text (never inside a tag, a `<script>` or a
/// `<style>`) that follows a non-space character and comes before a letter (so not in "24/7"
/// or a date).
pub(crate) fn after_slashes(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 64);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |g| lt + g + 1);
        let tag = &rest[lt..tag_end];
        out.push_str(tag);
        rest = &rest[tag_end..];
        // Raw text elements end only at their closing tag: copy them unchanged.
        for raw in ["script", "style"] {
            if tag.len() > raw.len() + 1
                && tag[1..=raw.len()].eq_ignore_ascii_case(raw)
                && !tag[raw.len() + 1..].starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                let close = format!("</{raw}");
                let end = rest.find(&close).unwrap_or(rest.len());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    push_text(&mut out, rest);
    out
}

/// Whether [`after_slashes`] could add a break to `html`: a `/` outside a tag, after a
/// character that is not a space and before a letter. Most prose has none; then its HTML is
/// kept as it is.
pub(crate) fn may_break(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut in_tag = false;
    memchr::memchr3_iter(b'<', b'>', b'/', bytes).any(|at| match bytes[at] {
        b'<' => {
            in_tag = true;
            false
        }
        b'>' => {
            in_tag = false;
            false
        }
        _ => {
            !in_tag
                && html[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| !c.is_whitespace())
                && html[at + 1..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphabetic)
        }
    })
}

/// Escapes `text` for HTML and adds the breaks of [`after_slashes`]: for text a template shows
/// as is, such as a web address as the text of its link.
pub(crate) fn escape_with_breaks(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#x27;"),
            c => escaped.push(c),
        }
    }
    after_slashes(&escaped)
}

fn push_text(out: &mut String, text: &str) {
    let mut copied = 0;
    for at in memchr::memchr_iter(b'/', text.as_bytes()) {
        let before = text[..at].chars().next_back();
        let after = text[at + 1..].chars().next();
        if before.is_some_and(|p| !p.is_whitespace()) && after.is_some_and(char::is_alphabetic) {
            out.push_str(&text[copied..=at]);
            out.push_str("<wbr>");
            copied = at + 1;
        }
    }
    out.push_str(&text[copied..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slash_between_words_and_in_an_address_may_break() {
        assert_eq!(
            after_slashes("<li>stofmisbrug/stofafhængighed</li>"),
            "<li>stofmisbrug/<wbr>stofafhængighed</li>"
        );
        assert_eq!(
            after_slashes(
                "<a href=\"https://www.odsherred.dk/rusmiddelteamet\">https://www.odsherred.dk/rusmiddelteamet</a>"
            ),
            "<a href=\"https://www.odsherred.dk/rusmiddelteamet\">https://<wbr>www.odsherred.dk/<wbr>rusmiddelteamet</a>"
        );
    }

    #[test]
    fn tags_scripts_fractions_and_lone_slashes_are_left_alone() {
        let html =
            "<p>1/2 og 24/7 og a / b og slut/ <br/></p><script>a/b</script><style>x/y{}</style>";
        assert_eq!(
            after_slashes(html),
            "<p>1/2 og 24/7 og a / b og slut/ <br/></p><script>a/b</script><style>x/y{}</style>"
        );
    }

    #[test]
    fn html_that_may_not_break_is_left_as_it_is() {
        // Closing tags, slashes in attributes, numbers and lone slashes are no reason to look.
        for html in [
            "<p>a</p>\n",
            "<ul>\n<li>1/2 og 24/7</li>\n</ul>\n<br />",
            "<p>a / b og slut/ </p>",
            "<a href=\"https://x.dk/a\">x</a>",
        ] {
            assert!(!may_break(html), "{html}");
            assert_eq!(after_slashes(html), html);
        }
        // Where a break is added, it is looked for; a slash after a tag is looked at in vain.
        for html in [
            "<p>stofmisbrug/stofafhængighed</p>",
            "<a href=\"https://x.dk/a\">https://x.dk/a</a>",
            "<p><em>ord</em>/andet</p>",
        ] {
            assert!(may_break(html), "{html}");
        }
    }

    #[test]
    fn escaping_comes_before_the_breaks() {
        assert_eq!(
            escape_with_breaks("https://x.dk/<b>?a=1&b=2"),
            "https://<wbr>x.dk/&lt;b&gt;?a=1&amp;b=2"
        );
    }
}
