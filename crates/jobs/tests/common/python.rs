//! CPython 3.11's output for our Python twin of the demo, the goldens the ports must print.
//!
//! What was run: `jobs.py`, which the chapter shows: seed 002's five llama-index utilities as
//! the seed quotes them (`asyncio_run`, `run_async_tasks`, `chunks`, `batch_gather`, `run_jobs`,
//! with llama-index's `DEFAULT_NUM_WORKERS = 4`), and a `main` that draws the waits with
//! `random.seed(270)` and `random.randint(1, 10)` and runs the jobs through one utility. Every
//! `asyncio.sleep` was scaled by TIME_SCALE (0.1, or 0 where a golden says so) by a monkeypatch.
//! Each run was made three times with the same lines; measured durations are masked as `X`.
//! Where a port prints something else, the test that uses the golden says what and why.

/// `jobs.py run-async-tasks`: all twelve jobs at once.
pub const PYTHON_RUN_ASYNC_TASKS: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 4 started (5 running), waits 5 s
job 5 started (6 running), waits 1 s
job 6 started (7 running), waits 10 s
job 7 started (8 running), waits 3 s
job 8 started (9 running), waits 1 s
job 9 started (10 running), waits 8 s
job 10 started (11 running), waits 9 s
job 11 started (12 running), waits 5 s
job 5 done
job 8 done
job 2 done
job 0 done
job 7 done
job 4 done
job 11 done
job 1 done
job 9 done
job 10 done
job 3 done
job 6 done
results: [3, 6, 2, 10, 5, 1, 10, 3, 1, 8, 9, 5]
12 jobs in X seconds, peak concurrency 12
";

/// `jobs.py batch-gather`: batches of 10 (llama-index's default), so 10 and then 2.
pub const PYTHON_BATCH_GATHER: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 4 started (5 running), waits 5 s
job 5 started (6 running), waits 1 s
job 6 started (7 running), waits 10 s
job 7 started (8 running), waits 3 s
job 8 started (9 running), waits 1 s
job 9 started (10 running), waits 8 s
job 5 done
job 8 done
job 2 done
job 0 done
job 7 done
job 4 done
job 1 done
job 9 done
job 3 done
job 6 done
Completed 10 out of 12 tasks
job 10 started (1 running), waits 9 s
job 11 started (2 running), waits 5 s
job 11 done
job 10 done
Completed 12 out of 12 tasks
results: [3, 6, 2, 10, 5, 1, 10, 3, 1, 8, 9, 5]
12 jobs in X seconds, peak concurrency 10
";

/// `jobs.py batch-gather -n 6 --batch-size 4`: a batch of 4, then the short one of 2.
pub const PYTHON_BATCH_GATHER_6_BY_4: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 2 done
job 0 done
job 1 done
job 3 done
Completed 4 out of 6 tasks
job 4 started (1 running), waits 5 s
job 5 started (2 running), waits 1 s
job 5 done
job 4 done
Completed 6 out of 6 tasks
results: [3, 6, 2, 10, 5, 1]
6 jobs in X seconds, peak concurrency 4
";

/// `jobs.py run-jobs`: at most 4 at once (llama-index's default).
pub const PYTHON_RUN_JOBS: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 2 done
job 4 started (4 running), waits 5 s
job 0 done
job 5 started (4 running), waits 1 s
job 5 done
job 6 started (4 running), waits 10 s
job 1 done
job 7 started (4 running), waits 3 s
job 4 done
job 8 started (4 running), waits 1 s
job 8 done
job 9 started (4 running), waits 8 s
job 7 done
job 10 started (4 running), waits 9 s
job 3 done
job 11 started (4 running), waits 5 s
job 6 done
job 11 done
job 9 done
job 10 done
results: [3, 6, 2, 10, 5, 1, 10, 3, 1, 8, 9, 5]
12 jobs in X seconds, peak concurrency 4
";

/// `jobs.py run-jobs -n 3 --workers 5`: more workers than jobs.
pub const PYTHON_RUN_JOBS_3_BY_5: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 2 done
job 0 done
job 1 done
results: [3, 6, 2]
3 jobs in X seconds, peak concurrency 3
";

/// `jobs.py run-jobs -n 3 --workers 1`: one at a time.
pub const PYTHON_RUN_JOBS_3_BY_1: &str = "\
job 0 started (1 running), waits 3 s
job 0 done
job 1 started (1 running), waits 6 s
job 1 done
job 2 started (1 running), waits 2 s
job 2 done
results: [3, 6, 2]
3 jobs in X seconds, peak concurrency 1
";

/// `jobs.py run-jobs -n 0`: nothing to run.
pub const PYTHON_RUN_JOBS_NONE: &str = "\
results: []
0 jobs in X seconds, peak concurrency 0
";

/// `jobs.py run-async-tasks --fail 2`, stdout (exit code 1).
pub const PYTHON_RUN_ASYNC_TASKS_FAIL_2: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 4 started (5 running), waits 5 s
job 5 started (6 running), waits 1 s
job 6 started (7 running), waits 10 s
job 7 started (8 running), waits 3 s
job 8 started (9 running), waits 1 s
job 9 started (10 running), waits 8 s
job 10 started (11 running), waits 9 s
job 11 started (12 running), waits 5 s
job 5 done
job 8 done
";

/// `jobs.py batch-gather -n 6 --batch-size 4 --fail 5`, stdout (exit code 1).
pub const PYTHON_BATCH_GATHER_FAIL_5: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 2 done
job 0 done
job 1 done
job 3 done
Completed 4 out of 6 tasks
job 4 started (1 running), waits 5 s
job 5 started (2 running), waits 1 s
";

/// `jobs.py run-jobs --fail 2`, stdout (exit code 1).
pub const PYTHON_RUN_JOBS_FAIL_2: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 4 started (4 running), waits 5 s
";

/// `jobs.py run-async-tasks` with TIME_SCALE=0.
pub const PYTHON_RUN_ASYNC_TASKS_NO_WAITING: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 4 started (5 running), waits 5 s
job 5 started (6 running), waits 1 s
job 6 started (7 running), waits 10 s
job 7 started (8 running), waits 3 s
job 8 started (9 running), waits 1 s
job 9 started (10 running), waits 8 s
job 10 started (11 running), waits 9 s
job 11 started (12 running), waits 5 s
job 0 done
job 1 done
job 2 done
job 3 done
job 4 done
job 5 done
job 6 done
job 7 done
job 8 done
job 9 done
job 10 done
job 11 done
results: [3, 6, 2, 10, 5, 1, 10, 3, 1, 8, 9, 5]
12 jobs in X seconds, peak concurrency 12
";

/// `jobs.py batch-gather -n 6 --batch-size 4` with TIME_SCALE=0.
pub const PYTHON_BATCH_GATHER_6_BY_4_NO_WAITING: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 0 done
job 1 done
job 2 done
job 3 done
Completed 4 out of 6 tasks
job 4 started (1 running), waits 5 s
job 5 started (2 running), waits 1 s
job 4 done
job 5 done
Completed 6 out of 6 tasks
results: [3, 6, 2, 10, 5, 1]
6 jobs in X seconds, peak concurrency 4
";

/// `jobs.py run-jobs` with TIME_SCALE=0: the jobs end in waves of four.
pub const PYTHON_RUN_JOBS_NO_WAITING: &str = "\
job 0 started (1 running), waits 3 s
job 1 started (2 running), waits 6 s
job 2 started (3 running), waits 2 s
job 3 started (4 running), waits 10 s
job 0 done
job 1 done
job 2 done
job 3 done
job 4 started (1 running), waits 5 s
job 5 started (2 running), waits 1 s
job 6 started (3 running), waits 10 s
job 7 started (4 running), waits 3 s
job 4 done
job 5 done
job 6 done
job 7 done
job 8 started (1 running), waits 1 s
job 9 started (2 running), waits 8 s
job 10 started (3 running), waits 9 s
job 11 started (4 running), waits 5 s
job 8 done
job 9 done
job 10 done
job 11 done
results: [3, 6, 2, 10, 5, 1, 10, 3, 1, 8, 9, 5]
12 jobs in X seconds, peak concurrency 4
";
