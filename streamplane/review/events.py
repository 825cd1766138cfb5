"""Engine event logs (`pulumi up|preview --event-log`, one apitype.EngineEvent per line).

resourcePreEvent.metadata carries op, urn, type, old/new states, `diffs`, replace `keys` and
detailedDiff entries `{"diffKind": ..., "inputDiff": bool}`; resOutputsEvent repeats it after apply.
"""

from __future__ import annotations

from ..plan.model import Change
from .states import ChangeSet, ReviewError

STEP_EVENTS = ("resourcePreEvent", "resOutputsEvent", "resOpFailedEvent")


def changes_from_events(events: list[dict]) -> tuple[str | None, list[Change]]:
    changes = ChangeSet()
    seen_step = False
    for event in events:
        if not isinstance(event, dict):
            raise ReviewError("an event-log line is not a JSON object.")
        for key in STEP_EVENTS:
            payload = event.get(key)
            if not payload:
                continue
            metadata = payload.get("metadata") or {}
            urn = metadata.get("urn")
            if not urn:
                continue
            seen_step = True
            detailed = metadata.get("detailedDiff") or {}
            paths = list(detailed) or list(dict.fromkeys(metadata.get("diffs") or []))
            replace = list(dict.fromkeys(metadata.get("keys") or []))
            replace += [p for p, d in detailed.items() if str((d or {}).get("diffKind", "")).endswith("-replace") and p not in replace]
            changes.add(metadata.get("op", ""), urn, metadata.get("type", ""), metadata.get("old"), metadata.get("new"),
                        paths, replace)
    if not seen_step and events and not any("preludeEvent" in e or "summaryEvent" in e for e in events):
        raise ReviewError("no engine events found: expected lines like {\"resourcePreEvent\": ...}.")
    return changes.stack, changes.changes()
