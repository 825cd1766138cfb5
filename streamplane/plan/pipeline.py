"""From two graphs to a plan: diff by URN, replace-or-update per provider, then hazards in context.

Above both the plan model and risks (which reads the plan model), so the plan package itself does not
re-export it: importing risks must not pull this module in.
"""

from __future__ import annotations

from ..risks.assess import assess
from ..spec.model import PlatformSpec
from .context import PlanContext
from .diff import diff_graphs
from .model import Plan
from .replace import classify


def make_plan(stack: str, base_label: str, head: dict, base: dict | None,
              head_spec: PlatformSpec | None = None, base_spec: PlatformSpec | None = None) -> Plan:
    """The plan of `head` against `base` (None: an empty stack), with every risk attached."""
    changes = classify(diff_graphs(base, head))
    context = PlanContext.of(head, base, head_spec, base_spec)
    assess(changes, context)
    return Plan(stack=stack, base=base_label, changes=changes, context=context)
