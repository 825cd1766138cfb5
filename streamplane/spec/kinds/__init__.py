"""Every spec kind the platform understands, keyed by `kind`: the kinds the domains declare
(streamplane/domains.py), each read from its module here. Add a kind there, here and in schemas/."""

from __future__ import annotations

from importlib import import_module

from ...domains import kinds
from ..model import KindDef

KINDS: dict[str, KindDef] = {kind.name: import_module(f"{__name__}.{kind.module}").KIND_DEF for kind in kinds()}
