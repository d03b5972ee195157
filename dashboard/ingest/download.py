"""Fetch newer official annual files from their publishers.

The product runs offline on its committed data; this is for a person with a
network who wants a newer year. Without a network it fails fast with a clear
message and writes nothing.
"""

from __future__ import annotations

import tempfile
import urllib.error
import urllib.request
from pathlib import Path

#: Official download addresses, by source. BLS serves the annual averages as
#: one zipped CSV per year; Census serves the county file as a zip.
URLS = {
    "qcew": "https://data.bls.gov/cew/data/files/{year}/csv/{year}_annual_singlefile.zip",
    "cbp": "https://www2.census.gov/programs-surveys/cbp/datasets/{year}/cbp{yy}co.zip",
}
TIMEOUT_S = 10


def official_url(source: str, year: int) -> str:
    if source not in URLS:
        raise ValueError(f"unknown source {source!r}; choose from {sorted(URLS)}")
    if not 1990 <= year <= 2100:
        raise ValueError(f"year {year} is out of range")
    return URLS[source].format(year=year, yy=f"{year % 100:02d}")


def download_official(source: str, year: int, out_dir: Path) -> Path:
    """Download one official file into ``out_dir``; nothing is left behind on failure."""
    url = official_url(source, year)
    out_dir = Path(out_dir)
    dest = out_dir / url.rsplit("/", 1)[1]
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as resp:
            out_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=out_dir, delete=False, suffix=".part") as tmp:
                while chunk := resp.read(1 << 20):
                    tmp.write(chunk)
        Path(tmp.name).replace(dest)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        if "tmp" in locals():
            Path(tmp.name).unlink(missing_ok=True)
        raise ConnectionError(
            f"could not download {url} ({getattr(exc, 'reason', exc)}). No network? "
            "Nothing was written. Download the file by hand where a network is available."
        ) from exc
    return dest
