"""Engine event logs (`pulumi up|preview --event-log`, one apitype.EngineEvent per line).

resourcePreEvent.metadata carries op, urn, type, old/new states, `diffs`, replace `keys` and
detailedDiff entries `{"diffKind": ..., "inputDiff": bool}`; resOutputsEvent repeats it after apply.
"""

from __future__ import annotations

from ..drift.events import STEP_EVENTS
from ..drift.events import changes_from_events as translate
from ..plan.model import Change
from ..synth.capture import STACK_TYPE, split_urn
from .states import OP_ACTIONS, ReviewError


def stack_action(events: list[dict]) -> str | None:
    """The Stack resource's action in the log (its resourcePreEvent op), which the summaryEvent counts."""
    for event in events:
        metadata = (event.get("resourcePreEvent") or {}).get("metadata") or {}
        if metadata.get("type") == STACK_TYPE:
            return OP_ACTIONS.get(metadata.get("op", ""))
    return None


def changes_from_events(events: list[dict]) -> tuple[str | None, list[Change]]:
    """(stack, changes) of an event log, through the one engine-event translator (drift.events)."""
    if not all(isinstance(event, dict) for event in events):
        raise ReviewError("an event-log line is not a JSON object.")
    urns = [(event.get(key) or {}).get("metadata", {}).get("urn") for event in events for key in STEP_EVENTS]
    urns = [urn for urn in urns if urn]
    if not urns and events and not any("preludeEvent" in e or "summaryEvent" in e for e in events):
        raise ReviewError("no engine events found: expected lines like {\"resourcePreEvent\": ...}.")
    try:
        changes = translate(events)
    except ValueError as err:
        raise ReviewError(str(err)) from None
    stack = split_urn(urns[0])[0] if urns else None
    return stack, changes
