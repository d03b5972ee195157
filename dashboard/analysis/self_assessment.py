"""The seven-characteristics self-assessment and the "works well / less well" pairs.

Data in ``data/self_assessment.toml``; this module reads it and scores a
checklist. Scores are the share of items ticked, per characteristic and
overall, so a table sees where it is strong and where it has gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard.data import paths, store

ASSESSMENT_FILE = paths.DATA_DIR / "self_assessment.toml"


@dataclass(frozen=True)
class Item:
    id: str
    text: str


@dataclass(frozen=True)
class Characteristic:
    id: str
    name: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Assessment:
    characteristics: tuple[Characteristic, ...]
    pairs: tuple[tuple[str, str], ...]
    source: str
    pairs_source: str

    @property
    def item_ids(self) -> list[str]:
        return [i.id for c in self.characteristics for i in c.items]


@lru_cache(maxsize=2)
def load_assessment(path: Path | None = None) -> Assessment:
    """The checklist of ``path`` (default: ``self_assessment.toml`` of the data folder), checked. A file that
    is absent, not TOML or not a valid checklist raises a :class:`store.DataError` naming the file."""
    path = Path(path) if path is not None else paths.DATA_DIR / ASSESSMENT_FILE.name
    raw = store.read_toml(path)
    try:
        return _parse_assessment(raw, path)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise store.content_error(path, exc) from exc


def _text(value, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text, got {type(value).__name__}")  # noqa: TRY004 - a file content error
    return value


def _parse_assessment(raw: dict, path: Path) -> Assessment:
    chars, seen, seen_chars = [], set(), set()
    for c in raw.get("characteristic", []):
        if c.get("id") in seen_chars:
            raise ValueError(f"{Path(path).name}: characteristic {c.get('id')!r} appears twice")
        seen_chars.add(c.get("id"))
        items = []
        for item in c.get("items", []):
            if item["id"] in seen:
                raise ValueError(f"{Path(path).name}: checklist item {item['id']!r} appears twice")
            seen.add(item["id"])
            items.append(Item(_text(item["id"], "an item id"), _text(item["text"], f"item {item['id']!r}'s text")))
        if not items:
            raise ValueError(f"{Path(path).name}: characteristic {c.get('id')!r} has no items")
        chars.append(
            Characteristic(
                _text(c["id"], "a characteristic id"), _text(c["name"], "a characteristic name"), tuple(items)
            )
        )
    if len(chars) != 7:
        raise ValueError(f"{Path(path).name}: expected the seven characteristics, found {len(chars)}")
    pairs = tuple((p["well"], p["less"]) for p in raw.get("pair", []))
    return Assessment(tuple(chars), pairs, raw.get("source", ""), raw.get("pairs_source", ""))


def score_assessment(ticked, assessment: Assessment | None = None) -> dict:
    """Score a set of ticked item ids: per characteristic and overall (fractions 0..1).

    Unknown item ids raise, so a stale link or upload cannot inflate a score.
    """
    a = assessment or load_assessment()
    ticked = set(ticked)
    unknown = ticked - set(a.item_ids)
    if unknown:
        raise ValueError(f"unknown checklist items: {', '.join(sorted(unknown))}")
    per = []
    for c in a.characteristics:
        done = [i.id for i in c.items if i.id in ticked]
        per.append(
            {
                "id": c.id,
                "name": c.name,
                "done": len(done),
                "total": len(c.items),
                "score": len(done) / len(c.items),
                "gaps": [i.text for i in c.items if i.id not in ticked],
            }
        )
    total = sum(p["total"] for p in per)
    done = sum(p["done"] for p in per)
    return {
        "characteristics": per,
        "done": done,
        "total": total,
        "score": done / total,
        "strongest": max(per, key=lambda p: p["score"])["name"],
        "weakest": min(per, key=lambda p: p["score"])["name"],
    }
