"""Where the project's fixed folders are: found from the Pulumi.yaml above the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = PACKAGE_ROOT / "schemas"


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the working directory) holding Pulumi.yaml.

    Falls back to the checkout this package was imported from, so the CLI works from any folder
    of the repo and from outside it.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "Pulumi.yaml").is_file():
            return folder
    return PACKAGE_ROOT


def display_path(path: Path | str) -> str:
    """A path as a user wants to read it in an error: relative to the working directory when inside it."""
    text = os.fspath(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return text if rel.startswith("..") else rel
