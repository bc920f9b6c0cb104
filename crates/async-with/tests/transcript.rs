//! Runs the real `async-with` binary on every runtime and checks what a reader sees: the lines
//! against CPython 3.11's, that the resource is released when the body fails or is cancelled,
//! and the file reads and their errors.
//!
//! The CPython goldens come from seed 000's `AsyncResource` program, reconstructed, with
//! `asyncio.sleep` scaled by 0.1; `--fail` raises RuntimeError after `use_resource`, and
//! `--cancel-after S` wraps `use_resource` in `asyncio.timeout(S)`.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use testkit::{RUNTIMES, assert_usage_error, stdout_of_success};

/// 1 s in the document is 0.1 s here: the waits end 50 ms apart or more.
const SCALE: f64 = 0.1;

/// `python3 async_with.py`: seed 000's transcript.
const PYTHON: &str = "\
Acquiring resource...
Resource acquired
Using the resource
Releasing resource...
Resource released
Done with the resource
";

/// `python3 async_with.py --fail` and `--cancel-after 0.2`: `__aexit__` runs, then the
/// exception ends the program (a traceback on stderr, exit code 1).
const PYTHON_FAILED: &str = "\
Acquiring resource...
Resource acquired
Using the resource
Releasing resource...
Resource released
";

fn async_with(args: &[&str]) -> Command {
    testkit::command(env!("CARGO_BIN_EXE_async-with"), args)
}

/// Runs `args` on every runtime at once; returns each one's output and how long it took.
fn run_on_every_runtime(args: &[&str]) -> Vec<(&'static str, Output, Duration)> {
    let children: Vec<_> = RUNTIMES
        .iter()
        .map(|&runtime| {
            let child = async_with(args)
                .args(["--runtime", runtime, "--time-scale", &SCALE.to_string()])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the binary starts");
            (runtime, child, Instant::now())
        })
        .collect();
    children
        .into_iter()
        .map(|(runtime, child, started)| {
            let output = child.wait_with_output().expect("the binary runs");
            (runtime, output, started.elapsed())
        })
        .collect()
}

/// The run waited at least the ideal time (every await really waited), and not much longer.
fn assert_took(what: &str, took: Duration, ideal_doc_secs: f64) {
    let (took, ideal) = (took.as_secs_f64(), ideal_doc_secs * SCALE);
    assert!(
        took >= ideal - 0.01 && took <= ideal * 1.2 + 0.5,
        "{what}: took {took:.2} s, ideal {ideal:.2} s"
    );
}

/// Exit code 1, the lines CPython prints before its traceback, and a one-line error.
fn assert_failed_after_release(runtime: &str, output: &Output, error: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{runtime}: {stderr}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        PYTHON_FAILED,
        "{runtime}"
    );
    assert_eq!(stderr, format!("error: {error}\n"), "{runtime}");
}

#[test]
fn acquire_use_release_prints_the_documents_transcript() {
    for (runtime, output, took) in run_on_every_runtime(&[]) {
        assert_eq!(stdout_of_success(runtime, &output), PYTHON, "{runtime}");
        // acquire 1 s, use 0.5 s, release 0.5 s, one after another.
        assert_took(runtime, took, 2.0);
    }
}

#[test]
fn the_resource_is_released_when_the_body_fails() {
    for (runtime, output, took) in run_on_every_runtime(&["--fail"]) {
        assert_failed_after_release(runtime, &output, "the work with the resource failed");
        assert_took(runtime, took, 2.0);
    }
}

#[test]
fn the_resource_is_released_when_the_body_is_cancelled() {
    for (runtime, output, took) in run_on_every_runtime(&["--cancel-after", "0.2"]) {
        let error = "using the resource took longer than 0.2 s";
        assert_failed_after_release(runtime, &output, error);
        // use_resource is dropped at 1.2 s instead of ending at 1.5 s; the release follows.
        assert_took(runtime, took, 1.7);
    }
}

#[test]
fn read_file_prints_the_file_and_a_missing_file_is_a_clear_error() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("async-with");
    std::fs::create_dir_all(&dir).unwrap();
    let text = dir.join("text.txt");
    std::fs::write(&text, "Grüße\nsecond line, no newline at the end").unwrap();
    let binary = dir.join("binary.txt");
    std::fs::write(&binary, b"\xff\xfe not UTF-8").unwrap();
    let missing = dir.join("missing.txt");
    let (text, binary, missing) = (
        text.to_str().unwrap(),
        binary.to_str().unwrap(),
        missing.to_str().unwrap(),
    );
    for runtime in RUNTIMES {
        let read = |path: &str| {
            async_with(&["--runtime", runtime, "--read-file", path])
                .output()
                .expect("runs")
        };
        let output = read(text);
        assert_eq!(
            stdout_of_success(runtime, &output),
            "Grüße\nsecond line, no newline at the end"
        );
        for (path, error) in [(missing, "cannot open"), (binary, "cannot read")] {
            let output = read(path);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(1), "{runtime}: {stderr}");
            assert!(output.stdout.is_empty(), "{runtime}");
            assert_eq!(stderr.lines().count(), 1, "{runtime}: {stderr}");
            assert!(
                stderr.starts_with(&format!("error: {error} {path}: ")),
                "{runtime}: {stderr}"
            );
        }
    }
}

#[test]
fn read_file_reads_data_txt_by_default() {
    let output = async_with(&["--read-file"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    let content = stdout_of_success("tokio", &output);
    assert_eq!(content, include_str!("../data.txt"));
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["--cancel-after", "soon"], "`soon` is not a number"),
        (&["--cancel-after=-1"], "must be between 0 and 3600"),
        (&["--read-file", "x", "--fail"], "cannot be used with"),
        (&["--fail", "--cancel-after"], "a value is required"),
        (&["data.txt"], "unexpected argument 'data.txt'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
    ];
    for (args, message) in cases {
        assert_usage_error(&async_with(args).output().expect("runs"), message);
    }
}
