"""Runtime settings that make an offline synth cheaper without changing what it records.

Two costs dominate a large synth under the mock runtime, neither of which the graph needs:

- CPython's cyclic garbage collector: every registration allocates many container objects, so the
  default thresholds trigger a full collection of an ever-larger heap again and again. During a
  synthesis the import-time heap is frozen (`gc.freeze`) and the generation-0 threshold raised; both
  are restored afterwards, so the caller's process behaves as before.
- The SDK's source-position capture: for every registration `pulumi.runtime.resource` walks the
  Python stack (`traceback.extract_stack`) to attach a `stackTrace`/`sourcePosition` to the request
  (pulumi 3.272.0, sdk/python/lib/pulumi/runtime/resource.py, `_get_stack_trace`). The capture
  monitor records neither, so offline it is replaced by an empty trace for the duration of the synth.
  That is a private hook: it is applied only for the pinned SDK version and fails loudly otherwise
  (tests/synth/test_runtime_tuning.py checks the hook is where this module expects it).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from importlib.metadata import version

from pulumi.runtime import resource as sdk_resource
from pulumi.runtime.proto import source_pb2

# The SDK version whose private `_get_stack_trace` hook this module replaces.
PINNED_SDK_VERSION = "3.272.0"
SOURCE_POSITION_HOOK = "_get_stack_trace"
# Generation-0 threshold during a synth (default 700); the older generations keep their ratios.
SYNTH_GC_THRESHOLD = (100_000, 50, 100)


class SdkHookMoved(RuntimeError):
    """The installed Pulumi SDK is not the one the source-position hook was written against."""


def _empty_stack_trace() -> source_pb2.StackTrace:
    return source_pb2.StackTrace()


def check_source_position_hook() -> None:
    """Raise SdkHookMoved unless the pinned SDK, with its `_get_stack_trace` hook, is installed."""
    installed = version("pulumi")
    if installed != PINNED_SDK_VERSION:
        raise SdkHookMoved(f"pulumi {installed} is installed; the offline source-position hook was "
                           f"written for {PINNED_SDK_VERSION}: re-check {SOURCE_POSITION_HOOK} in "
                           "pulumi/runtime/resource.py and update streamplane/synth/runtime_tuning.py")
    if not callable(getattr(sdk_resource, SOURCE_POSITION_HOOK, None)):
        raise SdkHookMoved(f"pulumi.runtime.resource.{SOURCE_POSITION_HOOK} is gone in pulumi {installed}")


@contextlib.contextmanager
def no_source_positions() -> Iterator[None]:
    """Registrations carry an empty stack trace (and so no source position) inside the block."""
    check_source_position_hook()
    original = getattr(sdk_resource, SOURCE_POSITION_HOOK)
    setattr(sdk_resource, SOURCE_POSITION_HOOK, _empty_stack_trace)
    try:
        yield
    finally:
        setattr(sdk_resource, SOURCE_POSITION_HOOK, original)


@contextlib.contextmanager
def synth_gc() -> Iterator[None]:
    """Freeze the heap built so far and collect young objects rarely; restore both on exit."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*SYNTH_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextlib.contextmanager
def tuned_synth_runtime() -> Iterator[None]:
    """Both settings above, for one offline synthesis."""
    with synth_gc(), no_source_positions():
        yield


__all__ = ["PINNED_SDK_VERSION", "SdkHookMoved", "check_source_position_hook", "no_source_positions",
           "synth_gc", "tuned_synth_runtime"]
