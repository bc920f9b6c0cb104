//! The `download` example as a library, so that the binary and the benchmarks run the same code:
//! the [embedded server](server::Server); [`download`], which runs one version of the document's
//! program over a list of sites (each version prints a line per page and its summary, as the
//! Python programs do, and returns a [`Summary`]); and the document's two other HTTP programs.
//!
//! ```no_run
//! use std::time::Duration;
//! use download::server::{Server, ServerConfig};
//! use download::{Mode, Runtime};
//!
//! let latency = Duration::from_millis(50);
//! let server = Server::start(ServerConfig { latency, ..Default::default() })?;
//! let sites = download::sites(&server.page_urls(), 80);
//! let summary = download::download(Mode::Async, Runtime::Smol, &sites, Duration::from_secs(10))?;
//! assert!(summary.failures.is_empty() && summary.duration >= latency);
//! # anyhow::Ok(())
//! ```

pub mod comparison;
mod io_non_concurrent;
mod io_processes;
mod io_threads;
mod on_async_std;
mod on_smol;
mod on_tokio;
pub mod server;

use std::fmt;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;

pub use io_processes::worker;
pub use timing::Runtime;

/// One version of the program, in the document's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// io_non_concurrent.py: one session, one request after another
    Sync,
    /// io_threads.py: a pool of 5 threads, a session per thread
    Threads,
    /// io_asyncio.py: every request at once on --runtime, one shared session
    Async,
    /// io_processes.py: a worker process per CPU core, a session per process
    Processes,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Sync, Mode::Threads, Mode::Async, Mode::Processes];
}

/// Runs one version over `sites`; `runtime` matters only for [`Mode::Async`]. Each prints a line
/// per page and its summary, as the Python programs do, and returns the summary.
/// [`Mode::Processes`] starts the running program as its workers: see [`processes`].
pub fn download(
    mode: Mode,
    runtime: Runtime,
    sites: &[String],
    timeout: Duration,
) -> anyhow::Result<Summary> {
    match mode {
        Mode::Sync => Ok(io_non_concurrent::main(sites, timeout)),
        Mode::Threads => io_threads::main(sites, timeout),
        Mode::Async => asyncio(runtime, sites, timeout),
        Mode::Processes => {
            let this_program =
                std::env::current_exe().context("cannot find this program's file")?;
            processes(&this_program, sites, timeout)
        }
    }
}

/// io_processes.py, with `worker` as the worker processes' program: the `download` binary, or
/// any program that answers `worker --timeout SECS` by calling [`worker`]. ([`download`] passes
/// the running program itself.)
pub fn processes(worker: &Path, sites: &[String], timeout: Duration) -> anyhow::Result<Summary> {
    io_processes::main(sites, timeout, worker)
}

/// io_asyncio.py on the chosen runtime.
pub fn asyncio(runtime: Runtime, sites: &[String], timeout: Duration) -> anyhow::Result<Summary> {
    match runtime {
        Runtime::Tokio => on_tokio::main(sites, timeout),
        Runtime::AsyncStd => on_async_std::main(sites, timeout),
        Runtime::Smol => on_smol::main(sites, timeout),
    }
}

/// Seed 001's `fetch_page`: prints the page at `url`.
pub fn fetch_page(runtime: Runtime, url: &str, timeout: Duration) -> anyhow::Result<()> {
    match runtime {
        Runtime::Tokio => on_tokio::fetch_page_main(url, timeout),
        Runtime::AsyncStd => on_async_std::fetch_page_main(url, timeout),
        Runtime::Smol => on_smol::fetch_page_main(url, timeout),
    }
}

/// Seed 004's `main_network`: `request_resource` on every URL at once, each with a session of
/// its own; prints and returns how long that took.
pub fn request_resource(
    runtime: Runtime,
    urls: &[String],
    timeout: Duration,
) -> anyhow::Result<Duration> {
    match runtime {
        Runtime::Tokio => on_tokio::main_network(urls, timeout),
        Runtime::AsyncStd => on_async_std::main_network(urls, timeout),
        Runtime::Smol => on_smol::main_network(urls, timeout),
    }
}

// ANCHOR: blocking_session
/// `requests.Session()` for the blocking versions: a `ureq::Agent`, which keeps connections
/// open for the next request, with a time limit per request. ureq reads proxy settings from the
/// environment by default: `proxy(None)` turns that off, since a proxy could not reach
/// 127.0.0.1. An answer other than 2xx is an error (`http_status_as_error`, on by default).
fn blocking_session(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .proxy(None)
        .build()
        .into()
}
// ANCHOR_END: blocking_session

/// The document's list, `[site1, site2] * repeat`.
pub fn sites(pages: &[String], repeat: usize) -> Vec<String> {
    let mut sites = Vec::with_capacity(pages.len() * repeat);
    for _ in 0..repeat {
        sites.extend_from_slice(pages);
    }
    sites
}

/// What one download of a site came to: the number of bytes read, or why it failed.
pub type Outcome = anyhow::Result<usize>;

/// What a version's run came to.
#[derive(Debug)]
pub struct Summary {
    /// How many sites it was asked for.
    pub sites: usize,
    /// Bytes read from the sites that answered.
    pub bytes: u64,
    /// The sites that did not answer with a page, in list order.
    pub failures: Vec<Failure>,
    /// From the start of `download_all_sites` to its end, as the document measures.
    pub duration: Duration,
}

/// A site that failed, and why.
#[derive(Debug)]
pub struct Failure {
    pub url: String,
    pub error: String,
}

impl Summary {
    /// Pairs each site with its outcome, in list order.
    pub fn new(sites: &[String], outcomes: Vec<Outcome>, duration: Duration) -> Self {
        let mut summary = Self {
            sites: sites.len(),
            bytes: 0,
            failures: Vec::new(),
            duration,
        };
        for (url, outcome) in sites.iter().zip(outcomes) {
            match outcome {
                Ok(bytes) => summary.bytes += bytes as u64,
                Err(error) => summary.failures.push(Failure {
                    url: url.clone(),
                    error: format!("{error:#}"),
                }),
            }
        }
        summary
    }

    /// Ok, or an error that says how many sites failed (their lines say why).
    pub fn ok(&self) -> anyhow::Result<()> {
        match self.failures.len() {
            0 => Ok(()),
            failed => anyhow::bail!("{failed} of {} downloads failed", self.sites),
        }
    }
}

/// The document's last line, `Downloaded 160 sites in 0.49083488899850636 seconds` (Rust prints
/// an `f64` with the fewest digits that read back the same, as Python does), after a line per
/// failed site. With failures it says how many sites were read.
impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for Failure { url, error } in &self.failures {
            writeln!(f, "Failed to read {url}: {error}")?;
        }
        let seconds = self.duration.as_secs_f64();
        match self.failures.len() {
            0 => write!(f, "Downloaded {} sites in {seconds} seconds", self.sites),
            failed => write!(
                f,
                "Downloaded {} of {} sites in {seconds} seconds ({failed} failed)",
                self.sites - failed,
                self.sites
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_the_pages_repeated() {
        let pages = ["a".to_string(), "b".to_string()];
        assert_eq!(sites(&pages, 2), ["a", "b", "a", "b"]);
        assert!(sites(&pages, 0).is_empty());
    }

    #[test]
    fn a_summary_prints_the_documents_line_and_python_floats() {
        let sites = sites(&["a".to_string(), "b".to_string()], 80);
        let outcomes = (0..160).map(|_| Ok(276)).collect();
        let summary = Summary::new(&sites, outcomes, Duration::from_nanos(490_834_888));
        assert_eq!(
            summary.to_string(),
            "Downloaded 160 sites in 0.490834888 seconds"
        );
        assert_eq!(summary.bytes, 160 * 276);
        assert!(summary.ok().is_ok());
    }

    #[test]
    fn a_summary_lists_the_failures_and_counts_them() {
        let sites = sites(&["a".to_string(), "b".to_string()], 2);
        let outcomes = vec![
            Ok(10),
            Err(anyhow::anyhow!("refused").context("connecting")),
            Ok(10),
            Err(anyhow::anyhow!("HTTP status 500")),
        ];
        let summary = Summary::new(&sites, outcomes, Duration::from_millis(1500));
        assert_eq!(
            summary.to_string(),
            "Failed to read b: connecting: refused\n\
             Failed to read b: HTTP status 500\n\
             Downloaded 2 of 4 sites in 1.5 seconds (2 failed)"
        );
        assert_eq!(summary.bytes, 20);
        assert_eq!(
            summary.ok().map_err(|e| e.to_string()),
            Err("2 of 4 downloads failed".into())
        );
    }
}
