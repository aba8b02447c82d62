//! What every subcommand needs: where the data lives, how loud to be, and a
//! way to open the store there.

use std::path::PathBuf;

use anyhow::Context as _;
use eligo_store::SharedStore;
use indicatif::{ProgressBar, ProgressStyle};

pub struct Context {
    pub data_dir: PathBuf,
    /// Where the store is when it is not the embedded one in `data_dir` (`--store`).
    pub store: Option<String>,
    pub quiet: bool,
}

impl Context {
    pub fn new(data_dir: Option<PathBuf>, store: Option<String>, quiet: bool) -> Self {
        let data_dir = data_dir.unwrap_or_else(default_data_dir);
        Context { data_dir, store, quiet }
    }

    /// The search index directory inside the data directory (derived from the store).
    pub fn search_index_path(&self) -> PathBuf {
        self.data_dir.join("search-index")
    }

    /// Opens the store named by `--store`, else the embedded one in the data directory.
    pub fn open_store(&self) -> anyhow::Result<SharedStore> {
        let location = self.store.clone().unwrap_or_else(|| self.data_dir.display().to_string());
        eligo_store::open_store(&location).with_context(|| format!("opening the store at {location}"))
    }

    /// A spinner counting records, hidden with `--quiet` or when stderr is
    /// not a terminal (indicatif checks).
    pub fn spinner(&self, message: &'static str) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new_spinner();
        let style = ProgressStyle::with_template("{spinner} {msg} {pos} trials ({per_sec}) {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(message);
        bar
    }

    /// Prints an informational line on stderr unless `--quiet`.
    pub fn inform(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
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

/// Prints a value as pretty JSON on stdout (the stable `--json` outputs).
/// A reader that stops early (`eligo ... --json | head`) closes the pipe; that ends the output
/// quietly instead of panicking as `println!` would.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    use std::io::Write as _;
    let text = serde_json::to_string_pretty(value).context("serializing the output")?;
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("writing the output"),
        _ => Ok(()),
    }
}
