"""Fetching newer official files: addresses, and failing cleanly without a network.

No test here touches the network: ``urllib.request.urlopen`` is replaced.
"""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard.ingest import download
from dashboard.ingest.download import download_official, official_url


def test_official_urls():
    assert official_url("qcew", 2023) == "https://data.bls.gov/cew/data/files/2023/csv/2023_annual_singlefile.zip"
    assert official_url("cbp", 2021) == "https://www2.census.gov/programs-surveys/cbp/datasets/2021/cbp21co.zip"
    assert official_url("cbp", 2005) == "https://www2.census.gov/programs-surveys/cbp/datasets/2005/cbp05co.zip"


@pytest.mark.parametrize("source, year", [("bea", 2021), ("QCEW", 2021), ("", 2021), ("cbp", 1989), ("qcew", 2101), ("qcew", -2021)])
def test_bad_source_or_year(source, year, tmp_path):
    with pytest.raises(ValueError):
        official_url(source, year)
    with pytest.raises(ValueError):
        download_official(source, year, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def _offline(url, timeout=None):
    raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")


def test_no_network_raises_connection_error_and_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(urllib.request, "urlopen", _offline)
    out = tmp_path / "downloads"
    with pytest.raises(ConnectionError) as err:
        download_official("qcew", 2023, out)
    message = str(err.value)
    assert official_url("qcew", 2023) in message
    assert "name resolution" in message and "No network?" in message
    assert not out.exists() or not any(out.iterdir())


def test_no_network_leaves_an_existing_folder_as_it_was(monkeypatch, tmp_path):
    monkeypatch.setattr(urllib.request, "urlopen", _offline)
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(ConnectionError):
        download_official("cbp", 2021, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_timeout_is_a_connection_error(monkeypatch, tmp_path):
    def slow(url, timeout=None):
        assert timeout == download.TIMEOUT_S
        raise TimeoutError("timed out")

    monkeypatch.setattr(urllib.request, "urlopen", slow)
    with pytest.raises(ConnectionError, match="timed out"):
        download_official("cbp", 2021, tmp_path / "out")
    assert not (tmp_path / "out").exists()


class _Response(io.BytesIO):
    """A response that yields ``data`` and then, if ``fail``, drops the connection."""

    def __init__(self, data: bytes, fail: bool = False):
        super().__init__(data)
        self.fail = fail

    def read(self, size=-1):
        chunk = super().read(size)
        if not chunk and self.fail:
            raise ConnectionResetError("connection reset by peer")
        return chunk


def test_broken_transfer_leaves_no_partial_file(monkeypatch, tmp_path):
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout=None: _Response(b"PK\x03\x04" * 1000, fail=True))
    out = tmp_path / "out"
    with pytest.raises(ConnectionError, match="connection reset"):
        download_official("cbp", 2021, out)
    assert not out.exists() or not any(out.iterdir())


def test_successful_download(monkeypatch, tmp_path):
    seen = []

    def fake(url, timeout=None):
        seen.append(url)
        return _Response(b"PK\x03\x04 payload")

    monkeypatch.setattr(urllib.request, "urlopen", fake)
    dest = download_official("cbp", 2021, tmp_path / "out")
    assert seen == [official_url("cbp", 2021)]
    assert dest == tmp_path / "out" / "cbp21co.zip"
    assert dest.read_bytes() == b"PK\x03\x04 payload"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["cbp21co.zip"]  # no .part left
    assert isinstance(dest, Path)
