"""Downloads for ``python -m dashboard update``: one GET per file, checked, with a progress bar.

Every problem becomes an :class:`UpdateError` whose message is one line naming
the address and the problem. A machine without a network (no name resolution,
connection refused, no route) raises :class:`OfflineError` on the first
request, so the command says so at once instead of trying every file.
"""

from __future__ import annotations

import errno
import http.client
import os
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_S = 60
CHUNK = 1 << 16
USER_AGENT = "sector-atlas-update/1 (python urllib)"
#: The user's contact, put in the User-Agent of every request (BLS blocks robots that give none).
CONTACT_ENV = "SECTOR_ATLAS_CONTACT"
EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
#: errno values that mean "no network here" rather than "this server misbehaved".
OFFLINE_ERRNOS = {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EADDRNOTAVAIL}


class UpdateError(Exception):
    """An update that cannot go on; the message is one line naming the file (address) and the problem."""

    def __init__(self, url: str, problem: str):
        self.url = url
        self.problem = problem
        super().__init__(f"{url}: {problem}" if url else problem)


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


class Downloader:
    """GETs files one at a time; counts files and bytes for the summary."""

    def __init__(self, progress: Progress | None = None, timeout: float = TIMEOUT_S, params: dict | None = None):
        self.progress = progress
        self.timeout = timeout
        #: Query parameters added to every request (the Census key), never shown in messages.
        self.params = dict(params or {})
        self.user_agent = user_agent()
        self.files = 0
        self.bytes = 0
        #: Where the last answer came from (after any redirect) and what it said it was.
        self.final_url = ""
        self.content_type = ""

    def get(self, url: str, *, missing_ok: bool = False) -> bytes | None:
        """The body of ``url``; ``None`` for a 404 when ``missing_ok``.

        A dropped connection or a read that times out is tried once more.
        """
        for attempt in (1, 2):
            try:
                body = self._get_once(url)
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    if missing_ok:
                        return None
                    raise NotPublished(url, "not found (HTTP 404)") from None
                if exc.code >= 500 and attempt == 1:
                    continue  # a busy or restarting server: once more
                raise UpdateError(url, f"the server answered HTTP {exc.code} {exc.reason}") from None
            except _Retry as exc:
                if attempt == 2:
                    raise UpdateError(url, exc.problem) from None
                continue
            self.files += 1
            self.bytes += len(body)
            if self.progress:
                self.progress.file_done()
            return body
        raise AssertionError("unreachable")

    def _get_once(self, url: str) -> bytes:
        full = url
        if self.params:
            full += ("&" if "?" in url else "?") + urllib.parse.urlencode(self.params)
        req = urllib.request.Request(full, headers={"User-Agent": self.user_agent, "Accept-Encoding": "identity"})
        try:
            resp = urllib.request.urlopen(req, timeout=self.timeout)
        except urllib.error.HTTPError:
            raise
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if _offline(exc):
                host = urllib.request.urlparse(url).netloc
                raise OfflineError(url, f"cannot reach {host} ({reason}); no network? Nothing was changed") from None
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise _Retry(f"no answer within {self.timeout:.0f} s") from None
            raise _Retry(f"connection failed ({reason})") from None
        with resp:
            self.final_url = _without(resp.geturl(), self.params)
            self.content_type = resp.headers.get("Content-Type", "")
            expected = resp.headers.get("Content-Length")
            parts, got = [], 0
            try:
                while True:
                    chunk = resp.read(CHUNK)
                    if not chunk:
                        break
                    parts.append(chunk)
                    got += len(chunk)
                    if self.progress:
                        self.progress.add_bytes(len(chunk))
            except http.client.IncompleteRead as exc:
                got += len(exc.partial)
                raise _Retry(f"connection dropped after {got:,} of {_size(expected)} bytes") from None
            except TimeoutError:
                raise _Retry(f"transfer stalled for {self.timeout:.0f} s after {got:,} bytes") from None
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                raise _Retry(f"connection dropped after {got:,} of {_size(expected)} bytes ({exc})") from None
        if expected is not None and expected.isdigit() and got != int(expected):
            raise _Retry(f"connection dropped after {got:,} of {int(expected):,} bytes")
        return b"".join(parts)


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
    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(problem)
