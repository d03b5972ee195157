"""Publisher and product of every dataset the app shows; vintages come from the data.

The build writes each source's vintage, read from the official files
themselves, into ``data/manifest.json`` (``vintages``), and the loaded years
of the yearly tables (``years``). Each figure on screen names its source
through :func:`cite`.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.data import store


@dataclass(frozen=True)
class Source:
    publisher: str
    product: str
    #: How a recorded vintage is written ("release {}": O*NET names its releases "29.3").
    vintage_format: str = "{}"


SOURCES = {
    "industry": Source("U.S. Bureau of Labor Statistics", "Quarterly Census of Employment and Wages (annual averages)"),
    "cbp": Source("U.S. Census Bureau", "County Business Patterns"),
    "education": Source("USDA Economic Research Service", "Educational attainment (American Community Survey 5-year)"),
    "poverty": Source("U.S. Census Bureau", "Small Area Income and Poverty Estimates (via USDA ERS)"),
    "svi": Source("CDC/ATSDR", "Social Vulnerability Index (American Community Survey 5-year)"),
    "laus": Source("U.S. Bureau of Labor Statistics", "Local Area Unemployment Statistics, annual averages"),
    "population": Source("U.S. Census Bureau", "County population estimates"),
    "rucc": Source("USDA Economic Research Service", "Rural-Urban Continuum Codes"),
    "cbsa": Source("U.S. Office of Management and Budget / Census Bureau", "Core-based statistical area delineation"),
    "cz": Source("Fowler (2024)", "Commuting zones (doi:10.17605/OSF.IO/J256U)"),
    "bea": Source("U.S. Bureau of Economic Analysis", "Economic areas"),
    "in-egr": Source("State of Indiana (compiled from public pages)", "Economic growth regions"),
    "boundaries": Source("U.S. Census Bureau", "Cartographic boundary files, 1:20,000,000"),
    "oews": Source("U.S. Bureau of Labor Statistics", "Occupational Employment and Wage Statistics"),
    "projections": Source("U.S. Bureau of Labor Statistics", "Employment Projections"),
    "onet": Source(
        "National Center for O*NET Development (U.S. Department of Labor)",
        "O*NET database",
        vintage_format="release {}",
    ),
}

#: Sources published every year, whose loaded years are listed in the manifest.
YEARLY = ("industry", "cbp")


def loaded_years(source: str = "industry") -> list[int]:
    """The years of ``source`` loaded in ``data/``, oldest first."""
    return [int(y) for y in store.manifest().get("years", {}).get(source, [])]


def newest_year(source: str = "industry") -> int | None:
    years = loaded_years(source)
    return years[-1] if years else None


def vintage(source: str) -> str:
    """The vintage of one source as its files state it ("2016", "2019-2023", "Vintage 2024", "release 29.3")."""
    if source in YEARLY:
        return spans(loaded_years(source))
    recorded = store.manifest().get("vintages", {}).get(source)
    if recorded is None:
        return "vintage not recorded"
    return SOURCES[source].vintage_format.format(recorded) if source in SOURCES else str(recorded)


def spans(years: list[int]) -> str:
    """Years as runs: [2016] -> "2016"; [2017, 2018, 2019, 2021] -> "2017-2019, 2021".

    >>> spans([2016, 2023, 2024])
    '2016, 2023-2024'
    """
    if not years:
        return "no year loaded"
    runs, start = [], years[0]
    for prev, year in zip(years, [*years[1:], None]):
        if year is None or year != prev + 1:
            runs.append(str(start) if start == prev else f"{start}-{prev}")
            start = year
    return ", ".join(runs)


def cite(source: str, year: int | None = None) -> str:
    """ "Publisher, product, vintage"; ``year`` names the one year a figure is from."""
    s = SOURCES[source]
    return f"{s.publisher}, {s.product}, {year if year is not None else vintage(source)}"
