//! What the `jobs` tests share: run the binary, read its lines back, check what must hold
//! on every run, and work out how long a run should take.

#![allow(dead_code)] // each test file uses its own part

pub mod python;

use std::process::{Command, Output};

/// 1 s of the program is 0.1 s here: the waits are whole seconds, so distinct wake-ups stay at
/// least 100 ms apart, which keeps their order on a loaded machine.
pub const SCALE: f64 = 0.1;

/// The default number of jobs, and each one's wait, as `random.seed(270)` and
/// `randint(1, 10)` draw them (CPython 3.11 and pyrandom alike).
pub const WAITS: [u64; 12] = [3, 6, 2, 10, 5, 1, 10, 3, 1, 8, 9, 5];

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_jobs")
}

pub fn jobs(args: &[&str]) -> Command {
    testkit::command(bin(), args)
}

pub fn run_on_every_runtime(args: &[&str], scale: f64) -> Vec<(&'static str, String)> {
    testkit::run_on_every_runtime(bin(), args, scale)
}

/// Runs `args` on every runtime at once, without checking how each ended.
pub fn outputs_on_every_runtime(args: &[&str], scale: f64) -> Vec<(&'static str, Output)> {
    let scale = scale.to_string();
    std::thread::scope(|scope| {
        let runs: Vec<_> = testkit::RUNTIMES
            .map(|runtime| {
                let mut run = jobs(args);
                run.args(["--runtime", runtime, "--time-scale", &scale]);
                (
                    runtime,
                    scope.spawn(move || run.output().expect("the binary runs")),
                )
            })
            .into_iter()
            .collect();
        runs.into_iter()
            .map(|(runtime, run)| (runtime, joined(run)))
            .collect()
    })
}

/// Runs each of `cases` on every runtime, all at once (the runs mostly wait, so running them
/// together keeps the tests short), checks that each succeeded with nothing on stderr, and
/// returns each one's stdout.
pub fn transcripts_at_once(cases: &[(&[&str], f64)]) -> Vec<Vec<(&'static str, String)>> {
    std::thread::scope(|scope| {
        let runs: Vec<_> = cases
            .iter()
            .map(|&(args, scale)| scope.spawn(move || run_on_every_runtime(args, scale)))
            .collect();
        runs.into_iter().map(joined).collect()
    })
}

/// A scoped thread's result, or its panic, passed on as it was.
fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// One line of a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Line {
    Started {
        n: usize,
        running: usize,
        secs: u64,
    },
    Done {
        n: usize,
    },
    Completed {
        done: usize,
        total: usize,
    },
    Results(Vec<u64>),
    Summary {
        jobs: usize,
        elapsed: f64,
        peak: usize,
    },
}

pub fn parse(transcript: &str) -> Vec<Line> {
    transcript.lines().map(parse_line).collect()
}

fn number<T: std::str::FromStr>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|_| panic!("a number: {text:?}"))
}

fn parse_line(line: &str) -> Line {
    let words: Vec<&str> = line.split(' ').collect();
    match words.as_slice() {
        [
            "job",
            n,
            "started",
            running,
            "running),",
            "waits",
            secs,
            "s",
        ] => Line::Started {
            n: number(n),
            running: number(running.trim_start_matches('(')),
            secs: number(secs),
        },
        ["job", n, "done"] => Line::Done { n: number(n) },
        ["Completed", done, "out", "of", total, "tasks"] => Line::Completed {
            done: number(done),
            total: number(total),
        },
        ["results:", ..] => {
            let list = line["results: ".len()..]
                .trim_start_matches('[')
                .trim_end_matches(']');
            Line::Results(if list.is_empty() {
                Vec::new()
            } else {
                list.split(", ").map(number).collect()
            })
        }
        [
            jobs,
            "jobs",
            "in",
            elapsed,
            "seconds,",
            "peak",
            "concurrency",
            peak,
        ] => Line::Summary {
            jobs: number(jobs),
            elapsed: number(elapsed),
            peak: number(peak),
        },
        _ => panic!("an unexpected line: {line:?}"),
    }
}

/// The lines a run printed, stripped of what it measured, to compare with CPython's.
pub fn masked(transcript: &str) -> String {
    testkit::mask_decimals(transcript).0
}

/// What a run must show whatever the runtime and the order its jobs ran in: every job started
/// once and ended once; the number each job says is running is the number the lines before it
/// show; the most ever running is the peak printed, and is `peak`; the results are the jobs'
/// waits in input order. Returns the waits, by job, and the measured time.
pub fn assert_kept_its_promises(
    what: &str,
    transcript: &str,
    jobs: usize,
    peak: usize,
) -> (Vec<u64>, f64) {
    let lines = parse(transcript);
    let mut waits = vec![None; jobs];
    let mut done = vec![false; jobs];
    let (mut running, mut most) = (0, 0);
    let mut finished = 0;
    for line in &lines {
        match *line {
            Line::Started {
                n,
                running: said,
                secs,
            } => {
                assert!(
                    waits[n].replace(secs).is_none(),
                    "{what}: job {n} started twice"
                );
                running += 1;
                most = most.max(running);
                assert_eq!(said, running, "{what}: job {n} miscounted:\n{transcript}");
            }
            Line::Done { n } => {
                assert!(
                    waits[n].is_some(),
                    "{what}: job {n} ended before it started"
                );
                assert!(
                    !std::mem::replace(&mut done[n], true),
                    "{what}: job {n} ended twice"
                );
                running -= 1;
                finished += 1;
            }
            Line::Completed { done, total } => {
                assert_eq!((done, total), (finished, jobs), "{what}: {line:?}");
            }
            Line::Results(_) | Line::Summary { .. } => {}
        }
    }
    let waits: Vec<u64> = waits
        .into_iter()
        .map(|secs| secs.unwrap_or_else(|| panic!("{what}: a job never started")))
        .collect();
    let seeded = jobs.min(WAITS.len());
    assert_eq!(waits[..seeded], WAITS[..seeded], "{what}: the seeded waits");
    let tail = &lines[lines.len() - 2..];
    let Line::Results(results) = &tail[0] else {
        panic!("{what}: no results line:\n{transcript}")
    };
    assert_eq!(results, &waits, "{what}: results in input order");
    let Line::Summary {
        jobs: said,
        elapsed,
        peak: printed,
    } = tail[1]
    else {
        panic!("{what}: no summary line:\n{transcript}")
    };
    assert_eq!(said, jobs, "{what}");
    assert_eq!(
        most, printed,
        "{what}: the peak printed is the peak the lines show"
    );
    assert_eq!(printed, peak, "{what}: peak concurrency");
    (waits, elapsed)
}

/// How long `jobs` take, in the program's seconds, when a job starts as soon as one of `workers`
/// slots is free, in input order (asyncio's semaphore, tokio's, `buffer_unordered`).
pub fn ideal_first_free(waits: &[u64], workers: usize) -> f64 {
    let mut slots = vec![0; workers.min(waits.len())];
    for &secs in waits {
        if let Some(earliest) = slots.iter_mut().min() {
            *earliest += secs;
        }
    }
    slots.into_iter().max().unwrap_or(0) as f64
}

/// The same with `buffered(workers)`: job i starts only when jobs 0 to i - workers have all
/// ended, since a result keeps its place until the ones before it are handed out.
pub fn ideal_buffered(waits: &[u64], workers: usize) -> f64 {
    let mut ends: Vec<u64> = Vec::with_capacity(waits.len());
    for (i, &secs) in waits.iter().enumerate() {
        let start = match (i + 1).checked_sub(workers) {
            Some(ahead) => ends[..ahead].iter().copied().max().unwrap_or(0),
            None => 0,
        };
        ends.push(start + secs);
    }
    ends.into_iter().max().unwrap_or(0) as f64
}

/// Batches of `size`, one after the other, each as long as its longest job.
pub fn ideal_batches(waits: &[u64], size: usize) -> f64 {
    waits
        .chunks(size)
        .map(|batch| batch.iter().copied().max().unwrap_or(0))
        .sum::<u64>() as f64
}

/// A measured time is over the ideal only by scheduling noise, and under it only by the
/// program timeline's slack (see `timing::deadline`).
pub fn assert_near_ideal(what: &str, measured: f64, ideal_program_secs: f64, scale: f64) {
    let ideal = ideal_program_secs * scale;
    let slack = timing::TIMELINE_SLACK.as_secs_f64() + 0.01;
    assert!(
        measured >= ideal - slack && measured <= ideal * 1.2 + 0.15,
        "{what}: took {measured:.2} s, ideal {ideal:.2} s"
    );
}
