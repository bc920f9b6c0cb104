//! A task that runs 3 s without reaching an await (`--show busy`, alias `never-awaits`): when
//! the canceller gets to run, and when the cancel takes effect, per runtime. The runtimes run
//! one after the other, not at once: each run keeps a core busy on purpose, and three at once on
//! two cores would delay the very wake-ups the test looks at.

mod common;

use common::Stamped;
use testkit::{RUNTIMES, stdout_of_success};

/// 1 s in the program is 0.25 s here: the cancel at 1 s and the await at 3 s stay 500 ms apart.
const SCALE: f64 = 0.25;

const STARTED: &str = "busy: computing for 3 s without an await";
const LOOP_DONE: &str = "busy: loop done, awaiting now";
const CANCELLING: &str = "Main: cancelling the busy task";
const DROPPED: &str = "busy: cancelled at its first await";
const CANCELLED: &str = "Main: task was cancelled";

/// tokio's current-thread runtime: main shares the thread with the busy task, so it cannot
/// even ask before the busy task reaches an await.
const ONE_THREAD: [&str; 5] = [STARTED, LOOP_DONE, CANCELLING, DROPPED, CANCELLED];

/// async-std and smol: the busy task runs on an executor thread, main on the block_on thread:
/// main asks on time, and the cancel takes effect at the busy task's await.
const EXECUTOR_THREAD: [&str; 5] = [STARTED, CANCELLING, LOOP_DONE, DROPPED, CANCELLED];

fn busy(runtime: &str, show: &str) -> String {
    let scale = SCALE.to_string();
    let args = ["--show", show, "--runtime", runtime, "--time-scale", &scale];
    let output = testkit::command(env!("CARGO_BIN_EXE_cancellation"), &args)
        .output()
        .expect("the binary runs");
    stdout_of_success(runtime, &output)
}

#[test]
fn a_task_that_does_not_await_is_cancelled_only_at_its_first_await() {
    let secs = |program_secs: f64| program_secs * SCALE;
    for (runtime, show) in RUNTIMES
        .iter()
        .map(|&runtime| (runtime, "busy"))
        .chain([("tokio", "never-awaits")])
    {
        let transcript = busy(runtime, show);
        let lines = Stamped::parse(&transcript);
        let expected = if runtime == "tokio" {
            ONE_THREAD
        } else {
            EXECUTOR_THREAD
        };
        assert_eq!(
            lines.messages(),
            expected,
            "{runtime} {show}:\n{transcript}"
        );

        // Nothing stopped the loop: it ran its 3 s, and the cancel landed at the await after it.
        let looped = lines.at(LOOP_DONE, 0) - lines.at(STARTED, 0);
        assert!(
            looped >= secs(3.0) - 0.01,
            "{runtime}: looped {looped:.2} s"
        );
        // main asked no sooner than 1 s in: on tokio only once the loop was done (the order
        // above), elsewhere while it still ran.
        let asked = lines.at(CANCELLING, 0);
        assert!(
            asked >= secs(1.0) - 0.01,
            "{runtime}: asked at {asked:.2} s"
        );
    }
}
