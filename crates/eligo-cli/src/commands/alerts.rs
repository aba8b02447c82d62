//! `eligo alerts`: the operator's hands on alerts (add, list, remove, evaluate, deliver). The
//! capability is `eligo-alerts`; this module only translates arguments and output.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use eligo_alerts::subscription::{self, SignUp};
use eligo_alerts::{AlertSettings, Answers, Deliverer, Follows, Frequency, SigningKey, SmtpSettings};
use eligo_search::SearchRequest;
use eligo_store::Store;

use crate::commands::search::Filters;
use crate::context::{print_json, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Subscribe an address (or a webhook, or a feed) to a search, a category or a pre-screen.
    Add(Box<AddArgs>),
    /// List subscriptions (no addresses unless --json).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete a subscription and everything about its subscriber.
    Remove { id: i64 },
    /// Evaluate the store's changes since the last evaluation and queue notifications.
    Evaluate {
        #[arg(long)]
        json: bool,
    },
    /// Send what is due over SMTP (and webhooks).
    Deliver(DeliverArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// E-mail address to notify.
    #[arg(long, required_unless_present_any = ["webhook", "feed"])]
    email: Option<String>,
    /// POST notifications to this URL, signed with a secret printed once.
    #[arg(long, conflicts_with_all = ["email", "feed"])]
    webhook: Option<String>,
    /// An Atom feed; prints its token.
    #[arg(long, conflicts_with_all = ["email", "webhook"])]
    feed: bool,
    /// Follow a search: words, phrases, AND/OR/NOT as on the Find page.
    #[arg(long, conflicts_with_all = ["category", "profile"])]
    query: Option<String>,
    /// Follow a condition and everything narrower, by its vocabulary name ("breast cancer").
    #[arg(long, conflicts_with = "profile")]
    category: Option<String>,
    /// Follow the trials the matcher finds this person eligible or possibly eligible for: a JSON
    /// patient profile, of which age, sex, conditions and location are kept (encrypted); --near
    /// and --radius give or replace the place.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
    #[command(flatten)]
    filters: Filters,
    /// immediately, daily or weekly.
    #[arg(long, default_value = "immediately")]
    every: String,
    /// Active at once, no confirmation e-mail (the operator vouches for the address).
    #[arg(long)]
    confirmed: bool,
}

#[derive(Debug, clap::Args)]
pub struct DeliverArgs {
    #[command(flatten)]
    pub smtp: SmtpArgs,
    /// Send what is due once and exit; without it, keep delivering every few seconds.
    #[arg(long)]
    once: bool,
}

/// Where alert e-mails go (`eligo alerts deliver`, `eligo serve`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SmtpArgs {
    /// SMTP server, HOST:PORT; `eligo serve` delivers alerts only when it is set.
    #[arg(long, env = "ELIGO_SMTP", value_name = "HOST:PORT")]
    pub smtp: Option<String>,
    /// Upgrade the SMTP connection with STARTTLS.
    #[arg(long)]
    pub starttls: bool,
    #[arg(long, env = "ELIGO_SMTP_USER")]
    pub smtp_user: Option<String>,
    #[arg(long, env = "ELIGO_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// Public base URL of the pages, for the links in messages (default: the address served, or
    /// http://localhost:8080).
    #[arg(long, env = "ELIGO_BASE_URL")]
    pub base_url: Option<String>,
}

impl SmtpArgs {
    /// The SMTP server to send through, when one is configured.
    pub fn smtp(&self) -> anyhow::Result<Option<SmtpSettings>> {
        let Some(host_port) = &self.smtp else { return Ok(None) };
        Ok(Some(SmtpSettings {
            starttls: self.starttls,
            username: self.smtp_user.clone(),
            password: self.smtp_password.clone(),
            ..SmtpSettings::parse_plain(host_port)?
        }))
    }
}

/// Links in messages (`base_url`, else http://localhost:8080), the sender, the key manage links
/// are signed with: the key from `ELIGO_ALERTS_KEY` or a key file in the data directory (created
/// owner-only).
pub fn settings(ctx: &Context, base_url: Option<&str>) -> anyhow::Result<AlertSettings> {
    let key = match std::env::var("ELIGO_ALERTS_KEY") {
        Ok(hex) => SigningKey::from_hex(&hex).context("ELIGO_ALERTS_KEY")?,
        Err(_) => SigningKey::load_or_create(&key_path(ctx))?,
    };
    Ok(AlertSettings {
        base_url: base_url.unwrap_or("http://localhost:8080").trim_end_matches('/').to_string(),
        from: std::env::var("ELIGO_ALERTS_FROM").unwrap_or_else(|_| "Eligo alerts <alerts@localhost>".into()),
        key,
        // An operator whose webhook receivers live on their own network says so.
        private_webhooks: std::env::var("ELIGO_ALERTS_PRIVATE_WEBHOOKS").is_ok_and(|v| v == "1"),
    })
}

fn key_path(ctx: &Context) -> PathBuf {
    ctx.data_dir.join("alerts.key")
}

/// Evaluates the store's new changes against the subscriptions (after an ingest or sync).
pub fn evaluate_changes(ctx: &Context, store: &dyn Store) -> anyhow::Result<()> {
    let key = settings(ctx, None)?.key;
    let evaluation = eligo_alerts::evaluate(store, &key, chrono::Utc::now()).context("evaluating alerts")?;
    if evaluation.notifications > 0 {
        ctx.inform(&format!("queued {} alert notification(s)", evaluation.notifications));
    }
    Ok(())
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    match args.action {
        Action::Add(add) => add_subscription(ctx, &*store, *add)?,
        Action::List { json } => list(&*store, json)?,
        Action::Remove { id } => {
            if !subscription::remove(&*store, id)? {
                anyhow::bail!("no alert with id {id}");
            }
            ctx.inform(&format!("alert {id} and its subscriber's data deleted"));
        }
        Action::Evaluate { json } => {
            let key = settings(ctx, None)?.key;
            let evaluation = eligo_alerts::evaluate(&*store, &key, chrono::Utc::now())?;
            if json {
                print_json(&evaluation)?;
            } else {
                ctx.inform(&format!(
                    "changes {}..{}: {} trial(s), {} candidate pair(s), {} notification(s)",
                    evaluation.from_seq,
                    evaluation.to_seq,
                    evaluation.trials,
                    evaluation.candidates,
                    evaluation.notifications
                ));
            }
        }
        Action::Deliver(deliver) => run_delivery(ctx, &*store, deliver)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn add_subscription(ctx: &Context, store: &dyn Store, args: AddArgs) -> anyhow::Result<()> {
    let follows = match (args.category, args.query, args.profile) {
        (Some(name), _, _) => Follows::category(&name, args.filters.request(String::new())?)?,
        (None, _, Some(path)) => pre_screen(&path, args.filters.request(String::new())?)?,
        (None, query, None) => Follows::Search { request: args.filters.request(query.unwrap_or_default())? },
    };
    let sign_up = SignUp {
        follows,
        frequency: Frequency::parse(&args.every)?,
        address: args.email,
        webhook_url: args.webhook,
        feed: args.feed,
        confirmed: args.confirmed,
    };
    let created = subscription::sign_up(store, &settings(ctx, None)?, sign_up)?;
    println!("{}", created.id);
    if let Some(token) = created.feed_token {
        ctx.inform(&format!("feed: /feeds/{token}.atom"));
    }
    if let Some(secret) = created.webhook_secret {
        ctx.inform(&format!("webhook secret (shown once): {secret}"));
    }
    Ok(())
}

/// A pre-screen from a profile file; a place given on the command line replaces the profile's.
fn pre_screen(path: &Path, place: SearchRequest) -> anyhow::Result<Follows> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let parsed = eligo_patient::profile::read_profile(&text).with_context(|| format!("reading {}", path.display()))?;
    let today = chrono::Utc::now().date_naive();
    let mut answers = Answers::from_patient(&parsed.patient, today);
    if place.near.is_some() {
        answers.location = place.near;
    }
    answers.radius_km = place.radius_km;
    Follows::pre_screen(answers, today).with_context(|| format!("the profile {}", path.display()))
}

fn list(store: &dyn Store, json: bool) -> anyhow::Result<()> {
    let subscriptions = eligo_alerts::subscription::all(store)?;
    if json {
        let rows: Vec<serde_json::Value> = subscriptions
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id, "status": s.status, "address": s.address, "follows": s.follows,
                    "frequency": s.frequency, "stop_reason": s.stop_reason, "created_at": s.created_at,
                })
            })
            .collect();
        return print_json(&rows);
    }
    for s in subscriptions {
        let channel = match &s.channel {
            eligo_alerts::Channel::Email => "email",
            eligo_alerts::Channel::Webhook { .. } => "webhook",
            eligo_alerts::Channel::Feed => "feed",
        };
        println!("{}\t{}\t{channel}\t{}\t{}", s.id, s.status.as_str(), s.frequency.as_str(), s.follows.describe());
    }
    Ok(())
}

fn run_delivery(ctx: &Context, store: &dyn Store, args: DeliverArgs) -> anyhow::Result<()> {
    let smtp = args.smtp.smtp()?;
    let deliverer = Deliverer::new(settings(ctx, args.smtp.base_url.as_deref())?, smtp.as_ref())?;
    loop {
        let report = deliverer.deliver_due(store, chrono::Utc::now()).context("delivering alerts")?;
        if report.deliveries > 0 {
            ctx.inform(&format!(
                "sent {} message(s) in {} delivery(ies); {} to retry, {} given up",
                report.sent, report.deliveries, report.retrying, report.given_up
            ));
        }
        if args.once {
            return Ok(());
        }
        if report.deliveries == 0 {
            std::thread::sleep(Duration::from_secs(5));
        }
    }
}
