"""The echoing capture: it answers a registration from the request itself, as the stock MockMonitor's
round trip (deserialize, mocks, serialize) would, and only while the pinned SDK's MockMonitor is installed."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest
from pulumi.output import Unknown
from pulumi.runtime import mocks, rpc
from pulumi.runtime.proto import resource_pb2

from streamplane.checks import load_stack
from streamplane.program import build
from streamplane.stackconfig import load_stack_config, load_stack_settings
from streamplane.synth import capture, run_offline, runtime_tuning, synth_spec
from streamplane.synth.capture import CaptureMonitor
from streamplane.synth.graph import dumps
from streamplane.synth.runtime_tuning import SdkHookMoved, check_mock_seam

STACKS = Path(__file__).resolve().parents[2] / "stacks"


def plain(value):
    """A deserialized value with the SDK's Unknown placeholders as text, so answers compare with ==."""
    if isinstance(value, Unknown):
        return "<unknown>"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class BothAnswers(CaptureMonitor):
    """Answers with the echo, and also asks the stock MockMonitor, recording both as the SDK reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, tuple, tuple]] = []

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type != capture.STACK_TYPE:
            assert self._echoes(request), request.type  # no request of the example stacks needs the stock way
            self.offline.current.urn = response.urn
            try:
                stock = mocks.MockMonitor.RegisterResource(self, request)
            finally:
                self.offline.current.urn = ""
            self.pairs.append((response.urn, (response.id, plain(rpc.deserialize_properties(response.object))),
                               (stock.id, plain(rpc.deserialize_properties(stock.object)))))
        return response


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_every_echoed_answer_reads_as_the_stock_mocks_answer(stack: str) -> None:
    spec = load_stack(STACKS, stack).spec
    config, secret_keys = load_stack_config(STACKS, stack)
    settings = load_stack_settings(STACKS, stack)
    monitor = BothAnswers()
    run_offline(lambda: build(spec, stack, settings), stack, config, secret_keys, monitor=monitor)
    assert len(monitor.pairs) > 100
    derived = [urn for urn, echoed, _ in monitor.pairs if any("<computed:" in str(v) for v in echoed[1].values())]
    assert derived, "some answers carry derived outputs"
    for urn, echoed, stock in monitor.pairs:
        assert echoed == stock, urn


@pytest.mark.parametrize("stack", ["dev", "staging", "prod", "loadtest", "loadtest-playback"])
def test_the_example_stacks_synthesize_byte_identically_with_and_without_the_echo(
        stack: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = load_stack(STACKS, stack.split("-")[0]).spec
    echoed = dumps(synth_spec(spec, stack, STACKS))
    monkeypatch.setattr(CaptureMonitor, "echo", False)
    stock = dumps(synth_spec(spec, stack, STACKS))
    assert echoed == stock


def test_a_request_with_a_resource_reference_is_answered_the_stock_way() -> None:
    """The round trip rebuilds a resource reference as a Resource (read back through getResource), so
    such a request takes the stock path, and the echoed resource it names is found there."""
    stock_calls: list[str] = []

    class Spy(CaptureMonitor):
        def RegisterResource(self, request):
            if not self._echoes(request) and request.type != capture.STACK_TYPE:
                stock_calls.append(request.name)
            return super().RegisterResource(request)

    class Holder(pulumi.CustomResource):
        def __init__(self, name: str, target: pulumi.Resource) -> None:
            super().__init__("test:index:Holder", name, {"target": target})

    def program() -> None:
        # A provider as an input value is serialized as a resource reference.
        target = pulumi.ProviderResource("kafka", "target", {})
        Holder("holder", target)

    graph = run_offline(program, "dev", monitor=Spy())
    holder = next(r for r in graph["resources"] if r["name"] == "holder")
    assert holder["inputs"]["target"] == "urn:pulumi:dev::streamplane::pulumi:providers:kafka::target"
    assert stock_calls == ["holder"]


def test_the_mock_seam_is_where_the_pinned_sdk_has_it() -> None:
    # Fails loudly when pulumi is upgraded: re-read pulumi/runtime/mocks.py before bumping the pin.
    check_mock_seam()
    assert "object" in resource_pb2.RegisterResourceResponse.DESCRIPTOR.fields_by_name


def test_an_unpinned_sdk_refuses_the_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime_tuning, "version", lambda _name: "3.999.0")
    with pytest.raises(SdkHookMoved, match=r"pulumi 3\.999\.0 is installed; the echoing capture .* 3\.272\.0"):
        CaptureMonitor()


def test_a_moved_mock_method_refuses_the_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(mocks.MockMonitor, "ExistsResource")
    with pytest.raises(SdkHookMoved, match=r"MockMonitor no longer has ExistsResource"):
        check_mock_seam()
