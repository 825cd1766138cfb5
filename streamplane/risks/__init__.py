"""Domain hazards of planned changes (codes and levels in catalogue.py, rules per domain in rules/)."""

from __future__ import annotations

from ..plan.context import PlanContext
from ..plan.model import Change, Risk
from .catalogue import CATALOGUE, ENVIRONMENTS, Hazard, hazard
from .rules import RULES, SPEC_RULES


def leveled(risk: Risk, environment: str | None) -> Risk:
    """A rule's risk at its catalogue level for `environment`: the one place a risk's final level (and,
    for acknowledgements, whether it is reported) is decided."""
    known = CATALOGUE.get(risk.code)
    return Risk(known.level(environment), risk.code, risk.message) if known else risk


def assess(changes: list[Change], context: PlanContext | None = None) -> None:
    """Attach every applicable risk to each change. Without a context, one is made from the changes
    themselves (owners from parent chains, no spec facts)."""
    ctx = context or PlanContext.from_changes(changes)
    ctx.attach_subjects(changes)
    environment = ctx.environment()
    for change in changes:
        for rule in SPEC_RULES if change.action == "same" else RULES:
            for found in rule(change, ctx):
                risk = leveled(found, environment)
                if risk not in change.risks:
                    change.risks.append(risk)


__all__ = ["CATALOGUE", "ENVIRONMENTS", "Hazard", "assess", "hazard", "leveled"]
