"""Rules that hold for any resource."""

from __future__ import annotations

from collections.abc import Iterator

from ...plan.context import PlanContext
from ...plan.model import Change, Risk
from ...risks.catalogue import hazard
from ...risks.common import DESTRUCTIVE, who


def protected_delete(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    """As the engine decides (pulumi/pulumi pkg/resource/deploy/step.go, step_generator.go): a delete
    of a resource protected in the state is refused; a replace only when the state and the program
    both protect it, so unprotecting in the same update lets a replace through."""
    if change.action not in DESTRUCTIVE or not change.before or not change.before.get("protect"):
        return
    if change.action == "replace" and change.after is not None and not change.after.get("protect"):
        return
    reason = f" (because {', '.join(change.replace_paths)} changed)" if change.replace_paths else ""
    yield hazard("protected.delete").risk(
        f"{change.type} {change.name} of {who(change)} is protected and would be {change.action}d{reason}: "
        "the engine will refuse and the apply fails. Unprotect it deliberately first, or undo the change.")


RULES = (protected_delete,)
