"""Downloads for ``python -m dashboard update``: one GET per file, checked, bounded, with a progress bar.

Every problem becomes an :class:`UpdateError` whose message is one line naming
the address and the problem. A machine without a network (no name resolution,
connection refused, no route) raises :class:`OfflineError` on the first
request, so the command says so at once instead of trying every file.

Nothing a server sends can exhaust the host that serves the app: each file is
streamed to disk and refused past :data:`MAX_FILE_BYTES`, a run past
:data:`MAX_RUN_BYTES`; a file must arrive within :data:`FILE_DEADLINE_S` and
the whole run within :data:`RUN_DEADLINE_S` however slowly the bytes come (a
watchdog closes the connection at the deadline); a redirect is followed only
within the host asked, so the manifest's address is where the figures came
from; and every string a server chooses (the reason phrase, a redirect target)
is shown as inert text.
"""

from __future__ import annotations

import errno
import http.client
import os
import re
import socket
import ssl
import sys
import tempfile
import threading
import time
import urllib.parse

from dashboard.data.plain_text import inert

TIMEOUT_S = 60
CHUNK = 1 << 16
USER_AGENT = "sector-atlas-update/1 (python urllib)"
#: The user's contact, put in the User-Agent of every request (BLS blocks robots that give none).
CONTACT_ENV = "SECTOR_ATLAS_CONTACT"
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
#: The largest file a publisher serves the update: BLS's NAICS 10 slice (every area and ownership) is
#: about 4 MB, Census's county CBP answer for every code about 15 MB; four times the largest.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: A whole run: QCEW's some 110 slices come to about 150 MB; several times that.
MAX_RUN_BYTES = 1024 * 1024 * 1024
#: One file, from the request to its last byte, and one whole run (every file, every retry).
FILE_DEADLINE_S = 600
RUN_DEADLINE_S = 3 * 3600
MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
#: errno values that mean "no network here" rather than "this server misbehaved".
OFFLINE_ERRNOS = {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EADDRNOTAVAIL}


class UpdateError(Exception):
    """An update that cannot go on; the message is one line naming the file (address) and the problem."""

    def __init__(self, url: str, problem: str):
        self.url = inert(url, 2000)
        self.problem = inert(problem, 2000)
        super().__init__(f"{self.url}: {self.problem}" if url else self.problem)


class OfflineError(UpdateError):
    """The publisher cannot be reached at all (no network, name resolution or connection refused)."""


class NotPublished(UpdateError):
    """The publisher answers, but has no such file (HTTP 404) or the file holds no data rows."""


def _offline(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.gaierror):
        return True
    if isinstance(reason, ConnectionRefusedError):
        return True
    return isinstance(reason, OSError) and reason.errno in OFFLINE_ERRNOS


def contact() -> str | None:
    """The email address in ``SECTOR_ATLAS_CONTACT`` (None when unset); anything else is refused."""
    value = os.environ.get(CONTACT_ENV, "").strip()
    if not value:
        return None
    if len(value) > 254 or not EMAIL.match(value):
        raise UpdateError(
            "",
            f"{CONTACT_ENV} must be one email address (e.g. you@agency.gov), which BLS and the "
            "Census Bureau can write to about your requests",
        )
    return value


def user_agent() -> str:
    """The User-Agent of every request: the program and, when set, the user's contact."""
    email = contact()
    return USER_AGENT if email is None else f"sector-atlas-update/1 (python urllib; contact {email})"


class Progress:
    """A plain-text progress bar on stderr, redrawn in place, shown only on a terminal.

    Redirected to a file or a pipe it writes nothing, so what a script or a
    log gets is the result (or one error line), not a trail of redraws.
    """

    def __init__(self, label: str, total: int, stream=None, width: int = 28):
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.bytes = 0
        self._last_draw = 0.0
        self._drawn = False

    def grow(self, extra: int) -> None:
        self.total = max(self.total + extra, 1)

    def add_bytes(self, n: int) -> None:
        self.bytes += n
        if time.monotonic() - self._last_draw > 0.2:
            self._draw()

    def file_done(self) -> None:
        self.done += 1
        self._draw()

    def close(self) -> None:
        if self._drawn:
            self._draw()
            self._write("\n")
            self._drawn = False

    def line(self) -> str:
        filled = self.width * min(self.done, self.total) // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        return f"{self.label} [{bar}] {min(self.done, self.total)}/{self.total} files, {self.bytes / 1e6:.1f} MB"

    def _draw(self) -> None:
        if not self.tty:
            return
        self._last_draw = time.monotonic()
        self._drawn = True
        self._write("\r" + self.line() + "\x1b[K")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken stderr must not stop the update


def request_headers(url: str) -> dict[str, str]:
    """The headers of every request to ``url`` (identity encoding: the byte caps count what is stored)."""
    return {"User-Agent": user_agent(), "Accept-Encoding": "identity"}  # the contact as the environment says now


class Downloader:
    """GETs files one at a time within the caps and deadlines; counts files and bytes for the summary."""

    def __init__(
        self,
        progress: Progress | None = None,
        timeout: float = TIMEOUT_S,
        *,
        max_file_bytes: int = MAX_FILE_BYTES,
        max_run_bytes: int = MAX_RUN_BYTES,
        file_deadline: float = FILE_DEADLINE_S,
        run_deadline: float = RUN_DEADLINE_S,
        params: dict | None = None,
    ):
        self.progress = progress
        #: Query parameters added to every request (the Census key), never shown in messages.
        self.params = dict(params or {})
        self.user_agent = user_agent()
        #: Where the last answer came from (after any redirect, without the parameters) and what it said it was.
        self.final_url = ""
        self.content_type = ""
        self.timeout = timeout
        self.max_file_bytes, self.max_run_bytes = max_file_bytes, max_run_bytes
        self.file_deadline = file_deadline
        self.run_ends = time.monotonic() + run_deadline
        self.run_deadline = run_deadline
        self.files = 0
        self.bytes = 0
        self.received = 0  # every byte read, retries included: what the run cap counts

    def get(self, url: str, *, missing_ok: bool = False) -> bytes | None:
        """The body of ``url``; ``None`` for a 404 when ``missing_ok``.

        A dropped connection or a read that times out is tried once more.
        """
        global LAST_FILE
        LAST_FILE = url
        for attempt in (1, 2):
            try:
                body = self._get_once(url)
            except UpdateError as exc:
                if not self.params:
                    raise
                # the Census key never reaches a message
                raise type(exc)(_without(exc.url, self.params), exc.problem) from None
            except _Status as exc:
                exc.url = _without(exc.url, self.params)
                if exc.code == 404:
                    if missing_ok:
                        return None
                    raise NotPublished(exc.url, "not found (HTTP 404)") from None
                if exc.code >= 500 and attempt == 1:
                    continue  # a busy or restarting server: once more
                raise UpdateError(exc.url, f"the server answered HTTP {exc.code} {inert(exc.reason, 80)}") from None
            except _Retry as exc:
                exc.url = _without(exc.url, self.params)
                if attempt == 2:
                    raise UpdateError(exc.url or url, exc.problem) from None
                continue
            self.files += 1
            self.bytes += len(body)
            if self.progress:
                self.progress.file_done()
            return body
        raise AssertionError("unreachable")

    def _get_once(self, url: str) -> bytes:
        ends = min(time.monotonic() + self.file_deadline, self.run_ends)
        current = url
        if self.params:
            current += ("&" if "?" in url else "?") + urllib.parse.urlencode(self.params)
        for _ in range(MAX_REDIRECTS + 1):
            target = self._fetch(current, url, ends)
            if target is None:
                return self._body
            current = target
        raise UpdateError(url, f"more than {MAX_REDIRECTS} redirects")

    def _fetch(self, url: str, asked: str, ends: float) -> str | None:
        """One request; the redirect's target (same host only), or None with the body in ``self._body``."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UpdateError(url, "not an http(s) address")
        if time.monotonic() >= ends:
            raise self._late(url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        extra = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
        conn = kind(parts.hostname, parts.port, timeout=min(self.timeout, max(ends - time.monotonic(), 0.1)), **extra)
        # the deadline holds however slowly a server sends: at the deadline the connection is closed
        watchdog = threading.Timer(max(ends - time.monotonic(), 0), _cut, [conn])
        watchdog.daemon = True
        watchdog.start()
        try:
            try:
                path = parts.path or "/"
                conn.request("GET", path + (f"?{parts.query}" if parts.query else ""), headers=request_headers(url))
                resp = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                if time.monotonic() >= ends:
                    raise self._late(url) from None
                if isinstance(exc, OSError) and _offline(exc):
                    raise OfflineError(
                        url, f"cannot reach {parts.netloc} ({exc}); no network? Nothing was changed"
                    ) from None
                if isinstance(exc, (TimeoutError, socket.timeout)):
                    raise _Retry(f"no answer within {self.timeout:.0f} s", url) from None
                raise _Retry(f"connection failed ({exc})", url) from None
            if resp.status in REDIRECTS:
                return self._redirect(url, asked, resp.getheader("Location") or "")
            if resp.status >= 400:
                raise _Status(url, resp.status, resp.reason or "")
            if resp.status != 200:
                raise UpdateError(url, f"the server answered HTTP {resp.status} {inert(resp.reason or '', 80)}")
            self.final_url = _without(url, self.params)
            self.content_type = resp.getheader("Content-Type") or ""
            self._body = self._stream(resp, url, ends)
            return None
        finally:
            watchdog.cancel()
            conn.close()

    def _redirect(self, url: str, asked: str, location: str) -> str:
        target = urllib.parse.urljoin(url, location)
        here, there = urllib.parse.urlsplit(url), urllib.parse.urlsplit(target)
        if not location or there.scheme not in ("http", "https"):
            raise UpdateError(url, f"a redirect to {inert(location, 200) or 'nowhere'}, which is not an address")
        if (there.hostname or "").lower() != (here.hostname or "").lower() or (there.port != here.port):
            raise UpdateError(
                url,
                f"redirected to another host ({inert(there.netloc, 200)}); only {here.netloc} is trusted for these "
                "figures, so the update stops",
            )
        return target

    def _stream(self, resp: http.client.HTTPResponse, url: str, ends: float) -> bytes:
        """The body, streamed to a temporary file within the byte caps, then read back."""
        expected = resp.getheader("Content-Length")
        if expected and expected.strip().isdigit() and int(expected) > self.max_file_bytes:
            raise UpdateError(
                url, f"the file is {int(expected):,} bytes, more than the {self.max_file_bytes:,} allowed"
            )
        got = 0
        with tempfile.TemporaryFile(prefix="sector-atlas-update-") as spool:
            try:
                while True:
                    chunk = resp.read1(CHUNK)
                    if not chunk:
                        break
                    got += len(chunk)
                    self.received += len(chunk)
                    if got > self.max_file_bytes:
                        raise UpdateError(url, f"the file exceeds the {self.max_file_bytes:,} bytes allowed; stopped")
                    if self.received > self.max_run_bytes:
                        raise UpdateError(url, f"the update exceeds the {self.max_run_bytes:,} bytes allowed for a run")
                    spool.write(chunk)
                    if self.progress:
                        self.progress.add_bytes(len(chunk))
            except http.client.IncompleteRead as exc:
                got += len(exc.partial)
                if time.monotonic() >= ends:
                    raise self._late(url) from None
                raise _Retry(f"connection dropped after {got:,} of {_size(expected)} bytes", url) from None
            except TimeoutError:
                if time.monotonic() >= ends:
                    raise self._late(url) from None
                raise _Retry(f"transfer stalled for {self.timeout:.0f} s after {got:,} bytes", url) from None
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                if time.monotonic() >= ends:
                    raise self._late(url) from None
                raise _Retry(f"connection dropped after {got:,} of {_size(expected)} bytes ({exc})", url) from None
            if time.monotonic() >= ends:
                raise self._late(url)
            if expected is not None and expected.strip().isdigit() and got != int(expected):
                raise _Retry(f"connection dropped after {got:,} of {int(expected):,} bytes", url)
            spool.seek(0)
            return spool.read()

    def _late(self, url: str) -> UpdateError:
        if time.monotonic() >= self.run_ends:
            return UpdateError(url, f"the update took longer than the {self.run_deadline:,.0f} s allowed for a run")
        return UpdateError(url, f"the file did not arrive within the {self.file_deadline:,.0f} s allowed for one file")


#: The address last asked for: what a fault no check foresaw is blamed on (see ``cli``).
LAST_FILE: str | None = None


def _cut(conn: http.client.HTTPConnection) -> None:
    """Close a connection from the watchdog thread: a blocked read returns at once."""
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _Status(Exception):
    def __init__(self, url: str, code: int, reason: str):
        self.url, self.code, self.reason = url, code, reason
        super().__init__(f"HTTP {code}")


def redirected(dl: Downloader, url: str) -> bool:
    """Whether the last answer came from another address than ``url`` (the server redirected)."""
    a, b = urllib.parse.urlsplit(dl.final_url), urllib.parse.urlsplit(url)
    return bool(dl.final_url) and (a.scheme, a.netloc, a.path) != (b.scheme, b.netloc, b.path)


def _without(url: str, params: dict) -> str:
    """``url`` without the given query parameters (a key must not reach a message or the manifest)."""
    if not params:
        return url
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, safe=":*,")))


def _size(expected: str | None) -> str:
    return f"{int(expected):,}" if expected and expected.isdigit() else "an unknown number of"


class _Retry(Exception):
    def __init__(self, problem: str, url: str = ""):
        self.problem, self.url = problem, url
        super().__init__(problem)
