"""NAICS vintages: which vintage a year is coded in, and how codes of one vintage read in another.

The concordance lives in ``data/naics_vintages.toml`` (from the Census Bureau's
NAICS 2017-2022 concordance, at the 3-digit level the app keeps). A year's
vintage comes from its own code list where that settles it (a code the
vintage introduced, or one it retired), else from BLS's rule by year.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard.data import paths, store

FILE_NAME = "naics_vintages.toml"


@dataclass(frozen=True)
class Change:
    """A code of the vintage before ``vintage`` and the codes of ``vintage`` that hold its industries."""

    vintage: int
    code: str
    successors: tuple[str, ...]
    whole: bool
    note: str

    @property
    def retired(self) -> bool:
        return self.code not in self.successors


@dataclass(frozen=True)
class Vintages:
    """Every vintage (oldest first) with its first year and introduced codes, and every change."""

    first_year: tuple[tuple[int, int], ...]
    introduced: tuple[tuple[int, tuple[str, ...]], ...]
    changes: tuple[Change, ...]

    @property
    def names(self) -> tuple[int, ...]:
        return tuple(v for v, _ in self.first_year)

    def by_rule(self, year: int) -> int:
        """BLS's vintage of a year (the newest vintage whose first year is not after it)."""
        fitting = [v for v, first in self.first_year if first <= year]
        return fitting[-1] if fitting else self.names[0]

    def retired_in(self, vintage: int) -> set[str]:
        return {c.code for c in self.changes if c.vintage == vintage and c.retired}

    def introduced_in(self, vintage: int) -> set[str]:
        return set(dict(self.introduced).get(vintage, ()))

    def exists(self, code: str, vintage: int) -> bool:
        """Whether ``code`` is a code of ``vintage`` (introduced by it or earlier, not retired by then)."""
        for v in self.names:
            if v > vintage:
                break
            if code in self.introduced_in(v):
                alive = True
            elif code in self.retired_in(v):
                alive = False
            else:
                continue
            if v == vintage or not alive:
                return alive
        return not any(code in self.introduced_in(v) for v in self.names if v > vintage)

    def changed_between(self, start: int, end: int) -> set[str]:
        """Codes (of either vintage) whose content differs between vintages ``start`` and ``end``."""
        lo, hi = sorted((start, end))
        out: set[str] = set()
        for c in self.changes:
            if lo < c.vintage <= hi:
                out |= {c.code, *c.successors}
        return out


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> Vintages:
    """The concordance (default: ``naics_vintages.toml`` of the data folder); a bad file raises a DataError."""
    path = Path(path) if path is not None else paths.DATA_DIR / FILE_NAME
    raw = store.read_toml(path)
    try:
        first = tuple(sorted((int(v["naics_vintage"]), int(v["first_year"])) for v in raw["vintage"]))
        introduced = tuple(
            (int(v["naics_vintage"]), tuple(str(c) for c in v.get("introduced", []))) for v in raw["vintage"]
        )
        changes = tuple(
            Change(
                int(c["naics_vintage"]), str(c["code"]), tuple(map(str, c["successors"])), bool(c["whole"]), c["note"]
            )
            for c in raw.get("change", [])
        )
        if not first:
            raise ValueError("no vintages listed")
        unknown = [c.vintage for c in changes if c.vintage not in dict(first)]
        if unknown:
            raise ValueError(f"a change names vintage {unknown[0]}, which is not listed")
    except (KeyError, TypeError, ValueError) as exc:
        raise store.content_error(path, exc) from exc
    return Vintages(first, introduced, changes)


def vintage_of(year: int, codes=None, vintages: Vintages | None = None) -> int:
    """The NAICS vintage of ``year``: from its code list ``codes`` where that settles it, else BLS's rule."""
    v = vintages or load()
    if codes is not None:
        codes = set(codes)
        fits = [name for name in v.names if not any(not v.exists(c, name) for c in codes & _distinguishing(v))]
        if fits and len(fits) < len(v.names):
            rule = v.by_rule(year)
            return rule if rule in fits else min(fits, key=lambda name: abs(name - rule))
    return v.by_rule(year)


def _distinguishing(v: Vintages) -> set[str]:
    out: set[str] = set()
    for name in v.names:
        out |= v.retired_in(name) | v.introduced_in(name)
    return out


def in_vintage(codes, vintage: int, vintages: Vintages | None = None) -> list[str]:
    """``codes`` (of any vintage) as codes of ``vintage``, in order, without repeats.

    A code retired by then becomes its successors; a code introduced later becomes the retired codes
    that went wholly into it. Codes that exist in ``vintage`` stay as they are.
    """
    v = vintages or load()
    out: list[str] = []
    for code in codes:
        for c in _translate(code, vintage, v):
            if c not in out:
                out.append(c)
    return out


def _translate(code: str, vintage: int, v: Vintages) -> list[str]:
    if "-" in code or len(code) < 3 or v.exists(code, vintage):
        return [code]
    later = [c for c in v.changes if c.vintage <= vintage and c.code == code and c.retired]
    if later:
        return [s for c in later for s in _translate_all(c.successors, vintage, v)]
    earlier = [c.code for c in v.changes if c.vintage > vintage and c.retired and c.whole and code in c.successors]
    return [s for c in earlier for s in _translate(c, vintage, v)] or [code]


def _translate_all(codes, vintage: int, v: Vintages) -> list[str]:
    return [s for c in codes for s in _translate(c, vintage, v)]


def comparable(codes, start: int, end: int, vintages: Vintages | None = None) -> tuple[list[str], list[str], str]:
    """Codes to compare a group across vintages ``start`` and ``end``: (codes then, codes now, note).

    Where none of the group's codes changed between the two, they are the group's own codes
    and the note is empty. Otherwise the codes that changed are replaced by their 2-digit
    sectors (the split cannot be matched below that), in both years, and the note says so.
    """
    v = vintages or load()
    a, b = in_vintage(codes, start, v), in_vintage(codes, end, v)
    if start == end:
        return a, b, ""
    changed = v.changed_between(start, end)
    touched = [c for c in [*a, *b] if c in changed]
    if not touched:
        return a, b, ""
    parents = sorted({sector_of(c) for c in touched})
    keep = [c for c in a if sector_of(c) not in parents and c not in parents]
    same = [*keep, *parents]
    old = ", ".join(sorted({c for c in a if c in changed})) or "none"
    new = ", ".join(sorted({c for c in b if c in changed})) or "none"
    note = (
        f"codes changed in NAICS {max(start, end)} (NAICS {min(start, end)}: {old}; NAICS {max(start, end)}: {new}), "
        f"so the change compares NAICS {', '.join(same)} in both years"
    )
    return same, same, note


def sector_of(code: str) -> str:
    """The 2-digit NAICS sector of a code, as QCEW writes it (31-33, 44-45, 48-49)."""
    two = code[:2]
    for span in ("31-33", "44-45", "48-49"):
        lo, hi = span.split("-")
        if lo <= two <= hi:
            return span
    return two


__all__ = ["Change", "Vintages", "comparable", "in_vintage", "load", "sector_of", "vintage_of"]
