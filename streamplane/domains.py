"""The domains of the platform. Each domain is one package, streamplane/<domain>/, whose domain.py
declares, in one place, its spec kinds (module, schema, own check, promotable fields, diagram shape), its
platform-wide checks, its component builder and the domains that builder reuses, its hazards (risk rule
modules and the kinds their codes fire on), its replace rules, its plan-context facts and its CrossGuard
policies (docs/ARCHITECTURE.md). This module collects them into DOMAINS.

Every registry iterates DOMAINS instead of keeping its own list: spec KINDS, the object checks and the
check phase's CHECKS, the Platform's construction order, risk RULES and the kinds each risk code applies
to, REPLACE_RULES, FACTS, the policy pack's NAMES, PROMOTABLE and the diagram's SHAPES.
tests/test_domains.py walks them and fails on an entry no domain declares.

Stdlib only and names only (module names, type tokens, JSON pointers): each registry resolves the
names inside its own layer, so this module and every domain.py sit below every layer, the policy pack
included. DOMAINS is in construction order, which is also the report order of the policies and, with the
cross-cutting `platform` domain split around it, the order risks are assessed in.
"""

from __future__ import annotations

from collections.abc import Iterator

from .checkpoint.domain import CHECKPOINT
from .druid.domain import DRUID
from .flink.domain import FLINK
from .kafka.domain import KAFKA
from .manifest import Domain, Kind
from .platform.domain import PLATFORM, PROTECTION_RULES
from .routing.domain import ROUTING

DOMAINS: tuple[Domain, ...] = (CHECKPOINT, KAFKA, FLINK, DRUID, ROUTING, PLATFORM)

__all__ = ["DOMAINS", "Domain", "Kind", "construction_order", "domain_of", "kind_check", "kind_module", "kind_names",
           "kinds", "risk_rule_modules"]


def kinds() -> Iterator[Kind]:
    for domain in DOMAINS:
        yield from domain.kinds


def kind_names() -> tuple[str, ...]:
    return tuple(kind.name for kind in kinds())


def domain_of(kind: str) -> Domain:
    """The one domain declaring spec kind `kind` (KeyError if none)."""
    for domain in DOMAINS:
        if any(k.name == kind for k in domain.kinds):
            return domain
    raise KeyError(kind)


def construction_order() -> tuple[Domain, ...]:
    """Domains with a builder, each after the domains it builds after; ties keep DOMAINS order."""
    by_name = {d.name: d for d in DOMAINS}
    done: list[Domain] = []

    def visit(domain: Domain, path: tuple[str, ...]) -> None:
        if domain in done:
            return
        if domain.name in path:
            raise ValueError(f"domains build after each other in a cycle: {' -> '.join((*path, domain.name))}")
        for name in domain.builds_after:
            visit(by_name[name], (*path, domain.name))
        done.append(domain)

    for domain in DOMAINS:
        visit(domain, ())
    return tuple(d for d in done if d.builder)


def risk_rule_modules() -> tuple[str, ...]:
    """Risk rule modules (absolute names) in assessment order: protection first, then each domain's."""
    return (*(PLATFORM.module(m) for m in PROTECTION_RULES), *(d.module(m) for d in DOMAINS for m in d.risk_rules))


def kind_module(kind: Kind) -> str:
    """The absolute name of the module holding `kind`'s KIND_DEF."""
    return domain_of(kind.name).module(kind.module)


def kind_check(kind: Kind) -> tuple[str, str] | None:
    """(absolute module, function) of `kind`'s own check, or None."""
    if kind.check is None:
        return None
    module, _, function = kind.check.partition(":")
    return domain_of(kind.name).module(module), function
