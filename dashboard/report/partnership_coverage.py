"""Coverage (state staff): every region of a state x every partnership sector, the sector's verdict there beside the
partnerships recorded for it.

The guidance's yardstick (A Sector Partnership Primer): each labour-market region should have an active partnership
for each industry critical to its economy. A *gap* is a sector that is an existing strength or emerging in the
region, with enough employers to field a table (at least the champions a launch needs), and no active partnership
covering the whole region. A partnership is *flagged* when the data do not support its sector there (the sector is
weak, or too few employers): the "wishful thinking" the guidance warns about.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from dashboard.analysis import formatting, measures, regions, sectors
from dashboard.data import catalogue
from dashboard.registry import queries
from dashboard.report import tables

#: Sectors critical to a region: its existing strengths and emerging sectors.
CRITICAL = ("existing strength", "emerging")
#: Classes the data do not support a partnership in.
UNSUPPORTED = ("weak",)
#: Phases in the order a cell shows the "best" one when several partnerships touch it.
PHASE_ORDER = {p: i for i, p in enumerate(("active", "launching", "exploring", "dormant", "ended"))}
STATUS_TEXT = {
    "gap": "gap",
    "covered": "covered",
    "flagged": "not supported",
    "": "",
}
CELL_COLUMNS = [
    "region_id", "region_name", "sector_id", "sector", "class", "verdict", "confidence", "pool", "establishments",
    "employment", "lq", "phase", "partnerships", "whole_region", "status",
]  # fmt: skip


@dataclass(frozen=True)
class Coverage:
    state: str
    state_name: str
    scheme: str
    year: int
    sectors: tuple[tuple[str, str], ...]
    cells: pd.DataFrame  # one row per region and sector (:data:`CELL_COLUMNS`)

    def gaps(self) -> pd.DataFrame:
        return self.cells[self.cells["status"] == "gap"].reset_index(drop=True)

    def flagged(self) -> pd.DataFrame:
        return self.cells[self.cells["status"] == "flagged"].reset_index(drop=True)

    def cell(self, region_id: str, sector_id: str) -> pd.Series:
        c = self.cells
        return c[(c["region_id"] == region_id) & (c["sector_id"] == sector_id)].iloc[0]

    def wide(self) -> pd.DataFrame:
        """Regions in rows, sectors in columns (by name), each cell its verdict, phase and status in short text."""
        c = self.cells.assign(text=self.cells.apply(cell_text, axis=1))
        grid = c.pivot(index="region_id", columns="sector", values="text")[[n for _, n in self.sectors]]
        names = c.drop_duplicates("region_id").set_index("region_id")["region_name"]
        out = pd.concat([names.rename(tables.heading("region")), grid], axis=1).reset_index(drop=True)
        out.columns.name = None
        return out

    def to_json(self) -> dict:
        """The grid for the command line: every cell, and the gaps and flagged partnerships apart."""

        def rows(frame: pd.DataFrame) -> list[dict]:
            return frame.drop(columns=["whole_region"]).assign(partnerships=frame["partnerships"]).to_dict("records")

        return {
            "state": self.state,
            "state_name": self.state_name,
            "scheme": self.scheme,
            "year": self.year,
            "gaps": rows(self.gaps()),
            "flagged": rows(self.flagged()),
            "cells": rows(self.cells),
        }

    def csv_frame(self) -> pd.DataFrame:
        out = self.cells.copy()
        out.insert(0, "state", self.state_name)
        out.insert(1, "scheme", self.scheme)
        out["industry_year"] = self.year
        return out


def cell_text(row: pd.Series) -> str:
    parts = [row["verdict"]]
    if row["phase"]:
        parts.append(row["phase"] + ("" if row["whole_region"] else " (part)"))
    if row["status"] in ("gap", "flagged"):
        parts.append(STATUS_TEXT[row["status"]].upper())
    return "; ".join(parts)


@lru_cache(maxsize=16)
def sector_verdicts(state: str, scheme: str, year: int) -> pd.DataFrame:
    """Every partnership sector's verdict, employer pool and figures in every region of ``scheme`` touching
    ``state`` (one pass over the industry data; kept, since it depends only on the data)."""
    table = regions.list_regions(scheme, state)
    view = [regions.resolve_region(scheme, rid) for rid in table["region_id"]]
    area_region, _ = measures.qcew_area_region(view, year)
    names = {s.id: s.name for s in sectors.load_taxonomy()}
    if area_region.empty:
        return pd.DataFrame(columns=CELL_COLUMNS[:11] + ["counties"])
    m = measures.group_measures(area_region, sectors.sector_groups(), year).reset_index(drop=True)
    v = sectors.verdicts(m)
    region_of = {r.id: r for r in view}
    out = pd.DataFrame(
        {
            "region_id": m["region_id"].astype(str),
            "region_name": m["region_id"].map(lambda r: region_of[r].name),
            "sector_id": m["group"],
            "sector": m["group"].map(names),
            "class": v["class"],
            "verdict": v["verdict"],
            "confidence": v["confidence"],
            "pool": m["estabs"].map(lambda n: sectors.employer_pool(int(n))["level"]),
            "establishments": m["estabs"].astype(int),
            "employment": [
                formatting.with_estimate(r.employment, r.emp_low, r.emp_high, r.employment_estimate, "count")
                for r in m.itertuples()
            ],
            "lq": [formatting.with_estimate(r.lq, r.lq_low, r.lq_high, r.lq_estimate, "ratio") for r in m.itertuples()],
            "counties": m["region_id"].map(lambda r: region_of[r].counties),
        }
    )
    order = {s: i for i, s in enumerate(names)}
    return out.sort_values(["region_id", "sector_id"], key=lambda s: s.map(order) if s.name == "sector_id" else s)


def coverage(session, state: str, scheme: str, year: int | None = None) -> Coverage:
    """The coverage grid of ``state`` (2-digit FIPS) by ``scheme``, with the partnerships recorded in ``session``."""
    year = measures.resolve_year(year)
    base = sector_verdicts(state, scheme, year)
    members = base.drop_duplicates("region_id")[["region_id", "counties"]].explode("counties")
    members.columns = ["region_id", "fips"]
    size = members.groupby("region_id")["fips"].size()
    recorded = queries.in_counties(session, members["fips"])
    cells = base.drop(columns="counties").copy()
    if recorded.empty:
        cells["phase"], cells["partnerships"], cells["whole_region"] = "", "", False
    else:
        touch = members.merge(recorded, on="fips")
        overlap = touch.groupby(["region_id", "id", "name", "sector", "phase"], as_index=False)["fips"].size()
        overlap["whole"] = overlap["size"] == overlap["region_id"].map(size)
        overlap["rank"] = overlap["phase"].map(PHASE_ORDER) - overlap["whole"] * 0.5
        overlap = overlap.sort_values(["rank", "name"])
        keys = ["region_id", "sector_id"]
        overlap = overlap.rename(columns={"sector": "sector_id"})
        best = overlap.drop_duplicates(keys)[[*keys, "phase", "whole"]].rename(columns={"whole": "whole_region"})
        listed = overlap.groupby(keys, as_index=False)["name"].agg(lambda s: "; ".join(dict.fromkeys(s)))
        active = overlap[overlap["whole"] & overlap["phase"].isin(catalogue.COVERING_PHASES)]
        covered = active.drop_duplicates(keys)[keys].assign(_covered=True)
        cells = (
            cells.merge(best, on=keys, how="left")
            .merge(listed.rename(columns={"name": "partnerships"}), on=keys, how="left")
            .merge(covered, on=keys, how="left")
        )
        cells["phase"] = cells["phase"].fillna("")
        cells["partnerships"] = cells["partnerships"].fillna("")
        cells["whole_region"] = cells["whole_region"].eq(True)
        cells["_covered"] = cells["_covered"].eq(True)
    if "_covered" not in cells:
        cells["_covered"] = False
    critical = cells["class"].isin(CRITICAL) & (cells["pool"] != "too small")
    unsupported = (cells["class"].isin(UNSUPPORTED) | (cells["pool"] == "too small")) & cells["phase"].isin(
        ["active", "launching", "exploring"]
    )
    cells["status"] = ""
    cells.loc[critical & cells["_covered"], "status"] = "covered"
    cells.loc[critical & ~cells["_covered"], "status"] = "gap"
    cells.loc[unsupported, "status"] = "flagged"
    names = {s.id: s.name for s in sectors.load_taxonomy()}
    return Coverage(
        state=state,
        state_name=regions.state_names().get(state, state),
        scheme=scheme,
        year=year,
        sectors=tuple(names.items()),
        cells=cells.drop(columns="_covered")[CELL_COLUMNS].reset_index(drop=True),
    )
