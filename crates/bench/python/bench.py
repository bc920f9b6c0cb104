"""The benchmark's Python side: the workloads of crates/bench/src/workloads.rs on asyncio (or
uvloop), with the same arguments. The harness runs one workload per process:

    python3 bench.py asyncio|uvloop spawn N
    python3 bench.py asyncio|uvloop sleepers N MILLIS
    python3 bench.py asyncio|uvloop queue ITEMS PRODUCERS CONSUMERS CAPACITY   (0 = unbounded)
    python3 bench.py asyncio|uvloop jobs N WORKERS
    python3 bench.py asyncio|uvloop chained N
    python3 bench.py asyncio|uvloop download sync|threads|async|processes PAGES PORT

and reads the last stderr line, "BENCH secs=… rss_before=… peak=…", measured the way the
Rust side measures: resident memory (VmRSS) just before the workload, wall time around it, and
the process's peak resident memory (VmHWM) after it.
"""

import asyncio
import random
import sys
import time


def status_bytes(field):
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Meter:
    def __init__(self):
        self.rss_before = status_bytes("VmRSS")
        self.start = time.perf_counter()

    def stop(self):
        secs = time.perf_counter() - self.start
        peak = status_bytes("VmHWM")
        print(f"BENCH secs={secs:.9f} rss_before={self.rss_before} peak={peak}", file=sys.stderr)


def run(coroutine, loop):
    """asyncio.run, on uvloop's loop when asked."""
    if loop == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(coroutine)
    return asyncio.run(coroutine)


# Workload 1: every task is created before the first one runs, then gathered.
async def trivial(i):
    return i


async def spawn(n):
    meter = Meter()
    tasks = [asyncio.create_task(trivial(i)) for i in range(n)]
    total = sum(await asyncio.gather(*tasks))
    meter.stop()
    assert total == n * (n - 1) // 2


# Workload 2: n tasks sleeping at once.
async def sleepers(n, millis):
    meter = Meter()
    tasks = [asyncio.create_task(asyncio.sleep(millis / 1000)) for _ in range(n)]
    await asyncio.gather(*tasks)
    meter.stop()


# Workload 3: producers put numbers into one asyncio.Queue, consumers take them until a
# sentinel (None), one per consumer, put after the last producer is done.
async def produce(queue, first, items, step):
    for item in range(first, items, step):
        await queue.put(item)


async def consume(queue):
    total = 0
    while (item := await queue.get()) is not None:
        total += item
    return total


async def queue(items, producers, consumers, capacity):
    meter = Meter()
    q = asyncio.Queue(maxsize=capacity)
    producing = [asyncio.create_task(produce(q, p, items, producers)) for p in range(producers)]
    consuming = [asyncio.create_task(consume(q)) for _ in range(consumers)]
    await asyncio.gather(*producing)
    for _ in range(consumers):
        await q.put(None)
    total = sum(await asyncio.gather(*consuming))
    meter.stop()
    assert total == items * (items - 1) // 2


# Workload 4: llama-index's run_jobs (seed 002) as it is, without the progress bar: every job
# waits for one of `workers` permits of a semaphore, and gather collects the results in order.
# A job hands control back once (asyncio.sleep(0)) and returns its number. (The default of
# `workers` here is the benchmark's 10, not llama-index's.)
async def run_jobs(jobs, show_progress=False, workers=10, desc=None):
    semaphore = asyncio.Semaphore(workers)

    async def worker(job):
        async with semaphore:
            return await job

    pool_jobs = [worker(job) for job in jobs]
    results = await asyncio.gather(*pool_jobs)
    return results


async def job(i):
    await asyncio.sleep(0)
    return i


async def jobs(n, workers):
    meter = Meter()
    results = await run_jobs([job(i) for i in range(n)], workers=workers)
    meter.stop()
    assert results == list(range(n))


# Workload 5: Real Python's chained.py as it is, with every sleep scaled to zero (each
# asyncio.sleep(0) hands control back once), printing what it prints.
SCALE = 0


async def part1(n: int) -> str:
    i = random.randint(0, 10)
    print(f"part1({n}) sleeping for {i} seconds.")
    await asyncio.sleep(i * SCALE)
    result = f"result{n}-1"
    print(f"Returning part1({n}) == {result}.")
    return result


async def part2(n: int, arg: str) -> str:
    i = random.randint(0, 10)
    print(f"part2({n}, {arg!r}) sleeping for {i} seconds.")
    await asyncio.sleep(i * SCALE)
    result = f"result{n}-2 derived from {arg}"
    print(f"Returning part2({n}, {arg!r}) == {result}.")
    return result


async def chain(n: int) -> None:
    start = time.perf_counter()
    p1 = await part1(n)
    p2 = await part2(n, p1)
    end = time.perf_counter() - start
    print(f"-->Chained result{n} => {p2} (took {end:0.2f} seconds).")


async def chained_main(*args):
    await asyncio.gather(*(chain(n) for n in args))


def chained(n, loop):
    meter = Meter()
    random.seed(444)
    start = time.perf_counter()
    run(chained_main(*range(1, n + 1)), loop)
    end = time.perf_counter() - start
    print(f"Program finished in {end:0.2f} seconds.")
    meter.stop()


# Workload 6: Real Python's four versions of the download program (seed 002), against the
# benchmark's embedded server on 127.0.0.1:PORT: requests for sync, threads and processes,
# aiohttp for async, as the document uses them. Each prints a line per page (to /dev/null).
SITES = ["/www.jython.org", "/olympus.realpython.org/dice"]


def sites(pages, port):
    return [f"http://127.0.0.1:{port}{path}" for path in SITES] * (pages // 2)


def download_sync(sites):
    import requests

    with requests.Session() as session:
        for url in sites:
            with session.get(url) as response:
                print(f"Read {len(response.content)} bytes from {url}")


thread_local = None


def download_site_threads(url):
    import requests

    if not hasattr(thread_local, "session"):
        thread_local.session = requests.Session()
    with thread_local.session.get(url) as response:
        print(f"Read {len(response.content)} bytes from {url}")


def download_threads(sites):
    global thread_local
    import threading
    from concurrent.futures import ThreadPoolExecutor

    thread_local = threading.local()
    with ThreadPoolExecutor(max_workers=5) as executor:
        list(executor.map(download_site_threads, sites))


async def download_async(sites):
    import aiohttp

    async def download_site(url, session):
        async with session.get(url) as response:
            print(f"Read {len(await response.read())} bytes from {url}")

    async with aiohttp.ClientSession() as session:
        tasks = [download_site(url, session) for url in sites]
        results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[0]


session = None


def init_process():
    global session
    import atexit

    import requests

    session = requests.Session()
    atexit.register(session.close)


def download_site_processes(url):
    import multiprocessing

    with session.get(url) as response:
        name = multiprocessing.current_process().name
        print(f"{name}:Read {len(response.content)} bytes from {url}")


def download_processes(sites):
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(initializer=init_process) as executor:
        list(executor.map(download_site_processes, sites))


def reserve_descriptors():
    """Grows the table of file descriptors to 1,024 before the clock starts, as the Rust side
    does (see download_port in workloads.rs): growing it later, with threads, waits for the
    kernel."""
    files = []
    try:
        while len(files) < 1024:
            files.append(open("/dev/null"))
    except OSError:
        pass
    for file in files:
        file.close()


def download(mode, pages, port, loop):
    urls = sites(int(pages), int(port))
    # The document's programs import their client at the top, before their clock starts.
    __import__("aiohttp" if mode == "async" else "requests")
    reserve_descriptors()
    meter = Meter()
    if mode == "async":
        run(download_async(urls), loop)
    else:
        {"sync": download_sync, "threads": download_threads, "processes": download_processes}[mode](urls)
    meter.stop()


def main(argv):
    loop, workload, *numbers = argv
    if workload == "download":
        return download(*numbers, loop)
    numbers = [int(n) for n in numbers]
    if workload == "chained":
        chained(*numbers, loop)
    else:
        coroutine = {"spawn": spawn, "sleepers": sleepers, "queue": queue, "jobs": jobs}[workload]
        run(coroutine(*numbers), loop)


if __name__ == "__main__":
    main(sys.argv[1:])
