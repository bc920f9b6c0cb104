//! `io_asyncio.py` on tokio, with reqwest in aiohttp's place: `cargo run -p download --
//! --mode async` (tokio is the default runtime). Also seed 001's `fetch_page`
//! (`cargo run -p download -- fetch-page`) and seed 004's `request_resource`
//! (`cargo run -p download -- request-resource`).

// ANCHOR: port
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::{Outcome, Summary};

pub fn main(sites: &[String], timeout: Duration) -> anyhow::Result<Summary> {
    // asyncio.run(main()): the runtime runs main to completion on this thread.
    let summary = runtime()?.block_on(async {
        let start_time = Instant::now();
        let outcomes = download_all_sites(sites, timeout).await?;
        let duration = start_time.elapsed();
        anyhow::Ok(Summary::new(sites, outcomes, duration))
    })?;
    println!("{summary}");
    Ok(summary)
}

async fn download_all_sites(sites: &[String], timeout: Duration) -> anyhow::Result<Vec<Outcome>> {
    // async with aiohttp.ClientSession() as session: one client for every download. Its pool
    // opens as many connections as there are requests in flight: here, one per site.
    let session = new_session(timeout)?;
    let tasks = sites.iter().map(|url| download_site(url, &session));
    // asyncio.gather(*tasks, return_exceptions=True): join_all polls every download from this
    // one task, a download runs whenever its socket is ready, and the outcomes come back in
    // list order, failures among them, as gather's list does.
    Ok(futures::future::join_all(tasks).await)
}

async fn download_site(url: &str, session: &reqwest::Client) -> Outcome {
    // Each await hands the thread to the other downloads until this one's bytes arrive.
    let response = session.get(url).send().await?.error_for_status()?;
    let content = response.bytes().await?;
    println!("Read {} bytes from {url}", content.len());
    Ok(content.len())
}

/// asyncio's loop: one thread runs every download (tokio's current-thread runtime), with the
/// I/O driver that reqwest needs as well as timers.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")
}

/// `aiohttp.ClientSession()`, with a time limit per request. `no_proxy`: a proxy from the
/// environment (HTTP_PROXY, ALL_PROXY) could not reach 127.0.0.1.
fn new_session(timeout: Duration) -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .build()
        .context("cannot build the HTTP client")
}
// ANCHOR_END: port

// ANCHOR: fetch_page
/// Seed 001: `async with aiohttp.ClientSession() as session: async with session.get(url) as
/// response: return await response.text()`.
async fn fetch_page(url: &str, timeout: Duration) -> anyhow::Result<String> {
    let session = new_session(timeout)?;
    let response = session.get(url).send().await?.error_for_status()?;
    Ok(response.text().await?)
}

pub fn fetch_page_main(url: &str, timeout: Duration) -> anyhow::Result<()> {
    let page = runtime()?
        .block_on(fetch_page(url, timeout))
        .with_context(|| format!("GET {url}"))?;
    println!("{page}");
    Ok(())
}
// ANCHOR_END: fetch_page

// ANCHOR: request_resource
/// Seed 004: a session of its own for every request, and the length of what it read.
async fn request_resource(url: &str, timeout: Duration) -> anyhow::Result<usize> {
    let session = new_session(timeout)?;
    let response = session.get(url).send().await?.error_for_status()?;
    let content = response.bytes().await?;
    Ok(content.len())
}

pub fn main_network(urls: &[String], timeout: Duration) -> anyhow::Result<Duration> {
    let duration = runtime()?.block_on(async {
        let start_time = Instant::now();
        let tasks = urls.iter().map(|url| async move {
            request_resource(url, timeout)
                .await
                .with_context(|| format!("GET {url}"))
        });
        // asyncio.gather(*tasks) without return_exceptions: the first failure is the result,
        // and the other requests are dropped, which cancels them.
        futures::future::try_join_all(tasks).await?;
        anyhow::Ok(start_time.elapsed())
    })?;
    println!("Duration: {:.2}s", duration.as_secs_f64());
    Ok(duration)
}
// ANCHOR_END: request_resource
