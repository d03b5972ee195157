"""How a map frames its regions: the national map opens on the lower 48 with Alaska, Hawaii and
Puerto Rico in boxes beside them; Alaska stays whole across the antimeridian.

The map draws longitude and latitude in Web Mercator (Leaflet's default). The Aleutians
cross the 180th meridian, so Alaska's westernmost islands have positive longitudes and a
plain bounding box of the country runs from -179 to +180 degrees: the whole globe, with
the lower 48 a small patch in it. Here every longitude east of 0 (only the Aleutians, in
US data) moves 360 degrees west, so Alaska is one piece from -190 to -130 degrees.

On the national map Alaska, Hawaii and Puerto Rico are moved into insets south-west and
south-east of the lower 48, as printed national maps do: each is drawn in an Albers equal-
area projection of its own (Alaska's shape, not Mercator's stretched one), scaled to fit
its box and placed there, then turned back into the longitudes and latitudes the map
expects. Each inset has a frame, so nobody reads them as lying off California or Florida.
Tooltips and clicks work as everywhere else; only positions and sizes change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


#: Where each inset goes on the national map (west, south, east, north, in degrees), and how it is projected:
#: Albers equal-area (standard parallels, origin latitude, central meridian).
@dataclass(frozen=True)
class Inset:
    name: str
    box: tuple[float, float, float, float]
    parallels: tuple[float, float]
    origin: tuple[float, float]


INSETS = {
    "AK": Inset("Alaska", (-125.5, 19.0, -107.5, 30.0), (55.0, 65.0), (50.0, -154.0)),
    "HI": Inset("Hawaii", (-106.5, 19.0, -97.5, 25.5), (8.0, 18.0), (13.0, -157.0)),
    "PR": Inset("Puerto Rico", (-80.0, 20.5, -72.0, 24.0), (17.5, 18.5), (18.0, -66.5)),
}
#: The lower 48's own extent (west, south, east, north): the national map's frame, with the insets.
LOWER48 = (-124.8, 24.4, -66.9, 49.4)
#: Space between an inset's drawing and its frame, as a share of the box.
MARGIN = 0.04


def unwrap(coords: np.ndarray) -> np.ndarray:
    """Longitudes east of 0 moved 360 degrees west (the Aleutians beyond the antimeridian)."""
    out = np.array(coords, dtype="float64")
    out[:, 0] = np.where(out[:, 0] > 0, out[:, 0] - 360.0, out[:, 0])
    return out


def inset_of(lon: float, lat: float) -> str | None:
    """Which inset a point (an unwrapped longitude and a latitude) belongs to, if any."""
    if lat > 50.0 and lon < -129.9:
        return "AK"
    if lat < 23.5 and lon < -154.0:
        return "HI"
    if lat < 19.0 and -68.5 < lon < -65.0:
        return "PR"
    return None


def _albers(lon: np.ndarray, lat: np.ndarray, inset: Inset) -> tuple[np.ndarray, np.ndarray]:
    """Albers equal-area conic on the unit sphere."""
    p1, p2 = np.radians(inset.parallels)
    lat0, lon0 = np.radians(inset.origin)
    n = (np.sin(p1) + np.sin(p2)) / 2
    c = np.cos(p1) ** 2 + 2 * n * np.sin(p1)
    rho = np.sqrt(c - 2 * n * np.sin(np.radians(lat))) / n
    rho0 = np.sqrt(c - 2 * n * np.sin(lat0)) / n
    theta = n * (np.radians(lon) - lon0)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def _mercator(lon, lat):
    return np.radians(lon), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _from_mercator(x, y):
    return np.degrees(x), np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)


@dataclass(frozen=True)
class Placement:
    """Albers coordinates -> Mercator: x' = x * scale + dx, y' = y * scale + dy."""

    scale: float
    dx: float
    dy: float

    def apply(self, coords: np.ndarray, inset: Inset) -> np.ndarray:
        x, y = _albers(coords[:, 0], coords[:, 1], inset)
        lon, lat = _from_mercator(x * self.scale + self.dx, y * self.scale + self.dy)
        return np.column_stack([lon, lat])


def placement(inset: Inset, bounds: tuple[float, float, float, float]) -> Placement:
    """Scale and shift that fit the Albers drawing of ``bounds`` (unwrapped degrees) in the inset's box, centred."""
    west, south, east, north = bounds
    lon = np.array([west, east, west, east, (west + east) / 2, (west + east) / 2])
    lat = np.array([south, south, north, north, south, north])
    x, y = _albers(lon, lat, inset)
    bw, bs, be, bn = inset.box
    (mx0, mx1), (my0, my1) = _mercator(np.array([bw, be]), np.array([bs, bn]))
    mx0, mx1 = mx0 + (mx1 - mx0) * MARGIN, mx1 - (mx1 - mx0) * MARGIN
    my0, my1 = my0 + (my1 - my0) * MARGIN, my1 - (my1 - my0) * MARGIN
    scale = min((mx1 - mx0) / (x.max() - x.min()), (my1 - my0) / (y.max() - y.min()))
    dx = (mx0 + mx1) / 2 - scale * (x.max() + x.min()) / 2
    dy = (my0 + my1) / 2 - scale * (y.max() + y.min()) / 2
    return Placement(float(scale), float(dx), float(dy))


def frame(geo, national: bool):
    """The view's geometry as its map draws it: unwrapped across the antimeridian; on the national map
    (``national``) Alaska, Hawaii and Puerto Rico moved into their insets.

    Returns ``(geometry, frames)``: a GeoDataFrame like ``geo`` and the boxes of the insets that hold a region
    (name -> west, south, east, north), for the map to outline.
    """
    import geopandas as gpd
    import shapely

    geoms = shapely.transform(geo.geometry.values, unwrap)
    frames: dict[str, tuple[float, float, float, float]] = {}
    if national and len(geoms):
        parts, index = shapely.get_parts(geoms, return_index=True)
        points = shapely.get_coordinates(shapely.point_on_surface(parts))
        which = np.array([inset_of(x, y) for x, y in points], dtype=object)
        for key, inset in INSETS.items():
            mine = which == key
            if not mine.any():
                continue
            place = placement(inset, tuple(shapely.total_bounds(parts[mine])))
            parts[mine] = shapely.transform(parts[mine], lambda c, place=place, inset=inset: place.apply(c, inset))
            frames[inset.name] = inset.box
        geoms = shapely.multipolygons(parts, indices=index)
    out = gpd.GeoDataFrame(geo.drop(columns=geo.geometry.name), geometry=list(geoms), crs=geo.crs)
    return out, frames


def bounds(geo, frames: dict) -> tuple[float, float, float, float]:
    """What the map opens on: the regions and the inset frames (west, south, east, north)."""
    boxes = [tuple(float(v) for v in geo.total_bounds)] if len(geo) else []
    boxes += list(frames.values())
    if not boxes:
        return LOWER48
    arr = np.array(boxes)
    return float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()), float(arr[:, 3].max())
