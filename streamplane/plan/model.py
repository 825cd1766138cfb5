"""The plan model (design contract): what would change, how, and what it risks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the context module builds on this one; only its type is needed here
    from .context import PlanContext

from .masking import mask

Action = Literal["create", "update", "replace", "delete", "same"]
RiskLevel = Literal["block", "danger", "warn"]
ACTIONS: tuple[Action, ...] = ("create", "update", "replace", "delete", "same")
RISK_LEVELS: tuple[RiskLevel, ...] = ("block", "danger", "warn")


@dataclass(frozen=True)
class Risk:
    """A hazard of one change: a stable code from the catalogue, its level, and what will happen."""

    level: RiskLevel
    code: str
    message: str
    acknowledged: str | None = None
    """"acknowledged by <by>: <reason> (until <expires>)" when the spec accepts this risk; None otherwise."""

    def to_json(self) -> dict:
        out = {"level": self.level, "code": self.code, "message": self.message}
        if self.acknowledged:
            out["acknowledged"] = self.acknowledged
        return out


@dataclass(frozen=True)
class Subject:
    """The spec object a resource belongs to (found from its parent chain), in the user's terms."""

    kind: str
    name: str
    owner: str | None = None

    def __str__(self) -> str:
        owner = f" (owner {self.owner})" if self.owner else ""
        return f'{self.kind.lower()} "{self.name}"{owner}'

    def to_json(self) -> dict:
        return {"kind": self.kind, "name": self.name, "owner": self.owner}


@dataclass
class Change:
    """One resource's planned action. `before`/`after` are the resource entries of the two graphs.

    `replace_paths` are the changed paths that force the provider to recreate the resource;
    `notes` say what the change does beyond its action (e.g. how the Flink operator applies it).
    """

    urn: str
    type: str
    action: Action
    paths: list[str] = field(default_factory=list)
    before: dict | None = None
    after: dict | None = None
    risks: list[Risk] = field(default_factory=list)
    replace_paths: list[str] = field(default_factory=list)
    subject: Subject | None = None
    notes: list[str] = field(default_factory=list)
    provider_delete_first: bool = False
    """The provider itself replaces delete-first (a Kubernetes object that keeps its name and namespace)."""

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    @property
    def delete_first(self) -> bool:
        """A replace that deletes the old resource before creating the new one (deleteBeforeReplace, or
        the provider's own choice)."""
        return self.provider_delete_first or any(bool(side and side.get("deleteBeforeReplace")) for side in (self.before, self.after))

    def inputs(self, side: str) -> dict:
        """The inputs before or after the change ({} when that side does not exist)."""
        entry = self.before if side == "before" else self.after
        return (entry or {}).get("inputs") or {}

    def to_json(self) -> dict:
        """The design's contract keys, plus `inputs` (masked) on creates and deletes; subject, replace
        paths and notes appear in the text and markdown renderings only."""
        entry = {"urn": self.urn, "type": self.type, "action": self.action, "paths": self.paths,
                 "risks": [r.to_json() for r in self.risks]}
        if self.action in ("create", "delete"):
            # What is created or deleted, secrets masked: a create has no changed paths to read.
            entry["inputs"] = mask(self.inputs("after" if self.action == "create" else "before"))
        return entry


@dataclass(frozen=True)
class PolicyViolation:
    policy: str
    enforcement: Literal["mandatory", "advisory"]
    urn: str
    message: str

    def to_json(self) -> dict:
        return {"policy": self.policy, "enforcement": self.enforcement, "urn": self.urn, "message": self.message}


@dataclass
class Plan:
    """Every change of a stack against a baseline, plus the policy verdicts on the head."""

    stack: str
    base: str
    changes: list[Change]
    policies: list[PolicyViolation] = field(default_factory=list)
    context: PlanContext | None = field(default=None, repr=False, compare=False)
    """The PlanContext the risks were assessed in (specs, graphs), for renderers; not serialised."""
    engine_stack: str | None = None
    """The stack resource's own action in an engine run (`review`): Pulumi's change summary counts the
    Stack like any resource, so summary() does too; None for offline plans, which never list it."""
    head: str = ""
    """What was planned, as the user named it (the spec folders, e.g. "stacks/base + stacks/dev"); "" when unknown."""

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(ACTIONS, 0)
        for change in self.changes:
            counts[change.action] += 1
        if self.engine_stack in counts:
            counts[self.engine_stack] += 1
        return counts

    def pending(self) -> list[Change]:
        """Changes that do something (everything but `same`)."""
        return [c for c in self.changes if c.action != "same"]

    def reviewable(self) -> list[Change]:
        """Pending changes, and unchanged resources that a spec-only change puts at risk (a stream's
        schema leaves the graph as it is): what the JSON lists and --detailed-exitcode counts."""
        return [c for c in self.changes if c.action != "same" or c.risks]

    def risks(self, level: RiskLevel) -> list[tuple[Change, Risk]]:
        return [(c, r) for c in self.changes for r in c.risks if r.level == level]

    @property
    def blocked(self) -> bool:
        """An unacknowledged `block` risk or a mandatory policy violation: apply must not proceed (exit code 3)."""
        return any(not r.acknowledged for _, r in self.risks("block")) or any(p.enforcement == "mandatory" for p in self.policies)

    def to_json(self) -> dict:
        return {
            "stack": self.stack,
            "base": self.base,
            "summary": self.summary(),
            "changes": [c.to_json() for c in self.reviewable()],
            "policies": [p.to_json() for p in self.policies],
            **({"head": self.head} if self.head else {}),
        }
