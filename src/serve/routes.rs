//! What each request is answered with: a site file, a redirect into a folder, the preview's own
//! pages, or the live-reload stream. Request paths are normalised to keys of the in-memory site.

use std::sync::Arc;

use super::EVENTS_PATH;
use super::http::{Answer, Request, Response};
use super::inject::{decorate, first_build_failed_page, not_found_page};
use super::snapshot::{Body, Shared, Snapshot};

/// What a request path asks for, once normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SitePath {
    /// Key into the site's files, e.g. `holbaek/index.html`.
    pub key: String,
    /// The path ended in `/` (or was `/`), so `key` names the folder's `index.html`.
    pub folder: bool,
    /// The path part of the request, as sent, for redirects.
    pub raw: String,
}

/// Normalises a request target to a key in the site. Anything that is not a plain path of
/// plain segments is refused: dot segments, encoded or not; backslashes; NUL and other control
/// characters; empty segments (`//`); drive letters; absolute URLs; bad percent-encoding.
pub(crate) fn site_path(target: &str) -> Option<SitePath> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    let rest = raw.strip_prefix('/')?;
    let decoded = percent_decode(rest)?;
    if decoded
        .chars()
        .any(|c| c == '\\' || c == ':' || c.is_control())
    {
        return None;
    }
    let folder = decoded.is_empty() || decoded.ends_with('/');
    let trimmed = decoded.strip_suffix('/').unwrap_or(&decoded);
    let mut segments = Vec::new();
    if !trimmed.is_empty() {
        for segment in trimmed.split('/') {
            if segment.is_empty() || segment == "." || segment == ".." {
                return None;
            }
            segments.push(segment);
        }
    }
    let mut key = segments.join("/");
    if folder {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(SitePath {
        key,
        folder,
        raw: raw.to_string(),
    })
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by its extension.
pub(crate) fn content_type(key: &str) -> &'static str {
    let ext = key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn reply(
    status: u16,
    content_type: &'static str,
    body: Body,
    headers: Vec<(&'static str, String)>,
) -> Answer {
    Answer::Response(Response {
        status,
        content_type,
        headers,
        body,
    })
}

/// The answer to a request whose host has been checked: a site file, a redirect into a folder,
/// the 404 page, the first-build error page, or the live-reload stream.
pub(super) fn handle(shared: &Arc<Shared>, request: &Request) -> Answer {
    let is_head = request.method == "HEAD";
    if !is_head && request.method != "GET" {
        let body = "Forhåndsvisningen kan kun vise sider (GET og HEAD).\n";
        let allow = vec![("Allow", "GET, HEAD".to_string())];
        return reply(
            405,
            "text/plain; charset=utf-8",
            body.as_bytes().into(),
            allow,
        );
    }
    let target = request.target.as_str();
    let snapshot = shared.current();
    let Some(path) = site_path(target) else {
        return not_found(&snapshot, target);
    };
    if path.raw == EVENTS_PATH {
        if is_head {
            return reply(200, "text/event-stream", b""[..].into(), Vec::new());
        }
        return Answer::Events;
    }
    let Some(site) = &snapshot.site else {
        let page = decorate(first_build_failed_page().as_bytes(), &snapshot);
        return reply(503, content_type("x.html"), page.into(), Vec::new());
    };
    if let Some(body) = site.files.get(&path.key) {
        let kind = content_type(&path.key);
        let body = if kind.starts_with("text/html") {
            decorate(body.as_ref(), &snapshot).into()
        } else {
            body.clone()
        };
        return reply(200, kind, body, Vec::new());
    }
    if !path.folder && site.files.contains_key(&format!("{}/index.html", path.key)) {
        // Relative links in the page only work from inside the folder.
        let query = target.find('?').map(|i| &target[i..]).unwrap_or_default();
        let location = vec![("Location", format!("{}/{query}", path.raw))];
        return reply(
            301,
            "text/plain; charset=utf-8",
            b"Siden er flyttet.\n"[..].into(),
            location,
        );
    }
    not_found(&snapshot, target)
}

fn not_found(snapshot: &Snapshot, target: &str) -> Answer {
    let page = not_found_page(target);
    let page = decorate(page.as_bytes(), snapshot);
    reply(404, content_type("x.html"), page.into(), Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_to_keys() {
        let key = |t: &str| site_path(t).map(|p| p.key);
        assert_eq!(key("/"), Some("index.html".to_string()));
        assert_eq!(key("/holbaek/"), Some("holbaek/index.html".to_string()));
        assert_eq!(key("/holbaek"), Some("holbaek".to_string()));
        assert_eq!(key("/style.css?v=2"), Some("style.css".to_string()));
        assert_eq!(
            key("/holb%61ek/tilbud/"),
            Some("holbaek/tilbud/index.html".to_string())
        );
    }

    #[test]
    fn escaping_paths_are_refused() {
        for target in [
            "/../Cargo.toml",
            "/holbaek/../../etc/passwd",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E%2fCargo.toml",
            "/..%5cCargo.toml",
            "/..\\Cargo.toml",
            "//etc/passwd",
            "/holbaek//index.html",
            "/style.css%00.html",
            "/./index.html",
            "/C:/Windows/win.ini",
            "http://example.com/index.html",
            "*",
            "/%zz",
            "/%c0%ae%c0%ae/",
        ] {
            assert_eq!(site_path(target), None, "{target}");
        }
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
