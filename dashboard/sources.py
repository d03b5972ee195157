"""Publisher, product and vintage of every dataset the app shows.

Each figure on screen names its source through these entries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    publisher: str
    product: str
    vintage: str

    def cite(self) -> str:
        return f"{self.publisher}, {self.product}, {self.vintage}"


SOURCES = {
    "industry": Source("U.S. Bureau of Labor Statistics", "Quarterly Census of Employment and Wages (annual averages)", "2016"),
    "cbp": Source("U.S. Census Bureau", "County Business Patterns", "2017-2021"),
    "education": Source("USDA Economic Research Service", "Educational attainment (American Community Survey 5-year)", "2019-2023"),
    "poverty": Source("U.S. Census Bureau", "Small Area Income and Poverty Estimates (via USDA ERS)", "2023"),
    "svi": Source("CDC/ATSDR", "Social Vulnerability Index (American Community Survey 5-year)", "2018-2022"),
    "laus": Source("U.S. Bureau of Labor Statistics", "Local Area Unemployment Statistics, annual averages", "2024"),
    "population": Source("U.S. Census Bureau", "County population estimates", "Vintage 2024"),
    "rucc": Source("USDA Economic Research Service", "Rural-Urban Continuum Codes", "2023"),
    "cbsa": Source("U.S. Office of Management and Budget / Census Bureau", "Core-based statistical area delineation", "July 2023"),
    "cz": Source("Fowler (2024)", "2020 commuting zones (doi:10.17605/OSF.IO/J256U)", "2020"),
    "bea": Source("U.S. Bureau of Economic Analysis", "Economic areas", "2004 definitions"),
    "in-egr": Source("State of Indiana (compiled from public pages)", "Economic growth regions", "current"),
    "boundaries": Source("U.S. Census Bureau", "Cartographic boundary files, 1:20,000,000", "2024"),
}
