use std::process::ExitCode;

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
        /// Whom or what the token is for.
        #[arg(long, default_value = "api")]
        name: String,
    },
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    match args.action {
        Action::Create { name } => {
            let mut store = ctx.open_store()?;
            let token = eligo_server::tokens::create_token(&mut store, &name)?;
            ctx.inform("Keep this token secret; it is not stored and cannot be shown again:");
            println!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
