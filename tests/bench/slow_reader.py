#!/usr/bin/env python3
"""Slow-reader probe for tests/bench/run.sh: does ferryd's memory stay bounded when a client reads slowly?

Logs in to a ferryd with the client sketch of docs/PROTOCOL.md section 22 (TLS 1.3, SCRAM-SHA-256-PLUS; no
identity check: it is the server run.sh started), sends one `get` and then
reads the reply stream at a crawl (CHUNK bytes every INTERVAL seconds) for SECONDS, while sampling the server's
VmRSS / VmHWM from /proc/PID/status. A server that queued the whole file for a slow client would grow by
hundreds of MiB here; one that writes under a watermark stays at a few MiB above its idle size.

Prints one JSON object on stdout:
  {"bytes_read", "seconds", "hwm_before_kib", "hwm_after_kib", "rss_max_kib", "rss_after_kib", "size"}
Standard library only. Usage (password from FERRY_PASSWORD):
  slow_reader.py --port PORT --user USER --path /big.bin --pid SERVER_PID [--seconds 10] [--chunk 65536]
"""
import argparse
import json
import os
import re
import sys
import time
import types


def protocol_sketch():
    """The client of docs/PROTOCOL.md section 22, as the document has it (tst_protocolsketch keeps it working)."""
    document = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "PROTOCOL.md")
    with open(document, encoding="utf-8") as text:
        source = text.read()
    block = re.search(r"```python\n(.*?)\n```", source[source.index("\n## 22."):], re.S)
    module = types.ModuleType("ferry_client")
    exec(compile(block.group(1), document, "exec"), module.__dict__)
    return module


def proc_status_kib(pid, field):
    """VmRSS / VmHWM of a process in KiB (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--path", required=True, help="remote file to get, e.g. /big.bin")
    parser.add_argument("--pid", type=int, required=True, help="ferryd's PID, to sample its memory")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--chunk", type=int, default=65536, help="bytes per read")
    parser.add_argument("--interval", type=float, default=0.01, help="seconds between reads")
    args = parser.parse_args()
    password = os.environ.get("FERRY_PASSWORD")
    if password is None:
        sys.exit("slow_reader.py: set FERRY_PASSWORD")

    client = protocol_sketch().FerryClient(args.host, args.port)
    client.login(args.user, password)
    hwm_before = proc_status_kib(args.pid, "VmHWM")
    rid = client.request("get", path=args.path)
    ok, _ = client.reply(rid)  # the get's ok: size and mtime; data frames follow

    # From here on read raw bytes (frame boundaries do not matter for a memory probe), slowly.
    rss_max, bytes_read = 0, 0
    start = time.monotonic()
    next_sample = start
    while time.monotonic() - start < args.seconds:
        chunk = client.sock.recv(args.chunk)
        if not chunk:
            break
        bytes_read += len(chunk)
        now = time.monotonic()
        if now >= next_sample:
            rss_max = max(rss_max, proc_status_kib(args.pid, "VmRSS"))
            next_sample = now + 0.1
        time.sleep(args.interval)
    seconds = time.monotonic() - start
    result = {
        "size": ok.get("size"),
        "bytes_read": bytes_read,
        "seconds": round(seconds, 3),
        "hwm_before_kib": hwm_before,
        "hwm_after_kib": proc_status_kib(args.pid, "VmHWM"),
        "rss_max_kib": max(rss_max, proc_status_kib(args.pid, "VmRSS")),
    }
    client.sock.close()  # drop the download mid-stream, like a client that gave up
    time.sleep(0.5)
    result["rss_after_kib"] = proc_status_kib(args.pid, "VmRSS")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
