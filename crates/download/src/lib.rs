//! The `download` example as a library, so that the binary and the benchmarks run the same code:
//! the [embedded server](server::Server), one function per version of the document's program
//! (each downloads the sites, prints a line per page and its summary, and returns a
//! [`Summary`]), and the document's two other HTTP programs.
//!
//! ```no_run
//! use std::time::Duration;
//! use download::server::{Server, ServerConfig};
//!
//! let server = Server::start(ServerConfig { latency: Duration::from_millis(50), ..Default::default() })?;
//! let sites = download::sites(&server.page_urls(), 80);
//! let summary = download::asyncio(download::Runtime::Smol, &sites, Duration::from_secs(10))?;
//! assert!(summary.failures.is_empty());
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
use std::time::Duration;

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

/// Runs one version over `sites`; `runtime` matters only for [`Mode::Async`].
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
        Mode::Processes => io_processes::main(sites, timeout),
    }
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
