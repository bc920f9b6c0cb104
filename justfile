# Shortcuts; every recipe is a plain cargo or shell command you can also type yourself.

# Every example on every runtime, a hundred times faster than the documents.
run-all scale="0.01":
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p chained -- 9 6 3 --runtime $rt; done
    for rt in tokio async-std smol; do for p in guten-morgen asyncio-run runner fetch-data; do TIME_SCALE={{scale}} cargo run -q -p hello -- $p --runtime $rt; done; done
    for rt in tokio async-std smol; do for f in my-function execute-worker; do TIME_SCALE={{scale}} cargo run -q -p coroutines -- $f --runtime $rt; done; done
    for rt in tokio async-std smol; do for p in lifecycle new-event-loop run-forever asyncio-run; do TIME_SCALE={{scale}} cargo run -q -p event-loop -- $p --runtime $rt; done; done
    for rt in tokio async-std smol; do for mode in "" --blocking --offload; do TIME_SCALE={{scale}} cargo run -q -p blocking-calls -- $mode --debug --runtime $rt; done; done
    for rt in tokio smol; do TIME_SCALE={{scale}} cargo run -q -p blocking-calls -- --blocking --workers 2 --runtime $rt; done
    for rt in tokio async-std smol; do for args in "" "--read-file crates/async-with/data.txt"; do TIME_SCALE={{scale}} cargo run -q -p async-with -- $args --runtime $rt; done; done
    # these two end with an error (exit code 1) after releasing the resource
    for rt in tokio async-std smol; do for args in --fail "--cancel-after 0.2"; do TIME_SCALE={{scale}} cargo run -q -p async-with -- $args --runtime $rt || true; done; done
    for rt in tokio async-std smol; do for demo in counter unfold generator chunks; do TIME_SCALE={{scale}} cargo run -q -p async-for -- $demo --runtime $rt; done; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p lock -- --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p lock -- --no-lock --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p sync -- semaphore --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p sync -- event --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p taskgroup -- --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p future -- delay --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p future -- callback --runtime $rt; done
    for rt in tokio async-std smol; do for p in fetch-data two-tasks task-worker; do TIME_SCALE={{scale}} cargo run -q -p create-task -- $p --runtime $rt; done; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p interleave -- --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p count -- --runtime $rt; done
    TIME_SCALE={{scale}} cargo run -q -p count -- --sync
    for rt in tokio async-std smol; do for program in gather wait worker-process as-completed return-exceptions; do TIME_SCALE={{scale}} cargo run -q -p gather-wait -- $program --runtime $rt; done; done
    for rt in tokio async-std smol; do for show in long-operation signal shield drop blocking busy; do TIME_SCALE={{scale}} cargo run -q -p cancellation -- --show $show --runtime $rt; done; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p producer-consumer -- -p 2 -c 2 --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p producer-consumer -- --maxsize 10 --timeout 5 --runtime $rt; done
    for rt in tokio async-std smol; do cargo run -q -p producer-consumer -- --sentinel --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p jobs -- run-async-tasks --progress --runtime $rt; done
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p jobs -- batch-gather --batch-size 4 --runtime $rt; done
    for rt in tokio async-std smol; do for limit in buffer-unordered semaphore buffered; do TIME_SCALE={{scale}} cargo run -q -p jobs -- run-jobs --limit $limit --runtime $rt; done; done
    # this one ends with an error (exit code 1): job 2 fails
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p jobs -- run-jobs --fail 2 --runtime $rt || true; done
    TIME_SCALE={{scale}} cargo run -q -p download
    for rt in tokio async-std smol; do TIME_SCALE={{scale}} cargo run -q -p download -- --mode async --runtime $rt; done
    for rt in tokio async-std smol; do for program in fetch-page request-resource; do TIME_SCALE={{scale}} cargo run -q -p download -- $program --runtime $rt; done; done
    for rt in tokio async-std smol; do cargo run -q -p tcp-echo -- --runtime $rt; done
    # the server until Ctrl-C (sent by the recipe once a client has checked a thousand connections)
    for rt in tokio async-std smol; do cargo run -q -p tcp-echo -- server --listen 127.0.0.1:8888 --runtime $rt > /dev/null & sleep 1; cargo run -q -p tcp-echo -- client --connections 1000 --runtime $rt; kill -INT $!; wait $! || true; done

test:
    cargo test --workspace

lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# The benchmark: every runtime and Python asyncio on the same workloads, 5 runs each (about 7
# minutes; it rewrites docs/src/performance/). `just bench --quick` only checks that all run.
bench *args:
    cargo run -p bench --release -- {{args}}

# Build the book and check its includes; `mdbook serve docs` to read it.
book:
    bash .ci/check-book

# Everything CI runs.
ci:
    bash .ci/run
