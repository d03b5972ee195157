"""Memory and time of ``update``'s downloads against a server that never stops sending, and a large file.

Usage (from the repository root, with the project's virtualenv)::

    python bench/update_limits_bench.py

Each case runs in a fresh process (its peak resident memory is its own) against a local server on
127.0.0.1: an endless body (no Content-Length), a complete 150 MB file (above the 64 MB cap: refused
when its Content-Length arrives), a complete 60 MB file (within the cap: read, streamed to disk), and a
server sending one byte every 5 s (the per-file deadline set to 20 s for the run). It prints each case's
outcome, seconds and peak RSS beside the load average, and always exits 0.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CHUNK = b"x" * 65536


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        try:
            if self.path == "/endless":
                self.send_response(200)
                self.send_header("Connection", "close")
                self.end_headers()
                while True:
                    self.wfile.write(CHUNK)
            elif self.path.startswith("/size/"):
                n = int(self.path.rsplit("/", 1)[1])
                self.send_response(200)
                self.send_header("Content-Length", str(n))
                self.end_headers()
                for _ in range(n // len(CHUNK)):
                    self.wfile.write(CHUNK)
                self.wfile.write(b"x" * (n % len(CHUNK)))
            elif self.path == "/drip":
                self.send_response(200)
                self.send_header("Content-Length", "1000000")
                self.end_headers()
                while True:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(5)
        except OSError:
            pass


def one(url: str, deadline: float) -> None:
    from dashboard.data.update.http import Downloader, UpdateError

    started = time.monotonic()
    try:
        body = Downloader(file_deadline=deadline).get(url)
        outcome = f"read {len(body):,} bytes"
    except UpdateError as exc:
        outcome = "refused: " + exc.problem
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{time.monotonic() - started:7.1f} s  peak {peak_mb:7.1f} MB  {outcome}")


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        one(sys.argv[2], float(sys.argv[3]))
        return 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    cases = [
        ("endless body", "/endless", 600),
        ("150 MB file", f"/size/{150 * 1024 * 1024}", 600),
        ("60 MB file", f"/size/{60 * 1024 * 1024}", 600),
        ("a byte every 5 s", "/drip", 20),
    ]
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    for label, path, deadline in cases:
        print(f"{label:18}", end=" ", flush=True)
        subprocess.run([sys.executable, __file__, "--one", base + path, str(deadline)], check=False)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
