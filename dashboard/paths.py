"""Where the project's files live, relative to the repository root.

``SECTOR_ATLAS_DATA`` names another processed-data folder (for example one
that ``python -m dashboard update`` keeps current); by default the committed
``data/`` folder is used.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ["SECTOR_ATLAS_DATA"]).resolve() if os.environ.get("SECTOR_ATLAS_DATA") else ROOT / "data"
SHAPE_DIR = ROOT / "shapefiles"
#: The official raw files sit beside the project, in the shared folder.
DEFAULT_RAW = ROOT.parent / "shared" / "data" / "raw"
