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

from pulumi.runtime import mocks, settings
from pulumi.runtime.config import get_config

from .outputs import predicted_outputs
from .wire import SECRET, struct_to_json

STACK_TYPE = "pulumi:pulumi:Stack"
STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"

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
        return predicted_outputs(args.typ, urn, args.inputs, get_config("streamplane:accountId"),
                                 get_config("aws:region"))

    def call(self, args: mocks.MockCallArgs):
        raise RuntimeError(f"the offline synth cannot answer the provider call {args.token}; "
                           "components must take such values from stack config instead")


class CaptureMonitor(mocks.MockMonitor):
    """Records registrations. URNs follow the engine (resource/urn.go): the parent's full type chain,
    and no `pulumi:pulumi:Stack$` in front of the stack's children (the stock mock adds one)."""

    def __init__(self, references: Mapping[str, Mapping[str, object]] | None = None) -> None:
        self.offline = OfflineMocks(references)
        super().__init__(self.offline)
        self.registrations: list[Registration] = []

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
        self.offline.current.urn = urn
        try:
            response = super().RegisterResource(request)
        finally:
            self.offline.current.urn = ""
        with contextlib.suppress(RuntimeError):  # the stack's registration returns before the SDK makes a loop
            _WORKER_LOOPS.add(asyncio.get_event_loop())
        return response
