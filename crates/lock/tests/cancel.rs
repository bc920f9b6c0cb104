//! What the chapter says about cancellation, checked on each runtime's async mutex: cancelling
//! the task that holds the lock drops its guard, which releases the lock, and the task waiting
//! for it gets it. (asyncio does the same through `async with`: the `CancelledError` raised at
//! the await runs `__aexit__`, which releases the lock.)

use std::future::{Future, pending};
use std::sync::Arc;
use std::time::Duration;

/// Long enough for a loaded machine; a lock that stayed held would make the wait time out.
const PATIENCE: Duration = Duration::from_secs(5);

#[test]
fn tokio_abort_drops_the_guard_and_the_waiter_gets_the_lock() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let lock = Arc::new(tokio::sync::Mutex::new(()));
        let holder = tokio::spawn(hold_forever(lock.clone().lock_owned()));
        let waiter = tokio::spawn(lock.clone().lock_owned());
        while lock.try_lock().is_ok() {
            tokio::task::yield_now().await;
        }
        holder.abort();
        assert!(holder.await.unwrap_err().is_cancelled());
        tokio::time::timeout(PATIENCE, waiter)
            .await
            .expect("the waiter got the lock")
            .unwrap();
    });
}

#[test]
fn async_std_cancel_drops_the_guard_and_the_waiter_gets_the_lock() {
    async_std::task::block_on(async {
        let lock = Arc::new(async_std::sync::Mutex::new(()));
        let holder = async_std::task::spawn_local(hold_forever(lock.lock_arc()));
        let waiter = async_std::task::spawn_local(lock.lock_arc());
        while lock.try_lock().is_some() {
            async_std::task::yield_now().await;
        }
        assert!(holder.cancel().await.is_none(), "cancelled before it ended");
        async_std::future::timeout(PATIENCE, waiter)
            .await
            .expect("the waiter got the lock");
    });
}

#[test]
fn smol_dropping_the_task_drops_the_guard_and_the_waiter_gets_the_lock() {
    use smol::future::FutureExt;
    let ex = smol::LocalExecutor::new();
    smol::block_on(ex.run(async {
        let lock = Arc::new(smol::lock::Mutex::new(()));
        let holder = ex.spawn(hold_forever(lock.lock_arc()));
        let waiter = ex.spawn(lock.lock_arc());
        while lock.try_lock().is_some() {
            smol::future::yield_now().await;
        }
        drop(holder);
        let got_it = async { Some(waiter.await) }
            .or(async {
                smol::Timer::after(PATIENCE).await;
                None
            })
            .await;
        assert!(got_it.is_some(), "the waiter got the lock");
    }));
}

/// Takes the lock and never lets go while it runs.
async fn hold_forever<G>(lock: impl Future<Output = G>) {
    let _guard = lock.await;
    pending::<()>().await;
}
