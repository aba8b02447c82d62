//! What every subcommand needs: where the data lives and how loud to be.

use std::path::PathBuf;

pub struct Context {
    pub data_dir: PathBuf,
    pub quiet: bool,
}

impl Context {
    pub fn new(data_dir: Option<PathBuf>, quiet: bool) -> Self {
        let data_dir = data_dir.unwrap_or_else(default_data_dir);
        Context { data_dir, quiet }
    }
}

/// `$XDG_DATA_HOME/eligo`, else `~/.local/share/eligo`, else `./eligo-data`.
fn default_data_dir() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg).join("eligo");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(home).join(".local/share/eligo");
    }
    PathBuf::from("eligo-data")
}

/// Logs go to stderr, warnings and up by default; `RUST_LOG` overrides.
/// Patient data is never logged by any crate, whatever the level.
pub fn init_logging(quiet: bool) {
    let default = if quiet { "error" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}
