//! The benchmark's smoke test: `bench --quick` (small sizes, one run per row) runs every
//! workload on every runtime and on Python asyncio, and every row comes out measured. It checks
//! that everything runs, not how fast: a debug build's numbers mean nothing, and this test
//! runs in a debug build in a few seconds.

use std::process::Command;

/// The labels of the rows that must be measured in every table of workloads 1 to 3.
const RUNTIMES: [&str; 6] = [
    "tokio, multi-thread",
    "tokio, current-thread",
    "async-std",
    "smol, LocalExecutor",
    "smol, StaticLocalExecutor",
    "smol, Executor on",
];

/// The rows of the queue table that compares channels: tokio in both flavours with each.
fn channels() -> Vec<String> {
    ["current-thread", "multi-thread"]
        .iter()
        .flat_map(|flavour| {
            ["async-channel", "flume", "kanal"]
                .map(|channel| format!("tokio, {flavour}, {channel}"))
        })
        .collect()
}

/// The rows of workloads 4 and 5: each runtime's port of the example and its bare twin.
fn ports(example: &str) -> Vec<String> {
    ["tokio", "async-std", "smol"]
        .iter()
        .flat_map(|runtime| {
            [
                format!("{runtime}: `{example}` port"),
                format!("{runtime}: bare"),
            ]
        })
        .collect()
}

/// The tables of a report, by heading: each heading with the lines under it.
fn tables(report: &str) -> Vec<(&str, Vec<&str>)> {
    let mut tables: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in report.lines() {
        if let Some(heading) = line.strip_prefix("### ") {
            tables.push((heading, Vec::new()));
        } else if let Some((_, lines)) = tables.last_mut() {
            lines.push(line);
        }
    }
    tables
}

/// The row of a table that starts with `label`, split into its cells.
fn row<'a>(lines: &[&'a str], label: &str) -> Option<Vec<&'a str>> {
    let line = lines
        .iter()
        .find(|line| line.starts_with(&format!("| {label}")))?;
    Some(line.trim_matches('|').split(" | ").map(str::trim).collect())
}

/// A measured row has a median (a duration) in its second cell.
fn assert_measured(heading: &str, lines: &[&str], label: &str) {
    let cells = row(lines, label).unwrap_or_else(|| panic!("{heading}: no row {label}"));
    let median = cells[1];
    assert!(
        median.ends_with(" s") || median.ends_with(" ms") || median.ends_with(" µs"),
        "{heading}: {label} was not measured: {cells:?}"
    );
}

/// A download table: the example's version on each runtime (async) or once (the others), and
/// the document's Python program when requests and aiohttp are installed.
fn assert_download(heading: &str, lines: &[&str], python: bool, uvloop: bool) {
    let rust: &[&str] = if heading.contains("async") {
        &[
            "tokio: `download` port",
            "async-std: `download` port",
            "smol: `download` port",
        ]
    } else {
        &["Rust: `download` port"]
    };
    for label in rust {
        assert_measured(heading, lines, label);
    }
    if python {
        assert_measured(heading, lines, "Python");
    }
    if uvloop && heading.contains("async") {
        assert_measured(heading, lines, "Python uvloop");
    }
}

/// Does `python3 ARGS` run and succeed?
fn succeeds(args: &[&str]) -> bool {
    Command::new("python3")
        .args(args)
        .output()
        .is_ok_and(|output| output.status.success())
}

#[test]
fn a_quick_run_measures_every_workload_on_every_runtime() {
    let out = std::env::temp_dir().join(format!("bench-quick-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_bench"))
        .arg("--quick")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let python = succeeds(&["--version"]);
    let uvloop = succeeds(&["-c", "import uvloop"]);
    let http = succeeds(&["-c", "import requests, aiohttp"]);

    let tables = tables(&stdout);
    let headings: Vec<&str> = tables.iter().map(|(heading, _)| *heading).collect();
    for number in 1..=6 {
        assert!(
            headings
                .iter()
                .any(|h| h.starts_with(&format!("{number}. "))),
            "no table for workload {number}: {headings:?}"
        );
    }
    for (heading, lines) in &tables {
        if heading.starts_with("6. ") {
            assert_download(heading, lines, python && http, uvloop && http);
            continue;
        }
        let by_channel = heading.contains("through three channels");
        let labels: Vec<String> = match heading.split_once(". ").map(|(n, _)| n) {
            Some("3") if by_channel => channels(),
            Some("1" | "2" | "3") => RUNTIMES.map(str::to_owned).to_vec(),
            Some("4") => ports("jobs"),
            Some("5") => ports("chained"),
            _ => panic!("a table of no workload: {heading}"),
        };
        for label in &labels {
            assert_measured(heading, lines, label);
        }
        if heading.contains("1→1") {
            assert_measured(heading, lines, "tokio, current-thread, tokio's mpsc");
        }
        if python && !labels.is_empty() {
            assert_measured(heading, lines, "Python asyncio");
        }
        if uvloop && !by_channel {
            assert_measured(heading, lines, "Python uvloop");
        }
    }

    let page = std::fs::read_to_string(out.join("results.md")).unwrap();
    assert_eq!(
        tables.len(),
        self::tables(&page).len() - 1,
        "the page has every table, and the targets"
    );
    let chart = std::fs::read_to_string(out.join("chart.svg")).unwrap();
    assert!(chart.starts_with("<svg") && chart.contains("smol"));
    std::fs::remove_dir_all(&out).unwrap();
}
