"""The statewide seat matrix: every region of a state against every seat, for one partnership sector.

For state staff choosing where partnerships should form and which regions need which partners.
:func:`seat_matrix` evaluates the seat rules for each region of a scheme that touches the state, with
the sector's figures measured for all regions in one pass, each region compared with the chosen state;
:func:`briefs_zip` packs every region's printable brief into one zip.
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd

from dashboard.analysis import careers, measures, regions, seats, sectors
from dashboard.analysis.regions import Region
from dashboard.analysis.workforce import aggregate_regions
from dashboard.data import catalogue
from dashboard.data.catalogue import INDICATORS
from dashboard.report import partnership_seats, tables

#: Cell text of each level, short enough for a grid on a projector.
LEVEL_TEXT = {
    "strongly recommended": "strongly",
    "recommended": "recommended",
    "core": "core",
    "not indicated": "-",
    "not assessed": "n/a",
}
#: Sort orders the page offers.
SORTS = ("region", "indicated", "strongly", "lq", "jobs")
#: Headings on screen of the grid's counts and the sector's figures (its seats are headed by their names, its
#: region column by :func:`tables.heading`).
COUNT_HEADINGS = {"indicated": "Seats indicated", "strongly": "Seats strongly recommended"}
SECTOR_HEADINGS = {
    "jobs": "Sector jobs",
    "lq": "Sector LQ",
    "verdict": "Verdict",
}
#: The sector's figures per region (:func:`sector_figures`): numeric low, estimate and high (a published figure
#: is all three), the verdict and how sure it is.
SECTOR_COLUMNS = [
    "jobs_low",
    "jobs",
    "jobs_high",
    "jobs_published",
    "lq_low",
    "lq",
    "lq_high",
    "lq_published",
    "class",
    "confidence",
    "verdict",
]


@dataclass(frozen=True)
class SeatMatrix:
    """One sector's seats in every region of a state."""

    state: str
    state_name: str
    scheme: str
    sector_id: str
    sector_name: str
    year: int
    seats: tuple[tuple[str, str], ...]  # (seat id, seat name): seats the data can trigger, then the fixed core
    cells: pd.DataFrame  # one row per region and seat (see :data:`CELL_COLUMNS`)
    #: The sector's jobs, LQ and verdict per region (index: region id; see :data:`SECTOR_COLUMNS`).
    sector: pd.DataFrame = dataclasses.field(default_factory=lambda: pd.DataFrame(columns=SECTOR_COLUMNS))

    def wide(self, sort: str = "region", values: str = "level", classes=None) -> pd.DataFrame:
        """Regions in rows: the sector's jobs, LQ and verdict (:data:`SECTOR_COLUMNS`), the count of indicated and
        strongly recommended seats, then seats in columns (by seat id), the level in each cell (``values="cell"``:
        its short text); sorted by ``sort`` (:data:`SORTS`); only regions whose class is in ``classes`` if given."""
        seat_ids = [s for s, _ in self.seats]
        if self.cells.empty:
            return pd.DataFrame(columns=["region_id", "region", *SECTOR_COLUMNS, "indicated", "strongly", *seat_ids])
        grid = self.cells.pivot(index="region_id", columns="seat_id", values=values)[seat_ids]
        counts = self.cells.groupby("region_id")["level"].agg(
            indicated=lambda s: int(s.isin(["strongly recommended", "recommended"]).sum()),
            strongly=lambda s: int((s == "strongly recommended").sum()),
        )
        names = self.cells.drop_duplicates("region_id").set_index("region_id")["region_name"]
        figures = self.sector.reindex(names.index)[SECTOR_COLUMNS]
        out = pd.concat([names.rename("region"), figures, counts, grid], axis=1).rename_axis("region_id").reset_index()
        if classes is not None:
            out = out[out["class"].isin(list(classes))]
        out = out.assign(_key=out["region"].map(natural_key)).sort_values("_key", kind="stable")
        if sort == "indicated":
            out = out.sort_values(["indicated", "strongly"], ascending=False, kind="stable")
        elif sort == "strongly":
            out = out.sort_values(["strongly", "indicated"], ascending=False, kind="stable")
        elif sort in ("lq", "jobs"):
            out = out.sort_values(sort, ascending=False, kind="stable", na_position="last")
        elif sort != "region":
            raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORTS)}")
        out.columns.name = None
        return out.drop(columns="_key").reset_index(drop=True)

    def classes(self) -> list[str]:
        """The classes the sector takes in the state's regions, in the order of :data:`sectors.CLASSES`."""
        present = set(self.sector["class"].dropna())
        return [c for c in sectors.CLASSES if c in present]

    def headings(self) -> dict[str, str]:
        """Each column of :meth:`wide` shown on screen -> its heading: "Region", the sector's figures, the two
        counts, each seat's name."""
        return {"region": tables.heading("region"), **SECTOR_HEADINGS, **COUNT_HEADINGS, **dict(self.seats)}

    def screen_frame(self, sort: str = "region", classes=None) -> pd.DataFrame:
        """The grid as the page shows it: :meth:`wide` with each cell's short text, the sector's jobs and LQ as
        numbers (the estimate where cells are suppressed: the verdict says how sure), without the ids and the
        range columns, every column under its heading (:meth:`headings`); the CSV keeps :meth:`csv_frame`'s names."""
        hidden = ["region_id", *(c for c in SECTOR_COLUMNS if c not in SECTOR_HEADINGS)]
        return self.wide(sort, values="cell", classes=classes).drop(columns=hidden).rename(columns=self.headings())

    def region_ids(self, sort: str = "region", classes=None) -> list[str]:
        """The region ids of :meth:`screen_frame`'s rows, in order."""
        return self.wide(sort, classes=classes)["region_id"].tolist()

    def csv_frame(self) -> pd.DataFrame:
        """The grid as a CSV carries it: seat names as columns, the full level in each cell, with the sector,
        the state compared with and the industry year."""
        out = (
            self.wide().rename(columns=dict(self.seats)).rename(columns={"jobs": "jobs_estimate", "lq": "lq_estimate"})
        )
        out.insert(2, "sector", self.sector_name)
        out.insert(3, "compared_with", self.state_name)
        out.insert(4, "industry_year", self.year)
        return out

    def cells_frame(self) -> pd.DataFrame:
        """One row per region and seat with the figure behind the level, its evidence and source (a long CSV)."""
        out = self.cells.drop(columns="cell").copy()
        out.insert(2, "sector", self.sector_name)
        out["compared_with"] = self.state_name
        out["industry_year"] = self.year
        return out


def natural_key(text: str) -> tuple:
    """ "Region 2" before "Region 10"."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in re.split(r"(\d+)", str(text)) if p)


CELL_COLUMNS = [
    "region_id",
    "region_name",
    "seat_id",
    "seat",
    "level",
    "cell",
    "decided_by",
    "figure",
    "evidence",
    "source",
]


def seat_matrix(
    state: str, scheme: str, sector_id: str, year: int | None = None, overrides: dict | None = None
) -> SeatMatrix:
    """Every seat of every region of ``scheme`` touching ``state`` (2-digit FIPS), for ``sector_id``."""
    year = measures.resolve_year(year)
    by_id = {s.id: s for s in sectors.load_taxonomy()}
    if sector_id not in by_id:
        raise KeyError(f"unknown partnership sector {sector_id!r}; known: {', '.join(by_id)}")
    table = regions.list_regions(scheme, state)
    view = [regions.resolve_region(scheme, rid) for rid in table["region_id"]]
    rules = seats.with_thresholds(seats.load_rules(), overrides)
    rows = _sector_rows(view, sector_id, year)
    figures = careers.sector_indicators(view, sector_id, year)
    values = workforce_values(view)
    cells = []
    for i, region in enumerate(view):
        got = seats.evaluate_seats(
            region,
            sector_id,
            rules=rules,
            sector_row=rows.get(region.id),
            year=year,
            state=state,
            careers_figures=figures.get(region.id),
            values=values[i],
        )
        for s in got:
            cells.append(
                {
                    "region_id": region.id,
                    "region_name": region.name,
                    "seat_id": s["id"],
                    "seat": s["name"],
                    "level": s["level"],
                    "cell": LEVEL_TEXT[s["level"]],
                    "decided_by": s["decided_by"],
                    "figure": s["figure"] or s.get("reason", ""),
                    "evidence": s["evidence"],
                    "source": s["source"],
                }
            )
    return SeatMatrix(
        state=state,
        state_name=regions.state_names().get(state, state),
        scheme=scheme,
        sector_id=sector_id,
        sector_name=by_id[sector_id].name,
        year=year,
        seats=tuple((r.id, r.name) for r in sorted(rules, key=lambda r: r.trigger is None and r.sector is None)),
        cells=pd.DataFrame(cells, columns=CELL_COLUMNS),
        sector=sector_figures(rows),
    )


def sector_figures(rows: dict[str, pd.Series]) -> pd.DataFrame:
    """Per region (index): the sector's jobs and LQ, each the published figure or the estimate inside the range
    suppression leaves (``*_low``/``*_high`` numeric; a published figure is its own low and high), whether it was
    published, and the verdict (:func:`sectors.verdicts`)."""
    if not rows:
        return pd.DataFrame(columns=SECTOR_COLUMNS)
    m = pd.DataFrame(list(rows.values())).set_index("region_id")
    out = pd.DataFrame(index=m.index)
    for col, point, est, low, high, digits in (
        ("jobs", "employment", "employment_estimate", "emp_low", "emp_high", 0),
        ("lq", "lq", "lq_estimate", "lq_low", "lq_high", 3),
    ):
        published = m[point].astype("float64")
        out[col] = published.fillna(m[est].astype("float64")).round(digits)
        out[f"{col}_low"] = published.fillna(m[low].astype("float64")).round(digits)
        out[f"{col}_high"] = published.fillna(m[high].astype("float64")).round(digits)
        out[f"{col}_published"] = published.notna()
        if col == "jobs":  # whole jobs, numbers in the CSV (a suppressed figure's missing value stays empty)
            out[["jobs_low", "jobs", "jobs_high"]] = out[["jobs_low", "jobs", "jobs_high"]].astype("Int64")
    out[["class", "confidence", "verdict"]] = sectors.verdicts(m)
    out["verdict"] = [tables.shown_verdict(v, e) for v, e in zip(out["verdict"], m["employment"])]
    return out[SECTOR_COLUMNS]


def workforce_values(view: list[Region]) -> list[dict]:
    """:func:`workforce.workforce_values` of every region of a view, aggregated in one pass."""
    members = pd.DataFrame(
        [(i, c) for i, r in enumerate(view) for c in dict.fromkeys(r.counties)], columns=["region_id", "fips"]
    )
    agg = aggregate_regions(members)
    out = []
    for i in range(len(view)):
        row = agg.loc[i] if i in agg.index else None
        values = {}
        for key, ind in INDICATORS.items():
            v = None if row is None or pd.isna(row[key]) else row[key]
            values[key] = None if v is None else (int(v) if ind.kind in ("count", "median") else float(v))
        out.append(values)
    return out


def _sector_rows(view: list[Region], sector_id: str, year: int) -> dict[str, pd.Series]:
    """The sector's measures for every region at once (one pass over the industry data)."""
    area_region, _ = measures.qcew_area_region(view, year)
    if area_region.empty:
        return {}
    m = measures.group_measures(area_region, {sector_id: list(sectors.sector_groups()[sector_id])}, year)
    return {r["region_id"]: r for _, r in m.iterrows()}


def briefs_zip(
    state: str,
    scheme: str,
    sector_id: str,
    year: int | None = None,
    overrides: dict | None = None,
    log=None,
    progress=None,
) -> bytes:
    """A zip of every region's printable brief (seats assessed for ``sector_id``, compared with ``state``)
    and an index page summarising the sector in each region; ``progress(done, total, region name)`` is called
    after each brief."""
    from dashboard.report import brief
    from dashboard.report.profile import region_profile

    year = measures.resolve_year(year)
    table = regions.list_regions(scheme, state)
    buf = io.BytesIO()
    entries, used = [], {"index.html"}
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i, rid in enumerate(table["region_id"], 1):
            region = regions.resolve_region(scheme, rid)
            profile = region_profile(
                region, sector_id=sector_id, seat_overrides=overrides or None, year=year, state=state
            )
            name = brief._unique(brief.file_name(scheme, region.id), used)
            recorded = partnership_seats.recorded_in_registry(region.counties, profile.seats, profile.seats_sector)
            zf.writestr(_member(name), brief.brief_html(profile, _comparisons(region, state), recorded))
            entries.append((name, region.name, sector_summary(profile, sector_id)))
            if log:
                log(f"[{i}/{len(table)}] {name}")
            if progress:
                progress(i, len(table), region.name)
        title = (
            f"Sector partnership briefs: {regions.state_names()[state]}, by {catalogue.scheme(scheme).singular}, "
            f"{sectors_name(sector_id)}, industry data {year}"
        )
        zf.writestr(_member("index.html"), brief.index_html(entries, title))
    return buf.getvalue()


def sector_summary(profile, sector_id: str) -> str:
    """One line of the zip's index for the chosen sector: its verdict, LQ, jobs and rank in the region."""
    from dashboard.analysis import formatting

    ranked = [c["id"] for c in profile.candidate_sectors]
    c = profile.candidate(sector_id)
    size = f"{formatting.counted(len(profile.region.counties), 'county', 'counties')}"
    if c is None:
        return f"{sectors_name(sector_id)}: no industry figures for this region; {size}"
    lq = formatting.with_estimate(c.get("lq"), c.get("lq_low"), c.get("lq_high"), c.get("lq_estimate"), "ratio")
    jobs = formatting.with_estimate(
        c.get("employment"), c.get("employment_low"), c.get("employment_high"), c.get("employment_estimate"), "count"
    )
    verdict = c.get("verdict") or c.get("class") or formatting.NA
    return (
        f"{c['name']}: {verdict}; LQ {lq}; jobs {jobs}; ranked {ranked.index(sector_id) + 1} of {len(ranked)} "
        f"candidate sectors; {size}"
    )


def sectors_name(sector_id: str) -> str:
    return {s.id: s.name for s in sectors.load_taxonomy()}[sector_id]


def _member(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed date, so the same briefs give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _comparisons(region: Region, state: str) -> dict:
    """The brief's state and US columns: the chosen state's values (not the states combined)."""
    from dashboard.report import brief

    return brief.brief_comparisons(region, state)
