"""Where the project's data and the (external) plan text live.

The plan text is not part of the repository. Its location is a setting: the environment variable
``DEZHOU_PLAN_TEXT``; by default ``../shared/seeds/000_a8d4139f8b25016e.txt`` next to the project root.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent
DATA_DIR: Path = PROJECT_ROOT / "data"
NETWORKS_DIR: Path = DATA_DIR / "networks"
DEFAULT_PLAN_TEXT: Path = PROJECT_ROOT.parent / "shared" / "seeds" / "000_a8d4139f8b25016e.txt"
SHARED_GEODATA: Path = PROJECT_ROOT.parent / "shared" / "geodata"


def plan_text_path() -> Path:
    """Path of the plan text (``DEZHOU_PLAN_TEXT`` or the default under ../shared/seeds)."""
    return Path(os.environ.get("DEZHOU_PLAN_TEXT", DEFAULT_PLAN_TEXT))


def plan_lines(path: Path | None = None) -> list[str] | None:
    """The plan text as a list of lines (index 0 is line 1), or ``None`` when the file is absent."""
    p = Path(path) if path is not None else plan_text_path()
    if not p.is_file():
        return None
    return p.read_text(encoding="utf-8").splitlines()


def data_dir() -> Path:
    """The data directory: ``DEZHOU_DATA_DIR`` if set, else data/ of the repository."""
    env = os.environ.get("DEZHOU_DATA_DIR")
    return Path(env) if env else DATA_DIR
