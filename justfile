# Shortcuts; every recipe is a plain cargo or shell command you can also type yourself.

# Every example on every runtime, a hundred times faster than the documents.
run-all scale="0.01":
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p chained -- 9 6 3 --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p taskgroup -- --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p future -- delay --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p future -- callback --runtime $rt; done

test:
    cargo test --workspace

lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# Build the book and check its includes; `mdbook serve docs` to read it.
book:
    bash .ci/check-book

# Everything CI runs.
ci:
    bash .ci/run
