"""Sharded environments: one platform stack and one stack per owner, linked by StackReferences.

An environment whose stack config (`stacks/Pulumi.<env>.yaml`) sets `streamplane:layout: sharded`
is deployed as several Pulumi stacks built from the same spec (`stacks/base` + `stacks/<env>`):

- `<env>`          the platform stack: CheckpointStores, KafkaClusters (with their providers, quotas
                   and cluster-wide ACLs), DruidClusters, the Flink operator; it exports what owner
                   stacks read (bootstrap servers, bucket names and ARNs, key ARNs);
- `<env>-<owner>`  one stack per owner: that owner's Streams, Routes, FlinkJobs, DruidDatasources and
                   tenant namespace, reading the platform stack's outputs through `pulumi.StackReference`.

An owner stack's config is the environment's (`Pulumi.<env>.yaml`, plain values) overlaid by its own
`Pulumi.<env>-<owner>.yaml`, which holds its provider config and any secrets. Every stack loads and
checks the whole environment's spec, so a reference across owners is checked like any other.

This module decides which stack builds which object and what each stack's inputs are, from the spec
and config alone (no synth): a plan against a baseline synthesizes only the stacks whose inputs differ.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import PROJECT
from .domains import kinds
from .errors import Location, Problem, SpecError
from .paths import display_path
from .spec.model import Declared, PlatformSpec
from .spec.schema import references
from .stackconfig import config_file, load_stack_config

LAYOUT_KEY = f"{PROJECT}:layout"
PLATFORM_STACK_REF_KEY = f"{PROJECT}:platformStackRef"
LAYOUTS = ("single", "sharded")
PLATFORM_KINDS = frozenset(kind.name for kind in kinds() if kind.platform_scoped)
"""Kinds the platform stack builds; every other kind is built by its owner's stack."""
SEPARATOR = "-"


@dataclass(frozen=True)
class Shard:
    """One stack of a sharded environment: the platform stack (owner None) or one owner's stack."""

    environment: str
    owner: str | None = None

    @property
    def stack(self) -> str:
        return self.environment if self.owner is None else f"{self.environment}{SEPARATOR}{self.owner}"

    @property
    def is_platform(self) -> bool:
        return self.owner is None

    def builds(self, obj: Declared) -> bool:
        """Whether this stack creates `obj` (each object is built by exactly one stack)."""
        if obj.kind in PLATFORM_KINDS:
            return self.is_platform
        return obj.owner == self.owner


def layout(stacks_dir: Path, environment: str, *, strict: bool = True) -> str:
    """`streamplane:layout` of the environment's stack config: "single" (default) or "sharded".
    `strict`: see stackconfig.load_stack_config (False for a base commit's config)."""
    config, _ = load_stack_config(stacks_dir, environment, strict=strict)
    value = config.get(LAYOUT_KEY, "single")
    if value not in LAYOUTS:
        path = config_file(stacks_dir, environment)
        raise SpecError([Problem(Location(display_path(path), 1, 1), "/config/streamplane:layout",
                                 f'must be one of {", ".join(LAYOUTS)}, got "{value}".')])
    return value


def shard_of_stack(stacks_dir: Path, stack: str, *, strict: bool = True) -> Shard | None:
    """The shard a Pulumi stack name denotes, or None for a single-stack environment.

    `<env>` of a sharded environment is its platform stack, `<env>-<owner>` an owner's stack (the
    environment name has no "-"; owners may).
    """
    environment, sep, owner = stack.partition(SEPARATOR)
    if not config_file(stacks_dir, environment).is_file() or layout(stacks_dir, environment, strict=strict) != "sharded":
        return None
    return Shard(environment, owner or None) if sep else Shard(environment)


def shards_of(spec: PlatformSpec, environment: str) -> list[Shard]:
    """The platform stack, then one stack per owner of an owner-built object, by owner name."""
    owners = sorted({obj.owner for obj in spec if obj.kind not in PLATFORM_KINDS})
    return [Shard(environment), *(Shard(environment, owner) for owner in owners)]


def _references_of(spec: PlatformSpec) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """What each object of `spec` references, filled in as asked. Finding an object's references runs
    its schema validator over the whole document; the stacks of an environment share objects (every
    owner stack references the cluster its streams are on, whose credentials map names every client),
    so each object is walked once per spec, not once per stack that reads it."""
    return spec.derived("shards.references", lambda _spec: {})


def referenced(spec: PlatformSpec, objects: Iterable[Declared]) -> list[Declared]:
    """`objects` and everything they reference (schema `x-ref` fields), transitively, in spec order."""
    seen: dict[tuple[str, str], Declared] = {}
    known = _references_of(spec)
    pending = list(objects)
    while pending:
        obj = pending.pop()
        if (obj.kind, obj.name) in seen:
            continue
        seen[(obj.kind, obj.name)] = obj
        refs = known.get((obj.kind, obj.name))
        if refs is None:
            refs = known[(obj.kind, obj.name)] = references(obj.source.data)
        for kind, name in refs:
            found = spec.get(kind, name)
            if found is not None:
                pending.append(found)
    return sorted(seen.values(), key=lambda o: (o.kind, o.name))


def shard_config(stacks_dir: Path, shard: Shard, *, strict: bool = True) -> tuple[dict[str, str], list[str]]:
    """(config, secret keys) of a shard's stack: the environment's config, overlaid for an owner stack
    by its own Pulumi.<env>-<owner>.yaml (which may be absent: the environment's config alone)."""
    config, secrets = load_stack_config(stacks_dir, shard.environment, strict=strict)
    if shard.is_platform:
        return config, secrets
    own, own_secrets = load_stack_config(stacks_dir, shard.stack, strict=strict)
    return {**config, **own}, sorted(set(secrets) | set(own_secrets))


def object_document(obj: Declared) -> dict:
    """An object as a stack's synth reads it: its kind, name and merged document."""
    return {"kind": obj.kind, "name": obj.name, "data": obj.source.data}


def _built_by(spec: PlatformSpec) -> dict[str | None, list[Declared]]:
    """The objects each stack builds, by owner (None: the platform stack), in spec order (Shard.builds)."""
    def build(platform: PlatformSpec) -> dict[str | None, list[Declared]]:
        found: dict[str | None, list[Declared]] = {}
        for obj in platform:
            found.setdefault(None if obj.kind in PLATFORM_KINDS else obj.owner, []).append(obj)
        return found
    return spec.derived("shards.built_by", build)


def shard_inputs(spec: PlatformSpec, shard: Shard, stacks_dir: Path, config: dict[str, str] | None = None, *,
                 strict: bool = True) -> dict:
    """What a shard's synth reads, as plain data: the merged documents of the objects it builds and of
    everything they reference, and its stack config. Equal inputs (with the same code) give an equal
    graph. The platform stack also reads every stream's producers: KafkaCluster grants the cluster-wide
    IDEMPOTENT_WRITE to the producers of its streams (components/kafka/cluster.py). `config`: the
    shard's stack config when the caller has read it already; `strict`: see stackconfig.load_stack_config."""
    built = _built_by(spec).get(shard.owner, [])
    inputs: dict = {"stack": shard.stack, "config": (config if config is not None else shard_config(stacks_dir, shard, strict=strict)[0]),
                    "objects": [object_document(obj) for obj in referenced(spec, built)]}
    if shard.is_platform:
        inputs["producers"] = {s.name: [s.spec.cluster, s.spec.idempotent_producers, list(s.spec.producers)]
                               for s in spec.of("Stream")}
    return inputs


def fingerprint(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def touched_shards(head: PlatformSpec, head_stacks: Path, base: PlatformSpec | None, base_stacks: Path | None,
                   environment: str) -> list[Shard]:
    """The shards whose inputs differ between base and head (present on one side only counts), in
    shards_of order. No base spec: every head shard."""
    head_shards = shards_of(head, environment)
    if base is None or base_stacks is None:
        return head_shards
    base_shards = shards_of(base, environment)
    head_set, base_set = set(head_shards), set(base_shards)
    # Every owner stack's config starts from the environment's: read each side's once.
    head_env, base_env = load_stack_config(head_stacks, environment)[0], load_stack_config(base_stacks, environment, strict=False)[0]
    found = []
    for shard in head_shards + [s for s in base_shards if s not in head_set]:
        if shard not in head_set or shard not in base_set or \
                fingerprint(shard_inputs(head, shard, head_stacks, _config(head_stacks, shard, head_env))) != \
                fingerprint(shard_inputs(base, shard, base_stacks, _config(base_stacks, shard, base_env, strict=False), strict=False)):
            found.append(shard)
    return found


def _config(stacks_dir: Path, shard: Shard, environment_config: dict[str, str], *, strict: bool = True) -> dict[str, str]:
    """shard_config's config, from the environment's already read; an owner stack's own file is read
    only when it exists."""
    if shard.is_platform:
        return environment_config
    if not config_file(stacks_dir, shard.stack).is_file():
        return dict(environment_config)
    return {**environment_config, **load_stack_config(stacks_dir, shard.stack, strict=strict)[0]}


@dataclass(frozen=True)
class Move:
    """An object whose owner changed, so it would leave one stack and be created in another."""

    kind: str
    name: str
    source: Shard
    target: Shard

    def __str__(self) -> str:
        return (f"{self.kind} {self.name} moves from stack {self.source.stack} to {self.target.stack} (its owner "
                f"changed): planned as is, {self.source.stack} deletes it and {self.target.stack} creates it anew "
                "(a topic loses its data and offsets, a job its state). Keep the owner, or move it with "
                "`pulumi state move` between the two stacks before applying.")


def owner_moves(head: PlatformSpec, base: PlatformSpec, environment: str) -> list[Move]:
    """Objects built by an owner stack in both specs whose owner differs: each one is a cross-stack move."""
    moves = []
    for obj in head:
        before = base.get(obj.kind, obj.name)
        if obj.kind in PLATFORM_KINDS or before is None or before.owner == obj.owner:
            continue
        moves.append(Move(obj.kind, obj.name, Shard(environment, before.owner), Shard(environment, obj.owner)))
    return moves


__all__ = [
    "LAYOUT_KEY",
    "PLATFORM_KINDS",
    "PLATFORM_STACK_REF_KEY",
    "Move",
    "Shard",
    "fingerprint",
    "layout",
    "owner_moves",
    "referenced",
    "shard_config",
    "shard_inputs",
    "shard_of_stack",
    "shards_of",
    "touched_shards",
]
