//! The seed-000 `TaskGroup` program on tokio: `cargo run -p taskgroup` (tokio is the default
//! runtime); add `--fail`, `--panic` or `--body-error` for the failing variants.

// ANCHOR: port
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;

use anyhow::{Context, anyhow, bail};
use scopeguard::ScopeGuard;
use tokio::task::{Id, JoinSet};

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

async fn main(fault: Option<Fault>) -> anyhow::Result<()> {
    // async with asyncio.TaskGroup() as tg:
    let mut tg = TaskGroup::new();
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
    // asyncio.run(main()): asyncio runs everything on one thread; so does tokio's
    // current-thread runtime, and the tasks start only when main waits, as asyncio's do.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(main(fault))
}
// ANCHOR_END: port

// ANCHOR: group
/// `asyncio.TaskGroup`, as much of it as this program uses: the tasks run at once; the first
/// failure cancels the others; the group still waits for every task to end, and then returns all
/// the results in the order the tasks were created, or every error.
///
/// On tokio it is a `JoinSet`, which aborts its tasks if it is dropped (on an early return, or
/// when the task awaiting it is cancelled), so none is left running. It knows each task by its
/// id; the group adds names, for the errors.
struct TaskGroup {
    tasks: JoinSet<anyhow::Result<String>>,
    created: Vec<(Id, String)>,
}

impl TaskGroup {
    fn new() -> Self {
        Self {
            tasks: JoinSet::new(),
            created: Vec::new(),
        }
    }

    /// `tg.create_task(...)`: returns the task's place in the results.
    fn create_task<F>(&mut self, name: &str, task: F) -> usize
    where
        F: Future<Output = anyhow::Result<String>> + Send + 'static,
    {
        let id = self.tasks.spawn(task).id();
        self.created.push((id, name.to_owned()));
        self.created.len() - 1
    }

    /// The end of `async with`: `body` is how the code inside the block ended.
    async fn wait(mut self, body: anyhow::Result<()>) -> anyhow::Result<Vec<String>> {
        if body.is_err() {
            self.tasks.abort_all();
        }
        let mut results = HashMap::new();
        let mut errors = Vec::new();
        // Tasks come out in the order they end, cancelled ones included.
        while let Some(joined) = self.tasks.join_next_with_id().await {
            let error = match joined {
                Ok((id, Ok(result))) => {
                    results.insert(id, result);
                    continue;
                }
                Ok((id, Err(error))) => error.context(self.name(id).to_owned()),
                // tokio catches a panic in a task: awaiting the task returns it as an error.
                Err(error) => {
                    let id = error.id();
                    match error.try_into_panic() {
                        Ok(panic) => anyhow!("{} panicked: {}", self.name(id), message(&*panic)),
                        Err(_cancelled) => continue,
                    }
                }
            };
            errors.push(error);
            // Abort the tasks still running: each is dropped where it waits, the next time the
            // runtime gets to it, and then comes out of `join_next` as cancelled.
            self.tasks.abort_all();
        }
        // The body's error comes after the tasks', as in asyncio.
        errors.extend(body.err());
        if !errors.is_empty() {
            return Err(error_group(&errors));
        }
        Ok(self
            .created
            .iter()
            .filter_map(|(id, _)| results.remove(id))
            .collect())
    }

    fn name(&self, id: Id) -> &str {
        self.created
            .iter()
            .find(|(created, _)| *created == id)
            .map_or("a task", |(_, name)| name)
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
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        // tokio::task::yield_now defers the wake-up, and tasks that yield in the same tick
        // then resume last-first; asyncio re-queues them first-first, as this yield does.
        None => futures_lite::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
