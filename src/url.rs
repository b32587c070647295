//! The one decision on whether a URL from content may become a link on a published page.
//!
//! Allowed are `https:`, `http:`, `mailto:`, `tel:` and relative links (no scheme). Everything
//! else, `javascript:`, `vbscript:`, `data:`, `file:` or any unknown scheme, is refused, however
//! it is spelled: in any case, with leading spaces or control characters, with tabs or line
//! breaks inside the scheme (browsers drop those), or with the scheme written as HTML character
//! references (`&#106;avascript:`).

/// The schemes a published link may have.
pub(crate) const ALLOWED_SCHEMES: [&str; 4] = ["https", "http", "mailto", "tel"];

/// Whether `url` may be published as a link (`href` or `src`).
pub fn is_safe(url: &str) -> bool {
    match scheme(url) {
        Scheme::None => true,
        Scheme::Named(name) => ALLOWED_SCHEMES.contains(&name.as_str()),
        Scheme::Malformed => false,
    }
}

/// The scheme of `url`, lowercased as a browser reads it (`https`, `mailto`, `javascript`);
/// `None` for a relative link.
pub(crate) fn scheme_of(url: &str) -> Option<String> {
    match scheme(url) {
        Scheme::None => None,
        Scheme::Named(name) => Some(name),
        Scheme::Malformed => Some(normalise(url).split(':').next().unwrap_or("").to_string()),
    }
}

/// The scheme of an unsafe URL as the editor wrote it, lowercased (`javascript`), for messages;
/// `None` for a safe one.
pub(crate) fn refused_scheme(url: &str) -> Option<String> {
    scheme_of(url).filter(|_| !is_safe(url))
}

/// `text` as one component of a URL's query: every byte of its UTF-8 but ASCII letters,
/// digits and `-_.~` percent-encoded, so that no `&`, `#`, `"` or space ends it early.
pub(crate) fn query_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

enum Scheme {
    /// A relative link: no colon before the first `/`, `?` or `#`.
    None,
    /// A scheme of letters, digits, `+`, `-` and `.`, lowercased.
    Named(String),
    /// Something before a colon that is not a well-formed scheme. A browser may read it as a
    /// relative path, but nothing an editor means looks like that, so it is refused.
    Malformed,
}

fn scheme(url: &str) -> Scheme {
    // A URL of printable ASCII without `&` reads the same normalised (nothing to decode, trim
    // or remove), and the scheme is lowercased below, so it is read as it is.
    if url.bytes().all(|b| b.is_ascii_graphic() && b != b'&') {
        scheme_in(url)
    } else {
        scheme_in(&normalise(url))
    }
}

/// The scheme of a URL already normalised (but perhaps not lowercased).
fn scheme_in(normal: &str) -> Scheme {
    let end = normal.find(['/', '?', '#']).unwrap_or(normal.len());
    let Some(colon) = normal[..end].find(':') else {
        return Scheme::None;
    };
    let name = &normal[..colon];
    let well_formed = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if well_formed {
        Scheme::Named(name.to_ascii_lowercase())
    } else {
        Scheme::Malformed
    }
}

/// The URL as a browser would read its scheme: character references decoded, leading and
/// trailing spaces and control characters trimmed, tabs and line breaks removed, lowercased.
fn normalise(url: &str) -> String {
    let decoded = decode_references(url);
    decoded
        .trim_matches(|c: char| c <= ' ' || c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Decodes numeric character references (`&#106;`, `&#x6A;`, with or without the `;`) and the
/// named ones that can hide a scheme's letters or its colon. Decoding more than a browser would
/// only makes the check stricter.
fn decode_references(s: &str) -> String {
    const NAMED: [(&str, char); 6] = [
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("amp", '&'),
        ("sol", '/'),
        ("num", '#'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let (decoded, used) = if let Some(num) = rest.strip_prefix('#') {
            let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, 16, 2),
                None => (num, 10, 1),
            };
            let len = digits
                .find(|c: char| !c.is_digit(radix))
                .unwrap_or(digits.len());
            let value = u32::from_str_radix(&digits[..len.min(8)], radix)
                .ok()
                .and_then(char::from_u32);
            let semicolon = usize::from(digits[len..].starts_with(';'));
            match value {
                Some(c) if len > 0 => (Some(c), skip + len + semicolon),
                _ => (None, 0),
            }
        } else {
            let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
            NAMED
                .iter()
                .find(|(name, _)| lower.starts_with(name))
                .map(|&(name, c)| {
                    let semicolon = usize::from(rest[name.len()..].starts_with(';'));
                    (Some(c), name.len() + semicolon)
                })
                .unwrap_or((None, 0))
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push('&'),
        }
        rest = &rest[used..];
    }
    out.push_str(rest);
    out
}

/// The address the site is published at (`base_url` in `site.toml`), when it is a whole web
/// address: `http(s)://`, a host, and a path that is taken as a folder. Anything from `?` or `#`
/// on is left out. Only with one does a build write `sitemap.xml`, `robots.txt`, `404.html` and
/// canonical links; `kvalitet check` reports an address that is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// The whole address of the site's front page, ending in `/`: `https://x.dk/rus/`.
    root: String,
    /// Its path, from the first `/` after the host, ending in `/`: `/rus/`.
    path_at: usize,
}

impl BaseUrl {
    pub(crate) fn parse(raw: &str) -> Option<BaseUrl> {
        let raw = raw.trim();
        let cut = raw.find(['?', '#']).unwrap_or(raw.len());
        let raw = &raw[..cut];
        let lower = raw.to_ascii_lowercase();
        let scheme_len = if lower.starts_with("https://") {
            8
        } else if lower.starts_with("http://") {
            7
        } else {
            return None;
        };
        if raw.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\' | '`')
        }) {
            return None;
        }
        let host_end = raw[scheme_len..]
            .find('/')
            .map_or(raw.len(), |i| scheme_len + i);
        let host = &raw[scheme_len..host_end];
        if host.is_empty() || host.contains('@') {
            return None;
        }
        let mut root = raw.to_string();
        if !root.ends_with('/') {
            root.push('/');
        }
        Some(BaseUrl {
            root,
            path_at: host_end,
        })
    }

    /// The site's own address, ending in `/`.
    pub(crate) fn root(&self) -> &str {
        &self.root
    }

    /// The path part of the address, from the root of the host: `/` or `/rus/`.
    pub(crate) fn path(&self) -> &str {
        &self.root[self.path_at..]
    }

    /// The whole address of the file at `page` (a path below the output folder): a folder's
    /// `index.html` is its folder, as servers publish it.
    pub(crate) fn absolute(&self, page: &str) -> String {
        let page = page.strip_suffix("index.html").unwrap_or(page);
        format!("{}{page}", self.root)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_query_component_encodes_all_but_letters_digits_and_four_marks() {
        assert_eq!(
            query_component("Vej 1, 4300 Holbæk&x=\"#"),
            "Vej%201%2C%204300%20Holb%C3%A6k%26x%3D%22%23"
        );
        assert_eq!(query_component("a-b_c.d~"), "a-b_c.d~");
    }

    use super::*;

    #[test]
    fn web_mail_phone_and_relative_links_are_safe() {
        for url in [
            "https://www.odsherred.dk/",
            "HTTP://example.dk",
            "mailto:rusmiddel@holbaek.dk",
            "tel:+4572361000",
            "../klage/",
            "/odsherred/klage/#frist",
            "#frist",
            "klage/",
            "//example.dk/x",
            "",
            "side?a=b:c",
        ] {
            assert!(is_safe(url), "{url}");
            assert_eq!(refused_scheme(url), None, "{url}");
        }
    }

    #[test]
    fn script_and_data_schemes_are_refused_however_they_are_written() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "&#106avascript:alert(1)",
            "javascript&colon;alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd",
            "jav ascript:alert(1)",
        ] {
            assert!(!is_safe(url), "{url:?}");
        }
        assert_eq!(
            refused_scheme("JaVaScRiPt:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(refused_scheme(" data:x").as_deref(), Some("data"));
    }

    #[test]
    fn references_that_are_not_complete_stay_as_written() {
        assert_eq!(
            decode_references("a & b &#; &#xZZ; &foo;"),
            "a & b &#; &#xZZ; &foo;"
        );
        assert_eq!(decode_references("&#58;&COLON;"), "::");
    }

    #[test]
    fn a_base_url_is_a_whole_web_address_taken_as_a_folder() {
        let b = BaseUrl::parse("https://rusmiddel.kommune.dk").unwrap();
        assert_eq!(b.root(), "https://rusmiddel.kommune.dk/");
        assert_eq!(b.path(), "/");
        assert_eq!(
            b.absolute("holbaek/klage/index.html"),
            "https://rusmiddel.kommune.dk/holbaek/klage/"
        );
        assert_eq!(b.absolute("index.html"), "https://rusmiddel.kommune.dk/");
        let b = BaseUrl::parse("http://x.github.io/rus?a=1#b").unwrap();
        assert_eq!(b.root(), "http://x.github.io/rus/");
        assert_eq!(b.path(), "/rus/");
        assert_eq!(
            b.absolute("sitemap.xml"),
            "http://x.github.io/rus/sitemap.xml"
        );
        for bad in [
            "",
            "/rus/",
            "rusmiddel.dk",
            "mailto:a@b.dk",
            "https://",
            "https://a b.dk/",
            "https://x.dk/\"<",
        ] {
            assert_eq!(BaseUrl::parse(bad), None, "{bad}");
        }
    }
}
