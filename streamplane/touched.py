"""Which stacks a change touches, against a git base: what `plan --base-ref` synthesizes and what the
pull-request workflow previews for real (`streamplane touched`, one matrix job per stack).

A single-stack environment is touched when its inputs differ: the merged documents of its objects
(stacks/base + stacks/<env>) or its stack config. A sharded environment (streamplane/shards.py) is
compared stack by stack (`touched_shards`). A change to the code that builds graphs touches every
stack, and so does a base without a valid spec (nothing to compare against).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .baselines.cache import NOT_CODE
from .baselines.gitref import resolve_base_ref
from .checks import load_layers
from .errors import SpecError
from .shards import Shard, fingerprint, layout, object_document, shard_of_stack, shards_of, touched_shards
from .spec.loader import stack_layers
from .spec.model import PlatformSpec
from .stackconfig import load_stack_config


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], check=False, capture_output=True)


def base_stacks(sha: str, root: Path, into: Path) -> Path | None:
    """REF's stacks/ folder (specs and stack configs) unpacked under `into`, or None if it has none."""
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()
    archive = _git(root, "archive", "--format=tar", sha, f"{prefix}stacks")
    if archive.returncode != 0:
        return None
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    folder = into / prefix / "stacks"
    return folder if folder.is_dir() else None


def code_changed(sha: str, root: Path) -> bool:
    """Whether the code that builds graphs differs between REF and the working tree (tracked files)."""
    listing = _git(root, "ls-tree", "--name-only", "HEAD").stdout.decode().split()
    paths = [name for name in listing if name != "stacks" and name not in NOT_CODE]
    return _git(root, "diff", "--quiet", sha, "--", *paths).returncode != 0


def base_spec(folder: Path | None, environment: str) -> PlatformSpec | None:
    """The environment's spec at the base, or None: the base has none, or not a valid one."""
    if folder is None:
        return None
    try:
        return load_layers(stack_layers(folder, environment), environment).spec
    except SpecError:
        return None


def touched_in_environment(head: PlatformSpec, head_stacks: Path, base: PlatformSpec | None, base_folder: Path | None,
                           environment: str, code_differs: bool) -> list[Shard]:
    """The touched stacks of a sharded environment, in shards_of order (stacks only the base has last)."""
    every = shards_of(head, environment)
    if base is None or base_folder is None or code_differs:
        return every + [s for s in (shards_of(base, environment) if base else []) if s not in every]
    return touched_shards(head, head_stacks, base, base_folder, environment)


def single_stack_inputs(spec: PlatformSpec, stacks_dir: Path, environment: str, *, strict: bool = True) -> str:
    """The fingerprint of what a single-stack environment's synth reads: its objects and its config."""
    config, _ = load_stack_config(stacks_dir, environment, strict=strict)
    return fingerprint({"config": config, "objects": [object_document(obj) for obj in spec]})


def _base_inputs(base: PlatformSpec, folder: Path, environment: str) -> str | None:
    """single_stack_inputs of the base (None when its stack config cannot be read: compare as changed)."""
    try:
        return single_stack_inputs(base, folder, environment, strict=False)
    except SpecError:
        return None


@dataclass(frozen=True)
class Touched:
    """One environment's stacks, split into those the change touches and those it leaves alone."""

    environment: str
    touched: list[str]
    unchanged: list[str]


def environments(stacks_dir: Path) -> list[str]:
    """Every environment with a stack config: single-stack ones and the platform stacks of sharded ones
    (an owner stack's Pulumi.<env>-<owner>.yaml belongs to its environment)."""
    found = []
    for path in sorted(stacks_dir.glob("Pulumi.*.yaml")):
        stack = path.name[len("Pulumi."):-len(".yaml")]
        shard = shard_of_stack(stacks_dir, stack)
        if shard is None or shard.is_platform:
            found.append(stack)
    return found


def touched_stacks(root: Path, base_ref: str) -> list[Touched]:
    """Per environment of the working tree, the stacks whose inputs differ from `base_ref`'s. An
    environment only the base has is left out: its stacks are destroyed, not previewed."""
    stacks_dir = root / "stacks"
    sha = resolve_base_ref(base_ref, root)
    code_differs = code_changed(sha, root)
    result = []
    with tempfile.TemporaryDirectory(prefix="streamplane-touched-") as tmp:
        folder = base_stacks(sha, root, Path(tmp))
        for environment in environments(stacks_dir):
            head = load_layers(stack_layers(stacks_dir, environment), environment).spec
            base = base_spec(folder, environment)
            if layout(stacks_dir, environment) == "sharded":
                every = [s.stack for s in shards_of(head, environment)]
                touched = [s.stack for s in touched_in_environment(head, stacks_dir, base, folder, environment,
                                                                   code_differs)]
                result.append(Touched(environment, touched, [s for s in every if s not in touched]))
                continue
            same = (not code_differs and base is not None and folder is not None
                    and single_stack_inputs(head, stacks_dir, environment) == _base_inputs(base, folder, environment))
            result.append(Touched(environment, [] if same else [environment], [environment] if same else []))
    return result


__all__ = ["Touched", "base_spec", "base_stacks", "code_changed", "environments", "touched_in_environment",
           "touched_stacks"]
