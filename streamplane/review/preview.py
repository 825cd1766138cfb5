"""`pulumi preview --json` (PreviewDigest): steps[] with op, urn, oldState/newState, diffReasons,
replaceReasons and detailedDiff entries `{"kind": "update|add|delete|...-replace", "inputDiff": bool}`.
The stack resource's own step is left out, as in every plan."""

from __future__ import annotations

from ..plan.model import Change
from ..synth.capture import STACK_TYPE, split_urn
from .states import OP_ACTIONS, ChangeSet, ReviewError


def _paths(step: dict) -> tuple[list[str], list[str]]:
    detailed = step.get("detailedDiff") or {}
    paths = list(detailed) or list(dict.fromkeys(step.get("diffReasons") or []))
    replace = list(dict.fromkeys(step.get("replaceReasons") or []))
    replace += [p for p, d in detailed.items() if str((d or {}).get("kind", "")).endswith("-replace") and p not in replace]
    return paths, replace


def stack_action(document: dict) -> str | None:
    """The Stack resource's action in the preview, which its changeSummary counts (None: no such step)."""
    for step in document.get("steps") or []:
        if isinstance(step, dict) and str(step.get("urn", "")).split("::")[2:3] == [STACK_TYPE]:
            return OP_ACTIONS.get(step.get("op", ""))
    return None


def changes_from_preview(document: dict) -> tuple[str | None, list[Change]]:
    if not isinstance(document, dict) or not isinstance(document.get("steps"), list):
        raise ReviewError('not a `pulumi preview --json` output: no "steps" list.')
    changes = ChangeSet()
    for step in document["steps"]:
        urn = step.get("urn") or (step.get("newState") or step.get("oldState") or {}).get("urn")
        if not urn:
            raise ReviewError("a preview step has no urn.")
        state = step.get("newState") or step.get("oldState") or {}
        type_ = state.get("type") or split_urn(urn)[2].rsplit("$", 1)[-1]
        if type_ == STACK_TYPE:  # plans never list the stack resource itself (as diff_graphs)
            continue
        paths, replace = _paths(step)
        changes.add(step.get("op", ""), urn, type_, step.get("oldState"), step.get("newState"), paths, replace)
    return changes.stack, changes.changes()
