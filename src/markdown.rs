//! Markdown to HTML for prose fields.
//!
//! Raw HTML in content is shown as text, never passed through: content is written by many
//! people, and a stray `<script>` must not reach a citizen's browser.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

pub fn to_html(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // A page has one h1 and section headings at h2, so prose headings start at h3.
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        other => other,
    });
    let mut out = String::with_capacity(source.len() + source.len() / 4);
    html::push_html(&mut out, events);
    // Every field's HTML lives as long as the content; spare capacity would too.
    out.shrink_to_fit();
    out
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("Hej <script>alert(1)</script> med dig");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let block = to_html("<div onclick=\"x()\">klik</div>\n");
        assert!(!block.contains("<div"), "{block}");
    }

    #[test]
    fn lists_and_emphasis_render() {
        let html = to_html("- **fri**\n- *gratis*\n");
        assert!(html.contains("<li><strong>fri</strong></li>"), "{html}");
        assert!(html.contains("<em>gratis</em>"), "{html}");
    }
}
