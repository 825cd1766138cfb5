"""Writing a promotion: refuse files git could not restore, then write every file or none.

All-or-nothing: each new text goes to a temporary file beside its target first (same folder, so
the final rename is atomic), the current content is kept as a hard link (or a copy), and only when
every temporary file is written are they renamed over their targets. If anything fails, every
target already renamed is put back and every temporary file removed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..graph_io import stage


class PromotionError(Exception):
    """Promotion cannot proceed; the message says why and what to do. Nothing was written."""


def dirty_files(paths: list[Path], repo: Path) -> list[str]:
    """The files among `paths` with uncommitted changes (modified, staged or untracked), per git."""
    try:
        result = subprocess.run(["git", "status", "--porcelain", "-z", "--", *map(str, paths)], cwd=repo,
                                capture_output=True, text=True, check=False)
    except FileNotFoundError as err:
        raise PromotionError("cannot check for uncommitted changes: git is not installed. "
                             "Promotion only writes files that git can restore.") from err
    if result.returncode != 0:
        raise PromotionError(f"cannot check for uncommitted changes in {repo}: {result.stderr.strip()}. "
                             "Promotion only writes files that git can restore; run it inside the repository.")
    # -z: NUL-separated, paths unquoted; a rename or copy entry is followed by its original path.
    entries = iter(result.stdout.split("\0"))
    dirty = []
    for entry in entries:
        if not entry:
            continue
        dirty.append(entry[3:])
        if entry[0] in "RC":
            next(entries, None)
    return dirty


def _keep(target: Path) -> str:
    """A second name for `target`'s current content, beside it, to restore it from."""
    fd, backup = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".orig")
    os.close(fd)
    os.unlink(backup)
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup


def write_all(files: dict[Path, str]) -> None:
    """Write every file in `files` (path -> full new text) or, on any failure, none of them."""
    staged: list[tuple[Path, str]] = []
    backups: dict[Path, str | None] = {}
    renamed: list[Path] = []
    try:
        for target, text in files.items():
            staged.append((target, stage(target, text)))
        for target, _ in staged:
            backups[target] = _keep(target) if target.exists() else None
        for target, tmp in staged:
            os.replace(tmp, target)
            renamed.append(target)
    except BaseException:
        for target in reversed(renamed):
            backup = backups.get(target)
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
                backups[target] = None
        raise
    finally:
        for _, tmp in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for backup in backups.values():
            if backup and os.path.exists(backup):
                os.unlink(backup)
