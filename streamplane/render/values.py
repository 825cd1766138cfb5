"""Property values as a reviewer reads them: short, one line, secrets never shown; long strings as
line diffs and JSON strings (IAM, bucket and key policies) as JSON."""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from ..iam_diff import compare, grant_lines
from ..plan import paths as P
from ..plan.masking import MASK, is_secret_path, mask
from ..plan.model import Change
from ..plan.unknowns import KNOWN_AFTER_APPLY, describe, is_unknown

VALUE_CHARS = 160
DIFF_CONTEXT_LINES = 1
BARE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

__all__ = ["KNOWN_AFTER_APPLY", "MASK", "inputs_lines", "is_secret_path", "line_diff", "mask",
           "property_diffs", "show", "value_diff"]


def readable(value: Any) -> Any:
    """`value` with every unknown inside it (alone or within a longer string, such as a policy
    document) written as `(known after apply...)` (plan.unknowns.describe)."""
    if isinstance(value, dict):
        return {k: readable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [readable(v) for v in value]
    return describe(value) if is_unknown(value) else value


def _bare_unknown(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("<computed") and value.endswith(">") and value.count("<computed") == 1


def show(value: Any, path: str = "", limit: int = VALUE_CHARS) -> str:
    """One-line rendering of a (masked) value; absent values read as `(none)`, unknowns as
    `(known after apply)` (naming the producer's output when known)."""
    if value is P.MISSING:
        return "(none)"
    value = mask(value, path)
    if isinstance(value, str) and (value == MASK or _bare_unknown(value)):
        return readable(value)
    text = json.dumps(readable(value), sort_keys=True, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_text(value: Any) -> str | None:
    """A string holding a JSON object or array, pretty-printed with sorted keys; None otherwise."""
    if not isinstance(value, str) or not value.lstrip().startswith(("{", "[")):
        return None
    try:
        parsed = json.loads(readable(value))
    except ValueError:
        return None
    return json.dumps(parsed, indent=2, sort_keys=True, ensure_ascii=False)


def _container_text(value: Any) -> str | None:
    """A map or list too long for one line, pretty-printed (unknowns readable) to be diffed by line."""
    if not isinstance(value, (dict, list)) or len(show(value)) < VALUE_CHARS:
        return None
    return json.dumps(readable(value), indent=2, sort_keys=True, ensure_ascii=False)


def _multi_line(value: Any) -> str | None:
    """The text of a value worth diffing by line: a JSON string (pretty-printed) or a string with newlines."""
    as_json = _json_text(value)
    if as_json is not None:
        return as_json
    if isinstance(value, str) and "\n" in value:
        return readable(value)
    return _container_text(value)


def line_diff(before: str, after: str) -> list[str]:
    """The changed lines of two texts as a unified diff (`-`/`+`, one line of context, `@@` hunks)."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=DIFF_CONTEXT_LINES))
    return lines[2:]  # drop the ---/+++ file header: the property path names what is diffed


def value_diff(before: Any, after: Any, path: str) -> list[str] | None:
    """IAM documents as statements removed/added with a verdict; other multi-line or JSON strings as a
    unified line diff (secrets never); None for values one line shows."""
    if is_secret_path(path) or mask(before, path) == MASK or mask(after, path) == MASK:
        return None
    grants = compare(readable(before), readable(after))
    if grants is not None:
        return grant_lines(grants)
    old, new = _multi_line(before), _multi_line(after)
    if old is None and new is None:
        return None
    if old is None:
        old = "" if before is P.MISSING or before is None else str(before)
    if new is None:
        new = "" if after is P.MISSING or after is None else str(after)
    return line_diff(old, new)


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


def inputs_lines(inputs: dict, path: str = "", indent: str = "    ") -> list[str]:
    """Every input of a create or delete, one `key = value` line per leaf, nested maps and lists
    indented as `terraform plan` prints them; secrets masked, multi-line strings as blocks."""
    lines: list[str] = []
    for key in sorted(inputs, key=str):
        value = inputs[key]
        here = P.join(path, key)
        label = str(key) if BARE_KEY.fullmatch(str(key)) else json.dumps(str(key), ensure_ascii=False)
        lines += _entry_lines(label, value, here, indent)
    return lines


def _entry_lines(key: str, value: Any, path: str, indent: str) -> list[str]:
    if isinstance(value, dict) and value and mask(value, path) != MASK:
        return [f"{indent}{key} = {{", *inputs_lines(value, path, indent + "    "), f"{indent}}}"]
    if isinstance(value, list) and value and any(isinstance(v, (dict, list)) for v in value):
        lines = [f"{indent}{key} = ["]
        for i, item in enumerate(value):
            item_path = P.join(path, i)
            if isinstance(item, dict):
                lines += [f"{indent}    {{", *inputs_lines(item, item_path, indent + "        "), f"{indent}    }},"]
            else:
                lines.append(f"{indent}    {show(item, item_path, limit=10**6)},")
        return [*lines, f"{indent}]"]
    block = None if mask(value, path) == MASK or not isinstance(value, str) else _multi_line(value)
    if block is not None:
        return [f"{indent}{key} = <<-EOT", *(f"{indent}    {line}" for line in block.splitlines()), f"{indent}EOT"]
    return [f"{indent}{key} = {show(value, path, limit=10**6)}"]
