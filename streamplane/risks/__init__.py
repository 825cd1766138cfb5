"""Domain hazards of planned changes (codes and levels in catalogue.py, rules per domain in rules/)."""

from __future__ import annotations

from ..plan.context import PlanContext
from ..plan.model import Change
from .catalogue import CATALOGUE, Hazard, hazard
from .rules import RULES


def assess(changes: list[Change], context: PlanContext | None = None) -> None:
    """Attach every applicable risk to each change. Without a context, one is made from the changes
    themselves (owners from parent chains, no spec facts)."""
    ctx = context or PlanContext.from_changes(changes)
    ctx.attach_subjects(changes)
    for change in changes:
        if change.action == "same":
            continue
        for rule in RULES:
            for risk in rule(change, ctx):
                if risk not in change.risks:
                    change.risks.append(risk)


__all__ = ["CATALOGUE", "Hazard", "assess", "hazard"]
