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
    // The source levels of the headings enclosing this point, and the level of the one open.
    let mut depths: Vec<HeadingLevel> = Vec::new();
    let mut open_heading = 3;
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
            // A prose heading's level depends on where the theme shows the text: it is written
            // with its depth inside the text and placed by `place_prose_headings` on the page.
            Event::Start(Tag::Heading { level, .. }) => {
                while depths.last().is_some_and(|&d| d >= level) {
                    depths.pop();
                }
                let depth = depths.len();
                depths.push(level);
                open_heading = fallback_level(depth);
                Event::Html(format!("<h{open_heading} {DEPTH_ATTR}{depth}\">").into())
            }
            Event::End(TagEnd::Heading(_)) => Event::Html(format!("</h{open_heading}>\n").into()),
            other => other,
        })
    });
    let mut html = String::with_capacity(source.len() + source.len() / 4);
    html::push_html(&mut html, events);
    // Words whole on narrow screens: a line may break after a slash between words.
    if crate::breaks::may_break(&html) {
        html = crate::breaks::after_slashes(&html);
    }
    // Every field's HTML lives as long as the content; spare capacity would too.
    html.shrink_to_fit();
    text.shrink_to_fit();
    Rendered { html, text, links }
}

/// Marks a prose heading with its depth inside its text: 0 for a heading with no heading of a
/// higher level before it in the text, 1 for one below such a heading, and so on. Raw HTML in
/// content is escaped, so only the renderer writes it.
const DEPTH_ATTR: &str = "data-prose-depth=\"";

/// The level a prose heading has until its page places it: a section's text on the
/// whole-standard page, below its h2.
fn fallback_level(depth: usize) -> usize {
    (3 + depth).min(6)
}

/// Places the prose headings of a whole page: a heading at depth `d` in its text (see
/// [`DEPTH_ATTR`]) gets the level of the last heading the theme wrote before it, plus one,
/// plus `d`, at most h6 and never h1. So a text's headings sit one level below the heading the
/// text stands under, wherever the theme shows it, and no level is skipped. The marker is
/// taken out. `None` when the page has no prose heading.
pub(crate) fn place_prose_headings(html: &str) -> Option<String> {
    memchr::memmem::find(html.as_bytes(), DEPTH_ATTR.as_bytes())?;
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    // The theme's last heading level; 1 before any, so that content never gets an h1.
    let mut container = 1usize;
    let mut open: Option<usize> = None;
    for lt in memchr::memchr_iter(b'<', bytes) {
        if lt < copied {
            continue;
        }
        let closing = bytes.get(lt + 1) == Some(&b'/');
        let name_at = lt + 1 + usize::from(closing);
        if bytes.get(name_at) != Some(&b'h') {
            continue;
        }
        let Some(&digit @ b'1'..=b'6') = bytes.get(name_at + 1) else {
            continue;
        };
        let level = usize::from(digit - b'0');
        if closing {
            if let Some(placed) = open.take() {
                out.push_str(&html[copied..=name_at]);
                out.push_str(&placed.to_string());
                copied = name_at + 2;
            }
            continue;
        }
        let after = &html[name_at + 2..];
        let marked = after
            .strip_prefix(' ')
            .and_then(|a| a.strip_prefix(DEPTH_ATTR))
            .and_then(|a| {
                let end = a.find('"')?;
                Some((a[..end].parse::<usize>().ok()?, end))
            });
        match marked {
            Some((depth, end)) => {
                let placed = (container + 1 + depth).min(6);
                out.push_str(&html[copied..=name_at]);
                out.push_str(&placed.to_string());
                // Past the digit, the space, the attribute and its closing quote.
                copied = name_at + 2 + 1 + DEPTH_ATTR.len() + end + 1;
                open = Some(placed);
            }
            None => container = level,
        }
    }
    out.push_str(&html[copied..]);
    Some(out)
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

    #[test]
    fn prose_headings_go_one_below_the_theme_heading_before_them_without_skipping() {
        // Written as ##, then deeper, then a shallower one first in a second text.
        let a = render("## Mål\n\nTekst.\n\n#### Delmål\n\nMere.\n").html;
        let b = render("### Lovgrundlag\n\nTekst.\n\n# Klage\n\nTekst.\n").html;
        let page =
            format!("<h1>Side</h1>{a}<h2>Felt</h2><section>{b}</section><hr><header>x</header>");
        let placed = place_prose_headings(&page).expect("the page has prose headings");
        assert_eq!(
            placed,
            "<h1>Side</h1><h2>Mål</h2>\n<p>Tekst.</p>\n<h3>Delmål</h3>\n<p>Mere.</p>\n\
             <h2>Felt</h2><section><h3>Lovgrundlag</h3>\n<p>Tekst.</p>\n<h3>Klage</h3>\n\
             <p>Tekst.</p>\n</section><hr><header>x</header>"
        );
        // Never an h1, and at most h6.
        let deep = render("# a\n\n## b\n\n### c\n\n#### d\n\n##### e\n\n###### f\n").html;
        let placed = place_prose_headings(&format!("<h5>x</h5>{deep}")).unwrap();
        assert!(
            placed.contains("<h6>a</h6>") && placed.contains("<h6>f</h6>"),
            "{placed}"
        );
        let placed = place_prose_headings(&render("# Top\n").html).unwrap();
        assert_eq!(placed, "<h2>Top</h2>\n");
        assert_eq!(place_prose_headings("<h2>Ingen</h2><p>tekst</p>"), None);
    }

    #[test]
    fn a_heading_written_in_the_text_cannot_pass_for_a_marked_one() {
        let html =
            render("`<h2 data-prose-depth=\"0\">` og <h2 data-prose-depth=\"0\">x</h2>\n").html;
        assert!(!html.contains("<h2"), "{html}");
        let page = format!("<h1>Side</h1>{html}");
        let placed = place_prose_headings(&page).unwrap_or_else(|| page.clone());
        assert_eq!(placed, page);
    }
}
