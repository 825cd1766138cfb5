"""The check phase: every problem a user can cause, found before any component is built.

`check_platform(spec, settings)` is pure (no Pulumi runtime): it looks at the whole platform and the
stack settings at once and returns located problems (file:line:col, JSON pointer, message ending in a
fix). `validate`, `synth`, `plan` and the Pulumi program run it and stop on errors, so components can
assume valid input. Totals (tenant quotas) are computed over the whole platform, independent of order.

Each domain declares its own (streamplane/<domain>/checks*, `Domain.checks`):
kafka.checks.msk          -- MSK client subnets vs brokers, security groups, cluster name length
kafka.checks.admin        -- each cluster's admin connection: the SCRAM password or the mutual-TLS files
kafka.checks.connectivity -- every Kafka client edge: principal, credential, ACLs, listener
flink.checks              -- the tenant ResourceQuota of every owner (user jobs and route jobs together), OIDC, operator mode
druid.checks              -- the EKS OIDC provider Druid's IRSA roles need

Before them, `load_layers` / `load_stack` (objects.py) run the spec phase and each kind's own checks.
"""

from __future__ import annotations

from importlib import import_module

from ..domains import DOMAINS
from ..errors import Problem, SpecError, errors_only
from ..settings import StackSettings
from ..spec.model import PlatformSpec
from .objects import OBJECT_CHECKS, load_layers, load_stack, object_problems

CHECKS = tuple(import_module(domain.module(module)).check for domain in DOMAINS for module in domain.checks)
"""Every domain's checks (streamplane/domains.py); their findings are sorted, so order is free."""


def check_platform(spec: PlatformSpec, settings: StackSettings) -> list[Problem]:
    """Every problem of `spec` under `settings`, sorted by file and line."""
    found = [problem for check in CHECKS for problem in check(spec, settings)]
    return sorted(found, key=Problem.sort_key)


def require_valid(spec: PlatformSpec, settings: StackSettings) -> list[Problem]:
    """Raise SpecError with every error; return the warnings."""
    problems = check_platform(spec, settings)
    errors = errors_only(problems)
    if errors:
        raise SpecError(errors)
    return [p for p in problems if p.level != "error"]


__all__ = ["OBJECT_CHECKS", "check_platform", "load_layers", "load_stack", "object_problems", "require_valid"]
