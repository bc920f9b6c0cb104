//! `async with` on async-std: `cargo run -p async-with -- --runtime async-std` (add `--fail`,
//! `--cancel-after 0.2` or `--read-file crates/async-with/data.txt`).
//!
//! async-std is discontinued upstream (its README says to use smol instead); this port is here
//! for readers migrating off it: compare it with `on_smol.rs`.

// ANCHOR: resource
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};

struct AsyncResource;

impl AsyncResource {
    /// `__aenter__`: acquiring takes awaits, so it is an async constructor.
    async fn acquire() -> Self {
        println!("Acquiring resource...");
        sleep(1.0).await;
        println!("Resource acquired");
        Self
    }

    /// `__aexit__`: it takes `self`, so nothing can use the resource once it is released.
    /// It cannot be `Drop`: `drop` is a plain function and cannot await the release.
    async fn release(self) {
        println!("Releasing resource...");
        sleep(0.5).await;
        println!("Resource released");
    }

    async fn use_resource(&self) {
        println!("Using the resource");
        sleep(0.5).await;
    }
}

/// `async with AsyncResource() as resource: body`. The body is an async closure that borrows
/// the resource; whatever it returns, error included, the helper releases the resource before
/// passing the result on. A body cancelled by a timeout inside it is released too: only a
/// cancellation of the whole helper from outside (dropping this future) skips the release.
async fn with_resource<T>(
    body: impl AsyncFnOnce(&AsyncResource) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let resource = AsyncResource::acquire().await;
    let result = body(&resource).await;
    resource.release().await;
    result
}
// ANCHOR_END: resource

// ANCHOR: main
async fn main(options: crate::Body) -> anyhow::Result<()> {
    with_resource(async |resource| {
        match options.cancel_after {
            // asyncio.timeout(secs) around the body: when it expires, the use_resource future
            // is dropped where it stands, which is how Rust cancels. The helper still releases.
            Some(secs) => {
                let deadline = timing::deadline(secs).unwrap_or_else(Instant::now);
                let left = deadline.saturating_duration_since(Instant::now());
                let used = async_std::future::timeout(left, resource.use_resource());
                if used.await.is_err() {
                    bail!("using the resource took longer than {secs} s");
                }
            }
            None => resource.use_resource().await,
        }
        if options.fail {
            bail!("the work with the resource failed");
        }
        Ok(())
    })
    .await?;
    println!("Done with the resource");
    Ok(())
}

pub fn run(options: crate::Body) -> anyhow::Result<()> {
    async_std::task::block_on(main(options))
}
// ANCHOR_END: main

// ANCHOR: read_file
/// `async with aiofiles.open(path) as file: content = await file.read()`. async-std's files
/// hand each read to its thread pool for blocking work, as aiofiles does; closing needs no
/// await, so the file is closed when `file` goes out of scope.
async fn read_file(path: &Path) -> anyhow::Result<String> {
    use async_std::io::ReadExt;
    let mut file = async_std::fs::File::open(path)
        .await
        .with_context(|| format!("cannot open {}", path.display()))?;
    let mut content = String::new();
    file.read_to_string(&mut content)
        .await
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(content)
}

pub fn run_read_file(path: &Path) -> anyhow::Result<()> {
    let content = async_std::task::block_on(read_file(path))?;
    print!("{content}");
    Ok(())
}
// ANCHOR_END: read_file

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
