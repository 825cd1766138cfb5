"""Runtime settings that make an offline synth cheaper without changing what it records.

Two costs dominate a large synth under the mock runtime, neither of which the graph needs:

- CPython's cyclic garbage collector: every registration allocates many container objects, so the
  default thresholds trigger collection after collection of an ever-larger heap. During a synthesis
  the import-time heap is frozen (`gc.freeze`) and the collector is off; the synthesis collects
  once at its end (synth/__init__.py `_run_offline`), and both are restored, so the caller's process
  behaves as before. Off rather than tuned: with the generation-0 threshold at 100,000 a 2,000-route
  synth still spent 16% of its CPU collecting, and its cost per resource grew with size (2.09 ms at
  200 routes, 2.31 at 2,000); with it off, 1.86 and 1.93 ms (bench/README.md, session 8). The price is
  the cycles of one synthesis held to its end: +13% peak RSS at 2,000 routes in one process. A stack
  that large is synthesized by partition (streamplane/partition.py), so the garbage any one process
  holds stays bounded.
- The SDK's source-position capture: for every registration `pulumi.runtime.resource` walks the
  Python stack (`traceback.extract_stack`) to attach a `stackTrace`/`sourcePosition` to the request
  (pulumi 3.272.0, sdk/python/lib/pulumi/runtime/resource.py, `_get_stack_trace`). The capture
  monitor records neither, so offline it is replaced by an empty trace for the duration of the synth.
  That is a private hook: it is applied only for the pinned SDK version and fails loudly otherwise
  (tests/synth/test_runtime_tuning.py checks the hook is where this module expects it).

A third saving lives in the capture (synth/capture.py, CaptureMonitor._echo): it answers a registration
from the request itself instead of the stock MockMonitor's deserialize, mock, serialize round trip. It
subclasses the SDK's MockMonitor and relies on how that class answers and what it records, so it is
guarded the same way (`check_mock_seam`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from importlib.metadata import version

from pulumi.runtime import mocks as sdk_mocks
from pulumi.runtime import resource as sdk_resource
from pulumi.runtime.proto import resource_pb2, source_pb2

# The SDK version whose private `_get_stack_trace` hook this module replaces.
PINNED_SDK_VERSION = "3.272.0"
SOURCE_POSITION_HOOK = "_get_stack_trace"


class SdkHookMoved(RuntimeError):
    """The installed Pulumi SDK is not the one the source-position hook was written against."""


def _empty_stack_trace() -> source_pb2.StackTrace:
    return source_pb2.StackTrace()


def _pinned_sdk(what: str, reread: str) -> str:
    """The installed SDK version; SdkHookMoved unless it is PINNED_SDK_VERSION, saying what to re-read."""
    installed = version("pulumi")
    if installed != PINNED_SDK_VERSION:
        raise SdkHookMoved(f"pulumi {installed} is installed; {what} was written for {PINNED_SDK_VERSION}: "
                           f"re-read {reread}")
    return installed


def check_source_position_hook() -> None:
    """Raise SdkHookMoved unless the pinned SDK, with its `_get_stack_trace` hook, is installed."""
    installed = _pinned_sdk("the offline source-position hook", f"{SOURCE_POSITION_HOOK} in pulumi/runtime/"
                            "resource.py and update streamplane/synth/runtime_tuning.py")
    if not callable(getattr(sdk_resource, SOURCE_POSITION_HOOK, None)):
        raise SdkHookMoved(f"pulumi.runtime.resource.{SOURCE_POSITION_HOOK} is gone in pulumi {installed}")


# What the echoing capture relies on in pulumi.runtime.mocks.MockMonitor (3.272.0): the methods it
# overrides or falls back to, the record it fills for getResource, and the response fields it sets.
MOCK_SEAM_METHODS = ("RegisterResource", "Invoke", "ExistsResource", "ReadResource", "make_urn")
MOCK_SEAM_RESPONSE_FIELDS = ("urn", "id", "object")


def check_mock_seam() -> None:
    """Raise SdkHookMoved unless the pinned SDK's MockMonitor, as the echoing capture expects it, is installed."""
    installed = _pinned_sdk("the echoing capture", "RegisterResource and Invoke in pulumi/runtime/mocks.py "
                            "and update streamplane/synth/capture.py")
    monitor = sdk_mocks.MockMonitor
    missing = [m for m in MOCK_SEAM_METHODS if not callable(getattr(monitor, m, None))]
    if not hasattr(monitor, "ResourceRegistration"):
        missing.append("ResourceRegistration")
    fields = resource_pb2.RegisterResourceResponse.DESCRIPTOR.fields_by_name
    missing += [f"RegisterResourceResponse.{f}" for f in MOCK_SEAM_RESPONSE_FIELDS if f not in fields]
    if missing:
        raise SdkHookMoved(f"pulumi {installed}: MockMonitor no longer has {', '.join(missing)}")


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
    """Freeze the heap built so far and turn the cyclic collector off; restore both on exit."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


@contextlib.contextmanager
def tuned_synth_runtime() -> Iterator[None]:
    """Both settings above, for one offline synthesis."""
    with synth_gc(), no_source_positions():
        yield


__all__ = ["PINNED_SDK_VERSION", "SdkHookMoved", "check_mock_seam", "check_source_position_hook", "no_source_positions",
           "synth_gc", "tuned_synth_runtime"]
