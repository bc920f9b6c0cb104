//! The two programs that have a Python original: the tutorial's `long_operation` and our
//! `asyncio.shield` program. Runs the real binary on every runtime and checks its lines against
//! what CPython 3.11 prints for the same program.

use std::time::{Duration, Instant};

use testkit::{assert_usage_error, stdout_of_success};

/// The seed-000 tutorial's `long_operation` program as printed there, run with
/// `python3 long_operation.py` on CPython 3.11.7 (five runs, all alike). Nothing in it is measured.
const PYTHON_LONG_OPERATION: &str = "\
Starting long operation...
Cancelling task...
Operation was cancelled, cleaning up...
Main: task was cancelled
";

/// Our `asyncio.shield` program (its source is in the chapter), run with `python3 shield.py`
/// on CPython 3.11.7 (five runs, all alike).
const PYTHON_SHIELD: &str = "\
Saving file...
Cancelling handler...
Handler was cancelled; the save goes on
Main: handler was cancelled
File saved
Main: file saved
";

fn cancellation(args: &[&str]) -> std::process::Command {
    testkit::command(env!("CARGO_BIN_EXE_cancellation"), args)
}

/// Runs `args` on every runtime at once and returns each transcript, with how long the three
/// runs took together.
fn run_on_every_runtime(args: &[&str], scale: f64) -> (Vec<(&'static str, String)>, Duration) {
    let start = Instant::now();
    let runs = testkit::run_on_every_runtime(env!("CARGO_BIN_EXE_cancellation"), args, scale);
    (runs, start.elapsed())
}

#[test]
fn long_operation_is_cancelled_after_2_s_and_cleans_up_on_every_runtime() {
    // 2 s in the document is 0.4 s here; the 10 s the task would sleep is 2 s.
    let scale = 0.2;
    for args in [&[][..], &["--show", "long-operation"]] {
        let (runs, took) = run_on_every_runtime(args, scale);
        for (runtime, transcript) in runs {
            assert_eq!(transcript, PYTHON_LONG_OPERATION, "{runtime} {args:?}");
        }
        // The program ends at the cancel, 2 s in, not when the long operation would end (10 s).
        assert!(
            took >= Duration::from_secs_f64(2.0 * scale)
                && took < Duration::from_secs_f64(10.0 * scale),
            "{args:?}: {took:?}"
        );
    }
}

/// `--show signal` is the same program, cancelled by a signal the task listens for, with a
/// cleanup that awaits for 1 s. CPython prints the same lines for the tutorial's program with
/// `await asyncio.sleep(1)` added to its `except` block.
#[test]
fn long_operation_cancelled_by_a_signal_awaits_its_cleanup_on_every_runtime() {
    let scale = 0.2;
    let (runs, took) = run_on_every_runtime(&["--show", "signal"], scale);
    for (runtime, transcript) in runs {
        assert_eq!(transcript, PYTHON_LONG_OPERATION, "{runtime}");
    }
    // Main waited for the cleanup: 2 s, then 1 s of cleanup, and not the 10 s operation.
    assert!(
        took >= Duration::from_secs_f64(3.0 * scale)
            && took < Duration::from_secs_f64(10.0 * scale),
        "{took:?}"
    );
}

#[test]
fn a_shielded_save_survives_the_cancellation_of_its_handler_on_every_runtime() {
    // 1 s is 0.2 s here: the cancel at 1 s and the save's end at 3 s stay 400 ms apart, so a
    // stall under load cannot let both come due in one batch.
    let scale = 0.2;
    let (runs, took) = run_on_every_runtime(&["--show", "shield"], scale);
    for (runtime, transcript) in runs {
        assert_eq!(transcript, PYTHON_SHIELD, "{runtime}");
    }
    // Main waited for the whole save (3 s), after the handler was cancelled (1 s).
    assert!(took >= Duration::from_secs_f64(3.0 * scale), "{took:?}");
}

#[test]
fn time_scale_also_comes_from_the_environment() {
    let output = cancellation(&[])
        .env("TIME_SCALE", "0.05")
        .output()
        .expect("runs");
    assert_eq!(stdout_of_success("tokio", &output), PYTHON_LONG_OPERATION);
}

#[test]
fn bad_input_gets_a_one_line_error_and_exit_code_2() {
    let cases: [(&[&str], &str); 7] = [
        (
            &["--show", "nope"],
            "invalid value 'nope' for '--show <SHOW>'",
        ),
        (&["--show"], "a value is required for '--show <SHOW>'"),
        (&["extra"], "unexpected argument 'extra'"),
        (&["--runtime", "glommio"], "invalid value 'glommio'"),
        (&["--time-scale", "-1"], "must be between 0 and 1000"),
        (&["--time-scale", "fast"], "`fast` is not a number"),
        (&["--time-scale", "1e9"], "must be between 0 and 1000"),
    ];
    for (args, message) in cases {
        assert_usage_error(&cancellation(args).output().expect("runs"), message);
    }
    let from_env = cancellation(&[])
        .env("TIME_SCALE", "soon")
        .output()
        .expect("runs");
    assert_usage_error(&from_env, "`soon` is not a number");
}
