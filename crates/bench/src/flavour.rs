//! The runtimes the benchmark compares, behind one small trait, so that every workload is
//! written once and runs the same code on each of them.
//!
//! Every flavour runs the workload's main future on the calling thread (`block_on`) and the
//! tasks it spawns where that runtime puts them: on worker threads for the multi-threaded
//! ones (as many as the machine has cores, each runtime's default), on the calling thread for
//! the single-threaded ones, which is where asyncio runs everything.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread;
use std::time::Duration;

use anyhow::Context as _;

/// A runtime: how to start the main future, spawn a task, and sleep on its own timer.
pub trait Flavour {
    /// A spawned task's handle: awaiting it gives the task's output.
    type Task<T: Send + 'static>: Future<Output = T> + Send + 'static;

    fn spawn<F>(&self, future: F) -> Self::Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    fn block_on<F: Future>(&self, future: F) -> F::Output;

    /// Runs `main` as the `jobs` example's `asyncio_run` runs its future on this runtime:
    /// driven by `block_on` itself, except on smol (below).
    fn run_main<F>(&self, main: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.block_on(main)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static;
}

/// tokio's multi-thread runtime, with its default of one worker per core. Both tokio flavours
/// enable the I/O driver and the timer, as `#[tokio::main]` does.
pub struct TokioMultiThread(tokio::runtime::Runtime);

/// tokio's current-thread runtime: spawned tasks run on the thread that calls `block_on`.
pub struct TokioCurrentThread(tokio::runtime::Runtime);

impl TokioMultiThread {
    pub fn new() -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start tokio's multi-thread runtime")?;
        Ok(Self(runtime))
    }
}

impl TokioCurrentThread {
    pub fn new() -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start tokio's current-thread runtime")?;
        Ok(Self(runtime))
    }
}

/// tokio's `JoinHandle` gives a `Result` (the task may have panicked or been aborted); the
/// benchmark's tasks do neither, and a panic is passed on as it was.
pub struct Joined<T>(tokio::task::JoinHandle<T>);

impl<T> Future for Joined<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.0).poll(cx).map(|result| match result {
            Ok(output) => output,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(error) => panic!("a benchmark task ended early: {error}"),
        })
    }
}

macro_rules! tokio_flavour {
    ($name:ident) => {
        impl Flavour for $name {
            type Task<T: Send + 'static> = Joined<T>;

            fn spawn<F>(&self, future: F) -> Joined<F::Output>
            where
                F: Future + Send + 'static,
                F::Output: Send + 'static,
            {
                Joined(self.0.spawn(future))
            }

            fn block_on<F: Future>(&self, future: F) -> F::Output {
                self.0.block_on(future)
            }

            fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
                tokio::time::sleep(duration)
            }
        }
    };
}

tokio_flavour!(TokioMultiThread);
tokio_flavour!(TokioCurrentThread);

/// async-std: tasks spawned on its global executor (one thread per core, started on first
/// use), or with `local`, by `spawn_local` on the thread that runs `block_on`, as the `chained`
/// port runs its chains (that one is only used to compare with the port).
pub struct AsyncStd {
    pub local: bool,
}

impl Flavour for AsyncStd {
    type Task<T: Send + 'static> = async_std::task::JoinHandle<T>;

    fn spawn<F>(&self, future: F) -> Self::Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self.local {
            false => async_std::task::spawn(future),
            true => async_std::task::spawn_local(future),
        }
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        async_std::task::block_on(future)
    }

    fn sleep(duration: Duration) -> impl Future<Output = ()> + Send + 'static {
        async_std::task::sleep(duration)
    }
}

/// smol's `LocalExecutor`, run by `block_on` on the calling thread: asyncio's shape.
pub struct SmolLocal(smol::LocalExecutor<'static>);

impl SmolLocal {
    pub fn new() -> Self {
        Self(smol::LocalExecutor::new())
    }
}

/// async-executor's `StaticLocalExecutor` (the crate smol's executors come from), run the same
/// way: an executor that lives as long as the program. It never has to cancel its tasks when
/// dropped, so it does not keep a list of them, and spawning costs less.
pub struct SmolStatic(&'static async_executor::StaticLocalExecutor);

impl SmolStatic {
    pub fn new() -> Self {
        Self(smol::LocalExecutor::new().leak())
    }
}

/// Both single-threaded smol executors: spawned tasks run on the thread that runs `block_on`.
macro_rules! smol_local_flavour {
    ($name:ident) => {
        impl Flavour for $name {
            type Task<T: Send + 'static> = smol::Task<T>;

            fn spawn<F>(&self, future: F) -> smol::Task<F::Output>
            where
                F: Future + Send + 'static,
                F::Output: Send + 'static,
            {
                self.0.spawn(future)
            }

            fn block_on<F: Future>(&self, future: F) -> F::Output {
                smol::block_on(self.0.run(future))
            }

            /// As a task of the executor: `block_on` checks the reactor each time the future it
            /// drives wakes itself, and the executor polls a woken task again at once.
            fn run_main<F>(&self, main: F) -> F::Output
            where
                F: Future + Send + 'static,
                F::Output: Send + 'static,
            {
                self.block_on(self.spawn(main))
            }

            async fn sleep(duration: Duration) {
                smol::Timer::after(duration).await;
            }
        }
    };
}

smol_local_flavour!(SmolLocal);
smol_local_flavour!(SmolStatic);

/// smol's `Executor`, run by one thread per core (smol has no default pool: this is the
/// pattern its documentation shows). The threads stop when this value is dropped.
pub struct SmolMultiThread {
    executor: Arc<smol::Executor<'static>>,
    _stop: async_channel::Sender<()>,
}

impl SmolMultiThread {
    pub fn new() -> anyhow::Result<Self> {
        let executor = Arc::new(smol::Executor::new());
        let (stop, stopped) = async_channel::bounded::<()>(1);
        for n in 0..cores() {
            let executor = Arc::clone(&executor);
            let stopped = stopped.clone();
            thread::Builder::new()
                .name(format!("smol-{n}"))
                .spawn(move || smol::block_on(executor.run(stopped.recv())))
                .context("cannot start an executor thread")?;
        }
        Ok(Self {
            executor,
            _stop: stop,
        })
    }
}

impl Flavour for SmolMultiThread {
    type Task<T: Send + 'static> = smol::Task<T>;

    fn spawn<F>(&self, future: F) -> smol::Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.executor.spawn(future)
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        smol::block_on(future)
    }

    async fn sleep(duration: Duration) {
        smol::Timer::after(duration).await;
    }
}

/// The machine's cores, as the runtimes count them for their default pools.
pub fn cores() -> usize {
    thread::available_parallelism().map_or(1, usize::from)
}
