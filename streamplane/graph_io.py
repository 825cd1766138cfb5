"""Writing files: whole, atomically, with the permissions a plainly created file would get."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stage(target: Path, text: str) -> str:
    """Write `text` to a temporary file beside `target` and return its path, ready for os.replace.

    The temporary file gets `target`'s mode when it exists, else 0666 minus the umask (mkstemp's own
    0600 would otherwise leak into the final file).
    """
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            shutil.copymode(target, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def write_output(text: str, out: Path | None) -> None:
    """Print `text`, or write it to `out` atomically (a failed run never leaves a half-written file)."""
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = stage(out, text)
    try:
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise
