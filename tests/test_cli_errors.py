"""Every command-line error is one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from cli_in_process import run

from dashboard import cli
from dashboard.report import profile

IN_EGR_2 = ["profile", "--scheme", "in-egr", "--region", "2"]


def assert_one_line_error(code, out: str, err: str, status: int | None = None) -> None:
    assert code != 0 and (status is None or code == status), (code, err)
    assert out == ""
    assert err.startswith("error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err


CASES = {
    "no command": ([], 2, "required: command"),
    "unknown command": (["nope"], 2, "invalid choice: 'nope'"),
    "unknown option": (["profile", "--colour", "red"], 2, "unrecognized arguments"),
    "brief without --out": (["brief", "--scheme", "in-egr", "--state", "IN"], 2, "--out"),
    "regions without --scheme": (["regions"], 2, "--scheme"),
    "no region": (["profile"], 2, "give --region"),
    "bad scheme": (["profile", "--scheme", "zip", "--region", "1"], 2, "unknown scheme 'zip'"),
    "bad region": (["profile", "--scheme", "cbsa", "--region", "99999"], 2, "no region '99999'"),
    "junk counties": (["profile", "--counties", "1803x,<b>"], 2, "not county FIPS codes"),
    "empty county list": (["profile", "--counties", ",;,"], 2, "at least one county"),
    "unknown county": (["profile", "--counties", "99999"], 2, "unknown county FIPS: 99999"),
    "other-script digits in counties": (
        ["profile", "--counties", "١٨٠٣٩"],
        2,
        "not county FIPS codes: '١٨٠٣٩' (a code is 4 or 5 ASCII digits, 0-9)",
    ),
    "full-width digits in counties": (
        ["profile", "--counties", "18039,１８１４１"],
        2,
        "not county FIPS codes: '１８１４１' (a code is 4 or 5 ASCII digits, 0-9)",
    ),
    "year not loaded": ([*IN_EGR_2, "--year", "1999"], 2, "1999 is not loaded"),
    "year in the future": ([*IN_EGR_2, "--year", "9999"], 2, "9999 is not loaded"),
    "year not a number": ([*IN_EGR_2, "--year", "abcd"], 2, "not a four-digit year"),
    "year of five digits": ([*IN_EGR_2, "--year", "20160"], 2, "not a four-digit year"),
    "year with a sign": ([*IN_EGR_2, "--year", "-201"], 2, "--year"),
    "year in full-width digits": ([*IN_EGR_2, "--year", "２０１６"], 2, "not a four-digit year"),
    "year in Arabic-Indic digits": ([*IN_EGR_2, "--year", "٢٠١٦"], 2, "not a four-digit year"),
    "unknown sector": ([*IN_EGR_2, "--sector", "nope"], 2, "unknown partnership sector 'nope'"),
    "unknown format": ([*IN_EGR_2, "--format", "xml"], 2, "invalid choice: 'xml'"),
    "regions of an unknown scheme": (["regions", "--scheme", "zip"], 2, "unknown scheme"),
    "regions of an unknown state": (["regions", "--scheme", "county", "--state", "99"], 2, "no counties of state"),
    "brief of an unknown state": (["brief", "--scheme", "in-egr", "--state", "ZZ", "--out", "x"], 2, "unknown state"),
    "brief of an unknown scheme": (["brief", "--scheme", "zip", "--state", "IN", "--out", "x"], 2, "unknown scheme"),
    "brief year out of range": (
        ["brief", "--scheme", "in-egr", "--state", "IN", "--out", "x", "--year", "1066"],
        2,
        "1066 is not loaded",
    ),
    "update year out of range": (["update", "--year", "1800"], 2, "out of range"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_usage_and_input_errors_are_one_line(case, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a brief that got through would write here, not into the checkout
    args, status, words = CASES[case]
    code, out, err = run(args, capsys)
    assert_one_line_error(code, out, err, status)
    assert words in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_unwritable_output_folder_for_briefs(capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker, blocker / "sub", "/proc/sector-atlas-briefs"):
        code, stdout, err = run(["brief", "--scheme", "in-egr", "--state", "IN", "--out", str(out)], capsys)
        assert_one_line_error(code, stdout, err, 1)
        assert f"cannot write briefs to {out}" in err


def test_an_interrupt_is_one_line(capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(profile, "region_profile", interrupted)
    code, out, err = run(IN_EGR_2, capsys)
    assert_one_line_error(code, out, err, 130)
    assert "interrupted" in err


def test_an_unexpected_failure_is_one_line_unless_asked_for(capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("something\nunforeseen")

    monkeypatch.setattr(profile, "region_profile", broken)
    monkeypatch.delenv("SECTOR_ATLAS_DEBUG", raising=False)
    code, out, err = run(IN_EGR_2, capsys)
    assert_one_line_error(code, out, err, 1)
    assert "RuntimeError: something unforeseen" in err
    monkeypatch.setenv("SECTOR_ATLAS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(IN_EGR_2)


def test_a_good_profile_still_prints_json(capsys):
    code, out, err = run([*IN_EGR_2, "--year", "2016"], capsys)
    assert code == 0 and err == ""
    assert json.loads(out)["year"] == 2016


def test_ascii_county_codes_still_make_a_custom_region(capsys):
    """Elkhart (18039) and St. Joseph (18141) counties, Indiana, the codes written as 4 digits where they can be."""
    code, out, err = run(["profile", "--counties", "18039, 18141", "--year", "2016"], capsys)
    assert code == 0 and err == ""
    assert json.loads(out)["region"]["counties"] == ["18039", "18141"]
    code, out, err = run(["profile", "--counties", "1001", "--year", "2016"], capsys)  # Autauga County, AL
    assert code == 0 and json.loads(out)["region"]["counties"] == ["01001"]


# --- as a process ----------------------------------------------------------------------------------


def _process(args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, timeout=300, check=False, **kwargs
    )


@pytest.mark.parametrize(
    "args,status",
    [
        (["nope"], 2),
        ([*IN_EGR_2, "--year", "２０１６"], 2),
        (["profile", "--counties", "18039,abc"], 2),
        (["profile", "--counties", "١٨٠٣٩,18141"], 2),
        ([*IN_EGR_2, "--year", "2099"], 2),
    ],
)
def test_the_process_prints_one_line_and_no_traceback(args, status):
    proc = _process(args)
    assert proc.returncode == status
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("error: "), proc.stderr


def test_a_reader_that_stops_early_is_not_an_error_message():
    """``python -m dashboard regions --scheme county | head -1``: the pipe closes; no traceback, no error line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "regions", "--scheme", "county"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # as head does after its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert first.startswith(b"01001\t")
    assert "Traceback" not in err and "Exception ignored" not in err and err == "", err
    assert proc.returncode != 0
