"""Offline synth: run the Pulumi program under Pulumi's own mock runtime and capture the resource graph.

No engine, no plugins, no credentials: the SDK serialises every registration exactly as it would for
the real engine, and CaptureMonitor records it. Outputs a provider derives from known
inputs are real text; values only the cloud assigns are stable unknowns "<computed:URN#output>"
(synth/outputs.py), any other unknown "<computed>"; secrets "<secret>".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from pulumi.runtime import mocks
from pulumi.runtime import settings as runtime_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from .. import PROJECT
from ..checks import require_valid
from ..program import build
from ..spec import PlatformSpec
from ..stackconfig import load_stack_config, load_stack_settings
from .capture import CaptureMonitor
from .graph import build_graph
from .runtime_tuning import tuned_synth_runtime

# The mock runtime is process-global: in-process syntheses run one at a time, even when a plan
# waits for its base on another thread (`plan --base-ref` synthesizes head and base in parallel).
_SYNTH_LOCK = threading.Lock()


def _discard(_value: object) -> None:
    """The program's return value (e.g. the Platform) means nothing to the runtime."""


def run_offline(program: Callable[[], object], stack: str, config: dict[str, str] | None = None,
                secret_keys: list[str] | None = None, project: str = PROJECT, *,
                monitor: CaptureMonitor | None = None, preview: bool = True) -> dict:
    """Run `program` under the mock runtime in preview mode and return its synth graph.

    Process-global runtime state (root stack, config, pending outputs) is reset first, so several
    syntheses (head and base of a plan) can run in one process, one after another. `monitor` and
    `preview=False` let a test run the program as `pulumi up` would, against a fake cloud that
    answers with real outputs (tests/engine_state.py builds engine-shaped state that way).
    """
    with _SYNTH_LOCK:
        return _run_offline(program, stack, config, secret_keys, project, monitor or CaptureMonitor(), preview)


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
        return build_graph(monitor.registrations, project, stack, config)
    finally:
        # The runtime keeps this monitor (and the mock state of every resource) until the next
        # synthesis replaces it: drop that copy now, so a plan's second synthesis doesn't carry it.
        monitor.resources.clear()
        monitor.registrations.clear()


def synth_spec(spec: PlatformSpec, stack: str, stacks_dir: Path) -> dict:
    """The graph of a validated spec, with the stack's config read from stacks/Pulumi.<stack>.yaml."""
    config, secret_keys = load_stack_config(stacks_dir, stack)
    settings = load_stack_settings(stacks_dir, stack)
    require_valid(spec, settings)  # located errors (SpecError) before the mock runtime starts
    return run_offline(lambda: build(spec, stack, settings), stack, config, secret_keys)


__all__ = ["run_offline", "synth_spec"]
