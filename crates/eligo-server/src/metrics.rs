//! Request counters and latency histograms in the Prometheus text format.
//!
//! Series are labelled by the *route template* (`/api/v1/trials/{id}`), never
//! by the raw path or query, so that no identifier or search text a user
//! typed ends up in the metrics, and the number of series stays bounded: methods come from a closed
//! set ([`method_label`]), routes are the router's templates (or `unmatched`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// The methods counted by name; any other counts as `other`.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];

/// The method label of a request: its name when it is a standard method, else `other`.
pub fn method_label(method: &axum::http::Method) -> &'static str {
    METHODS.iter().find(|m| **m == method.as_str()).copied().unwrap_or("other")
}

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Histogram {
    /// Cumulative-free counts per bucket; the last slot is `+Inf`.
    counts: [u64; BUCKETS.len() + 1],
    sum_seconds: f64,
}

#[derive(Default)]
struct Series {
    /// (method, route, status) → requests.
    requests: BTreeMap<(String, String, u16), u64>,
    /// route → latency.
    latency: BTreeMap<String, Histogram>,
}

/// The server's metrics registry.
#[derive(Default)]
pub struct Metrics {
    series: Mutex<Series>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let Ok(mut series) = self.series.lock() else { return };
        *series.requests.entry((method.to_string(), route.to_string(), status)).or_default() += 1;
        let histogram = series.latency.entry(route.to_string()).or_default();
        let slot = BUCKETS.iter().position(|&bound| seconds <= bound).unwrap_or(BUCKETS.len());
        histogram.counts[slot] += 1;
        histogram.sum_seconds += seconds;
    }

    /// The exposition text; `trials` is the store's current count.
    pub fn render(&self, trials: u64) -> String {
        let mut out = String::new();
        out.push_str("# HELP eligo_trials Trials in the store.\n# TYPE eligo_trials gauge\n");
        let _ = writeln!(out, "eligo_trials {trials}");
        let Ok(series) = self.series.lock() else { return out };
        out.push_str("# HELP eligo_http_requests_total HTTP requests by method, route and status.\n");
        out.push_str("# TYPE eligo_http_requests_total counter\n");
        for ((method, route, status), count) in &series.requests {
            let _ = writeln!(
                out,
                "eligo_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape_label(route)
            );
        }
        out.push_str("# HELP eligo_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE eligo_http_request_duration_seconds histogram\n");
        for (route, histogram) in &series.latency {
            write_histogram(&mut out, &escape_label(route), histogram);
        }
        out
    }
}

fn write_histogram(out: &mut String, route: &str, histogram: &Histogram) {
    let name = "eligo_http_request_duration_seconds";
    let mut cumulative = 0;
    for (bound, count) in BUCKETS.iter().zip(&histogram.counts) {
        cumulative += count;
        let _ = writeln!(out, "{name}_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}");
    }
    cumulative += histogram.counts[BUCKETS.len()];
    let _ = writeln!(out, "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {cumulative}");
    let _ = writeln!(out, "{name}_sum{{route=\"{route}\"}} {}", histogram.sum_seconds);
    let _ = writeln!(out, "{name}_count{{route=\"{route}\"}} {cumulative}");
}

/// Label values escape backslash, quote and newline (exposition format rules).
fn escape_label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_up_methods_count_as_other() {
        let made_up = axum::http::Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&made_up), "other");
        assert_eq!(method_label(&axum::http::Method::GET), "GET");
    }

    #[test]
    fn histogram_buckets_are_cumulative_and_count_everything() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/healthz", 200, Duration::from_micros(500));
        metrics.observe("GET", "/healthz", 200, Duration::from_millis(30));
        metrics.observe("GET", "/healthz", 503, Duration::from_secs(60));
        let text = metrics.render(7);
        assert!(text.contains("eligo_trials 7\n"));
        assert!(text.contains("eligo_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2\n"));
        assert!(text.contains("eligo_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"503\"} 1\n"));
        assert!(text.contains("le=\"0.001\"} 1\n"));
        assert!(text.contains("le=\"0.05\"} 2\n"));
        assert!(text.contains("le=\"10\"} 2\n"));
        assert!(text.contains("le=\"+Inf\"} 3\n"));
        assert!(text.contains("eligo_http_request_duration_seconds_count{route=\"/healthz\"} 3\n"));
    }
}
