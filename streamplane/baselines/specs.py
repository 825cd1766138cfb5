"""`--base-spec DIR...`: other spec folders, synthesized with the current code and stack config."""

from __future__ import annotations

from pathlib import Path

from ..targets import Target
from . import Baseline


def from_spec_dirs(dirs: tuple[str, ...], stack: str, stacks_dir: Path) -> Baseline:
    target = Target(tuple(Path(d) for d in dirs), stack, stacks_dir)
    loaded = target.load()
    return Baseline(f"specs {target.label}", target.synth(loaded), loaded.spec)
