# A pipeline with separate stages, twice over: download a batch of pages (waiting), then hash
# them (computing). Its timeline shows long stretches of each.
import asyncio
import hashlib
import sys

port = int(sys.argv[1])
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 60


async def download(i):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /page/{i} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
    await writer.drain()
    body = await reader.read()
    writer.close()
    return body


async def download_batch():
    pages = []
    for start in range(0, 40, 2):
        pages += await asyncio.gather(download(start), download(start + 1))
    return pages


for batch in range(3):
    data = b"".join(asyncio.run(download_batch())) * 4000
    digest = b""
    for _ in range(rounds):
        digest = hashlib.sha256(digest + data).digest()
    print(batch, digest.hex())
