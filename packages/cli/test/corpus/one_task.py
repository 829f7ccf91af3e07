# One task at a time: a single download-like wait after another, nothing in flight together.
import time

for _ in range(8):
    time.sleep(0.1)
print("done")
