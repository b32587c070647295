//! Markdown to HTML for prose fields.
//!
//! Raw HTML in content is shown as text, never passed through: content is written by many
//! people, and a stray `<script>` must not reach a citizen's browser. For the same reason a link
//! or image whose destination [`crate::url::is_safe`] refuses is shown as its text.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// A prose field read once: its HTML for pages, and for `kvalitet check` its plain text and
/// the targets of its links.
pub(crate) struct Rendered {
    pub html: String,
    /// Plain text with a blank line after every block (paragraph, heading, list item, table
    /// cell), so that a heading or list item without a full stop is a sentence of its own.
    pub text: String,
    /// Link and image targets, autolinks included, in order.
    pub links: Vec<String>,
}

/// Parses `source` once for everything the generator needs from it: parsing is most of what
/// Markdown costs, and the checker used to parse every field twice more.
pub(crate) fn render(source: &str) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut text = String::with_capacity(source.len());
    let mut links = Vec::new();
    // For each link or image open at this point, whether it is published as one.
    let mut open: Vec<bool> = Vec::new();
    let events = Parser::new_ext(source, options).filter_map(|event| {
        match &event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Start(Tag::Item) => text.push_str("\n\n"),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => text.push_str("\n\n"),
            _ => {}
        }
        Some(match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            // A refused link or image is left out around its text: a link's text, an image's
            // alt text, is what the reader sees.
            Event::Start(Tag::Link { ref dest_url, .. })
            | Event::Start(Tag::Image { ref dest_url, .. })
                if !crate::url::is_safe(dest_url) =>
            {
                open.push(false);
                return None;
            }
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                open.push(true);
                event
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !open.pop().unwrap_or(true) {
                    return None;
                }
                event
            }
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
        })
    });
    let mut html = String::with_capacity(source.len() + source.len() / 4);
    html::push_html(&mut html, events);
    // Words whole on narrow screens: a line may break after a slash between words.
    let mut html = crate::breaks::after_slashes(&html);
    // Every field's HTML lives as long as the content; spare capacity would too.
    html.shrink_to_fit();
    text.shrink_to_fit();
    Rendered { html, text, links }
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
        let html = render("Hej <script>alert(1)</script> med dig").html;
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let block = render("<div onclick=\"x()\">klik</div>\n").html;
        assert!(!block.contains("<div"), "{block}");
    }

    #[test]
    fn plain_text_ends_every_block_and_links_are_collected() {
        let r = render(
            "# Sådan kommer du i gang\n\n- Ring til [os](tel:+4512345678)\n- Kom **forbi**\n",
        );
        assert_eq!(
            r.text,
            "Sådan kommer du i gang\n\n\n\nRing til os\n\n\n\nKom forbi\n\n"
        );
        assert_eq!(r.links, ["tel:+4512345678"]);
    }

    #[test]
    fn refused_links_and_images_show_their_text_and_are_still_collected() {
        let r = render(
            "[Klik](javascript:alert(1)) og ![Kort](data:image/png;base64,AA) og \
             [![Logo](vbscript:x)](https://www.odsherred.dk/) og <javascript:alert(2)>\n",
        );
        assert_eq!(
            r.html,
            "<p>Klik og Kort og <a href=\"https://www.odsherred.dk/\">Logo</a> og \
             javascript:alert(2)</p>\n"
        );
        assert_eq!(
            r.links,
            [
                "javascript:alert(1)",
                "data:image/png;base64,AA",
                "https://www.odsherred.dk/",
                "vbscript:x",
                "javascript:alert(2)"
            ]
        );
        // Safe images inside a refused link keep their alt text and address.
        let html = render("[![Logo](logo.png)](javascript:x)").html;
        assert_eq!(html, "<p><img src=\"logo.png\" alt=\"Logo\" /></p>\n");
    }

    #[test]
    fn lists_and_emphasis_render() {
        let html = render("- **fri**\n- *gratis*\n").html;
        assert!(html.contains("<li><strong>fri</strong></li>"), "{html}");
        assert!(html.contains("<em>gratis</em>"), "{html}");
    }
}
