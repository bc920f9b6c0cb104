//! What every asyncio-rosetta example shares, and nothing more:
//!
//! - [`ExampleArgs`]: the `--runtime` and `--time-scale` (`TIME_SCALE`) flags, flattened into
//!   each example's command line;
//! - [`scaled`]: a simulated wait, in the document's seconds, multiplied by the time scale;
//! - [`deadline`]: when such a wait ends on the program's timeline, so that waits tied in the
//!   document's seconds end at the same instant and wake in the order asyncio wakes them;
//! - [`elapsed`] and [`stamped!`]: one clock for the whole process, and lines stamped
//!   `[ 1.00s]` like the seed-003 programs print them;
//! - [`exit_code`]: how a port's result becomes the process exit code, and [`Interrupted`], the
//!   result of a run that Ctrl-C stopped.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ffi::OsStr;
use std::fmt;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// The async runtime that runs an example's port.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Runtime {
    #[default]
    Tokio,
    /// Discontinued upstream (its README says to use smol); kept for the migration path.
    AsyncStd,
    Smol,
}

/// The largest accepted time scale: a thousand real seconds per simulated one.
pub const MAX_TIME_SCALE: f64 = 1000.0;

/// The flags every example binary takes. Flatten it into the example's own parser:
/// `#[command(flatten)] example: timing::ExampleArgs`. Both are global: an example with
/// subcommands takes them before or after the subcommand's name.
#[derive(Clone, Debug, clap::Args)]
pub struct ExampleArgs {
    /// Async runtime that runs the example
    #[arg(long, value_enum, default_value_t, global = true)]
    pub runtime: Runtime,

    /// Multiply every simulated wait: 1 = the document's seconds, 0.01 = a hundred times
    /// faster, 0 = no waiting. Printed durations are always the real, measured ones.
    #[arg(
        long,
        env = "TIME_SCALE",
        default_value = "1",
        value_parser = parse_time_scale,
        allow_negative_numbers = true,
        global = true
    )]
    pub time_scale: f64,
}

impl ExampleArgs {
    /// Starts the process clock and sets the scale [`scaled`] applies. Call it once, first.
    ///
    /// It also restores the default action of SIGPIPE, which Rust programs ignore: when stdout
    /// is closed early (`chained | head -1`), the program then ends quietly, as other command-line
    /// tools do, instead of panicking in `println!`.
    pub fn install(&self) {
        sigpipe::reset();
        let _ = TIME_SCALE.set(self.time_scale);
        START.get_or_init(Instant::now);
    }
}

fn parse_time_scale(text: &str) -> Result<f64, String> {
    let scale: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=MAX_TIME_SCALE).contains(&scale) {
        Ok(scale)
    } else {
        Err(format!("must be between 0 and {MAX_TIME_SCALE}"))
    }
}

static TIME_SCALE: OnceLock<f64> = OnceLock::new();
static START: OnceLock<Instant> = OnceLock::new();

/// `secs` of the document's time, as the real wait under the installed time scale (1 if none).
pub fn scaled(secs: f64) -> Duration {
    scale(secs, TIME_SCALE.get().copied().unwrap_or(1.0))
}

fn scale(secs: f64, factor: f64) -> Duration {
    let real = secs * factor;
    // Saturate instead of panicking: negative waits are no wait, absurd ones are forever.
    Duration::try_from_secs_f64(real).unwrap_or(if real > 0.0 {
        Duration::MAX
    } else {
        Duration::ZERO
    })
}

/// When a wait of `secs` document seconds that starts now should end, or `None` when the
/// scaled wait is zero (like `asyncio.sleep(0)`, the caller should only yield).
///
/// Why not `now + scaled(secs)`: asyncio wakes every task whose timer is due in one loop
/// iteration and runs them in deadline order, so two waits that are tied in the document's
/// seconds (`sleep(4)` at t=0 in one task, `sleep(4)` a few microseconds later in another)
/// wake together, in the order they were started. Measured from two slightly different
/// `now`s, they could fire apart and let a third task run in between. So waits start from the
/// program's timeline instead: the latest deadline that has passed, as long as it passed less
/// than [`TIMELINE_SLACK`] ago (otherwise from now). Tied waits then get the very same instant,
/// and the runtimes' timers fire equal instants in the order they were registered.
pub fn deadline(secs: f64) -> Option<Instant> {
    let wait = scaled(secs);
    if wait.is_zero() {
        return None;
    }
    let mut timeline = TIMELINE.lock().unwrap_or_else(PoisonError::into_inner);
    Some(timeline.schedule(Instant::now(), wait))
}

/// How long after a deadline the timeline still counts it as the present: more than the time a
/// woken task takes to reach its next wait, less than anything else a program waits for.
pub const TIMELINE_SLACK: Duration = Duration::from_millis(50);

static TIMELINE: Mutex<Timeline> = Mutex::new(Timeline::new());

struct Timeline {
    /// The deadline the program last woke at (or the time the first wait started).
    present: Option<Instant>,
    /// Deadlines handed out that have not passed yet.
    pending: BinaryHeap<Reverse<Instant>>,
}

impl Timeline {
    const fn new() -> Self {
        Self {
            present: None,
            pending: BinaryHeap::new(),
        }
    }

    fn schedule(&mut self, now: Instant, wait: Duration) -> Instant {
        while let Some(&Reverse(due)) = self.pending.peek() {
            if due > now {
                break;
            }
            self.present = Some(due);
            self.pending.pop();
        }
        let start = match self.present {
            Some(present) if now.duration_since(present) < TIMELINE_SLACK => present,
            _ => now,
        };
        self.present = Some(start);
        let due = start.checked_add(wait).unwrap_or(start + FOREVER);
        self.pending.push(Reverse(due));
        due
    }
}

/// Long enough to never come, short enough to add to any `Instant`.
const FOREVER: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// Time since the process clock started (at [`ExampleArgs::install`] or at the first call).
pub fn elapsed() -> Duration {
    START.get_or_init(Instant::now).elapsed()
}

/// Prints a line stamped with the clock, like the seed-003 programs' `print`:
/// `stamped!("Done.")` prints `[ 1.00s] Done.`, and
/// `stamped!(label: "MainProcess", "Done.")` prints `MainProcess      [ 1.00s] Done.`
#[macro_export]
macro_rules! stamped {
    (label: $label:expr, $($arg:tt)+) => {
        $crate::print_stamped(::core::option::Option::Some($label), ::core::format_args!($($arg)+))
    };
    ($($arg:tt)+) => {
        $crate::print_stamped(::core::option::Option::None, ::core::format_args!($($arg)+))
    };
}

#[doc(hidden)]
pub fn print_stamped(label: Option<&str>, message: fmt::Arguments<'_>) {
    println!("{}", stamp_line(label, elapsed(), message, colour()));
}

fn stamp_line(
    label: Option<&str>,
    at: Duration,
    message: fmt::Arguments<'_>,
    colour: bool,
) -> String {
    let (bold, green) = if colour {
        let bold = anstyle::Style::new().bold();
        (bold, bold.fg_color(Some(anstyle::AnsiColor::Green.into())))
    } else {
        Default::default()
    };
    let stamp = format!("[{green}{:>5.2}s{green:#}]", at.as_secs_f64());
    match label {
        Some(label) => format!("{bold}{label:<16}{bold:#} {stamp} {message}"),
        None => format!("{stamp} {message}"),
    }
}

/// Colour only when stdout is a terminal and `NO_COLOR` is unset (or empty).
fn colour() -> bool {
    static COLOUR: OnceLock<bool> = OnceLock::new();
    *COLOUR.get_or_init(|| {
        colour_wanted(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        )
    })
}

fn colour_wanted(stdout_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    stdout_is_terminal && no_color.is_none_or(OsStr::is_empty)
}

/// The error a port returns when Ctrl-C (SIGINT) stopped it early, after it has cancelled its
/// tasks and printed its own summary. [`exit_code`] turns it into exit code 130 and prints nothing
/// more: 130 is 128 + SIGINT, what a shell reports for a program that Ctrl-C killed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted by Ctrl-C")
    }
}

impl std::error::Error for Interrupted {}

/// Turns a port's result into the exit code: 0; 130, silently, for [`Interrupted`]; otherwise 1
/// after a one-line `error: …` with its context.
/// (Usage errors never get here: clap prints them and exits with 2.)
pub fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<Interrupted>() => ExitCode::from(130),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        example: ExampleArgs,
    }

    fn parse(args: &[&str]) -> Result<ExampleArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("example").chain(args.iter().copied()))
            .map(|cli| cli.example)
    }

    #[test]
    fn runtime_flag_takes_the_three_names_and_defaults_to_tokio() {
        // A test must not depend on the caller's TIME_SCALE; only --runtime is read here.
        assert_eq!(parse(&[]).unwrap().runtime, Runtime::Tokio);
        assert_eq!(
            parse(&["--runtime", "tokio"]).unwrap().runtime,
            Runtime::Tokio
        );
        assert_eq!(
            parse(&["--runtime", "async-std"]).unwrap().runtime,
            Runtime::AsyncStd
        );
        assert_eq!(
            parse(&["--runtime", "smol"]).unwrap().runtime,
            Runtime::Smol
        );
        let error = parse(&["--runtime", "glommio"]).err().unwrap();
        assert_eq!(error.kind(), clap::error::ErrorKind::InvalidValue);
        assert_eq!(error.exit_code(), 2);
    }

    #[test]
    fn time_scale_flag_accepts_zero_and_fractions() {
        assert_eq!(parse(&["--time-scale", "0"]).unwrap().time_scale, 0.0);
        assert_eq!(parse(&["--time-scale", "0.01"]).unwrap().time_scale, 0.01);
        assert_eq!(parse(&["--time-scale=2"]).unwrap().time_scale, 2.0);
    }

    #[test]
    fn time_scale_rejects_negative_non_numeric_and_absurd_values() {
        for bad in ["-1", "abc", "", "NaN", "inf", "1001"] {
            let error = parse(&["--time-scale", bad]).err().unwrap();
            assert_eq!(
                error.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{bad:?}"
            );
            assert_eq!(error.exit_code(), 2);
        }
        assert_eq!(
            parse_time_scale("-1").unwrap_err(),
            "must be between 0 and 1000"
        );
        assert_eq!(
            parse_time_scale("abc").unwrap_err(),
            "`abc` is not a number"
        );
    }

    #[test]
    fn scale_multiplies_and_saturates() {
        assert_eq!(scale(4.0, 1.0), Duration::from_secs(4));
        assert_eq!(scale(4.0, 0.01), Duration::from_millis(40));
        assert_eq!(scale(10.0, 0.0), Duration::ZERO);
        assert_eq!(scale(1e300, 1000.0), Duration::MAX);
        assert_eq!(scale(-1.0, 1.0), Duration::ZERO);
    }

    #[test]
    fn tied_waits_end_at_the_same_instant_in_start_order() {
        let t0 = Instant::now();
        let mut timeline = Timeline::new();
        let a = timeline.schedule(t0, Duration::from_secs(4));
        let b = timeline.schedule(t0 + Duration::from_micros(30), Duration::from_secs(4));
        assert_eq!(a, b, "tied waits share their deadline");
        // Woken at 4 s, a little late: the next waits start from the deadline, not from now.
        let late = a + Duration::from_millis(2);
        let d = timeline.schedule(late, Duration::from_secs(3));
        assert_eq!(d, t0 + Duration::from_secs(7));
    }

    #[test]
    fn the_timeline_catches_up_after_time_spent_elsewhere() {
        let t0 = Instant::now();
        let mut timeline = Timeline::new();
        let a = timeline.schedule(t0, Duration::from_secs(1));
        // One second of blocking work after the wake-up: the wait starts from the real now.
        let now = a + Duration::from_secs(1);
        assert_eq!(
            timeline.schedule(now, Duration::from_secs(1)),
            now + Duration::from_secs(1)
        );
        // No wait ever overflows.
        assert!(timeline.schedule(now, Duration::MAX) > now);
    }

    #[test]
    fn deadline_is_none_for_a_zero_wait() {
        assert_eq!(deadline(0.0), None);
        assert!(deadline(0.5).is_some_and(|due| due > Instant::now()));
    }

    #[test]
    fn stamped_lines_match_the_documents_layout() {
        let at = Duration::from_millis(1006);
        let plain = stamp_line(None, at, format_args!("Done."), false);
        assert_eq!(plain, "[ 1.01s] Done.");
        let labelled = stamp_line(Some("MainProcess"), at, format_args!("x={}", 1), false);
        assert_eq!(labelled, "MainProcess      [ 1.01s] x=1");
        let late = stamp_line(None, Duration::from_secs(45), format_args!("Done."), false);
        assert_eq!(late, "[45.00s] Done.");
    }

    #[test]
    fn coloured_lines_wrap_label_and_time_in_escape_codes() {
        let line = stamp_line(Some("Main"), Duration::ZERO, format_args!("hi"), true);
        assert_eq!(
            line,
            "\x1b[1mMain            \x1b[0m [\x1b[1m\x1b[32m 0.00s\x1b[0m] hi"
        );
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour_wanted(true, None));
        assert!(colour_wanted(true, Some(OsStr::new(""))));
        assert!(!colour_wanted(true, Some(OsStr::new("1"))));
        assert!(!colour_wanted(false, None));
    }

    #[test]
    fn interrupted_exits_with_130_and_other_errors_with_1() {
        let code = |result| format!("{:?}", exit_code(result));
        assert_eq!(code(Ok(())), format!("{:?}", ExitCode::SUCCESS));
        assert_eq!(
            code(Err(Interrupted.into())),
            format!("{:?}", ExitCode::from(130))
        );
        assert_eq!(
            code(Err(
                anyhow::Error::from(Interrupted).context("while waiting")
            )),
            format!("{:?}", ExitCode::from(130)),
            "context on top keeps it an interruption"
        );
        assert_eq!(
            code(Err(anyhow::anyhow!("cannot start"))),
            format!("{:?}", ExitCode::FAILURE)
        );
        assert_eq!(Interrupted.to_string(), "interrupted by Ctrl-C");
    }

    #[test]
    fn clock_is_monotonic() {
        let first = elapsed();
        std::thread::sleep(Duration::from_millis(5));
        assert!(elapsed() >= first + Duration::from_millis(5));
    }
}
