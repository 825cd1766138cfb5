"""Structural checks of engine files before any reader touches them: a preview's steps and an
event log's step events must have the shapes the engine writes (URNs of the form
`urn:pulumi:STACK::PROJECT::TYPE::NAME`, per pulumi/sdk/go/common/resource/urn.go), so a file that
is not one is a user error naming the JSON pointer, never a crash further down."""

from __future__ import annotations

from typing import Any

from ..drift.events import STEP_EVENTS
from ..urns import urn_problem
from .states import ReviewError

_STATE_FIELDS = {"urn": str, "type": str, "inputs": dict, "outputs": dict, "parent": str, "provider": str,
                 "dependencies": list}


def _fail(label: str, pointer: str, message: str) -> ReviewError:
    return ReviewError(f"{label}: {pointer}: {message}")


def check_urn(label: str, pointer: str, value: object) -> None:
    problem = urn_problem(value)
    if problem:
        raise _fail(label, pointer, problem)


def _check_state(label: str, pointer: str, state: object) -> None:
    if state is None:
        return
    if not isinstance(state, dict):
        raise _fail(label, pointer, f"a resource state must be an object, got {type(state).__name__}.")
    for key, kind in _STATE_FIELDS.items():
        value = state.get(key)
        if value is not None and not isinstance(value, kind):
            raise _fail(label, f"{pointer}/{key}", f"must be a {kind.__name__}, got {type(value).__name__}.")
    if state.get("urn") is not None:
        check_urn(label, f"{pointer}/urn", state["urn"])
    if any(not isinstance(d, str) for d in state.get("dependencies") or []):
        raise _fail(label, f"{pointer}/dependencies", "must list URN strings.")


def _check_diff(label: str, pointer: str, step: dict, detailed_key: str, lists: tuple[str, ...]) -> None:
    detailed = step.get(detailed_key)
    if detailed is not None and (not isinstance(detailed, dict)
                                 or any(d is not None and not isinstance(d, dict) for d in detailed.values())):
        raise _fail(label, f"{pointer}/{detailed_key}", "must be an object of property path -> {kind, inputDiff}.")
    for key in lists:
        value = step.get(key)
        if value is not None and (not isinstance(value, list) or any(not isinstance(v, str) for v in value)):
            raise _fail(label, f"{pointer}/{key}", "must be a list of property paths (strings).")


def check_preview(label: str, document: object) -> None:
    """A `pulumi preview --json` document: {"steps": [{op, urn, oldState, newState, ...}]}."""
    if not isinstance(document, dict) or not isinstance(document.get("steps"), list):
        raise ReviewError(f'{label}: not a `pulumi preview --json` output: no "steps" list.')
    for index, step in enumerate(document["steps"]):
        pointer = f"/steps/{index}"
        if not isinstance(step, dict):
            raise _fail(label, pointer, f"a preview step must be an object, got {type(step).__name__}.")
        if not isinstance(step.get("op", ""), str):
            raise _fail(label, f"{pointer}/op", f"must be a string, got {type(step['op']).__name__}.")
        for side in ("oldState", "newState"):
            _check_state(label, f"{pointer}/{side}", step.get(side))
        urn = step.get("urn") or (step.get("newState") or step.get("oldState") or {}).get("urn")
        check_urn(label, f"{pointer}/urn", urn)
        _check_diff(label, pointer, step, "detailedDiff", ("diffReasons", "replaceReasons"))


def check_events(label: str, events: list[object]) -> None:
    """Engine event lines: each an object; each step event's metadata shaped as the engine writes it."""
    for number, event in enumerate(events, 1):
        if not isinstance(event, dict):
            raise ReviewError(f"{label}:{number}: an event-log line is not a JSON object.")
        for key in STEP_EVENTS:
            if key not in event:
                continue
            body = event[key]
            meta = body.get("metadata") if isinstance(body, dict) else None
            where = f"{label}:{number}"
            if not isinstance(meta, dict):
                raise _fail(where, f"/{key}/metadata", "must be an object.")
            check_urn(where, f"/{key}/metadata/urn", meta.get("urn"))
            for field in ("op", "type"):
                if meta.get(field) is not None and not isinstance(meta[field], str):
                    raise _fail(where, f"/{key}/metadata/{field}", f"must be a string, got {type(meta[field]).__name__}.")
            for side in ("old", "new"):
                _check_state(where, f"/{key}/metadata/{side}", meta.get(side))
            _check_diff(where, f"/{key}/metadata", meta, "detailedDiff", ("diffs", "keys"))


def _step_urns(document: object, events: list[object] | None) -> list[tuple[str, Any]]:
    """(pointer, URN) of every step, after the shape checks above passed."""
    if events is None:
        assert isinstance(document, dict)
        return [(f"/steps/{i}/urn", step.get("urn") or (step.get("newState") or step.get("oldState") or {}).get("urn"))
                for i, step in enumerate(document["steps"])]
    return [(f"{n}: /{key}/metadata/urn", event[key]["metadata"]["urn"])
            for n, event in enumerate(events, 1) if isinstance(event, dict) for key in STEP_EVENTS if key in event]


def check_project(label: str, project: str, document: object = None, events: list[object] | None = None) -> None:
    """Every step is of `project` and of one stack: another project's preview would be reviewed as if
    it were this one's (its creates and deletes the platform's)."""
    seen: tuple[str, str] | None = None
    for pointer, urn in _step_urns(document, events):
        stack, found = urn.removeprefix("urn:pulumi:").split("::", 2)[:2]
        where = f"{label}:{pointer}" if events is not None else f"{label}: {pointer}"
        if found != project:
            raise ReviewError(f'{where}: a preview of project "{found}", but this is project "{project}" (Pulumi.yaml); '
                              "review a preview of this project's stacks.")
        if seen is not None and stack != seen[0]:
            raise ReviewError(f'{where}: steps of stack "{stack}" and of stack "{seen[0]}" in one file; review one stack\'s preview.')
        seen = (stack, found)
