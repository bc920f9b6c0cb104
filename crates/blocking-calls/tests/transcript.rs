//! Runs the real `blocking-calls` binary in every mode on every runtime and checks what a
//! reader sees: the lines against CPython 3.11's, the stamps against the ideal schedule, and
//! the watchdog's warnings.
//!
//! The CPython goldens come from one file reconstructed from seed 003 (both `sleeping_func`s,
//! plus `run_in_executor(None, time.sleep, i)` for `--offload`), with `time.sleep` and
//! `asyncio.sleep` scaled by 0.05 and the stop callback printing "Stopping the loop."; the
//! stamps are masked.

use std::process::{Command, Output, Stdio};

use testkit::{assert_usage_error, mask_decimals, split_stamp, stdout_of_success};

/// 1 s in the document is 50 ms here: the sleeps end 50 ms apart or more, and the slowest run
/// (45 document seconds of thread sleeps) takes 2.25 s.
const SCALE: f64 = 0.05;

/// The watchdog's threshold in the tests, in real seconds: three times asyncio's, so that a
/// loaded machine never makes the loop look blocked, and still far below the stalls of the
/// blocking mode (0.75 s or more at this scale).
const SLOW: &str = "0.3";

/// `python3 blocking.py async` (the seed's asyncio.sleep version) and `... offload`
/// (run_in_executor): the same lines; only the stamps differ.
const PYTHON_CONCURRENT: &str = "\
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Stopping the loop.
";
/// `python3 blocking.py blocking` (the seed's time.sleep version).
const PYTHON_SERIAL: &str = "\
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Done.
MainProcess      [ Xs] Stopping the loop.
";

fn blocking_calls(args: &[&str]) -> Command {
    testkit::command(env!("CARGO_BIN_EXE_blocking-calls"), args)
}

/// Starts `args --runtime R --time-scale SCALE --debug --slow-callback-duration SLOW` on each
/// of `runtimes` at once, async-std with a pool of two threads (its default is one per core),
/// and returns each one's stdout.
fn run_on(runtimes: &[&'static str], args: &[&str]) -> Vec<(&'static str, String)> {
    let scale = SCALE.to_string();
    let children: Vec<_> = runtimes
        .iter()
        .map(|&runtime| {
            let child = blocking_calls(args)
                .args(["--runtime", runtime, "--time-scale", &scale])
                .args(["--debug", "--slow-callback-duration", SLOW])
                .env("ASYNC_STD_THREAD_COUNT", "2")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the binary starts");
            (runtime, child)
        })
        .collect();
    children
        .into_iter()
        .map(|(runtime, child)| {
            let output: Output = child.wait_with_output().expect("the binary runs");
            (runtime, stdout_of_success(runtime, &output))
        })
        .collect()
}

/// A run's lines, split into the program's (stamp, message) and the watchdog's warnings.
struct Run {
    lines: Vec<(f64, String)>,
    warnings: Vec<String>,
    /// The program's lines with their stamps masked, to compare with CPython's.
    masked: String,
}

fn parse(transcript: &str) -> Run {
    let (warnings, program): (Vec<&str>, Vec<&str>) =
        transcript.lines().partition(|l| l.starts_with("watchdog"));
    let lines = program
        .iter()
        .map(|line| {
            let (secs, message) = split_stamp(line).expect("a stamped line");
            (secs, message.to_string())
        })
        .collect();
    let (masked, _) = mask_decimals(&program.iter().map(|l| format!("{l}\n")).collect::<String>());
    Run {
        lines,
        warnings: warnings.iter().map(|w| w.to_string()).collect(),
        masked,
    }
}

/// Stamps of the lines with this message, in order.
fn stamps(run: &Run, message: &str) -> Vec<f64> {
    run.lines
        .iter()
        .filter(|(_, m)| m == message)
        .map(|&(secs, _)| secs)
        .collect()
}

/// A stamp is never before its ideal time, and after it only by scheduling noise.
fn assert_near(what: &str, measured: f64, ideal_doc_secs: f64) {
    let ideal = ideal_doc_secs * SCALE;
    assert!(
        measured >= ideal - 0.01 && measured <= ideal * 1.2 + 0.15,
        "{what}: at {measured:.2} s, ideal {ideal:.2} s"
    );
}

/// The most sleeping_funcs that were between "Hello" and "Done." at once.
fn most_in_flight(run: &Run) -> usize {
    let mut in_flight = 0_usize;
    let mut most = 0;
    for (_, message) in &run.lines {
        match message.as_str() {
            "Hello, sleeping_func!" => in_flight += 1,
            "Done." => in_flight -= 1,
            _ => {}
        }
        most = most.max(in_flight);
    }
    most
}

fn stop_stamp(run: &Run) -> f64 {
    let (secs, message) = run.lines.last().expect("lines");
    assert_eq!(message, "Stopping the loop.", "the stop comes last");
    *secs
}

#[test]
fn asyncio_sleep_starts_all_nine_at_once_and_the_stop_comes_on_time() {
    for (runtime, transcript) in run_on(&testkit::RUNTIMES, &[]) {
        let run = parse(&transcript);
        assert_eq!(
            run.masked, PYTHON_CONCURRENT,
            "{runtime}: lines differ from CPython's"
        );
        for hello in stamps(&run, "Hello, sleeping_func!") {
            assert_near(&format!("{runtime} hello"), hello, 0.0);
        }
        for (k, done) in stamps(&run, "Done.").into_iter().enumerate() {
            assert_near(&format!("{runtime} done #{}", k + 1), done, (k + 1) as f64);
        }
        assert_near(&format!("{runtime} stop"), stop_stamp(&run), 15.0);
        assert_eq!(
            run.warnings,
            Vec::<String>::new(),
            "{runtime}: the loop never blocked"
        );
    }
}

#[test]
fn a_thread_sleep_on_one_thread_runs_them_in_turn_and_the_stop_fires_late() {
    for (runtime, transcript) in run_on(&["tokio", "smol"], &["--blocking"]) {
        let run = parse(&transcript);
        assert_eq!(
            run.masked, PYTHON_SERIAL,
            "{runtime}: lines differ from CPython's"
        );
        // sleeping_func(k) starts when 1 + 2 + ... + (k - 1) seconds of sleeps are over.
        let ends: Vec<f64> = (1..10).map(|k| f64::from(k * (k + 1) / 2)).collect();
        for (k, hello) in stamps(&run, "Hello, sleeping_func!")
            .into_iter()
            .enumerate()
        {
            let start = if k == 0 { 0.0 } else { ends[k - 1] };
            assert_near(&format!("{runtime} hello #{}", k + 1), hello, start);
        }
        for (k, done) in stamps(&run, "Done.").into_iter().enumerate() {
            assert_near(&format!("{runtime} done #{}", k + 1), done, ends[k]);
        }
        // Asked for at 15 s; the thread was asleep until 45 s.
        assert_near(&format!("{runtime} stop"), stop_stamp(&run), 45.0);
        assert!(
            !run.warnings.is_empty(),
            "{runtime}: no warning in {transcript}"
        );
    }
}

#[test]
fn a_thread_sleep_on_async_std_blocks_one_pool_thread_and_the_stop_is_on_time() {
    for (runtime, transcript) in run_on(&["async-std"], &["--blocking"]) {
        let run = parse(&transcript);
        // Two pool threads: two sleeping_funcs at a time, and the stop, on the main thread,
        // comes at 15 s and ends the program while two of them are still asleep.
        assert_eq!(most_in_flight(&run), 2, "{runtime}: {transcript}");
        assert_near(&format!("{runtime} stop"), stop_stamp(&run), 15.0);
        let done = stamps(&run, "Done.").len();
        assert!(
            (4..9).contains(&done),
            "{runtime}: {done} done in {transcript}"
        );
        assert!(
            !run.warnings.is_empty(),
            "{runtime}: no warning in {transcript}"
        );
    }
}

#[test]
fn a_thread_sleep_on_two_workers_runs_two_at_a_time_and_the_stop_waits_for_a_free_worker() {
    for (runtime, transcript) in run_on(&["tokio", "smol"], &["--blocking", "--workers", "2"]) {
        let run = parse(&transcript);
        assert_eq!(most_in_flight(&run), 2, "{runtime}: {transcript}");
        assert_eq!(stamps(&run, "Hello, sleeping_func!").len(), 9, "{runtime}");
        // The timer fires only when a worker is free, and none is until the queue is empty:
        // 45 s of sleeps on two threads, the last one started no earlier than (45 - 9) / 2.
        let stop = stop_stamp(&run);
        assert!(
            stop >= 18.0 * SCALE - 0.01,
            "{runtime}: stop at {stop:.2} s"
        );
        assert!(
            !run.warnings.is_empty(),
            "{runtime}: no warning in {transcript}"
        );
    }
}

#[test]
fn offloaded_thread_sleeps_run_side_by_side_on_the_blocking_pool() {
    for (runtime, transcript) in run_on(&testkit::RUNTIMES, &["--offload"]) {
        let run = parse(&transcript);
        assert_eq!(
            run.masked, PYTHON_CONCURRENT,
            "{runtime}: lines differ from CPython's"
        );
        // Every runtime's blocking pool grows to hundreds of threads: all nine sleep at once.
        // (CPython's default executor has min(32, cores + 4) threads: on 2 cores, the last
        // three wait for a free one.)
        for (k, done) in stamps(&run, "Done.").into_iter().enumerate() {
            assert_near(&format!("{runtime} done #{}", k + 1), done, (k + 1) as f64);
        }
        assert_near(&format!("{runtime} stop"), stop_stamp(&run), 15.0);
        assert_eq!(
            run.warnings,
            Vec::<String>::new(),
            "{runtime}: the loop never blocked"
        );
    }
}

#[test]
fn the_watchdog_warning_says_how_long_the_loop_has_been_blocked() {
    let output = blocking_calls(&["--blocking", "--debug", "--time-scale", "0.05"])
        .output()
        .expect("runs");
    let run = parse(&stdout_of_success("tokio", &output));
    let (masked, secs) = mask_decimals(&run.warnings[0]);
    assert_eq!(
        masked,
        "watchdog         [ Xs] WARNING: the loop has been blocked for X s"
    );
    // asyncio's slow_callback_duration, 0.1 s, is the default threshold.
    assert!(secs[1] >= 0.1, "{secs:?}");
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 9] = [
        (&["--blocking", "--offload"], "cannot be used with"),
        (&["--workers", "0"], "is not in 1..=64"),
        (&["--workers", "many"], "invalid value 'many'"),
        (
            &["--workers", "2", "--runtime", "async-std"],
            "ASYNC_STD_THREAD_COUNT",
        ),
        (
            &["--debug", "--slow-callback-duration", "0"],
            "must be between 0.001 and 60",
        ),
        (
            &["--debug", "--slow-callback-duration", "soon"],
            "`soon` is not a number",
        ),
        (
            &["--slow-callback-duration", "0.5"],
            "required arguments were not provided",
        ),
        (&["9"], "unexpected argument '9'"),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
    ];
    for (args, message) in cases {
        assert_usage_error(&blocking_calls(args).output().expect("runs"), message);
    }
}
