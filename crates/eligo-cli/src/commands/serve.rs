use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use eligo_alerts::{AlertSettings, SmtpSettings};
use eligo_search::SearchIndex;
use eligo_server::rate_limit::ClientRate;
use eligo_server::{AppState, Limits};

use crate::commands::alerts::SmtpArgs;
use crate::context::Context;

/// Search cache size unless told otherwise.
pub const DEFAULT_SEARCH_CACHE_MB: usize = eligo_server::search::DEFAULT_SEARCH_CACHE_BYTES / (1024 * 1024);

/// How often the delivery worker looks for due messages when nothing wakes it (daily and weekly
/// digests, retries).
const DELIVERY_POLL: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Memory for cached search answers, in MB (0 turns the cache off).
    #[arg(long, env = "ELIGO_SEARCH_CACHE_MB", default_value_t = DEFAULT_SEARCH_CACHE_MB)]
    pub search_cache_mb: usize,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// Serve HTTPS with this certificate chain (PEM, leaf first); needs --tls-key.
    #[arg(long, requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Alert e-mails: without --smtp, sign-ups are kept and their e-mails wait in the outbox.
    #[command(flatten)]
    pub alerts: SmtpArgs,
}

/// The server's limits; each left out keeps its default (`eligo_server::Limits`, listed with
/// the reasons in `docs/security.md`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LimitArgs {
    /// Longest patient note read, in KB (default 256); longer ones answer 413.
    #[arg(long)]
    pub max_note_kb: Option<usize>,
    /// CPU-heavy requests run at once (default: one per core).
    #[arg(long)]
    pub cpu_workers: Option<usize>,
    /// CPU-heavy requests that may wait for a worker (default 32); more answer 503 + Retry-After.
    #[arg(long)]
    pub cpu_queue: Option<usize>,
    /// Seconds a request may take before it is stopped with 503 (default 10).
    #[arg(long)]
    pub request_timeout_secs: Option<u64>,
    /// Open connections at most (default 1024); more are closed as they arrive.
    #[arg(long)]
    pub max_connections: Option<usize>,
    /// Seconds a client has to send its request headers, or to start its next request on a
    /// kept-alive connection (default 10).
    #[arg(long)]
    pub header_timeout_secs: Option<u64>,
    /// Requests per minute one client address may make to the expensive endpoints (matching,
    /// questions, criteria parsing, ingest, the check and screen pages), sustained (default 120;
    /// 0 turns the limit off); past it they answer 429 + Retry-After.
    #[arg(long)]
    pub client_rate_per_minute: Option<u32>,
    /// Requests one client address may make to them at once before the rate applies (default 30).
    #[arg(long)]
    pub client_burst: Option<u32>,
    /// Alert sign-ups one client address may make per minute, sustained, after a burst of
    /// --sign-up-burst (default 1; 0 turns the limit off); past it they answer 429.
    #[arg(long)]
    pub sign_ups_per_minute: Option<u32>,
    /// Alert sign-ups one client address may make at once (default 10).
    #[arg(long)]
    pub sign_up_burst: Option<u32>,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        let defaults = Limits::default();
        Limits {
            max_note_bytes: self.max_note_kb.map_or(defaults.max_note_bytes, |kb| kb.saturating_mul(1024)),
            cpu_workers: self.cpu_workers.unwrap_or(defaults.cpu_workers),
            cpu_queue: self.cpu_queue.unwrap_or(defaults.cpu_queue),
            request_timeout: self.request_timeout_secs.map_or(defaults.request_timeout, std::time::Duration::from_secs),
            max_connections: self.max_connections.unwrap_or(defaults.max_connections),
            header_read_timeout: self
                .header_timeout_secs
                .map_or(defaults.header_read_timeout, std::time::Duration::from_secs),
            client_rate: ClientRate {
                per_minute: self.client_rate_per_minute.unwrap_or(defaults.client_rate.per_minute),
                burst: self.client_burst.unwrap_or(defaults.client_rate.burst),
                ..defaults.client_rate
            },
            sign_up_rate: ClientRate {
                per_minute: self.sign_ups_per_minute.unwrap_or(defaults.sign_up_rate.per_minute),
                burst: self.sign_up_burst.unwrap_or(defaults.sign_up_rate.burst),
                ..defaults.sign_up_rate
            },
            ..defaults
        }
    }
}

/// Serves the API and the pages from the data directory until Ctrl-C.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(eligo_server::listen::tls_acceptor(cert, key).context("setting up TLS")?),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let store = ctx.open_store()?;
    let index_dir = ctx.data_dir.join("search-index");
    let index = SearchIndex::open(&index_dir).with_context(|| format!("opening {}", index_dir.display()))?;
    let update = index.catch_up(&*store).context("bringing the search index up to date")?;
    if update.indexed > 0 {
        ctx.inform(&format!("indexed {} trials for search", update.indexed));
    }
    let cache_bytes = args.search_cache_mb.saturating_mul(1024 * 1024);
    let state = AppState::with_search_cache(store, index, args.limits.limits(), cache_bytes);
    // Other processes may write the store (replicas over one PostgreSQL, `eligo ingest`): the
    // index follows it, and the server knows whether its database answers.
    let _follower = state.follow_store().context("starting the search index follower")?;
    let alerts = Alerts::prepare(ctx, &args.alerts)?;
    let served = Arc::clone(&state);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime
        .block_on(eligo_server::serve_with_tls(state, args.addr, tls, |bound| {
            let base_url = args.alerts.base_url.clone().unwrap_or_else(|| format!("{scheme}://{bound}"));
            alerts.start(ctx, &served, base_url);
            // Printed even with --quiet: scripts read the URL from here.
            println!("Eligo is serving {} on {scheme}://{bound}/", ctx.data_dir.display());
        }))
        .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}

/// What the alert routes and the delivery worker need, opened before the socket is bound (so a
/// bad key or SMTP setting stops the server at once) and started once the served address, the
/// default base of the links in messages, is known.
struct Alerts {
    settings: AlertSettings,
    delivery: Option<SmtpSettings>,
}

impl Alerts {
    fn prepare(ctx: &Context, args: &SmtpArgs) -> anyhow::Result<Alerts> {
        let settings = crate::commands::alerts::settings(ctx, None)?;
        Ok(Alerts { settings, delivery: args.smtp()? })
    }

    fn start(self, ctx: &Context, state: &Arc<AppState>, base_url: String) {
        let settings = AlertSettings { base_url: base_url.trim_end_matches('/').to_string(), ..self.settings };
        let service = state.enable_alerts(settings);
        let Some(smtp) = self.delivery else { return };
        match service.start_delivery(&smtp, DELIVERY_POLL) {
            Ok(_) => ctx.inform(&format!("delivering alert e-mails through {}:{}", smtp.host, smtp.port)),
            Err(e) => eprintln!("alert e-mails are not delivered: {e}"),
        }
    }
}
