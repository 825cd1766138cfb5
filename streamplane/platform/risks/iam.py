"""IAM grants: a changed policy document that lets someone do more than before."""

from __future__ import annotations

from collections.abc import Iterator

from ...iam_diff import compare
from ...plan import paths as P
from ...plan.context import PlanContext
from ...plan.model import Change, Risk
from ...risks.catalogue import hazard


def grant_widened(change: Change, ctx: PlanContext) -> Iterator[Risk]:
    if change.action not in ("update", "replace"):
        return
    before, after = change.inputs("before"), change.inputs("after")
    for path in change.paths:
        diff = compare(P.get(before, path), P.get(after, path))
        if diff is None or not diff.widened:
            continue
        where = f"{change.subject} " if change.subject else ""
        yield hazard("iam.grant-widened").risk(
            f'{where}{change.type} "{change.name}" {path}: the policy now allows more: ' + "; ".join(diff.widening)
            + ". Check the new access is intended and least-privilege.")


RULES = (grant_widened,)
