//! `async for` on async-std: `cargo run -p async-for -- --runtime async-std` (add `unfold`,
//! `generator` or `chunks`).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

// ANCHOR: counter
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::task::{Context as TaskContext, Poll, ready};

use anyhow::Context;
use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt, TryStreamExt};

use crate::{Demo, Source};

/// `class AsyncCounter`: `__aiter__` is the Stream impl itself, `__anext__` is `poll_next`.
struct AsyncCounter {
    limit: u32,
    counter: u32,
    /// The wait before the next number, once `poll_next` has started it. async-std has no
    /// timer type of its own; async-io's `Timer` (async-std's reactor) may move between polls
    /// (it is `Unpin`), so it needs no box.
    wait: Option<async_io::Timer>,
}

impl AsyncCounter {
    fn new(limit: u32) -> Self {
        Self {
            limit,
            counter: 0,
            wait: None,
        }
    }
}

impl Stream for AsyncCounter {
    type Item = u32;

    /// Called again each time the waker fires, so it cannot "await": it keeps the wait in
    /// `self` and asks it whether it is over. `None` is `StopAsyncIteration`.
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<u32>> {
        if self.counter >= self.limit {
            return Poll::Ready(None);
        }
        let wait = self
            .wait
            .get_or_insert_with(|| async_io::Timer::after(timing::scaled(0.5)));
        // Not over yet: Pending, and the reactor wakes this task when the timer fires.
        ready!(Pin::new(wait).poll(cx));
        self.wait = None;
        self.counter += 1;
        Poll::Ready(Some(self.counter))
    }
}
// ANCHOR_END: counter

// ANCHOR: unfold
/// The same counter without a type: `unfold` calls the closure with the state (the last
/// number) and gets back the next number and the new state, or `None` to end.
fn counter_unfold(limit: u32) -> impl Stream<Item = u32> {
    futures::stream::unfold(0, move |counter| async move {
        if counter < limit {
            sleep(0.5).await;
            Some((counter + 1, counter + 1))
        } else {
            None
        }
    })
}
// ANCHOR_END: unfold

// ANCHOR: generator
/// `async def async_counter(limit): ... yield number`. Rust has no stable async generators
/// yet; the `stream!` macro (async-stream, from the tokio project, works on any runtime) turns this block into a
/// Stream, with `yield` handing out each value.
fn async_counter(limit: u32) -> impl Stream<Item = u32> {
    async_stream::stream! {
        for number in 1..=limit {
            sleep(0.5).await;
            yield number;
        }
    }
}
// ANCHOR_END: generator

// ANCHOR: main
async fn main(numbers: BoxStream<'static, u32>) {
    println!("Starting iteration...");
    // async for number in ...: next() polls the stream until it has a value or has ended.
    let mut numbers = numbers;
    while let Some(number) = numbers.next().await {
        println!("Got number: {number}");
    }
    println!("Iteration complete");
}
// ANCHOR_END: main

// ANCHOR: chunks
/// `async with aiohttp.ClientSession() as session: async with session.get(url) as response:
/// async for chunk in response.content.iter_chunked(1024): process_chunk(chunk)`.
async fn fetch_data_stream(url: &http::Uri) -> anyhow::Result<()> {
    let fetch = async {
        let body = get(url).await.with_context(|| format!("GET {url}"))?;
        // The body arrives in pieces of whatever size the network delivers; iter_chunked cuts
        // them into chunks of 1024 bytes (the last one shorter).
        let mut chunks = pin!(iter_chunked(body, 1024));
        while let Some(chunk) = chunks.next().await {
            process_chunk(&chunk.with_context(|| format!("reading the body of {url}"))?);
        }
        Ok(())
    };
    // timeout=30
    async_std::future::timeout(std::time::Duration::from_secs(30), fetch)
        .await
        .unwrap_or_else(|_| anyhow::bail!("GET {url}: no complete answer within 30 s"))
}

/// `session.get(url)` with hyper's own client: one HTTP/1.1 connection, made by hand (no
/// pool, no proxy), and the response body as a stream of byte pieces. smol-hyper adapts any
/// futures-io socket, async-std's included, to hyper's I/O traits.
async fn get(url: &http::Uri) -> anyhow::Result<impl Stream<Item = io::Result<Bytes>> + use<>> {
    let host = url.host().context("the URL has no host")?;
    let port = url.port_u16().unwrap_or(80);
    let stream = async_std::net::TcpStream::connect((host, port)).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(smol_hyper::rt::FuturesIo::new(stream)).await?;
    // The connection is the future that moves the bytes: it runs as its own task while this
    // one sends the request and reads the response (dropping its handle detaches it).
    async_std::task::spawn(connection);
    let path = url.path_and_query().map_or("/", |path| path.as_str());
    let request = http::Request::get(path)
        .header(
            http::header::HOST,
            url.authority().map_or(host, |a| a.as_str()),
        )
        .body(http_body_util::Empty::<Bytes>::new())?;
    let response = sender.send_request(request).await?;
    if !response.status().is_success() {
        anyhow::bail!("the server answered {}", response.status());
    }
    Ok(http_body_util::BodyDataStream::new(response.into_body()).map_err(io::Error::other))
}

fn process_chunk(chunk: &[u8]) {
    println!("Received {} bytes", chunk.len());
}

/// aiohttp's `iter_chunked(size)` for any stream of byte pieces: read the pieces as one byte
/// stream and hand it out `size` bytes at a time. The stream ends after an error.
fn iter_chunked<S>(body: S, size: usize) -> impl Stream<Item = io::Result<Vec<u8>>>
where
    S: Stream<Item = io::Result<Bytes>> + Unpin,
{
    use futures::io::AsyncReadExt;
    futures::stream::unfold(Some(body.into_async_read()), move |reader| async move {
        let mut reader = reader?;
        let mut chunk = Vec::with_capacity(size);
        match (&mut reader)
            .take(size as u64)
            .read_to_end(&mut chunk)
            .await
        {
            Ok(0) => None,
            Ok(_) => Some((Ok(chunk), Some(reader))),
            Err(error) => Some((Err(error), None)),
        }
    })
}
// ANCHOR_END: chunks

// ANCHOR: server
/// The local server: `GET` anything, get `size` bytes. A hyper 1 server, one task per
/// connection; it runs until the runtime is dropped.
async fn serve(listener: async_std::net::TcpListener, size: usize) {
    use http_body_util::Full;
    use hyper::service::service_fn;
    let body = Bytes::from(vec![b'x'; size]);
    while let Ok((stream, _)) = listener.accept().await {
        let body = body.clone();
        let service = service_fn(move |_request| {
            let response = hyper::Response::new(Full::new(body.clone()));
            async move { Ok::<_, std::convert::Infallible>(response) }
        });
        // hyper reads and writes through its own I/O traits; FuturesIo adapts async-std's socket.
        let io = smol_hyper::rt::FuturesIo::new(stream);
        async_std::task::spawn(
            hyper::server::conn::http1::Builder::new().serve_connection(io, service),
        );
    }
}
// ANCHOR_END: server

pub fn run(demo: Demo, source: Source) -> anyhow::Result<()> {
    // block_on runs main on this thread; the tasks that task::spawn starts (the server, the
    // client's connection) run on async-std's global pool.
    async_std::task::block_on(async {
        match demo {
            Demo::Counter => main(AsyncCounter::new(5).boxed()).await,
            Demo::Unfold => main(counter_unfold(5).boxed()).await,
            Demo::Generator => main(async_counter(5).boxed()).await,
            Demo::Chunks => {
                let url = match source {
                    Source::Url(url) => url,
                    Source::Local { size } => {
                        let listener = async_std::net::TcpListener::bind("127.0.0.1:0")
                            .await
                            .context("cannot listen on 127.0.0.1")?;
                        let address = listener.local_addr()?;
                        async_std::task::spawn(serve(listener, size));
                        format!("http://{address}/data").parse()?
                    }
                };
                return fetch_data_stream(&url).await;
            }
        }
        Ok(())
    })
}

/// `asyncio.sleep(secs)`, under the time scale, until a deadline on the program's timeline.
async fn sleep(secs: f64) {
    match timing::deadline(secs) {
        // async-std sleeps only for a duration; async-io, the reactor async-std runs on, has
        // timers for an instant.
        Some(deadline) => {
            async_io::Timer::at(deadline).await;
        }
        None => async_std::task::yield_now().await,
    }
}
