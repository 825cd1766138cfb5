"""Writing a promotion: refuse files git could not restore, then write every file or none.

All-or-nothing, also across a crash (SIGKILL, power loss) part-way:
1. A journal (`JOURNAL_NAME`, in the stacks folder) names every temporary file, backup and target
   before any of them exists (phase "staging").
2. Each new text goes to a temporary file beside its target (same folder, so the rename is atomic)
   and is fsynced; the current content is kept as a hard link (or a copy) to restore it from.
3. The journal moves to phase "renaming" (fsynced), then every temporary file is renamed over its
   target, with SIGINT/SIGTERM deferred until the batch is done. The journal is removed last.
A run that finds a journal first finishes what it says (`recover`): phase "staging" is undone (the
targets were never touched), phase "renaming" is rolled forward (every new text was complete and
validated before the first rename), phase "rollback" (an in-process failure whose undo was itself
interrupted) is undone. Either way every target ends all old or all new, and no temporary file or
backup is left. In-process failures are undone on the spot; a failed undo keeps its backups and the
journal, so the next run can finish it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..graph_io import stage

JOURNAL_NAME = ".streamplane-promotion.journal"
# Fault injection, a seam for tests only (tests/promote/test_crash_safety.py, docs/promotion.md):
# "kill-after-rename:K" makes the process SIGKILL itself right after the K-th rename, as a crash
# there would; "term-after-rename:K" / "int-after-rename:K" send SIGTERM / SIGINT instead.
FAULT_ENV = "STREAMPLANE_PROMOTE_FAULT"
_FAULT_SIGNALS = {"kill": signal.SIGKILL, "term": signal.SIGTERM, "int": signal.SIGINT}


class PromotionError(Exception):
    """Promotion cannot proceed; the message says why and what to do. Nothing was written."""


class PromotionInterrupted(KeyboardInterrupt):
    """SIGINT arrived during the rename batch, which was finished first: every file was written."""


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


@dataclass(frozen=True)
class _Entry:
    target: Path
    new: Path            # the temporary file holding the new text
    backup: Path | None  # a second name for the current content; None when the target is new


def _names(target: Path) -> tuple[Path, Path]:
    token = secrets.token_hex(6)
    return target.parent / f".{target.name}.{token}.new", target.parent / f".{target.name}.{token}.orig"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(journal: Path, phase: str, entries: list[_Entry]) -> None:
    """Write the journal atomically and durably (temporary file, fsync, rename, fsync the folder)."""
    base = journal.parent
    body = {"version": 1, "phase": phase, "entries": [
        {"target": os.path.relpath(e.target, base), "new": os.path.relpath(e.new, base),
         "backup": None if e.backup is None else os.path.relpath(e.backup, base)} for e in entries]}
    tmp = stage(journal, json.dumps(body, indent=1) + "\n")
    try:
        os.replace(tmp, journal)
    except BaseException:
        os.unlink(tmp)
        raise
    _fsync_dir(base)


def _read_journal(journal: Path) -> tuple[str, list[_Entry]]:
    base = journal.parent
    try:
        body = json.loads(journal.read_text(encoding="utf-8"))
        entries = [_Entry(base / e["target"], base / e["new"], None if e["backup"] is None else base / e["backup"])
                   for e in body["entries"]]
        phase = body["phase"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise PromotionError(f"{journal}: an interrupted promotion left a journal that cannot be read ({err}); "
                             "restore the stacks folder with git (git status, git checkout) and delete the journal.") from None
    for entry in entries:  # a journal only ever names files inside the stacks folder
        for path in (entry.target, entry.new, entry.backup):
            if path is not None and not path.resolve().is_relative_to(base.resolve()):
                raise PromotionError(f"{journal}: names {path}, outside {base}; delete the journal and check the stacks folder with git.")
    if phase not in ("staging", "renaming", "rollback"):
        raise PromotionError(f"{journal}: unknown phase {phase!r}; delete the journal and check the stacks folder with git.")
    return phase, entries


def _undo(entries: list[_Entry]) -> None:
    """Put every target back as it was. Idempotent, so an interrupted undo can run again: a target
    whose new file is still there was never renamed; one whose backup is gone was already restored."""
    for entry in entries:
        if entry.new.exists():
            entry.new.unlink()
        elif entry.backup is None:
            entry.target.unlink(missing_ok=True)
        elif entry.backup.exists():
            os.replace(entry.backup, entry.target)
    _cleanup(entries)


def _finish(entries: list[_Entry]) -> None:
    """Rename every remaining new file over its target (a rename done before is a missing new file)."""
    for entry in entries:
        if entry.new.exists():
            os.replace(entry.new, entry.target)
    _cleanup(entries)


def _cleanup(entries: list[_Entry]) -> None:
    for entry in entries:
        for path in (entry.new, entry.backup):
            if path is not None and path.exists():
                path.unlink()
    for folder in {e.target.parent for e in entries}:
        _fsync_dir(folder)


def recover(stacks_dir: Path) -> str | None:
    """Finish a promotion a crash interrupted, if its journal is there; returns what was done."""
    journal = stacks_dir / JOURNAL_NAME
    if not journal.exists():
        return None
    phase, entries = _read_journal(journal)
    with deferred_signals():
        if phase == "renaming":
            _finish(entries)
            outcome = "completed (every file has its new text)"
        else:
            _undo(entries)
            outcome = "undone (every file has its old text)"
        journal.unlink()
        _fsync_dir(stacks_dir)
    files = ", ".join(sorted(os.path.relpath(e.target, stacks_dir.parent) for e in entries))
    return f"an interrupted promotion was {outcome}: {files}."


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block is done, then are delivered as usual: a rename batch
    is never left half done by Ctrl-C or a CI runner's cancel."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: pending.append(signum)) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in dict.fromkeys(pending):
            signal.raise_signal(signum)


def _fault_after_rename(count: int) -> None:
    name, _, at = os.environ.get(FAULT_ENV, "").partition("-after-rename:")
    if name in _FAULT_SIGNALS and at == str(count):
        # raise_signal, not os.kill: delivered to this (main) thread before it returns, so the fault lands
        # exactly after this rename even when the plan's worker threads are alive.
        signal.raise_signal(_FAULT_SIGNALS[name])


def write_all(files: dict[Path, str], stacks_dir: Path) -> None:
    """Write every file in `files` (path -> full new text) or, on any failure, none of them.
    The journal lives in `stacks_dir`; a journal already there is recovered first."""
    recover(stacks_dir)
    journal = stacks_dir / JOURNAL_NAME
    entries = []
    for target in files:
        new, backup = _names(target)
        entries.append(_Entry(target, new, backup if target.exists() else None))
    _write_journal(journal, "staging", entries)
    try:
        for entry in entries:
            stage(entry.target, files[entry.target], at=entry.new)
            if entry.backup is not None:
                try:
                    os.link(entry.target, entry.backup)
                except OSError:
                    shutil.copy2(entry.target, entry.backup)
        for folder in {e.target.parent for e in entries}:
            _fsync_dir(folder)
    except BaseException:
        _undo(entries)
        journal.unlink()
        raise
    completed = False
    try:
        with deferred_signals():
            completed = _rename_all(journal, entries)
    except KeyboardInterrupt:
        if not completed:
            raise
        raise PromotionInterrupted from None


def _rename_all(journal: Path, entries: list[_Entry]) -> bool:
    """The rename batch (signals deferred by the caller); True once every file has its new text."""
    try:
        _write_journal(journal, "renaming", entries)
        for count, entry in enumerate(entries, 1):
            os.replace(entry.new, entry.target)
            _fault_after_rename(count)
    except BaseException:
        _write_journal(journal, "rollback", entries)
        _undo(entries)  # if this fails too, the backups and the journal stay for the next run
        journal.unlink()
        raise
    _cleanup(entries)
    journal.unlink()
    _fsync_dir(journal.parent)
    return True
