"""Merge an environment's overlay documents onto the base documents by (kind, metadata.name).

Maps merge deeply, lists replace whole, and a `null` in an overlay removes the key (so an
environment can drop an optional field the base sets). An overlay naming an object the base lacks
adds it, and must then be complete: it is validated like any other document.
"""

from __future__ import annotations

import copy

from ..errors import Location, Problem
from .source import SourceDoc, join_pointer


def identity(doc: SourceDoc) -> tuple[str, str] | None:
    """(kind, name) of a document, or None when either is missing (schema validation reports it)."""
    kind = doc.data.get("kind")
    meta = doc.data.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if isinstance(kind, str) and isinstance(name, str):
        return kind, name
    return None


def _drop_marks_under(marks: dict, pointer: str) -> None:
    prefix = pointer + "/"
    for key in [k for k in marks if k.startswith(prefix)]:
        del marks[key]


def _merge_into(target: dict, patch: dict, pointer: str, marks: dict, patch_marks: dict) -> None:
    for key, value in patch.items():
        child = join_pointer(pointer, key)
        if value is None:
            target.pop(key, None)
            marks.pop(child, None)
            _drop_marks_under(marks, child)
            continue
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            if child in patch_marks:
                marks[child] = patch_marks[child]
            _merge_into(target[key], value, child, marks, patch_marks)
            continue
        target[key] = copy.deepcopy(value)
        _drop_marks_under(marks, child)
        for mark_key, mark in patch_marks.items():
            if mark_key == child or mark_key.startswith(child + "/"):
                marks[mark_key] = mark


def merge_overlay(base: SourceDoc, overlay: SourceDoc) -> SourceDoc:
    """A new document: `overlay` applied onto `base`. Neither input is changed."""
    merged = SourceDoc(data=copy.deepcopy(base.data), file=overlay.file, marks=dict(base.marks))
    _merge_into(merged.data, overlay.data, "", merged.marks, overlay.marks)
    merged.marks[""] = overlay.marks[""]
    return merged


def index_layer(docs: list[SourceDoc]) -> tuple[dict[tuple[str, str], SourceDoc], list[SourceDoc], list[Problem]]:
    """Key one layer's documents by identity; report a (kind, name) written twice in the same layer.

    Returns (keyed, unkeyed, problems); unkeyed holds documents without an identity and the second
    copies of duplicates, which are not merged but are still validated so their errors show too.
    """
    keyed: dict[tuple[str, str], SourceDoc] = {}
    anonymous: list[SourceDoc] = []
    problems: list[Problem] = []
    for doc in docs:
        ident = identity(doc)
        if ident is None:
            anonymous.append(doc)
            continue
        if ident in keyed:
            anonymous.append(doc)
            first = keyed[ident].locate("/metadata/name")
            problems.append(Problem(doc.locate("/metadata/name"), "/metadata/name",
                                    f'duplicate {ident[0]} "{ident[1]}": already declared at {first}. Names are unique per kind; rename one.'))
            continue
        keyed[ident] = doc
    return keyed, anonymous, problems


def merge_layers(layers: list[list[SourceDoc]]) -> tuple[list[SourceDoc], list[SourceDoc], list[Problem]]:
    """Apply each layer onto the ones before it.

    Returns (merged objects in (kind, name) order, documents only to validate, problems).
    """
    result: dict[tuple[str, str], SourceDoc] = {}
    anonymous: list[SourceDoc] = []
    problems: list[Problem] = []
    names_so_far: dict[str, set[Location]] = {}
    for depth, layer in enumerate(layers):
        keyed, unnamed, layer_problems = index_layer(layer)
        problems.extend(layer_problems)
        anonymous.extend(unnamed)
        for ident, doc in keyed.items():
            if ident in result:
                result[ident] = merge_overlay(result[ident], doc)
            else:
                doc.added_by_overlay = depth > 0
                doc.overlay_lookup = frozenset(names_so_far.get(ident[0], ()))
                result[ident] = doc
        for (kind, _), doc in keyed.items():
            names_so_far.setdefault(kind, set()).add(doc.locate("/metadata/name"))
    return [result[key] for key in sorted(result)], anonymous, problems
