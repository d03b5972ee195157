"""Records made as a user makes them: a CSV file imported with the command line."""

from __future__ import annotations

import csv
import io
import json

from cli_in_process import run

from dashboard import cli
from dashboard.registry import csvio

#: Breathitt County, Kentucky: Healthcare is an existing strength there, determined by the published ranges.
COUNTY = "21025"


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csvio.COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def import_rows(tmp_path, rows: list[dict], capsys, name: str = "import.csv") -> tuple[int, str, str]:
    path = tmp_path / name
    path.write_text(csv_text(rows), encoding="utf-8")
    return run(["db", "import", str(path)], capsys)


def partnership(name: str, phase: str = "active", region: str = COUNTY, sector: str = "healthcare", **more) -> dict:
    return {
        "record": "partnership",
        "partnership": name,
        "scheme": "county",
        "region": region,
        "sector": sector,
        "phase": phase,
        "convener": "a local workforce development board",
        "convener_kind": "workforce-board",
        **more,
    }


def member(of: dict, organisation: str, seat: str, kind: str = "champion", naics: str = "", **more) -> dict:
    key = {k: of[k] for k in ("partnership", "scheme", "region", "sector") if k in of}
    key.update({k: of[k] for k in ("counties",) if k in of})
    return {"record": "member", **key, "organisation": organisation, "seat": seat, "kind": kind, "naics": naics, **more}


def coverage_cell(capsys, region: str = COUNTY, sector: str = "healthcare") -> dict:
    capsys.readouterr()
    assert cli.main(["db", "coverage", "--state", "KY", "--scheme", "county"]) == 0
    cells = json.loads(capsys.readouterr().out)["cells"]
    return next(c for c in cells if c["region_id"] == region and c["sector_id"] == sector)
