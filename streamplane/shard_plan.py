"""The plan of a sharded environment: only the stacks a change touches, one section per stack.

`streamplane plan --stack <env>` on a sharded environment (streamplane/shards.py) plans every stack
of it. With `--base-ref REF` it first compares each stack's inputs (its objects, what they reference,
its config) in REF and in the working tree, and synthesizes only the stacks whose inputs differ: the
head here (its owner stacks in worker processes), the base with REF's own code (cached by
baselines/cache.py), in subprocesses beside it.
A change to the code that builds graphs touches every stack.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import PROJECT
from .baselines import Baseline
from .baselines.gitref import cached_at_ref, from_git_ref_stacks, resolve_base_ref
from .plan.model import Plan
from .plan.pipeline import make_plan
from .policy_offline import evaluate_policies
from .render import render
from .shards import Move, Shard, owner_moves, shards_of
from .spec.model import PlatformSpec
from .synth import synth_shards
from .synth.workers import head_and_base_workers
from .targets import Target
from .touched import base_spec, base_stacks, code_changed, touched_in_environment


@dataclass
class EnvironmentPlan:
    """The plans of the touched stacks of one environment, and the stacks left out as unchanged."""

    environment: str
    plans: list[Plan]
    unchanged: list[str] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    """Objects changing owner, hence stack: blocked until moved with the engine's state move."""

    @property
    def blocked(self) -> bool:
        return bool(self.moves) or any(p.blocked for p in self.plans)

    def pending(self) -> bool:
        return any(p.pending() for p in self.plans)


def empty_graph(stack: str) -> dict:
    return {"project": PROJECT, "stack": stack, "resources": []}


def plan_environment(target: Target, base_ref: str | None, workers: int = 1) -> EnvironmentPlan:
    """Plan the stacks of `target`'s sharded environment that differ from `base_ref` (None: every
    stack, against an empty baseline), with at most `workers` processes synthesizing at once: the
    base's stacks (each a subprocess of the commit's own code) beside the head's (worker processes
    after the platform stack)."""
    environment = target.environment
    root = target.stacks_dir.parent
    if base_ref is None:
        head = target.load().spec
        return _plans(target, head, None, shards_of(head, environment), dict, [], workers)
    sha = resolve_base_ref(base_ref, root)
    with tempfile.TemporaryDirectory(prefix="streamplane-shards-") as tmp:
        folder = base_stacks(sha, root, Path(tmp))
        # Loaded one after the other: a worker process for the base's load was measured slower here
        # (bench/README.md, session 8: its start and the spec sent back cost more than the load).
        head, base = target.load().spec, base_spec(folder, environment)
        touched = touched_in_environment(head, target.stacks_dir, base, folder, environment, code_changed(sha, root))
    every = shards_of(head, environment)
    unchanged = [s.stack for s in every if s not in touched]
    stacks = [s.stack for s in touched]
    head_workers, base_workers = head_and_base_workers(workers, not cached_at_ref(base_ref, stacks, root))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="streamplane-base") as threads:
        # The plan reads the base spec loaded above; the baselines' own copies would be a third load.
        pending = threads.submit(from_git_ref_stacks, base_ref, stacks, root, base_workers,
                              load_spec=False)
        result = _plans(target, head, base, touched, pending.result, unchanged, head_workers)
    result.moves = owner_moves(head, base, environment) if base is not None else []
    return result


def _plans(target: Target, head: PlatformSpec, base: PlatformSpec | None, touched: list[Shard],
           baselines: Callable[[], dict[str, Baseline]], unchanged: list[str], workers: int) -> EnvironmentPlan:
    present = set(shards_of(head, target.environment))
    graphs = synth_shards(head, target.stacks_dir, [s for s in touched if s in present], workers=workers)
    resolved = baselines()
    plans = []
    for shard in touched:
        baseline = resolved.get(shard.stack)
        head_graph = graphs.get(shard.stack) or empty_graph(shard.stack)
        plan = make_plan(shard.stack, baseline.label if baseline else "empty", head_graph,
                         baseline.graph if baseline else None, head, base)
        plan.policies = evaluate_policies(head_graph, target.environment)
        plans.append(plan)
    return EnvironmentPlan(target.environment, plans, unchanged)


def render_environment(result: EnvironmentPlan, fmt: str, color: bool = False) -> str:
    """One section per planned stack (each rendered as a single-stack plan), after a line naming the
    stacks left out."""
    if fmt == "json":
        return json.dumps({"environment": result.environment, "unchanged": result.unchanged,
                           "moves": [str(m) for m in result.moves],
                           "stacks": [json.loads(render(p, "json")) for p in result.plans]}, indent=2) + "\n"
    planned = ", ".join(p.stack for p in result.plans) or "none"
    left = f"{len(result.unchanged)} unchanged (inputs identical to the base)" if result.unchanged else "none unchanged"
    if fmt == "markdown":
        parts = [f"# Plan of environment `{result.environment}` (sharded)\n\nStacks planned: {planned}; {left}.\n"]
        parts += [f"\n**BLOCKED**: {m}\n" for m in result.moves]
        parts += [f"\n## Stack `{p.stack}`\n\n{render(p, fmt)}" for p in result.plans]
    else:
        parts = [f"Environment {result.environment} (sharded): stacks planned: {planned}; {left}.\n"]
        parts += [f"BLOCKED: {m}\n" for m in result.moves]
        parts += [f"\n=== stack {p.stack} ===\n{render(p, fmt, color=color)}" for p in result.plans]
    return "".join(parts)


__all__ = ["EnvironmentPlan", "plan_environment", "render_environment"]
