"""A non-mutating drift check through Pulumi's Automation API, as a plan.

Two checks, both read-only (the stack's state is never written):
- `heal` (default): `pulumi preview --refresh`, i.e. `Stack.preview(refresh=True)`: the state is
  refreshed from the cloud in memory, then diffed against the goal state in git. The plan is what
  `pulumi up --refresh` would do to heal the drift.
- `state`: `pulumi refresh --preview-only`, i.e. `Stack.preview_refresh()`: how the recorded state
  differs from the cloud, whatever the program says.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from ..plan.model import Plan
from ..risks.assess import assess
from .events import changes_from_events

MODES = ("heal", "state")


class DriftUnavailable(Exception):
    """The check cannot run here (no pulumi CLI, no stack): a clear message, exit 1."""


def require_pulumi_cli() -> str:
    path = shutil.which("pulumi")
    if path is None:
        raise DriftUnavailable(
            "the pulumi CLI is not on PATH: `streamplane drift` runs a refresh-preview through the real "
            "engine and needs it (and the stack's cloud credentials). Install it "
            "(https://www.pulumi.com/docs/iac/download-install/) or run the drift workflow in CI. "
            "For an offline review of the goal state use `streamplane plan`.")
    return path


def _state(state) -> dict | None:
    if state is None:
        return None
    return {"type": state.type, "urn": state.urn, "id": state.id, "parent": state.parent,
            "provider": state.provider, "custom": state.custom, "delete": state.delete,
            "protect": state.protect, "retainOnDelete": state.retain_on_delete,
            "inputs": state.inputs, "outputs": state.outputs}


def event_to_dict(event) -> dict:
    """An Automation API `EngineEvent` back in its wire form (apitype JSON, as in `--event-log` files),
    so one translator (`changes_from_events`) serves event logs and live runs alike."""
    out: dict = {"sequence": event.sequence, "timestamp": event.timestamp}
    for key, body in (("resourcePreEvent", event.resource_pre_event),
                      ("resOutputsEvent", event.res_outputs_event)):
        if body is None:
            continue
        meta = body.metadata
        out[key] = {"planning": body.planning, "metadata": {
            "op": getattr(meta.op, "value", meta.op), "urn": meta.urn, "type": meta.type,
            "provider": meta.provider, "old": _state(meta.old), "new": _state(meta.new),
            "keys": meta.keys, "diffs": meta.diffs, "logical": meta.logical,
            "detailedDiff": {path: {"diffKind": getattr(d.diff_kind, "value", d.diff_kind), "inputDiff": d.input_diff}
                             for path, d in (meta.detailed_diff or {}).items()},
        }}
    return out


def detect(stack_name: str, root: Path, mode: str = "heal", policy_packs: tuple[str, ...] = (),
           on_output: Callable[[str], None] | None = None) -> Plan:
    """Run the refresh-preview of `stack_name` for the project at `root`; return it as a plan with risks."""
    require_pulumi_cli()
    from pulumi import automation as auto

    events: list[dict] = []

    def collect(event) -> None:
        events.append(event_to_dict(event))

    try:
        stack = auto.select_stack(stack_name=stack_name, work_dir=str(root))
        if mode == "state":
            stack.preview_refresh(on_event=collect, on_output=on_output, color="never")
        else:
            stack.preview(refresh=True, on_event=collect, on_output=on_output, color="never",
                          policy_packs=list(policy_packs) or None)
    except auto.StackNotFoundError as err:
        raise DriftUnavailable(f'stack "{stack_name}" does not exist in the selected Pulumi backend: {_first_line(err)}') from err
    except auto.CommandError as err:
        raise DriftUnavailable(f"pulumi failed: {_first_line(err)}") from err
    changes = changes_from_events(events)
    assess(changes)
    label = "cloud (refresh --preview-only)" if mode == "state" else "cloud (preview --refresh)"
    return Plan(stack=stack_name, base=label, changes=changes)


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    for line in text.splitlines():
        if line.strip().startswith("stderr:"):
            return line.strip()[len("stderr:"):].strip() or text.splitlines()[0]
    return text.splitlines()[0] if text else type(err).__name__
