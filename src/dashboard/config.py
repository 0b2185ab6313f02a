"""Settings from the environment: database URL and the data folder."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """Folder with the built-in workbooks and the default SQLite file."""
    return Path(os.environ.get("DASHBOARD_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'dashboard.db'}"


def database_url() -> str:
    """DASHBOARD_DATABASE_URL, else the embedded SQLite file under data/."""
    url = os.environ.get("DASHBOARD_DATABASE_URL", "").strip()
    return url or default_database_url()


def builtin_workbooks() -> list[Path]:
    """The built-in workbooks, oldest round first (file names start with the period end)."""
    return sorted(data_dir().glob("*.xlsx"), key=lambda p: p.name)
