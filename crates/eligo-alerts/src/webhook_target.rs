//! Where a webhook may point. Anyone can sign a webhook up through the public API, and the server
//! then sends requests to that URL from inside its own network: a URL naming loopback, a private
//! range or a link-local address (a cloud metadata service) would turn alerts into a way to reach
//! hosts the person could not reach themselves. Such targets are refused at sign-up and again at
//! delivery, after the name is resolved (a public name can point at a private address), unless
//! the operator allows them (`AlertSettings::private_webhooks`: their own network, or tests).
//!
//! Checking a name before the request is not enough on its own: a name under someone else's
//! control can answer the check with a public address and the connection, made a moment later,
//! with a private one (DNS rebinding). The HTTP client that delivers webhooks therefore resolves
//! names with [`PublicOnlyResolver`], which hands the connector only the public addresses it has
//! checked, so what is checked is what is connected to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

use crate::{AlertsError, Result};

/// Checks a webhook URL's form and, unless `allow_private`, that its host is no loopback, private
/// or link-local address. Names are not resolved here (see [`resolves_privately`]).
pub fn check_url(url: &str, allow_private: bool) -> Result<()> {
    let (host, _port) = host_and_port(url)?;
    if !allow_private && is_private_host(&host) {
        return Err(AlertsError::Invalid(format!(
            "webhook URL points into a private network ({host}): give a public address"
        )));
    }
    Ok(())
}

/// Whether the URL's host resolves to a private address (checked just before each delivery).
/// A name that does not resolve is left to the HTTP client, which reports it.
pub fn resolves_privately(url: &str) -> bool {
    let Ok((host, port)) = host_and_port(url) else { return true };
    if is_private_host(&host) {
        return true;
    }
    match (host.as_str(), port).to_socket_addrs() {
        Ok(mut addrs) => addrs.any(|a| is_private_ip(a.ip())),
        Err(_) => false,
    }
}

/// A name resolver that keeps only public addresses: a name that resolves to nothing else is an
/// error, so no connection is ever opened to a private address whatever the name answered before.
#[derive(Debug, Default)]
pub struct PublicOnlyResolver {
    system: DefaultResolver,
}

impl Resolver for PublicOnlyResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> std::result::Result<ResolvedSocketAddrs, ureq::Error> {
        let resolved = self.system.resolve(uri, config, timeout)?;
        let mut public = self.empty();
        for addr in public_addresses(&resolved) {
            public.push(addr);
        }
        if public.is_empty() {
            let host = uri.host().unwrap_or_default();
            return Err(ureq::Error::BadUri(format!("{host} resolves only to private addresses; not connected")));
        }
        Ok(public)
    }
}

/// The addresses that are not private (loopback, private ranges, link-local, ...).
fn public_addresses(addrs: &[SocketAddr]) -> impl Iterator<Item = SocketAddr> + '_ {
    addrs.iter().copied().filter(|a| !is_private_ip(a.ip()))
}

/// The host (without brackets) and port of an `http(s)://` URL.
fn host_and_port(url: &str) -> Result<(String, u16)> {
    let bad = || AlertsError::Invalid("webhook URL must be an http(s) URL with a host".into());
    let (rest, default_port) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, 443)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, 80)
    } else {
        return Err(bad());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']').ok_or_else(bad)?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let port = match port {
        Some(p) => p.parse().map_err(|_| bad())?,
        None => default_port,
    };
    if host.is_empty() {
        return Err(bad());
    }
    Ok((host.to_ascii_lowercase(), port))
}

fn is_private_host(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    host.parse::<IpAddr>().is_ok_and(is_private_ip)
}

/// Loopback, unspecified, private (RFC 1918, shared 100.64/10, unique-local fc00::/7), link-local
/// and broadcast addresses, and IPv4 addresses mapped into IPv6.
fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private_v4(v4),
            None => is_private_v6(v6),
        },
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || (a == 100 && (64..128).contains(&b))
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback() || ip.is_unspecified() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_targets_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "https://10.1.2.3/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:9000/",
            "http://[fd00::1]/",
            "http://user@192.168.0.10/",
            "http://[::ffff:127.0.0.1]/",
            "http://100.64.0.1/",
        ] {
            assert!(check_url(url, false).is_err(), "{url}");
            assert!(check_url(url, true).is_ok(), "{url}");
        }
    }

    #[test]
    fn public_targets_and_bad_forms() {
        assert!(check_url("https://hooks.example.org/eligo?x=1", false).is_ok());
        assert!(check_url("https://93.184.216.34:8443/in", false).is_ok());
        assert!(check_url("ftp://example.org/", true).is_err());
        assert!(check_url("http:///nohost", true).is_err());
        assert!(check_url("http://example.org:notaport/", true).is_err());
    }

    #[test]
    fn only_public_addresses_are_kept_from_a_resolution() {
        let addrs: Vec<SocketAddr> =
            ["127.0.0.1:80", "93.184.216.34:80", "[::1]:80", "10.0.0.7:443", "[2606:2800::1]:80"]
                .iter()
                .map(|a| a.parse().unwrap())
                .collect();
        let kept: Vec<String> = public_addresses(&addrs).map(|a| a.to_string()).collect();
        assert_eq!(kept, ["93.184.216.34:80", "[2606:2800::1]:80"]);
    }

    /// The rebinding case end to end: a client with this resolver, asked for a name that now points
    /// at a loopback server, refuses to connect, and the server sees no connection.
    #[test]
    fn the_client_never_connects_to_a_name_that_resolves_privately() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let config = ureq::Agent::config_builder().timeout_global(Some(std::time::Duration::from_secs(2))).build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::new(),
            PublicOnlyResolver::default(),
        );
        let error = agent.post(&format!("http://localhost:{port}/hook")).send(&b"{}"[..]).unwrap_err();
        assert!(error.to_string().contains("private"), "{error}");
        assert!(listener.accept().is_err(), "a connection reached the private server");
    }

    #[test]
    fn a_literal_private_address_resolves_privately() {
        assert!(resolves_privately("http://127.0.0.1:1/"));
        assert!(!resolves_privately("http://93.184.216.34/"));
    }
}
