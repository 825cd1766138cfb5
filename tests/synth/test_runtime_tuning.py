"""The synth's runtime tuning: a private SDK hook guarded by the pinned version, gc restored."""

from __future__ import annotations

import contextlib
import gc
from importlib.metadata import version
from pathlib import Path

import pulumi
import pytest
from pulumi.runtime import resource as sdk_resource

from streamplane import synth
from streamplane.checks import load_stack
from streamplane.synth import run_offline, runtime_tuning, synth_spec
from streamplane.synth.capture import CaptureMonitor
from streamplane.synth.graph import dumps
from streamplane.synth.runtime_tuning import (
    PINNED_SDK_VERSION,
    SdkHookMoved,
    check_source_position_hook,
    no_source_positions,
    synth_gc,
)


def test_the_hook_is_where_the_pinned_sdk_has_it() -> None:
    # Fails loudly when pulumi is upgraded: re-read pulumi/runtime/resource.py before bumping the pin.
    assert version("pulumi") == PINNED_SDK_VERSION
    assert callable(sdk_resource._get_stack_trace)
    check_source_position_hook()


def test_an_unpinned_sdk_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime_tuning, "version", lambda _name: "3.999.0")
    with pytest.raises(SdkHookMoved, match=r"pulumi 3\.999\.0 is installed; .* written for 3\.272\.0"):
        check_source_position_hook()


def test_a_missing_hook_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sdk_resource, "_get_stack_trace")
    with pytest.raises(SdkHookMoved, match=r"_get_stack_trace is gone"):
        check_source_position_hook()


def test_registrations_carry_no_stack_trace_inside_and_the_hook_is_restored() -> None:
    original = sdk_resource._get_stack_trace
    with no_source_positions():
        assert sdk_resource._get_stack_trace is not original
        assert len(sdk_resource._get_stack_trace().frames) == 0
    assert sdk_resource._get_stack_trace is original


def test_synth_runs_without_source_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = CaptureMonitor.RegisterResource

    def spy(self, request):  # type: ignore[no-untyped-def]
        seen.append(len(request.stackTrace.frames) + int(request.HasField("sourcePosition")))
        return real(self, request)

    monkeypatch.setattr(CaptureMonitor, "RegisterResource", spy)
    graph = run_offline(lambda: pulumi.ComponentResource("test:index:Thing", "a"), "dev")
    assert [r["name"] for r in graph["resources"] if r["type"] == "test:index:Thing"] == ["a"]
    assert seen and set(seen) == {0}


def test_the_collector_is_off_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with synth_gc():
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        with synth_gc():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_a_synthesis_collects_its_own_cycles_at_its_end() -> None:
    # With the collector off during the synth, its cyclic garbage waits for _run_offline's final collect.
    # One component leaves about 200 unreachable objects behind; none may be left for the caller.
    gc.collect()
    run_offline(lambda: pulumi.ComponentResource("test:index:Thing", "a"), "dev")
    assert gc.collect() == 0


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_the_example_stacks_synthesize_byte_identically_with_and_without_tuning(
        stack: str, monkeypatch: pytest.MonkeyPatch) -> None:
    stacks_dir = Path(__file__).resolve().parents[2] / "stacks"
    spec = load_stack(stacks_dir, stack).spec
    tuned = dumps(synth_spec(spec, stack, stacks_dir))
    monkeypatch.setattr(synth, "tuned_synth_runtime", contextlib.nullcontext)
    plain = dumps(synth_spec(spec, stack, stacks_dir))
    assert tuned == plain
