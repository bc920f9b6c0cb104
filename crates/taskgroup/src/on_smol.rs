//! The seed-000 `TaskGroup` program on smol: `cargo run -p taskgroup -- --runtime smol`; add
//! `--fail`, `--panic` or `--body-error` for the failing variants.

// ANCHOR: port
use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use anyhow::{anyhow, bail};
use futures::FutureExt;
use futures::future::{join_all, select_all};
use scopeguard::ScopeGuard;
use smol::{LocalExecutor, Task};

use crate::Fault;

async fn process_item(item: u32, fault: Option<Fault>) -> anyhow::Result<String> {
    println!("Processing {item}...");
    // Cancelling a Rust task drops its future where it waits: what Python does in
    // `except asyncio.CancelledError:` goes in a Drop. This guard prints when it is dropped,
    // unless it is defused first, once the wait is over.
    let cancelled = scopeguard::guard((), move |()| println!("process_item({item}) cancelled"));
    sleep(item).await; // Variable processing time
    ScopeGuard::into_inner(cancelled);
    match fault {
        Some(Fault::Fail) => bail!("item {item} is out of stock"),
        Some(Fault::Panic) => {
            // A bug. Python raises IndexError, an exception like the one above; in Rust an
            // index out of bounds is a panic, not an `Err`.
            let stock: Vec<String> = Vec::new();
            Ok(stock[item as usize].clone())
        }
        _ => Ok(format!("Processed {item}")),
    }
}

async fn process_order(order: u32) -> anyhow::Result<String> {
    println!("Processing {order}...");
    let cancelled = scopeguard::guard((), move |()| println!("process_order({order}) cancelled"));
    sleep(order).await; // Variable processing order
    ScopeGuard::into_inner(cancelled);
    Ok(format!("Processed {order}"))
}

async fn process_bill(bill: u32) -> anyhow::Result<String> {
    println!("Processing {bill}...");
    let cancelled = scopeguard::guard((), move |()| println!("process_bill({bill}) cancelled"));
    sleep(bill).await; // Variable processing bill
    ScopeGuard::into_inner(cancelled);
    Ok(format!("Processed {bill}"))
}

async fn main(executor: &LocalExecutor<'static>, fault: Option<Fault>) -> anyhow::Result<()> {
    // async with asyncio.TaskGroup() as tg:
    let mut tg = TaskGroup::new(executor);
    // Create multiple tasks that will run concurrently
    let task1 = tg.create_task("process_item(1)", process_item(1, fault));
    let task2 = tg.create_task("process_order(2)", process_order(2));
    let task3 = tg.create_task("process_bill(3)", process_bill(3));

    println!("All tasks have been created and are running...");
    // `raise` in the body (our variant). The error is kept as a value for the group: a `?`
    // here would return before the group has waited for its tasks.
    let body = match fault {
        Some(Fault::BodyError) => Err(anyhow!("the body of the TaskGroup failed")),
        _ => Ok(()),
    };

    // The end of the `async with` block: every task is awaited, and if anything failed, the
    // group returns every error at once.
    let results = tg.wait(body).await?;
    println!("All tasks completed!");
    println!(
        "Results: {}, {}, {}",
        results[task1], results[task2], results[task3]
    );
    Ok(())
}

pub fn run(fault: Option<Fault>) -> anyhow::Result<()> {
    // asyncio.run(main()): a LocalExecutor runs its tasks on the thread that runs it, as asyncio
    // does, and they start only when main waits. (`smol::spawn` would run them on a thread of
    // its own, where they could print before main does.)
    let executor = LocalExecutor::new();
    smol::block_on(executor.run(main(&executor, fault)))
}
// ANCHOR_END: port

// ANCHOR: group
/// `asyncio.TaskGroup`, as much of it as this program uses: the tasks run at once; the first
/// failure cancels the others; the group still waits for every task to end, and then returns all
/// the results in the order the tasks were created, or every error.
///
/// On smol it is a list of task handles, in the order the tasks were created. Dropping a smol
/// task handle cancels the task, so if the group is dropped (on an early return, or when the
/// task awaiting it is cancelled), none is left running.
struct TaskGroup<'a> {
    executor: &'a LocalExecutor<'static>,
    /// The tasks not awaited yet: each one's place in the results, name and handle.
    tasks: Vec<(usize, String, Task<Outcome>)>,
    results: Vec<Option<String>>,
}

/// How a task ended: its own result, or the panic that stopped it.
type Outcome = std::thread::Result<anyhow::Result<String>>;

impl<'a> TaskGroup<'a> {
    fn new(executor: &'a LocalExecutor<'static>) -> Self {
        Self {
            executor,
            tasks: Vec::new(),
            results: Vec::new(),
        }
    }

    /// `tg.create_task(...)`: returns the task's place in the results.
    fn create_task(
        &mut self,
        name: &str,
        task: impl Future<Output = anyhow::Result<String>> + 'static,
    ) -> usize {
        // smol hands a task's panic on to whoever awaits the task, and it would end the program
        // there. Catch it inside the task instead, so the group receives it as a value.
        let task = self.executor.spawn(AssertUnwindSafe(task).catch_unwind());
        let place = self.results.len();
        self.tasks.push((place, name.to_owned(), task));
        self.results.push(None);
        place
    }

    /// The end of `async with`: `body` is how the code inside the block ended.
    async fn wait(mut self, body: anyhow::Result<()>) -> anyhow::Result<Vec<String>> {
        let mut errors = Vec::new();
        let mut cancelling = body.is_err();
        while !cancelling && !self.tasks.is_empty() {
            // The first task to end (the first in the list, if several have).
            let (outcome, index, _) =
                select_all(self.tasks.iter_mut().map(|(.., task)| task)).await;
            let (place, name, _) = self.tasks.remove(index);
            cancelling = !self.record(place, &name, outcome, &mut errors);
        }
        // Cancel every task still running, then wait for them all. `join_all` polls the `cancel`
        // calls in the order the tasks were created, and each marks its task cancelled on its
        // first poll, before any of them runs again. A cancelled task is dropped where it waits
        // (or before it starts), and its `cancel` returns `None`; one that has ended meanwhile
        // returns how it ended.
        let cancelled = self
            .tasks
            .drain(..)
            .map(|(place, name, task)| async move { (place, name, task.cancel().await) });
        for (place, name, outcome) in join_all(cancelled).await {
            if let Some(outcome) = outcome {
                self.record(place, &name, outcome, &mut errors);
            }
        }
        // The body's error comes after the tasks', as in asyncio.
        errors.extend(body.err());
        if !errors.is_empty() {
            return Err(error_group(&errors));
        }
        Ok(self.results.into_iter().flatten().collect())
    }

    /// Keeps a task's result, or its error in `errors`; true if it succeeded.
    fn record(
        &mut self,
        place: usize,
        name: &str,
        outcome: Outcome,
        errors: &mut Vec<anyhow::Error>,
    ) -> bool {
        match outcome {
            Ok(Ok(result)) => {
                self.results[place] = Some(result);
                return true;
            }
            Ok(Err(error)) => errors.push(error.context(name.to_owned())),
            Err(panic) => errors.push(anyhow!("{name} panicked: {}", message(&*panic))),
        }
        false
    }
}

/// Python's ExceptionGroup summary, then one line per error.
fn error_group(errors: &[anyhow::Error]) -> anyhow::Error {
    let count = errors.len();
    let plural = if count == 1 { "" } else { "s" };
    let lines: String = errors
        .iter()
        .map(|error| format!("\n  {error:#}"))
        .collect();
    anyhow!("unhandled errors in a TaskGroup ({count} sub-exception{plural}){lines}")
}

/// A panic's message: `panic!` with a literal carries a `&str`, with arguments a `String`.
fn message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
// ANCHOR_END: group

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), so waits tied in the document's seconds end together,
/// and a zero wait only hands control back once, like `asyncio.sleep(0)`.
async fn sleep(secs: u32) {
    match timing::deadline(f64::from(secs)) {
        Some(deadline) => {
            smol::Timer::at(deadline).await;
        }
        None => smol::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
