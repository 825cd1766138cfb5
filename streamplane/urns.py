"""The shape of a Pulumi URN, `urn:pulumi:STACK::PROJECT::TYPE::NAME` (pulumi/pulumi
sdk/go/common/resource/urn.go), checked once here for every engine file the tool reads: previews
and event logs (review/shape.py) and state exports (baselines/export_shape.py)."""

from __future__ import annotations

import re

URN = re.compile(r"urn:pulumi:[^:\x00-\x1f]+::[^:\x00-\x1f]+::[^\x00-\x1f]+::[^\x00-\x1f]*")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def urn_problem(value: object) -> str | None:
    """None for a URN of the engine's shape, else the message saying what was found."""
    if isinstance(value, str) and URN.fullmatch(value):
        return None
    return f"not a Pulumi URN: {_show(value)} (expected urn:pulumi:STACK::PROJECT::TYPE::NAME)."
