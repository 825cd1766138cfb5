"""The plan model (design contract): what would change, how, and what it risks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

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

    def to_json(self) -> dict:
        return {"level": self.level, "code": self.code, "message": self.message}


@dataclass
class Change:
    """One resource's planned action. `before`/`after` are the resource entries of the two graphs."""

    urn: str
    type: str
    action: Action
    paths: list[str] = field(default_factory=list)
    before: dict | None = None
    after: dict | None = None
    risks: list[Risk] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    def to_json(self) -> dict:
        return {"urn": self.urn, "type": self.type, "action": self.action, "paths": self.paths,
                "risks": [r.to_json() for r in self.risks]}


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

    def summary(self) -> dict[str, int]:
        counts = {action: 0 for action in ACTIONS}
        for change in self.changes:
            counts[change.action] += 1
        return counts

    def pending(self) -> list[Change]:
        """Changes that do something (everything but `same`)."""
        return [c for c in self.changes if c.action != "same"]

    def risks(self, level: RiskLevel) -> list[tuple[Change, Risk]]:
        return [(c, r) for c in self.changes for r in c.risks if r.level == level]

    @property
    def blocked(self) -> bool:
        """A `block` risk or a mandatory policy violation: apply must not proceed (exit code 3)."""
        return bool(self.risks("block")) or any(p.enforcement == "mandatory" for p in self.policies)

    def to_json(self) -> dict:
        return {
            "stack": self.stack,
            "base": self.base,
            "summary": self.summary(),
            "changes": [c.to_json() for c in self.pending()],
            "policies": [p.to_json() for p in self.policies],
        }
