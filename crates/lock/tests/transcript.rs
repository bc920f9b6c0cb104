//! Runs the real `lock` binary on every runtime and checks what a reader sees: the lines and
//! their order against CPython 3.11's output, when each line was printed, and that the lock
//! never has two workers inside at once (and, with `--no-lock`, that they are).

use std::process::Command;

use testkit::{assert_usage_error, mask_decimals, split_stamp, stdout_of_success};

/// 1 s in the document is 0.2 s here: the wake-ups at 2 s and 4 s stay 400 ms apart, and a
/// run takes under a second.
const SCALE: f64 = 0.2;

/// The seed-003 program (its `print` helper without rich, which prints plain text to a pipe)
/// on CPython 3.11, stamps masked. The second worker gets the lock when the first lets it go,
/// at 2 s, and the run ends at 4 s. With every wait set to 0 it prints the same lines.
const PYTHON: &str = "\
MainProcess      [ Xs] Attempting to attain lock
MainProcess      [ Xs] Currently locked
MainProcess      [ Xs] Attempting to attain lock
MainProcess      [ Xs] Unlocked from critical section
MainProcess      [ Xs] Currently locked
MainProcess      [ Xs] Unlocked from critical section
MainProcess      [ Xs] All workers completed.
";
/// When each line of [`PYTHON`] was printed, in the document's seconds.
const PYTHON_AT: [f64; 7] = [0.0, 0.0, 0.0, 2.0, 2.0, 4.0, 4.0];

/// The same program with `contextlib.nullcontext()` in place of the lock (ours: what `--no-lock`
/// runs) on CPython 3.11, stamps masked: the document's printed transcript.
const PYTHON_NO_LOCK: &str = "\
MainProcess      [ Xs] Attempting to attain lock
MainProcess      [ Xs] Currently locked
MainProcess      [ Xs] Attempting to attain lock
MainProcess      [ Xs] Currently locked
MainProcess      [ Xs] Unlocked from critical section
MainProcess      [ Xs] Unlocked from critical section
MainProcess      [ Xs] All workers completed.
";
const PYTHON_NO_LOCK_AT: [f64; 7] = [0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0];

fn lock(args: &[&str]) -> Command {
    testkit::command(env!("CARGO_BIN_EXE_lock"), args)
}

/// The most workers inside the critical section at any moment, counted from the lines.
fn most_inside(transcript: &str) -> usize {
    let (mut inside, mut most) = (0_usize, 0);
    for line in transcript.lines() {
        if line.ends_with("Currently locked") {
            inside += 1;
            most = most.max(inside);
        } else if line.ends_with("Unlocked from critical section") {
            inside -= 1;
        }
    }
    most
}

fn assert_matches_python(args: &[&str], python: &str, at: [f64; 7], inside: usize) {
    let bin = env!("CARGO_BIN_EXE_lock");
    for (runtime, transcript) in testkit::run_on_every_runtime(bin, args, SCALE) {
        let (masked, _) = mask_decimals(&transcript);
        assert_eq!(masked, python, "{runtime}: lines differ from CPython's");
        assert_eq!(most_inside(&transcript), inside, "{runtime}: {transcript}");
        for (line, ideal) in transcript.lines().zip(at) {
            let (secs, _) = split_stamp(line).expect("a stamped line");
            // Never before the ideal moment (a worker cannot get the lock early), and late only
            // by scheduling noise, far less than the 2 s a wrong lock would add.
            let ideal = ideal * SCALE;
            assert!(
                secs >= ideal - 0.01 && secs <= ideal * 1.2 + 0.15,
                "{runtime}: {line:?} at {secs} s, ideal {ideal:.2} s"
            );
        }
    }
}

#[test]
fn the_second_worker_gets_the_lock_at_2_s_and_the_run_ends_at_4_s() {
    assert_matches_python(&[], PYTHON, PYTHON_AT, 1);
}

#[test]
fn without_the_lock_both_workers_are_inside_at_once_as_the_document_prints() {
    assert_matches_python(&["--no-lock"], PYTHON_NO_LOCK, PYTHON_NO_LOCK_AT, 2);
}

#[test]
fn with_time_scale_0_the_lock_still_orders_the_workers() {
    let bin = env!("CARGO_BIN_EXE_lock");
    for (args, python) in [(&[][..], PYTHON), (&["--no-lock"][..], PYTHON_NO_LOCK)] {
        for (runtime, transcript) in testkit::run_on_every_runtime(bin, args, 0.0) {
            let (masked, stamps) = mask_decimals(&transcript);
            assert_eq!(masked, python, "{runtime} {args:?}");
            assert!(stamps.iter().all(|&s| s < 0.5), "{runtime}: {stamps:?}");
        }
    }
}

#[test]
fn time_scale_also_comes_from_the_environment() {
    let output = lock(&[]).env("TIME_SCALE", "0").output().expect("runs");
    let (masked, _) = mask_decimals(&stdout_of_success("tokio", &output));
    assert_eq!(masked, PYTHON);
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["2"], "unexpected argument '2'"),
        (&["--no-lock=yes"], "unexpected value 'yes' for '--no-lock'"),
        (&["--workers", "3"], "unexpected argument '--workers'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
        (&["--time-scale", "fast"], "`fast` is not a number"),
    ];
    for (args, message) in cases {
        assert_usage_error(&lock(args).output().expect("runs"), message);
    }
    let from_env = lock(&[]).env("TIME_SCALE", "soon").output().expect("runs");
    assert_usage_error(&from_env, "`soon` is not a number");
}
