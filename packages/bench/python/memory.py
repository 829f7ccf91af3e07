"""Python's side of forkroad's memory experiment, standard library only.

    python3 memory.py asyncio 10000     # resident memory per pending asyncio task
    python3 memory.py threads 50        # per thread blocked in a ThreadPoolExecutor
    python3 memory.py processes 4       # per ProcessPoolExecutor worker process

Prints one JSON object: {"kind", "n", "perUnit" (bytes of RSS per unit), and where the platform
tells: "virtualPerUnit" (bytes of address space per unit), "pssPerUnit" (processes: proportional
set size, which shares a page's cost among the processes that map it)}. Run once per sample, in a
fresh interpreter.
"""

import asyncio
import gc
import json
import os
import resource
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def _proc_field(path, field):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def rss():
    value = _proc_field("/proc/self/status", "VmRSS")
    if value is not None:
        return value
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def vsize():
    return _proc_field("/proc/self/status", "VmSize")


def pss():
    return _proc_field("/proc/self/smaps_rollup", "Pss")


def settle():
    gc.collect()
    time.sleep(0.05)


async def asyncio_tasks(n):
    release = asyncio.Event()

    async def waiter():
        await release.wait()

    # A few first, so that the code paths are warm before the baseline.
    warm = [asyncio.create_task(waiter()) for _ in range(10)]
    await asyncio.sleep(0)
    settle()
    before, vbefore = rss(), vsize()
    tasks = [asyncio.create_task(waiter()) for _ in range(n)]
    await asyncio.sleep(0)
    settle()
    after, vafter = rss(), vsize()
    release.set()
    await asyncio.gather(*tasks, *warm)
    return after - before, None if vbefore is None else vafter - vbefore, None


def threads(n):
    release = threading.Event()
    started = threading.Semaphore(0)

    def blocked():
        started.release()
        release.wait()

    settle()
    before, vbefore = rss(), vsize()
    pool = ThreadPoolExecutor(max_workers=n)
    futures = [pool.submit(blocked) for _ in range(n)]
    for _ in range(n):
        started.acquire()
    settle()
    after, vafter = rss(), vsize()
    release.set()
    for f in futures:
        f.result()
    pool.shutdown()
    return after - before, None if vbefore is None else vafter - vbefore, None


def worker_memory(seconds):
    time.sleep(seconds)
    return os.getpid(), rss(), pss(), vsize()


def processes(n):
    with ProcessPoolExecutor(max_workers=n) as pool:
        reports = list(pool.map(worker_memory, [0.3] * n))
    by_pid = {pid: (r, p, v) for pid, r, p, v in reports}
    values = list(by_pid.values())
    rss_each = sum(v[0] for v in values) / len(values)
    pss_values = [v[1] for v in values if v[1] is not None]
    vs_values = [v[2] for v in values if v[2] is not None]
    return (
        rss_each,
        sum(vs_values) / len(vs_values) if vs_values else None,
        sum(pss_values) / len(pss_values) if pss_values else None,
        len(values),
    )


def main():
    kind, n = sys.argv[1], int(sys.argv[2])
    workers = n
    if kind == "asyncio":
        total, vtotal, ptotal = asyncio.run(asyncio_tasks(n))
        per, vper, pper = total / n, None if vtotal is None else vtotal / n, None
    elif kind == "threads":
        total, vtotal, ptotal = threads(n)
        per, vper, pper = total / n, None if vtotal is None else vtotal / n, None
    elif kind == "processes":
        per, vper, pper, workers = processes(n)
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    out = {"kind": kind, "n": n, "perUnit": max(0, per), "units": workers}
    if vper is not None:
        out["virtualPerUnit"] = max(0, vper)
    if pper is not None:
        out["pssPerUnit"] = max(0, pper)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
