//! What the preview adds to served HTML, never to the built site: the preview marker, the error
//! banner, the live-reload script, and the preview's own pages (not found, first build failed).

use std::fmt::Write as _;

use super::snapshot::Snapshot;
use crate::diagnostic::Diagnostic;

/// Inserts the preview marker, the error banner (if the latest build failed) and the reload
/// script right after `<body>`, so they show even without JavaScript and before anything else.
pub(super) fn decorate(html: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let mut added = String::with_capacity(2048);
    added.push_str(MARKER);
    if !snapshot.errors.is_empty() {
        added.push_str(&banner(&snapshot.errors, snapshot.site.is_some()));
    }
    let statics = snapshot.site.as_ref().map_or(0, |site| site.statics);
    added.push_str(
        &RELOAD_SCRIPT_TAG
            .replace("{generation}", &snapshot.generation.to_string())
            .replace("{statics}", &statics.to_string()),
    );
    added.push_str(LIVE_RELOAD_JS);
    added.push_str("</script>\n");
    let at = body_start(html).unwrap_or(0);
    let mut out = Vec::with_capacity(html.len() + added.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(added.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Byte offset just after the `<body ...>` tag.
fn body_start(html: &[u8]) -> Option<usize> {
    let start = html
        .windows(5)
        .position(|w| w.eq_ignore_ascii_case(b"<body"))?;
    let end = html[start..].iter().position(|&b| b == b'>')?;
    Some(start + end + 1)
}

const MARKER: &str = "<div role=\"note\" aria-label=\"Forhåndsvisning\" data-kvalitet-preview style=\"background:#ffd500;color:#000;border-bottom:3px solid #000;padding:.5rem 1rem;font:bold 1rem/1.4 system-ui,sans-serif;text-align:center\">Forhåndsvisning – ikke den offentliggjorte udgave</div>\n";

/// Opens the live-reload script with the page's generation and the static files' version, which
/// the script reads from its own tag, so the script file has no placeholders.
const RELOAD_SCRIPT_TAG: &str = "<script data-kvalitet-live-reload data-generation=\"{generation}\" data-statics=\"{statics}\">\n";

/// Brings the page up to date when told, and also when the page is older than the site, which
/// covers a build finishing between loading the page and opening the stream. The page fetches
/// its own address and takes the new body in place: no navigation, style sheets not fetched
/// again, the scroll position untouched. It loads the page again instead when the new page's
/// head or the theme's static files differ, or anything goes wrong; that reload keeps the
/// scroll position too.
const LIVE_RELOAD_JS: &str = include_str!("live-reload.js");

fn banner(errors: &[Diagnostic], has_site: bool) -> String {
    let mut out = String::from(
        "<div role=\"alert\" data-kvalitet-error style=\"background:#fff0f0;color:#1a1a1a;border:4px solid #b00020;margin:0;padding:1rem;font:1rem/1.5 system-ui,sans-serif\">\n",
    );
    let _ = writeln!(
        out,
        "<p style=\"margin:0 0 .5rem\"><strong>{}</strong> {}</p>",
        if errors.len() == 1 {
            "Der er en fejl i den seneste ændring."
        } else {
            "Der er fejl i den seneste ændring."
        },
        if has_site {
            "Du ser den sidste udgave, der virkede. Ret fejlen og gem filen, så forsvinder denne besked af sig selv."
        } else {
            "Ret fejlen og gem filen, så vises siderne af sig selv."
        }
    );
    out.push_str("<ul style=\"margin:0;padding-left:1.25rem\">\n");
    const SHOWN: usize = 20;
    for d in errors.iter().take(SHOWN) {
        let mut place = crate::page::escape_markup(&d.file.display().to_string());
        if let Some(line) = d.line {
            let _ = write!(place, ", linje {line}");
        }
        if let Some(column) = d.column {
            let _ = write!(place, ", kolonne {column}");
        }
        let _ = write!(
            out,
            "<li><strong>{place}</strong>: {}",
            crate::page::escape_markup(&d.message)
        );
        if let Some(source) = &d.source_line {
            let _ = write!(
                out,
                "<br><code style=\"white-space:pre-wrap\">{}</code>",
                crate::page::escape_markup(source)
            );
        }
        for (label, value) in [
            ("Nøgle", &d.key),
            ("Forventet", &d.expected),
            ("Tip", &d.hint),
        ] {
            if let Some(value) = value {
                let _ = write!(out, "<br>{label}: {}", crate::page::escape_markup(value));
            }
        }
        out.push_str("</li>\n");
    }
    if errors.len() > SHOWN {
        let _ = writeln!(
            out,
            "<li>… og {} fejl mere. Se dem alle i terminalen.</li>",
            errors.len() - SHOWN
        );
    }
    out.push_str("</ul>\n</div>\n");
    out
}

/// `{style}` and `{address}` are replaced when served.
const NOT_FOUND_PAGE: &str = include_str!("not-found.html");
/// `{style}` is replaced when served.
const FIRST_BUILD_FAILED_PAGE: &str = include_str!("first-build-failed.html");

/// The style of the preview's own pages, which have no theme.
const PAGE_STYLE: &str = "max-width:40rem;margin:2rem auto;padding:0 1rem;font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a";

/// The 404 page, naming the address asked for by its first 200 characters.
pub(super) fn not_found_page(target: &str) -> String {
    let shown: String = target.chars().take(200).collect();
    // The address goes in last, so text in it is never taken for a placeholder.
    NOT_FOUND_PAGE
        .replace("{style}", PAGE_STYLE)
        .replace("{address}", &crate::page::escape_markup(&shown))
}

/// Served for every page until a build has succeeded once; the banner above it names the error.
pub(super) fn first_build_failed_page() -> String {
    FIRST_BUILD_FAILED_PAGE.replace("{style}", PAGE_STYLE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn decoration_goes_after_body_and_escapes_the_error() {
        let snapshot = Snapshot {
            generation: 7,
            site: None,
            errors: Arc::new(vec![Diagnostic::error(
                Path::new("content/a.toml"),
                "<script>x</script>",
            )]),
            last_build: Duration::ZERO,
            builds: 1,
            incremental: false,
        };
        let html = String::from_utf8(decorate(
            b"<html><head></head><body class=\"x\"><h1>Hej</h1></body></html>",
            &snapshot,
        ))
        .unwrap();
        let body = html.find("<body class=\"x\">").unwrap();
        let marker = html.find("role=\"note\"").unwrap();
        let h1 = html.find("<h1>Hej").unwrap();
        assert!(body < marker && marker < h1, "{html}");
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(!html.contains("<script>x</script>"));
        assert!(html.contains("data-generation=\"7\""));
    }
}
