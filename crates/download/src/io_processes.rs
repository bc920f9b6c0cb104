//! `io_processes.py`, the process-based version: one worker process per CPU core, each with a
//! session of its own. `cargo run -p download -- --mode processes`.
//!
//! Python's `ProcessPoolExecutor` starts interpreters and sends them pickled calls over pipes.
//! Here the binary starts copies of itself (`download worker`, a hidden subcommand) and talks
//! to each over its stdin and stdout: a URL goes in, one JSON line comes back, and the next URL
//! goes to whichever worker is free, as the pool's queue does.

// ANCHOR: port
use std::io::{BufRead, BufReader, Write};
use std::num::NonZeroUsize;
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};

use crate::{Outcome, Summary, blocking_session};

/// `worker` is the program to start as a worker process: this one, in the `download` binary.
pub fn main(sites: &[String], timeout: Duration, worker: &Path) -> anyhow::Result<Summary> {
    let start_time = Instant::now();
    let outcomes = download_all_sites(sites, timeout, worker)?;
    let duration = start_time.elapsed();
    let summary = Summary::new(sites, outcomes, duration);
    println!("{summary}");
    Ok(summary)
}

/// `ProcessPoolExecutor(initializer=init_process)` and `executor.map(download_site, sites)`:
/// as many workers as CPU cores, and in this process one thread per worker that hands it the
/// next site from a shared queue and waits for its answer.
fn download_all_sites(
    sites: &[String],
    timeout: Duration,
    worker: &Path,
) -> anyhow::Result<Vec<Outcome>> {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let queue = Mutex::new(sites.iter().enumerate());
    let next_site = || queue.lock().unwrap_or_else(PoisonError::into_inner).next();
    let mut outcomes: Vec<(usize, Outcome)> = Vec::with_capacity(sites.len());
    std::thread::scope(|scope| {
        let mut drivers = Vec::new();
        for number in 1..=cores.min(sites.len()) {
            let mut worker = WorkerProcess::start(worker, number, timeout)?;
            let driver = std::thread::Builder::new().spawn_scoped(scope, move || {
                let mut done = Vec::new();
                while let Some((index, url)) = next_site() {
                    let outcome = worker.download_site(url);
                    let broken = outcome.is_err() && !worker.is_alive();
                    done.push((index, outcome));
                    if broken {
                        break; // the other workers take the rest of the queue
                    }
                }
                worker.finish();
                done
            });
            drivers.push(driver.context("cannot start a thread")?);
        }
        for driver in drivers {
            outcomes.extend(driver.join().ok().context("a thread panicked")?);
        }
        anyhow::Ok(())
    })?;
    outcomes.sort_by_key(|(index, _)| *index);
    Ok(outcomes.into_iter().map(|(_, outcome)| outcome).collect())
}

/// One worker process, as the parent sees it.
struct WorkerProcess {
    /// `multiprocessing.current_process().name`: Python calls the processes it starts this
    /// way (not `ForkProcess-N`) with the "spawn" start method, which starts a fresh program
    /// as this port does.
    name: String,
    child: Child,
    requests: Option<ChildStdin>,
    answers: BufReader<ChildStdout>,
}

impl WorkerProcess {
    /// Starts `program worker --timeout SECS`.
    fn start(program: &Path, number: usize, timeout: Duration) -> anyhow::Result<Self> {
        let mut child = Command::new(program)
            .args(["worker", "--timeout", &timeout.as_secs_f64().to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", program.display()))?;
        let requests = child.stdin.take().context("no pipe to the worker")?;
        let answers = child.stdout.take().context("no pipe from the worker")?;
        Ok(Self {
            name: format!("SpawnProcess-{number}"),
            child,
            requests: Some(requests),
            answers: BufReader::new(answers),
        })
    }

    /// Sends the URL, waits for the worker's answer, and prints the line the worker's
    /// `download_site` prints in Python.
    fn download_site(&mut self, url: &str) -> Outcome {
        let requests = self.requests.as_mut().context("the worker is closed")?;
        writeln!(requests, "{url}")
            .and_then(|()| requests.flush())
            .context("the worker process is gone")?;
        let mut answer = String::new();
        if self.answers.read_line(&mut answer)? == 0 {
            anyhow::bail!("the worker process ended before answering");
        }
        let answer: serde_json::Value =
            serde_json::from_str(&answer).context("the worker's answer is not JSON")?;
        if let Some(error) = answer["error"].as_str() {
            return Err(anyhow!("{error}"));
        }
        let length = answer["bytes"]
            .as_u64()
            .context("the worker's answer has no byte count")?;
        println!("{}:Read {length} bytes from {url}", self.name);
        Ok(length as usize)
    }

    fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Closes the worker's stdin, which ends its loop, and waits for it to exit.
    fn finish(mut self) {
        drop(self.requests.take());
        let _ = self.child.wait();
    }
}

/// The worker process (`download worker`): `init_process()`, then `download_site(url)` for
/// each URL read from stdin, each answer one JSON line on stdout, until stdin closes.
pub fn worker(timeout: Duration) -> anyhow::Result<()> {
    let session = init_process(timeout);
    let mut answers = std::io::stdout().lock();
    for url in std::io::stdin().lock().lines() {
        let url = url.context("cannot read from the parent process")?;
        let answer = match download_site(&url, &session) {
            Ok(length) => serde_json::json!({ "bytes": length }),
            Err(error) => serde_json::json!({ "error": format!("{error:#}") }),
        };
        writeln!(answers, "{answer}")?;
        answers.flush()?;
    }
    Ok(())
}

fn download_site(url: &str, session: &ureq::Agent) -> Outcome {
    let content = session.get(url).call()?.body_mut().read_to_vec()?;
    Ok(content.len())
}

/// The `initializer` of each process: its own session. It closes when the process ends, as
/// `atexit.register(session.close)` makes it in Python.
fn init_process(timeout: Duration) -> ureq::Agent {
    blocking_session(timeout)
}
// ANCHOR_END: port
