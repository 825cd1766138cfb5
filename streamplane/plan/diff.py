"""Diff two synth graphs by URN: create, update, delete or same, with the changed property paths.

Paths are written as Pulumi writes detailed diffs (`rules[0].status`, `tags.owner`). A resource whose
URN changed but whose new registration carries the old URN as an alias is the same resource.
Replacement (which property changes force a provider to recreate) is decided per type as each
resource is diffed, in dependency order, because it decides whether a consumer's unknowns may change.

An unknown is not a value (see unknowns.py). Against a baseline that holds the real value (a state
export), an unknown whose producers are unchanged or updated in place is filled from the baseline;
one whose producer is created or replaced may change, and its path is reported.
"""

from __future__ import annotations

from collections.abc import Callable

from ..synth.capture import STACK_TYPE
from ..synth.wire import SECRET
from . import unknowns
from .defaults import without_check_defaults
from .model import Action, Change
from .paths import join as _join
from .replace import classify

OPTION_FIELDS = ("protect", "retainOnDelete", "deleteBeforeReplace", "provider")
IGNORED_TYPES = frozenset({STACK_TYPE})


Settled = Callable[[object], bool]
"""Whether an unknown of the head may take the baseline's value (its producers do not change)."""


def _never(_value: object) -> bool:
    return False


def changed_paths(before, after, prefix: str = "", settled: Settled = _never) -> list[str]:
    """Property paths whose values differ. Lists are compared item by item; a length change of a
    list of scalars is reported at the list itself. A head unknown against a known baseline value
    is no change when `settled` says its producers do not change."""
    if before == after:  # the common case, decided in C: unchanged subtrees build no paths
        return []
    if unknowns.is_unknown(after) and not unknowns.contains_unknown(before):
        # Known text around the unknowns must match too: a moved prefix in a policy document that
        # also names a key ARN is a change, whatever the ARN turns out to be.
        return [] if unknowns.fits(str(after), before) and settled(after) else [prefix]
    if SECRET in (before, after) and not isinstance(before, (dict, list)) and not isinstance(after, (dict, list)):
        # A secret's plaintext is on neither side offline (state holds ciphertext, or plaintext the
        # reader masks; a provider marks schema-secret inputs secret in Check): not comparable, and
        # the engine, comparing plaintexts, sees no change unless the value changed.
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        paths: list[str] = []
        for key in sorted(set(before) | set(after)):
            if key not in before or key not in after:
                paths.append(_join(prefix, key))
            else:
                if before[key] != after[key]:
                    paths.extend(changed_paths(before[key], after[key], _join(prefix, key), settled))
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
                    paths.extend(changed_paths(before[index], after[index], _join(prefix, index), settled))
        return paths
    return [] if before == after else [prefix]


def _indexed(graph: dict | None) -> dict[str, dict]:
    if not graph:
        return {}
    return {r["urn"]: r for r in graph["resources"] if r["type"] not in IGNORED_TYPES}


STABLE_ACTIONS = frozenset({"same", "update"})
"""A producer updated in place keeps its identity outputs (ARN, id), so its consumers' unknowns hold."""


def _dependency_order(after: dict[str, dict]) -> list[str]:
    """Head URNs, producers before their consumers (dependencies and parents), else in URN order."""
    order: list[str] = []
    state: dict[str, int] = {}
    for root in sorted(after):
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            urn, done = stack.pop()
            if done:
                state[urn] = 2
                order.append(urn)
                continue
            if state.get(urn):
                continue
            state[urn] = 1
            stack.append((urn, True))
            resource = after[urn]
            upstream = [*resource.get("dependencies", []), resource.get("parent") or ""]
            for dep in sorted(set(upstream), reverse=True):
                if dep in after and not state.get(dep):
                    stack.append((dep, False))
    return order


def diff_graphs(base: dict | None, head: dict) -> list[Change]:
    """Changes from `base` (None: nothing exists yet) to `head`, in URN order, `same` included.
    Updates the provider cannot apply in place are already classified as replaces."""
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

    actions: dict[str, str] = {}
    changes: list[Change] = []
    consumed = set(renamed_from.values())
    for urn in _dependency_order(after):
        new = after[urn]
        old = before.get(urn) or before.get(renamed_from.get(urn, ""))
        if old is None:
            change = Change(urn, new["type"], "create", after=new)
        else:
            settled = _settled_for(new, old, actions)
            old_inputs = without_check_defaults(new["type"], old.get("inputs", {}), new.get("inputs", {}))
            paths = changed_paths(old_inputs, new.get("inputs", {}), settled=settled)
            # An option the baseline does not know (None: a state that did not record it) is not a change.
            paths += [f"<{opt}>" for opt in OPTION_FIELDS if old.get(opt) is not None and old.get(opt) != new.get(opt)]
            action: Action = "update" if paths else "same"
            change = Change(urn, new["type"], action, paths, before=old, after=new)
            classify([change])
        actions[urn] = change.action
        changes.append(change)
    for urn, old in before.items():
        if urn not in after and urn not in consumed:
            changes.append(Change(urn, old["type"], "delete", before=old))
    return sorted(changes, key=lambda c: c.urn)


def _settled_for(new: dict, old: dict, actions: dict[str, str]) -> Settled:
    """The `settled` test of one resource's unknowns: every producer is decided already (dependency
    order) and keeps its outputs. An anonymous unknown's producers are the resource's dependencies,
    which must all be dependencies in the baseline too (a new dependency is a new value); with none
    there is no producer to vouch for it, so it may change."""
    head_deps = set(new.get("dependencies") or [])
    anonymous_ok = bool(head_deps) and head_deps <= set(old.get("dependencies") or head_deps) and all(
        actions.get(dep, "same") in STABLE_ACTIONS for dep in head_deps)

    def settled(value: object) -> bool:
        found = unknowns.producers(value)
        if found is None:
            return anonymous_ok
        return all(actions.get(p) in STABLE_ACTIONS for p in found)

    return settled
