//! Rate allowances every process on one store shares (a limit that must hold across server
//! replicas): the generic cell rate algorithm, one row per key holding when the key's allowance
//! is next whole ("theoretical arrival time", ms since the Unix epoch).
//!
//! Each backend reads the row, decides with [`decide`] and writes it back in one transaction that
//! holds the row (SQLite: the write lock; PostgreSQL: `FOR UPDATE`), so requests for one key on
//! any number of replicas are counted one after another.

use std::time::Duration;

/// How many requests a key may make: `burst` at once, then one every `interval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    pub interval: Duration,
    pub burst: u32,
}

/// What [`decide`] found: the row's new value when the request is allowed, or how long to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Allowed { whole_at_ms: i64 },
    Refused { wait: Duration },
}

/// GCRA: each request moves the time the allowance is whole by one `interval` (from now at the
/// earliest); a request that would move it more than `burst` intervals past now is refused.
pub(crate) fn decide(whole_at_ms: Option<i64>, now_ms: i64, allowance: Allowance) -> Decision {
    let interval = i64::try_from(allowance.interval.as_millis()).unwrap_or(i64::MAX).max(1);
    let tolerance = interval.saturating_mul(i64::from(allowance.burst.max(1)));
    let next = whole_at_ms.unwrap_or(now_ms).max(now_ms).saturating_add(interval);
    let ahead = next - now_ms;
    if ahead > tolerance {
        Decision::Refused { wait: Duration::from_millis((ahead - tolerance) as u64) }
    } else {
        Decision::Allowed { whole_at_ms: next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_one_per_interval() {
        let allowance = Allowance { interval: Duration::from_secs(60), burst: 3 };
        let mut row = None;
        for _ in 0..3 {
            match decide(row, 0, allowance) {
                Decision::Allowed { whole_at_ms } => row = Some(whole_at_ms),
                refused => panic!("within the burst: {refused:?}"),
            }
        }
        assert_eq!(decide(row, 0, allowance), Decision::Refused { wait: Duration::from_secs(60) });
        assert!(matches!(decide(row, 60_000, allowance), Decision::Allowed { .. }), "one interval later");
        assert!(matches!(decide(row, 10 * 60_000, allowance), Decision::Allowed { .. }), "long after");
    }
}
