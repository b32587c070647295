//! Whether a web address, an e-mail address or an internal link is well-formed. Only the form
//! is checked: no network access.

/// Why an internal link (a path or an anchor) is malformed, if it is.
///
/// Only the form is checked here: the page list belongs to a later stage, which resolves the
/// links recorded in [`Report::internal_links`](super::Report::internal_links) with
/// [`Report::resolve_internal_links`](super::Report::resolve_internal_links).
pub(super) fn internal_problem(target: &str) -> Option<String> {
    if target.is_empty() {
        return Some("adressen er tom".to_string());
    }
    if target.chars().any(char::is_whitespace) {
        return Some("adressen indeholder mellemrum".to_string());
    }
    if target.contains('\\') {
        return Some("brug / og ikke \\ i adresser".to_string());
    }
    let first = target.split(['/', '#', '?']).next().unwrap_or("");
    let looks_like_domain = first.starts_with("www.")
        || [".dk", ".com", ".org", ".net", ".eu"]
            .iter()
            .any(|tld| first.to_ascii_lowercase().ends_with(tld));
    if looks_like_domain {
        return Some(format!(
            "der mangler https:// foran, skriv https://{target}"
        ));
    }
    if let Some((_, anchor)) = target.split_once('#') {
        if anchor.is_empty() {
            return Some("der står intet efter #".to_string());
        }
        if !anchor
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Some(format!(
                "ankeret «{anchor}» må kun have bogstaver, tal og bindestreger"
            ));
        }
    }
    None
}

/// Why a web address is malformed, if it is. Only the form is checked: no network access.
pub(crate) fn url_problem(url: &str) -> Option<String> {
    if url.chars().any(char::is_whitespace) {
        return Some("den indeholder mellemrum".to_string());
    }
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Some("den skal begynde med https://".to_string());
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Some("der må ikke stå @ i domænet".to_string());
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) => {
            if port.is_empty() || !port.chars().all(|c| c.is_ascii_digit()) {
                return Some(format!("porten «{port}» er ikke et tal"));
            }
            host
        }
        None => authority,
    };
    if let Some(p) = domain_problem(host, host == "localhost") {
        return Some(p);
    }
    if let Some(c) = tail
        .chars()
        .find(|c| matches!(c, '<' | '>' | '"' | '\\' | '{' | '}' | '|' | '^' | '`'))
    {
        return Some(format!("tegnet «{c}» må ikke stå i en webadresse"));
    }
    None
}

/// Why a domain name is malformed, if it is.
fn domain_problem(host: &str, single_label_ok: bool) -> Option<String> {
    if host.is_empty() {
        return Some("der mangler et domæne".to_string());
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 && !single_label_ok {
        return Some(format!("domænet «{host}» mangler en endelse som .dk"));
    }
    for label in &labels {
        if label.is_empty() {
            return Some(format!("domænet «{host}» har to punktummer i træk"));
        }
        if !label.chars().all(|c| c.is_alphanumeric() || c == '-')
            || label.starts_with('-')
            || label.ends_with('-')
        {
            return Some(format!("domænet «{host}» har ugyldige tegn"));
        }
    }
    let tld = labels.last().copied().unwrap_or("");
    if labels.len() >= 2 && (tld.chars().count() < 2 || !tld.chars().all(char::is_alphabetic)) {
        return Some(format!("endelsen «.{tld}» findes ikke"));
    }
    None
}

/// Why an e-mail address is malformed, if it is.
pub(crate) fn email_problem(email: &str) -> Option<String> {
    if email.chars().any(char::is_whitespace) {
        return Some("den indeholder mellemrum".to_string());
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Some("der mangler @".to_string());
    };
    if domain.contains('@') {
        return Some("der står mere end ét @".to_string());
    }
    if local.is_empty() {
        return Some("der mangler et navn før @".to_string());
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some("punktummerne før @ står forkert".to_string());
    }
    if let Some(c) = local
        .chars()
        .find(|c| !(c.is_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(*c)))
    {
        return Some(format!("tegnet «{c}» må ikke stå i en e-mailadresse"));
    }
    domain_problem(domain, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_complete_web_addresses() {
        assert_eq!(url_problem("https://www.fredericia.dk/rusmiddel"), None);
        assert_eq!(url_problem("http://localhost:1111/x?y=1#z"), None);
        assert_eq!(url_problem("https://æblerød.dk"), None);
        assert!(url_problem("www.fredericia.dk").is_some());
        assert!(url_problem("https://fredericia").is_some());
        assert!(url_problem("https://freder icia.dk").is_some());
        assert!(url_problem("https://fredericia..dk").is_some());
        assert!(url_problem("https://").is_some());
        assert!(url_problem("https://x.dk:abc/").is_some());
    }

    #[test]
    fn email_addresses_need_a_name_and_a_domain() {
        assert_eq!(email_problem("rusmiddel@fredericia.dk"), None);
        assert_eq!(email_problem("anne.hansen+raad@kommune.dk"), None);
        assert!(email_problem("rusmiddel.fredericia.dk").is_some());
        assert!(email_problem("@fredericia.dk").is_some());
        assert!(email_problem("a@b@c.dk").is_some());
        assert!(email_problem("rusmiddel@fredericia").is_some());
        assert!(email_problem("rus middel@fredericia.dk").is_some());
    }

    #[test]
    fn internal_links_must_be_well_formed() {
        assert_eq!(internal_problem("/fredericia/klager/"), None);
        assert_eq!(internal_problem("#ordliste"), None);
        assert_eq!(internal_problem("klager#frister"), None);
        assert!(internal_problem("#").is_some());
        assert!(internal_problem("www.ast.dk").is_some());
        assert!(internal_problem("sådan klager du").is_some());
    }
}
