"""One upload limit: what Streamlit lets through, what the validator enforces and what the page says.

Streamlit's ``server.maxUploadSize`` is in MB. The browser refuses a larger file itself, counting
1 MB as 1,000,000 bytes on Linux and macOS (1,048,576 on Windows); Streamlit's server accepts up to
maxUploadSize x 1,048,576 bytes. So the validator's limit is maxUploadSize x 1,000,000 bytes: a file
the browser lets through on any system is either within it or refused with the stated limit.
tests/browser/test_browser.py checks the browser's side in Chromium.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.analysis import uploads
from dashboard.data import paths

CONFIG = tomllib.loads((paths.ROOT / ".streamlit" / "config.toml").read_text())


def test_streamlit_and_the_validator_share_one_limit():
    mb = CONFIG["server"]["maxUploadSize"]
    assert uploads.MAX_UPLOAD_MB == mb
    assert uploads.MAX_UPLOAD_BYTES == mb * 1_000_000 == 10_000_000
    assert uploads.MAX_UPLOAD_BYTES <= mb * 1024 * 1024  # Streamlit's server never cuts an upload the validator allows


def test_the_validator_refuses_one_byte_over_and_says_the_limit():
    # a file of exactly the limit is refused for its content, not its size
    with pytest.raises(uploads.UploadError) as at_limit:
        uploads.parse_region_csv(b"x" * uploads.MAX_UPLOAD_BYTES, "big.csv")
    assert "MB" not in at_limit.value.message
    with pytest.raises(uploads.UploadError) as over:
        uploads.parse_region_csv(b"x" * (uploads.MAX_UPLOAD_BYTES + 1), "big.csv")
    assert "big.csv is 10.00 MB (10,000,001 bytes)" in over.value.message
    assert "the limit is 10 MB (10,000,000 bytes)" in over.value.message


def test_the_custom_regions_page_states_the_same_limit():
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/custom_regions.py").run()
    assert not at.exception
    stated = [m for md in at.markdown for m in re.findall(r"at most (\d+(?:\.\d+)?) MB", md.value)]
    assert stated == [str(CONFIG["server"]["maxUploadSize"])], stated
