//! Nothing is lost: under load (four thousand producers, 400 consumers, no waiting, with
//! and without a bounded queue) and under Ctrl-C, every item produced is consumed exactly once,
//! or reported as left in the queue. On every runtime, with the real binary.

mod common;

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use common::{BIN, items_of, producer_consumer};
use testkit::{RUNTIMES, StdoutLines, interrupt, wait_at_most};

/// How many items asyncq.py makes with `-p 4000` (random.seed(444)): CPython 3.11's count,
/// and the ports', since each producer draws its count first, in start order.
const ITEMS_OF_4000_PRODUCERS: usize = 20_375;

/// How often each item occurs.
fn counted<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_insert(0) += 1;
    }
    counts
}

fn assert_every_item_consumed_once(args: &[&str]) {
    for (runtime, transcript) in testkit::run_on_every_runtime(BIN, args, 0.0) {
        let added = items_of(&transcript, "Producer");
        let got = items_of(&transcript, "Consumer");
        assert_eq!(added.len(), ITEMS_OF_4000_PRODUCERS, "{runtime} {args:?}");
        // As multisets: two items may draw the same 5 random bytes (about once in 5000 runs).
        assert!(
            counted(added) == counted(got),
            "{runtime} {args:?}: items lost or doubled"
        );
        assert!(
            transcript.ends_with(" seconds.\n"),
            "{runtime} {args:?}: unfinished"
        );
    }
}

#[test]
fn four_thousand_producers_and_400_consumers_lose_nothing() {
    assert_every_item_consumed_once(&["-p", "4000", "-c", "400"]);
}

#[test]
fn producers_waiting_for_room_in_a_bounded_queue_lose_nothing() {
    // Room for one item: nearly every put waits for a consumer to take the previous one.
    assert_every_item_consumed_once(&["-p", "4000", "-c", "400", "--maxsize", "1"]);
}

/// Starts the binary, waits until it has printed `lines_before` lines that satisfy `ready`,
/// presses Ctrl-C, and returns everything it printed, once it has exited with code 130 and an
/// empty stderr.
fn interrupt_after(
    runtime: &str,
    args: &[&str],
    ready: fn(&str) -> bool,
    lines_before: usize,
) -> Vec<String> {
    let mut child = producer_consumer(args)
        .args(["--runtime", runtime, "--time-scale", "0.1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = StdoutLines::of(&mut child);
    let mut printed = Vec::new();
    while printed.iter().filter(|line: &&String| ready(line)).count() < lines_before {
        let line = stdout
            .next_within(Duration::from_secs(10))
            .expect("a line within 10 s");
        printed.push(line);
    }
    interrupt(&child);
    let status = wait_at_most(&mut child, Duration::from_secs(10));
    printed.extend(stdout.rest());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("piped"), &mut stderr)
        .expect("stderr");
    assert_eq!(
        status.code(),
        Some(130),
        "{runtime}: {status:?}, stderr: {stderr}"
    );
    assert!(stderr.is_empty(), "{runtime}: {stderr}");
    printed
}

/// [`interrupt_after`] on the three runtimes at once.
fn interrupt_on_every_runtime(
    args: &'static [&'static str],
    ready: fn(&str) -> bool,
    lines_before: usize,
) -> Vec<(&'static str, Vec<String>)> {
    let runs = RUNTIMES.map(|runtime| {
        std::thread::spawn(move || (runtime, interrupt_after(runtime, args, ready, lines_before)))
    });
    runs.into_iter()
        .map(|run| run.join().expect("the run is checked"))
        .collect()
}

/// "Interrupted: 9 items produced, 1 consumed, 8 left in the queue." as (9, 1, 8).
fn summary(runtime: &str, printed: &[String]) -> (usize, usize, usize) {
    let last = printed.last().expect("a summary line");
    let numbers: Vec<usize> = last
        .strip_prefix("Interrupted: ")
        .unwrap_or_else(|| panic!("{runtime}: {last}"))
        .split(' ')
        .filter_map(|word| word.parse().ok())
        .collect();
    assert_eq!(
        last,
        &format!(
            "Interrupted: {} items produced, {} consumed, {} left in the queue.",
            numbers[0], numbers[1], numbers[2]
        )
    );
    (numbers[0], numbers[1], numbers[2])
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_asyncq_and_accounts_for_every_item() {
    // One consumer for ten producers: items pile up in the queue (eight are waiting when the
    // eighth is put), so Ctrl-C finds some left there.
    const ARGS: &[&str] = &["-p", "10", "-c", "1"];
    let runs = interrupt_on_every_runtime(ARGS, |line| line.contains(" added <"), 8);
    for (runtime, printed) in runs {
        let (produced, consumed, left) = summary(runtime, &printed);
        let transcript = printed.join("\n");
        assert_eq!(
            produced,
            items_of(&transcript, "Producer").len(),
            "{runtime}: produced"
        );
        assert_eq!(
            consumed,
            items_of(&transcript, "Consumer").len(),
            "{runtime}: consumed"
        );
        assert_eq!(produced, consumed + left, "{runtime}: an item was lost");
        assert!(
            left > 0,
            "{runtime}: nothing was left in the queue: {transcript}"
        );
        assert!(!transcript.contains("Program completed"), "{runtime}");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_bounded_queue_program_before_its_timeout() {
    const ARGS: &[&str] = &["--maxsize", "10", "--timeout", "100"];
    let putting = |line: &str| line.ends_with("Putting new item onto queue.");
    let runs = interrupt_on_every_runtime(ARGS, putting, 4);
    for (runtime, printed) in runs {
        let (produced, consumed, left) = summary(runtime, &printed);
        let count = |what: &str| printed.iter().filter(|line| line.contains(what)).count();
        assert_eq!(produced, count("Putting new item"), "{runtime}: produced");
        assert_eq!(
            consumed,
            count(" consumed item with id: "),
            "{runtime}: consumed"
        );
        assert_eq!(produced, consumed + left, "{runtime}: an item was lost");
    }
}
