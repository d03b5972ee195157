"""Where the project's files live, in a checkout or in an installed wheel.

A checkout (and an editable install of it) keeps ``app.py``, ``pages/``, ``.streamlit/``, ``data/``,
``shapefiles/`` and ``deploy/`` at the repository root, beside ``dashboard/``. A wheel (``pip install .``)
carries the same files, laid out the same way, inside the package in ``dashboard/_root/``
(pyproject.toml maps them there). :data:`ROOT` is whichever of the two holds them.

``SECTOR_ATLAS_DATA`` names another processed-data folder (for example a writable copy that
``python -m dashboard update`` keeps current); by default the data shipped with the code are used
(``data/`` of the checkout, or ``dashboard/_root/data/`` of the installed package).

``SECTOR_ATLAS_CACHE`` names the folder for files the app writes while it runs (an installed app's run
folder, see dashboard/serve.py); by default ``$XDG_CACHE_HOME/sector-atlas`` (``~/.cache/sector-atlas``).
"""

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
_BUNDLED = PACKAGE / "_root"
#: True when running from an installed wheel, False in a checkout (editable install included).
INSTALLED = (_BUNDLED / "app.py").is_file()
ROOT = _BUNDLED if INSTALLED else PACKAGE.parent
DATA_DIR = Path(os.environ["SECTOR_ATLAS_DATA"]).resolve() if os.environ.get("SECTOR_ATLAS_DATA") else ROOT / "data"
SHAPE_DIR = ROOT / "shapefiles"
#: The Streamlit entry point (pages/ and .streamlit/config.toml sit beside it).
APP = ROOT / "app.py"
#: The nginx configuration template of a deployment behind a proxy (deploy/nginx.conf).
DEPLOY_DIR = ROOT / "deploy"
#: The official raw files sit beside the project, in the shared folder.
DEFAULT_RAW = ROOT.parent / "shared" / "data" / "raw"


def cache_dir() -> Path:
    """The per-user folder for files written while the app runs (not the data)."""
    if os.environ.get("SECTOR_ATLAS_CACHE"):
        return Path(os.environ["SECTOR_ATLAS_CACHE"]).resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).resolve() / "sector-atlas"
