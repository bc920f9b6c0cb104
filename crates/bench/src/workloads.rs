//! The workloads, written once against [`Flavour`] and run by a measuring process
//! (`bench measure RUNTIME WORKLOAD …`). `python/bench.py` has the same workloads on asyncio,
//! with the same arguments.

use std::convert::Infallible;
use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use anyhow::{Context, ensure};
use futures::{StreamExt, TryStreamExt, stream};
use futures_lite::future::yield_now;

use crate::flavour::{Flavour, TokioCurrentThread};
use crate::measure::{Meter, Sample};

/// A workload and its size, as the measuring processes take it on their command line.
#[derive(Clone, Debug, PartialEq, clap::Subcommand)]
pub enum Workload {
    /// Spawn N trivial tasks, then join them all
    Spawn { n: u64 },
    /// N tasks that each sleep MILLIS milliseconds, gathered
    Sleepers { n: u64, millis: u64 },
    /// ITEMS through one queue, from PRODUCERS to CONSUMERS; CAPACITY 0 is unbounded
    Queue {
        items: u64,
        producers: u64,
        consumers: u64,
        capacity: usize,
    },
    /// N jobs that each yield once, through a limit of WORKERS at a time
    Jobs { n: u64, workers: usize },
    /// N chains of part1 -> part2 with zero sleep, printing the chained example's lines
    Chained { n: u32 },
    /// One version of the download example: PAGES pages from the server on 127.0.0.1:PORT
    Download {
        #[arg(value_enum)]
        mode: DownloadMode,
        pages: u64,
        port: u16,
    },
}

/// The `download` example's four versions, as the measuring processes name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DownloadMode {
    Sync,
    Threads,
    Async,
    Processes,
}

impl DownloadMode {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sync => "sync",
            Self::Threads => "threads",
            Self::Async => "async",
            Self::Processes => "processes",
        }
    }
}

impl Workload {
    /// The arguments that name this workload to a measuring process (Rust or Python).
    pub fn args(&self) -> Vec<String> {
        if let Self::Download { mode, pages, port } = *self {
            return [
                "download",
                mode.name(),
                &pages.to_string(),
                &port.to_string(),
            ]
            .map(str::to_owned)
            .to_vec();
        }
        let (name, numbers): (&str, Vec<u64>) = match *self {
            Self::Spawn { n } => ("spawn", vec![n]),
            Self::Sleepers { n, millis } => ("sleepers", vec![n, millis]),
            Self::Queue {
                items,
                producers,
                consumers,
                capacity,
            } => ("queue", vec![items, producers, consumers, capacity as u64]),
            Self::Jobs { n, workers } => ("jobs", vec![n, workers as u64]),
            Self::Chained { n } => ("chained", vec![u64::from(n)]),
            Self::Download { .. } => unreachable!("named above"),
        };
        std::iter::once(name.to_owned())
            .chain(numbers.iter().map(u64::to_string))
            .collect()
    }

    /// Runs the workload once on `runtime` and measures it.
    pub fn run<R: Flavour>(&self, runtime: &R) -> anyhow::Result<Sample> {
        match *self {
            Self::Spawn { n } => spawn_and_join(runtime, n),
            Self::Sleepers { n, millis } => sleepers(runtime, n, Duration::from_millis(millis)),
            Self::Queue { .. } => self.queue_through::<AsyncChannel, R>(runtime),
            Self::Jobs { n, workers } => jobs_bare(runtime, n, workers),
            Self::Chained { n } => Ok(chained_bare(runtime, n)),
            Self::Download { .. } => anyhow::bail!("download runs through the example's ports"),
        }
    }

    /// Runs the queue workload once on `runtime` through channel `C`, and measures it.
    pub fn queue_through<C: Channel, R: Flavour>(&self, runtime: &R) -> anyhow::Result<Sample> {
        match *self {
            Self::Queue {
                items,
                producers,
                consumers,
                capacity,
            } => queue::<R, C>(runtime, items, producers, consumers, capacity),
            ref other => anyhow::bail!("the channel rows run the queue only, not {other:?}"),
        }
    }
}

/// Workload 1: `[create_task(trivial(i)) for i in range(n)]`, then gather. Every task is
/// spawned before the first is joined, so all `n` exist at once (their handles keep them) and
/// the peak memory shows what a task costs.
fn spawn_and_join<R: Flavour>(runtime: &R, n: u64) -> anyhow::Result<Sample> {
    let (sample, sum) = runtime.block_on(async {
        let meter = Meter::start();
        let mut tasks = Vec::with_capacity(n as usize);
        for i in 0..n {
            tasks.push(runtime.spawn(async move { i }));
        }
        let mut sum = 0;
        for task in tasks {
            sum += task.await;
        }
        (meter.stop(), sum)
    });
    check_sum(sum, n, "the tasks returned")?;
    Ok(sample)
}

/// Checks that `what` added up to 0 + 1 + … + (n - 1): every task ran, every item arrived.
fn check_sum(sum: u64, n: u64, what: &str) -> anyhow::Result<()> {
    ensure!(sum == n * n.saturating_sub(1) / 2, "{what} {sum}");
    Ok(())
}

/// Workload 2: `n` tasks that each sleep on the runtime's own timer, gathered. The ideal is
/// one sleep: the timers all run at once.
fn sleepers<R: Flavour>(runtime: &R, n: u64, sleep: Duration) -> anyhow::Result<Sample> {
    let sample = runtime.block_on(async {
        let meter = Meter::start();
        let tasks: Vec<_> = (0..n).map(|_| runtime.spawn(R::sleep(sleep))).collect();
        for task in tasks {
            task.await;
        }
        meter.stop()
    });
    ensure!(
        sample.secs >= sleep.as_secs_f64(),
        "the sleepers woke early"
    );
    Ok(sample)
}

/// Workload 3: `items` numbers from `producers` to `consumers` through one queue. The queue is
/// async-channel's (async-std's and smol's own channel, and what the `producer-consumer`
/// example uses on tokio for several consumers) unless a table compares channels: the same
/// queue on every runtime, so only the runtime differs. Where asyncio's consumers stop at a
/// sentinel, these stop when the last producer has dropped its sender and the queue is empty.
fn queue<R: Flavour, C: Channel>(
    runtime: &R,
    items: u64,
    producers: u64,
    consumers: u64,
    capacity: usize,
) -> anyhow::Result<Sample> {
    let (sample, sum) = runtime.block_on(async {
        let meter = Meter::start();
        let (sender, receiver) = C::new(capacity);
        let producing: Vec<_> = (0..producers)
            .map(|p| {
                let sender = sender.clone();
                // Producer p puts p, p + producers, p + 2 * producers, …
                runtime.spawn(async move {
                    for item in (p..items).step_by(producers as usize) {
                        if !C::send(&sender, item).await {
                            break;
                        }
                    }
                })
            })
            .collect();
        drop(sender);
        let consuming: Vec<_> = (0..consumers)
            .map(|_| {
                let receiver = receiver.clone();
                runtime.spawn(async move {
                    let mut sum = 0;
                    while let Some(item) = C::recv(&receiver).await {
                        sum += item;
                    }
                    sum
                })
            })
            .collect();
        drop(receiver);
        for task in producing {
            task.await;
        }
        let mut sum = 0;
        for task in consuming {
            sum += task.await;
        }
        (meter.stop(), sum)
    });
    check_sum(sum, items, "the consumers got")?;
    Ok(sample)
}

/// A multi-producer, multi-consumer channel of numbers, bounded or (capacity 0) unbounded.
pub trait Channel {
    type Sender: Clone + Send + 'static;
    type Receiver: Clone + Send + 'static;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver);

    /// Sends `item`, waiting for room; false once every receiver is gone.
    fn send(sender: &Self::Sender, item: u64) -> impl Future<Output = bool> + Send;

    /// The next item; `None` once every sender is gone and the channel is empty.
    fn recv(receiver: &Self::Receiver) -> impl Future<Output = Option<u64>> + Send;
}

/// smol-rs' async-channel: what the examples use.
pub struct AsyncChannel;

/// flume, with its async API.
pub struct Flume;

/// kanal, with its async API. Its `recv` is not cancel-safe (an item can be lost when the
/// future is dropped just as it is handed over), which this loop never does.
pub struct Kanal;

impl Channel for AsyncChannel {
    type Sender = async_channel::Sender<u64>;
    type Receiver = async_channel::Receiver<u64>;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
        match capacity {
            0 => async_channel::unbounded(),
            capacity => async_channel::bounded(capacity),
        }
    }

    async fn send(sender: &Self::Sender, item: u64) -> bool {
        sender.send(item).await.is_ok()
    }

    async fn recv(receiver: &Self::Receiver) -> Option<u64> {
        receiver.recv().await.ok()
    }
}

impl Channel for Flume {
    type Sender = flume::Sender<u64>;
    type Receiver = flume::Receiver<u64>;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
        match capacity {
            0 => flume::unbounded(),
            capacity => flume::bounded(capacity),
        }
    }

    async fn send(sender: &Self::Sender, item: u64) -> bool {
        sender.send_async(item).await.is_ok()
    }

    async fn recv(receiver: &Self::Receiver) -> Option<u64> {
        receiver.recv_async().await.ok()
    }
}

impl Channel for Kanal {
    type Sender = kanal::AsyncSender<u64>;
    type Receiver = kanal::AsyncReceiver<u64>;

    fn new(capacity: usize) -> (Self::Sender, Self::Receiver) {
        match capacity {
            0 => kanal::unbounded_async(),
            capacity => kanal::bounded_async(capacity),
        }
    }

    async fn send(sender: &Self::Sender, item: u64) -> bool {
        sender.send(item).await.is_ok()
    }

    async fn recv(receiver: &Self::Receiver) -> Option<u64> {
        receiver.recv().await.ok()
    }
}

/// Workload 3, 1→1, on tokio's current-thread runtime with tokio's own channel,
/// `tokio::sync::mpsc`: what the `producer-consumer` example uses on tokio when there is one
/// consumer. Its receiver cannot be shared, so it has no 4→4 row.
pub fn queue_tokio_mpsc(items: u64, capacity: usize) -> anyhow::Result<Sample> {
    use tokio::sync::mpsc;

    let runtime = TokioCurrentThread::new()?;
    let (sample, sum) = runtime.block_on(async {
        let meter = Meter::start();
        let (producing, consuming) = match capacity {
            0 => {
                let (sender, mut receiver) = mpsc::unbounded_channel();
                let producing = runtime.spawn(async move {
                    for item in 0..items {
                        if sender.send(item).is_err() {
                            break;
                        }
                    }
                });
                (
                    producing,
                    runtime.spawn(sum_all(async move || receiver.recv().await)),
                )
            }
            capacity => {
                let (sender, mut receiver) = mpsc::channel(capacity);
                let producing = runtime.spawn(async move {
                    for item in 0..items {
                        if sender.send(item).await.is_err() {
                            break;
                        }
                    }
                });
                (
                    producing,
                    runtime.spawn(sum_all(async move || receiver.recv().await)),
                )
            }
        };
        producing.await;
        let sum = consuming.await;
        (meter.stop(), sum)
    });
    check_sum(sum, items, "the consumer got")?;
    Ok(sample)
}

/// The sum of what `next` gives until it gives `None`: a consumer of an mpsc channel.
async fn sum_all(mut next: impl AsyncFnMut() -> Option<u64>) -> u64 {
    let mut sum = 0;
    while let Some(item) = next().await {
        sum += item;
    }
    sum
}

/// Workload 4's jobs: job `i` hands control back once (`asyncio.sleep(0)`) and returns `i`.
fn jobs(n: u64) -> impl ExactSizeIterator<Item = impl Future<Output = Result<u64, Infallible>>> {
    (0..n as usize).map(|i| async move {
        yield_now().await;
        Ok(i as u64)
    })
}

fn check_jobs(results: &[u64], n: u64) -> anyhow::Result<()> {
    ensure!(
        results.iter().copied().eq(0..n),
        "the jobs' results are not 0..{n} in order"
    );
    Ok(())
}

/// Workload 4, written bare: the plainest limit of `workers` jobs at a time with the results
/// in order, `futures`' `buffered`, run the way the port's `asyncio_run` runs its future.
fn jobs_bare<R: Flavour>(runtime: &R, n: u64, workers: usize) -> anyhow::Result<Sample> {
    let meter = Meter::start();
    let main = stream::iter(jobs(n)).buffered(workers).try_collect();
    let results: Vec<u64> = runtime.run_main(main)?;
    let sample = meter.stop();
    check_jobs(&results, n)?;
    Ok(sample)
}

/// Workload 4 through the `jobs` example's own `run_jobs`, without a progress bar, run by its own
/// `asyncio_run`: on tokio's current-thread runtime, async-std's `block_on`, or smol's
/// `LocalExecutor`.
pub fn jobs_port(runtime: timing::Runtime, n: u64, workers: usize) -> anyhow::Result<Sample> {
    let workers = NonZeroUsize::new(workers).context("no workers")?;
    let meter = Meter::start();
    let results =
        match runtime {
            timing::Runtime::Tokio => {
                jobs::on_tokio::asyncio_run(jobs::on_tokio::run_jobs(jobs(n), false, workers, None))
            }
            timing::Runtime::AsyncStd => jobs::on_async_std::asyncio_run(
                jobs::on_async_std::run_jobs(jobs(n), false, workers, None),
            ),
            timing::Runtime::Smol => {
                jobs::on_smol::asyncio_run(jobs::on_smol::run_jobs(jobs(n), false, workers, None))
            }
        }?;
    let sample = meter.stop();
    check_jobs(&results, n)?;
    Ok(sample)
}

/// Workload 5, written bare: the `chained` example's work (the same random draws, the same
/// four lines and two zero waits per chain, the same closing line) in the plainest shape: one
/// spawned task per chain on the runtime's own thread, and a plain yield where the port calls
/// its `sleep`. The port's own code is measured by [`chained_port`].
fn chained_bare<R: Flavour>(runtime: &R, n: u32) -> Sample {
    async fn chain(n: u32) {
        let start = Instant::now();
        let i = pyrandom::randint(0, 10);
        println!("part1({n}) sleeping for {i} seconds.");
        yield_now().await;
        let p1 = format!("result{n}-1");
        println!("Returning part1({n}) == {p1}.");
        let i = pyrandom::randint(0, 10);
        println!("part2({n}, '{p1}') sleeping for {i} seconds.");
        yield_now().await;
        let p2 = format!("result{n}-2 derived from {p1}");
        println!("Returning part2({n}, '{p1}') == {p2}.");
        let end = start.elapsed().as_secs_f64();
        println!("-->Chained result{n} => {p2} (took {end:.2} seconds).");
    }

    let meter = Meter::start();
    pyrandom::seed(444);
    let start = Instant::now();
    runtime.block_on(async {
        let chains: Vec<_> = (1..=n).map(|n| runtime.spawn(chain(n))).collect();
        for chain in chains {
            chain.await;
        }
    });
    let end = start.elapsed().as_secs_f64();
    println!("Program finished in {end:.2} seconds.");
    meter.stop()
}

/// Workload 5 through the `chained` example's own code: its `run`, with every wait scaled to
/// zero (`TIME_SCALE=0`: each `sleep` hands control back once), printing what it prints.
pub fn chained_port(runtime: timing::Runtime, n: u32) -> anyhow::Result<Sample> {
    timing::ExampleArgs {
        runtime,
        time_scale: 0.0,
    }
    .install();
    let chains: Vec<u32> = (1..=n).collect();
    let meter = Meter::start();
    match runtime {
        timing::Runtime::Tokio => chained::on_tokio::run(&chains)?,
        timing::Runtime::AsyncStd => chained::on_async_std::run(&chains)?,
        timing::Runtime::Smol => chained::on_smol::run(&chains)?,
    }
    Ok(meter.stop())
}

/// Workload 6 through the `download` example's own code: one of its versions (`runtime` matters
/// only for the async one) over `pages` pages of the server on 127.0.0.1:`port`, printing what
/// it prints. The process-based version starts this program as its workers (`bench worker`).
pub fn download_port(
    runtime: timing::Runtime,
    mode: DownloadMode,
    pages: u64,
    port: u16,
) -> anyhow::Result<Sample> {
    let mode = match mode {
        DownloadMode::Sync => download::Mode::Sync,
        DownloadMode::Threads => download::Mode::Threads,
        DownloadMode::Async => download::Mode::Async,
        DownloadMode::Processes => download::Mode::Processes,
    };
    let urls = download::server::PAGES.map(|(path, _)| format!("http://127.0.0.1:{port}{path}"));
    let sites = download::sites(&urls, pages as usize / urls.len());
    reserve_descriptors();
    let meter = Meter::start();
    let summary = download::download(mode, runtime, &sites, Duration::from_secs(60))?;
    let sample = meter.stop();
    summary.ok()?;
    Ok(sample)
}

/// Grows this process's table of file descriptors to 1,024 before the clock starts, as the
/// `download` example's embedded server does for its process: here the server is a process of
/// its own, and in a process with threads each growth of the table waits for the kernel (an RCU
/// grace period, about 10 ms), which the example's own runs never pay. `bench.py` does the same.
fn reserve_descriptors() {
    let mut files = Vec::new();
    while let Ok(file) = std::fs::File::open("/dev/null") {
        files.push(file);
        if files.len() >= 1024 {
            break;
        }
    }
}
