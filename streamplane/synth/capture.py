"""A mock monitor that records every resource registration with the URN the real engine would make."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field

from pulumi.runtime import mocks, rpc, settings
from pulumi.runtime.config import get_config
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _ensure_event_loop

from .outputs import DERIVATIONS, derived_outputs
from .runtime_tuning import check_mock_seam
from .wire import ARCHIVE_SIG, ASSET_SIG, OUTPUT_SIG, RESOURCE_SIG, SECRET, UNKNOWN_SENTINEL, struct_to_json

STACK_TYPE = "pulumi:pulumi:Stack"
STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"
GET_RESOURCE = "pulumi:pulumi:getResource"
# Values the mock round trip rebuilds as objects (a resource reference becomes a Resource, read back
# through getResource; an asset a FileAsset ...): a request carrying one is answered the stock way.
_OPAQUE_SIGS = tuple(sig.encode() for sig in (RESOURCE_SIG, ASSET_SIG, ARCHIVE_SIG, OUTPUT_SIG))

# The SDK serves monitor calls on worker threads, each with an event loop it never closes; left to
# the interpreter's teardown they die noisily ("Invalid file descriptor"). Close them at exit.
_WORKER_LOOPS: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


@atexit.register
def _close_worker_loops() -> None:
    for loop in list(_WORKER_LOOPS):
        if not loop.is_closed() and not loop.is_running():
            loop.close()


def split_urn(urn: str) -> tuple[str, str, str, str]:
    """(stack, project, qualified type, name) of `urn:pulumi:<stack>::<project>::<type chain>::<name>`."""
    head, project, qualified_type, name = urn.split("::", 3)
    return head.removeprefix("urn:pulumi:"), project, qualified_type, name


def provider_urn(reference: str) -> str:
    """A provider reference is `URN::ID`; the ID is unknown before apply, so keep the URN."""
    return reference.rsplit("::", 1)[0] if reference else ""


@dataclass
class Registration:
    """What the engine was asked to create, as recorded from a RegisterResourceRequest."""

    urn: str
    type: str
    name: str
    parent: str | None
    custom: bool
    provider: str
    version: str
    inputs: dict
    dependencies: list[str]
    protect: bool
    retain_on_delete: bool
    delete_before_replace: bool
    aliases: list[str] = field(default_factory=list)


def derive(type_: str, urn: str, inputs: Mapping[str, object]) -> tuple[str, dict[str, object]]:
    """(id, derived outputs) of a new resource in preview, with the stack's account and region."""
    if type_ not in DERIVATIONS:
        return "", {}
    return derived_outputs(type_, urn, inputs, get_config("streamplane:accountId"), get_config("aws:region"))


def _known_text(struct) -> dict[str, str]:
    """The top-level known strings of a request's inputs: all a derivation reads (outputs._text)."""
    return {k: v for k, v in struct.items() if isinstance(v, str) and v != UNKNOWN_SENTINEL}


class OfflineMocks(mocks.Mocks):
    """Resources echo their inputs. In preview, the outputs a provider derives from known inputs are
    real text and the ones only the cloud assigns are stable unknowns tied to the producer's URN
    (synth/outputs.py); other IDs stay empty, so they are unknown, as in a real preview of new
    resources. Provider function calls cannot be answered offline and fail loudly."""

    def __init__(self, references: Mapping[str, Mapping[str, object]] | None = None) -> None:
        # CaptureMonitor computes the URN and calls new_resource on the same worker thread.
        self.current = threading.local()
        self.references = dict(references or {})
        """Stack outputs by stack name, what a pulumi.StackReference to that stack reads offline."""

    def stack_reference(self, args: mocks.MockResourceArgs):
        """A StackReference reads `outputs` and `secretOutputNames` of the stack its `name` input names
        (pulumi/sdk/python/lib/pulumi/stack_reference.py: a read of type pulumi:pulumi:StackReference
        whose id is that name). Offline they come from that stack's synth graph; `org/project/stack`
        and the bare stack name both match."""
        name = str(args.inputs.get("name") or args.resource_id or "")
        outputs = self.references.get(name, self.references.get(name.rsplit("/", 1)[-1]))
        if outputs is None:
            known = ", ".join(sorted(self.references)) or "none"
            raise RuntimeError(f'StackReference "{args.name}": the offline synth has no graph of stack "{name}" '
                               f"(synthesized stacks: {known}); synthesize the platform stack first")
        secret = sorted(key for key, value in outputs.items() if SECRET in json.dumps(value))
        return name, {"name": name, "outputs": dict(outputs), "secretOutputNames": secret}

    def new_resource(self, args: mocks.MockResourceArgs):
        if args.typ == STACK_REFERENCE_TYPE:
            return self.stack_reference(args)
        urn = getattr(self.current, "urn", "")
        if not urn or not settings.is_dry_run():
            return "", dict(args.inputs)
        id_, derived = derive(args.typ, urn, args.inputs)
        return id_, {**args.inputs, **derived}

    def call(self, args: mocks.MockCallArgs):
        raise RuntimeError(f"the offline synth cannot answer the provider call {args.token}; "
                           "components must take such values from stack config instead")


class CaptureMonitor(mocks.MockMonitor):
    """Records registrations. URNs follow the engine (resource/urn.go): the parent's full type chain,
    and no `pulumi:pulumi:Stack$` in front of the stack's children (the stock mock adds one)."""

    echo = True
    """Answer registrations from the request itself (see _echo); False: the stock mock round trip."""

    def __init__(self, references: Mapping[str, Mapping[str, object]] | None = None) -> None:
        check_mock_seam()
        self.offline = OfflineMocks(references)
        super().__init__(self.offline)
        self.registrations: list[Registration] = []
        self.echoed: dict[str, tuple[str, object]] = {}
        """Echoed resources by URN: (id, outputs Struct), for a later getResource."""

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        if parent:
            parent_type = split_urn(parent)[2]
            if parent_type != STACK_TYPE:
                type_ = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([mocks.get_stack(), mocks.get_project(), type_, name])

    def _alias_urns(self, request) -> list[str]:
        """The URNs a resource was known by before (pulumi.Alias), so a plan can match a rename."""
        urns = set(request.aliasURNs)
        for alias in request.aliases:
            if alias.urn:
                urns.add(alias.urn)
                continue
            spec = alias.spec
            parent = "" if spec.noParent else (spec.parentUrn or request.parent)
            urns.add(self.make_urn(parent, spec.type or request.type, spec.name or request.name))
        return sorted(urns)

    def ReadResource(self, request):
        """A read resource (a StackReference) is in the stack's state too, with its inputs."""
        urn = self.make_urn(request.parent, request.type, request.name)
        self.registrations.append(Registration(
            urn=urn, type=request.type, name=request.name, parent=request.parent or None, custom=True,
            provider=provider_urn(request.provider), version=request.version,
            inputs={k: v for k, v in struct_to_json(request.properties).items() if v is not None},
            dependencies=sorted(set(request.dependencies)), protect=False, retain_on_delete=False,
            delete_before_replace=False))
        return super().ReadResource(request)

    def RegisterResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        self.registrations.append(Registration(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            custom=bool(request.custom),
            provider=provider_urn(request.provider),
            version=request.version,
            inputs=struct_to_json(request.object),
            dependencies=sorted(set(request.dependencies)),
            protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete),
            delete_before_replace=bool(request.deleteBeforeReplace),
            aliases=self._alias_urns(request),
        ))
        if self.echo and self._echoes(request):
            return self._echo(request, urn)
        self.offline.current.urn = urn
        try:
            response = super().RegisterResource(request)
        finally:
            self.offline.current.urn = ""
        with contextlib.suppress(RuntimeError):  # the stack's registration returns before the SDK makes a loop
            _WORKER_LOOPS.add(asyncio.get_event_loop())
        return response

    def _echoes(self, request) -> bool:
        """Whether the echo answers this request as the stock mock would: our own mocks (a subclass
        answering as a cloud goes the stock way), not the stack, no value the round trip rebuilds."""
        if request.type == STACK_TYPE or type(self.mocks).new_resource is not OfflineMocks.new_resource:
            return False
        raw = request.object.SerializeToString()
        return not any(sig in raw for sig in _OPAQUE_SIGS)

    def _echo(self, request, urn: str):
        """The stock MockMonitor.RegisterResource (pulumi 3.272.0, sdk/python/lib/pulumi/runtime/mocks.py)
        deserializes the request's inputs, asks the mocks, and serializes their answer back; ours echo
        the inputs plus derived outputs, so the answer is built from the request's own Struct instead.
        What the SDK then reads from it (rpc.resolve_outputs: it deserializes the object again) is the
        same, since deserializing a serialized value gives the value back; tests/synth/test_echo.py
        checks every registration of the example stacks against the stock answer."""
        id_, derived = derive(request.type, urn, _known_text(request.object)) if settings.is_dry_run() else ("", {})
        response = resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=request.object)
        if derived:
            response.object.update(derived)
        self.echoed[urn] = (id_, response.object)
        return response

    def _materialize_echoed(self) -> None:
        """Give the stock mock its record of echoed resources (as its round trip would have stored
        them), before it answers from that record."""
        _ensure_event_loop()
        for urn, (id_, state) in self.echoed.items():
            if urn not in self.resources:
                self.resources[urn] = mocks.MockMonitor.ResourceRegistration(urn, id_, rpc.deserialize_properties(state))
        self.echoed.clear()

    def Invoke(self, request):
        if request.tok == GET_RESOURCE:  # a resource reference read back
            self._materialize_echoed()
        return super().Invoke(request)

    def ExistsResource(self, request):
        self._materialize_echoed()
        return super().ExistsResource(request)
