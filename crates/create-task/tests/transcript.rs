//! Runs the real `create-task` binary on every runtime and checks what a reader sees: each
//! program's lines and their order against CPython 3.11's output, and how long it took against
//! the ideal, which shows that the tasks' waits overlapped.

use std::process::Command;

use testkit::{assert_usage_error, mask_decimals, split_stamp, stdout_of_success};

/// 1 s in the documents is 0.5 s here: long enough that the whole program's time, measured
/// from outside with the process start-up in it, still tells overlapping waits (2 units) from
/// waits one after the other (3 or 4 units) on a loaded machine.
const SCALE: f64 = 0.5;

/// Seed 000's "Creating Tasks API" program, `python3 fetch_data.py` on CPython 3.11 (also
/// with every `asyncio.sleep` made 0 s: the same lines).
const PYTHON_FETCH_DATA: &str = "\
Doing other work...
Fetching data for 123...
Task completed with result: Data for 123
";

/// Seed 001's `main` with two `fetch_data()` tasks, on CPython 3.11 (also with 0 s sleeps).
const PYTHON_TWO_TASKS: &str = "\
Start fetching data...
Start fetching data...
Data fetched!
Data fetched!
";

/// Seed 003's `task_worker` program on CPython 3.11, its `print` writing the same text
/// without rich's colours (as rich does when stdout is not a terminal), times masked.
const PYTHON_TASK_WORKER: &str = "\
MainProcess      [ Xs] Hello, sleeping_func!
MainProcess      [ Xs] Hello, nested coroutine!
MainProcess      [ Xs] nested coroutine is finished.
MainProcess      [ Xs] sleeping_func is finished.
MainProcess      [ Xs] 1
";

fn create_task(args: &[&str]) -> Command {
    testkit::command(env!("CARGO_BIN_EXE_create-task"), args)
}

/// Runs `create-task args` on the three runtimes at once, each timed from its start to its
/// exit, and returns each one's stdout and seconds taken.
fn timed_runs(args: &[&str], scale: f64) -> Vec<(&'static str, String, f64)> {
    testkit::timed_on_every_runtime(env!("CARGO_BIN_EXE_create-task"), args, scale)
}

/// A time is never under the ideal, and over it only by scheduling noise and the process's
/// start-up, far less than another unit of waiting.
fn assert_near_ideal(what: &str, took: f64, ideal_units: f64) {
    let ideal = ideal_units * SCALE;
    assert!(
        took >= ideal - 0.01 && took <= ideal * 1.2 + 0.15,
        "{what}: took {took:.2} s, ideal {ideal:.2} s"
    );
}

#[test]
fn fetch_data_runs_in_the_background_while_main_works() {
    for args in [&["fetch-data"][..], &[]] {
        for (runtime, stdout, took) in timed_runs(args, SCALE) {
            assert_eq!(stdout, PYTHON_FETCH_DATA, "{runtime} {args:?}");
            // main's 1-second wait overlaps the task's 2 seconds: 2 in all, not 3.
            assert_near_ideal(&format!("{runtime} {args:?}"), took, 2.0);
        }
    }
}

#[test]
fn two_tasks_wait_at_the_same_time() {
    for (runtime, stdout, took) in timed_runs(&["two-tasks"], SCALE) {
        assert_eq!(stdout, PYTHON_TWO_TASKS, "{runtime}");
        // Two 2-second waits that overlap: 2 seconds, not 4.
        assert_near_ideal(runtime, took, 2.0);
    }
}

#[test]
fn task_worker_awaits_its_nested_coroutine() {
    for (runtime, stdout, _) in timed_runs(&["task-worker"], SCALE) {
        let (masked, _) = mask_decimals(&stdout);
        assert_eq!(masked, PYTHON_TASK_WORKER, "{runtime}");
        // The stamps: both hellos at the start, the rest after the nested 1-second wait.
        let stamps: Vec<f64> = stdout
            .lines()
            .map(|line| split_stamp(line).expect("a stamped line").0)
            .collect();
        for (line, (&stamp, ideal)) in stamps.iter().zip([0.0, 0.0, 1.0, 1.0, 1.0]).enumerate() {
            assert_near_ideal(&format!("{runtime} line {}", line + 1), stamp, ideal);
        }
    }
}

#[test]
fn with_time_scale_0_every_await_only_yields_and_the_lines_stay() {
    let programs = [
        ("fetch-data", PYTHON_FETCH_DATA),
        ("two-tasks", PYTHON_TWO_TASKS),
        ("task-worker", PYTHON_TASK_WORKER),
    ];
    for (program, python) in programs {
        for (runtime, stdout, _) in timed_runs(&[program], 0.0) {
            let (masked, stamps) = mask_decimals(&stdout);
            assert_eq!(masked, python, "{runtime} {program}");
            assert!(stamps.iter().all(|&s| s < 0.1), "{runtime}: {stamps:?}");
        }
    }
}

#[test]
fn options_go_before_or_after_the_program() {
    for args in [
        ["--runtime", "smol", "two-tasks", "--time-scale", "0"],
        ["--time-scale", "0", "two-tasks", "--runtime", "smol"],
    ] {
        let output = create_task(&args).output().expect("runs");
        assert_eq!(stdout_of_success("smol", &output), PYTHON_TWO_TASKS);
    }
    let output = create_task(&["two-tasks"])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    assert_eq!(stdout_of_success("tokio", &output), PYTHON_TWO_TASKS);
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 7] = [
        (&["fetch"], "unrecognized subcommand 'fetch'"),
        (&["fetch-data", "123"], "unexpected argument '123'"),
        (
            &["two-tasks", "task-worker"],
            "unexpected argument 'task-worker'",
        ),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (
            &["task-worker", "--runtime", "trio"],
            "invalid value 'trio'",
        ),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
        (
            &["two-tasks", "--time-scale", "fast"],
            "`fast` is not a number",
        ),
    ];
    for (args, message) in cases {
        assert_usage_error(&create_task(args).output().expect("runs"), message);
    }
}
