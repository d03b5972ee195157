"""The command line: ``python -m dashboard COMMAND``."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from dashboard.analysis.measures import UnknownYearError
from dashboard.analysis.regions import UnknownRegionError
from dashboard.data import paths
from dashboard.data.ingest.common import SourceError
from dashboard.data.plain_text import inert
from dashboard.data.store import DataError
from dashboard.data.update.http import UpdateError


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line (and exit 2), like every other error of the command line."""

    def error(self, message: str):
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m dashboard", description="Sector Atlas data and profiles.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build data/ and shapefiles/ from the official raw files")
    b.add_argument(
        "--raw", type=Path, default=paths.DEFAULT_RAW, help="folder of raw official files (default: %(default)s)"
    )
    b.add_argument("--data", type=Path, default=paths.DATA_DIR, help=argparse.SUPPRESS)
    b.add_argument("--shapefiles", type=Path, default=paths.SHAPE_DIR, help=argparse.SUPPRESS)
    u = sub.add_parser(
        "update",
        help="fetch, check and install the newest (or a named) year of official figures",
        description="Fetch BLS QCEW annual averages (or Census County Business Patterns) for one year, "
        "check them, and install them beside the years already loaded. Needs a network; "
        "any failure leaves the installed data as they were.",
    )
    u.add_argument(
        "--source",
        choices=["qcew", "cbp"],
        default="qcew",
        help="qcew (BLS QCEW annual averages, the default) or cbp (Census County Business Patterns)",
    )
    u.add_argument("--year", type=_year, help="the year to fetch (default: the newest the publisher has)")
    u.add_argument(
        "--check",
        action="store_true",
        help="dry run: say which year and how many files and bytes the update would fetch; write nothing",
    )
    u.add_argument(
        "--census-key",
        help="Census API key for --source cbp (default: the CENSUS_API_KEY environment variable; "
        "free at https://api.census.gov/data/key_signup.html)",
    )
    u.add_argument("--data", type=Path, default=paths.DATA_DIR, help=argparse.SUPPRESS)
    u.add_argument("--base-url", help=argparse.SUPPRESS)
    pr = sub.add_parser("profile", help="print one region's profile")
    pr.add_argument("--scheme", default="county", help="county, cbsa, cz, bea, in-egr or state")
    pr.add_argument("--region", help="region id within the scheme (see: regions --scheme S)")
    pr.add_argument("--counties", help="comma-separated county FIPS for a custom region, e.g. 18039,18141")
    pr.add_argument("--sector", help="partnership sector id for the seats (default: the top-ranked sector)")
    pr.add_argument("--format", choices=["json"], default="json")
    pr.add_argument("--year", type=_year, help="QCEW year of the industry figures (default: the newest loaded)")
    pr.add_argument(
        "--state",
        help="state a multi-state region is compared with, FIPS or postal code, e.g. 21 or KY "
        "(default: the state holding most of its people)",
    )
    br = sub.add_parser("brief", help="write a printable one-page brief for every region of a scheme in a state")
    br.add_argument("--scheme", required=True, help="county, cbsa, cz, bea, in-egr or state")
    br.add_argument("--state", required=True, help="2-digit state FIPS or postal code, e.g. 18 or IN")
    br.add_argument("--out", type=Path, required=True, help="folder for the brief files and index.html")
    br.add_argument("--year", type=_year, help="QCEW year of the industry figures (default: the newest loaded)")
    rg = sub.add_parser("regions", help="list the region ids of a scheme")
    rg.add_argument("--scheme", required=True)
    rg.add_argument("--state", help="2-digit state FIPS to list only regions touching that state")
    sv = sub.add_parser(
        "serve",
        help="run the app (Streamlit), from any folder; optionally several replicas behind nginx",
        description="Run the app with Streamlit. One replica by default; with --replicas N, N servers "
        "on consecutive ports from --port sharing one cookie secret, restarted if they "
        "exit or stop answering; with --proxy-port, nginx in front of them "
        "(deploy/nginx.conf). Other Streamlit options: STREAMLIT_* environment variables.",
    )
    sv.add_argument("--port", type=int, default=8501, help="port of the (first) replica (default: %(default)s)")
    sv.add_argument("--address", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    sv.add_argument("--replicas", type=int, default=1, help="number of Streamlit servers (default: %(default)s)")
    sv.add_argument("--proxy-port", type=int, help="run nginx on this port in front of the replicas")
    sv.add_argument(
        "--proxy-dir",
        type=Path,
        help="folder for nginx's config, log and temporary files (default: a new temporary folder, removed at exit)",
    )
    db = sub.add_parser(
        "db",
        help="the partnership registry: migrate, import, export, coverage, roles",
        description="The partnership registry's database: SECTOR_ATLAS_DB names a SQLite file or a "
        "postgresql:// URL (default: registry.db in the per-user data folder).",
    )
    dbs = db.add_subparsers(dest="db_command", required=True)
    dbs.add_parser("upgrade", help="apply the registry's migrations (the app also does at start)")
    imp = dbs.add_parser("import", help="import partnerships, members, outcomes and assessments from the CSV template")
    imp.add_argument("file", type=Path, help="a CSV file laid out as the template (db export writes one)")
    exp = dbs.add_parser("export", help="write every record as the CSV template")
    exp.add_argument("--out", type=Path, help="file to write (default: standard output)")
    cov = dbs.add_parser("coverage", help="every region x partnership sector of a state: verdicts, phases, gaps (JSON)")
    cov.add_argument("--state", required=True, help="2-digit state FIPS or postal code, e.g. 21 or KY")
    cov.add_argument("--scheme", required=True, help="county, cbsa, cz, bea, in-egr or state")
    cov.add_argument("--year", type=_year, help="QCEW year of the industry figures (default: the newest loaded)")
    gr = dbs.add_parser("grant", help="give someone a registry role (viewer, editor for states, admin)")
    gr.add_argument("email")
    gr.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    gr.add_argument("--state", action="append", default=[], help="a state an editor may change (repeat for more)")
    return p


def _year(text: str) -> int:
    """A four-digit year in ASCII digits; anything else is a usage error (one line, exit 2)."""
    if not re.fullmatch(r"[0-9]{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a four-digit year")
    return int(text)


def _profile(args) -> int:
    import json

    from dashboard.analysis import seats, sectors
    from dashboard.analysis.regions import custom_region, parse_county_list, resolve_region
    from dashboard.data import store
    from dashboard.report.profile import region_profile

    # every file a profile reads, checked before any figure is worked out (as the app does before a page):
    # a damaged one is named at once rather than after seconds of work
    store.check_data(maps=False)
    sectors.load_taxonomy()
    seats.load_rules()
    if args.counties:
        region = custom_region(parse_county_list(args.counties))
    elif args.region:
        region = resolve_region(args.scheme, args.region)
    else:
        raise UnknownRegionError("give --region ID (with --scheme) or --counties FIPS,FIPS")
    state = None
    if args.state:
        from dashboard.report.brief import state_fips

        state = state_fips(args.state)  # an unknown state: one line, exit 2
    try:
        profile = region_profile(region, sector_id=args.sector, year=args.year, state=state)
    except UnknownYearError:
        raise
    except KeyError as exc:
        raise UnknownRegionError(str(exc).strip("'\"")) from exc
    print(json.dumps(profile.to_json(), indent=1, ensure_ascii=False))
    return 0


def _brief(args) -> int:
    from dashboard.report.brief import write_briefs

    try:
        written = write_briefs(
            args.scheme, args.state, args.out, log=lambda m: print(m, file=sys.stderr), year=args.year
        )
    except DataError:
        raise  # missing or damaged data files: main's message
    except OSError as exc:
        # an unwritable or clashing output folder is the user's to fix, not a crash
        print(f"error: cannot write briefs to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(written[-1])
    return 0


def _update(args) -> int:
    import json
    import signal

    from dashboard.data.update import http, run_update

    if args.year is not None and not 1990 <= args.year <= _this_year() + 1:
        print(f"error: --year {args.year} is out of range (1990-{_this_year() + 1})", file=sys.stderr)
        return 2
    if args.check:
        return _check_update(args)

    def stop(signum, frame):
        raise _Stopped(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    http.LAST_FILE = None
    try:
        record = run_update(
            args.source,
            args.year,
            args.data,
            base=args.base_url,
            log=lambda m: print(m, file=sys.stderr),
            key=args.census_key,
        )
    except _Stopped:
        # the temporary folders are removed on the way out (their context managers), the tables untouched
        print("error: update stopped (SIGTERM); the installed data were not changed", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("error: update interrupted; the installed data were not changed", file=sys.stderr)
        return 130
    except (UpdateError, OSError):
        raise
    except Exception as exc:  # a fault in what a server sent that no check foresaw: the file is to blame
        if os.environ.get("SECTOR_ATLAS_DEBUG") or not http.LAST_FILE:
            raise
        return _fail(
            f"{http.LAST_FILE}: damaged data ({type(exc).__name__}: {exc}); the installed data were not changed", 1
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    for note in record.get("notes", []):
        print(f"note: {inert(note)}", file=sys.stderr)
    print(
        f"installed {args.source.upper()} {record['year']}: {record['files']} files, {record['bytes'] / 1e6:.1f} MB "
        f"in {record['seconds']:.0f} s, into {args.data}; a running app shows it at the next click",
        file=sys.stderr,
    )
    print(json.dumps(record, indent=1))
    return 0


class _Stopped(Exception):
    """SIGTERM during an update (raised in the main thread by the signal handler)."""


def _check_update(args) -> int:
    import json

    from dashboard.data.update import check_update

    try:
        record = check_update(args.source, args.year, args.data, base=args.base_url, key=args.census_key)
    except KeyboardInterrupt:
        print("error: check interrupted; nothing was written", file=sys.stderr)
        return 130
    for note in record.get("notes", []):
        print(f"note: {note}", file=sys.stderr)
    size = (
        f"about {record['estimated_bytes'] / 1e6:.0f} MB (estimated; {record['estimate_basis']})"
        if record.get("estimated_bytes")
        else "size not known in advance"
    )
    vintage = record["naics_vintage"]
    vintage = vintage if isinstance(vintage, str) else f"NAICS {vintage}"
    print(
        f"would fetch {args.source.upper()} {record['year']} ({vintage}): {record['files']} files, {size}; "
        "nothing was written",
        file=sys.stderr,
    )
    print(json.dumps(record, indent=1))
    return 0


def _this_year() -> int:
    import datetime

    return datetime.date.today().year


def _serve(args) -> int:
    from dashboard.serve import ServeError, serve

    try:
        return serve(args.replicas, args.port, args.address, args.proxy_port, args.proxy_dir)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _regions(args) -> int:
    from dashboard.analysis.regions import list_regions

    table = list_regions(args.scheme, args.state)
    for row in table.itertuples(index=False):
        print(f"{row.region_id}\t{row.region_name}\t{row.counties} counties")
    return 0


def _db(args) -> int:
    from dashboard.registry import database, migrate

    try:
        engine = database.engine()
        if args.db_command == "upgrade":
            before = migrate.upgrade(engine)
            print(
                f"the registry ({database.describe(engine.url)}) is at revision {migrate.head()} (was {before or 'empty'})"
            )
            return 0
        migrate.ensure_current(engine)
        return _db_records(args, engine)
    except database.RegistryUnavailable as exc:
        return _fail(exc, 1)


def _db_records(args, engine) -> int:
    import json

    from dashboard.data.catalogue import USPS
    from dashboard.registry import access, csvio, database, validate, write
    from dashboard.report import exports

    if args.db_command == "import":
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            return _fail(f"cannot read {args.file}: {exc.strerror or exc}", 1)
        try:
            with database.session(engine) as s:
                counts = csvio.import_frame(s, access.LOCAL, csvio.read_csv(data))
        except csvio.ImportRefused as exc:
            print("error: nothing was imported:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        print(", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items()) + " recorded")
        return 0
    if args.db_command == "export":
        with database.session(engine) as s:
            data = exports.to_csv_bytes(csvio.export_frame(s))
        if args.out:
            args.out.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return 0
    if args.db_command == "coverage":
        from dashboard.report.brief import state_fips
        from dashboard.report.partnership_coverage import coverage

        with database.session(engine) as s:
            result = coverage(s, state_fips(args.state), args.scheme, args.year)
        print(json.dumps(result.to_json(), indent=1, ensure_ascii=False))
        return 0
    if args.db_command == "grant":
        try:
            with database.session(engine) as s:
                user = write.grant(s, access.LOCAL, args.email, args.role, args.state)
                postal = {fips: code for code, fips in USPS.items()}
                states = ", ".join(postal.get(x.state, x.state) for x in user.states)
        except validate.InvalidRecord as exc:
            return _fail(exc, 2)
        print(
            f"{user.email} is {'an' if user.role[0] in 'ae' else 'a'} {user.role}"
            + (f" for {states}" if states else "")
        )
        return 0
    return 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            from dashboard.data.build import run_build

            run_build(args.raw, args.data, args.shapefiles, log=lambda m: print(m, file=sys.stderr))
            return 0
        if args.command == "update":
            return _update(args)
        if args.command == "profile":
            return _profile(args)
        if args.command == "regions":
            return _regions(args)
        if args.command == "brief":
            return _brief(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "db":
            return _db(args)
    except (UnknownRegionError, UnknownYearError) as exc:
        return _fail(exc, 2)
    except DataError as exc:
        # a missing or damaged data file: the message names it; the folder is where to look
        return _fail(f"{exc} (data folder: {exc.folder})" if exc.folder else exc, 1)
    except UpdateError as exc:
        return _fail(exc, 1)
    except BrokenPipeError:
        # the reader of the output went away (e.g. `| head`): nothing left to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except (SourceError, FileNotFoundError, ConnectionError) as exc:
        return _fail(exc, 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:  # the last resort: one line, never a traceback, unless asked for
        if os.environ.get("SECTOR_ATLAS_DEBUG"):
            raise
        return _fail(f"unexpected {type(exc).__name__}: {exc} (a bug; SECTOR_ATLAS_DEBUG=1 shows the traceback)", 1)
    return 2


def _fail(message, code: int) -> int:
    """Print an error as one line on stderr; return the exit status."""
    # line breaks fold into spaces (one line), then every other control character is escaped
    print("error: " + inert(" ".join(str(message).split()), 4000), file=sys.stderr)
    return code
