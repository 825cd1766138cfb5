"""The shape of a Pulumi URN, `urn:pulumi:STACK::PROJECT::TYPE::NAME`, checked once here for every
engine file the tool reads: previews and event logs (review/shape.py) and state exports
(baselines/export_shape.py).

The engine's own test (pulumi/pulumi @ 1b5949891b sdk/go/common/resource/urn/urn.go `IsValid`) is
only the `urn:pulumi:` prefix and at least three `::` delimiters; `New` there builds the type part
as `parentType$baseType` and puts the name last, so the name may itself hold `::`. This check is
stricter on purpose: stack and project non-empty without `:`, a non-empty type, and no control
characters anywhere (such a URN can only come from a damaged or hand-made file)."""

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
