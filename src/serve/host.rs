//! Which `Host` headers name the preview: the defence against DNS rebinding, where a web page
//! the editor visits resolves its own name to 127.0.0.1 and reads the preview.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Whether a `Host` header names this preview. Loopback names (`localhost`, `127.0.0.1`,
/// `[::1]`) and the bound address are answered with or without the bound port. Bound to an
/// unspecified address, any IP literal with the bound port is answered too. No other DNS name
/// is ever answered: that is what a DNS-rebinding page would send.
pub(crate) fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let Some((name, port)) = split_host(host) else {
        return false;
    };
    if port.is_some_and(|p| p != bound.port()) {
        return false;
    }
    let loopback_name = name.eq_ignore_ascii_case("localhost")
        || name.eq_ignore_ascii_case("localhost.")
        || matches!(name.parse::<IpAddr>(), Ok(ip) if ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(Ipv6Addr::LOCALHOST));
    if loopback_name {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    if ip == bound.ip() {
        return true;
    }
    // Any address of this machine may reach an unspecified bind; a browser leaves the port out
    // only when it is 80.
    bound.ip().is_unspecified() && port.unwrap_or(80) == bound.port()
}

/// `name` and optional port of a Host value; IPv6 literals keep no brackets. `None` when it is
/// not a plain host (user info, path, bad port, empty).
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    if host.is_empty() || host.contains(['@', '/', '\\', ' ', '?', '#']) {
        return None;
    }
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        inside.parse::<Ipv6Addr>().ok()?;
        match after {
            "" => (inside, None),
            _ => (inside, Some(after.strip_prefix(':')?)),
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    (!name.is_empty()).then_some((name, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(addr: &str) -> SocketAddr {
        addr.parse().unwrap()
    }

    #[test]
    fn loopback_names_with_or_without_the_port_are_the_preview() {
        let bound = at("127.0.0.1:1111");
        for host in [
            "127.0.0.1",
            "127.0.0.1:1111",
            "localhost",
            "LOCALHOST:1111",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(host_allowed(host, bound), "{host}");
        }
        for host in [
            "127.0.0.1:1112",
            "localhost:80",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.2",
            "10.0.0.5:1111",
            "user@localhost",
            "[::1",
            "::1",
            "localhost:",
            "localhost:x",
            "",
        ] {
            assert!(!host_allowed(host, bound), "{host}");
        }
    }

    #[test]
    fn a_shared_preview_answers_ip_literals_with_its_port_never_other_names() {
        let any = at("0.0.0.0:1111");
        for host in [
            "192.168.1.20:1111",
            "[fe80::1]:1111",
            "localhost",
            "127.0.0.1",
        ] {
            assert!(host_allowed(host, any), "{host}");
        }
        for host in [
            "192.168.1.20",
            "192.168.1.20:8080",
            "myhost.lan:1111",
            "evil.example",
        ] {
            assert!(!host_allowed(host, any), "{host}");
        }
        let on_80 = at("[::]:80");
        assert!(host_allowed("192.168.1.20", on_80));
        let lan = at("192.168.1.20:1111");
        assert!(host_allowed("192.168.1.20", lan));
        assert!(host_allowed("192.168.1.20:1111", lan));
        assert!(!host_allowed("192.168.1.21:1111", lan));
        assert!(!host_allowed("printer.lan:1111", lan));
    }
}
