//! What `--mode all` prints after the four runs: the document's time for each version next to
//! this run's, and this run's as a bar chart, in plain text.

use std::fmt::Write;
use std::time::Duration;

use crate::{Mode, Summary};

/// The document's name for a version, and the time it printed for it (160 real sites).
pub fn document(mode: Mode) -> (&'static str, f64) {
    match mode {
        Mode::Sync => ("Synchronous", 14.289619207382202),
        Mode::Threads => ("Multi-threaded", 3.190047219999542),
        Mode::Async => ("Asynchronous", 0.49083488899850636),
        Mode::Processes => ("Process-based", 3.428215079999063),
    }
}

/// Characters of the longest bar.
const BAR_WIDTH: usize = 40;

/// The table and the chart for the runs, in the order given.
pub fn render(runs: &[(Mode, &Summary)]) -> String {
    let sync = runs
        .iter()
        .find(|(mode, _)| *mode == Mode::Sync)
        .map(|(_, summary)| summary.duration.as_secs_f64());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<15} {:>12} {:>10} {:>14}",
        "Version", "The document", "This run", "Faster by"
    );
    for (mode, summary) in runs {
        let (name, document) = document(*mode);
        let seconds = summary.duration.as_secs_f64();
        let faster = match sync {
            Some(sync) if seconds > 0.0 => format!("{:.1}×", sync / seconds),
            _ => "-".into(),
        };
        let _ = write!(
            out,
            "{name:<15} {:>12} {:>10} {faster:>14}",
            format!("{} s", decimals(document)),
            format!("{} s", decimals(seconds)),
        );
        match summary.failures.len() {
            0 => out.push('\n'),
            failed => {
                let _ = writeln!(out, "  ({failed} of {} failed)", summary.sites);
            }
        }
    }
    let longest = runs
        .iter()
        .map(|(_, summary)| summary.duration)
        .max()
        .unwrap_or_default();
    let _ = writeln!(out, "\nThis run, in seconds:");
    for (mode, summary) in runs {
        let (name, _) = document(*mode);
        let _ = writeln!(
            out,
            "{name:<15} {} {}",
            bar(summary.duration, longest),
            decimals(summary.duration.as_secs_f64())
        );
    }
    out
}

/// Seconds with two decimals, or three below one second.
fn decimals(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{seconds:.3}")
    } else {
        format!("{seconds:.2}")
    }
}

/// A bar `BAR_WIDTH` characters long for `longest`, in eighths of a character, padded with
/// spaces so the numbers after the bars line up. A non-zero time gets at least an eighth.
fn bar(duration: Duration, longest: Duration) -> String {
    const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let total = BAR_WIDTH * 8;
    let eighths = if longest.is_zero() {
        0
    } else {
        let share = duration.as_secs_f64() / longest.as_secs_f64();
        let eighths = (share * total as f64).round() as usize;
        eighths.clamp(usize::from(!duration.is_zero()), total)
    };
    let mut bar = "█".repeat(eighths / 8);
    if eighths % 8 != 0 {
        bar.push(EIGHTHS[eighths % 8 - 1]);
    }
    let cells = bar.chars().count();
    bar.push_str(&" ".repeat(BAR_WIDTH - cells));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(millis: u64, failed: usize) -> Summary {
        Summary {
            sites: 160,
            bytes: 0,
            failures: (0..failed)
                .map(|i| crate::Failure {
                    url: i.to_string(),
                    error: "HTTP status 500".into(),
                })
                .collect(),
            duration: Duration::from_millis(millis),
        }
    }

    #[test]
    fn bars_scale_to_the_longest_and_keep_a_sliver_for_short_runs() {
        let longest = Duration::from_secs(8);
        assert_eq!(bar(longest, longest), "█".repeat(40));
        assert_eq!(
            bar(Duration::from_secs(4), longest).trim_end(),
            "█".repeat(20)
        );
        assert_eq!(bar(Duration::from_millis(1), longest).trim_end(), "▏");
        assert_eq!(bar(Duration::ZERO, longest).trim_end(), "");
        assert_eq!(bar(Duration::from_millis(8100), longest), "█".repeat(40));
        // 1.7 s of 8 s is 68 eighths: 8 full characters and a half.
        assert_eq!(
            bar(Duration::from_millis(1700), longest).trim_end(),
            "████████▌"
        );
        assert_eq!(bar(Duration::ZERO, Duration::ZERO), " ".repeat(40));
    }

    #[test]
    fn the_table_puts_the_document_next_to_this_run() {
        let runs = [
            summary(8000, 0),
            summary(1600, 0),
            summary(50, 0),
            summary(4000, 2),
        ];
        let table: Vec<(Mode, &Summary)> = Mode::ALL.into_iter().zip(&runs).collect();
        let text = render(&table);
        let expected = "\
Version         The document   This run      Faster by
Synchronous          14.29 s     8.00 s           1.0×
Multi-threaded        3.19 s     1.60 s           5.0×
Asynchronous         0.491 s    0.050 s         160.0×
Process-based         3.43 s     4.00 s           2.0×  (2 of 160 failed)

This run, in seconds:
Synchronous     ████████████████████████████████████████ 8.00
Multi-threaded  ████████                                 1.60
Asynchronous    ▎                                        0.050
Process-based   ████████████████████                     4.00
";
        assert_eq!(text, expected);
    }
}
