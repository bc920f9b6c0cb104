//! Runs the real `jobs` binary through each utility on every runtime and checks what a reader
//! sees: CPython 3.11's lines for the same arguments, what every run must keep (each job once,
//! the running count, the peak, the results in input order), and the measured time against the
//! ideal schedule.

mod common;

use common::python::*;
use common::*;

/// A run that must print CPython's lines: its arguments, CPython's lines, how many jobs and the
/// peak concurrency, and its ideal time (in the program's seconds) from the jobs' waits.
struct Case<'a> {
    args: &'a [&'a str],
    python: &'a str,
    jobs: usize,
    peak: usize,
    ideal: fn(&[u64]) -> f64,
}

/// Runs every case on every runtime, all at once; each run prints CPython's lines, keeps the
/// promises, and takes the ideal time.
fn assert_print_python(cases: &[Case]) {
    let runs: Vec<_> = cases.iter().map(|case| (case.args, SCALE)).collect();
    for (case, runs) in cases.iter().zip(transcripts_at_once(&runs)) {
        for (runtime, transcript) in runs {
            let what = format!("{runtime} {:?}", case.args);
            assert_eq!(
                masked(&transcript),
                case.python,
                "{what}: lines differ from CPython's"
            );
            let (waits, elapsed) =
                assert_kept_its_promises(&what, &transcript, case.jobs, case.peak);
            assert_near_ideal(&what, elapsed, (case.ideal)(&waits), SCALE);
        }
    }
}

fn longest(waits: &[u64]) -> f64 {
    waits.iter().copied().max().unwrap_or(0) as f64
}

/// With `--progress` the ports print what they print without it, and nothing on stderr:
/// indicatif draws the bar only on a terminal. (CPython's tqdm version is no golden for it:
/// `tqdm.gather` starts the jobs in an order of memory addresses; see the chapter.)
#[test]
fn run_async_tasks_runs_every_job_at_once_and_returns_results_in_input_order() {
    let case = |args| Case {
        args,
        python: PYTHON_RUN_ASYNC_TASKS,
        jobs: 12,
        peak: 12,
        ideal: longest,
    };
    assert_print_python(&[
        case(&["run-async-tasks"]),
        case(&["run-async-tasks", "--progress"]),
    ]);
}

#[test]
fn batch_gather_runs_one_batch_after_the_other_and_the_last_is_short_not_padded() {
    assert_print_python(&[
        Case {
            args: &["batch-gather"],
            python: PYTHON_BATCH_GATHER,
            jobs: 12,
            peak: 10,
            ideal: |waits| ideal_batches(waits, 10),
        },
        Case {
            args: &["batch-gather", "-n", "6", "--batch-size", "4"],
            python: PYTHON_BATCH_GATHER_6_BY_4,
            jobs: 6,
            peak: 4,
            ideal: |waits| ideal_batches(waits, 4),
        },
    ]);
}

/// `run_jobs` (buffer_unordered) starts the next job the moment one ends, in input order, as
/// asyncio's semaphore lets them in: CPython's lines on every runtime.
#[test]
fn run_jobs_keeps_at_most_workers_running_and_starts_the_next_when_one_ends() {
    let four = |args| Case {
        args,
        python: PYTHON_RUN_JOBS,
        jobs: 12,
        peak: 4,
        ideal: |waits| ideal_first_free(waits, 4),
    };
    assert_print_python(&[
        four(&["run-jobs"]),
        four(&["run-jobs", "--progress"]),
        Case {
            args: &["run-jobs", "-n", "3", "--workers", "5"],
            python: PYTHON_RUN_JOBS_3_BY_5,
            jobs: 3,
            peak: 3,
            ideal: longest,
        },
        Case {
            args: &["run-jobs", "-n", "3", "-w", "1"],
            python: PYTHON_RUN_JOBS_3_BY_1,
            jobs: 3,
            peak: 1,
            ideal: |waits| waits.iter().sum::<u64>() as f64,
        },
    ]);
}

#[test]
fn no_jobs_is_no_work_for_any_utility() {
    let none = |args| Case {
        args,
        python: PYTHON_RUN_JOBS_NONE,
        jobs: 0,
        peak: 0,
        ideal: longest,
    };
    assert_print_python(&[
        none(&["run-async-tasks", "-n", "0"]),
        none(&["batch-gather", "-n", "0"]),
        none(&["run-jobs", "-n", "0"]),
    ]);
}

/// llama-index's own `run_jobs`, with its semaphore. tokio's semaphore lets waiters in first
/// come, first served, as asyncio's does: CPython's lines. async-lock's (async-std's and smol's)
/// does not promise an order (the `sync` example pins that down), so there only what every run
/// must keep is checked.
#[test]
fn the_semaphore_version_prints_cpythons_lines_on_tokio_and_keeps_the_limit_everywhere() {
    for (runtime, transcript) in run_on_every_runtime(&["run-jobs", "--limit", "semaphore"], SCALE)
    {
        let (waits, elapsed) = assert_kept_its_promises(runtime, &transcript, 12, 4);
        if runtime == "tokio" {
            assert_eq!(masked(&transcript), PYTHON_RUN_JOBS, "tokio");
            assert_near_ideal(runtime, elapsed, ideal_first_free(&waits, 4), SCALE);
        }
    }
}

/// `buffered` has no Python twin. A job that ended keeps its place until the jobs before it have
/// ended, so job i starts only once jobs 0 to i - 4 have all ended: the run takes 25 s of the
/// program's time where `run_jobs` takes 18.
#[test]
fn buffered_holds_the_next_jobs_back_behind_a_slow_one() {
    let runs = run_on_every_runtime(&["run-jobs", "--limit", "buffered"], SCALE);
    for (runtime, transcript) in &runs {
        let (waits, elapsed) = assert_kept_its_promises(runtime, transcript, 12, 4);
        let mut ended = Vec::new();
        for line in parse(transcript) {
            match line {
                Line::Done { n } => ended.push(n),
                Line::Started { n, .. } if n >= 4 => assert!(
                    (0..=n - 4).all(|before| ended.contains(&before)),
                    "{runtime}: job {n} started before the jobs 4 places ahead ended"
                ),
                _ => {}
            }
        }
        assert_eq!(ideal_buffered(&waits, 4), 25.0);
        assert_eq!(ideal_first_free(&waits, 4), 18.0);
        assert_near_ideal(runtime, elapsed, ideal_buffered(&waits, 4), SCALE);
        // The runtimes differ in nothing here: the same lines everywhere.
        assert_eq!(masked(transcript), masked(&runs[0].1), "{runtime}");
    }
}

#[test]
fn with_time_scale_0_every_wait_only_yields_as_asyncio_sleep_0_does() {
    let cases: [(&[&str], &str); 4] = [
        (&["run-async-tasks"], PYTHON_RUN_ASYNC_TASKS_NO_WAITING),
        (
            &["batch-gather", "-n", "6", "--batch-size", "4"],
            PYTHON_BATCH_GATHER_6_BY_4_NO_WAITING,
        ),
        (&["run-jobs"], PYTHON_RUN_JOBS_NO_WAITING),
        // Every job ends in the step it started in, so buffered's hold-back never shows.
        (
            &["run-jobs", "--limit", "buffered"],
            PYTHON_RUN_JOBS_NO_WAITING,
        ),
    ];
    let runs: Vec<_> = cases.iter().map(|&(args, _)| (args, 0.0)).collect();
    for ((args, python), runs) in cases.iter().zip(transcripts_at_once(&runs)) {
        for (runtime, transcript) in runs {
            assert_eq!(masked(&transcript), *python, "{runtime} {args:?}");
        }
    }
    let tokio = jobs(&["run-jobs", "--limit", "semaphore", "--time-scale", "0"])
        .output()
        .expect("runs");
    let transcript = testkit::stdout_of_success("tokio", &tokio);
    assert_eq!(masked(&transcript), PYTHON_RUN_JOBS_NO_WAITING);
}

#[test]
fn time_scale_also_comes_from_the_environment() {
    let output = jobs(&["run-jobs", "-n", "2"])
        .env("TIME_SCALE", "0")
        .output()
        .expect("runs");
    let transcript = testkit::stdout_of_success("tokio", &output);
    assert!(transcript.ends_with("peak concurrency 2\n"), "{transcript}");
    let (_, durations) = testkit::mask_decimals(&transcript);
    assert!(durations[0] < 0.5, "nothing waits: {transcript}");
}
