//! Runs the real `coroutines` binary on every runtime and checks what a reader sees: the lines
//! against CPython 3.11's (but for the two type names), and when each line arrives against the
//! document's sleeps, which shows when the coroutine's body runs and when it does not.

use std::io::{BufRead, BufReader};
use std::panic::resume_unwind;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use testkit::{RUNTIMES, assert_usage_error, stdout_of_success};

/// 1 s in the document is 0.4 s here: long enough that a line reaching the test a little late
/// does not hide a wait, and that a wait twice too long shows; a run takes under two seconds.
const SCALE: f64 = 0.4;

/// `python3 coroutines.py` on CPython 3.11: seed 000's snippet made to run (see the chapter),
/// each line with the document second at which it is printed. The ports print Rust's type
/// names in place of the first two lines.
const MY_FUNCTION: Python = Python {
    lines: &[
        (0.0, "<class 'function'>"),
        (0.0, "<class 'coroutine'>"),
        (1.0, "1 second later, nothing has run"),
        (1.0, "Option 1: await it"),
        (1.0, "Starting"),
        (2.0, "Finished"),
        (2.0, "Result"),
        (2.0, "Option 2: schedule it as a task"),
        (2.0, "Starting"),
        (3.0, "Finished"),
        (3.0, "Result"),
        (3.0, "Option 3: run it from synchronous code"),
        (3.0, "Starting"),
        (4.0, "Finished"),
        (4.0, "Result"),
    ],
    ends_at: 4.0,
};

/// `python3 coroutines.py execute-worker` on CPython 3.11: the same with seed 004's
/// `execute_worker`.
const EXECUTE_WORKER: Python = Python {
    lines: &[
        (0.0, "<class 'function'>"),
        (0.0, "<class 'coroutine'>"),
        (1.0, "1 second later, nothing has run"),
        (1.0, "Option 1: await it"),
        (1.0, "Worker task initialized"),
        (2.0, "Worker task completed"),
        (2.0, "Done"),
        (2.0, "Option 2: schedule it as a task"),
        (2.0, "Worker task initialized"),
        (3.0, "Worker task completed"),
        (3.0, "Done"),
        (3.0, "Option 3: run it from synchronous code"),
        (3.0, "Worker task initialized"),
        (4.0, "Worker task completed"),
        (4.0, "Done"),
    ],
    ends_at: 4.0,
};

const BIN: &str = env!("CARGO_BIN_EXE_coroutines");

fn coroutines(args: &[&str]) -> Command {
    testkit::command(BIN, args)
}

/// What a program prints on CPython 3.11, each line with the document second at which it is
/// printed, and the second at which the program ends.
struct Python {
    lines: &'static [(f64, &'static str)],
    ends_at: f64,
}

/// How late the first line may arrive after the process is started, beyond its wait: the
/// process has to start, which takes a while on a loaded machine.
const STARTUP: f64 = 0.5;

/// How much longer than its ideal a gap between two lines may look: the later line can reach
/// the test late on a loaded machine.
const GAP_SLACK: f64 = 0.25;

/// Each line a run printed, with the seconds since the process was started at which it
/// arrived, and the seconds at which its stdout closed (when it ended).
struct Run {
    lines: Vec<(f64, String)>,
    ended: f64,
}

/// Runs `BIN args` on `runtimes` at once; checks that each succeeded with nothing on stderr,
/// within ten seconds (a deadlock fails the test instead of hanging it).
fn run_timed_on(runtimes: &[&'static str], args: &[&str], scale: f64) -> Vec<(&'static str, Run)> {
    let scale = scale.to_string();
    std::thread::scope(|scope| {
        let runs: Vec<_> = runtimes
            .iter()
            .map(|&runtime| {
                let args = [args, &["--runtime", runtime, "--time-scale", &scale]].concat();
                scope.spawn(move || (runtime, run_timed(runtime, &args)))
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().unwrap_or_else(|panic| resume_unwind(panic)))
            .collect()
    })
}

fn run_timed(runtime: &str, args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = testkit::command(BIN, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = BufReader::new(child.stdout.take().expect("piped"));
    let reader = std::thread::spawn(move || {
        let arrival = |line: std::io::Result<String>| {
            (start.elapsed().as_secs_f64(), line.expect("UTF-8 lines"))
        };
        let lines = stdout.lines().map(arrival).collect();
        Run {
            lines,
            ended: start.elapsed().as_secs_f64(),
        }
    });
    while child.try_wait().expect("waits").is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            child.kill().expect("kills");
            panic!("{runtime} {args:?}: still running after 10 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    stdout_of_success(runtime, &child.wait_with_output().expect("ends"));
    reader.join().unwrap_or_else(|panic| resume_unwind(panic))
}

/// Each line arrived after its wait and not much later (the first within the start-up
/// allowance, each next one within scheduling noise of the one before), and the program ended
/// when CPython's does. Lines are timed as they reach the test, which may be a little late:
/// a gap may look shorter than it was, but not by half.
fn assert_timing(what: &str, run: &Run, python: &Python, scale: f64) {
    // (arrival, ideal) of the line before; the process start for the first line.
    let mut before = (0.0, 0.0);
    let arrivals = run.lines.iter().map(|(at, text)| (*at, text.as_str()));
    let ideals = python.lines.iter().map(|&(ideal, _)| ideal);
    for (i, ((at, line), doc_secs)) in arrivals
        .chain([(run.ended, "the end")])
        .zip(ideals.chain([python.ends_at]))
        .enumerate()
    {
        let ideal = doc_secs * scale;
        assert!(
            at + 0.01 >= ideal,
            "{what}: {line:?} at {at:.3} s, ideal {ideal:.2} s"
        );
        let (gap, ideal_gap) = (at - before.0, ideal - before.1);
        let slack = if i == 0 { STARTUP } else { GAP_SLACK };
        assert!(
            gap >= ideal_gap / 2.0 && gap <= ideal_gap * 1.2 + slack,
            "{what}: {line:?} came {gap:.3} s after the line before, ideal {ideal_gap:.2} s"
        );
        before = (at, ideal);
    }
}

/// The port printed `function`'s type and its future's where Python prints `<class 'function'>`
/// and `<class 'coroutine'>`, then CPython's other lines; they come, and the program ends,
/// when CPython's do.
fn assert_timed_transcript(function: &str, python: &Python, scale: f64) {
    let args: &[&str] = if function == "my_function" {
        &[]
    } else {
        &["execute-worker"]
    };
    let expected: Vec<&str> = python.lines.iter().map(|&(_, text)| text).collect();
    for (runtime, run) in run_timed_on(&RUNTIMES, args, scale) {
        let texts: Vec<&str> = run.lines.iter().map(|(_, text)| text.as_str()).collect();
        let module = format!("coroutines::on_{}", runtime.replace('-', "_"));
        assert_eq!(
            texts[0],
            format!("{module}::{function}"),
            "{runtime}: the function's type"
        );
        assert!(
            texts[1].len() > texts[0].len() && texts[1].starts_with(&format!("{}::", texts[0])),
            "{runtime}: the future's type is the function's own: {}",
            texts[1]
        );
        assert_eq!(
            texts[2..],
            expected[2..],
            "{runtime}: lines differ from CPython's"
        );
        assert_timing(runtime, &run, python, scale);
    }
}

#[test]
fn my_function_runs_only_when_awaited_spawned_or_blocked_on() {
    assert_timed_transcript("my_function", &MY_FUNCTION, SCALE);
}

#[test]
fn execute_worker_runs_only_when_awaited_spawned_or_blocked_on() {
    assert_timed_transcript("execute_worker", &EXECUTE_WORKER, SCALE);
}

#[test]
fn with_time_scale_0_nothing_waits_and_the_lines_stay() {
    assert_timed_transcript("my_function", &MY_FUNCTION, 0.0);
}

#[test]
fn my_function_by_name_and_options_before_it() {
    let output = coroutines(&["--runtime", "smol", "my-function"])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    let stdout = stdout_of_success("smol", &output);
    assert!(
        stdout.starts_with("coroutines::on_smol::my_function\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("Starting\nFinished\nResult\n"), "{stdout}");
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 5] = [
        (&["my_function"], "unrecognized subcommand 'my_function'"),
        (&["execute-worker", "twice"], "unexpected argument 'twice'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
        (
            &["execute-worker", "--time-scale", "fast"],
            "`fast` is not a number",
        ),
    ];
    for (args, message) in cases {
        assert_usage_error(&coroutines(args).output().expect("runs"), message);
    }
    let from_env = coroutines(&[])
        .env("TIME_SCALE", "soon")
        .output()
        .expect("runs");
    assert_usage_error(&from_env, "`soon` is not a number");
}

#[cfg(unix)]
#[test]
fn closing_stdout_early_ends_the_program_quietly() {
    use std::os::unix::process::ExitStatusExt;
    for runtime in RUNTIMES {
        let mut child = coroutines(&["--runtime", runtime, "--time-scale", "0.1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        // Like `coroutines | true`: the reader is gone before the first print.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.is_empty(), "{runtime}: {stderr}");
        assert_eq!(
            output.status.signal(),
            Some(13),
            "{runtime}: ended by SIGPIPE"
        );
    }
}
