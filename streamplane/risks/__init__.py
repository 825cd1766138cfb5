"""Domain hazards of planned changes (codes and levels in catalogue.py, rules per domain in rules/)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime

from ..plan.context import PlanContext
from ..plan.model import Change, Risk
from ..spec.model import Acknowledgement
from .catalogue import CATALOGUE, ENVIRONMENTS, Hazard, hazard
from .rules import RULES, SPEC_RULES


def today() -> date:
    """Today's date (UTC), against which acknowledgements expire; tests monkeypatch it."""
    return datetime.now(UTC).date()


def leveled(risk: Risk, environment: str | None, acknowledgements: Iterable[Acknowledgement] = ()) -> Risk:
    """A rule's risk at its catalogue level for `environment`: the one place a risk's final level (and,
    for acknowledgements, whether it is reported) is decided.

    An unexpired acknowledgement of the risk's code on its object keeps the risk, level and message
    unchanged, and marks it `acknowledged` (an acknowledged block no longer blocks the plan).
    """
    known = CATALOGUE.get(risk.code)
    final = Risk(known.level(environment), risk.code, risk.message) if known else risk
    now = today()
    for ack in acknowledgements:
        if ack.risk == risk.code and ack.active(now):
            return replace(final, acknowledged=str(ack))
    return final


def acknowledgements(change: Change, ctx: PlanContext) -> tuple[Acknowledgement, ...]:
    """The acknowledgements declared on the spec object the change belongs to (head side; base for deletes)."""
    subject = change.subject
    if subject is None:
        return ()
    declared = ctx.spec_object(subject.kind, subject.name, "base" if change.action == "delete" else "head")
    return tuple(getattr(declared.spec, "acknowledge", ()) or ()) if declared is not None else ()


def assess(changes: list[Change], context: PlanContext | None = None) -> None:
    """Attach every applicable risk to each change. Without a context, one is made from the changes
    themselves (owners from parent chains, no spec facts)."""
    ctx = context or PlanContext.from_changes(changes)
    ctx.attach_subjects(changes)
    environment = ctx.environment()
    for change in changes:
        accepted = acknowledgements(change, ctx)
        for rule in SPEC_RULES if change.action == "same" else RULES:
            for found in rule(change, ctx):
                risk = leveled(found, environment, accepted)
                if risk not in change.risks:
                    change.risks.append(risk)


__all__ = ["CATALOGUE", "ENVIRONMENTS", "Hazard", "assess", "hazard", "leveled", "today"]
