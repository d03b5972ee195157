"""Leaflet served by the app's own server, from the installed XStatic-Leaflet package: no CDN.

With ``server.enableStaticServing`` on (.streamlit/config.toml), Streamlit serves the files of the
``static/`` folder next to the main script at ``app/static/``: app.py in a checkout, the per-user run folder
of an installed app (dashboard/serve.py). It refuses symbolic links that lead out of
that folder, so the package's files are copied into ``static/leaflet/`` (git-ignored) when the app
starts, and copied again whenever they differ from the installed package's (after an upgrade).
Each file is written to a temporary name and renamed into place, so a browser, or another server
process starting at the same moment, never reads a half-written file.
"""

from __future__ import annotations

import filecmp
import functools
import logging
import os
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.maps import classes as maps

#: The files the map needs (``leaflet.js.map`` only for a browser's developer tools).
FILES = (
    "leaflet.js",
    "leaflet.css",
    "leaflet.js.map",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)

log = logging.getLogger(__name__)


def package_dir() -> Path:
    """Where the installed XStatic-Leaflet package keeps Leaflet's files."""
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR)


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.cache
def install_leaflet(static_dir: Path) -> str | None:
    """Make ``static_dir/leaflet`` hold the installed package's Leaflet files; None, or what went wrong.

    Once per server process: later calls return the first call's answer.
    """
    try:
        source = package_dir()
    except ImportError:
        return "The map cannot be drawn: the XStatic-Leaflet package is not installed (pip install -e .)."
    target = static_dir / maps.LEAFLET_FOLDER
    try:
        for name in FILES:
            src, dst = source / name, target / name
            if not (dst.is_file() and filecmp.cmp(src, dst, shallow=False)):
                _copy(src, dst)
    except OSError as e:
        log.error("could not copy Leaflet from %s to %s: %s", source, target, e)
        return f"The map cannot be drawn: Leaflet's files could not be copied to {target} ({e.strerror or e})."
    return None


#: Set by ``sector-atlas serve`` (dashboard/serve.py) for the servers it starts: the folder Streamlit serves.
STATIC_DIR_VARIABLE = "SECTOR_ATLAS_STATIC_DIR"


def static_dir(main_script: str) -> Path:
    """The folder Streamlit serves at ``app/static/``: ``static/`` beside the main script Streamlit was given.

    An installed app runs from a per-user folder whose ``app.py`` is a link to the packaged one (see
    dashboard/serve.py): Streamlit serves that folder's ``static/``, while the script itself sees its own
    path resolved into the package's folder (possibly read-only). There ``serve`` names the folder in
    ``SECTOR_ATLAS_STATIC_DIR``.
    """
    if os.environ.get(STATIC_DIR_VARIABLE):
        return Path(os.environ[STATIC_DIR_VARIABLE])
    return Path(os.path.abspath(main_script)).parent / "static"


def serve_leaflet(main_script: str) -> None:
    """Called by app.py on every run: Leaflet's files in ``static/`` next to it, or a notice saying why not."""
    problem = install_leaflet(static_dir(main_script))
    if problem:
        st.error(problem)
