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


def _shape(tp, value):
    tp = _unwrap_optional(tp)
    if value is None:
        return None
    if (members := _tagged_members(tp)) and isinstance(value, dict):
        # The schema's oneOf has let exactly one member's key through: `{kafka: {stream: ...}}`.
        [tag] = [key for key in value if key in members]
        return build(members[tag], value[tag])
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        return build(tp, value)
    if typing.get_origin(tp) is tuple and isinstance(value, list):
        args = typing.get_args(tp)
        item = args[0] if args else typing.Any
        return tuple(_shape(item, v) for v in value)
    return value


def build(cls, data: dict):
    """An instance of dataclass `cls` from a validated mapping; absent fields take their defaults."""
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        key = spec_key(f)
        if key in data:
            kwargs[f.name] = _shape(hints[f.name], data[key])
    return cls(**kwargs)
