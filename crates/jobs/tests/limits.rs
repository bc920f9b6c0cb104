//! The limits each utility keeps, on every runtime and with every way `run_jobs` has of keeping
//! it: the peak concurrency is min(workers, jobs) for `run_jobs`, min(batch size, jobs) for
//! `batch_gather`, and every job for `run_async_tasks`; the results come back in input order;
//! and 100,000 jobs go through `run_jobs` with 10 workers.

mod common;

use common::*;

/// With no waiting every job yields once, so the runs are quick, and the jobs a utility lets
/// run at once are all running before any of them ends: the peak reaches the limit.
#[test]
fn run_jobs_peaks_at_min_of_workers_and_jobs_on_every_runtime_and_limit() {
    for limit in ["buffer-unordered", "semaphore", "buffered"] {
        for (jobs, workers) in [(12, 4), (12, 1), (3, 5), (12, 12), (0, 3), (40, 7)] {
            let (n, w) = (jobs.to_string(), workers.to_string());
            let args = ["run-jobs", "-n", &n, "-w", &w, "--limit", limit];
            for (runtime, transcript) in run_on_every_runtime(&args, 0.0) {
                let what = format!("{runtime} {args:?}");
                assert_kept_its_promises(&what, &transcript, jobs, workers.min(jobs));
            }
        }
    }
}

#[test]
fn batch_gather_peaks_at_min_of_batch_size_and_jobs() {
    for (jobs, batch_size) in [(12, 10), (12, 4), (12, 1), (5, 8), (12, 12), (0, 2)] {
        let (n, b) = (jobs.to_string(), batch_size.to_string());
        let args = ["batch-gather", "-n", &n, "--batch-size", &b];
        for (runtime, transcript) in run_on_every_runtime(&args, 0.0) {
            let what = format!("{runtime} {args:?}");
            assert_kept_its_promises(&what, &transcript, jobs, batch_size.min(jobs));
            let completed: Vec<usize> = parse(&transcript)
                .into_iter()
                .filter_map(|line| match line {
                    Line::Completed { done, .. } => Some(done),
                    _ => None,
                })
                .collect();
            let expected: Vec<usize> = (1..=jobs.div_ceil(batch_size))
                .map(|batch| (batch * batch_size).min(jobs))
                .collect();
            assert_eq!(completed, expected, "{what}: one line per batch");
        }
    }
}

#[test]
fn run_async_tasks_runs_every_job_at_once() {
    for jobs in [1, 12, 50] {
        let n = jobs.to_string();
        for (runtime, transcript) in run_on_every_runtime(&["run-async-tasks", "-n", &n], 0.0) {
            assert_kept_its_promises(runtime, &transcript, jobs, jobs);
        }
    }
}

/// The demo's 100,000 jobs (each yields once) through run_jobs with 10 workers: every job runs,
/// never more than 10 at once, and the 100,000 results come back in input order. (Time and
/// memory are measured by the `many_jobs` example; see the chapter.)
#[test]
fn a_hundred_thousand_jobs_go_through_ten_workers() {
    let args = ["run-jobs", "-n", "100000", "-w", "10"];
    for (runtime, transcript) in run_on_every_runtime(&args, 0.0) {
        assert_eq!(transcript.lines().count(), 200_002, "{runtime}");
        assert_kept_its_promises(runtime, &transcript, 100_000, 10);
    }
}
