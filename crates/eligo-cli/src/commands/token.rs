use std::process::ExitCode;

use eligo_server::tokens::{self, Scope};
use eligo_store::ApiToken;

use crate::context::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Create a token for the write endpoints (`POST /api/v1/ingest`). It is shown once; only its hash is kept.
    Create {
        /// Whom or what the token is for; recorded as the source of everything it writes.
        #[arg(long, default_value = "api")]
        name: String,
        /// What it may do: `ingest` (write trials) or `admin` (everything a token can do).
        #[arg(long, default_value = "ingest")]
        scope: String,
        /// How long it stays valid: a number and h, d or w (e.g. 90d). Without it, until revoked.
        #[arg(long)]
        expires: Option<String>,
    },
    /// List the tokens: name, scope, created, last used, expiry, revocation (never a secret).
    List {
        /// One JSON object per token.
        #[arg(long)]
        json: bool,
    },
    /// Revoke every token with this name; requests using one are refused from the next on.
    Revoke {
        /// The token's name (as in `token list`).
        name: String,
    },
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    match args.action {
        Action::Create { name, scope, expires } => {
            let scope = Scope::parse(&scope)?;
            let lifetime = expires.as_deref().map(tokens::parse_lifetime).transpose()?;
            let token = tokens::create_token(&*store, &name, scope, lifetime)?;
            ctx.inform("Keep this token secret; it is not stored and cannot be shown again:");
            println!("{token}");
        }
        Action::List { json } => {
            for token in store.list_api_tokens()? {
                match json {
                    true => println!("{}", serde_json::to_string(&token)?),
                    false => println!("{}", describe(&token)),
                }
            }
        }
        Action::Revoke { name } => {
            let revoked = store.revoke_api_tokens(&name, chrono::Utc::now())?;
            if revoked == 0 {
                eprintln!("error: no token named `{name}` is in force (see `eligo token list`)");
                return Ok(ExitCode::FAILURE);
            }
            ctx.inform(&format!("revoked {revoked} token(s) named `{name}`"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line of `token list`.
fn describe(token: &ApiToken) -> String {
    let day = |time: Option<chrono::DateTime<chrono::Utc>>, none: &str| {
        time.map_or_else(|| none.to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
    };
    let state = match (token.revoked_at, token.expires_at) {
        (Some(at), _) => format!("revoked {}", day(Some(at), "")),
        (None, Some(at)) if at <= chrono::Utc::now() => format!("expired {}", day(Some(at), "")),
        (None, expires) => format!("expires {}", day(expires, "never")),
    };
    format!(
        "{:<24} {:<7} created {}  last used {}  {state}",
        token.name,
        token.scope,
        day(Some(token.created_at), ""),
        day(token.last_used_at, "never")
    )
}
