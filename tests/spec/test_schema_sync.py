"""schemas/*.json and the spec dataclasses describe the same fields, and every field is documented."""

from __future__ import annotations

import dataclasses
import json
import typing

import pytest

from streamplane.spec import typed
from streamplane.spec.kinds import KINDS
from streamplane.spec.schema import SCHEMAS_DIR, kind_schemas


def _resolve(node: dict, root: dict) -> dict:
    while "$ref" in node and node["$ref"].split("#", 1)[0] in ("", "common.json"):
        document, pointer = node["$ref"].split("#", 1)
        target = json.loads((SCHEMAS_DIR / document).read_text(encoding="utf-8")) if document else root
        for token in pointer[1:].split("/"):
            target = target[token]
        node = target
    return node


def _dataclass_of(tp):
    tp = typed._unwrap_optional(tp)
    if dataclasses.is_dataclass(tp):
        return tp, False
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if args and dataclasses.is_dataclass(args[0]):
            return args[0], True
    return None, False


def _properties(node: dict, root: dict) -> dict:
    """A node's properties; for a oneOf/anyOf of object shapes, the union of theirs."""
    properties = dict(node.get("properties", {}))
    for key in ("oneOf", "anyOf"):
        for option in node.get(key, []):
            properties.update(_resolve(option, root).get("properties", {}))
    return properties


def _compare(node: dict, cls, root: dict, where: str) -> list[str]:
    node = _resolve(node, root)
    properties = _properties(node, root)
    fields = {typed.spec_key(f): f for f in dataclasses.fields(cls) if f.init}
    drift = [f"{where}: schema has {sorted(set(properties) - set(fields))}, dataclass has {sorted(set(fields) - set(properties))}"] \
        if set(properties) != set(fields) else []
    hints = typing.get_type_hints(cls)
    for key, f in fields.items():
        members = typed._tagged_members(hints[f.name])
        if members and key in properties:
            union = _resolve(properties[key], root)
            keyed = [option["required"] for option in union.get("oneOf", [])]
            if keyed != [[tag] for tag in members]:
                drift.append(f"{where}/{key}: oneOf keys {keyed}, union members {list(members)}")
            for tag, member in members.items():
                drift += _compare(_resolve(union["properties"][tag], root), member, root, f"{where}/{key}/{tag}")
            continue
        nested, is_list = _dataclass_of(hints[f.name])
        if nested and key in properties:
            child = _resolve(properties[key], root)
            drift += _compare(child["items"] if is_list else child, nested, root, f"{where}/{key}")
    return drift


@dataclasses.dataclass(frozen=True)
class _ToA:
    type: typing.ClassVar[str] = "a"
    x: int


@dataclasses.dataclass(frozen=True)
class _ToB:
    type: typing.ClassVar[str] = "b"
    y: int


@dataclasses.dataclass(frozen=True)
class _Holder:
    sink: _ToA | _ToB


def test_the_walk_compares_tagged_union_members():
    def schema(a_field: str, keys: tuple[str, ...]) -> dict:
        return {"properties": {"sink": {"oneOf": [{"required": [k]} for k in keys],
                                        "properties": {"a": {"properties": {a_field: {}}}, "b": {"properties": {"y": {}}}}}}}

    assert _compare(schema("x", ("a", "b")), _Holder, {}, "h") == []
    assert _compare(schema("z", ("a", "b")), _Holder, {}, "h") == ["h/sink/a: schema has ['z'], dataclass has ['x']"]
    assert _compare(schema("x", ("b", "a")), _Holder, {}, "h") == [
        "h/sink: oneOf keys [['b'], ['a']], union members ['a', 'b']"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_and_dataclass_have_the_same_fields(kind):
    schema = kind_schemas()[kind]
    assert _compare(schema["properties"]["spec"], KINDS[kind].spec_class, schema, f"{kind}.spec") == []


def _undocumented(node, root, where: str) -> list[str]:
    missing = []
    if isinstance(node, dict):
        for key, child in node.get("properties", {}).items():
            self_describing = "$ref" in child or "const" in child if isinstance(child, dict) else True
            if isinstance(child, dict) and "description" not in child and not self_describing:
                missing.append(f"{where}/{key}")
            missing += _undocumented(child, root, f"{where}/{key}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                missing += _undocumented(node[key], root, f"{where}/{key}")
        for key in ("oneOf", "anyOf", "allOf"):
            for index, option in enumerate(node.get(key, [])):
                missing += _undocumented(option, root, f"{where}/{key}/{index}")
    return missing


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_spec_field_has_a_description(kind):
    schema = kind_schemas()[kind]
    assert _undocumented(schema["properties"]["spec"], schema, f"{kind}.spec") == []
