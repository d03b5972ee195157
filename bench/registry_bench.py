"""The partnership registry at scale: the targets of the registry issue, on SQLite and PostgreSQL.

Usage (from the repository root, with the project's virtualenv)::

    python bench/registry_bench.py                                  # SQLite only
    python bench/registry_bench.py --pg postgresql://postgres@/postgres?host=/tmp/pg
    SECTOR_ATLAS_TEST_PG=postgresql://... python bench/registry_bench.py   # the same, from the environment

A registry of 5,000 partnerships and 100,000 members is generated ONLY in the benchmark's own temporary database
(a SQLite file in a temporary folder; a PostgreSQL database created for the run and dropped after): the
partnerships are placeholders ("Benchmark partnership N") over real county regions and sectors, so the queries
meet the shapes real data would give; nothing is written anywhere else. Each engine is timed on:

1. the Partnerships list: every partnership with its member count, and one state's (median of 5 runs);
2. Kentucky's coverage by county (120 counties x 12 sectors) with the registry joined: the first call (the sector
   verdicts computed from the industry data) and warm calls (verdicts kept, the registry read each time);
3. the same coverage with an empty registry (the issue's "every Kentucky county x sector < 1 s warm").

Targets: list < 1 s, coverage < 2 s, coverage warm < 1 s. This is a benchmark, not a test: it exits 0 unless it
cannot run, and prints the load average beside the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from dashboard.data import store
from dashboard.registry import database, migrate, queries, reference, validate
from dashboard.registry.models import Member, Partnership, PartnershipCounty
from dashboard.report import partnership_coverage

PARTNERSHIPS = 5_000
MEMBERS = 100_000
RUNS = 5
TARGETS = {"list": 1.0, "coverage": 2.0, "coverage_warm": 1.0}


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def median_time(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fill(engine) -> float:
    """5,000 partnerships over real counties (a third of them in Kentucky) and 100,000 members, in bulk."""
    rng = random.Random(23)
    regions = store.load_table("regions")
    counties = regions[regions["scheme"] == "county"][["region_id", "region_name"]].drop_duplicates()
    kentucky = counties[counties["region_id"].str.startswith("21")]
    sectors = list(reference.sectors())
    seats = list(reference.seats())
    phases = ["exploring", "launching", "active", "active", "dormant", "ended"]
    start = time.perf_counter()
    partnerships, places, members = [], [], []
    for i in range(1, PARTNERSHIPS + 1):
        row = (kentucky if i % 3 == 0 else counties).sample(1, random_state=rng.randrange(1 << 30)).iloc[0]
        sector, phase = rng.choice(sectors), rng.choice(phases)
        name = f"Benchmark partnership {i}"
        partnerships.append(
            {
                "id": i,
                "name": name,
                "name_key": validate.name_key(name),
                "scheme": "county",
                "region_id": row["region_id"],
                "region_name": row["region_name"],
                "region_key": validate.region_key("county", row["region_id"]),
                "sector": sector,
                "phase": phase,
                "phase_history": [{"phase": phase, "on": "2024-01-01"}],
                "convener": "",
                "convener_kind": "",
                "website": "",
                "notes": "",
                "version": 1,
                "updated_at": dt.datetime.now(dt.UTC),
            }
        )
        places.append({"partnership_id": i, "fips": row["region_id"], "state": row["region_id"][:2]})
    for j in range(MEMBERS):
        members.append(
            {
                "partnership_id": rng.randrange(1, PARTNERSHIPS + 1),
                "organisation": f"Benchmark member {j}",
                "seat": rng.choice(seats),
                "kind": "champion",
                "naics": "",
                "version": 1,
                "updated_at": dt.datetime.now(dt.UTC),
            }
        )
    with engine.begin() as conn:
        conn.execute(insert(Partnership), partnerships)
        conn.execute(insert(PartnershipCounty), places)
        for k in range(0, len(members), 20_000):
            conn.execute(insert(Member), members[k : k + 20_000])
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('partnership_id_seq', :n)"), {"n": PARTNERSHIPS})
            conn.execute(text("ANALYZE"))
    return time.perf_counter() - start


def measure(engine, label: str) -> dict:
    out = {"engine": label}
    migrate.ensure_current(engine)
    partnership_coverage.sector_verdicts.cache_clear()
    with database.session(engine) as s:
        start = time.perf_counter()
        partnership_coverage.coverage(s, "21", "county")
        out["coverage_empty_first"] = time.perf_counter() - start
        out["coverage_empty_warm"] = median_time(lambda: partnership_coverage.coverage(s, "21", "county"))
    out["fill"] = fill(engine)
    partnership_coverage.sector_verdicts.cache_clear()
    with database.session(engine) as s:
        out["rows"] = len(queries.list_partnerships(s))
        out["list_all"] = median_time(lambda: queries.list_partnerships(s))
        out["list_state"] = median_time(lambda: queries.list_partnerships(s, state="21"))
        start = time.perf_counter()
        cov = partnership_coverage.coverage(s, "21", "county")
        out["coverage_first"] = time.perf_counter() - start
        out["coverage_warm"] = median_time(lambda: partnership_coverage.coverage(s, "21", "county"))
        out["cells"] = len(cov.cells)
        out["with_partnership"] = int((cov.cells["phase"] != "").sum())
    return out


def sqlite_run(folder: Path) -> dict:
    engine = database.make_engine(database.database_url(str(folder / "bench.db")))
    try:
        return measure(engine, "SQLite (WAL)")
    finally:
        engine.dispose()


def pg_run(admin_url: str) -> dict:
    admin = make_url(admin_url).set(drivername="postgresql+psycopg")
    name = f"bench_{uuid.uuid4().hex[:12]}"
    server = create_engine(admin, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = database.make_engine(admin.set(database=name))
    try:
        return measure(engine, "PostgreSQL")
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def verdict(value: float, target: float) -> str:
    return "met" if value < target else "MISSED"


def report(results: list[dict], load_start: str, load_end: str) -> str:
    lines = [
        "# Sector Atlas: the partnership registry at scale",
        "",
        f"Written by `bench/registry_bench.py` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. A registry of "
        f"{PARTNERSHIPS:,} partnerships (over real county regions, a third in Kentucky) and {MEMBERS:,} members, "
        "generated in the benchmark's own temporary database only (dropped after the run). Times are medians of "
        f"{RUNS} runs except the first calls.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"at start {load_start}, at end {load_end}.",
        "",
        "| | " + " | ".join(r["engine"] for r in results) + " | target |",
        "|---|" + "---:|" * len(results) + "---|",
    ]
    rows = [
        ("Partnerships list, all 5,000 with member counts (s)", "list_all", "list"),
        ("Partnerships list, one state's (s)", "list_state", "list"),
        ("Kentucky coverage by county, first call (s)", "coverage_first", "coverage"),
        ("Kentucky coverage by county, warm (s)", "coverage_warm", "coverage_warm"),
        ("Kentucky coverage, empty registry, first call (s)", "coverage_empty_first", None),
        ("Kentucky coverage, empty registry, warm (s)", "coverage_empty_warm", "coverage_warm"),
        ("Loading the generated registry in bulk (s)", "fill", None),
    ]
    for label, key, target in rows:
        cells = []
        for r in results:
            mark = f" ({verdict(r[key], TARGETS[target])})" if target else ""
            cells.append(f"{r[key]:.3f}{mark}")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {f'< {TARGETS[target]:g} s' if target else ''} |")
    lines += [
        "",
        "Coverage cells: "
        + "; ".join(
            f"{r['engine']}: {r['cells']:,} (region x sector), {r['with_partnership']:,} with a partnership"
            for r in results
        )
        + ".",
        "",
        "A first call computes every sector's verdict in every Kentucky county from the industry data (kept "
        "afterwards: it depends only on the data); the very first, on an empty SQLite registry, also reads the "
        "data files into the process (a cold start). A warm call reads the registry and joins it each time.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default=os.environ.get("SECTOR_ATLAS_TEST_PG", ""), help="PostgreSQL admin URL")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS-registry.md")
    args = parser.parse_args()
    load_start = load()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        results.append(sqlite_run(Path(folder)))
    if args.pg:
        results.append(pg_run(args.pg))
    else:
        print("no PostgreSQL URL (--pg or SECTOR_ATLAS_TEST_PG): SQLite only", file=sys.stderr)
    text_out = report(results, load_start, load())
    args.out.write_text(text_out, encoding="utf-8")
    print(text_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
