//! `io_non_concurrent.py`, the synchronous version: one session, one request after another.
//! `cargo run -p download -- --mode sync`. No runtime: ureq's calls block the thread until
//! the answer is in.

// ANCHOR: port
use std::time::{Duration, Instant};

use crate::{Outcome, Summary, blocking_session};

pub fn main(sites: &[String], timeout: Duration) -> Summary {
    let start_time = Instant::now();
    let outcomes = download_all_sites(sites, timeout);
    let duration = start_time.elapsed();
    let summary = Summary::new(sites, outcomes, duration);
    println!("{summary}");
    summary
}

fn download_all_sites(sites: &[String], timeout: Duration) -> Vec<Outcome> {
    // with requests.Session() as session: one agent, whose pool keeps the connection open
    // from one request to the next.
    let session = blocking_session(timeout);
    sites
        .iter()
        .map(|url| download_site(url, &session))
        .collect()
}

fn download_site(url: &str, session: &ureq::Agent) -> Outcome {
    let content = session.get(url).call()?.body_mut().read_to_vec()?;
    println!("Read {} bytes from {url}", content.len());
    Ok(content.len())
}
// ANCHOR_END: port
