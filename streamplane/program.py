"""The Pulumi program: load the stack's spec, then build the platform. Shared by `pulumi up` and synth."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi

from components.platform import Platform

from .checks import load_stack, require_valid
from .errors import Problem, SpecError
from .partition import Partition
from .settings import StackSettings
from .shards import Shard, shard_config, shard_of_stack
from .spec.model import PlatformSpec
from .stackconfig import load_stack_config


def build(spec: PlatformSpec, stack: str, settings: StackSettings | None = None, shard: Shard | None = None,
          partition: Partition | None = None, warnings: list[Problem] | None = None):
    """Create every resource of `spec` in the current Pulumi runtime (real engine or mocks), after the
    check phase: a spec with errors raises SpecError and creates nothing. `shard`: in a sharded
    environment, only that stack's objects (streamplane/shards.py); `partition`: in a synth split
    across worker processes, only those owners' objects and the shared ones (streamplane/partition.py).
    `warnings`: the check phase's warnings when the caller has run it on this spec and these
    settings already (the offline synth does, before the mock runtime starts); None runs it here."""
    settings = settings or StackSettings.from_config(stack)
    for warning in require_valid(spec, settings) if warnings is None else warnings:
        pulumi.log.warn(str(warning))
    return Platform(spec, settings, shard=shard, partition=partition)


def shard_settings(stacks_dir: Path, shard: Shard) -> StackSettings:
    """An owner stack's settings under the engine: the environment's plain config from its file, then
    this stack's own config as the engine passes it (secrets included)."""
    config, _ = shard_config(stacks_dir, shard)
    own = StackSettings.from_config(shard.stack)
    merged = {**config, **{f"streamplane:{k}": v if isinstance(v, str) else json.dumps(v)
                           for k, v in (own.objects or {}).items()}}
    merged.setdefault("streamplane:environment", shard.environment)
    return StackSettings.from_config_map(merged, shard.stack)


def main(project_root: Path) -> None:
    """Entry point of __main__.py: a spec error is reported as a RunError (no traceback), nothing is created."""
    stack = pulumi.get_stack()
    stacks_dir = project_root / "stacks"
    try:
        shard = shard_of_stack(stacks_dir, stack)
        load_stack_config(stacks_dir, stack)  # the engine reads the file; its schema problems stop here
        loaded = load_stack(stacks_dir, shard.environment if shard else stack)
    except SpecError as err:
        raise pulumi.RunError(f"the spec of stack {stack} is invalid:\n{err}") from None
    for warning in loaded.warnings:
        pulumi.log.warn(str(warning))
    try:
        settings = shard_settings(stacks_dir, shard) if shard is not None and not shard.is_platform else None
        build(loaded.spec, stack, settings, shard)
    except SpecError as err:
        raise pulumi.RunError(f"the spec of stack {stack} is invalid:\n{err}") from None
