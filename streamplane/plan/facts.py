"""The plan-context facts of every domain (streamplane/<domain>/facts.py, named by `Domain.facts`): what a
hazard rule may ask about the platform beyond the changed resource. Each is `fact(ctx, ...)`, a pure
lookup over the PlanContext's graphs and specs; the rules import their own domain's (or, across
domains, another's) directly. This registry is the one list of them (tests/test_domains.py)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from ..domains import DOMAINS

FACTS: dict[str, Callable[..., object]] = {f"{domain.name}.{fact.__name__}": fact for domain in DOMAINS if domain.facts
                                           for fact in import_module(domain.module(domain.facts)).FACTS}
"""`<domain>.<fact>` -> the lookup."""
