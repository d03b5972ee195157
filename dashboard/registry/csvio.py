"""The registry's one CSV template: import and export of partnerships, members, outcomes and self-assessments.

Each row is one record, named in the ``record`` column (partnership, member, outcome, assessment). A member,
outcome or assessment row names its partnership by the partnership's name, scheme, region (or counties) and
sector, as in a partnership row of the same file or one already recorded. An import is checked whole first: any
problem refuses the file, naming each bad row (as a spreadsheet numbers it: the header is row 1) and column, and
nothing is written.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dashboard.data.catalogue import CUSTOM
from dashboard.registry import validate, write
from dashboard.registry.models import Partnership
from dashboard.registry.validate import InvalidRecord

RECORDS = ("partnership", "member", "outcome", "assessment")
KEY = ["partnership", "scheme", "region", "counties", "sector"]
PARTNERSHIP = [
    "region_name", "phase", "phase_history", "convener", "convener_kind", "started_on", "website", "notes",
]  # fmt: skip
MEMBER = ["organisation", "seat", "kind", "naics", "joined_on", "left_on"]
OUTCOME = ["period", "metric", "value"]
ASSESSMENT = ["assessed_on", "ticked"]
#: Columns a file must have (a file of scheme regions may leave out counties; one of custom regions, region).
REQUIRED = ("record", "partnership", "scheme", "sector")
COLUMNS = ["record", *KEY, *PARTNERSHIP, *MEMBER, *OUTCOME, *ASSESSMENT, "note"]
#: The largest file the import reads.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


class ImportRefused(ValueError):
    """A file that cannot be imported: every problem found, each naming its row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__("Nothing was imported: " + "; ".join(problems[:20]) + more)


def template() -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS)


def _key(values: dict) -> tuple:
    """A partnership as member rows name it: its region key, sector and folded name."""
    scheme = str(values.get("scheme") or "").strip()
    region = str(values.get("region") or "").strip()
    if scheme == CUSTOM:
        region = ",".join(sorted({p for p in re.split(r"[,;\s]+", str(values.get("counties") or "")) if p}))
    name = validate.name_key(str(values.get("partnership") or ""))
    return (validate.region_key(scheme, region), str(values.get("sector") or "").strip(), name)


def export_frame(session: Session, ids: list[int] | None = None) -> pd.DataFrame:
    """Every record (or those of partnerships ``ids``) as rows of the template."""
    query = select(Partnership).options(
        selectinload(Partnership.counties),
        selectinload(Partnership.members),
        selectinload(Partnership.outcomes),
        selectinload(Partnership.assessments),
    )
    if ids is not None:
        query = query.where(Partnership.id.in_(ids))
    rows = []
    for p in session.scalars(query.order_by(Partnership.id)):
        key = {
            "partnership": p.name,
            "scheme": p.scheme,
            "region": "" if p.scheme == CUSTOM else p.region_id,
            "counties": ",".join(c.fips for c in p.counties) if p.scheme == CUSTOM else "",
            "sector": p.sector,
        }
        rows.append(
            {
                "record": "partnership",
                **key,
                "region_name": p.region_name if p.scheme == CUSTOM else "",
                "phase": p.phase,
                "phase_history": validate.format_history(p.phase_history),
                "convener": p.convener,
                "convener_kind": p.convener_kind,
                "started_on": p.started_on.isoformat() if p.started_on else "",
                "website": p.website,
                "notes": p.notes,
            }
        )
        for m in p.members:
            rows.append(
                {
                    "record": "member",
                    **key,
                    "organisation": m.organisation,
                    "seat": m.seat,
                    "kind": m.kind,
                    "naics": m.naics,
                    "joined_on": m.joined_on.isoformat() if m.joined_on else "",
                    "left_on": m.left_on.isoformat() if m.left_on else "",
                }
            )
        for o in p.outcomes:
            value = int(o.value) if float(o.value).is_integer() else o.value
            rows.append(
                {"record": "outcome", **key, "period": o.period, "metric": o.metric, "value": value, "note": o.note}
            )
        for a in p.assessments:
            rows.append(
                {
                    "record": "assessment",
                    **key,
                    "assessed_on": a.assessed_on.isoformat(),
                    "ticked": ",".join(a.ticked),
                    "note": a.note,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS).astype(object).fillna("")


def read_csv(data: bytes) -> pd.DataFrame:
    """The file's rows as text (every cell a string, blanks empty); one clear error for a file that is not one."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([f"the file is {len(data) / 1e6:.1f} MB; at most {MAX_BYTES // (1024 * 1024)} MB"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(["the file is not UTF-8 text (save it from the spreadsheet as CSV UTF-8)"]) from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ImportRefused([f"the file is not a CSV table ({str(exc).splitlines()[0]})"]) from None
    missing = [c for c in REQUIRED if c not in frame.columns]
    if "region" not in frame.columns and "counties" not in frame.columns:
        missing.append("region (or counties, for a custom region)")
    unknown = [c for c in frame.columns if c not in COLUMNS]
    problems = []
    if missing:
        problems.append(f"the columns {', '.join(missing)} are missing (download the template)")
    if unknown:
        problems.append(f"the columns {', '.join(map(repr, unknown[:10]))} are not the template's")
    if len(frame) > MAX_ROWS:
        problems.append(f"{len(frame):,} rows; at most {MAX_ROWS:,}")
    if problems:
        raise ImportRefused(problems)
    return frame.reindex(columns=COLUMNS, fill_value="").map(_unquoted)


def _unquoted(value: str) -> str:
    """A cell as typed before an export neutralised it: exports put a ``'`` before text a spreadsheet would run
    as a formula (report/exports.py), so an exported file imports as the records it came from."""
    if value.startswith("'") and (
        value[1:].startswith(("\t", "\r")) or value[1:].lstrip().startswith(("=", "+", "-", "@"))
    ):
        return value[1:]
    return value


def _partnership_values(row: dict) -> dict:
    return {**row, "name": row["partnership"]}


def import_frame(session: Session, actor: str, frame: pd.DataFrame) -> dict[str, int]:
    """Check every row, then write them all (in the caller's transaction); counts of records created by kind."""
    problems: list[str] = []
    rows = [
        (n, {k: (v.strip() if isinstance(v, str) else v) for k, v in r.items()})
        for n, r in enumerate(frame.to_dict("records"), 2)
    ]

    def bad(n: int, exc: InvalidRecord) -> None:
        problems.extend(f"row {n}, column {f}: {m}" for f, m in exc.problems)

    new_keys: dict[tuple, int] = {}
    for n, row in rows:
        if row["record"] not in RECORDS:
            problems.append(f"row {n}, column record: {row['record']!r} is not one of {', '.join(RECORDS)}")
            continue
        if row["record"] != "partnership":
            continue
        try:
            clean = validate.partnership(_partnership_values(row))
        except InvalidRecord as exc:
            bad(n, exc)
            continue
        key = (clean["region_key"], clean["sector"], clean["name_key"])
        if key in new_keys:
            problems.append(f"row {n}, column partnership: the same partnership as row {new_keys[key]}")
        elif session.scalars(
            select(Partnership.id).where(
                Partnership.region_key == key[0], Partnership.sector == key[1], Partnership.name_key == key[2]
            )
        ).first():
            problems.append(
                f"row {n}, column partnership: {clean['name']!r} is already recorded for this region and sector"
            )
        new_keys[key] = n
    recorded = {
        (p.region_key, p.sector, p.name_key): p.id
        for p in session.scalars(
            select(Partnership).where(Partnership.sector.in_({k[1] for k in map(_key, (r for _, r in rows))}))
        )
    }
    checks = {"member": validate.member, "outcome": validate.outcome, "assessment": validate.assessment}
    for n, row in rows:
        if row["record"] not in checks:
            continue
        key = _key(row)
        if key not in new_keys and key not in recorded:
            problems.append(
                f"row {n}, column partnership: no partnership {row['partnership']!r} of this region and sector is in the file or recorded"
            )
        try:
            checks[row["record"]](row)
        except InvalidRecord as exc:
            bad(n, exc)
    if problems:
        raise ImportRefused(problems)
    ids = dict(recorded)
    counts = dict.fromkeys(RECORDS, 0)
    grouped: dict[tuple, dict[str, list[dict]]] = {}
    for _, row in rows:
        if row["record"] == "partnership":
            ids[_key(row)] = write.create_partnership(session, actor, _partnership_values(row)).id
            counts["partnership"] += 1
        else:
            grouped.setdefault(_key(row), {}).setdefault(row["record"], []).append(row)
    for key, kinds in grouped.items():
        pid = ids[key]
        try:
            if kinds.get("member"):
                counts["member"] += write.save_members(session, actor, pid, kinds["member"], {})
            if kinds.get("outcome"):
                counts["outcome"] += write.save_outcomes(session, actor, pid, kinds["outcome"], {})
        except InvalidRecord as exc:
            raise ImportRefused([f"{f}: {m}" for f, m in exc.problems]) from None
        for row in kinds.get("assessment", []):
            write.add_assessment(session, actor, pid, row)
            counts["assessment"] += 1
    return counts
