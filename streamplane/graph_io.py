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


def stage(target: Path, text: str, at: Path | None = None) -> str:
    """Write `text` to a temporary file beside `target` and return its path, ready for os.replace.

    `at` names the temporary file (it must not exist yet), for a caller that recorded the name
    beforehand; by default a fresh name is made. The temporary file gets `target`'s mode when it
    exists, else 0666 minus the umask (mkstemp's own 0600 would otherwise leak into the final file).
    """
    if at is None:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
    else:
        fd, tmp = os.open(at, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), str(at)
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
