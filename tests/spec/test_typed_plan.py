"""typed.build with its per-hint and per-class plans (`_plan`, `_init_fields`) builds the same
objects as the plain walk over the type hints it replaced, for every object of every stack."""

from __future__ import annotations

import dataclasses
import typing

import yaml

from streamplane.paths import PACKAGE_ROOT
from streamplane.spec import typed
from streamplane.spec.kinds import KINDS


def _plain_shape(tp, value):
    tp = typed._unwrap_optional(tp)
    if value is None:
        return None
    if (members := typed._tagged_members(tp)) and isinstance(value, dict):
        [tag] = [key for key in value if key in members]
        return _plain_build(members[tag], value[tag])
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        return _plain_build(tp, value)
    if typing.get_origin(tp) is tuple and isinstance(value, list):
        args = typing.get_args(tp)
        return tuple(_plain_shape(args[0] if args else typing.Any, v) for v in value)
    return value


def _plain_build(cls, data: dict):
    hints = typing.get_type_hints(cls)
    return cls(**{f.name: _plain_shape(hints[f.name], data[typed.spec_key(f)])
                  for f in dataclasses.fields(cls) if f.init and typed.spec_key(f) in data})


def _outcome(build, cls, data):
    try:
        return build(cls, data)
    except (TypeError, ValueError, KeyError) as err:  # an overlay's partial spec: both must fail alike
        return type(err), str(err)


def test_planned_build_equals_the_plain_walk():
    built = 0
    for path in sorted((PACKAGE_ROOT / "stacks").rglob("*.yaml")):
        for data in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if not isinstance(data, dict) or data.get("kind") not in KINDS or not isinstance(data.get("spec"), dict):
                continue
            cls = KINDS[data["kind"]].spec_class
            assert _outcome(typed.build, cls, data["spec"]) == _outcome(_plain_build, cls, data["spec"])
            built += 1
    assert built >= 20
