"""The command line: ``python -m dashboard COMMAND``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths
from .ingest.common import SourceError


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
    return p


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
    except (SourceError, FileNotFoundError, ConnectionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2
