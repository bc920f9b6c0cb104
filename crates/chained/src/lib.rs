//! The three ports of Real Python's `chained.py`, as a library: the `chained` binary
//! (`src/main.rs`) picks one with `--runtime`, and the benchmark (`crates/bench`) runs each
//! port's `run` as it is, to measure what a chain costs.

pub mod on_async_std;
pub mod on_smol;
pub mod on_tokio;
