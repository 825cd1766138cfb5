"""Turn validated spec mappings into frozen dataclasses.

Field names are the snake_case of the schema's camelCase properties (override with
`field(metadata={"key": "..."})`); nested dataclasses, tuples of dataclasses, tagged unions (a
mapping with one member's `type` as its key) and defaults come from the type hints. The schema has
already checked types, so this only shapes data.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from functools import cache

_CAMEL_BOUNDARY = re.compile(r"_([a-z0-9])")


def camel(name: str) -> str:
    return _CAMEL_BOUNDARY.sub(lambda m: m.group(1).upper(), name)


def spec_key(f: dataclasses.Field) -> str:
    return f.metadata.get("key", camel(f.name))


@cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _unwrap_optional(tp):
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _tagged_members(tp) -> dict[str, type]:
    """A union of dataclasses tagged by a `type` class attribute (e.g. a route's Sink): tag -> member."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return {}
    members = [a for a in typing.get_args(tp) if a is not type(None)]
    if not all(dataclasses.is_dataclass(m) and isinstance(getattr(m, "type", None), str) for m in members):
        return {}
    return {m.type: m for m in members}


@cache
def _plan(tp) -> tuple[object, dict[str, type], bool, object | None]:
    """How `_shape` treats a hint, worked out once per hint (a 2,000-route load shapes ~50k values
    through a dozen hints): the hint without Optional, its tagged members, whether it is a
    dataclass, and a tuple's item hint (None when not a tuple)."""
    tp = _unwrap_optional(tp)
    item = None
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        item = args[0] if args else typing.Any
    return tp, _tagged_members(tp), dataclasses.is_dataclass(tp), item


def _shape(tp, value):
    if value is None:
        return None
    tp, members, is_dataclass, item = _plan(tp)
    if members and isinstance(value, dict):
        # The schema's oneOf has let exactly one member's key through: `{kafka: {stream: ...}}`.
        [tag] = [key for key in value if key in members]
        return build(members[tag], value[tag])
    if is_dataclass and isinstance(value, dict):
        return build(tp, value)
    if item is not None and isinstance(value, list):
        return tuple(_shape(item, v) for v in value)
    return value


@cache
def _init_fields(cls) -> tuple[tuple[str, str, object], ...]:
    """(field name, spec key, hint) of each init field of dataclass `cls`, in field order."""
    hints = _hints(cls)
    return tuple((f.name, spec_key(f), hints[f.name]) for f in dataclasses.fields(cls) if f.init)


def build(cls, data: dict):
    """An instance of dataclass `cls` from a validated mapping; absent fields take their defaults."""
    kwargs = {name: _shape(hint, data[key]) for name, key, hint in _init_fields(cls) if key in data}
    return cls(**kwargs)
