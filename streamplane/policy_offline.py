"""Run the CrossGuard pack (policies/) on a synth graph, without the engine: the same rule objects,
fed the same argument classes the engine's analyzer builds.

Per resource a `ResourceValidationArgs` (type, props = the graph's camelCase inputs, urn, name,
options such as protect, the provider and the rule's config); once per stack a `StackValidationArgs`
with parents and dependencies linked. "<computed>" inputs become the SDK's unknown sentinel behind
its unknown-checking proxy, as in a real preview. Enforcement levels and rule settings come from
policies/config/<environment>.json, the file `pulumi preview --policy-pack-config` takes.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.policy import _NotApplicableError
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from policies import load_config
from policies.rules import ALL
from policies.support import RESOURCE_TYPES_ATTR

from .plan.model import PolicyViolation
from .stackconfig import load_stack_config
from .synth.capture import STACK_TYPE

COMPUTED = "<computed>"


def pack_policies() -> list[Policy]:
    """The pack's rule objects: the very objects `policies/__main__.py` gives CrossGuard."""
    return list(ALL)


def stack_environment(stacks_dir: Path, stack: str) -> str:
    """The stack's `streamplane:environment` (as StackSettings reads it), else the stack name."""
    config, _ = load_stack_config(stacks_dir, stack)
    return config.get("streamplane:environment") or stack


def _level(policy: Policy, pack_config: dict) -> EnforcementLevel:
    entry = pack_config.get(policy.name, pack_config.get("all"))
    if isinstance(entry, dict):
        entry = entry.get("enforcementLevel")
    level = EnforcementLevel(entry) if entry else policy.enforcement_level or EnforcementLevel.ADVISORY
    # As the engine does: a violation of a remediation policy that still fires is mandatory.
    return EnforcementLevel.MANDATORY if level == EnforcementLevel.REMEDIATE else level


def _properties(policy: Policy, pack_config: dict) -> dict:
    """The rule's config: schema defaults, then the environment's values."""
    props = {}
    if policy.config_schema:
        props = {k: v["default"] for k, v in policy.config_schema.properties.items() if "default" in v}
    entry = pack_config.get(policy.name)
    if isinstance(entry, dict):
        props.update({k: v for k, v in entry.items() if k != "enforcementLevel"})
    return props


def _unknowns(value: Any) -> Any:
    if value == COMPUTED:
        return UNKNOWN_STRING_VALUE
    if isinstance(value, dict):
        return {k: _unknowns(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unknowns(v) for v in value]
    return value


def _props(resource: dict) -> Any:
    return unknown_checking_proxy(_unknowns(resource.get("inputs") or {}))


def _opts(resource: dict) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=bool(resource.get("protect")), ignore_changes=[],
        delete_before_replace=resource.get("deleteBeforeReplace"), aliases=list(resource.get("aliases") or []),
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0), additional_secret_outputs=[], parent=resource.get("parent"))


class _View:
    """One resource as the rules see it. Its props (the unknown-checking proxy over a copy of its
    inputs, the larger part of the cost) are built when a rule first reads them, then shared by every
    rule: at 2,000 routes most resources are of types no rule reads."""

    __slots__ = ("_props", "opts", "provider", "resource")

    def __init__(self, resource: dict, provider: PolicyProviderResource | None) -> None:
        self.resource = resource
        self.opts = _opts(resource)
        self.provider = provider
        self._props: Any = None

    @property
    def props(self) -> Any:
        if self._props is None:
            self._props = _props(self.resource)
        return self._props


class _LazyProps:
    """`props` read from a _View on first access. The SDK's argument classes set `props` in their
    __init__; a value set afterwards (None from that __init__ is ignored) wins over the view's."""

    _view: _View
    _set: Any = None

    @property
    def props(self) -> Any:
        return self._set if self._set is not None else self._view.props

    @props.setter
    def props(self, value: Any) -> None:
        self._set = value


class _ResourceArgs(_LazyProps, ResourceValidationArgs):
    def __init__(self, view: _View, config: dict) -> None:
        self._view = view
        r = view.resource
        super().__init__(r["type"], None, r["urn"], r["name"], view.opts, view.provider, config)  # type: ignore[arg-type]


class _StackResource(_LazyProps, PolicyResource):
    def __init__(self, view: _View) -> None:
        self._view = view
        r = view.resource
        super().__init__(r["type"], None, r["urn"], r["name"], view.opts, view.provider, None, [], {})  # type: ignore[arg-type]


@dataclass
class _Graph:
    resources: list[dict]
    by_urn: dict[str, dict]
    views: list[_View]
    """Per resource, built once and shared by every rule."""
    by_type: dict[str, list[_View]] = field(default_factory=dict)
    """The views by resource type, so a rule for some types visits only those (graph order kept)."""
    _providers: dict[str, PolicyProviderResource | None] = field(default_factory=dict)
    _linked: list[PolicyResource] | None = None

    @classmethod
    def of(cls, graph: dict) -> _Graph:
        resources = [r for r in graph.get("resources", []) if r.get("type") != STACK_TYPE]
        view = cls(resources, {r["urn"]: r for r in resources}, [])
        view.views = [_View(r, view.provider(r)) for r in resources]
        for entry in view.views:
            view.by_type.setdefault(entry.resource["type"], []).append(entry)
        return view

    def provider(self, resource: dict) -> PolicyProviderResource | None:
        """The resource's provider as the rules see it: one object per provider reference (a stack has
        a few providers and tens of thousands of resources)."""
        ref = resource.get("provider")
        if not ref:
            return None
        if ref not in self._providers:
            found = self.by_urn.get(ref) or self.by_urn.get(ref.rsplit("::", 1)[0])
            self._providers[ref] = PolicyProviderResource(found["type"], _props(found), found["urn"],
                                                          found["name"]) if found else None
        return self._providers[ref]

    def stack_resources(self) -> list[PolicyResource]:
        """Every resource with parent and dependencies linked, as the engine's AnalyzeStack builds them
        (pulumi-policy 1.21.0, pulumi_policy/policy.py `AnalyzeStack`). The engine builds them again for every stack
        rule; here they are built once and each rule gets its own list of them: the rules read them
        and never assign to them (tests/policies/test_pack.py runs the whole pack both ways)."""
        if self._linked is None:
            made = {v.resource["urn"]: _StackResource(v) for v in self.views}
            for r in self.resources:
                made[r["urn"]].parent = made.get(r.get("parent"))
                made[r["urn"]].dependencies = [made[d] for d in r.get("dependencies", []) if d in made]
            self._linked = list(made.values())
        return list(self._linked)


def _run(validate_result: Any) -> None:
    if inspect.isawaitable(validate_result):
        asyncio.run(_await(validate_result))


async def _await(awaitable) -> None:
    await awaitable


def _evaluate(policy: Policy, level: EnforcementLevel, config: dict, graph: _Graph) -> Iterable[PolicyViolation]:
    found: list[PolicyViolation] = []
    enforcement: Literal["mandatory", "advisory"] = "mandatory" if level == EnforcementLevel.MANDATORY else "advisory"

    def collector(default_urn: str):
        def report_violation(message: str, urn: str | None = None) -> None:
            found.append(PolicyViolation(policy.name, enforcement, urn or default_urn, message or policy.description))
        return report_violation

    def guarded(call, urn: str) -> None:
        try:
            _run(call())
        except UnknownValueError as err:
            # The engine reports this as an advisory note and moves on; so do we.
            found.append(PolicyViolation(policy.name, "advisory", urn,
                                         f"can't run policy '{policy.name}' during preview: {err.message}"))
        except _NotApplicableError:
            pass

    if isinstance(policy, ResourceValidationPolicy):
        types = getattr(policy, RESOURCE_TYPES_ATTR, None)
        views = graph.views if types is None else [v for t in sorted(types) for v in graph.by_type.get(t, ())]
        for view in views:
            args = _ResourceArgs(view, config)
            urn = view.resource["urn"]
            guarded(lambda args=args, urn=urn: policy.validate(args, collector(urn)), urn)
    elif isinstance(policy, StackValidationPolicy):
        stack_args = StackValidationArgs(graph.stack_resources(), config)
        guarded(lambda: policy.validate(stack_args, collector("")), "")
    return found


def evaluate_policies(graph: dict, environment: str, policies: list[Policy] | None = None,
                      pack_config: dict | None = None) -> list[PolicyViolation]:
    """Every violation of the pack's rules on `graph`, at `environment`'s enforcement levels.

    Mandatory violations come first; a mandatory one blocks the plan (exit code 3).
    """
    policies = pack_policies() if policies is None else policies
    if pack_config is None:
        pack_config = load_config(environment)
    view = _Graph.of(graph)
    violations: list[PolicyViolation] = []
    for policy in policies:
        level = _level(policy, pack_config)
        if level == EnforcementLevel.DISABLED:
            continue
        violations.extend(_evaluate(policy, level, _properties(policy, pack_config), view))
    order = {"mandatory": 0, "advisory": 1}
    return sorted(violations, key=lambda v: (order[v.enforcement], v.policy, v.urn, v.message))
