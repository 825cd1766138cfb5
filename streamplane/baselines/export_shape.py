"""Structural checks of a `pulumi stack export` (or file-backend checkpoint) before the state reader
uses it: the file decodes, `version` is supported, `deployment.resources` is a list of objects each
with a string `urn` of URN shape (the one check in urns.py, shared with review/shape.py) and a string `type`, and every
resource belongs to the plan's stack and project. Any failure is a user error on one line naming the
file and the JSON pointer.

Shapes follow pulumi/pulumi sdk/go/common/apitype/core.go (UntypedDeployment: `version`,
`deployment`; DeploymentV3.resources: ResourceV3 with `urn`, `type`, `inputs`, `parent`,
`provider`, `dependencies`) and sdk/go/common/resource/urn.go (`urn:pulumi:STACK::PROJECT::...`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..urns import urn_problem
from . import BaselineError

SUPPORTED_VERSIONS = (3,)
# Inputs are walked recursively by the reader; an engine-written state stays far below this.
MAX_DEPTH = 100
# Optional fields the reader uses, and the JSON type each must have when present.
_OPTIONAL_FIELDS: dict[str, type] = {"inputs": dict, "parent": str, "provider": str, "dependencies": list,
                                     "aliases": list}
_JSON_NAMES = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
               bool: "a boolean", type(None): "null"}


def _kind(value: object) -> str:
    return _JSON_NAMES.get(type(value), type(value).__name__)


def _token(key: str) -> str:
    """`key` as a JSON-pointer token (RFC 6901 escapes), control characters escaped for one line."""
    return key.replace("~", "~0").replace("/", "~1").encode("unicode_escape").decode("ascii")


def _depth_exceeds(value: object, limit: int) -> bool:
    """Whether `value` nests objects/lists deeper than `limit` (iterative: no recursion limit)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= limit:
                return True
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return False


def read_export(path: Path, label: str) -> dict:
    """The decoded, structurally checked export at `path` (`label` names it in messages)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise BaselineError(f"{label}: /: not a text file (byte {err.start} is not UTF-8); "
                            "expected `pulumi stack export` JSON.") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise BaselineError(f"{label}:{err.lineno}:{err.colno}: /: invalid JSON: {err.msg}.") from None
    except RecursionError:
        raise BaselineError(f"{label}: /: JSON nested too deeply to decode; a stack export is far shallower.") from None
    check_export(label, document)
    return document


def _deployment(label: str, document: dict) -> tuple[str, dict]:
    if "deployment" in document:
        pointer, deployment = "/deployment", document["deployment"]
    elif "checkpoint" in document:
        checkpoint = document["checkpoint"]
        if checkpoint is not None and not isinstance(checkpoint, dict):
            raise BaselineError(f"{label}: /checkpoint: must be an object, got {_kind(checkpoint)}.")
        pointer, deployment = "/checkpoint/latest", (checkpoint or {}).get("latest")
    else:
        raise BaselineError(f'{label}: /: not a Pulumi state: expected a "deployment" (stack export) or "checkpoint" key.')
    if deployment is None:
        return pointer, {}
    if not isinstance(deployment, dict):
        raise BaselineError(f"{label}: {pointer}: must be an object, got {_kind(deployment)}.")
    return pointer, deployment


def check_export(label: str, document: object) -> None:
    """Raise BaselineError unless `document` has the shape of a version-3 export or checkpoint."""
    if not isinstance(document, dict):
        raise BaselineError(f"{label}: /: not a Pulumi state export: expected an object, got {_kind(document)}.")
    version = document.get("version")
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        raise BaselineError(f"{label}: /version: unsupported state version {json.dumps(version)[:40]}: "
                            "expected a `pulumi stack export` with version 3.")
    pointer, deployment = _deployment(label, document)
    resources = deployment.get("resources")
    if resources is None:
        return
    if not isinstance(resources, list):
        raise BaselineError(f"{label}: {pointer}/resources: must be a list, got {_kind(resources)}.")
    for index, resource in enumerate(resources):
        where = f"{pointer}/resources/{index}"
        if not isinstance(resource, dict):
            raise BaselineError(f"{label}: {where}: a resource must be an object, got {_kind(resource)}.")
        for key in ("urn", "type"):
            if not isinstance(resource.get(key), str):
                got = "missing" if key not in resource else f"got {_kind(resource[key])}"
                raise BaselineError(f"{label}: {where}/{key}: must be a string ({got}).")
        problem = urn_problem(resource["urn"])
        if problem:
            raise BaselineError(f"{label}: {where}/urn: {problem}")
        for key, kind in _OPTIONAL_FIELDS.items():
            value = resource.get(key)
            if value is not None and not isinstance(value, kind):
                raise BaselineError(f"{label}: {where}/{key}: must be {_JSON_NAMES[kind]}, got {_kind(value)}.")
        for key, value in resource.items():
            if _depth_exceeds(value, MAX_DEPTH):
                raise BaselineError(f"{label}: {where}/{_token(key)}: nested deeper than {MAX_DEPTH} levels; "
                                    "an engine-written state is far shallower.")
        for key in ("dependencies", "aliases"):
            if any(not isinstance(item, str) for item in resource.get(key) or ()):
                raise BaselineError(f"{label}: {where}/{key}: must list URN strings.")


def check_same_stack(label: str, document: dict, stack: str, project: str) -> None:
    """Refuse an export of another stack or project: its resources would all look deleted."""
    pointer, deployment = _deployment(label, document)
    for index, resource in enumerate(deployment.get("resources") or ()):
        found_stack, found_project = resource["urn"].removeprefix("urn:pulumi:").split("::", 2)[:2]
        if (found_stack, found_project) != (stack, project):
            raise BaselineError(
                f'{label}: {pointer}/resources/{index}/urn: an export of stack "{found_stack}" of project '
                f'"{found_project}", but this plan is of stack "{stack}" of project "{project}"; '
                f"export the right one (pulumi stack export --stack {stack}).")
