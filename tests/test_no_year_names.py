"""No data year is part of a name: years are data (a ``year`` column, a ``year`` argument).

Official column names of a publisher's file (``RUCC_2023``, ``POPESTIMATE2024``)
are what the parsers must match, so upper-case names are the publishers' and
are allowed; every name the project gives (modules, files, functions,
classes, arguments, variables, attributes, column names) must carry no year.
"""

from __future__ import annotations

import ast
import re

from dashboard.data import paths

YEAR_IN_NAME = re.compile(r"(?:^|_)(?:19|20)\d{2}(?:_|$)|_(?:19|20)\d{2}_\d{2}$")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
SOURCES = sorted(
    [*(paths.ROOT / "dashboard").rglob("*.py"), *(paths.ROOT / "pages").glob("*.py"), paths.ROOT / "app.py"]
)


def _names(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.lineno, node.name
        elif isinstance(node, ast.arg):
            yield node.lineno, node.arg
        elif isinstance(node, ast.Name):
            yield node.lineno, node.id
        elif isinstance(node, ast.Attribute):
            yield node.lineno, node.attr
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SNAKE.match(node.value):
            yield node.lineno, node.value  # column names, keys and ids are snake_case strings


def test_no_year_in_any_name_the_project_gives():
    found = []
    for path in SOURCES:
        rel = path.relative_to(paths.ROOT)
        if YEAR_IN_NAME.search(path.stem):
            found.append(f"{rel}: module name")
        for line, name in _names(ast.parse(path.read_text(), str(path))):
            if SNAKE.match(name) and YEAR_IN_NAME.search(name):
                found.append(f"{rel}:{line}: {name}")
    assert not found, "names carrying a year:\n" + "\n".join(found)


def test_no_year_in_processed_file_or_column_names():
    import pyarrow.parquet as pq

    found = []
    for path in sorted(paths.DATA_DIR.rglob("*")):
        if YEAR_IN_NAME.search(path.stem.replace("-", "_")):
            found.append(str(path.relative_to(paths.DATA_DIR)))
        if path.suffix == ".parquet":
            found += [f"{path.name}: column {c}" for c in pq.read_schema(path).names if YEAR_IN_NAME.search(c)]
    assert not found, "\n".join(found)


def test_the_check_catches_the_names_it_is_for():
    for name in ("industry_qcew_2016", "cbp_2017_2021", "growth_2015_16", "population_2024", "rucc_2023"):
        assert YEAR_IN_NAME.search(name), name
    for name in ("year", "since", "population", "rucc", "us_one_year_change", "h2o"):
        assert not YEAR_IN_NAME.search(name), name
