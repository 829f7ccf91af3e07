# An asyncio HTTP client that parses each response a little: it waits and computes in every task,
# with no separate CPU stage. Its compute share sits near the I/O-bound line.
import asyncio
import json
import sys

port = int(sys.argv[1])
requests = int(sys.argv[2]) if len(sys.argv) > 2 else 60
work = int(sys.argv[3]) if len(sys.argv) > 3 else 45_000


async def fetch(i):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /item/{i} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
    await writer.drain()
    body = (await reader.read()).split(b"\r\n\r\n", 1)[1]
    writer.close()
    # the client's own handling of the response: parse, then a checksum in pure Python
    item = json.loads(body)
    return sum((x * 31 + item["id"]) % 7 for x in range(work))


async def main():
    for start in range(0, requests, 4):
        await asyncio.gather(*(fetch(i) for i in range(start, min(start + 4, requests))))


asyncio.run(main())
