//! Bad arguments get a one-line `error: …` and exit code 2 before anything runs.

mod common;

use common::jobs;
use testkit::assert_usage_error;

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 17] = [
        // asyncio.Semaphore(0) and buffer_unordered(0) would never start a job.
        (
            &["run-jobs", "--workers", "0"],
            "invalid value '0' for '--workers <W>': 0 is not in 1..=1000000",
        ),
        (
            &["run-jobs", "-w", "1000001"],
            "1000001 is not in 1..=1000000",
        ),
        (
            &["run-jobs", "-w", "four"],
            "invalid value 'four' for '--workers <W>'",
        ),
        // Python's chunks(tasks, 0) yields no batch at all: no job would run.
        (
            &["batch-gather", "--batch-size", "0"],
            "invalid value '0' for '--batch-size <B>': 0 is not in 1..=1000000",
        ),
        (
            &["batch-gather", "--batch-size", "-3"],
            "unexpected argument '-3'",
        ),
        (&["run-async-tasks", "-n", "-1"], "unexpected argument '-1'"),
        (
            &["run-jobs", "--jobs", "1000001"],
            "1000001 is not in 0..=1000000",
        ),
        (
            &["run-jobs", "--jobs", "2.5"],
            "invalid value '2.5' for '--jobs <N>'",
        ),
        (
            &["run-jobs", "--fail", "12"],
            "invalid value '12' for '--fail <J>': the jobs are numbered 0 to 11",
        ),
        (
            &["batch-gather", "-n", "0", "--fail", "0"],
            "invalid value '0' for '--fail <J>': there are no jobs",
        ),
        (
            &["run-jobs", "--limit", "pool"],
            "invalid value 'pool' for '--limit <LIMIT>'",
        ),
        (
            &["batch-gather", "--progress"],
            "unexpected argument '--progress'",
        ),
        (
            &["run-async-tasks", "--workers", "2"],
            "unexpected argument '--workers'",
        ),
        (&["run-jobs", "--runtime", "tokyo"], "invalid value 'tokyo'"),
        (
            &["run-jobs", "--time-scale", "-1"],
            "must be between 0 and 1000",
        ),
        (&["gather"], "unrecognized subcommand 'gather'"),
        (&[], "requires a subcommand"),
    ];
    for (args, message) in cases {
        assert_usage_error(&jobs(args).output().expect("runs"), message);
    }
    let from_env = jobs(&["run-jobs"])
        .env("TIME_SCALE", "soon")
        .output()
        .expect("runs");
    assert_usage_error(&from_env, "`soon` is not a number");
}

#[test]
fn runtime_and_time_scale_go_before_or_after_the_subcommand() {
    for args in [
        [
            "--runtime",
            "smol",
            "--time-scale",
            "0",
            "run-jobs",
            "-n",
            "2",
        ],
        [
            "run-jobs",
            "-n",
            "2",
            "--runtime",
            "smol",
            "--time-scale",
            "0",
        ],
    ] {
        let output = jobs(&args).output().expect("runs");
        let transcript = testkit::stdout_of_success("smol", &output);
        assert!(
            transcript.ends_with("peak concurrency 2\n"),
            "{args:?}: {transcript}"
        );
    }
}
