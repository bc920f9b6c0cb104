//! Runs the real `gather-wait` binary, every program on every runtime, and checks what a reader
//! sees: the lines and their order against CPython 3.11's output for the same program, and the
//! time each line was printed at (or the whole run took) against the ideal.
//!
//! The Python programs were run with `asyncio.sleep` (and `asyncio.wait`'s timeout) scaled by
//! 0.1, as the ports run here; their stamps are the ideal ones (CPython printed these, or 0.01 s
//! later).

use std::process::Stdio;
use std::thread;
use std::time::Instant;

use testkit::{RUNTIMES, assert_usage_error, mask_decimals, split_stamp, stdout_of_success};

/// 1 s in the documents is 0.1 s here: distinct wake-ups stay 100 ms apart, which keeps the
/// order stable on a loaded machine, and a run takes at most 0.3 s.
const SCALE: f64 = 0.1;

/// The first lines of every program built on seed 003's `sleeping_func`: four tasks start.
const FOUR_TASKS_START: &str = "\
MainProcess      [ 0.00s] Hello, sleeping_func!
MainProcess      [ 0.00s] Hello, nested coroutine!
MainProcess      [ 0.00s] Hello, sleeping_func!
MainProcess      [ 0.00s] Hello, nested coroutine!
MainProcess      [ 0.00s] Hello, sleeping_func!
MainProcess      [ 0.00s] Hello, nested coroutine!
MainProcess      [ 0.00s] Hello, sleeping_func!
MainProcess      [ 0.00s] Hello, nested coroutine!
";

/// Seed 003's gather program (`gather.py`) on CPython 3.11, after the four starts.
const PYTHON_GATHER: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.10s] nested coroutine is finished.
MainProcess      [ 0.10s] sleeping_func is finished.
MainProcess      [ 0.20s] nested coroutine is finished.
MainProcess      [ 0.20s] sleeping_func is finished.
MainProcess      [ 0.30s] nested coroutine is finished.
MainProcess      [ 0.30s] sleeping_func is finished.
MainProcess      [ 0.30s] 0
MainProcess      [ 0.30s] 1
MainProcess      [ 0.30s] 2
MainProcess      [ 0.30s] 3
";

/// Seed 003's wait program (`wait.py`, `timeout=2`) on CPython 3.11, after the four starts.
/// `done` and `pending` are sets, printed in set order: the document's run printed Task-3
/// before Task-2 and Task-5 before Task-4; CPython 3.11 here printed them in this order, the
/// order they were created, in 40 runs out of 40, and so do the ports.
const PYTHON_WAIT: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.10s] nested coroutine is finished.
MainProcess      [ 0.10s] sleeping_func is finished.
MainProcess      [ 0.20s] Task-2 is finished. Result: 0
MainProcess      [ 0.20s] Task-3 is finished. Result: 1
MainProcess      [ 0.20s] Task-4 is still pending...Cancelling...
MainProcess      [ 0.20s] Task-5 is still pending...Cancelling...
";

/// `wait.py` with `timeout=0`, after the four starts: the tasks still get their first turn,
/// and the one that only yields (`sleep(0)`) finishes before main looks. Set order as printed.
const PYTHON_WAIT_0: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] Task-2 is finished. Result: 0
MainProcess      [ 0.00s] Task-4 is still pending...Cancelling...
MainProcess      [ 0.00s] Task-5 is still pending...Cancelling...
MainProcess      [ 0.00s] Task-3 is still pending...Cancelling...
";

/// `wait.py` with `timeout=3`, after the four starts: the timeout and the last task's sleep end
/// at the same moment, and main runs first, so that task is pending and is cancelled.
const PYTHON_WAIT_3: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.10s] nested coroutine is finished.
MainProcess      [ 0.10s] sleeping_func is finished.
MainProcess      [ 0.20s] nested coroutine is finished.
MainProcess      [ 0.20s] sleeping_func is finished.
MainProcess      [ 0.30s] Task-4 is finished. Result: 2
MainProcess      [ 0.30s] Task-2 is finished. Result: 0
MainProcess      [ 0.30s] Task-3 is finished. Result: 1
MainProcess      [ 0.30s] Task-5 is still pending...Cancelling...
";

/// `wait.py` with `timeout=10`, after the four starts: wait returns when the last task
/// finishes, at 3 s, not at the timeout.
const PYTHON_WAIT_10: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.10s] nested coroutine is finished.
MainProcess      [ 0.10s] sleeping_func is finished.
MainProcess      [ 0.20s] nested coroutine is finished.
MainProcess      [ 0.20s] sleeping_func is finished.
MainProcess      [ 0.30s] nested coroutine is finished.
MainProcess      [ 0.30s] sleeping_func is finished.
MainProcess      [ 0.30s] Task-4 is finished. Result: 2
MainProcess      [ 0.30s] Task-5 is finished. Result: 3
MainProcess      [ 0.30s] Task-3 is finished. Result: 1
MainProcess      [ 0.30s] Task-2 is finished. Result: 0
";

/// Our `as_completed.py` (the tasks created longest first) on CPython 3.11, after the four
/// starts.
const PYTHON_AS_COMPLETED: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] Result: 0
MainProcess      [ 0.10s] nested coroutine is finished.
MainProcess      [ 0.10s] sleeping_func is finished.
MainProcess      [ 0.10s] Result: 1
MainProcess      [ 0.20s] nested coroutine is finished.
MainProcess      [ 0.20s] sleeping_func is finished.
MainProcess      [ 0.20s] Result: 2
MainProcess      [ 0.30s] nested coroutine is finished.
MainProcess      [ 0.30s] sleeping_func is finished.
MainProcess      [ 0.30s] Result: 3
";

/// Our `as_completed.py` with every sleep given 0 seconds, after the four starts: each task
/// only yields once, they finish in the order they were created, and the results follow.
const PYTHON_AS_COMPLETED_NO_WAITING: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] Result: 3
MainProcess      [ 0.00s] Result: 2
MainProcess      [ 0.00s] Result: 1
MainProcess      [ 0.00s] Result: 0
";

/// `wait.py` with every sleep and the timeout given 0 seconds, after the four starts: every
/// task has finished when main looks. Set order as printed.
const PYTHON_WAIT_NO_WAITING: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] Task-4 is finished. Result: 2
MainProcess      [ 0.00s] Task-3 is finished. Result: 1
MainProcess      [ 0.00s] Task-5 is finished. Result: 3
MainProcess      [ 0.00s] Task-2 is finished. Result: 0
";

/// Our `as_completed.py` on CPython 3.11 (`python3 -u`), stopped (SIGSTOP) for 0.35 s after
/// its eleventh line, after the four starts: the wake-ups of 1, 2 and 3 s come due together,
/// the tasks run in the order of their deadlines, then main collects the three results.
const PYTHON_AS_COMPLETED_LATE: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.00s] Result: 0
MainProcess      [ 0.36s] nested coroutine is finished.
MainProcess      [ 0.36s] sleeping_func is finished.
MainProcess      [ 0.36s] nested coroutine is finished.
MainProcess      [ 0.36s] sleeping_func is finished.
MainProcess      [ 0.36s] nested coroutine is finished.
MainProcess      [ 0.36s] sleeping_func is finished.
MainProcess      [ 0.36s] Result: 1
MainProcess      [ 0.36s] Result: 2
MainProcess      [ 0.36s] Result: 3
";

/// `wait.py` on CPython 3.11, stopped the same way after its tenth line, after the four
/// starts: the task of 1 s, main's timeout and the task of 2 s come due together and run in
/// that order, so the task of 1 s is done and the task of 2 s is pending, as without the stop.
const PYTHON_WAIT_LATE: &str = "\
MainProcess      [ 0.00s] nested coroutine is finished.
MainProcess      [ 0.00s] sleeping_func is finished.
MainProcess      [ 0.36s] nested coroutine is finished.
MainProcess      [ 0.36s] sleeping_func is finished.
MainProcess      [ 0.36s] Task-2 is finished. Result: 0
MainProcess      [ 0.36s] Task-3 is finished. Result: 1
MainProcess      [ 0.36s] Task-4 is still pending...Cancelling...
MainProcess      [ 0.36s] Task-5 is still pending...Cancelling...
";

/// Seed 004's `worker_process` batch on CPython 3.11 (plain `print`, no stamps).
const PYTHON_WORKER_PROCESS: &str = "\
Process 0 finished
Process 1 finished
Process 2 finished
Results: [0, 1, 2]
";

/// Our `return_exceptions.py` (seed 004's batch with `return_exceptions=True`, and process 1
/// raising `ValueError`) on CPython 3.11.
const PYTHON_RETURN_EXCEPTIONS: &str = "\
Process 0 finished
Process 2 finished
Process 0 returned 0
Process 1 failed: process 1 has no data
Process 2 returned 2
";

fn gather_wait(args: &[&str]) -> std::process::Command {
    testkit::command(env!("CARGO_BIN_EXE_gather-wait"), args)
}

fn run_on_every_runtime(args: &[&str], scale: f64) -> Vec<(&'static str, String)> {
    testkit::run_on_every_runtime(env!("CARGO_BIN_EXE_gather-wait"), args, scale)
}

/// The four starts, then `rest`.
fn after_four_starts(rest: &str) -> String {
    format!("{FOUR_TASKS_START}{rest}")
}

/// Sorts each run of `done` lines and each run of `pending` lines by their text: asyncio
/// prints those sets in an order of its own (see the chapter), the ports in creation order.
fn sets_sorted(transcript: &str) -> String {
    let kind = |line: &str| {
        if line.contains(" is finished. Result: ") {
            1
        } else if line.ends_with(" is still pending...Cancelling...") {
            2
        } else {
            0
        }
    };
    let lines: Vec<&str> = transcript.lines().collect();
    let mut sorted = Vec::with_capacity(lines.len());
    for run in lines.chunk_by(|a, b| kind(a) == kind(b)) {
        let mut run = run.to_vec();
        if kind(run[0]) != 0 {
            run.sort_by_key(|line| split_stamp(line).map(|(_, message)| message));
        }
        sorted.extend(run);
    }
    sorted.iter().map(|line| format!("{line}\n")).collect()
}

/// A time (printed with two decimals) is never under the ideal, and over it only by
/// scheduling noise, far less than a second of the document's would add.
fn assert_near_ideal(what: &str, measured: f64, ideal: f64) {
    assert!(
        measured >= ideal - 0.01 && measured <= ideal * 1.2 + 0.15,
        "{what}: {measured:.2} s, ideal {ideal:.2} s"
    );
}

/// Runs `args` on every runtime and compares each transcript with CPython's: the same lines in
/// the same order once the stamps are masked, each stamp near CPython's.
fn assert_matches_python(args: &[&str], python: &str) {
    for (runtime, transcript) in run_on_every_runtime(args, SCALE) {
        assert_stamped_lines(&format!("{runtime} {args:?}"), &transcript, python);
    }
}

/// The same, with the `done` and `pending` lines of `asyncio.wait` compared as sets.
fn assert_matches_python_up_to_set_order(args: &[&str], python: &str) {
    for (runtime, transcript) in run_on_every_runtime(args, SCALE) {
        let what = format!("{runtime} {args:?}");
        assert_stamped_lines(&what, &sets_sorted(&transcript), &sets_sorted(python));
    }
}

fn assert_stamped_lines(what: &str, transcript: &str, python: &str) {
    let (masked, stamps) = mask_decimals(transcript);
    let (python_masked, ideal_stamps) = mask_decimals(python);
    assert_eq!(masked, python_masked, "{what}: lines differ from CPython's");
    for (line, (measured, ideal)) in transcript.lines().zip(stamps.iter().zip(ideal_stamps)) {
        assert_near_ideal(&format!("{what}: {line}"), *measured, ideal);
    }
}

#[test]
fn gather_prints_seed_003s_transcript_on_every_runtime() {
    assert_matches_python(&["gather"], &after_four_starts(PYTHON_GATHER));
}

#[test]
fn a_bare_run_is_gather() {
    assert_matches_python(&[], &after_four_starts(PYTHON_GATHER));
}

#[test]
fn wait_cancels_the_tasks_still_running_after_2_seconds() {
    assert_matches_python(&["wait"], &after_four_starts(PYTHON_WAIT));
}

#[test]
fn wait_with_timeout_0_still_lets_every_task_start() {
    assert_matches_python_up_to_set_order(
        &["wait", "--timeout", "0"],
        &after_four_starts(PYTHON_WAIT_0),
    );
}

#[test]
fn a_task_that_ends_with_the_timeout_is_still_pending() {
    assert_matches_python_up_to_set_order(
        &["wait", "--timeout", "3"],
        &after_four_starts(PYTHON_WAIT_3),
    );
}

#[test]
fn wait_returns_when_the_last_task_finishes_before_the_timeout() {
    assert_matches_python_up_to_set_order(
        &["wait", "--timeout", "10"],
        &after_four_starts(PYTHON_WAIT_10),
    );
}

#[test]
fn as_completed_gives_the_results_in_the_order_the_tasks_finish() {
    assert_matches_python(&["as-completed"], &after_four_starts(PYTHON_AS_COMPLETED));
}

/// Runs `args` on `runtime` and, as soon as it has printed `lines` lines, stops the process
/// (SIGSTOP) for `pause` seconds, as a machine too busy to run it would. Returns what it
/// printed, or None if the stop came too late: after `deadline` seconds of the program's clock.
#[cfg(unix)]
fn run_with_a_pause(
    args: &[&str],
    runtime: &str,
    lines: usize,
    pause: f64,
    deadline: f64,
) -> Option<String> {
    use std::io::{BufRead, BufReader, Read};
    use std::time::Duration;

    let signal = |name: &str, child: &std::process::Child| {
        let status = std::process::Command::new("kill")
            .args([name, &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {name}");
    };
    let mut child = gather_wait(args)
        .args(["--runtime", runtime, "--time-scale", &SCALE.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut transcript = String::new();
    for _ in 0..lines {
        stdout.read_line(&mut transcript).expect("a line");
    }
    // Let main collect the first task's result before the stop: woken then, and polled only
    // after the stop, main would find its timeout past on async-std and smol before the tasks
    // due earlier had run (see the chapter). asyncio does not wake main for that result.
    thread::sleep(Duration::from_millis(30));
    signal("-STOP", &child);
    thread::sleep(Duration::from_secs_f64(pause));
    signal("-CONT", &child);
    stdout.read_to_string(&mut transcript).expect("the rest");
    let output = child.wait_with_output().expect("the binary runs");
    stdout_of_success(runtime, &output);
    let (_, stamps) = mask_decimals(&transcript);
    // Every line the program printed before the stop is stamped before the deadline.
    let before_the_stop = stamps.iter().filter(|&&at| at < deadline).count();
    let after_the_stop = stamps.iter().filter(|&&at| at >= pause).count();
    (before_the_stop + after_the_stop == stamps.len()).then_some(transcript)
}

/// Wake-ups that should be 1 s apart come due together when the machine could not run the
/// program in between (here it is stopped). asyncio then runs the woken tasks in the order of
/// their deadlines, main among them as Task-1; so do the ports, because they run main as a
/// task too. (Run as the future given to block_on, main would go first on tokio, and the task
/// of 1 s would be pending.)
#[cfg(unix)]
#[test]
fn a_late_batch_of_wake_ups_runs_in_the_order_of_the_deadlines() {
    for runtime in RUNTIMES {
        assert_late_batch_matches_python("wait", 10, runtime, PYTHON_WAIT_LATE);
    }
}

/// Only tokio: on async-std and smol, async-io's reactor thread can hand over a late batch one
/// wake-up at a time, so main may collect the task of 1 s before the task of 2 s has been
/// woken (see the chapter). tokio's current-thread runtime wakes the whole batch first.
#[cfg(unix)]
#[test]
fn a_late_batch_finishes_before_as_completed_collects_on_tokio() {
    assert_late_batch_matches_python("as-completed", 11, "tokio", PYTHON_AS_COMPLETED_LATE);
}

/// Runs `program` on `runtime`, stopped once every task has started and the first has
/// finished (after `lines` lines), and compares its lines with CPython's, stopped the same way.
#[cfg(unix)]
fn assert_late_batch_matches_python(program: &str, lines: usize, runtime: &str, python: &str) {
    // The stop must come before the first wake-up, at 1 s (0.1 s here): retry if the machine
    // was too slow to stop the program in time.
    let transcript = (0..5)
        .find_map(|_| run_with_a_pause(&[program], runtime, lines, 0.35, 0.09))
        .unwrap_or_else(|| panic!("{runtime} {program}: never stopped in time"));
    let (masked, _) = mask_decimals(&transcript);
    let (python, _) = mask_decimals(&after_four_starts(python));
    assert_eq!(masked, python, "{runtime} {program}");
}

/// The batch programs print no times: the whole run is timed instead, at a larger scale so
/// that the ideal (2 s of the document) stands well clear of the 6 s the three waits add up
/// to. Starting the process is allowed 0.1 s on top of the usual tolerance.
fn assert_batch_matches_python(program: &str, python: &str) {
    const BATCH_SCALE: f64 = 0.2;
    let ideal = 2.0 * BATCH_SCALE;
    for (runtime, transcript, took) in
        testkit::timed_on_every_runtime(env!("CARGO_BIN_EXE_gather-wait"), &[program], BATCH_SCALE)
    {
        assert_eq!(transcript, python, "{runtime} {program}");
        assert!(
            took >= ideal - 0.01 && took <= ideal * 1.2 + 0.15 + 0.1,
            "{runtime} {program}: {took:.2} s, ideal {ideal:.2} s"
        );
    }
}

#[test]
fn worker_process_gathers_three_waits_of_2_seconds_in_2_seconds() {
    assert_batch_matches_python("worker-process", PYTHON_WORKER_PROCESS);
}

#[test]
fn return_exceptions_collects_the_error_and_the_other_results() {
    assert_batch_matches_python("return-exceptions", PYTHON_RETURN_EXCEPTIONS);
}

#[test]
fn with_time_scale_0_every_await_yields_as_asyncio_sleep_0_does() {
    let cases = [
        ("as-completed", PYTHON_AS_COMPLETED_NO_WAITING),
        ("wait", PYTHON_WAIT_NO_WAITING),
    ];
    for (program, python) in cases {
        for (runtime, transcript) in run_on_every_runtime(&[program], 0.0) {
            let (masked, stamps) = mask_decimals(&sets_sorted(&transcript));
            let (python, _) = mask_decimals(&sets_sorted(&after_four_starts(python)));
            assert_eq!(masked, python, "{runtime} {program}");
            assert!(
                stamps.iter().all(|&at| at < 0.5),
                "{runtime} {program}: nothing waits: {stamps:?}"
            );
        }
    }
}

#[test]
fn options_go_before_or_after_the_program_and_time_scale_comes_from_the_environment() {
    let runs: [(&[&str], Option<&str>); 3] = [
        (
            &["--runtime", "smol", "--time-scale", "0", "worker-process"],
            None,
        ),
        (
            &[
                "--time-scale",
                "0",
                "worker-process",
                "--runtime",
                "async-std",
            ],
            None,
        ),
        (&["worker-process", "--runtime", "tokio"], Some("0")),
    ];
    for (args, time_scale) in runs {
        let mut command = gather_wait(args);
        if let Some(scale) = time_scale {
            command.env("TIME_SCALE", scale);
        }
        let start = Instant::now();
        let output = command.output().expect("runs");
        assert_eq!(
            stdout_of_success(&format!("{args:?}"), &output),
            PYTHON_WORKER_PROCESS
        );
        assert!(start.elapsed().as_secs_f64() < 1.0, "{args:?}: no waiting");
    }
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 11] = [
        (&["gathr"], "unrecognized subcommand 'gathr'"),
        (&["gather", "4"], "unexpected argument '4'"),
        (
            &["gather", "--timeout", "3"],
            "unexpected argument '--timeout'",
        ),
        (&["wait", "--timeout"], "a value is required for '--timeout"),
        (&["wait", "--timeout", "soon"], "`soon` is not a number"),
        (
            &["wait", "--timeout", "-1"],
            "must be a finite number of seconds",
        ),
        (
            &["wait", "--timeout", "inf"],
            "must be a finite number of seconds",
        ),
        (
            &["wait", "--timeout", "NaN"],
            "must be a finite number of seconds",
        ),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (&["wait", "--runtime", "glommio"], "invalid value 'glommio'"),
        (
            &["as-completed", "--time-scale", "-1"],
            "must be between 0 and 1000",
        ),
    ];
    for (args, message) in cases {
        assert_usage_error(&gather_wait(args).output().expect("runs"), message);
    }
    let from_env = gather_wait(&["wait"])
        .env("TIME_SCALE", "fast")
        .output()
        .expect("runs");
    assert_usage_error(&from_env, "`fast` is not a number");
}

#[cfg(unix)]
#[test]
fn closing_stdout_early_ends_the_program_quietly() {
    testkit::assert_quiet_when_stdout_closes(env!("CARGO_BIN_EXE_gather-wait"), &["wait"]);
}
