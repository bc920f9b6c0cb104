//! Runs the real `sync event` on every runtime and checks what a reader sees against CPython
//! 3.11: every waiter waits until `set()`, all are released by it in the order they began to
//! wait, and a waiter that comes later passes straight through.

use testkit::{split_stamp, stdout_of_success};

/// 1 s in the program is 0.1 s here; a run takes about 0.1 s.
const SCALE: f64 = 0.1;

/// Our asyncio program (the seed-000 cheat sheet's `event.wait()` / `event.set()`:
/// `sync_demo.py event`, which the chapter describes) on CPython 3.11, stamps removed: three
/// waiters. With every wait set to 0 it prints the same lines.
const PYTHON_3: &str = "\
waiter 0 waiting for the event
waiter 1 waiting for the event
waiter 2 waiting for the event
setting the event
waiter 0 released
waiter 1 released
waiter 2 released
late waiter waiting for the event
late waiter released
";

/// `event -w 0` on CPython 3.11: nobody waits before the event is set.
const PYTHON_0: &str = "\
setting the event
late waiter waiting for the event
late waiter released
";

/// The lines of a run as (stamp, message).
fn stamped_lines(transcript: &str) -> Vec<(f64, &str)> {
    transcript
        .lines()
        .map(|line| split_stamp(line).expect("a stamped line"))
        .collect()
}

fn messages(transcript: &str) -> String {
    stamped_lines(transcript)
        .into_iter()
        .map(|(_, message)| format!("{message}\n"))
        .collect()
}

/// Python's lines for `waiters` waiters, built the way [`PYTHON_3`] reads.
fn python(waiters: usize) -> String {
    let each = |what: &str| -> String {
        (0..waiters)
            .map(|i| format!("waiter {i} {what}\n"))
            .collect()
    };
    format!(
        "{}setting the event\n{}late waiter waiting for the event\nlate waiter released\n",
        each("waiting for the event"),
        each("released")
    )
}

fn assert_released_by_set(args: &[&str], expected: &str) {
    let bin = env!("CARGO_BIN_EXE_sync");
    for (runtime, transcript) in testkit::run_on_every_runtime(bin, args, SCALE) {
        assert_eq!(
            messages(&transcript),
            expected,
            "{runtime}: lines differ from CPython's"
        );
        // Nobody is released before the event is set, 1 s in; everybody right after.
        let mut set = false;
        for (at, message) in stamped_lines(&transcript) {
            set |= message == "setting the event";
            let ideal = if set { SCALE } else { 0.0 };
            assert!(
                at >= ideal - 0.01 && at <= ideal * 1.2 + 0.15,
                "{runtime}: {message:?} at {at:.2} s, ideal {ideal:.2} s"
            );
        }
    }
}

#[test]
fn set_releases_every_waiter_in_order_and_the_event_stays_set() {
    assert_eq!(python(3), PYTHON_3);
    assert_released_by_set(&["event"], PYTHON_3);
}

#[test]
fn ten_waiters_are_released_in_the_order_they_came() {
    assert_released_by_set(&["event", "--waiters", "10"], &python(10));
}

#[test]
fn with_no_waiters_only_the_late_one_waits() {
    assert_eq!(python(0), PYTHON_0);
    assert_released_by_set(&["event", "-w", "0"], PYTHON_0);
}

#[test]
fn with_time_scale_0_set_still_comes_first() {
    let bin = env!("CARGO_BIN_EXE_sync");
    for (runtime, transcript) in testkit::run_on_every_runtime(bin, &["event"], 0.0) {
        assert_eq!(messages(&transcript), PYTHON_3, "{runtime}");
    }
}

#[test]
fn bad_waiter_counts_get_a_one_line_error_and_exit_code_2() {
    let sync = |args: &[&str]| {
        testkit::command(env!("CARGO_BIN_EXE_sync"), args)
            .output()
            .expect("runs")
    };
    testkit::assert_usage_error(&sync(&["event", "-w", "3.5"]), "invalid value '3.5'");
    testkit::assert_usage_error(&sync(&["event", "-w", "10001"]), "not in 0..=10000");
    testkit::assert_usage_error(&sync(&["event", "--jobs", "3"]), "unexpected argument");
    let output = sync(&["event", "-w", "1", "--time-scale", "0"]);
    assert!(stdout_of_success("tokio", &output).contains("waiter 0 released"));
}
