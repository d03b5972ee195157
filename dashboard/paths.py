"""Where the project's files live, relative to the repository root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
SHAPE_DIR = ROOT / "shapefiles"
#: The official raw files sit beside the project, in the shared folder.
DEFAULT_RAW = ROOT.parent / "shared" / "data" / "raw"
