"""One module per rule, each exposing POLICY; ALL is the pack's policy list, in report order."""

from __future__ import annotations

from importlib import import_module

from streamplane.domains import DOMAINS

NAMES = tuple(name for domain in DOMAINS for name in domain.policies)
"""Each domain's policies (streamplane/domains.py), in domain order: the report order."""

MODULES = tuple(import_module(f".{name}", __name__) for name in NAMES)
ALL = [module.POLICY for module in MODULES]
