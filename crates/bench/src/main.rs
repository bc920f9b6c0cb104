//! Measures what the examples demonstrate, on one machine in one run: tokio (multi-thread and
//! current-thread), async-std and smol (a local and a multi-threaded executor) against each
//! other and against Python asyncio, on the same workloads: spawning tasks, many sleepers, a
//! producer/consumer queue, the `jobs` and `chained` examples' own code next to the same work
//! written bare, and the `download` example's four versions next to the document's Python ones.
//!
//! ```text
//! cargo run -p bench --release                  # every workload, 5 runs each (about 7 minutes):
//!                                               # prints the tables, writes docs/src/performance/
//! cargo run -p bench --release -- --quick       # small sizes, one run each: does everything run?
//! cargo run -p bench --release -- --only queue  # one workload
//! ```
//!
//! Every run of every row is a process of its own (`bench measure …`, or
//! `python3 crates/bench/python/bench.py …`) that times its workload and reads its own peak
//! memory; the harness takes the median of the runs. The page `docs/src/performance.md`
//! explains the numbers.

mod chart;
mod flavour;
mod harness;
mod machine;
mod measure;
mod plan;
mod report;
mod workloads;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use download::server::{Server, ServerConfig};

use crate::flavour::{
    AsyncStd, SmolLocal, SmolMultiThread, SmolStatic, TokioCurrentThread, TokioMultiThread,
};
use crate::harness::{Outcome, Python, Table};
use crate::plan::{FULL, Imp, QUICK, Section};
use crate::workloads::{Flume, Kanal, Workload};

/// Benchmarks tokio, async-std and smol against each other and against Python asyncio
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Small sizes and one run each: checks that every workload runs, not how fast
    #[arg(long)]
    quick: bool,

    /// Runs of every row; the tables show their median [default: 5, or 1 with --quick]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
    runs: Option<u32>,

    /// Measure only these workloads (repeat the flag, or separate with commas)
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Section>,

    /// Install uvloop with `pip install --user` if it is missing (the Python side runs on
    /// uvloop too whenever it is installed)
    #[arg(long)]
    with_uvloop: bool,

    /// Install requests and aiohttp with `pip install --user` if they are missing (the Python
    /// versions of the download workload need them)
    #[arg(long)]
    with_aiohttp: bool,

    /// Where to write results.md and chart.svg [default: docs/src/performance for a full run
    /// of every workload; nowhere otherwise]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    #[command(subcommand)]
    child: Option<Child>,
}

/// What the harness starts this program as.
#[derive(Subcommand)]
enum Child {
    /// Runs one workload once and prints its measurement on stderr
    #[command(hide = true)]
    Measure {
        #[arg(value_enum)]
        imp: Imp,
        #[command(subcommand)]
        workload: Workload,
    },
    /// Serves the download example's pages on 127.0.0.1 after LATENCY_MS, prints the port,
    /// and stops when its stdin closes
    #[command(hide = true)]
    Serve { latency_ms: u64 },
    /// A worker process of the download example's process-based version
    #[command(hide = true)]
    Worker {
        #[arg(long)]
        timeout: f64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.child {
        Some(Child::Measure { imp, workload }) => measure_once(imp, &workload),
        Some(Child::Serve { latency_ms }) => serve(Duration::from_millis(latency_ms)),
        Some(Child::Worker { timeout }) => Duration::try_from_secs_f64(timeout)
            .context("a timeout is a number of seconds")
            .and_then(download::worker),
        None => benchmark(&cli),
    };
    timing::exit_code(result)
}

/// The child's side: one run, one line on stderr.
fn measure_once(imp: Imp, workload: &Workload) -> anyhow::Result<()> {
    let port = |runtime| match *workload {
        Workload::Jobs { n, workers } => workloads::jobs_port(runtime, n, workers),
        Workload::Chained { n } => workloads::chained_port(runtime, n),
        Workload::Download { mode, pages, port } => {
            workloads::download_port(runtime, mode, pages, port)
        }
        ref other => anyhow::bail!("the ports run jobs, chained and download, not {other:?}"),
    };
    let sample = match imp {
        Imp::TokioMt => workload.run(&TokioMultiThread::new()?),
        Imp::TokioCt => workload.run(&TokioCurrentThread::new()?),
        Imp::TokioMpsc => match *workload {
            Workload::Queue {
                items,
                producers: 1,
                consumers: 1,
                capacity,
            } => workloads::queue_tokio_mpsc(items, capacity),
            ref other => anyhow::bail!("tokio's mpsc runs the 1→1 queue only, not {other:?}"),
        },
        Imp::AsyncStd => workload.run(&AsyncStd { local: false }),
        Imp::AsyncStdLocal => workload.run(&AsyncStd { local: true }),
        Imp::SmolLocal => workload.run(&SmolLocal::new()),
        Imp::SmolStatic => workload.run(&SmolStatic::new()),
        Imp::SmolMt => workload.run(&SmolMultiThread::new()?),
        Imp::TokioCtFlume => workload.queue_through::<Flume, _>(&TokioCurrentThread::new()?),
        Imp::TokioCtKanal => workload.queue_through::<Kanal, _>(&TokioCurrentThread::new()?),
        Imp::TokioMtFlume => workload.queue_through::<Flume, _>(&TokioMultiThread::new()?),
        Imp::TokioMtKanal => workload.queue_through::<Kanal, _>(&TokioMultiThread::new()?),
        Imp::PortTokio => port(timing::Runtime::Tokio),
        Imp::PortAsyncStd => port(timing::Runtime::AsyncStd),
        Imp::PortSmol => port(timing::Runtime::Smol),
    }?;
    eprintln!("{}", sample.to_line());
    Ok(())
}

/// The download example's embedded server, in a process of its own so that the Rust and the
/// Python clients download from the very same server.
fn serve(latency: Duration) -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        latency,
        ..Default::default()
    })?;
    println!("{}", server.address().port());
    // Until the harness closes our stdin (or ends).
    std::io::stdin()
        .read_to_end(&mut Vec::new())
        .context("cannot read stdin")?;
    server.stop();
    Ok(())
}

/// The harness: every table, printed, and written for the book.
fn benchmark(cli: &Cli) -> anyhow::Result<()> {
    let load_before = machine::load();
    let python = Python::detect(cli.with_uvloop, cli.with_aiohttp);
    let (sizes, runs) = match cli.quick {
        true => (&QUICK, cli.runs.unwrap_or(1)),
        false => (&FULL, cli.runs.unwrap_or(5)),
    };
    let everything = cli.only.is_empty();
    let server = (everything || cli.only.contains(&Section::Download))
        .then(|| harness::ServerProcess::start(sizes.latency_ms));
    let port = match &server {
        Some(Ok(server)) => Ok(server.port),
        Some(Err(why)) => Err(why.clone()),
        None => Err("not asked for".to_owned()),
    };
    let tables: Vec<Table> = plan::plan(sizes, port)
        .iter()
        .filter(|variant| everything || cli.only.contains(&variant.section))
        .map(|variant| {
            let table = harness::measure(variant, runs, !cli.quick, &python);
            println!("{}", table.markdown());
            table
        })
        .collect();

    let facts = machine::facts(&python, &load_before, runs, cli.quick);
    let targets = report::targets(&tables);
    let page = results_page(&facts, &tables, &targets);
    println!("{}", facts_markdown(&facts));
    println!("{}", report::targets_markdown(&targets));

    let out = cli.out.clone().or_else(|| {
        (everything && !cli.quick).then(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../docs/src/performance"
            ))
        })
    });
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let results = dir.join("results.md");
        std::fs::write(&results, page)
            .with_context(|| format!("cannot write {}", results.display()))?;
        let svg = dir.join("chart.svg");
        chart::draw(&tables, &svg).with_context(|| format!("cannot draw {}", svg.display()))?;
        eprintln!("bench: wrote {} and {}", results.display(), svg.display());
    }

    let failed = tables
        .iter()
        .flat_map(|t| &t.rows)
        .filter(|row| matches!(row.outcome, Outcome::Failed(_)))
        .count();
    anyhow::ensure!(failed == 0, "{failed} row(s) failed: see the tables");
    Ok(())
}

fn facts_markdown(facts: &[String]) -> String {
    facts.iter().map(|fact| format!("- {fact}\n")).collect()
}

/// What the book includes: the facts, the targets, then every table.
fn results_page(facts: &[String], tables: &[Table], targets: &[report::Target]) -> String {
    let mut page = String::from(
        "<!-- Written by `cargo run -p bench --release`; do not edit by hand. -->\n\n",
    );
    page += &facts_markdown(facts);
    page += "\n### Targets\n\n";
    page += &report::targets_markdown(targets);
    page += "\n";
    for table in tables {
        page += &table.markdown();
    }
    page
}
