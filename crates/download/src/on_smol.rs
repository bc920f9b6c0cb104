//! `io_asyncio.py` on smol, with hyper's client (through smol-hyper) in aiohttp's place:
//! `cargo run -p download -- --mode async --runtime smol`. Also seed 001's `fetch_page`
//! (`… -- fetch-page --runtime smol`) and seed 004's `request_resource`
//! (`… -- request-resource --runtime smol`).

// ANCHOR: port
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use http_body_util::BodyExt;
use smol::future::FutureExt;

use crate::{Outcome, Summary};

pub fn main(sites: &[String], timeout: Duration) -> anyhow::Result<Summary> {
    // asyncio.run(main()): block_on runs the downloads on this thread; the connections they
    // spawn run on smol's global executor.
    let summary = smol::block_on(async {
        let start_time = Instant::now();
        let outcomes = download_all_sites(sites, timeout).await;
        let duration = start_time.elapsed();
        Summary::new(sites, outcomes, duration)
    });
    println!("{summary}");
    Ok(summary)
}

async fn download_all_sites(sites: &[String], timeout: Duration) -> Vec<Outcome> {
    // async with aiohttp.ClientSession() as session: one session for every download.
    let session = ClientSession { timeout };
    let tasks = sites.iter().map(|url| download_site(url, &session));
    // asyncio.gather(*tasks, return_exceptions=True): join_all polls every download from this
    // one task, a download runs whenever its socket is ready, and the outcomes come back in
    // list order, failures among them, as gather's list does.
    futures::future::join_all(tasks).await
}

async fn download_site(url: &str, session: &ClientSession) -> Outcome {
    // Each await hands the thread to the other downloads until this one's bytes arrive.
    let content = session.get(url).await?;
    println!("Read {} bytes from {url}", content.len());
    Ok(content.len())
}

/// `aiohttp.ClientSession()`: what every request shares, here only the time limit. hyper's
/// own client is one HTTP/1.1 connection; with every download in flight at once, each needs a
/// connection of its own anyway, so `get` opens one per request (no pool to keep them). It
/// connects to the URL's host itself, so no proxy setting can come in between.
struct ClientSession {
    timeout: Duration,
}

impl ClientSession {
    /// `session.get(url)` and `await response.read()`: the whole body, or an error if the
    /// answer is not 2xx or is not complete within the time limit.
    async fn get(&self, url: &str) -> anyhow::Result<Bytes> {
        let url: http::Uri = url.parse()?;
        let host = url.host().context("the URL has no host")?;
        let request = http::Request::get(url.path_and_query().map_or("/", |p| p.as_str()))
            .header(
                http::header::HOST,
                url.authority().map_or(host, |a| a.as_str()),
            )
            .body(http_body_util::Empty::<Bytes>::new())?;
        let exchange = async {
            let stream =
                smol::net::TcpStream::connect((host, url.port_u16().unwrap_or(80))).await?;
            // smol-hyper adapts smol's socket to hyper's I/O traits.
            let io = smol_hyper::rt::FuturesIo::new(stream);
            let (mut sender, connection) = hyper::client::conn::http1::handshake(io).await?;
            // The connection is the future that moves the bytes: it runs as a task of its own
            // while this one sends the request and reads the answer. Detached, or dropping
            // its handle would cancel it.
            smol::spawn(connection).detach();
            let response = sender.send_request(request).await?;
            anyhow::ensure!(
                response.status().is_success(),
                "HTTP status {}",
                response.status()
            );
            Ok(response.into_body().collect().await?.to_bytes())
        };
        // smol has no timeout function: race the exchange against a timer.
        let time_limit = async {
            smol::Timer::after(self.timeout).await;
            anyhow::bail!("no complete answer within {:?}", self.timeout)
        };
        exchange.or(time_limit).await
    }
}
// ANCHOR_END: port

// ANCHOR: fetch_page
/// Seed 001: `async with aiohttp.ClientSession() as session: async with session.get(url) as
/// response: return await response.text()`.
async fn fetch_page(url: &str, timeout: Duration) -> anyhow::Result<String> {
    let session = ClientSession { timeout };
    let content = session.get(url).await?;
    Ok(String::from_utf8_lossy(&content).into_owned())
}

pub fn fetch_page_main(url: &str, timeout: Duration) -> anyhow::Result<()> {
    let page = smol::block_on(fetch_page(url, timeout)).with_context(|| format!("GET {url}"))?;
    println!("{page}");
    Ok(())
}
// ANCHOR_END: fetch_page

// ANCHOR: request_resource
/// Seed 004: a session of its own for every request, and the length of what it read.
async fn request_resource(url: &str, timeout: Duration) -> anyhow::Result<usize> {
    let session = ClientSession { timeout };
    let content = session.get(url).await?;
    Ok(content.len())
}

pub fn main_network(urls: &[String], timeout: Duration) -> anyhow::Result<Duration> {
    let duration = smol::block_on(async {
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
