# CPU work already spread over a process pool: it keeps several CPUs busy on its own.
import os
import sys
from concurrent.futures import ProcessPoolExecutor


def spin(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000
    workers = os.cpu_count() or 2
    with ProcessPoolExecutor(max_workers=workers) as pool:
        print(sum(pool.map(spin, [n] * workers)))
