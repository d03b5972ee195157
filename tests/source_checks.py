"""Assertions shared by the parser tests."""

from __future__ import annotations

from pathlib import Path

import pytest


def assert_names(err: pytest.ExceptionInfo, path: Path | str, line: int | None = None) -> None:
    """The SourceError names the file and, when given, the line."""
    message = str(err.value)
    assert str(path) in message
    if line is not None:
        assert err.value.line == line
        assert f"line {line}" in message
