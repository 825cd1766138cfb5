"""Shared pieces of the preview and event-log readers: engine ops -> plan actions, states -> resources."""

from __future__ import annotations

from ..baselines.state import clean_inputs
from ..drift.events import OP_ACTIONS as ENGINE_OP_ACTIONS
from ..drift.events import REFRESH_OP, STRENGTH
from ..plan.model import Change
from ..synth.capture import provider_urn

DISPLAYED_SECRET = "[secret]"
"""How `pulumi preview --json` prints a secret without --show-secrets."""

# The engine's op table (drift.events); a preview made with --refresh also lists refresh steps,
# which a preview's reader treats as looking only.
OP_ACTIONS = {**ENGINE_OP_ACTIONS, REFRESH_OP: "same"}


class ReviewError(Exception):
    """The file is not a preview or event log this tool can read: a user error, exit 1."""


def _mask_displayed(value):
    if isinstance(value, dict):
        return {k: _mask_displayed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_displayed(v) for v in value]
    return "<secret>" if value == DISPLAYED_SECRET else value


def resource(state: dict | None, urn: str) -> dict | None:
    """A preview/event state as a graph resource (inputs cleaned and masked)."""
    if not state:
        return None
    return {
        "urn": state.get("urn") or urn,
        "type": state.get("type", ""),
        "name": urn.rsplit("::", 1)[-1],
        "parent": state.get("parent") or None,
        "custom": bool(state.get("custom")),
        "provider": provider_urn(state.get("provider") or "") or None,
        # Both sides come from the engine here, so provider-filled defaults are compared too.
        "inputs": _mask_displayed(clean_inputs(state.get("inputs") or {}, drop_defaults=False)),
        "dependencies": sorted(state.get("dependencies") or []),
        "protect": bool(state.get("protect")),
        "retainOnDelete": bool(state.get("retainOnDelete")),
        "deleteBeforeReplace": bool(state.get("deleteBeforeReplace")),
    }


class ChangeSet:
    """Merges the steps of one URN (a replace arrives as create-replacement, replace, delete-replaced)."""

    def __init__(self) -> None:
        self.by_urn: dict[str, Change] = {}
        self.stack: str | None = None

    def add(self, op: str, urn: str, type_: str, old: dict | None, new: dict | None,
            paths: list[str], replace_paths: list[str]) -> None:
        if op not in OP_ACTIONS:
            raise ReviewError(f"unknown engine operation {op!r} for {urn}.")
        if self.stack is None and urn.startswith("urn:pulumi:"):
            self.stack = urn.split("::", 1)[0].removeprefix("urn:pulumi:")
        action = OP_ACTIONS[op]
        change = self.by_urn.get(urn)
        if change is None:
            change = self.by_urn[urn] = Change(urn, type_, action)
        elif STRENGTH[action] > STRENGTH[change.action]:
            change.action = action
        change.before = change.before or resource(old, urn)
        change.after = change.after or resource(new, urn)
        for path in paths:
            if path not in change.paths:
                change.paths.append(path)
        for path in replace_paths:
            if path not in change.replace_paths:
                change.replace_paths.append(path)

    def changes(self) -> list[Change]:
        for change in self.by_urn.values():
            if change.action in ("create", "delete", "same"):
                change.replace_paths = []
            if change.action == "delete":
                change.after = None
            if change.action == "create":
                change.before = None
        return sorted(self.by_urn.values(), key=lambda c: c.urn)
