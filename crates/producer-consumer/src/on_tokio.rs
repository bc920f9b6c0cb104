//! The producer/consumer programs on tokio (the default runtime):
//! `cargo run -p producer-consumer -- -p 2 -c 2` runs Real Python's `asyncq.py`;
//! add `--maxsize 10 --timeout 5` for seed 003's program, or `--sentinel` for seed 004's.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use anyhow::Context;
use async_channel::{Receiver, Sender};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// Real Python's `asyncq.py`: producers put random items in a queue, consumers take them out,
/// and `main` waits until every item put has been processed.
pub mod asyncq {
    use super::*;

    // ANCHOR: asyncq
    /// What the queue holds: asyncq's `(i, t)`, and the item's share of `q.join()`.
    struct Item {
        i: String,
        t: Instant,
        /// `q.join()` returns once every clone of this sender is gone: a consumer drops it
        /// when it has processed the item, and that is `q.task_done()`.
        unfinished: mpsc::Sender<()>,
    }

    async fn makeitem(size: usize) -> anyhow::Result<String> {
        // os.urandom(size).hex()
        let mut bytes = vec![0; size];
        getrandom::fill(&mut bytes).context("cannot read OS randomness")?;
        Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
    }

    async fn randsleep(caller: &str) {
        let i = pyrandom::randint(0, 10);
        println!("{caller} sleeping for {i} seconds.");
        sleep(i as f64).await;
    }

    async fn produce(
        name: u32,
        q: Sender<Item>,
        unfinished: mpsc::Sender<()>,
        tally: Arc<Tally>,
    ) -> anyhow::Result<()> {
        let n = pyrandom::randint(0, 10);
        for _ in 0..n {
            randsleep(&format!("Producer {name}")).await;
            let i = makeitem(5).await?;
            let t = Instant::now();
            let item = Item {
                i: i.clone(),
                t,
                unfinished: unfinished.clone(),
            };
            // `await q.put(...)`: waits for room only when the queue is bounded and full.
            q.send(item).await.context("the queue is closed")?;
            tally.produced.fetch_add(1, Relaxed);
            println!("Producer {name} added <{i}> to queue.");
        }
        Ok(())
    }

    async fn consume(name: u32, q: Receiver<Item>, tally: Arc<Tally>) {
        // recv() fails only once every producer is gone and the queue is empty: no item can
        // come any more, and this consumer ends instead of waiting to be cancelled.
        loop {
            randsleep(&format!("Consumer {name}")).await;
            // Cancel-safe: cancelled here, a consumer has taken no item; past this line it
            // does not await again before the item is counted, so no item is ever lost.
            let Ok(Item { i, t, unfinished }) = q.recv().await else {
                return;
            };
            let now = t.elapsed().as_secs_f64();
            println!("Consumer {name} got element <{i}> in {now:.5} seconds.");
            tally.consumed.fetch_add(1, Relaxed);
            drop(unfinished); // q.task_done()
        }
    }

    async fn main(nprod: u32, ncon: u32, maxsize: usize) -> anyhow::Result<()> {
        let tally = Arc::new(Tally::default());
        let (q, items) = queue(maxsize);
        // q.join()'s side: `all_done.recv()` returns None once no sender is left; every
        // producer and every unprocessed item holds one.
        let (unfinished, mut all_done) = mpsc::channel(1);
        let mut producers = JoinSet::new();
        for n in 0..nprod {
            producers.spawn(produce(n, q.clone(), unfinished.clone(), tally.clone()));
        }
        let mut consumers = JoinSet::new();
        for n in 0..ncon {
            consumers.spawn(consume(n, items.clone(), tally.clone()));
        }
        // From here only the producers and the queued items hold these senders.
        drop((q, unfinished));

        let finished = until_ctrl_c(async {
            // await asyncio.gather(*producers)
            while let Some(producer) = producers.join_next().await {
                producer.context("a producer panicked")??;
            }
            // await q.join()
            all_done.recv().await;
            anyhow::Ok(())
        })
        .await?;

        // After Ctrl-C, the producers stop here; otherwise they are done already. shutdown()
        // aborts every task of the set at once, then waits until each has dropped its future.
        producers.shutdown().await;
        // for c in consumers: c.cancel()
        consumers.shutdown().await;
        match finished {
            Some(result) => result,
            None => Err(tally.interrupted(&items)),
        }
    }

    pub fn run(nprod: u32, ncon: u32, maxsize: usize) -> anyhow::Result<()> {
        pyrandom::seed(444);
        let start = Instant::now();
        // asyncio.run(main(...)): one thread runs every task, as asyncio's loop does.
        runtime()?.block_on(main(nprod, ncon, maxsize))?;
        let elapsed = start.elapsed().as_secs_f64();
        println!("Program completed in {elapsed:.5} seconds.");
        Ok(())
    }
    // ANCHOR_END: asyncq
}

/// Seed 003's program: two producers and two consumers around a bounded queue, forever, all
/// cancelled after a timeout.
pub mod bounded {
    use super::*;

    // ANCHOR: bounded
    async fn producer(my_queue: Sender<i64>, tally: Arc<Tally>) -> anyhow::Result<()> {
        loop {
            sleep(1.0).await;
            timing::stamped!(label: "MainProcess", "Putting new item onto queue.");
            let item = pyrandom::randint(1, 5);
            // Waits while the queue holds `maxsize` items.
            my_queue.send(item).await.context("the queue is closed")?;
            tally.produced.fetch_add(1, Relaxed);
        }
    }

    async fn consumer(id: u32, my_queue: Receiver<i64>, tally: Arc<Tally>) {
        loop {
            timing::stamped!(label: "MainProcess", "Consumer: {id} attempting to get from queue.");
            let Ok(item) = my_queue.recv().await else {
                return;
            };
            timing::stamped!(label: "MainProcess", "Consumer: {id} consumed item with id: {item}");
            tally.consumed.fetch_add(1, Relaxed);
        }
    }

    async fn main(maxsize: usize, timeout: f64) -> anyhow::Result<()> {
        let tally = Arc::new(Tally::default());
        let (queue, items) = queue(maxsize);
        let mut producers = JoinSet::new();
        for _ in 0..2 {
            producers.spawn(producer(queue.clone(), tally.clone()));
        }
        let mut consumers = JoinSet::new();
        for i in 1..=2 {
            consumers.spawn(consumer(i, items.clone(), tally.clone()));
        }
        // await asyncio.wait(tasks, timeout=5): the tasks never end, so this is the timeout.
        let finished = until_ctrl_c(sleep(timeout)).await?;
        // for task in tasks: task.cancel()
        producers.shutdown().await;
        consumers.shutdown().await;
        match finished {
            Some(()) => Ok(()),
            None => Err(tally.interrupted(&items)),
        }
    }

    pub fn run(maxsize: usize, timeout: f64) -> anyhow::Result<()> {
        runtime()?.block_on(main(maxsize, timeout))
    }
    // ANCHOR_END: bounded
}

/// Seed 004's program, fixed: one producer, one consumer, and a queue that says when it is done.
pub mod sentinel {
    use super::*;

    // ANCHOR: sentinel
    async fn producer(q: mpsc::UnboundedSender<i32>) {
        for i in 0..5 {
            // An unbounded queue never makes a producer wait: tokio's send is not even async.
            // It fails only when the consumer is gone, and then there is no one to produce for.
            if q.send(i).is_err() {
                return;
            }
            println!("Produced: {i}");
        }
        // The document's producer returns here and its consumer waits forever for a None it
        // never sends. Here `q`, the only sender, is dropped: that closes the queue.
    }

    async fn consumer(mut q: mpsc::UnboundedReceiver<i32>) {
        // recv() returns None once the queue is closed and empty: closing is the sentinel.
        while let Some(item) = q.recv().await {
            println!("Consumed: {item}");
        }
    }

    pub fn run() -> anyhow::Result<()> {
        // One consumer: tokio's own mpsc channel fits.
        let (sender, receiver) = mpsc::unbounded_channel();
        // asyncio.gather(producer(q), consumer(q)): join! polls both, the producer first.
        runtime()?.block_on(async { tokio::join!(producer(sender), consumer(receiver)) });
        Ok(())
    }
    // ANCHOR_END: sentinel
}

// ANCHOR: queue
/// `asyncio.Queue(maxsize)` for several consumers: tokio's mpsc channel has one receiver, so
/// this is async-channel's, which works on any runtime. Bounded when `maxsize > 0` (a producer
/// then waits for room), unbounded when it is 0, as in asyncio.
fn queue<T>(maxsize: usize) -> (Sender<T>, Receiver<T>) {
    if maxsize == 0 {
        async_channel::unbounded()
    } else {
        async_channel::bounded(maxsize)
    }
}

/// How many items went into the queue and came out: the summary printed after Ctrl-C.
#[derive(Default)]
struct Tally {
    produced: AtomicUsize,
    consumed: AtomicUsize,
}

impl Tally {
    /// Prints the summary, once every task is cancelled, and returns the error that makes the
    /// program exit with code 130.
    fn interrupted<T>(&self, queue: &Receiver<T>) -> anyhow::Error {
        let (produced, consumed) = (self.produced.load(Relaxed), self.consumed.load(Relaxed));
        let left = queue.len();
        println!(
            "Interrupted: {produced} items produced, {consumed} consumed, {left} left in the queue."
        );
        timing::Interrupted.into()
    }
}
// ANCHOR_END: queue

// ANCHOR: ctrl_c
/// Runs `work` to its end, unless Ctrl-C comes first: then `work` is dropped, cancelled at the
/// await it was paused at, and the result is `None`. The caller cancels its tasks either way.
async fn until_ctrl_c<T>(work: impl Future<Output = T>) -> anyhow::Result<Option<T>> {
    tokio::select! {
        output = work => Ok(Some(output)),
        // From its first poll on, Ctrl-C no longer kills the process: it completes this future.
        signal = tokio::signal::ctrl_c() => {
            signal.context("cannot listen for Ctrl-C")?;
            Ok(None)
        }
    }
}

/// One thread runs every task, as asyncio's loop does; the current-thread runtime also fires
/// every timer that is due before it polls again. Signals need the I/O driver.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")
}
// ANCHOR_END: ctrl_c

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale, until a deadline on the program's timeline
/// (see `timing::deadline`); a zero wait only hands control back once, like `asyncio.sleep(0)`.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now resumes tasks that yield in the same tick last-first;
        // asyncio resumes them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
