"""Helpers the domain rules share: how to name a resource in the user's terms."""

from __future__ import annotations

from ..flink.rules import CHECKPOINT_DIR_KEYS, STATEFUL_UPGRADE_MODES
from ..plan.context import flatten_config
from ..plan.model import Change
from ..platform.rules import types

DESTRUCTIVE = ("delete", "replace")


def who(change: Change, fallback_kind: str = "") -> str:
    """`stream "playback-events" (owner playback)`, or the resource's own name when no spec object owns it."""
    if change.subject and change.subject.kind != "Resource":
        return str(change.subject)
    owner = f" (owner {change.subject.owner})" if change.subject and change.subject.owner else ""
    kind = fallback_kind or change.type.rsplit(":", 1)[-1]
    return f'{kind} "{change.name}"{owner}'


def gone(change: Change) -> str:
    """What a destructive action does, in words (replace order honours deleteBeforeReplace)."""
    if change.action == "delete":
        return "deleted"
    return "deleted, then recreated" if change.delete_first else "recreated (new one created, then the old one deleted)"


STATEFUL_MARKER = "streamplane.io/stateful"
"""A label (Kubernetes) or tag (AWS) a component may set on a resource that holds data or state."""


def held_state_in_baseline(change: Change) -> bool:
    """What a resource held in the deployed baseline graph, whatever the head (or an earlier PR) now
    calls it: the stateful marker, or for a FlinkDeployment an upgradeMode that carries state
    (savepoint, last-state) or a checkpoint directory. Judges deletion by the data, not the label."""
    before = change.inputs("before")
    labels = (before.get("metadata") or {}).get("labels") or {}
    tags = before.get("tags") or {}
    if str(labels.get(STATEFUL_MARKER, tags.get(STATEFUL_MARKER, ""))).lower() == "true":
        return True
    spec = before.get("spec") or {}
    if change.type != types.FLINK_DEPLOYMENT:
        return False
    if (spec.get("job") or {}).get("upgradeMode") in STATEFUL_UPGRADE_MODES:
        return True
    config = flatten_config(spec.get("flinkConfiguration"))
    return any(config.get(key) for key in CHECKPOINT_DIR_KEYS)
