//! What a benchmark run measures: the workloads, their sizes (full or quick), and who runs
//! each of them.

use crate::flavour::cores;
use crate::workloads::{DownloadMode, Workload};

/// The six workloads, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Section {
    Spawn,
    Sleepers,
    Queue,
    Jobs,
    Chained,
    Download,
}

impl Section {
    pub fn number(self) -> usize {
        self as usize + 1
    }
}

/// A Rust implementation a measuring process can run (`bench measure IMP WORKLOAD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Imp {
    TokioMt,
    TokioCt,
    /// tokio's current-thread runtime with tokio's own mpsc channel (the 1→1 queue only)
    TokioMpsc,
    AsyncStd,
    AsyncStdLocal,
    SmolLocal,
    /// smol's executor as a StaticLocalExecutor, which lives as long as the program
    SmolStatic,
    SmolMt,
    /// tokio's current-thread runtime with flume's channel (the queue only)
    TokioCtFlume,
    /// tokio's current-thread runtime with kanal's channel (the queue only)
    TokioCtKanal,
    /// tokio's multi-thread runtime with flume's channel (the queue only)
    TokioMtFlume,
    /// tokio's multi-thread runtime with kanal's channel (the queue only)
    TokioMtKanal,
    /// The `chained` example's tokio port, as it is
    PortTokio,
    /// The `chained` example's async-std port, as it is
    PortAsyncStd,
    /// The `chained` example's smol port, as it is
    PortSmol,
}

/// Python's event loops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loop {
    Asyncio,
    Uvloop,
}

impl Loop {
    pub fn name(self) -> &'static str {
        match self {
            Self::Asyncio => "asyncio",
            Self::Uvloop => "uvloop",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runner {
    Rust(Imp),
    Python(Loop),
}

/// One row of a table: who runs the workload.
#[derive(Clone, Debug)]
pub struct Contender {
    pub label: String,
    pub runner: Runner,
    /// For an example's port: the label of the row that does the same work written bare.
    pub bare: Option<String>,
}

impl Contender {
    fn new(label: impl Into<String>, runner: Runner) -> Self {
        Self {
            label: label.into(),
            runner,
            bare: None,
        }
    }

    pub fn is_rust(&self) -> bool {
        matches!(self.runner, Runner::Rust(_))
    }
}

/// One table: a workload at one size.
#[derive(Clone, Debug)]
pub struct Variant {
    pub section: Section,
    pub title: String,
    /// `None` while the workload cannot be measured yet; `pending` says why.
    pub workload: Option<Workload>,
    pub pending: Option<String>,
    /// How many tasks, items or chains the workload handles, and what they are called.
    pub units: u64,
    pub unit: &'static str,
    /// The floor no implementation can beat (the sleepers' one sleep), in seconds.
    pub ideal: Option<f64>,
    pub contenders: Vec<Contender>,
    /// Whether the chart shows this table (the channel comparison it leaves out).
    pub charted: bool,
}

/// The sizes of a full run (the issue's) or of a quick one (every workload, small).
pub struct Sizes {
    pub spawn: [u64; 2],
    pub sleepers: u64,
    pub sleep_millis: u64,
    pub queue_items: u64,
    pub queue_capacity: usize,
    pub jobs: u64,
    pub workers: usize,
    pub chains: u32,
    pub pages: u64,
    pub latency_ms: u64,
}

pub const FULL: Sizes = Sizes {
    spawn: [100_000, 1_000_000],
    sleepers: 10_000,
    sleep_millis: 100,
    queue_items: 1_000_000,
    queue_capacity: 100,
    jobs: 100_000,
    workers: 10,
    chains: 100_000,
    pages: 160,
    latency_ms: 50,
};

pub const QUICK: Sizes = Sizes {
    spawn: [1_000, 10_000],
    sleepers: 1_000,
    sleep_millis: 100,
    queue_items: 10_000,
    queue_capacity: 100,
    jobs: 1_000,
    workers: 10,
    chains: 1_000,
    pages: 16,
    latency_ms: 10,
};

/// The runtimes that run workloads 1 to 3, then Python.
fn runtimes() -> Vec<Contender> {
    let threads = cores();
    vec![
        Contender::new("tokio, multi-thread", Runner::Rust(Imp::TokioMt)),
        Contender::new("tokio, current-thread", Runner::Rust(Imp::TokioCt)),
        Contender::new("async-std", Runner::Rust(Imp::AsyncStd)),
        Contender::new("smol, LocalExecutor", Runner::Rust(Imp::SmolLocal)),
        Contender::new("smol, StaticLocalExecutor", Runner::Rust(Imp::SmolStatic)),
        Contender::new(
            format!("smol, Executor on {threads} threads"),
            Runner::Rust(Imp::SmolMt),
        ),
    ]
}

fn pythons() -> Vec<Contender> {
    vec![
        Contender::new("Python asyncio", Runner::Python(Loop::Asyncio)),
        Contender::new("Python uvloop", Runner::Python(Loop::Uvloop)),
    ]
}

/// The queue's rows: every runtime with async-channel, and with one consumer also tokio with
/// its own mpsc channel, as the `producer-consumer` example does.
fn queue_contenders(consumers: u64) -> Vec<Contender> {
    let mut contenders = runtimes();
    if consumers == 1 {
        contenders.insert(
            2,
            Contender::new(
                "tokio, current-thread, tokio's mpsc",
                Runner::Rust(Imp::TokioMpsc),
            ),
        );
    }
    [contenders, pythons()].concat()
}

/// The channel comparison's rows: tokio in both flavours with async-channel, flume and kanal.
fn channel_contenders() -> Vec<Contender> {
    let rows = [
        ("current-thread", "async-channel", Imp::TokioCt),
        ("current-thread", "flume", Imp::TokioCtFlume),
        ("current-thread", "kanal", Imp::TokioCtKanal),
        ("multi-thread", "async-channel", Imp::TokioMt),
        ("multi-thread", "flume", Imp::TokioMtFlume),
        ("multi-thread", "kanal", Imp::TokioMtKanal),
    ];
    let mut contenders: Vec<_> = rows
        .into_iter()
        .map(|(flavour, channel, imp)| {
            Contender::new(format!("tokio, {flavour}, {channel}"), Runner::Rust(imp))
        })
        .collect();
    contenders.push(Contender::new(
        "Python asyncio",
        Runner::Python(Loop::Asyncio),
    ));
    contenders
}

/// Each runtime's port, and the single-threaded flavour its bare twin runs on (where the ports
/// run: their `block_on` thread).
fn single_threaded() -> [(&'static str, Imp, Imp); 3] {
    [
        ("tokio", Imp::PortTokio, Imp::TokioCt),
        ("async-std", Imp::PortAsyncStd, Imp::AsyncStdLocal),
        ("smol", Imp::PortSmol, Imp::SmolLocal),
    ]
}

/// Each port next to the same work written bare on the same runtime.
fn ports_and_bare(example: &str, pairs: [(&str, Imp, Imp); 3]) -> Vec<Contender> {
    pairs
        .into_iter()
        .flat_map(|(runtime, port, bare)| {
            let bare_label = format!("{runtime}: bare");
            [
                Contender {
                    label: format!("{runtime}: `{example}` port"),
                    runner: Runner::Rust(port),
                    bare: Some(bare_label.clone()),
                },
                Contender::new(bare_label, Runner::Rust(bare)),
            ]
        })
        .collect()
}

fn variant(
    section: Section,
    title: String,
    workload: Workload,
    units: u64,
    unit: &'static str,
    contenders: Vec<Contender>,
) -> Variant {
    Variant {
        section,
        title,
        workload: Some(workload),
        pending: None,
        units,
        unit,
        ideal: None,
        contenders,
        charted: true,
    }
}

fn pending(section: Section, title: &str, why: &str) -> Variant {
    Variant {
        section,
        title: title.to_owned(),
        workload: None,
        pending: Some(why.to_owned()),
        units: 0,
        unit: "",
        ideal: None,
        contenders: Vec::new(),
        charted: false,
    }
}

/// Every table of a run, in the order. `server` is the port of the embedded server the
/// download tables use, or why there is none.
pub fn plan(sizes: &Sizes, server: Result<u16, String>) -> Vec<Variant> {
    let everyone = || [runtimes(), pythons()].concat();
    let mut variants = Vec::new();

    for n in sizes.spawn {
        variants.push(variant(
            Section::Spawn,
            format!("Spawn and join {} trivial tasks", thousands(n)),
            Workload::Spawn { n },
            n,
            "tasks",
            everyone(),
        ));
    }

    let (n, millis) = (sizes.sleepers, sizes.sleep_millis);
    variants.push(Variant {
        ideal: Some(millis as f64 / 1000.0),
        ..variant(
            Section::Sleepers,
            format!("{} tasks sleeping {millis} ms each, gathered", thousands(n)),
            Workload::Sleepers { n, millis },
            n,
            "tasks",
            everyone(),
        )
    });

    let items = sizes.queue_items;
    for (producers, consumers) in [(1, 1), (4, 4)] {
        for capacity in [0, sizes.queue_capacity] {
            let kind = match capacity {
                0 => "unbounded".to_owned(),
                n => format!("bounded ({n})"),
            };
            variants.push(variant(
                Section::Queue,
                format!(
                    "A queue passing {} items, {producers}→{consumers}, {kind}",
                    thousands(items)
                ),
                Workload::Queue {
                    items,
                    producers,
                    consumers,
                    capacity,
                },
                items,
                "items",
                queue_contenders(consumers),
            ));
        }
    }

    // The 4→4 bounded queue once more, through other channels: how much is the channel's.
    let capacity = sizes.queue_capacity;
    variants.push(Variant {
        charted: false,
        ..variant(
            Section::Queue,
            format!(
                "A queue passing {} items, 4→4, bounded ({capacity}), through three channels on tokio",
                thousands(items)
            ),
            Workload::Queue {
                items,
                producers: 4,
                consumers: 4,
                capacity,
            },
            items,
            "items",
            channel_contenders(),
        )
    });

    let (n, workers) = (sizes.jobs, sizes.workers);
    variants.push(variant(
        Section::Jobs,
        format!(
            "{} jobs through a {workers}-worker limit (`jobs`' `run_jobs`)",
            thousands(n)
        ),
        Workload::Jobs { n, workers },
        n,
        "jobs",
        [ports_and_bare("jobs", single_threaded()), pythons()].concat(),
    ));

    let n = sizes.chains;
    variants.push(variant(
        Section::Chained,
        format!(
            "{} chains of part1 → part2 with zero sleep (`chained`)",
            thousands(u64::from(n))
        ),
        Workload::Chained { n },
        u64::from(n),
        "chains",
        [ports_and_bare("chained", single_threaded()), pythons()].concat(),
    ));

    let (pages, latency) = (sizes.pages, sizes.latency_ms);
    match server {
        Ok(port) => variants.extend(DOWNLOAD_MODES.map(|(mode, what)| {
            let floor = download_floor(mode, pages) as f64 * latency as f64 / 1000.0;
            let workload = Workload::Download { mode, pages, port };
            Variant {
                ideal: Some(floor),
                ..variant(
                    Section::Download,
                    format!("`download`, {what}: {pages} pages, {latency} ms latency"),
                    workload,
                    pages,
                    "pages",
                    download_contenders(mode),
                )
            }
        })),
        Err(why) => variants.push(pending(
            Section::Download,
            &format!("`download`: {pages} pages from the embedded server, {latency} ms latency"),
            &format!("not measured: {why}"),
        )),
    }
    variants
}

/// The `download` example's versions, and what each table calls them.
const DOWNLOAD_MODES: [(DownloadMode, &str); 4] = [
    (DownloadMode::Sync, "sync (one request after another)"),
    (DownloadMode::Threads, "threads (a pool of 5)"),
    (DownloadMode::Async, "async (every request at once)"),
    (DownloadMode::Processes, "processes (one per core)"),
];

/// How many latencies a version must wait at the least: one per page in turn; one per page
/// for each of the 5 threads; one in all for the async version; one per page for each of the
/// worker processes (one per core, as `ProcessPoolExecutor` has by default).
fn download_floor(mode: DownloadMode, pages: u64) -> u64 {
    match mode {
        DownloadMode::Sync => pages,
        DownloadMode::Threads => pages.div_ceil(5),
        DownloadMode::Async => 1,
        DownloadMode::Processes => pages.div_ceil(cores() as u64),
    }
}

/// The rows of a download table: the example's version (on each runtime for the async one)
/// and the document's Python program.
fn download_contenders(mode: DownloadMode) -> Vec<Contender> {
    let rust = |runtime: &str, imp| {
        Contender::new(format!("{runtime}: `download` port"), Runner::Rust(imp))
    };
    match mode {
        DownloadMode::Async => vec![
            rust("tokio", Imp::PortTokio),
            rust("async-std", Imp::PortAsyncStd),
            rust("smol", Imp::PortSmol),
            Contender::new("Python asyncio, aiohttp", Runner::Python(Loop::Asyncio)),
            Contender::new("Python uvloop, aiohttp", Runner::Python(Loop::Uvloop)),
        ],
        _ => vec![
            // The runtime plays no part in the blocking versions.
            Contender::new("Rust: `download` port, ureq", Runner::Rust(Imp::PortTokio)),
            Contender::new("Python, requests", Runner::Python(Loop::Asyncio)),
        ],
    }
}

/// `1000000` as `1,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn every_port_names_a_bare_row_of_its_table() {
        for variant in plan(&FULL, Ok(8080)) {
            for bare in variant.contenders.iter().filter_map(|c| c.bare.as_ref()) {
                assert!(variant.contenders.iter().any(|c| &c.label == bare));
            }
        }
    }
}
