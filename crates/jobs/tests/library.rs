//! The utilities as a library (what `crates/bench` and a reader's own project call): how many
//! jobs exist at once with each `run_jobs`, `chunks`, and `run_async_tasks` called where a
//! runtime is already running.

use std::cell::Cell;
use std::convert::Infallible;
use std::num::NonZeroUsize;

use jobs::{on_async_std, on_smol, on_tokio};

/// How many job futures exist now, and the most that ever existed at once.
#[derive(Default)]
struct Alive {
    now: Cell<usize>,
    most: Cell<usize>,
}

/// Counts a job from the moment it is made until it is dropped.
struct Counted<'a>(&'a Alive);

impl<'a> Counted<'a> {
    fn new(alive: &'a Alive) -> Self {
        alive.now.set(alive.now.get() + 1);
        alive.most.set(alive.most.get().max(alive.now.get()));
        Counted(alive)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.now.set(self.0.now.get() - 1);
    }
}

/// A trivial job: it yields once and returns its number. It exists from this call on.
fn trivial(n: usize, alive: &Alive) -> impl Future<Output = Result<usize, Infallible>> + '_ {
    let counted = Counted::new(alive);
    async move {
        let _counted = counted;
        futures_lite::future::yield_now().await;
        Ok(n)
    }
}

const JOBS: usize = 10_000;
const WORKERS: NonZeroUsize = NonZeroUsize::new(10).unwrap();

fn tokio_block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

/// Runs 10,000 trivial jobs, made one by one from an iterator, through one of the utilities,
/// and returns the most job futures that existed at once.
macro_rules! most_alive {
    ($block_on:expr, $run_jobs:path) => {{
        let alive = Alive::default();
        let jobs = (0..JOBS).map(|n| trivial(n, &alive));
        let results = $block_on($run_jobs(jobs, false, WORKERS, None)).unwrap();
        assert!(results.into_iter().eq(0..JOBS), "results in input order");
        assert_eq!(alive.now.get(), 0, "every job dropped");
        alive.most.get()
    }};
}

/// `run_jobs` (buffer_unordered) and `run_jobs_buffered` take a job from the iterator only when
/// there is room for it, so however many jobs there are, only 10 exist at once: memory does not
/// grow with the list. The semaphore version makes every job first and lets 10 at a time in.
#[test]
fn run_jobs_keeps_only_workers_jobs_in_memory_and_the_semaphore_version_keeps_them_all() {
    let workers = WORKERS.get();

    assert_eq!(most_alive!(tokio_block_on, on_tokio::run_jobs), workers);
    assert_eq!(
        most_alive!(async_std::task::block_on, on_async_std::run_jobs),
        workers
    );
    assert_eq!(most_alive!(smol::block_on, on_smol::run_jobs), workers);

    assert_eq!(
        most_alive!(tokio_block_on, on_tokio::run_jobs_buffered),
        workers
    );
    assert_eq!(
        most_alive!(async_std::task::block_on, on_async_std::run_jobs_buffered),
        workers
    );
    assert_eq!(
        most_alive!(smol::block_on, on_smol::run_jobs_buffered),
        workers
    );

    assert_eq!(
        most_alive!(tokio_block_on, on_tokio::run_jobs_with_semaphore),
        JOBS
    );
    assert_eq!(
        most_alive!(
            async_std::task::block_on,
            on_async_std::run_jobs_with_semaphore
        ),
        JOBS
    );
    assert_eq!(
        most_alive!(smol::block_on, on_smol::run_jobs_with_semaphore),
        JOBS
    );
}

/// The document's example, `chunks([1, 2, 3, 4, 5, 6, 7], 3)`, gives `(1, 2, 3), (4, 5, 6),
/// (7, None, None)` in Python; the Rust `chunks` leaves the padding out.
#[test]
fn chunks_gives_a_short_last_batch_instead_of_padding() {
    let three = NonZeroUsize::new(3).unwrap();
    let expected = vec![vec![1, 2, 3], vec![4, 5, 6], vec![7]];
    assert_eq!(on_tokio::chunks(1..=7, three).collect::<Vec<_>>(), expected);
    assert_eq!(
        on_async_std::chunks(1..=7, three).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(on_smol::chunks(1..=7, three).collect::<Vec<_>>(), expected);
    assert_eq!(on_smol::chunks(1..=2, three).collect::<Vec<_>>(), [[1, 2]]);
    assert_eq!(on_smol::chunks(0..0, three).count(), 0);
}

fn ready_tasks() -> Vec<impl Future<Output = Result<u32, Infallible>>> {
    (1..=3).map(|n| async move { Ok(n) }).collect()
}

/// Python's `asyncio_run` raises "Detected nested async" when a loop is already running;
/// tokio's `block_on` would panic there, so the tokio port returns that error instead.
#[test]
fn run_async_tasks_on_a_running_tokio_runtime_is_an_error_not_a_panic() {
    let error = tokio_block_on(async {
        on_tokio::run_async_tasks(ready_tasks(), false, "nested").unwrap_err()
    });
    assert!(
        error.to_string().starts_with("Detected nested async"),
        "{error}"
    );
    // Outside a runtime it runs.
    let results = on_tokio::run_async_tasks(ready_tasks(), false, "plain").unwrap();
    assert_eq!(results, [1, 2, 3]);
}

/// async-std's and smol's `block_on` can be nested (it holds up the outer one's thread): what
/// Python needs `nest_asyncio` for.
#[test]
fn run_async_tasks_nests_inside_async_std_and_smol() {
    let nested = async_std::task::block_on(async {
        on_async_std::run_async_tasks(ready_tasks(), false, "nested")
    });
    assert_eq!(nested.unwrap(), [1, 2, 3]);
    let nested = smol::block_on(async { on_smol::run_async_tasks(ready_tasks(), false, "nested") });
    assert_eq!(nested.unwrap(), [1, 2, 3]);
}
