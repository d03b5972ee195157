"""The command line: ``python -m dashboard COMMAND``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths
from .ingest.common import SourceError
from .regions import UnknownRegionError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard", description="Sector Atlas data and profiles.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build data/ and shapefiles/ from the official raw files")
    b.add_argument("--raw", type=Path, default=paths.DEFAULT_RAW, help="folder of raw official files (default: %(default)s)")
    b.add_argument("--data", type=Path, default=paths.DATA_DIR, help=argparse.SUPPRESS)
    b.add_argument("--shapefiles", type=Path, default=paths.SHAPE_DIR, help=argparse.SUPPRESS)
    i = sub.add_parser("ingest", help="download a newer official QCEW or CBP annual file")
    i.add_argument("source", choices=["qcew", "cbp"])
    i.add_argument("--year", type=int, required=True)
    i.add_argument("--out", type=Path, default=paths.ROOT / "downloads", help="where to save the file (default: %(default)s)")
    pr = sub.add_parser("profile", help="print one region's profile")
    pr.add_argument("--scheme", default="county", help="county, cbsa, cz, bea, in-egr or state")
    pr.add_argument("--region", help="region id within the scheme (see: regions --scheme S)")
    pr.add_argument("--counties", help="comma-separated county FIPS for a custom region, e.g. 18039,18141")
    pr.add_argument("--sector", help="partnership sector id for the seats (default: the top-ranked sector)")
    pr.add_argument("--format", choices=["json"], default="json")
    br = sub.add_parser("brief", help="write a printable one-page brief for every region of a scheme in a state")
    br.add_argument("--scheme", required=True, help="county, cbsa, cz, bea, in-egr or state")
    br.add_argument("--state", required=True, help="2-digit state FIPS or postal code, e.g. 18 or IN")
    br.add_argument("--out", type=Path, required=True, help="folder for the brief files and index.html")
    rg = sub.add_parser("regions", help="list the region ids of a scheme")
    rg.add_argument("--scheme", required=True)
    rg.add_argument("--state", help="2-digit state FIPS to list only regions touching that state")
    return p


def _profile(args) -> int:
    import json

    from .profile import region_profile
    from .regions import custom_region, parse_county_list, resolve_region

    if args.counties:
        region = custom_region(parse_county_list(args.counties))
    elif args.region:
        region = resolve_region(args.scheme, args.region)
    else:
        raise UnknownRegionError("give --region ID (with --scheme) or --counties FIPS,FIPS")
    try:
        profile = region_profile(region, sector_id=args.sector)
    except KeyError as exc:
        raise UnknownRegionError(str(exc).strip("'\"")) from exc
    print(json.dumps(profile, indent=1, ensure_ascii=False))
    return 0


def _brief(args) -> int:
    from .brief import write_briefs

    try:
        written = write_briefs(args.scheme, args.state, args.out, log=lambda m: print(m, file=sys.stderr))
    except FileNotFoundError:
        raise  # missing data files: main's message
    except OSError as exc:
        # an unwritable or clashing output folder is the user's to fix, not a crash
        print(f"error: cannot write briefs to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(written[-1])
    return 0


def _regions(args) -> int:
    from .regions import list_regions

    table = list_regions(args.scheme, args.state)
    for row in table.itertuples(index=False):
        print(f"{row.region_id}\t{row.region_name}\t{row.counties} counties")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            from .build import run_build

            run_build(args.raw, args.data, args.shapefiles, log=lambda m: print(m, file=sys.stderr))
            return 0
        if args.command == "ingest":
            from .ingest.download import download_official

            dest = download_official(args.source, args.year, args.out)
            print(dest)
            return 0
        if args.command == "profile":
            return _profile(args)
        if args.command == "regions":
            return _regions(args)
        if args.command == "brief":
            return _brief(args)
    except UnknownRegionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (SourceError, FileNotFoundError, ConnectionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2
