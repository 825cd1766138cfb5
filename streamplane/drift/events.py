"""Pulumi engine events (apitype.EngineEvent, as in `--event-log` files) -> plan changes.

The one translator of engine events in streamplane: `streamplane drift` feeds it the events of a
refresh-preview, and event-log readers (review) should call it too.

Op mapping (`metadata.op` of resourcePreEvent / resOutputsEvent), one Change per URN:

| engine op                                              | plan action |
|--------------------------------------------------------|-------------|
| create, import                                         | create      |
| update                                                 | update      |
| replace, create-replacement, delete-replaced,          | replace     |
| import-replacement                                     |             |
| delete, discard, discard-replaced                      | delete      |
| same, read, read-replacement, remove-pending-replace   | same        |
| refresh                                                | see below   |

A URN may have several steps (a replacement is three); the strongest wins: replace > delete >
create > update > same. `read` steps only look at a resource managed elsewhere, so they change
nothing. `discard` drops a resource from the stack without deleting it in the cloud: for the
stack it is gone, so it reads as a delete.

`refresh` steps (refresh previews, `preview --refresh`) compare the recorded state with the
cloud. When a URN also has a program step (same, update, ...), that step decides the action: it is
what `pulumi up --refresh` would do to heal the drift. A URN with only a refresh step is drift in
the state itself: `delete` when the resource no longer exists in the cloud, `update` when its
outputs differ (the paths are the differing outputs), `same` otherwise.

The stack resource (`pulumi:pulumi:Stack`) is excluded, as `diff_graphs` excludes it; providers,
default providers included, are kept, as the synth graph keeps them.

`paths` are the keys of `metadata.detailedDiff` (Pulumi's property paths, e.g.
`ingress[1].cidrBlocks[0]`) when present, else `metadata.diffs`, else for a replacement
`metadata.keys`. `replace_paths` are the properties that force a replacement: `metadata.keys`
and the detailedDiff entries whose `diffKind` ends in `-replace`. `before`/`after` are
synth-graph-like entries built from `metadata.old`/`new`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..plan.diff import changed_paths
from ..plan.model import Action, Change
from ..synth.capture import STACK_TYPE, split_urn
from ..synth.wire import SECRET, normalize

STEP_EVENTS = ("resourcePreEvent", "resOutputsEvent")

OP_ACTIONS: dict[str, Action] = {
    "create": "create", "import": "create",
    "update": "update",
    "replace": "replace", "create-replacement": "replace", "delete-replaced": "replace",
    "import-replacement": "replace",
    "delete": "delete", "discard": "delete", "discard-replaced": "delete",
    "same": "same", "read": "same", "read-replacement": "same", "remove-pending-replace": "same",
}
REFRESH_OP = "refresh"
STRENGTH: dict[Action, int] = {"same": 0, "update": 1, "create": 2, "delete": 3, "replace": 4}
# The engine blanks secrets in events as this string; the plan writes "<secret>" like the synth graph.
ENGINE_SECRET = "[secret]"
# Output keys providers use for bookkeeping (timeouts, schema version): never drift a user cares about.
BOOKKEEPING_KEYS = frozenset({"__meta", "__defaults"})


def read_event_log(path: Path | str) -> Iterator[dict]:
    """The events of a newline-delimited JSON event log (`pulumi ... --event-log FILE`)."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in BOOKKEEPING_KEYS}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return SECRET if value == ENGINE_SECRET else value


def _entry(state: dict | None) -> dict | None:
    """A step state (`metadata.old`/`new`) as a synth-graph resource entry."""
    if not state:
        return None
    urn = state.get("urn", "")
    return {
        "urn": urn,
        "type": state.get("type", ""),
        "name": urn.rsplit("::", 1)[-1],
        "parent": state.get("parent") or None,
        "custom": bool(state.get("custom", False)),
        "provider": state.get("provider") or None,
        "inputs": _clean(normalize(state.get("inputs") or {})),
        "outputs": _clean(normalize(state.get("outputs") or {})),
        "protect": bool(state.get("protect", False)),
        "retainOnDelete": bool(state.get("retainOnDelete", False)),
    }


def _step_paths(metadata: dict) -> list[str]:
    detailed = metadata.get("detailedDiff") or {}
    if detailed:
        return list(detailed)
    paths = list(dict.fromkeys(metadata.get("diffs") or []))
    if not paths and metadata.get("op") in ("replace", "create-replacement"):
        paths = list(dict.fromkeys(metadata.get("keys") or []))
    return paths


def _replace_paths(metadata: dict) -> list[str]:
    detailed = metadata.get("detailedDiff") or {}
    forced = [p for p, d in detailed.items() if str((d or {}).get("diffKind", "")).endswith("-replace")]
    return list(dict.fromkeys([*(metadata.get("keys") or []), *forced]))


class _Steps:
    """Everything the events said about one URN, in event order."""

    def __init__(self, urn: str, type_: str):
        self.urn, self.type = urn, type_
        self.actions: list[Action] = []
        self.paths: list[str] = []
        self.replace_paths: list[str] = []
        self.before: dict | None = None
        self.after: dict | None = None
        self.refresh: list[dict] = []

    def add(self, metadata: dict, outputs_event: bool) -> None:
        op = metadata.get("op", "")
        if op == REFRESH_OP:
            self.refresh.append(metadata)
            return
        action = OP_ACTIONS.get(op)
        if action is None:
            raise ValueError(f'unknown engine step op "{op}" for {self.urn}')
        self.actions.append(action)
        for path in _step_paths(metadata):
            if path not in self.paths:
                self.paths.append(path)
        for path in _replace_paths(metadata):
            if path not in self.replace_paths:
                self.replace_paths.append(path)
        old, new = _entry(metadata.get("old")), _entry(metadata.get("new"))
        if self.before is None and old is not None:
            self.before = old
        if new is not None and (outputs_event or self.after is None):
            self.after = new

    def change(self) -> Change:
        if self.actions:
            action = max(self.actions, key=STRENGTH.__getitem__)
            before = self.before if action != "create" else None
            after = self.after if action != "delete" else None
            replace_paths = self.replace_paths if action == "replace" else []
            return Change(self.urn, self.type, action, self.paths, before=before, after=after,
                          replace_paths=replace_paths)
        return self._refresh_change()

    def _refresh_change(self) -> Change:
        # The outputs event of a refresh step carries the state read from the cloud; the pre event
        # only the recorded one. No new state in the outputs event: the resource is gone.
        outputs = [m for m in self.refresh if m.get("_outputs_event")]
        last = outputs[-1] if outputs else self.refresh[-1]
        old, new = _entry(last.get("old")), _entry(last.get("new"))
        if outputs and old is not None and new is None:
            return Change(self.urn, self.type, "delete", before=old)
        paths = _step_paths(last)
        if not paths and old is not None and new is not None:
            paths = changed_paths(old["outputs"], new["outputs"])
        return Change(self.urn, self.type, "update" if paths else "same", paths, before=old, after=new or old)


def changes_from_events(events: Iterable[dict]) -> list[Change]:
    """One Change per resource URN named by the step events, in URN order (`same` included)."""
    steps: dict[str, _Steps] = {}
    for event in events:
        for key in STEP_EVENTS:
            body = event.get(key)
            if not body:
                continue
            metadata = body.get("metadata") or {}
            urn = metadata.get("urn", "")
            if not urn:
                continue
            # A step without its type (null, or left out) takes it from its URN, as previews do.
            type_ = metadata.get("type") or split_urn(urn)[2].rsplit("$", 1)[-1]
            if type_ == STACK_TYPE:
                continue
            if metadata.get("op") == REFRESH_OP:
                metadata = {**metadata, "_outputs_event": key == "resOutputsEvent"}
            steps.setdefault(urn, _Steps(urn, type_)).add(metadata, key == "resOutputsEvent")
    return [steps[urn].change() for urn in sorted(steps)]
