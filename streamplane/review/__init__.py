"""Review of a real engine run: `pulumi preview --json` or an engine event log, as a plan.

The engine's own verdict (its op per resource, its diff and replace keys) is kept: it comes from the
real providers. The platform's hazards and renderers then apply as to an offline plan.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..paths import display_path
from ..plan.model import Plan
from ..risks.assess import assess
from .events import changes_from_events
from .events import stack_action as events_stack_action
from .preview import changes_from_preview
from .preview import stack_action as preview_stack_action
from .shape import check_events, check_preview, check_project
from .states import ReviewError


def read_review(path: Path, event_log: bool | None = None, project: str | None = None) -> Plan:
    """A plan from a preview JSON file or (event_log, or a file whose lines are events) an event log.
    With `project`, a file of another project (or of several stacks) is refused."""
    label = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise ReviewError(f"{label}: not a text file (byte {err.start} is not UTF-8); expected pulumi preview --json output or an event log.") from None
    document = None
    if not event_log:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as err:
            if event_log is False or err.msg != "Extra data":
                raise ReviewError(f"{label}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None
        # One JSON document is a preview, unless it is a one-line event log.
        event_log = document is None or (isinstance(document, dict) and "steps" not in document
                                         and any(k.endswith("Event") for k in document))
    if event_log:
        events = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                events.append(json.loads(line))
            except ValueError as err:
                raise ReviewError(f"{label}:{number}: not an engine event (invalid JSON: {err}).") from None
        check_events(label, events)
        if project is not None:
            check_project(label, project, events=events)
        stack, changes = changes_from_events(events)
        engine_stack = events_stack_action(events)
        source = f"engine event log {label}"
    else:
        if not isinstance(document, dict):
            raise ReviewError(f"{label}: not a `pulumi preview --json` document (expected a JSON object).")
        check_preview(label, document)
        if project is not None:
            check_project(label, project, document)
        stack, changes = changes_from_preview(document)
        engine_stack = preview_stack_action(document)
        source = f"pulumi preview {label}"
    assess(changes)
    # Counted as Pulumi counts (the Stack included), so the summary matches the engine's own.
    return Plan(stack=stack or "?", base=source, changes=changes, engine_stack=engine_stack)


__all__ = ["ReviewError", "read_review"]
