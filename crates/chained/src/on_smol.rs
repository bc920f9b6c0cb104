//! `chained.py` on smol: `cargo run -p chained -- 9 6 3 --runtime smol`.

// ANCHOR: port
use std::time::Instant;

use futures::stream::{FuturesUnordered, StreamExt};

async fn part1(n: u32) -> String {
    let i = pyrandom::randint(0, 10);
    println!("part1({n}) sleeping for {i} seconds.");
    sleep(i).await;
    let result = format!("result{n}-1");
    println!("Returning part1({n}) == {result}.");
    result
}

async fn part2(n: u32, arg: &str) -> String {
    let i = pyrandom::randint(0, 10);
    println!("part2({n}, '{arg}') sleeping for {i} seconds.");
    sleep(i).await;
    let result = format!("result{n}-2 derived from {arg}");
    println!("Returning part2({n}, '{arg}') == {result}.");
    result
}

async fn chain(n: u32) {
    let start = Instant::now();
    // Each await finishes before the next line runs: part2 needs part1's result.
    let p1 = part1(n).await;
    let p2 = part2(n, &p1).await;
    let end = start.elapsed().as_secs_f64();
    println!("-->Chained result{n} => {p2} (took {end:.2} seconds).");
}

async fn main(args: &[u32]) {
    // asyncio.gather(*(chain(n) for n in args)): all chains run at once, interleaving at their
    // awaits on this one task. FuturesUnordered polls a chain when it is woken, in the order
    // the chains were woken, as asyncio's ready queue does (join_all would poll them in list
    // order, and `chained 1 2 3 4 5` would print two lines in another order than Python).
    let chains: FuturesUnordered<_> = args.iter().map(|&n| chain(n)).collect();
    chains.collect::<Vec<()>>().await;
}

pub fn run(args: &[u32]) -> anyhow::Result<()> {
    pyrandom::seed(444);
    let start = Instant::now();
    // asyncio.run(main(*args)): a loop that runs main as its task. smol's loop is an executor,
    // here a LocalExecutor, which block_on runs on this thread (smol's timers run on its
    // reactor, started on first use). Each time a chain yields, main is woken: the executor
    // polls its task again at once, where block_on, driving main itself, would first check the
    // reactor, a system call per wake-up (a third slower with 100,000 chains: see the book's
    // performance page).
    let ex = smol::LocalExecutor::new();
    smol::block_on(ex.run(ex.spawn(main(args))));
    let end = start.elapsed().as_secs_f64();
    println!("Program finished in {end:.2} seconds.");
    Ok(())
}
// ANCHOR_END: port

// ANCHOR: sleep
/// `asyncio.sleep(secs)`, under the time scale. It waits until a deadline on the program's
/// timeline (see `timing::deadline`), so waits tied in the document's seconds end together,
/// and a zero wait only hands control back once, like `asyncio.sleep(0)`.
async fn sleep(secs: i64) {
    match timing::deadline(secs as f64) {
        Some(deadline) => {
            smol::Timer::at(deadline).await;
        }
        None => smol::future::yield_now().await,
    }
}
// ANCHOR_END: sleep
