"""Values known only after apply: recognise them, name their producers, render them.

An unknown is not a value. The offline synth writes `"<computed>"` for a value it cannot know; a
stable unknown tied to its producer is written `"<computed:URN#output>"` (alone or inside a longer
string such as a policy document), so an unchanged producer compares equal on both sides of a plan.
Renderers show every unknown as Terraform does: `(known after apply)`.
"""

from __future__ import annotations

import re

from ..synth.outputs import computed_marker

COMPUTED = "<computed>"
KNOWN_AFTER_APPLY = "(known after apply)"
__all__ = ["COMPUTED", "KNOWN_AFTER_APPLY", "computed_marker", "contains_unknown", "describe", "fits", "is_unknown",
           "producers",
           "render"]
_MARKER = re.compile(r"<computed(?::([^#>]*)#([^>]*))?>")


def is_unknown(value: object) -> bool:
    """True when `value` is, or is a string built from, a value known only after apply."""
    return isinstance(value, str) and "<computed" in value and bool(_MARKER.search(value))


def contains_unknown(value: object) -> bool:
    """True when `value` or anything nested in it is unknown."""
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return is_unknown(value)


def producers(value: object) -> set[str] | None:
    """URNs of the resources whose outputs `value` is built from; None when some part of it is an
    anonymous `"<computed>"` (its producer is not recorded)."""
    if not isinstance(value, str):
        return set()
    found: set[str] = set()
    for match in _MARKER.finditer(value):
        if match.group(1) is None:
            return None
        found.add(match.group(1))
    return found


def fits(template: str, value: object) -> bool:
    """Whether `value` could be what `template` becomes once its unknowns are known: the known text
    around the markers must be the same (a policy document whose prefix moved does not fit), and one
    marker stands for one text wherever it occurs."""
    if _MARKER.fullmatch(template):
        return True
    if not isinstance(value, str):
        return False
    pattern: list[str] = []
    groups: dict[str, str] = {}
    last = 0
    for index, match in enumerate(_MARKER.finditer(template)):
        pattern.append(re.escape(template[last:match.start()]))
        marker = match.group(0)
        if marker in groups and marker != COMPUTED:
            pattern.append(f"(?P={groups[marker]})")
        else:
            groups[marker] = f"u{index}"
            pattern.append(f"(?P<u{index}>.*?)")
        last = match.end()
    pattern.append(re.escape(template[last:]))
    return re.fullmatch("".join(pattern), value, re.DOTALL) is not None


def render(value: object) -> object:
    """`value` for display: every unknown (or string containing one) becomes `(known after apply)`."""
    if isinstance(value, dict):
        return {k: render(v) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v) for v in value]
    return KNOWN_AFTER_APPLY if is_unknown(value) else value


def describe(value: str) -> str:
    """`value` with each unknown inside it written for a reviewer: `(known after apply)`, naming the
    producer's output when the marker records it (`(known after apply: arn of Key flink-state)`), so two
    different unknowns never read the same and the text around them (a policy document) stays."""
    def one(match: re.Match) -> str:
        if match.group(1) is None:
            return KNOWN_AFTER_APPLY
        urn, output = match.group(1), match.group(2)
        kind = urn.rsplit("::", 2)[-2].rsplit(":", 1)[-1] if urn.count("::") >= 2 else "resource"
        return f"{KNOWN_AFTER_APPLY[:-1]}: {output} of {kind} {urn.rsplit('::', 1)[-1]})"
    return _MARKER.sub(one, value)
