"""Hazard rules, collected from the domains (streamplane/<domain>/risks*). A rule is
`rule(change, context) -> Iterator[Risk]`: it reads the change's action, paths and before/after inputs,
the PlanContext and its domain's facts for what only the platform knows (owners, schemas,
statefulness, tiers)."""

from __future__ import annotations

from importlib import import_module

from ..domains import risk_rule_modules
from ..platform.risks import schema

RULES = tuple(rule for module in risk_rule_modules() for rule in import_module(module).RULES)
"""Every domain's rules (streamplane/domains.py), protection first, in domain order."""
SPEC_RULES = schema.SPEC_RULES
"""Rules that also judge unchanged resources (a spec-only change, e.g. a stream's schema)."""

__all__ = ["RULES", "SPEC_RULES"]
