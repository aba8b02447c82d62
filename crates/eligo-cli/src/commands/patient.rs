use std::process::ExitCode;

use crate::context::Context;

#[derive(Debug, clap::Subcommand)]
pub enum Command {}

pub fn run(_ctx: &Context, command: Command) -> anyhow::Result<ExitCode> {
    match command {}
}
