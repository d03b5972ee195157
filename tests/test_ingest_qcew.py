"""QCEW parser, checked against real slices of the official BLS 2016 by-area files.

Expected annual values are computed here by hand (with :mod:`csv`, not the parser)
from the quarterly rows in the fixture, following the BLS definitions: annual
average employment = mean of the 12 monthly levels, annual wages = sum of the 4
quarters, annual average establishments = mean of the 4 quarterly counts.
How each fixture was cut is in tests/fixtures/qcew/README.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import shutil
import tarfile
from pathlib import Path

import pandas as pd
import pytest
from source_checks import assert_names

from dashboard.data import cell_bounds, paths
from dashboard.data.ingest.common import SourceError
from dashboard.data.ingest.qcew import ANNUAL_COLUMNS, read_qcew, read_qcew_text

FIXTURES = Path(__file__).parent / "fixtures" / "qcew"
RAW = Path(__file__).parents[1].parent / "shared/data/raw"
RAW_INDIANA = RAW / "qcew" / "qcew_2016_q1-q4_by_area_INDIANA_raw.tar.gz"

QUARTERLY = FIXTURES / "qcew_2016_q1-q4_18039_elkhart.csv"
ANNUAL = FIXTURES / "qcew_2016_annual_18039_elkhart.csv"
TARBALL = FIXTURES / "qcew_2016_q1-q4_two_counties.tar.gz"
ELKHART_MEMBER = "2016.q1-q4.by_area/2016.q1-q4 18039 Elkhart County, Indiana.csv"
MARION_MEMBER = "2016.q1-q4.by_area/2016.q1-q4 18097 Marion County, Indiana.csv"

needs_raw = pytest.mark.skipif(not RAW_INDIANA.is_file(), reason="official raw files not available")


# --- helpers ----------------------------------------------------------------------------------


def row(df: pd.DataFrame, own: int, industry: str, area: str = "18039") -> pd.Series:
    hits = df.loc[(df["area_fips"] == area) & (df["own_code"] == own) & (df["industry_code"] == industry)]
    assert len(hits) == 1, f"{area} {own}/{industry}: {len(hits)} rows"
    return hits.iloc[0]


def fixture_rows(path: Path = QUARTERLY) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("ascii"), newline="")))


def quarters(own: str, industry: str, path: Path = QUARTERLY) -> list[dict[str, str]]:
    rows = [r for r in fixture_rows(path) if r["own_code"] == own and r["industry_code"] == industry]
    assert [r["qtr"] for r in rows] == ["1", "2", "3", "4"]
    return rows


def monthly(rows: list[dict[str, str]], column: str) -> list[float]:
    """The 12 monthly values of ``month{1,2,3}_<column>`` (``lq_`` / ``oty_`` prefixes allowed)."""
    prefix, _, rest = column.partition("month_")
    return [float(r[f"{prefix}month{m}_{rest}"]) for r in rows for m in (1, 2, 3)]


def half_up(x: float) -> int:
    return math.floor(x + 0.5)


def lines(path: Path) -> list[bytes]:
    """The file's lines, each with its CRLF."""
    return path.read_bytes().splitlines(keepends=True)


def line_of(path: Path, *cells: str) -> int:
    """1-based line whose first cells are ``cells`` (quoted as in the file)."""
    needle = ",".join(f'"{c}"' for c in cells).encode()
    hits = [i for i, ln in enumerate(lines(path), start=1) if ln.startswith(needle)]
    assert hits, needle
    return hits[0]


def edit_cell(src: Path, dst: Path, line: int, column: str, value: str) -> Path:
    """Copy ``src`` to ``dst`` with one cell replaced; only that line is rewritten (all cells quoted)."""
    data = lines(src)
    header = next(csv.reader([data[0].decode().rstrip("\r\n")]))
    cells = next(csv.reader([data[line - 1].decode().rstrip("\r\n")]))
    cells[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n").writerow(cells)
    data[line - 1] = out.getvalue().encode()
    dst.write_bytes(b"".join(data))
    return dst


@pytest.fixture(scope="module")
def quarterly() -> pd.DataFrame:
    return read_qcew(QUARTERLY)


@pytest.fixture(scope="module")
def annual() -> pd.DataFrame:
    return read_qcew(ANNUAL)


# --- quarterly layout -> annual rows ----------------------------------------------------------


def test_quarterly_shape_and_types(quarterly):
    assert list(quarterly.columns) == ANNUAL_COLUMNS
    assert len(quarterly) == 15  # 60 quarterly rows, 4 per series
    assert (quarterly["area_fips"] == "18039").all()
    assert (quarterly["year"] == 2016).all()
    assert str(quarterly["emplvl"].dtype) == "Int64"
    assert str(quarterly["total_wages"].dtype) == "Int64"
    assert str(quarterly["estabs"].dtype) == "Int32"
    assert quarterly["lq_emplvl"].dtype == "float64"
    assert row(quarterly, 0, "10").area_title == "Elkhart County, Indiana"


def test_elkhart_private_manufacturing_by_hand(quarterly):
    q = quarters("5", "31-33")
    months = monthly(q, "month_emplvl")
    assert sum(months) == 752_880
    m = row(quarterly, 5, "31-33")
    assert m.agglvl_code == 74
    assert m.emplvl == half_up(sum(months) / 12) == 62_740
    assert m.estabs == half_up(sum(float(r["qtrly_estabs_count"]) for r in q) / 4) == 752  # 751.5
    assert m.total_wages == sum(int(r["total_qtrly_wages"]) for r in q) == 3_212_551_514
    assert m.lq_emplvl == pytest.approx(sum(monthly(q, "lq_month_emplvl")) / 12)
    assert m.lq_emplvl == pytest.approx(5.68, abs=0.005)  # SOURCES.md known check: about 5.7
    assert m.oty_emplvl_chg == pytest.approx(sum(monthly(q, "oty_month_emplvl_chg")) / 12)
    assert m.oty_emplvl_chg == pytest.approx(2262.17, abs=0.01)
    assert not m.suppressed


def test_elkhart_totals_by_hand(quarterly):
    for own, expected in (("0", 127_535), ("5", 118_867)):
        q = quarters(own, "10")
        r = row(quarterly, int(own), "10")
        assert r.emplvl == half_up(sum(monthly(q, "month_emplvl")) / 12) == expected
        assert r.total_wages == sum(int(x["total_qtrly_wages"]) for x in q)
        assert r.estabs == half_up(sum(int(x["qtrly_estabs_count"]) for x in q) / 4)
    assert row(quarterly, 0, "10").lq_emplvl == pytest.approx(1.0)
    # the supersector and the sector cover the same establishments in Elkhart
    assert row(quarterly, 5, "1013").emplvl == row(quarterly, 5, "31-33").emplvl
    assert row(quarterly, 5, "336").emplvl == 31_786


def test_suppressed_cells_are_missing_not_zero(quarterly):
    for industry, estabs in (("11", 27), ("113", 1), ("3361", 2)):
        q = quarters("5", industry)
        assert {r["disclosure_code"] for r in q} == {"N"}
        assert all(float(r["month1_emplvl"]) == 0 for r in q)  # published as 0 ...
        r = row(quarterly, 5, industry)
        assert r.suppressed
        assert pd.isna(r.emplvl) and pd.isna(r.total_wages)  # ... read as unknown
        assert math.isnan(r.lq_emplvl) and math.isnan(r.oty_emplvl_chg)
        assert r.estabs == estabs  # establishment counts are published and kept
    assert row(quarterly, 5, "11").estabs == half_up((25 + 26 + 27 + 29) / 4)


def test_placeholder_quarters_are_zero_and_one_suppressed_quarter_hides_the_year(quarterly):
    # 5/315: no establishments in Q1-Q2 (disclosure "-"), suppressed in Q3-Q4
    assert [r["disclosure_code"] for r in quarters("5", "315")] == ["-", "-", "N", "N"]
    r = row(quarterly, 5, "315")
    assert r.suppressed and pd.isna(r.emplvl)
    assert r.estabs == 1  # (0 + 0 + 1 + 1) / 4 = 0.5, rounded half up
    # 5/99: placeholders in Q1 and Q4, one employee a month in Q2-Q3
    q = quarters("5", "99")
    assert [x["disclosure_code"] for x in q] == ["-", "", "", "-"]
    r = row(quarterly, 5, "99")
    assert not r.suppressed
    assert sum(monthly(q, "month_emplvl")) == 6
    assert r.emplvl == 1  # 6 / 12 = 0.5, rounded half up as BLS publishes, not to even
    assert r.total_wages == 27_000
    assert math.isnan(r.lq_emplvl)  # LQ flagged "N" in the placeholder quarters


def test_quarter_without_row_counts_as_zero(tmp_path):
    q4 = line_of(QUARTERLY, "18039", "5", "44-45", "74", "0", "2016", "4")
    data = lines(QUARTERLY)
    path = tmp_path / "no_q4.csv"
    path.write_bytes(b"".join(data[: q4 - 1] + data[q4:]))
    q = quarters("5", "44-45")[:3]
    r = row(read_qcew(path), 5, "44-45")
    assert r.emplvl == half_up(sum(monthly(q, "month_emplvl")) / 12)
    assert r.estabs == half_up(sum(int(x["qtrly_estabs_count"]) for x in q) / 4)
    assert r.total_wages == sum(int(x["total_qtrly_wages"]) for x in q)


def test_agglvls_filter(quarterly):
    df = read_qcew(QUARTERLY, agglvls={70, 74})
    assert set(df["agglvl_code"]) == {70, 74}
    assert set(df["industry_code"]) == {"10", "11", "31-33", "44-45", "62", "99"}
    assert len(df) == 6
    pd.testing.assert_frame_equal(
        df.reset_index(drop=True),
        quarterly.loc[quarterly["agglvl_code"].isin({70, 74})].reset_index(drop=True),
    )
    assert set(read_qcew(QUARTERLY, agglvls={76})["industry_code"]) == {"3361"}
    none = read_qcew(QUARTERLY, agglvls={99})
    assert none.empty and list(none.columns) == ANNUAL_COLUMNS


def test_in_memory_text_matches_file(quarterly):
    df = read_qcew_text(QUARTERLY.read_text(), "upload.csv")
    pd.testing.assert_frame_equal(df, quarterly)


def test_current_column_names_read_the_same(tmp_path, quarterly):
    """Current BLS files call the establishment count ``qtrly_estabs``."""
    text = QUARTERLY.read_bytes().replace(b'"qtrly_estabs_count"', b'"qtrly_estabs"', 1)
    path = tmp_path / "2024.q1-q4 18039.csv"
    path.write_bytes(text)
    pd.testing.assert_frame_equal(read_qcew(path), quarterly)


# --- annual-averages layout -------------------------------------------------------------------


def test_annual_layout_columns_follow_bls():
    header = next(csv.reader([lines(ANNUAL)[0].decode().strip()]))
    assert len(header) == 43
    assert header[:14] == [
        "area_fips",
        "own_code",
        "industry_code",
        "agglvl_code",
        "size_code",
        "year",
        "qtr",
        "disclosure_code",
        "area_title",
        "own_title",
        "industry_title",
        "agglvl_title",
        "size_title",
        "annual_avg_estabs",
    ]
    assert header[-1] == "oty_avg_annual_pay_pct_chg"
    assert {r["qtr"] for r in fixture_rows(ANNUAL)} == {"A"}


def test_annual_fixture_elkhart_values(annual):
    assert list(annual.columns) == ANNUAL_COLUMNS
    m = row(annual, 5, "31-33")
    assert (m.emplvl, m.estabs, m.total_wages) == (62_740, 752, 3_212_551_514)
    assert m.lq_emplvl == pytest.approx(5.68)
    assert m.oty_emplvl_chg == 2262
    assert row(annual, 0, "10").emplvl == 127_535
    s = row(annual, 5, "11")
    assert s.suppressed and pd.isna(s.emplvl) and pd.isna(s.total_wages) and s.estabs == 27
    assert math.isnan(s.lq_emplvl) and math.isnan(s.oty_emplvl_chg)


def test_annual_fixture_agrees_with_quarterly(annual, quarterly):
    key = ["area_fips", "own_code", "industry_code", "agglvl_code", "year"]
    both = quarterly.merge(annual, on=key, suffixes=("_q", "_a"), validate="1:1")
    assert len(both) == len(quarterly) == len(annual)
    for col in ("suppressed", "estabs", "emplvl", "total_wages"):
        assert both[f"{col}_q"].equals(both[f"{col}_a"]), col
    assert both["lq_emplvl_q"].isna().equals(both["lq_emplvl_a"].isna())
    shown = both["lq_emplvl_q"].notna()
    assert (both.loc[shown, "lq_emplvl_q"].round(2) == both.loc[shown, "lq_emplvl_a"]).all()
    assert both["oty_emplvl_chg_q"].isna().equals(both["oty_emplvl_chg_a"].isna())
    assert ((both["oty_emplvl_chg_q"] - both["oty_emplvl_chg_a"]).abs().dropna() <= 0.5).all()


def test_annual_old_column_name(tmp_path, annual):
    """Older annual files call the establishment count ``annual_avg_estabs_count``."""
    text = ANNUAL.read_bytes().replace(b'"annual_avg_estabs"', b'"annual_avg_estabs_count"', 1)
    path = tmp_path / "2016.annual 18039.csv"
    path.write_bytes(text)
    pd.testing.assert_frame_equal(read_qcew(path), annual)


def test_annual_singlefile_without_titles(tmp_path, annual):
    rows = fixture_rows(ANNUAL)
    titles = ["area_title", "own_title", "industry_title", "agglvl_title", "size_title"]
    out = io.StringIO()
    writer = csv.DictWriter(out, [c for c in rows[0] if c not in titles], extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "2016.annual.singlefile.csv"
    path.write_text(out.getvalue())
    df = read_qcew(path)
    assert (df["area_title"] == "").all()
    cols = ["own_code", "industry_code", "estabs", "emplvl", "total_wages", "lq_emplvl"]
    pd.testing.assert_frame_equal(df[cols], annual[cols])


# --- tarball of per-area files ----------------------------------------------------------------


def test_tarball_reads_every_member(quarterly, tmp_path):
    df = read_qcew(TARBALL)
    assert set(df["area_fips"]) == {"18039", "18097"}
    elkhart = df.loc[df["area_fips"] == "18039"].reset_index(drop=True)
    pd.testing.assert_frame_equal(elkhart, quarterly)
    marion = row(df, 0, "10", area="18097")
    assert marion.emplvl == pytest.approx(591_000, abs=500)  # SOURCES.md known check
    q = quarters("0", "10", path=member_copy(MARION_MEMBER, tmp_path))
    assert marion.emplvl == half_up(sum(monthly(q, "month_emplvl")) / 12) == 591_186
    # disclosed in Q1 and Q3, suppressed in Q2 and Q4: suppressed for the year
    apparel = row(df, 5, "315", area="18097")
    assert apparel.suppressed and pd.isna(apparel.emplvl) and apparel.estabs == 6


def test_tarball_agglvls_filter():
    df = read_qcew(TARBALL, agglvls={70})
    assert sorted(df["area_fips"]) == ["18039", "18097"]
    assert (df["industry_code"] == "10").all()


def test_tarball_members_are_the_plain_slice():
    with tarfile.open(TARBALL) as tar:
        assert sorted(tar.getnames()) == [ELKHART_MEMBER, MARION_MEMBER]
        assert tar.extractfile(ELKHART_MEMBER).read() == QUARTERLY.read_bytes()


def member_copy(name: str, folder: Path, archive: Path = TARBALL) -> Path:
    """One member of a tarball, written to ``folder``."""
    with tarfile.open(archive) as tar:
        data = tar.extractfile(name).read()
    path = folder / Path(name).name
    path.write_bytes(data)
    return path


# --- bad input --------------------------------------------------------------------------------


def test_non_numeric_employment_names_file_and_line(tmp_path):
    line = line_of(QUARTERLY, "18039", "5", "336", "75", "0", "2016", "3")
    path = edit_cell(QUARTERLY, tmp_path / "bad.csv", line, "month2_emplvl", "31,9x7")
    with pytest.raises(SourceError, match="month2_emplvl") as err:
        read_qcew(path)
    assert_names(err, path, line)


def test_bad_area_code_names_line(tmp_path):
    line = line_of(QUARTERLY, "18039", "5", "62", "74", "0", "2016", "2")
    path = edit_cell(QUARTERLY, tmp_path / "bad.csv", line, "area_fips", "18-39")
    with pytest.raises(SourceError, match="area_fips") as err:
        read_qcew(path)
    assert_names(err, path, line)


def test_bad_quarter_names_line(tmp_path):
    line = line_of(QUARTERLY, "18039", "0", "10", "70", "0", "2016", "4")
    path = edit_cell(QUARTERLY, tmp_path / "bad.csv", line, "qtr", "5")
    with pytest.raises(SourceError, match="qtr") as err:
        read_qcew(path)
    assert_names(err, path, line)


def test_duplicate_quarter_row_names_the_second(tmp_path):
    data = lines(QUARTERLY)
    dup = line_of(QUARTERLY, "18039", "5", "31-33", "74", "0", "2016", "2")
    path = tmp_path / "dup.csv"
    path.write_bytes(b"".join(data + [data[dup - 1]]))
    with pytest.raises(SourceError, match="twice") as err:
        read_qcew(path)
    assert_names(err, path, len(data) + 1)


def test_missing_column(tmp_path):
    path = tmp_path / "missing.csv"
    path.write_bytes(QUARTERLY.read_bytes().replace(b'"month2_emplvl",', b"", 1))
    with pytest.raises(SourceError, match="month2_emplvl") as err:
        read_qcew(path)
    assert_names(err, path)


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceError) as err:
        read_qcew(empty)
    assert_names(err, empty)
    header_only = tmp_path / "header.csv"
    header_only.write_bytes(lines(QUARTERLY)[0])
    with pytest.raises(SourceError, match="no data rows") as err:
        read_qcew(header_only)
    assert_names(err, header_only)
    with pytest.raises(SourceError, match="not found"):
        read_qcew(tmp_path / "absent.csv")


def test_gzip_reads_and_truncated_gzip_fails(tmp_path, quarterly):
    whole = gzip.compress(QUARTERLY.read_bytes(), mtime=0)
    good = tmp_path / "elkhart.csv.gz"
    good.write_bytes(whole)
    pd.testing.assert_frame_equal(read_qcew(good), quarterly)
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceError, match="gzip") as err:
        read_qcew(cut)
    assert_names(err, cut)


def test_truncated_tarball(tmp_path):
    data = TARBALL.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match="archive") as err:
        read_qcew(cut)
    assert_names(err, cut)


def test_bad_member_is_named_with_its_archive(tmp_path):
    bad = edit_cell(QUARTERLY, tmp_path / "m.csv", 3, "month1_emplvl", "lots")
    archive = tmp_path / "areas.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bad, arcname="2016.q1-q4.by_area/bad area.csv")
    with pytest.raises(SourceError, match="month1_emplvl") as err:
        read_qcew(archive)
    assert "bad area.csv" in str(err.value)
    assert_names(err, archive, 3)


def test_binary_junk(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(SourceError) as err:
        read_qcew(junk)
    assert_names(err, junk)
    gz_junk = tmp_path / "junk.csv.gz"
    gz_junk.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4)
    with pytest.raises(SourceError) as err:
        read_qcew(gz_junk)
    assert_names(err, gz_junk)
    tar_junk = tmp_path / "junk.tar.gz"
    shutil.copy(junk, tar_junk)
    with pytest.raises(SourceError) as err:
        read_qcew(tar_junk)
    assert_names(err, tar_junk)


# --- against the official files ---------------------------------------------------------------


@needs_raw
def test_fixture_lines_are_unchanged_official_lines(tmp_path):
    marion = lines(member_copy(MARION_MEMBER, tmp_path))
    with tarfile.open(RAW_INDIANA) as tar:
        for name, fixture in ((ELKHART_MEMBER, lines(QUARTERLY)), (MARION_MEMBER, marion)):
            official = tar.extractfile(name).read().splitlines(keepends=True)
            assert fixture[0] == official[0]
            positions = [official.index(ln) for ln in fixture[1:]]
            assert positions == sorted(positions)


@needs_raw
def test_official_elkhart_file_gives_the_fixture_values(tmp_path, quarterly):
    full = read_qcew(member_copy(ELKHART_MEMBER, tmp_path, RAW_INDIANA))
    assert len(full) > 1000
    key = ["own_code", "industry_code"]
    picked = full.merge(quarterly[key], on=key).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(picked, quarterly.sort_values(key).reset_index(drop=True))


def test_minus_888_is_a_real_change_not_missing():
    """QCEW marks what it hides with disclosure codes: a change of exactly -888 jobs is a real change."""
    ny = read_qcew(FIXTURES / "qcew_2016_q1-q4_36000_511_new_york.csv")
    chg = row(ny, 5, "511", area="36000")["oty_emplvl_chg"]
    assert (
        sum(monthly(quarters("5", "511", FIXTURES / "qcew_2016_q1-q4_36000_511_new_york.csv"), "oty_month_emplvl_chg"))
        == -13280
    )
    assert round(chg, 2) == -1106.67


REAL_2020 = RAW / "qcew_slices_2020_real"


@pytest.mark.skipif(not REAL_2020.is_dir(), reason="real 2020 slices not available")
def test_real_2020_slices_keep_every_number_as_published():
    """Every row of BLS's 2020 annual slices parses; each change equals the file's own cell, negative ones too."""
    for path in sorted(REAL_2020.glob("*.csv.gz")):
        df = read_qcew(path)
        with gzip.open(path, "rt", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(df) == len(rows)
        want = [
            float(r["oty_annual_avg_emplvl_chg"])
            if r["oty_disclosure_code"] != "N" and r["disclosure_code"] != "N"
            else math.nan
            for r in rows
        ]
        got = df["oty_emplvl_chg"].tolist()
        assert all((math.isnan(w) and math.isnan(g)) or w == g for w, g in zip(want, got, strict=True)), path.name


@pytest.mark.skipif(not REAL_2020.is_dir(), reason="real 2020 slices not available")
def test_the_annual_files_whole_job_changes_get_half_a_job_of_rounding():
    """BLS's annual files publish the one-year change in whole jobs; the ranges allow half a job of rounding for
    each (and a job for last year's jobs, this year's less the change), where changes worked out from the
    quarterly files (the bundled 2016 data) carry cents."""
    annual = pd.concat([read_qcew(p) for p in sorted(REAL_2020.glob("*.csv.gz"))])
    units = cell_bounds.rounding_units(annual["oty_emplvl_chg"].astype("float64").to_numpy())
    assert (units["change"], units["prior"], units["emplvl"]) == (0.5, 1.0, 0.5)
    bundled = pd.read_parquet(paths.ROOT / "data" / "industry.parquet", columns=["year", "oty_emplvl_chg"])
    units = cell_bounds.rounding_units(bundled.loc[bundled["year"] == 2016, "oty_emplvl_chg"].to_numpy("float64"))
    assert (units["change"], units["prior"]) == (0.01, 0.51)
