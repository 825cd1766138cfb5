"""From two graphs to a plan: diff by URN, replace-or-update per provider, then hazards in context."""

from __future__ import annotations

from ..spec.model import PlatformSpec
from .context import PlanContext
from .diff import diff_graphs
from .model import Plan
from .replace import classify


def make_plan(stack: str, base_label: str, head: dict, base: dict | None,
              head_spec: PlatformSpec | None = None, base_spec: PlatformSpec | None = None) -> Plan:
    """The plan of `head` against `base` (None: an empty stack), with every risk attached."""
    from ..risks import assess

    changes = classify(diff_graphs(base, head))
    context = PlanContext.of(head, base, head_spec, base_spec)
    assess(changes, context)
    return Plan(stack=stack, base=base_label, changes=changes, context=context)
