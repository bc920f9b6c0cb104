//! Real Python's `countsync.py`: `cargo run -p count -- --sync`. No async runtime: the three
//! counts run one after the other, and each one's sleep blocks the thread for a second.

// ANCHOR: port
use std::time::Instant;

fn count() {
    println!("One");
    sleep(1.0);
    println!("Two");
}

fn main() {
    for _ in 0..3 {
        count();
    }
}

pub fn run() -> anyhow::Result<()> {
    let s = Instant::now();
    main();
    let elapsed = s.elapsed().as_secs_f64();
    // Python prints its own path, `__file__`, here; the port names the script.
    println!("countsync.py executed in {elapsed:.2} seconds.");
    Ok(())
}
// ANCHOR_END: port

// ANCHOR: sleep
/// `time.sleep(secs)`, under the time scale: nothing else runs on this thread meanwhile.
fn sleep(secs: f64) {
    std::thread::sleep(timing::scaled(secs));
}
// ANCHOR_END: sleep
