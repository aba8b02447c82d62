//! Per-client rate limits on the expensive endpoints (matching, questions, criteria parsing,
//! ingest, the check and screen pages): one token bucket per client address, answering 429 with
//! `Retry-After` when a client's bucket is empty.
//!
//! The buckets are `governor`'s (GCRA, one atomic word each). They are kept in a bounded cache
//! rather than `governor`'s own keyed map, which grows with every new address: a client cycling
//! through addresses would otherwise make the limiter itself exhaust memory. When the cache is
//! full it drops the clients it saw least (`quick_cache`'s CLOCK-Pro policy); a dropped client
//! starts again with a full bucket, which costs at most one burst. IPv6 clients are keyed by their /64 network, since one
//! host usually holds a whole /64 and could otherwise take a fresh bucket per address.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;
use crate::state::AppState;

/// The per-client rate: a part of [`crate::Limits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientRate {
    /// Requests a client may make per minute on the expensive endpoints, sustained (0: no limit).
    pub per_minute: u32,
    /// Requests a client may make at once before the rate applies.
    pub burst: u32,
    /// Client addresses remembered at most (each costs about 100 bytes).
    pub max_clients: usize,
}

impl ClientRate {
    /// The rate as an allowance the store keeps for every replica (`None`: no limit), for the
    /// limits that must hold across processes.
    pub fn allowance(&self) -> Option<eligo_store::Allowance> {
        (self.per_minute > 0).then(|| eligo_store::Allowance {
            interval: Duration::from_secs(60) / self.per_minute,
            burst: self.burst.max(1),
        })
    }
}

impl Default for ClientRate {
    fn default() -> Self {
        // Two requests a second sustained, 30 at once: a person stepping through the check
        // pages or an integration screening a clinic's list stays far below it; one address
        // sending matches as fast as it can is held to a fraction of a core.
        ClientRate { per_minute: 120, burst: 30, max_clients: 100_000 }
    }
}

/// One token bucket per key (a client address, a hashed e-mail address), in a bounded cache.
pub struct KeyedLimiter<K> {
    quota: Option<Quota>,
    clock: DefaultClock,
    buckets: quick_cache::sync::Cache<K, Arc<DefaultDirectRateLimiter>>,
}

/// One token bucket per client address.
pub type ClientLimiter = KeyedLimiter<IpAddr>;

impl<K: Eq + std::hash::Hash + Clone> KeyedLimiter<K> {
    pub fn new(rate: ClientRate) -> Self {
        let quota = NonZeroU32::new(rate.per_minute).map(|per_minute| {
            Quota::per_minute(per_minute).allow_burst(NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN))
        });
        KeyedLimiter {
            quota,
            clock: DefaultClock::default(),
            buckets: quick_cache::sync::Cache::new(rate.max_clients.max(1)),
        }
    }

    /// Takes one token from the key's bucket, or says how long until the next one.
    pub fn check_key(&self, key: &K) -> Result<(), Duration> {
        let Some(quota) = self.quota else { return Ok(()) };
        let bucket = self
            .buckets
            .get_or_insert_with(key, || {
                Ok::<_, std::convert::Infallible>(Arc::new(RateLimiter::direct_with_clock(quota, self.clock.clone())))
            })
            .unwrap_or_else(|never| match never {});
        bucket.check().map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Keys currently remembered.
    pub fn tracked_clients(&self) -> usize {
        self.buckets.len()
    }
}

impl ClientLimiter {
    /// Takes one token from the client's bucket, or says how long until the next one.
    pub fn check(&self, client: IpAddr) -> Result<(), Duration> {
        self.check_key(&client_key(client))
    }
}

/// The address a bucket belongs to: IPv4 as it is (also when written as IPv4-mapped IPv6), IPv6
/// by its /64 network.
fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

/// How a surface shows its errors (JSON for the API, a page for the pages).
pub type Render = fn(ApiError) -> Response;

/// `routes` with the per-client limit in front of each of them; `render` shows the 429.
pub fn throttled(routes: Router<Arc<AppState>>, state: &Arc<AppState>, render: Render) -> Router<Arc<AppState>> {
    routes.route_layer(middleware::from_fn_with_state((Arc::clone(state), render), per_client))
}

/// Answers 429 + `Retry-After` when the client's bucket is empty. The client is the connection's
/// peer address (the listener records it); behind a reverse proxy that is the proxy, which
/// should then apply its own per-client limits.
async fn per_client(State((state, render)): State<(Arc<AppState>, Render)>, request: Request, next: Next) -> Response {
    match state.clients.check(peer(request.extensions())) {
        Ok(()) => next.run(request).await,
        Err(wait) => render(rate_limited(wait)),
    }
}

/// The connection's peer address as the listener recorded it (unspecified when absent, as in
/// tests that call the router directly).
pub fn peer(extensions: &axum::http::Extensions) -> IpAddr {
    extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(peer)| peer.ip())
}

/// The client's address, for handlers that apply a limit of their own (alert sign-ups).
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(peer(&parts.extensions)))
    }
}

/// The 429 for a client past its rate; `Retry-After` is rounded up to whole seconds.
pub fn rate_limited(wait: Duration) -> ApiError {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("too many requests from your address; try again in {seconds} s"),
    )
    .with_retry_after(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_minute: u32, burst: u32, max_clients: usize) -> ClientLimiter {
        ClientLimiter::new(ClientRate { per_minute, burst, max_clients })
    }

    #[test]
    fn a_client_gets_its_burst_then_waits_for_the_rate() {
        let limits = limiter(60, 3, 10);
        let client = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..3 {
            assert_eq!(limits.check(client), Ok(()));
        }
        let wait = limits.check(client).expect_err("the fourth request is past the burst");
        // 60 a minute: one token a second.
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
    }

    #[test]
    fn clients_have_their_own_buckets() {
        let limits = limiter(60, 1, 10);
        assert_eq!(limits.check(IpAddr::from([10, 0, 0, 1])), Ok(()));
        assert!(limits.check(IpAddr::from([10, 0, 0, 1])).is_err());
        assert_eq!(limits.check(IpAddr::from([10, 0, 0, 2])), Ok(()));
    }

    #[test]
    fn an_ipv6_network_shares_one_bucket_and_mapped_ipv4_is_ipv4() {
        let limits = limiter(60, 1, 10);
        assert_eq!(limits.check("2001:db8:1:2::1".parse().unwrap()), Ok(()));
        assert!(limits.check("2001:db8:1:2:ffff::9".parse().unwrap()).is_err(), "same /64");
        assert_eq!(limits.check("2001:db8:1:3::1".parse().unwrap()), Ok(()), "another /64");
        assert_eq!(limits.check(IpAddr::from([192, 0, 2, 1])), Ok(()));
        assert!(limits.check("::ffff:192.0.2.1".parse().unwrap()).is_err(), "the same IPv4 client");
    }

    #[test]
    fn many_addresses_cannot_grow_the_limiter_past_its_bound() {
        let limits = limiter(60, 1, 1_000);
        for n in 0..50_000u32 {
            let _ = limits.check(IpAddr::from(n.to_be_bytes()));
        }
        assert!(limits.tracked_clients() <= 1_000, "{} clients tracked", limits.tracked_clients());
    }

    #[test]
    fn a_rate_of_zero_turns_the_limit_off() {
        let limits = limiter(0, 1, 10);
        for _ in 0..1_000 {
            assert_eq!(limits.check(IpAddr::from([10, 0, 0, 1])), Ok(()));
        }
        assert_eq!(limits.tracked_clients(), 0);
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(rate_limited(Duration::from_millis(1)).retry_after, Some(Duration::from_secs(1)));
        assert_eq!(rate_limited(Duration::from_millis(1500)).retry_after, Some(Duration::from_secs(2)));
        assert_eq!(rate_limited(Duration::ZERO).retry_after, Some(Duration::from_secs(1)));
        assert_eq!(rate_limited(Duration::ZERO).status, StatusCode::TOO_MANY_REQUESTS);
    }
}
