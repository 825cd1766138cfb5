"""Writing command output: all of it at once, only after everything succeeded."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def write_output(text: str, out: Path | None) -> None:
    """Print `text`, or write it to `out` atomically (a failed run never leaves a half-written file)."""
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
