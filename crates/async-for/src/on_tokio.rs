//! `async for` on tokio: `cargo run -p async-for` (tokio is the default runtime; add `unfold`,
//! `generator` or `chunks`).

// ANCHOR: counter
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::task::{Context as TaskContext, Poll, ready};

use anyhow::Context;
use futures::stream::{BoxStream, Stream, StreamExt, TryStreamExt};

use crate::{Demo, Source};

/// `class AsyncCounter`: `__aiter__` is the Stream impl itself, `__anext__` is `poll_next`.
struct AsyncCounter {
    limit: u32,
    counter: u32,
    /// The wait before the next number, once `poll_next` has started it. tokio's `Sleep` must
    /// stay where it is once polled (it is `!Unpin`), hence the box.
    wait: Option<Pin<Box<tokio::time::Sleep>>>,
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
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timing::scaled(0.5))));
        // Not over yet: Pending, and tokio wakes this task when the timer fires.
        ready!(wait.as_mut().poll(cx));
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
/// yet; the `stream!` macro (async-stream, from the tokio project) turns this block into a
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
async fn fetch_data_stream(url: &str) -> anyhow::Result<()> {
    // no_proxy: the default URL is on 127.0.0.1, which a proxy from the environment
    // (HTTP_PROXY, ALL_PROXY) could not reach.
    let session = reqwest::Client::builder()
        .no_proxy()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")?;
    let response = session
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .with_context(|| format!("GET {url}"))?;
    // The body arrives in pieces of whatever size the network delivers; iter_chunked cuts
    // them into chunks of 1024 bytes (the last one shorter).
    let body = response.bytes_stream().map_err(io::Error::other);
    let mut chunks = pin!(iter_chunked(body, 1024));
    while let Some(chunk) = chunks.next().await {
        process_chunk(&chunk.with_context(|| format!("reading the body of {url}"))?);
    }
    Ok(())
}

fn process_chunk(chunk: &[u8]) {
    println!("Received {} bytes", chunk.len());
}

/// aiohttp's `iter_chunked(size)` for any stream of byte pieces: read the pieces as one byte
/// stream and hand it out `size` bytes at a time. The stream ends after an error.
fn iter_chunked<S>(body: S, size: usize) -> impl Stream<Item = io::Result<Vec<u8>>>
where
    S: Stream<Item = io::Result<bytes::Bytes>> + Unpin,
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
async fn serve(listener: tokio::net::TcpListener, size: usize) {
    use http_body_util::Full;
    use hyper::service::service_fn;
    let body = bytes::Bytes::from(vec![b'x'; size]);
    while let Ok((stream, _)) = listener.accept().await {
        let body = body.clone();
        let service = service_fn(move |_request| {
            let response = hyper::Response::new(Full::new(body.clone()));
            async move { Ok::<_, std::convert::Infallible>(response) }
        });
        // hyper reads and writes through its own I/O traits; TokioIo adapts a tokio socket.
        let io = hyper_util::rt::TokioIo::new(stream);
        tokio::spawn(hyper::server::conn::http1::Builder::new().serve_connection(io, service));
    }
}
// ANCHOR_END: server

pub fn run(demo: Demo, source: Source) -> anyhow::Result<()> {
    // asyncio's loop is one thread; so is tokio's current-thread runtime. reqwest needs the
    // I/O driver as well as timers.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    runtime.block_on(async {
        match demo {
            Demo::Counter => main(AsyncCounter::new(5).boxed()).await,
            Demo::Unfold => main(counter_unfold(5).boxed()).await,
            Demo::Generator => main(async_counter(5).boxed()).await,
            Demo::Chunks => {
                let url = match source {
                    Source::Url(url) => url.to_string(),
                    Source::Local { size } => {
                        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                            .await
                            .context("cannot listen on 127.0.0.1")?;
                        let address = listener.local_addr()?;
                        tokio::spawn(serve(listener, size));
                        format!("http://{address}/data")
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
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => futures_lite::future::yield_now().await,
    }
}
