#!/usr/bin/env python3
"""Slow-reader probe for tests/bench/run.sh: does ferryd's memory stay bounded when a client reads slowly?

Logs in to a ferryd (TLS 1.3 and SCRAM-SHA-256-PLUS, as the client sketch of docs/PROTOCOL.md section 22 does;
it trusts whichever server it reaches, which run.sh started), sends one `get` and then
reads the reply stream at a crawl (CHUNK bytes every INTERVAL seconds) for SECONDS, while sampling the server's
VmRSS / VmHWM from /proc/PID/status. A server that queued the whole file for a slow client would grow by
hundreds of MiB here; one that writes under a watermark stays at a few MiB above its idle size.

Prints one JSON object on stdout:
  {"bytes_read", "seconds", "hwm_before_kib", "hwm_after_kib", "rss_max_kib", "rss_after_kib", "size"}
Standard library only. Usage (password from FERRY_PASSWORD):
  slow_reader.py --port PORT --user USER --path /big.bin --pid SERVER_PID [--seconds 10] [--chunk 65536]
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import socket
import ssl
import struct
import sys
import time

MAX_HEADER, MAX_PAYLOAD = 65536, 4194304


class FerryError(Exception):
    def __init__(self, frame):
        super().__init__(f"{frame.get('code')}: {frame.get('message')}")
        self.frame = frame


class FerryClient:
    """One request open at a time, as in docs/PROTOCOL.md section 22."""

    def __init__(self, host, port):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.sock = context.wrap_socket(socket.create_connection((host, port)))
        # tls-server-end-point channel binding (RFC 5929): SHA-256 of the server's certificate
        self.channel_binding = hashlib.sha256(self.sock.getpeercert(binary_form=True)).digest()
        self.last_id = 0
        self.hello = self.read_frame()[0]
        if self.hello.get("op") != "hello" or self.hello.get("proto") != 2:
            raise ConnectionError(f"not a Ferry v2 server: {self.hello}")

    def _read_exact(self, n):
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("connection closed")
            buf += chunk
        return bytes(buf)

    def read_frame(self):
        (length,) = struct.unpack(">I", self._read_exact(4))
        if not 1 <= length <= MAX_HEADER:
            raise ConnectionError(f"bad header length {length}")
        header = json.loads(self._read_exact(length).decode("utf-8"))
        if not isinstance(header, dict) or not isinstance(header.get("op"), str):
            raise ConnectionError("bad header")
        size = header.get("bytes", 0)
        if type(size) is not int or not 0 <= size <= MAX_PAYLOAD:
            raise ConnectionError("bad payload size")
        payload = self._read_exact(size) if size else b""
        return header, payload

    def send_frame(self, header):
        data = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def request(self, op, **fields):
        self.last_id += 1
        self.send_frame({"op": op, "id": self.last_id, **fields})
        return self.last_id

    def reply(self, rid):
        while True:
            header, payload = self.read_frame()
            if header.get("re") == rid:
                if header["op"] == "error":
                    raise FerryError(header)
                return header, payload

    def login(self, user, password):
        name = user.replace("=", "=3D").replace(",", "=2C")
        client_nonce = base64.b64encode(secrets.token_bytes(18)).decode("ascii")
        client_first_bare = f"n={name},r={client_nonce}"
        gs2_header = "p=tls-server-end-point,,"
        rid = self.request("auth", mech="SCRAM-SHA-256-PLUS", data=gs2_header + client_first_bare)
        server_first = self.reply(rid)[0]["data"]
        attrs = dict(part.split("=", 1) for part in server_first.split(","))
        nonce, salt, iterations = attrs["r"], base64.b64decode(attrs["s"]), int(attrs["i"])
        if not nonce.startswith(client_nonce) or len(nonce) == len(client_nonce):
            raise ConnectionError("server nonce does not extend ours")
        if not 4096 <= iterations <= 10_000_000:
            raise ConnectionError(f"unacceptable iteration count {iterations}")

        def mac(key, msg):
            return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()

        salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
        client_key = mac(salted, "Client Key")
        stored_key = hashlib.sha256(client_key).digest()
        binding = base64.b64encode(gs2_header.encode("ascii") + self.channel_binding).decode("ascii")
        final_without_proof = f"c={binding},r={nonce}"
        auth_message = f"{client_first_bare},{server_first},{final_without_proof}"
        proof = bytes(a ^ b for a, b in zip(client_key, mac(stored_key, auth_message)))
        rid = self.request("auth", data=f"{final_without_proof},p={base64.b64encode(proof).decode()}")
        ok, _ = self.reply(rid)
        expected = "v=" + base64.b64encode(mac(mac(salted, "Server Key"), auth_message)).decode()
        if not hmac.compare_digest(ok["data"], expected):
            self.sock.close()
            raise ConnectionError("server signature mismatch")
        return ok


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

    client = FerryClient(args.host, args.port)
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
