"""Rules that hold for any resource."""

from __future__ import annotations

from collections.abc import Iterator

from ...plan.context import PlanContext
from ...plan.model import Change, Risk
from ..catalogue import hazard
from .common import DESTRUCTIVE, who


def protected_delete(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.action in DESTRUCTIVE and change.before and change.before.get("protect"):
        reason = f" (because {', '.join(change.replace_paths)} changed)" if change.replace_paths else ""
        yield hazard("protected.delete").risk(
            f"{change.type} {change.name} of {who(change)} is protected and would be {change.action}d{reason}: "
            "the engine will refuse and the apply fails. Unprotect it deliberately first, or undo the change.")


RULES = (protected_delete,)
