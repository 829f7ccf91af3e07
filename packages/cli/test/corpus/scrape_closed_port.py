# A scraper pointed at a port nobody listens on: exits 1 with a traceback (Connection refused).
import sys
import urllib.request

port = int(sys.argv[1])
for page in range(3):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/page/{page}", timeout=5) as response:
        print(len(response.read()))
