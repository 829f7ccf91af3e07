"""Python's side of forkroad's start-up and payload experiments, standard library only.

Run by @forkroad/bench as a child process:

    python3 startup.py < config.json

The config (JSON on stdin): {"reps": 3, "variants": [{"id": "...", "kind": "...", ...}]}

Kinds:
  first-threads                 a fresh ThreadPoolExecutor(1): time to the first result of a no-op
  first-processes (method)      a fresh ProcessPoolExecutor(1) with that start method (fork,
                                forkserver, spawn): time to the first result of a no-op
  round-trip-threads (n)        one warm ThreadPoolExecutor(1): n no-op calls one after another;
  round-trip-processes (n)      the same on a ProcessPoolExecutor(1): the sample is ms per call
  payload-processes (bytes)     one warm ProcessPoolExecutor(1): send `bytes` bytes, get len() back

Each variant is run once untimed first (a forkserver starts once per program; the first pool pays
for importing concurrent.futures' worker side), then each repetition times every variant once,
in an order rotated by one per repetition. One JSON object per line on stdout:

    {"type": "sample", "id": "...", "ms": 12.3}
    {"type": "done"}
"""

import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from bench import emit  # the same protocol as bench.py, beside this file


def noop(x):
    return x


def first_result(make_pool):
    started = time.perf_counter()
    pool = make_pool()
    pool.submit(noop, 1).result()
    ms = (time.perf_counter() - started) * 1000
    pool.shutdown(wait=True)
    return ms


class Variant:
    def __init__(self, spec):
        self.spec = spec
        self.id = spec["id"]
        self.kind = spec["kind"]
        self.pool = None
        self.data = None

    def setup(self):
        if self.kind == "round-trip-threads":
            self.pool = ThreadPoolExecutor(max_workers=1)
        elif self.kind in ("round-trip-processes", "payload-processes"):
            self.pool = ProcessPoolExecutor(max_workers=1)
        if self.kind == "payload-processes":
            self.data = bytes(self.spec["bytes"])

    def run(self):
        kind = self.kind
        if kind == "first-threads":
            return first_result(lambda: ThreadPoolExecutor(max_workers=1))
        if kind == "first-processes":
            context = multiprocessing.get_context(self.spec["method"])
            return first_result(lambda: ProcessPoolExecutor(max_workers=1, mp_context=context))
        if kind.startswith("round-trip-"):
            n = self.spec["n"]
            started = time.perf_counter()
            for i in range(n):
                self.pool.submit(noop, i).result()
            return (time.perf_counter() - started) * 1000 / n
        if kind == "payload-processes":
            started = time.perf_counter()
            size = self.pool.submit(len, self.data).result()
            ms = (time.perf_counter() - started) * 1000
            if size != self.spec["bytes"]:
                raise RuntimeError(f"sent {self.spec['bytes']} bytes, the worker saw {size}")
            return ms
        raise ValueError(f"unknown kind {kind!r}")

    def teardown(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True)


def main():
    config = json.load(sys.stdin)
    variants = [Variant(spec) for spec in config["variants"]]
    try:
        for v in variants:
            v.setup()
        for v in variants:
            v.run()
        for rep in range(config["reps"]):
            k = rep % len(variants) if variants else 0
            for v in variants[k:] + variants[:k]:
                emit({"type": "sample", "id": v.id, "ms": v.run()})
    finally:
        for v in variants:
            v.teardown()
    emit({"type": "done"})


if __name__ == "__main__":
    main()
