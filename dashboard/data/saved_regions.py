"""Custom regions kept on the server, by the hash of their content, so a link names them by a short id.

A session's uploaded regions live in one replica's memory; when that replica
dies, the browser reconnects to another, which has only the link. Every
custom region a session holds is therefore written here (one small JSON file
per region, named by the SHA-256 of its canonical content), and links carry
the ids: any replica sharing the folder reopens all of them, and a region of
1,400 counties costs 20 characters of link, not 8,400.

The folder is :func:`folder` (``SECTOR_ATLAS_SAVED``, default ``saved-regions``
in the per-user cache folder). Content addressing makes a write idempotent and
a file self-checking: what is read must hash to its name, so a damaged or
edited file is refused, never shown as another region. Nothing here
interprets the content: the caller rebuilds the region with
:func:`dashboard.analysis.regions.custom_region`, which checks every county.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from dashboard.data import paths

ID = re.compile(r"[0-9a-f]{20}")
#: The largest file kept: every US county with the longest name is about 20 KB.
MAX_BYTES = 64 * 1024


def folder() -> Path:
    if os.environ.get("SECTOR_ATLAS_SAVED"):
        return Path(os.environ["SECTOR_ATLAS_SAVED"]).resolve()
    return paths.cache_dir() / "saved-regions"


def _payload(counties, name: str) -> bytes:
    return json.dumps({"counties": sorted(counties), "name": name}, separators=(",", ":"), sort_keys=True).encode()


def region_id(counties, name: str) -> str:
    """The id of a region's content (its sorted counties and its name)."""
    return hashlib.sha256(_payload(counties, name)).hexdigest()[:20]


def save(counties, name: str) -> str | None:
    """Keep the region; its id, or None when it cannot be kept (too large, the folder not writable)."""
    body = _payload(counties, name)
    if len(body) > MAX_BYTES:
        return None
    rid = hashlib.sha256(body).hexdigest()[:20]
    dest = folder() / f"{rid}.json"
    if dest.exists():
        return rid
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=dest.parent, prefix=".saving-", delete=False) as tmp:
            tmp.write(body)
        os.replace(tmp.name, dest)
    except OSError:
        return None
    return rid


def load(rid: str) -> tuple[tuple[str, ...], str] | None:
    """The counties and name saved under ``rid``; None when unknown, unreadable or not what the id says."""
    if not ID.fullmatch(rid):
        return None
    path = folder() / f"{rid}.json"
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        body = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(body).hexdigest()[:20] != rid:
        return None
    try:
        raw = json.loads(body)
        counties, name = raw["counties"], raw["name"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(name, str) or not isinstance(counties, list) or not all(isinstance(c, str) for c in counties):
        return None
    return tuple(counties), name
