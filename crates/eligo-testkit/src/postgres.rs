//! A PostgreSQL server of the test's own: `initdb` into a new temporary directory, `pg_ctl start`
//! on a free loopback port, stopped and deleted on drop.
//!
//! The binaries are found on `PATH`, else under `/usr/lib/postgresql/*/bin` (Debian's layout,
//! newest version first). PostgreSQL refuses to run as root; a test running as root runs the
//! server as `nobody` (`runuser`), in a directory given to that user. The cluster trusts local
//! connections (user `eligo`, no password) and skips fsync: it lives as long as one test binary.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The unprivileged user a root test runs PostgreSQL as.
const UNPRIVILEGED_USER: &str = "nobody";

/// A running PostgreSQL server, stopped when dropped.
pub struct PostgresServer {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    run_as: Option<&'static str>,
}

impl PostgresServer {
    /// Starts a server, or says why it cannot (no PostgreSQL binaries, or they failed).
    pub fn start() -> Result<PostgresServer, String> {
        let bin = find_binaries().ok_or("no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql")?;
        let run_as = running_as_root().then_some(UNPRIVILEGED_USER);
        let dir = make_dir(run_as)?;
        let port = free_port()?;
        let server = PostgresServer { bin, dir, port, run_as };
        let data = server.dir.join("data");
        server.run(
            "initdb",
            &["-D", path_str(&data)?, "-U", "eligo", "--auth=trust", "--encoding=UTF8", "--locale=C", "-N"],
        )?;
        server.resume()?;
        Ok(server)
    }

    /// A server for a test, or `None` with the reason on stderr when PostgreSQL is not installed
    /// here, so the test can return early; under `ELIGO_REQUIRE_PG=1` (CI, which installs it) a
    /// server that does not start fails the test instead.
    pub fn for_test() -> Option<PostgresServer> {
        match PostgresServer::start() {
            Ok(server) => Some(server),
            Err(reason) if std::env::var("ELIGO_REQUIRE_PG").is_ok_and(|v| v == "1") => {
                panic!("ELIGO_REQUIRE_PG=1 and PostgreSQL does not start: {reason}")
            }
            Err(reason) => {
                eprintln!("skipped: {reason}");
                None
            }
        }
    }

    /// Stops the server as an operator would (`pg_ctl stop -m fast`: open sessions are ended),
    /// keeping its data: a test of what clients do while the database is gone.
    pub fn stop(&self) -> Result<(), String> {
        let data = self.dir.join("data");
        self.run("pg_ctl", &["-D", path_str(&data)?, "-m", "fast", "-w", "stop"])
    }

    /// Starts the server (again) on its port, waiting until it accepts connections.
    pub fn resume(&self) -> Result<(), String> {
        let data = self.dir.join("data");
        let options = format!("-p {} -c listen_addresses=127.0.0.1 -k {} -F", self.port, path_str(&self.dir)?);
        let log = self.dir.join("server.log");
        self.run("pg_ctl", &["-D", path_str(&data)?, "-l", path_str(&log)?, "-w", "-t", "60", "-o", &options, "start"])
            .map_err(|e| format!("{e}\n{}", std::fs::read_to_string(&log).unwrap_or_default()))
    }

    /// The URL of database `database` on this server (`postgres` exists from the start).
    pub fn url(&self, database: &str) -> String {
        format!("postgres://eligo@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs one of the server's programs (as the unprivileged user when there is one).
    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let program = self.bin.join(program);
        let mut command = match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(&program);
                command
            }
            None => Command::new(&program),
        };
        let output = command.args(args).output().map_err(|e| format!("running {}: {e}", program.display()))?;
        if output.status.success() {
            return Ok(());
        }
        Err(format!(
            "{} {} failed ({}): {}",
            program.display(),
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        if let Some(data) = data.to_str() {
            let _ = self.run("pg_ctl", &["-D", data, "-m", "immediate", "-w", "stop"]);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn path_str(path: &Path) -> Result<&str, String> {
    path.to_str().ok_or_else(|| format!("{} is not UTF-8", path.display()))
}

/// The directory holding both `initdb` and `pg_ctl`.
fn find_binaries() -> Option<PathBuf> {
    let has_both = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .map(|dir| dir.join("pg_ctl"))
        .filter_map(|pg_ctl| pg_ctl.canonicalize().ok())
        .filter_map(|pg_ctl| pg_ctl.parent().map(Path::to_path_buf))
        .find(|dir| has_both(dir));
    on_path.or_else(|| {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .map(|entry| entry.path().join("bin"))
            .filter(|dir| has_both(dir))
            .collect();
        versions.sort_by_key(|dir| {
            let version = dir.parent().and_then(Path::file_name).and_then(|name| name.to_str());
            std::cmp::Reverse(version.and_then(|v| v.parse::<u32>().ok()).unwrap_or(0))
        });
        versions.into_iter().next()
    })
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A new directory for the cluster, owned by the user that runs it.
fn make_dir(run_as: Option<&str>) -> Result<PathBuf, String> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("eligo-pg-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    if let Some(user) = run_as {
        let status = Command::new("chown")
            .arg(user)
            .arg(&dir)
            .status()
            .map_err(|e| format!("giving {} to {user}: {e}", dir.display()))?;
        if !status.success() {
            return Err(format!("giving {} to {user} failed", dir.display()));
        }
    }
    Ok(dir)
}

/// A loopback port nothing listens on now.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener.local_addr().map(|addr| addr.port()).map_err(|e| format!("finding a free port: {e}"))
}
