"""The hazard catalogue: every risk code, its level and when it fires. One place, so docs and rules agree."""

from __future__ import annotations

from dataclasses import dataclass

from ..plan.model import Risk, RiskLevel


@dataclass(frozen=True)
class Hazard:
    code: str
    level: RiskLevel
    when: str

    def risk(self, message: str) -> Risk:
        return Risk(self.level, self.code, message)


CATALOGUE: dict[str, Hazard] = {h.code: h for h in (
    Hazard("protected.delete", "block", "a resource with `protect` would be deleted or replaced (the engine refuses it at apply)"),
    Hazard("store.delete", "block", "a checkpoint store or its bucket would be deleted or replaced"),
)}


def hazard(code: str) -> Hazard:
    return CATALOGUE[code]
