"""The one way to change the registry. Every function takes the ``actor`` (who is writing), checks their role
(:mod:`.access`), checks every field (:mod:`.validate`), refuses a save based on an older version than the stored
one (:class:`Conflict`, nothing overwritten), and logs one entry per changed record (:mod:`.history`). Callers run
them inside :func:`.database.session`: one transaction, so a refused write leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard.data.catalogue import ROLES, USPS
from dashboard.registry import access, history, validate
from dashboard.registry.models import (
    Assessment,
    ChangeLog,
    Member,
    Outcome,
    Partnership,
    PartnershipCounty,
    User,
    UserState,
)
from dashboard.registry.validate import InvalidRecord

_PARTNERSHIP_FIELDS = (
    "name", "name_key", "scheme", "region_id", "region_name", "region_key", "sector", "phase", "phase_history",
    "convener", "convener_kind", "started_on", "website", "notes",
)  # fmt: skip
_MEMBER_FIELDS = ("organisation", "seat", "kind", "naics", "joined_on", "left_on")
_OUTCOME_FIELDS = ("period", "year", "metric", "value", "note")


class Conflict(Exception):
    """A save based on an older version of a record: someone else saved it since it was loaded."""

    def __init__(self, what: str, by: str | None, at: dt.datetime | None, theirs: dict | None = None):
        self.by, self.at, self.theirs = by, at, theirs
        when = f" at {at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC" if at else ""
        super().__init__(
            f"This {what} was changed by {by or 'someone else'}{when} after you opened it; nothing was saved. "
            "Reload it to see their values, then make your change again."
        )


def _conflict(session: Session, record, what: str) -> Conflict:
    last = history.last_change(session, record)
    return Conflict(what, last.actor if last else None, last.at if last else None, history.snapshot(record))


def _check_version(session: Session, record, version: int | None, what: str) -> None:
    if version is not None and record.version != int(version):
        raise _conflict(session, record, what)


def _flush(session: Session, what: str) -> None:
    """Write now: a concurrent save of the same version (the UPDATE matched no row) is a conflict."""
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(what, None, None) from None


def _states(counties) -> set[str]:
    return {c[:2] for c in counties}


def _get(session: Session, model, record_id: int, what: str):
    found = session.get(model, int(record_id))
    if found is None:
        raise InvalidRecord([("id", f"no {what} {record_id} is recorded (it may have been removed)")])
    return found


def _refuse_duplicate(session: Session, clean: dict, own_id: int | None = None) -> None:
    query = select(Partnership.id).where(
        Partnership.region_key == clean["region_key"],
        Partnership.sector == clean["sector"],
        Partnership.name_key == clean["name_key"],
    )
    if session.scalars(query).first() not in (None, own_id):
        raise InvalidRecord(
            [("name", f"a partnership named {clean['name']!r} is already recorded for this region and sector")]
        )


def create_partnership(session: Session, actor: str, values: dict) -> Partnership:
    clean = validate.partnership(values)
    access.require(session, actor, _states(clean["counties"]))
    _refuse_duplicate(session, clean)
    record = Partnership(**{k: clean[k] for k in _PARTNERSHIP_FIELDS})
    record.counties = [PartnershipCounty(fips=f, state=f[:2]) for f in clean["counties"]]
    session.add(record)
    try:
        session.flush()
    except IntegrityError:
        raise InvalidRecord(
            [("name", "a partnership of that name is already recorded for this region and sector")]
        ) from None
    history.log(session, actor, record, "create", None, history.snapshot(record))
    return record


def update_partnership(session: Session, actor: str, partnership_id: int, version: int, values: dict) -> bool:
    """Save a partnership's fields as loaded at ``version``; False when nothing changed (and nothing is logged)."""
    record = _get(session, Partnership, partnership_id, "partnership")
    _check_version(session, record, version, "partnership")
    clean = validate.partnership(values, history=record.phase_history)
    access.require(session, actor, _states([c.fips for c in record.counties]) | _states(clean["counties"]))
    _refuse_duplicate(session, clean, own_id=record.id)
    before = history.snapshot(record)
    for k in _PARTNERSHIP_FIELDS:
        setattr(record, k, clean[k])
    if [c.fips for c in record.counties] != list(clean["counties"]):
        record.counties = [PartnershipCounty(fips=f, state=f[:2]) for f in clean["counties"]]
    after = history.snapshot(record)
    if after == before:
        session.expire(record)
        return False
    record.updated_at = dt.datetime.now(dt.UTC)
    _flush(session, "partnership")
    history.log(session, actor, record, "update", before, history.snapshot(record))
    return True


def restore_partnership(session: Session, actor: str, partnership_id: int, version: int, entry_id: int) -> bool:
    """Give a partnership back the values it held after the logged change ``entry_id`` (an admin's or the local
    user's write, based on ``version`` like any edit). The restore is itself logged; the log keeps every entry.
    False when the record already holds those values (nothing logged)."""
    access.require_admin(session, actor, "restore earlier versions")
    record = _get(session, Partnership, partnership_id, "partnership")
    entry = session.get(ChangeLog, int(entry_id))
    if (
        entry is None
        or entry.record_table != history.TABLES[Partnership]
        or entry.record_id != record.id
        or not entry.after
    ):
        raise InvalidRecord([("version", f"change {entry_id} is not a version of this partnership")])
    _check_version(session, record, version, "partnership")
    earlier = entry.after
    started = earlier.get("started_on")
    values = {k: earlier[k] for k in _PARTNERSHIP_FIELDS if k in earlier}
    values["started_on"] = dt.date.fromisoformat(started) if started else None
    values["name_key"] = validate.name_key(values["name"])
    values["region_key"] = validate.region_key(values["scheme"], values["region_id"])
    _refuse_duplicate(session, values, own_id=record.id)
    before = history.snapshot(record)
    for k, v in values.items():
        setattr(record, k, v)
    counties = list(earlier.get("counties") or [c.fips for c in record.counties])
    if [c.fips for c in record.counties] != counties:
        record.counties = [PartnershipCounty(fips=f, state=f[:2]) for f in counties]
    if history.snapshot(record) == before:
        session.expire(record)
        return False
    record.updated_at = dt.datetime.now(dt.UTC)
    _flush(session, "partnership")
    history.log(session, actor, record, "restore", before, history.snapshot(record))
    return True


def _save_rows(session, actor, partnership_id, rows, loaded, model, check, fields, what) -> int:
    """Create, update and remove a partnership's members or outcomes as an edited table gives them.

    ``rows``: the table as saved; a row with an ``id`` is a record loaded at ``version``. ``loaded``: id -> version
    of every record the table was loaded with; one loaded and no longer in ``rows`` is removed. Records others
    added since are left alone. Every row is checked first; any problem refuses the whole save, naming its row.
    """
    record = _get(session, Partnership, partnership_id, "partnership")
    access.require(session, actor, _states([c.fips for c in record.counties]))
    problems, cleaned = [], []
    for n, row in enumerate(rows, 1):
        try:
            cleaned.append((row, check(row)))
        except InvalidRecord as exc:
            problems += [(f"row {n}, {f}", m) for f, m in exc.problems]
    if problems:
        raise InvalidRecord(problems)
    existing = {r.id: r for r in session.scalars(select(model).where(model.partnership_id == record.id))}
    changed = 0
    kept = set()
    for row, clean in cleaned:
        rid = row.get("id")
        if rid is None or rid == "" or (isinstance(rid, float) and rid != rid):
            new = model(partnership_id=record.id, **{k: clean[k] for k in fields})
            session.add(new)
            _flush_unique(session, what)
            history.log(session, actor, new, "create", None, history.snapshot(new))
            changed += 1
            continue
        target = existing.get(int(rid))
        if target is None:
            raise _gone(what, rid)
        kept.add(target.id)
        _check_version(session, target, row.get("version", loaded.get(target.id)), what)
        before = history.snapshot(target)
        for k in fields:
            setattr(target, k, clean[k])
        if history.snapshot(target) != before:
            target.updated_at = dt.datetime.now(dt.UTC)
            _flush(session, what)
            history.log(session, actor, target, "update", before, history.snapshot(target))
            changed += 1
    for rid, version in loaded.items():
        if rid in kept:
            continue
        target = existing.get(int(rid))
        if target is None:
            continue  # removed by someone else already
        _check_version(session, target, version, what)
        history.log(session, actor, target, "delete", history.snapshot(target), None)
        session.delete(target)
        changed += 1
    _flush(session, what)
    return changed


def _flush_unique(session: Session, what: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        raise InvalidRecord([(what, "the same period and metric are recorded twice")]) from None


def _gone(what: str, rid) -> Conflict:
    """A row of the table whose record someone else removed since it was loaded."""
    return Conflict(f"{what} ({rid})", None, None)


def save_members(session: Session, actor: str, partnership_id: int, rows: list[dict], loaded: dict[int, int]) -> int:
    return _save_rows(session, actor, partnership_id, rows, loaded, Member, validate.member, _MEMBER_FIELDS, "member")


def save_outcomes(session: Session, actor: str, partnership_id: int, rows: list[dict], loaded: dict[int, int]) -> int:
    return _save_rows(
        session, actor, partnership_id, rows, loaded, Outcome, validate.outcome, _OUTCOME_FIELDS, "outcome"
    )


def add_assessment(session: Session, actor: str, partnership_id: int, values: dict) -> Assessment:
    record = _get(session, Partnership, partnership_id, "partnership")
    access.require(session, actor, _states([c.fips for c in record.counties]))
    clean = validate.assessment(values)
    new = Assessment(partnership_id=record.id, **clean)
    session.add(new)
    session.flush()
    history.log(session, actor, new, "create", None, history.snapshot(new))
    return new


def grant(session: Session, actor: str, email: str, role: str, states: list[str]) -> User:
    """Give ``email`` a role (an editor for ``states``: postal codes or FIPS); logged like every write."""
    access.require_admin(session, actor)
    problems = []
    email = (email or "").strip().casefold()
    if not validate.EMAIL.fullmatch(email):
        problems.append(("email", f"{email!r} is not an e-mail address"))
    if role not in ROLES:
        problems.append(("role", f"{role!r} is not one of {', '.join(ROLES)}"))
    codes = []
    for s in states:
        code = USPS.get(s.strip().upper()) or (s.strip().zfill(2) if s.strip() in USPS.values() else None)
        if code is None:
            problems.append(("state", f"{s!r} is not a state (a postal code such as KY)"))
        codes.append(code)
    if role == "editor" and not states:
        problems.append(("state", "an editor needs at least one state (--state KY)"))
    if role != "editor" and states:
        problems.append(("state", "only an editor has states"))
    if problems:
        raise InvalidRecord(problems)
    record = access.user(session, email)
    before = history.snapshot(record) if record else None
    if record is None:
        record = User(email=email, role=role)
        session.add(record)
    record.role = role
    wanted = sorted(set(codes))
    if [s.state for s in record.states] != wanted:
        record.states = [UserState(state=c) for c in wanted]
    session.flush()
    after = history.snapshot(record)
    if after != before:
        history.log(session, actor, record, "create" if before is None else "update", before, after)
    return record
