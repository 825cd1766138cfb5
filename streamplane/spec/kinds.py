"""Every spec kind the platform understands, keyed by `kind`: the kinds the domains declare
(streamplane/domains.py), each read from its domain package (streamplane/<domain>/kinds*)."""

from __future__ import annotations

from importlib import import_module

from ..domains import kind_module, kinds
from .model import KindDef

KINDS: dict[str, KindDef] = {kind.name: import_module(kind_module(kind)).KIND_DEF for kind in kinds()}
