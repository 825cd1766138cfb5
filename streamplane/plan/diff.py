"""Diff two synth graphs by URN: create, update, delete or same, with the changed property paths.

Paths are written as Pulumi writes detailed diffs (`rules[0].status`, `tags.owner`). A resource whose
URN changed but whose new registration carries the old URN as an alias is the same resource.
Replacement (which property changes force a provider to recreate) is decided later, per type.
"""

from __future__ import annotations

from ..synth.capture import STACK_TYPE
from .model import Action, Change
from .paths import join as _join

OPTION_FIELDS = ("protect", "retainOnDelete", "deleteBeforeReplace", "provider")
IGNORED_TYPES = frozenset({STACK_TYPE})


def changed_paths(before, after, prefix: str = "") -> list[str]:
    """Property paths whose values differ. Lists are compared item by item; a length change of a
    list of scalars is reported at the list itself."""
    if before == after:  # the common case, decided in C: unchanged subtrees build no paths
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        paths: list[str] = []
        for key in sorted(set(before) | set(after)):
            if key not in before or key not in after:
                paths.append(_join(prefix, key))
            else:
                if before[key] != after[key]:
                    paths.extend(changed_paths(before[key], after[key], _join(prefix, key)))
        return paths
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after) and not all(isinstance(v, (dict, list)) for v in before + after):
            return [prefix]
        paths = []
        for index in range(max(len(before), len(after))):
            if index >= len(before) or index >= len(after):
                paths.append(_join(prefix, index))
            else:
                if before[index] != after[index]:
                    paths.extend(changed_paths(before[index], after[index], _join(prefix, index)))
        return paths
    return [] if before == after else [prefix]


def _indexed(graph: dict | None) -> dict[str, dict]:
    if not graph:
        return {}
    return {r["urn"]: r for r in graph["resources"] if r["type"] not in IGNORED_TYPES}


def diff_graphs(base: dict | None, head: dict) -> list[Change]:
    """Changes from `base` (None: nothing exists yet) to `head`, in URN order, `same` included."""
    before = _indexed(base)
    after = _indexed(head)
    renamed_from: dict[str, str] = {}
    for urn, resource in after.items():
        if urn in before:
            continue
        for alias in resource.get("aliases", []):
            if alias in before and alias not in after:
                renamed_from[urn] = alias
                break

    changes: list[Change] = []
    consumed = set(renamed_from.values())
    for urn, new in after.items():
        old = before.get(urn) or before.get(renamed_from.get(urn, ""))
        if old is None:
            changes.append(Change(urn, new["type"], "create", after=new))
            continue
        paths = changed_paths(old.get("inputs", {}), new.get("inputs", {}))
        # An option the baseline does not know (None: a state that did not record it) is not a change.
        paths += [f"<{opt}>" for opt in OPTION_FIELDS if old.get(opt) is not None and old.get(opt) != new.get(opt)]
        action: Action = "update" if paths else "same"
        changes.append(Change(urn, new["type"], action, paths, before=old, after=new))
    for urn, old in before.items():
        if urn not in after and urn not in consumed:
            changes.append(Change(urn, old["type"], "delete", before=old))
    return sorted(changes, key=lambda c: c.urn)
