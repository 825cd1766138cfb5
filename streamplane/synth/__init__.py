"""Offline synth: run the Pulumi program under Pulumi's own mock runtime and capture the resource graph.

No engine, no plugins, no credentials: the SDK serialises every registration exactly as it would for
the real engine, and CaptureMonitor records it. Outputs a provider derives from known
inputs are real text; values only the cloud assigns are stable unknowns "<computed:URN#output>"
(synth/outputs.py), any other unknown "<computed>"; secrets "<secret>".
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pulumi.runtime import mocks, rpc
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from .. import PROJECT
from ..checks import require_valid
from ..errors import Problem
from ..partition import Partition, partition_count, partitions
from ..program import build
from ..settings import StackSettings
from ..shards import Shard, shard_config, shard_of_stack
from ..spec.model import PlatformSpec
from ..stackconfig import load_stack_config, load_stack_settings
from .capture import CaptureMonitor
from .graph import build_graph
from .merge import merge_graphs
from .runtime_tuning import tuned_synth_runtime
from .wire import struct_to_json
from .workers import run_jobs, worker_count

# The mock runtime is process-global: in-process syntheses run one at a time (a plan's base may be
# synthesized on another thread); syntheses side by side run in worker processes (synth/workers.py).
_SYNTH_LOCK = threading.Lock()


def _discard(_value: object) -> None:
    """The program's return value (e.g. the Platform) means nothing to the runtime."""


def run_offline(program: Callable[[], object], stack: str, config: dict[str, str] | None = None,
                secret_keys: list[str] | None = None, project: str = PROJECT, *,
                monitor: CaptureMonitor | None = None, preview: bool = True,
                references: Mapping[str, Mapping[str, object]] | None = None) -> dict:
    """Run `program` under the mock runtime in preview mode and return its synth graph.

    Process-global runtime state (root stack, config, pending outputs) is reset first, so several
    syntheses (head and base of a plan) can run in one process, one after another. `references`:
    the outputs of other stacks by stack name, for the program's StackReferences. `monitor` and
    `preview=False` let a test run the program as `pulumi up` would, against a fake cloud that
    answers with real outputs (tests/engine_state.py builds engine-shaped state that way).
    """
    with _SYNTH_LOCK:
        return _run_offline(program, stack, config, secret_keys, project, monitor or CaptureMonitor(references), preview)


def _stack_outputs() -> dict:
    """What the program exported (pulumi.export), serialized as the engine would receive it. Under the
    mocks the root stack registers its outputs before the program runs, so they are read from it here."""
    root = runtime_settings.get_root_resource()
    exported = getattr(root, "outputs", None)
    if not exported:
        return {}
    return struct_to_json(_sync_await(rpc.serialize_properties(exported, {})))


def _run_offline(program: Callable[[], object], stack: str, config: dict[str, str] | None,
                 secret_keys: list[str] | None, project: str, monitor: CaptureMonitor, preview: bool) -> dict:
    config = dict(config or {})
    runtime_settings.ROOT.set(None)
    set_all_config(config, secret_keys or [])
    try:
        with tuned_synth_runtime():  # the stack itself registers in set_mocks
            # A base synthesized on plan's worker thread has no event loop yet; the SDK's futures need one.
            _ensure_event_loop()
            mocks.set_mocks(monitor.mocks, project=project, stack=stack, preview=preview, monitor=monitor)
            runtime_settings.SETTINGS.rpc_manager.clear()
            runtime_settings.SETTINGS.outputs.clear()
            _sync_await(run_pulumi_func(lambda: _discard(program())))
            outputs = _stack_outputs()
        return build_graph(monitor.registrations, project, stack, config, outputs)
    finally:
        # The runtime keeps this monitor (and the mock state of every resource) until the next
        # synthesis replaces it: drop that copy now, so a plan's second synthesis doesn't carry it.
        monitor.resources.clear()
        monitor.registrations.clear()
        # Collect the synthesis's garbage here, while nothing else runs: its leftover SDK futures log
        # from their finalizers, and CPython 3.11 formats such a traceback with ast.parse (caret
        # anchors). Left to a later, random collection, that finalizer can run inside another ast.parse
        # and corrupt its recursion check ("SystemError: AST constructor recursion depth mismatch").
        gc.collect()


@dataclass(frozen=True)
class SynthJob:
    """One synthesis, as plain data a worker process can run: a validated spec, the stack, where its
    config is, and (for a partitioned synth) the owners to build or (for a sharded environment's
    stack) the shard and the outputs of the stacks it references."""

    spec: PlatformSpec
    stack: str
    stacks_dir: Path
    shard: Shard | None = None
    partition: Partition | None = None
    references: Mapping[str, Mapping[str, object]] | None = None
    strict_config: bool = True
    warnings: tuple[Problem, ...] | None = None
    """The check phase's warnings, when the parent ran it on this spec and config (a partitioned
    synth); None: the job runs it."""


def synth_job(job: SynthJob) -> dict:
    """The graph of one job, in this process (a worker's entry point too)."""
    if job.shard is not None:
        config, secret_keys = shard_config(job.stacks_dir, job.shard, strict=job.strict_config)
        settings = StackSettings.from_config_map(config, job.shard.stack)
    else:
        config, secret_keys = load_stack_config(job.stacks_dir, job.stack, strict=job.strict_config)
        settings = load_stack_settings(job.stacks_dir, job.stack, strict=job.strict_config)
    # Run once per synthesis, here: located errors (SpecError) before the mock runtime starts.
    warnings = list(job.warnings) if job.warnings is not None else require_valid(job.spec, settings)
    return run_offline(lambda: build(job.spec, job.stack, settings, job.shard, job.partition, warnings), job.stack,
                       config, secret_keys, references=job.references)


def synth_spec(spec: PlatformSpec, stack: str, stacks_dir: Path, *, strict_config: bool = True,
               workers: int | None = None) -> dict:
    """The graph of a validated spec, with the stack's config read from stacks/Pulumi.<stack>.yaml.
    The stack of a sharded environment (streamplane/shards.py) is synthesized as that shard.
    `strict_config` False: a base commit's config, not checked against today's schema
    (stackconfig.load_stack_config). A stack of more than partition.PARTITION_OBJECTS owner-built
    objects is synthesized by partition in worker processes (at most `workers` at once, default
    worker_count()) and merged by URN: the same graph, byte for byte."""
    shard = shard_of_stack(stacks_dir, stack, strict=strict_config)
    if shard is not None:
        return synth_shards(spec, stacks_dir, [shard], strict_config=strict_config, workers=workers)[shard.stack]
    count = partition_count(spec, worker_count(workers))
    if count == 1:
        return synth_job(SynthJob(spec, stack, stacks_dir, strict_config=strict_config))
    return synth_partitioned(spec, stack, stacks_dir, count, strict_config=strict_config, workers=workers)


def synth_partitioned(spec: PlatformSpec, stack: str, stacks_dir: Path, count: int, *, strict_config: bool = True,
                      workers: int | None = None) -> dict:
    """The graph of a one-stack layout's stack, synthesized in `count` partitions by owner (at most
    `workers` processes at once) and merged by URN (synth/merge.py)."""
    settings = load_stack_settings(stacks_dir, stack, strict=strict_config)
    # A spec error is the parent's to report, before any worker starts; the workers reuse the result.
    warnings = tuple(require_valid(spec, settings))
    jobs = [SynthJob(spec, stack, stacks_dir, partition=p, strict_config=strict_config, warnings=warnings)
            for p in partitions(spec, count)]
    return merge_graphs(run_jobs(synth_job, jobs, worker_count(workers)))


def synth_shard(spec: PlatformSpec, shard: Shard, stacks_dir: Path,
                references: Mapping[str, Mapping[str, object]] | None = None, *, strict_config: bool = True) -> dict:
    """One stack of a sharded environment; an owner stack's StackReference reads `references`."""
    return synth_job(SynthJob(spec, shard.stack, stacks_dir, shard, None, references, strict_config))


def synth_shards(spec: PlatformSpec, stacks_dir: Path, shards: list[Shard], *,
                 strict_config: bool = True, workers: int | None = None) -> dict[str, dict]:
    """Graphs of `shards` of one environment, by stack name. The platform stack is synthesized first
    whenever an owner stack needs its outputs, but returned only when asked for; the owner stacks
    then run side by side in worker processes (at most `workers`, default worker_count()), or in this
    process when there is only one or one worker."""
    graphs: dict[str, dict] = {}
    owners = [s for s in shards if not s.is_platform]
    platforms = {Shard(s.environment) for s in shards if s.is_platform} | {Shard(s.environment) for s in owners}
    outputs: dict[str, Mapping[str, object]] = {}
    for platform in sorted(platforms, key=lambda s: s.stack):
        graph = synth_shard(spec, platform, stacks_dir, strict_config=strict_config)
        outputs[platform.stack] = graph.get("outputs", {})
        if platform in shards:
            graphs[platform.stack] = graph
    jobs = [SynthJob(spec, shard.stack, stacks_dir, shard, None, outputs, strict_config) for shard in owners]
    count = worker_count(workers)
    results = run_jobs(synth_job, jobs, count) if count > 1 and len(jobs) > 1 else [synth_job(job) for job in jobs]
    graphs.update({shard.stack: graph for shard, graph in zip(owners, results, strict=True)})
    return graphs


__all__ = ["SynthJob", "run_offline", "synth_job", "synth_partitioned", "synth_shard", "synth_shards", "synth_spec"]
