//! `io_threads.py`, the multi-threaded version: a pool of 5 threads takes the sites from one
//! queue, each thread with a session of its own. `cargo run -p download -- --mode threads`.

// ANCHOR: port
use std::cell::OnceCell;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::{Outcome, Summary, blocking_session};

/// `ThreadPoolExecutor(max_workers=5)`.
const MAX_WORKERS: usize = 5;

pub fn main(sites: &[String], timeout: Duration) -> anyhow::Result<Summary> {
    let start_time = Instant::now();
    let outcomes = download_all_sites(sites, timeout)?;
    let duration = start_time.elapsed();
    let summary = Summary::new(sites, outcomes, duration);
    println!("{summary}");
    Ok(summary)
}

/// `executor.map(download_site, sites)`: the workers take the next site from a shared queue
/// whenever they are free, and the outcomes come back in list order.
fn download_all_sites(sites: &[String], timeout: Duration) -> anyhow::Result<Vec<Outcome>> {
    let queue = Mutex::new(sites.iter().enumerate());
    let next_site = || queue.lock().unwrap_or_else(PoisonError::into_inner).next();
    let mut outcomes: Vec<(usize, Outcome)> = Vec::with_capacity(sites.len());
    // Scoped threads may borrow `sites` and the queue: the scope waits for all of them,
    // as leaving `with ThreadPoolExecutor(...)` waits for the pool's threads.
    std::thread::scope(|scope| {
        let workers = (0..MAX_WORKERS)
            .map(|_| {
                std::thread::Builder::new().spawn_scoped(scope, || {
                    let mut done = Vec::new();
                    while let Some((index, url)) = next_site() {
                        done.push((index, download_site(url, timeout)));
                    }
                    done
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .context("cannot start a worker thread")?;
        for worker in workers {
            outcomes.extend(worker.join().ok().context("a worker thread panicked")?);
        }
        anyhow::Ok(())
    })?;
    outcomes.sort_by_key(|(index, _)| *index);
    Ok(outcomes.into_iter().map(|(_, outcome)| outcome).collect())
}

fn download_site(url: &str, timeout: Duration) -> Outcome {
    let session = get_session_for_thread(timeout);
    let content = session.get(url).call()?.body_mut().read_to_vec()?;
    println!("Read {} bytes from {url}", content.len());
    Ok(content.len())
}

thread_local! {
    /// `threading.local()`: every thread sees its own cell, empty until its first download.
    static SESSION: OnceCell<ureq::Agent> = const { OnceCell::new() };
}

/// A session per thread, made on the thread's first call and kept for the next ones. (A
/// `ureq::Agent` could be shared by all threads, unlike a `requests.Session`; the port keeps
/// the document's shape.)
fn get_session_for_thread(timeout: Duration) -> ureq::Agent {
    SESSION.with(|session| session.get_or_init(|| blocking_session(timeout)).clone())
}
// ANCHOR_END: port
