"""Secrets in plan values: the one rule for what a reviewer or a machine reader may never see."""

from __future__ import annotations

import re
from typing import Any

from ..synth.wire import SECRET
from . import paths as P

MASK = "••••••"
SECRET_NAME = re.compile(r"(password|passwd|secret|token|credential|private[_-]?key|sasl|apikey|api_key)", re.I)


def is_secret_path(path: str) -> bool:
    return bool(SECRET_NAME.search(path))


def mask(value: Any, path: str = "") -> Any:
    """`value` with every secret replaced: "<secret>" markers, and anything under a secret-looking key."""
    if value == SECRET or (path and is_secret_path(path) and value is not P.MISSING and value is not None):
        return MASK
    if isinstance(value, dict):
        return {k: mask(v, P.join(path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, P.join(path, i)) for i, v in enumerate(value)]
    return value
