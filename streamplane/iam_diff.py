"""IAM policy documents compared as grants: which statements a change adds and removes, and whether
the new document allows anything the old one did not.

Semantics follow the IAM policy grammar (AWS IAM User Guide, "IAM JSON policy elements reference"):
`Action`/`Resource` are a string or a list, `*` and `?` are wildcards, a statement applies only when
all its `Condition` entries hold, and an explicit `Deny` overrides any `Allow`. The widening test is
conservative: an added Allow is harmless only when one old Allow already covers it (a superset of
actions and resources, the same principal, and no condition of the old one dropped), and removing or
relaxing a Deny widens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any


@dataclass(frozen=True)
class Statement:
    """One policy statement in a comparable form (lists as sorted tuples, condition as JSON text)."""

    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    principal: str
    condition: str
    not_actions: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()

    def describe(self) -> str:
        actions = ", ".join(self.actions) or ("not " + ", ".join(self.not_actions) if self.not_actions else "(none)")
        resources = ", ".join(self.resources) or ("not " + ", ".join(self.not_resources) if self.not_resources else "")
        text = f"{self.effect} {actions}"
        if resources:
            text += f" on {resources}"
        if self.principal:
            text += f" for {self.principal}"
        if self.condition:
            text += f" when {self.condition}"
        return text


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(sorted(str(v) for v in items))


def parse_document(value: Any) -> list[Statement] | None:
    """The statements of an IAM policy document (a dict or its JSON text); None when `value` is not one."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, dict) or "Statement" not in value:
        return None
    raw = value["Statement"]
    raw = raw if isinstance(raw, list) else [raw]
    statements = []
    for item in raw:
        if not isinstance(item, dict):
            return None
        principal = item.get("Principal")
        statements.append(Statement(
            effect=str(item.get("Effect", "Allow")),
            actions=_strings(item.get("Action")),
            resources=_strings(item.get("Resource")),
            principal=json.dumps(principal, sort_keys=True) if principal is not None else "",
            condition=json.dumps(item.get("Condition"), sort_keys=True) if item.get("Condition") else "",
            not_actions=_strings(item.get("NotAction")),
            not_resources=_strings(item.get("NotResource")),
        ))
    return statements


def _covered(patterns_new: tuple[str, ...], patterns_old: tuple[str, ...], case: bool) -> bool:
    """Every new pattern is matched by some old pattern (IAM actions are case-insensitive, ARNs are not)."""
    def norm(text: str) -> str:
        return text if case else text.lower()
    return all(any(fnmatchcase(norm(n), norm(o)) for o in patterns_old) for n in patterns_new)


def _conditions_kept(new: Statement, old: Statement) -> bool:
    """The new statement keeps every condition key of the old one with the same values."""
    if not old.condition:
        return True
    if not new.condition:
        return False
    old_c, new_c = json.loads(old.condition), json.loads(new.condition)
    return all(new_c.get(op, {}).get(key) == val for op, keys in old_c.items() for key, val in keys.items())


def _allow_covered(new: Statement, olds: list[Statement]) -> bool:
    if new.not_actions or new.not_resources:
        return any(o == new for o in olds)
    return any(o.effect == "Allow" and not o.not_actions and not o.not_resources and o.principal == new.principal
               and _covered(new.actions, o.actions, case=False) and _covered(new.resources, o.resources, case=True)
               and _conditions_kept(new, o) for o in olds)


@dataclass(frozen=True)
class GrantDiff:
    added: tuple[Statement, ...]
    removed: tuple[Statement, ...]
    widening: tuple[str, ...]
    """Why the new document may allow more than the old one (empty: it allows the same or less)."""

    @property
    def widened(self) -> bool:
        return bool(self.widening)


def compare(before: Any, after: Any) -> GrantDiff | None:
    """The grant-level difference of two policy documents; None when either side is not one."""
    old, new = parse_document(before), parse_document(after)
    if old is None or new is None:
        return None
    added = tuple(s for s in new if s not in old)
    removed = tuple(s for s in old if s not in new)
    old_allows = [s for s in old if s.effect == "Allow"]
    widening = [f"adds {s.describe()}" for s in added if s.effect == "Allow" and not _allow_covered(s, old_allows)]
    new_denies = [s for s in new if s.effect == "Deny"]
    widening += [f"drops {s.describe()}" for s in removed if s.effect == "Deny" and s not in new_denies
                 and not any(d.principal == s.principal and _covered(s.actions, d.actions, case=False)
                             and _covered(s.resources, d.resources, case=True) and not d.condition for d in new_denies)]
    return GrantDiff(added, removed, tuple(widening))


def grant_lines(diff: GrantDiff) -> list[str]:
    """The statements removed (`-`) and added (`+`), one line each, and the verdict."""
    lines = [f"- {s.describe()}" for s in diff.removed] + [f"+ {s.describe()}" for s in diff.added]
    verdict = "grant widened: " + "; ".join(diff.widening) if diff.widened else "grant narrowed or unchanged in reach"
    return [*lines, f"# {verdict}"]
