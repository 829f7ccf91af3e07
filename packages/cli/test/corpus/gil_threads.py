# Pure-Python CPU work in a ThreadPoolExecutor: the threads take turns on the GIL.
import sys
from concurrent.futures import ThreadPoolExecutor


def count_primes(limit):
    found = 0
    for n in range(2, limit):
        d = 2
        while d * d <= n:
            if n % d == 0:
                break
            d += 1
        else:
            found += 1
    return found


limit = int(sys.argv[1]) if len(sys.argv) > 1 else 120_000
with ThreadPoolExecutor(max_workers=4) as pool:
    print(sum(pool.map(count_primes, [limit] * 4)))
