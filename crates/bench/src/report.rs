//! The tables (Markdown, printed and written for the book) and the targets they are held to.

use std::fmt::Write as _;

use crate::harness::{Outcome, Row, Table};
use crate::plan::{Loop, Runner, Section};
use crate::workloads::{DownloadMode, Workload};

/// A measured row's statistics over its runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// Median of the runs' peak memory per unit (task, item, chain), in bytes.
    pub bytes_per_unit: Option<f64>,
}

impl Row {
    pub fn stats(&self, units: u64) -> Option<Stats> {
        let Outcome::Measured(samples) = &self.outcome else {
            return None;
        };
        let secs: Vec<f64> = samples.iter().map(|s| s.secs).collect();
        let bytes: Vec<f64> = samples.iter().filter_map(|s| s.bytes_per(units)).collect();
        Some(Stats {
            median: median(&secs)?,
            min: secs.iter().copied().fold(f64::INFINITY, f64::min),
            max: secs.iter().copied().fold(0.0, f64::max),
            bytes_per_unit: median(&bytes),
        })
    }
}

/// The median (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

impl Table {
    fn units(&self) -> u64 {
        self.variant.units
    }

    pub fn stats_of(&self, label: &str) -> Option<Stats> {
        self.rows
            .iter()
            .find(|row| row.contender.label == label)
            .and_then(|row| row.stats(self.units()))
    }

    /// Python asyncio's row, the reference every other row is compared with.
    pub fn asyncio(&self) -> Option<Stats> {
        self.rows
            .iter()
            .find(|row| row.contender.runner == Runner::Python(Loop::Asyncio))
            .and_then(|row| row.stats(self.units()))
    }

    /// Is this the async version's download table (the one every runtime runs)?
    pub fn is_async_download(&self) -> bool {
        matches!(
            self.variant.workload,
            Some(Workload::Download {
                mode: DownloadMode::Async,
                ..
            })
        )
    }

    pub fn fastest(&self) -> Option<f64> {
        self.rows
            .iter()
            .filter_map(|row| row.stats(self.units()))
            .map(|stats| stats.median)
            .min_by(f64::total_cmp)
    }

    /// Each measured Rust row with its statistics.
    pub fn rust_rows(&self) -> impl Iterator<Item = (&Row, Stats)> {
        self.rows
            .iter()
            .filter(|row| row.contender.is_rust())
            .filter_map(|row| Some((row, row.stats(self.units())?)))
    }

    /// A port's time over its bare twin's.
    pub fn over_bare(&self, row: &Row) -> Option<f64> {
        let port = row.stats(self.units())?;
        let bare = self.stats_of(row.contender.bare.as_deref()?)?;
        Some(port.median / bare.median)
    }

    /// The table in Markdown, under a heading.
    pub fn markdown(&self) -> String {
        let variant = &self.variant;
        let mut out = format!("### {}. {}\n\n", variant.section.number(), variant.title);
        if let Some(why) = &variant.pending {
            let _ = writeln!(out, "*{why}.*\n");
            return out;
        }
        let memory = variant.section == Section::Spawn;
        let ideal = variant.ideal;
        let ports = variant.contenders.iter().any(|c| c.bare.is_some());

        let mut header = vec![
            "".to_owned(),
            "median".to_owned(),
            "min – max".to_owned(),
            "× the fastest".to_owned(),
            match variant.section {
                // The Python row of a download table is the document's program for that version.
                Section::Download => "× faster than Python".to_owned(),
                _ => "× faster than asyncio".to_owned(),
            },
            format!("{}/s", variant.unit),
        ];
        if memory {
            header.push(format!("bytes per {}", variant.unit.trim_end_matches('s')));
        }
        if let Some(ideal) = ideal {
            header.push(format!("× the ideal {}", seconds(ideal)));
        }
        if ports {
            header.push("× bare".to_owned());
        }
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(header.len()));

        let fastest = self.fastest();
        let asyncio = self.asyncio();
        for row in &self.rows {
            let mut cells = vec![row.contender.label.clone()];
            match (&row.outcome, row.stats(self.units())) {
                (Outcome::Skipped(why), _) => cells.push(why.clone()),
                (Outcome::Failed(why), _) => cells.push(format!("**failed**: {why}")),
                (Outcome::Measured(_), None) => cells.push("no run".to_owned()),
                (Outcome::Measured(_), Some(stats)) => {
                    cells.push(seconds(stats.median));
                    cells.push(format!("{} – {}", seconds(stats.min), seconds(stats.max)));
                    cells.push(ratio(fastest.map(|f| stats.median / f)));
                    cells.push(ratio(asyncio.map(|a| a.median / stats.median)));
                    cells.push(rate(self.units() as f64 / stats.median));
                    if memory {
                        cells.push(
                            stats
                                .bytes_per_unit
                                .map_or("–".into(), |b| format!("{b:.0}")),
                        );
                    }
                    if let Some(ideal) = ideal {
                        cells.push(ratio(Some(stats.median / ideal)));
                    }
                    if ports {
                        cells.push(match row.contender.bare {
                            Some(_) => ratio(self.over_bare(row)),
                            None => String::new(),
                        });
                    }
                }
            }
            cells.resize(header.len(), String::new());
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
        out
    }
}

/// A duration with three significant digits, in the unit that reads best.
pub fn seconds(secs: f64) -> String {
    if secs < 1e-3 {
        format!("{} µs", significant(secs * 1e6))
    } else if secs < 1.0 {
        format!("{} ms", significant(secs * 1e3))
    } else {
        format!("{} s", significant(secs))
    }
}

fn ratio(value: Option<f64>) -> String {
    value.map_or("–".to_owned(), |v| format!("{}×", significant(v)))
}

fn rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{} M", significant(per_second / 1e6))
    } else if per_second >= 1e3 {
        format!("{} k", significant(per_second / 1e3))
    } else {
        significant(per_second)
    }
}

/// Three significant digits (no exponent): 1.23, 12.3, 123, 1234.
fn significant(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// One of the targets and what this run measured for it.
pub struct Target {
    pub goal: String,
    pub measured: String,
    /// `None` when nothing was measured for it.
    pub met: Option<bool>,
}

/// The targets, judged on this run's medians.
pub fn targets(tables: &[Table]) -> Vec<Target> {
    let of = |section: Section| tables.iter().filter(move |t| t.variant.section == section);
    let mut targets = Vec::new();

    for (section, name) in [(Section::Spawn, "spawn"), (Section::Queue, "the queue")] {
        // Speed-up over asyncio of each Rust row, with where it was measured.
        let speedups: Vec<(f64, String)> = of(section)
            .flat_map(|table| {
                let asyncio = table.asyncio();
                table.rust_rows().filter_map(move |(row, stats)| {
                    let speedup = asyncio?.median / stats.median;
                    Some((
                        speedup,
                        format!("{}, {}", row.contender.label, table.variant.title),
                    ))
                })
            })
            .collect();
        let worst = speedups.iter().min_by(|a, b| a.0.total_cmp(&b.0));
        targets.push(judge(
            format!("every Rust runtime at least 10× Python asyncio on {name}"),
            worst.map(|(x, at)| (*x >= 10.0, format!("slowest: {} ({at})", ratio(Some(*x))))),
        ));
        // The best runtime of each table, and the table where the best is weakest.
        let weakest_best = of(section)
            .filter_map(|table| {
                let asyncio = table.asyncio()?;
                let (row, stats) = table
                    .rust_rows()
                    .min_by(|a, b| a.1.median.total_cmp(&b.1.median))?;
                Some((
                    asyncio.median / stats.median,
                    format!("{}, {}", row.contender.label, table.variant.title),
                ))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        targets.push(judge(
            format!("the best runtime at least 30× Python asyncio on {name}"),
            weakest_best
                .map(|(x, at)| (x >= 30.0, format!("lowest best: {} ({at})", ratio(Some(x))))),
        ));
    }

    let memory = of(Section::Spawn)
        .flat_map(|table| {
            let python = table.asyncio().and_then(|a| a.bytes_per_unit);
            table.rust_rows().filter_map(move |(row, stats)| {
                let share = stats.bytes_per_unit? / python?;
                Some((
                    share,
                    format!("{}, {}", row.contender.label, table.variant.title),
                ))
            })
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    targets.push(judge(
        "per-task memory at most half of Python's on every runtime".to_owned(),
        memory.map(|(share, at)| {
            (
                share <= 0.5,
                format!("largest: {:.0}% of Python's ({at})", share * 100.0),
            )
        }),
    ));

    // Each Rust row's time over its table's ideal, where it has one, the worst of them.
    let over_ideal = |tables: Vec<&Table>| {
        tables
            .into_iter()
            .flat_map(|table| {
                let ideal = table.variant.ideal;
                table.rust_rows().filter_map(move |(row, stats)| {
                    Some((stats.median / ideal?, row.contender.label.clone()))
                })
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(x, at)| (x <= 1.3, format!("slowest: {} ({at})", ratio(Some(x)))))
    };
    targets.push(judge(
        "sleepers within 1.3× of the ideal on every runtime".to_owned(),
        over_ideal(of(Section::Sleepers).collect()),
    ));

    for (section, example) in [(Section::Jobs, "jobs"), (Section::Chained, "chained")] {
        let worst = of(section)
            .flat_map(|table| {
                table
                    .rows
                    .iter()
                    .filter_map(|row| Some((table.over_bare(row)?, row.contender.label.clone())))
                    .collect::<Vec<_>>()
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        targets.push(judge(
            format!("the `{example}` ports within 1.2× of the same work written bare"),
            worst.map(|(x, at)| (x <= 1.2, format!("largest: {} ({at})", ratio(Some(x))))),
        ));
    }

    targets.push(judge(
        "`download` (async): within 1.3× of the ideal floor on every runtime".to_owned(),
        over_ideal(
            of(Section::Download)
                .filter(|t| t.is_async_download())
                .collect(),
        ),
    ));
    targets
}

fn judge(goal: String, outcome: Option<(bool, String)>) -> Target {
    match outcome {
        Some((met, measured)) => Target {
            goal,
            measured,
            met: Some(met),
        },
        None => Target {
            goal,
            measured: "not measured".to_owned(),
            met: None,
        },
    }
}

/// The targets as a Markdown table.
pub fn targets_markdown(targets: &[Target]) -> String {
    let mut out = "| target | measured | |\n|---|---|---|\n".to_owned();
    for target in targets {
        let verdict = match target.met {
            Some(true) => "met",
            Some(false) => "**not met**",
            None => "–",
        };
        let _ = writeln!(out, "| {} | {} | {verdict} |", target.goal, target.measured);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn durations_read_in_their_unit() {
        assert_eq!(seconds(0.000_012_34), "12.3 µs");
        assert_eq!(seconds(0.1234), "123 ms");
        assert_eq!(seconds(2.0), "2.00 s");
        assert_eq!(rate(2_500_000.0), "2.50 M");
        assert_eq!(ratio(Some(31.46)), "31.5×");
    }
}
