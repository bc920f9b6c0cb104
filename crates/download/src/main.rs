//! The I/O-bound comparison: the same 160 downloads done four ways, one after another (sync), on
//! five threads, all at once on one thread (async), and on a process per CPU core. A port of
//! the four programs of the "Speeding Up an I/O-Bound Program" section (Real Python's
//! `io_non_concurrent.py`, `io_threads.py`, `io_asyncio.py`, `io_processes.py`, seed 002), with
//! seed 001's `fetch_page` and seed 004's `request_resource` as subcommands.
//!
//! By default the sites are the two pages of an embedded HTTP server on 127.0.0.1 that answers
//! each request after `--latency-ms` (50), so a run needs no network. The async version runs
//! on `--runtime` (its ports: `on_tokio.rs`, `on_async_std.rs`, `on_smol.rs`); the others
//! block (`io_non_concurrent.rs`, `io_threads.rs`, `io_processes.rs`).
//!
//! ```text
//! cargo run -p download                                  # all four, then the comparison
//! cargo run -p download -- --mode async --runtime smol   # or sync, threads, processes
//! cargo run -p download -- --mode threads --fail-every 10
//! cargo run -p download -- --mode async --url http://olympus.realpython.org/dice --repeat 5
//! cargo run -p download -- fetch-page                    # seed 001
//! cargo run -p download -- request-resource              # seed 004
//! cargo run -p download -- serve                         # the server alone, for Python
//! ```

use std::num::NonZeroU32;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use download::server::{Server, ServerConfig};
use download::{Mode, Summary};
use timing::{ExampleArgs, Runtime};

/// The I/O-bound comparison: 160 downloads done sync, on threads, async (on tokio, async-std
/// or smol) and on processes, from a local server or real sites
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    program: Option<Program>,

    /// Which version runs; `all` runs the four in turn and compares their times
    #[arg(long, value_enum, default_value_t)]
    mode: Choice,

    /// Download this http:// URL instead of the local server's two pages (repeatable)
    #[arg(long = "url", value_name = "URL", value_parser = parse_url, conflicts_with_all = ["latency_ms", "fail_every"])]
    urls: Vec<String>,

    /// How many times the list of pages is repeated: 80 × 2 pages = 160 sites
    #[arg(long, value_name = "N", default_value_t = 80, value_parser = clap::value_parser!(u32).range(0..=10_000))]
    repeat: u32,

    #[command(flatten)]
    server: ServerArgs,

    #[command(flatten)]
    client: ClientArgs,

    #[command(flatten)]
    example: ExampleArgs,
}

#[derive(Clone, Copy, Default, ValueEnum)]
enum Choice {
    /// io_non_concurrent.py: one session, one request after another
    Sync,
    /// io_threads.py: a pool of 5 threads, a session per thread
    Threads,
    /// io_asyncio.py: every request at once on --runtime, one shared session
    Async,
    /// io_processes.py: a worker process per CPU core, a session per process
    Processes,
    /// The four in turn, then the document's times next to this run's
    #[default]
    All,
}

#[derive(Subcommand)]
enum Program {
    /// Seed 001's fetch_page: GET one page and print it
    FetchPage(Seed),
    /// Seed 004's request_resource: ten requests at once, a session each; prints how long
    /// they took
    RequestResource(Seed),
    /// Run the local server alone and print its URLs (to point the Python originals at it);
    /// Ctrl-C stops it
    Serve {
        /// The port on 127.0.0.1; 0 picks a free one
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// A worker process of `--mode processes`: URLs on stdin, one JSON answer per line
    #[command(hide = true)]
    Worker,
}

/// The options of the seed programs: by default, fetch-page gets the local server's small
/// page and request-resource its large one.
#[derive(Args)]
struct Seed {
    /// Request this http:// URL instead of the local server's page
    #[arg(value_parser = parse_url)]
    url: Option<String>,
}

impl Seed {
    /// Calls `program` with the URL as both pages, or with the local server's two pages.
    fn run(
        &self,
        cli: &Cli,
        program: impl FnOnce(&[String; 2], Runtime, Duration) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let (runtime, timeout) = (cli.example.runtime, cli.client.timeout);
        match &self.url {
            Some(url) => program(&[url.clone(), url.clone()], runtime, timeout),
            None => {
                let server = cli.server.start(0)?;
                program(&server.page_urls(), runtime, timeout)
            }
        }
    }
}

/// The local server's behaviour.
#[derive(Args)]
struct ServerArgs {
    /// The local server answers each request after this many milliseconds (times the time
    /// scale): the simulated network
    #[arg(long, value_name = "MS", default_value_t = 50, value_parser = clap::value_parser!(u32).range(0..=60_000), global = true)]
    latency_ms: u32,

    /// The local server answers every Nth request with HTTP 500, to see failures reported
    #[arg(long, value_name = "N", global = true)]
    fail_every: Option<NonZeroU32>,
}

impl ServerArgs {
    fn start(&self, port: u16) -> anyhow::Result<Server> {
        Server::start(ServerConfig {
            latency: timing::scaled(f64::from(self.latency_ms) / 1000.0),
            fail_every: self.fail_every,
            port,
        })
    }
}

#[derive(Args)]
struct ClientArgs {
    /// A download that has no complete answer after this many seconds fails
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_timeout, global = true)]
    timeout: Duration,
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if secs > 0.0 && secs <= 3600.0 {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err("must be more than 0 and at most 3600 seconds".into())
    }
}

/// Only `http://host[:port]/path` URLs: the clients are built without TLS.
fn parse_url(text: &str) -> Result<String, String> {
    let uri: http::Uri = text.parse().map_err(|e| format!("`{text}`: {e}"))?;
    if uri.scheme() != Some(&http::uri::Scheme::HTTP) || uri.host().is_none() {
        return Err(format!("`{text}` is not an http://host/path URL"));
    }
    Ok(text.to_string())
}

fn main() -> ExitCode {
    let cli = parse();
    cli.example.install();
    timing::exit_code(match &cli.program {
        None => compare(&cli),
        Some(Program::FetchPage(seed)) => seed.run(&cli, |[_, small], runtime, timeout| {
            download::fetch_page(runtime, small, timeout)
        }),
        Some(Program::RequestResource(seed)) => seed.run(&cli, |[large, _], runtime, timeout| {
            // urls = ['https://example.com'] * 10
            let urls = vec![large.clone(); 10];
            download::request_resource(runtime, &urls, timeout).map(drop)
        }),
        Some(Program::Serve { port }) => serve(*port, &cli.server),
        Some(Program::Worker) => download::worker(cli.client.timeout),
    })
}

/// The command line, with the checks clap cannot make: the options that choose sites and
/// versions belong to the comparison, and a URL replaces the local server, whose options then
/// make no sense. (The shared options, like `--runtime`, go before or after a subcommand.)
fn parse() -> Cli {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let given = |id: &str, matches: &clap::ArgMatches| {
        matches.value_source(id) == Some(ValueSource::CommandLine)
    };
    let conflict = |message: String| -> ! {
        Cli::command()
            .error(ErrorKind::ArgumentConflict, message)
            .exit()
    };
    if let Some((name, sub)) = matches.subcommand() {
        for (id, flag) in [
            ("mode", "--mode"),
            ("urls", "--url"),
            ("repeat", "--repeat"),
        ] {
            if given(id, &matches) {
                conflict(format!("{flag} is for the comparison, not for {name}"));
            }
        }
        let url_given = sub.try_get_one::<String>("url").ok().flatten().is_some();
        for (id, flag) in [
            ("latency_ms", "--latency-ms"),
            ("fail_every", "--fail-every"),
        ] {
            if url_given && (given(id, &matches) || given(id, sub)) {
                conflict(format!("{flag} is for the local server, not for a URL"));
            }
        }
    }
    cli
}

/// Runs the chosen version (or all four) over the sites.
fn compare(cli: &Cli) -> anyhow::Result<()> {
    let local_server;
    let pages = if cli.urls.is_empty() {
        local_server = cli.server.start(0)?;
        local_server.page_urls().to_vec()
    } else {
        cli.urls.clone()
    };
    let sites = download::sites(&pages, cli.repeat as usize);
    let run = |mode| download::download(mode, cli.example.runtime, &sites, cli.client.timeout);
    let mode = match cli.mode {
        Choice::Sync => Mode::Sync,
        Choice::Threads => Mode::Threads,
        Choice::Async => Mode::Async,
        Choice::Processes => Mode::Processes,
        Choice::All => {
            let mut summaries: Vec<(Mode, Summary)> = Vec::new();
            for mode in Mode::ALL {
                let (name, _) = download::comparison::document(mode);
                println!("== {name} version ==");
                summaries.push((mode, run(mode)?));
                println!();
            }
            let runs: Vec<(Mode, &Summary)> = summaries.iter().map(|(m, s)| (*m, s)).collect();
            print!("{}", download::comparison::render(&runs));
            let failed: usize = summaries.iter().map(|(_, s)| s.failures.len()).sum();
            anyhow::ensure!(
                failed == 0,
                "{failed} of {} downloads failed",
                sites.len() * summaries.len()
            );
            return Ok(());
        }
    };
    run(mode)?.ok()
}

/// The local server alone, until the process is interrupted.
fn serve(port: u16, server: &ServerArgs) -> anyhow::Result<()> {
    let server = server.start(port)?;
    for url in server.page_urls() {
        println!("{url}");
    }
    std::io::Write::flush(&mut std::io::stdout()).context("cannot write to stdout")?;
    loop {
        // Ctrl-C ends the process; the server has nothing to clean up.
        std::thread::park();
    }
}
