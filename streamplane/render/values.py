"""Property values as a reviewer reads them: short, one line, secrets never shown."""

from __future__ import annotations

import json
import re

from ..plan import paths as P
from ..plan.model import Change
from ..synth.wire import SECRET

MASK = "••••••"
VALUE_CHARS = 160
SECRET_NAME = re.compile(r"(password|passwd|secret|token|credential|private[_-]?key|sasl|apikey|api_key)", re.I)


def is_secret_path(path: str) -> bool:
    return bool(SECRET_NAME.search(path))


def mask(value, path: str = ""):
    """`value` with every secret replaced: "<secret>" markers, and anything under a secret-looking key."""
    if value == SECRET or (path and is_secret_path(path) and value is not P.MISSING and value is not None):
        return MASK
    if isinstance(value, dict):
        return {k: mask(v, P.join(path, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, P.join(path, i)) for i, v in enumerate(value)]
    return value


def show(value, path: str = "", limit: int = VALUE_CHARS) -> str:
    """One-line rendering of a (masked) value; absent values read as `(none)`."""
    if value is P.MISSING:
        return "(none)"
    value = mask(value, path)
    text = value if isinstance(value, str) and value == MASK else json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def property_diffs(change: Change) -> list[tuple[str, str, str]]:
    """(path, before, after) per changed input path, masked and shortened."""
    before, after = change.inputs("before"), change.inputs("after")
    rows = []
    for path in change.paths:
        if path.startswith("<"):
            option = path.strip("<>")
            rows.append((path, show((change.before or {}).get(option)), show((change.after or {}).get(option))))
            continue
        rows.append((path, show(P.get(before, path), path), show(P.get(after, path), path)))
    return rows
