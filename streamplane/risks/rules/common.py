"""Helpers the domain rules share: how to name a resource in the user's terms."""

from __future__ import annotations

from ...plan.model import Change

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
