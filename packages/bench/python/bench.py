"""Python's side of forkroad's I/O and CPU experiments, standard library only.

Run by @forkroad/bench as a child process:

    python3 bench.py < config.json

The config (JSON on stdin) lists variants to time:

    {"reps": 3, "warmup": true, "variants": [
      {"id": "io-10/threads", "kind": "io-threads", "url": "http://127.0.0.1:PORT/delay/1000",
       "warmUrl": "http://127.0.0.1:PORT/delay/0", "n": 10, "workers": 10},
      {"id": "cpu/processes", "kind": "cpu-processes", "numbers": [...], "warmNumbers": [...], "workers": 2}]}

Kinds: io-sequential, io-asyncio, io-threads, io-processes (n GETs of url: one after another, as
asyncio tasks, on a ThreadPoolExecutor, on a ProcessPoolExecutor) and cpu-sequential,
cpu-threads, cpu-processes (is_prime over numbers). Pools are created and warmed (every worker
started) before timing. Each repetition times every variant once, in an order rotated by one per
repetition. It prints one JSON object per line on stdout:

    {"type": "sample", "id": "...", "ms": 1003.2}
    {"type": "done"}
"""

import asyncio
import json
import math
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def is_prime(n):
    """The guide's trial division."""
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    sqrt_n = int(math.floor(math.sqrt(n)))
    for i in range(3, sqrt_n + 1, 2):
        if n % i == 0:
            return False
    return True


def fetch(url):
    """One blocking GET with urllib; returns the number of body bytes."""
    with urllib.request.urlopen(url, timeout=120) as response:
        return len(response.read())


def pause(seconds):
    """Keeps a worker busy so that N concurrent calls start N workers."""
    time.sleep(seconds)
    return 0


async def fetch_async(url):
    """One GET with asyncio streams (the standard library has no async HTTP client)."""
    parts = urllib.parse.urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    path = parts.path or "/"
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    await writer.wait_closed()
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"GET {url}: {head[:40]!r}")
    return len(body)


async def gather_fetches(urls):
    return await asyncio.gather(*(fetch_async(u) for u in urls))


def start_workers(pool, workers):
    """Starts every worker of a pool (each busy call occupies one), so no start-up is timed."""
    list(pool.map(pause, [0.2] * workers))


class Variant:
    def __init__(self, spec):
        self.spec = spec
        self.id = spec["id"]
        self.kind = spec["kind"]
        self.pool = None

    def setup(self):
        workers = self.spec.get("workers", 1)
        if self.kind.endswith("-threads"):
            self.pool = ThreadPoolExecutor(max_workers=workers)
        elif self.kind.endswith("-processes"):
            self.pool = ProcessPoolExecutor(max_workers=workers)
        if self.pool is not None:
            start_workers(self.pool, workers)

    def run(self, warm=False):
        spec = self.spec
        if self.kind.startswith("io-"):
            url = spec["warmUrl"] if warm else spec["url"]
            urls = [url] * spec["n"]
            if self.kind == "io-sequential":
                if warm:
                    urls = urls[:1]
                for u in urls:
                    fetch(u)
            elif self.kind == "io-asyncio":
                asyncio.run(gather_fetches(urls))
            else:
                list(self.pool.map(fetch, urls))
        elif self.kind.startswith("cpu-"):
            numbers = spec["warmNumbers"] if warm else spec["numbers"]
            if self.kind == "cpu-sequential":
                [is_prime(n) for n in numbers]
            else:
                list(self.pool.map(is_prime, numbers))
        else:
            raise ValueError(f"unknown kind {self.kind!r}")

    def teardown(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    config = json.load(sys.stdin)
    variants = [Variant(spec) for spec in config["variants"]]
    try:
        for v in variants:
            v.setup()
        if config.get("warmup", True):
            for v in variants:
                v.run(warm=True)
        for rep in range(config["reps"]):
            k = rep % len(variants)
            for v in variants[k:] + variants[:k]:
                started = time.perf_counter()
                v.run()
                emit({"type": "sample", "id": v.id, "ms": (time.perf_counter() - started) * 1000})
    finally:
        for v in variants:
            v.teardown()
    emit({"type": "done"})


if __name__ == "__main__":
    main()
