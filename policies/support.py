"""Reading resource inputs the same way in both runs: CrossGuard's ResourceValidationArgs, and the
offline runner's (which builds the very same classes from a synth-graph resource).

Inputs are camelCase wire names in both (`encryptionInfo`, `replicationFactor`). During preview some
values are unknown: CrossGuard's props proxy raises UnknownValueError when one is read, the offline
runner turns the synth graph's "<computed>" into the same sentinel. `get` returns UNKNOWN instead of
raising, so a rule decides what an unknown value means (usually: it cannot be judged yet, stay quiet).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError, _is_unknown


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()
"""A value that is only known after apply (an ARN, a generated name)."""

_MISSING = object()


def get(props: Any, *path: str | int, default: Any = None) -> Any:
    """props[path[0]][path[1]]...; `default` when a step is absent, UNKNOWN when a step is unknown.

    Keys are separate arguments because Kafka and Flink keys contain dots (`min.insync.replicas`).
    """
    value = props
    for step in path:
        try:
            if isinstance(value, Mapping):
                value = value.get(step, _MISSING)
            elif isinstance(value, Sequence) and not isinstance(value, str) and isinstance(step, int):
                value = value[step] if -len(value) <= step < len(value) else _MISSING
            else:
                value = _MISSING
        except UnknownValueError:
            return UNKNOWN
        if value is _MISSING or value is None:
            return default
        if _is_unknown(value):
            return UNKNOWN
    return value


def items(props: Any, *path: str | int) -> list[Any]:
    """The elements of a list input (empty when absent or unknown); unknown elements are UNKNOWN."""
    value = get(props, *path)
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [get(value, i) for i in range(len(value))]


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


ACKNOWLEDGE_ANNOTATION = "streamplane.io/acknowledge"
"""Set by components (components/labels.py acknowledge_annotations) from a spec object's spec.acknowledge,
as "<code>=<YYYY-MM-DD>[,...]": a policy sees only the resource, so the acknowledgement travels with it."""


def acknowledged(props: Any, code: str, today: date) -> bool:
    """Whether the resource carries an unexpired (until `today`, inclusive) acknowledgement of risk `code`."""
    value = get(props, "metadata", "annotations", ACKNOWLEDGE_ANNOTATION)
    if not isinstance(value, str):
        return False
    for entry in value.split(","):
        name, _, expires = entry.strip().partition("=")
        try:
            if name == code and date.fromisoformat(expires) >= today:
                return True
        except ValueError:
            continue
    return False


def as_int(value: Any) -> int | None:
    """An integer from a number or a numeric string (Kafka config values are strings); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    return None


def as_bool(value: Any) -> bool | None:
    """True/False from a boolean or its string form ("true", "false"); else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def config(args: ResourceValidationArgs | StackValidationArgs, key: str, default: Any) -> Any:
    """A policy config property (pack config, or the offline runner's config file), else the default."""
    value = (args.get_config() or {}).get(key)
    return default if value is None else value


Check = Callable[[ResourceValidationArgs], Iterable[str]]
RESOURCE_TYPES_ATTR = "streamplane_resource_types"
"""Attribute of a resource policy: the frozenset of types it checks, or None for every type."""


def resource_policy(name: str, description: str, types: Sequence[str] | None, check: Check,
                    enforcement: EnforcementLevel = EnforcementLevel.ADVISORY,
                    config_schema: PolicyConfigSchema | None = None) -> ResourceValidationPolicy:
    """A CrossGuard resource policy that runs `check` on resources of `types` and reports each message.

    `check` is a generator of violation messages; each names the resource and the fix. `types` None
    means every type (the check filters itself).
    """
    wanted = None if types is None else frozenset(types)

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if wanted is not None and args.resource_type not in wanted:
            return
        for message in check(args):
            report_violation(message, None)

    policy = ResourceValidationPolicy(name=name, description=description, validate=validate,
                                      enforcement_level=enforcement, config_schema=config_schema)
    # The offline runner (streamplane/policy_offline.py) calls the rule only for these types.
    setattr(policy, RESOURCE_TYPES_ATTR, wanted)
    return policy


StackCheck = Callable[[StackValidationArgs], Iterable[tuple[str, str]]]


def stack_policy(name: str, description: str, check: StackCheck,
                 enforcement: EnforcementLevel = EnforcementLevel.ADVISORY,
                 config_schema: PolicyConfigSchema | None = None) -> StackValidationPolicy:
    """A CrossGuard stack policy (it sees every resource, with parents and dependencies) that
    reports each (urn, message) `check` yields against that resource."""

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        for urn, message in check(args):
            report_violation(message, urn)

    return StackValidationPolicy(name=name, description=description, validate=validate,
                                 enforcement_level=enforcement, config_schema=config_schema)


def runtime_properties(text: Any) -> dict[str, str]:
    """`key=value` lines of a Java properties text (Druid's runtime.properties); comments and blanks skipped."""
    result: dict[str, str] = {}
    if not isinstance(text, str):
        return result
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "!")) or "=" not in line:
            continue
        key, value = line.split("=", 1)
        result[key.strip()] = value.strip()
    return result


def dependents(resources: Sequence[Any], target_urn: str, type_: str) -> Iterator[Any]:
    """Resources of `type_` that depend on `target_urn` (an S3 bucket's companion resources take the
    bucket's id as an input, so the engine records the bucket among their dependencies)."""
    for resource in resources:
        if resource.resource_type == type_ and any(dep.urn == target_urn for dep in resource.dependencies):
            yield resource
