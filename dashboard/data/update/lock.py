"""One update at a time: a lock file in the data folder, and the cleaning of what a stopped run left.

The lock is an advisory ``flock`` on ``DATA/.update.lock``, released by the
operating system when its holder exits however it exits (a crash, SIGKILL),
so a stale lock cannot block the next run. The holder writes its process id,
host and start time into the file, so a second run can say who it waits for.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

from dashboard.data.update.http import RUN_DEADLINE_S, UpdateError

LOCK_NAME = ".update.lock"
#: How long a second run waits for the first to finish installing (an install takes seconds).
WAIT_S = 300.0
POLL_S = 0.2
#: Folders a stopped run leaves: the install's (in the data folder) and the download's (in the system
#: temporary folder; removed only when older than the longest a run may take, so a live run's stays).
INSTALL_LEFTOVERS = ".update-*"
DOWNLOAD_LEFTOVERS = "sector-atlas-update-*"


def holder(path: Path) -> str:
    """Who holds the lock, in words (what the holder wrote into the lock file)."""
    try:
        text = path.read_text().strip()
    except OSError:
        text = ""
    return text or "another update"


@contextlib.contextmanager
def update_lock(data_dir: Path, wait: float = WAIT_S, log=None):
    """Hold the data folder's update lock; wait up to ``wait`` seconds for another run to release it.

    Raises :class:`UpdateError` naming the holder when it is still held after ``wait``.
    """
    path = Path(data_dir) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told and log is not None:
                    log(f"waiting for {holder(path)} to finish")
                    told = True
                if time.monotonic() >= deadline:
                    raise UpdateError(
                        str(path), f"{holder(path)} is installing into this data folder; try again when it ends"
                    ) from None
                time.sleep(POLL_S)
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"update by process {os.getpid()} on {socket.gethostname()}, started {started}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def clean_leftovers(data_dir: Path, older_than: float | None = None) -> list[Path]:
    """Remove what an interrupted run left; call with the lock held. Returns what was removed."""
    removed = []
    for folder in Path(data_dir).glob(INSTALL_LEFTOVERS):
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    limit = RUN_DEADLINE_S if older_than is None else older_than
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(DOWNLOAD_LEFTOVERS):
        try:
            info = folder.stat()
            stale = folder.is_dir() and now - info.st_mtime > limit and info.st_uid == os.getuid()
        except OSError:
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
