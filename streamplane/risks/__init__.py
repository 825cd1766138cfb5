"""Domain hazards of planned changes (codes and levels in catalogue.py)."""

from __future__ import annotations

from ..plan.model import Change
from .catalogue import CATALOGUE, Hazard, hazard
from .rules import RULES


def assess(changes: list[Change]) -> None:
    """Attach every applicable risk to each change, in catalogue order of the rules."""
    for change in changes:
        if change.action == "same":
            continue
        for rule in RULES:
            change.risks.extend(rule(change))


__all__ = ["CATALOGUE", "Hazard", "assess", "hazard"]
