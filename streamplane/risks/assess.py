"""Judging a plan: each change's risks from every domain's rules, at its catalogue level for the environment,
with the acknowledgements declared on its spec object."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime

from ..domains import DOMAINS, kind_names
from ..errors import Problem, SpecError
from ..plan.context import PlanContext
from ..plan.model import Change, Risk
from ..spec.model import Acknowledgement, PlatformSpec
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


ALL_KINDS = frozenset(kind_names())
DOMAIN_KINDS: dict[str, frozenset[str]] = {prefix: frozenset(kinds) for domain in DOMAINS
                                           for prefix, kinds in domain.hazard_kinds}
"""A code's domain (its prefix) names the resources its rules look at; these are the spec kinds whose
components make those resources (a route's router is a FlinkDeployment with Kafka ACLs and an IAM role;
a job's role reads its store), declared with the domain (streamplane/domains.py). Other prefixes
(protect, protected, k8s, and any new one) fire on whatever resource they find, so every kind may
acknowledge them."""


def applies_to(code: str, kind: str) -> bool:
    """Whether risk `code` can fire on the resources of a spec object of `kind`."""
    return kind in DOMAIN_KINDS.get(code.split(".", 1)[0], ALL_KINDS)


def acknowledgement_problems(spec: PlatformSpec) -> list[Problem]:
    """Every `spec.acknowledge` entry naming a code the catalogue lacks or that never fires on that
    object's kind, located at the entry's `risk` (an acknowledgement that can match nothing would pass
    review looking like a safeguard)."""
    problems = []
    for obj in spec:
        for index, ack in enumerate(getattr(obj.spec, "acknowledge", ()) or ()):
            pointer = f"/spec/acknowledge/{index}/risk"
            allowed = sorted(code for code in CATALOGUE if applies_to(code, obj.kind))
            if ack.risk not in CATALOGUE:
                close = difflib.get_close_matches(ack.risk, allowed, n=1)
                hint = f'Did you mean "{close[0]}"?' if close else f"A {obj.kind} can acknowledge: {', '.join(allowed)}."
                message = f'unknown risk code "{ack.risk}" (see the catalogue in docs/review.md). {hint}'
            elif not applies_to(ack.risk, obj.kind):
                message = (f'risk "{ack.risk}" never fires on a {obj.kind}, so acknowledging it here accepts nothing. '
                           f"Move it to the object the plan reports it on; a {obj.kind} can acknowledge: {', '.join(allowed)}.")
            else:
                continue
            problems.append(Problem(obj.source.locate(pointer), pointer, message))
    return sorted(problems, key=Problem.sort_key)


def require_known_acknowledgements(spec: PlatformSpec) -> None:
    """Raise SpecError listing every acknowledgement problem of `spec`."""
    problems = acknowledgement_problems(spec)
    if problems:
        raise SpecError(problems)


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
        _consistent(change)


SUBSUMED = {"flink.restart": ("flink.state-dropped", "flink.state-replaced")}
"""A warning that the stated loss makes moot: "the job restarts and restores" next to "the state is lost"."""


def _consistent(change: Change) -> None:
    """No line about a change contradicts its worst risk: a warning a block/danger subsumes is dropped,
    and each note (the operator's mechanics, e.g. "restores from the savepoint") points at the
    block/danger that overrides it."""
    severe = [r.code for r in change.risks if r.level in ("block", "danger")]
    if not severe:
        return
    change.risks[:] = [r for r in change.risks if not set(SUBSUMED.get(r.code, ())) & set(severe)]
    suffix = f" (but see {', '.join(dict.fromkeys(severe))} above)"
    change.notes[:] = [n if n.endswith(suffix) else n + suffix for n in change.notes]


__all__ = ["CATALOGUE", "ENVIRONMENTS", "Hazard", "acknowledgement_problems", "applies_to", "assess", "hazard", "leveled",
           "require_known_acknowledgements", "today"]
