"""The remembered `$ref` lookup (streamplane.spec.schema._check_ref) answers as jsonschema's own
`$ref` keyword: same errors (message, paths, schema), for valid and broken documents of every kind."""

from __future__ import annotations

import copy
import math

import jsonschema
import pytest
import yaml

from streamplane.paths import PACKAGE_ROOT
from streamplane.spec import schema as spec_schema


@pytest.fixture
def examples() -> list[dict]:
    kinds = spec_schema.kind_schemas()
    docs = [d for p in sorted((PACKAGE_ROOT / "stacks").rglob("*.yaml")) for d in yaml.safe_load_all(p.read_text())]
    return [d for d in docs if isinstance(d, dict) and d.get("kind") in kinds]


def _stock_validator(kind: str):
    stock = jsonschema.validators.extend(jsonschema.Draft202012Validator, validators={
        "x-ref": spec_schema._check_reference, "pattern": spec_schema._check_pattern, "type": spec_schema._check_finite})
    return stock(spec_schema.kind_schemas()[kind], registry=spec_schema._registry())


def _errors(validator, data) -> list[tuple]:
    return sorted((e.message, tuple(map(str, e.absolute_path)), tuple(map(str, e.absolute_schema_path)), repr(e.schema))
                  for e in validator.iter_errors(data))


def _broken(value):
    """Every string replaced by a number and every number by a string: errors under each `$ref`."""
    if isinstance(value, dict):
        return {k: _broken(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_broken(v) for v in value]
    if isinstance(value, str):
        return 7
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "seven"
    return value


def test_the_remembered_ref_gives_jsonschemas_errors(examples):
    assert examples, "no example documents"
    seen_kinds = set()
    for data in examples:
        kind = data["kind"]
        seen_kinds.add(kind)
        cached, stock = spec_schema.validator_for(kind), _stock_validator(kind)
        for variant in (data, _broken(copy.deepcopy(data)) | {"kind": kind}):
            assert _errors(cached, variant) == _errors(stock, variant)
    assert len(seen_kinds) >= 5


def test_each_lookup_is_made_once(examples):
    spec_schema._RESOLVED.clear()
    for data in examples:
        list(spec_schema.validator_for(data["kind"]).iter_errors(data))
    entries = dict(spec_schema._RESOLVED)
    assert entries, "no $ref was looked up"
    for data in examples:
        list(spec_schema.validator_for(data["kind"]).iter_errors(data))
    assert spec_schema._RESOLVED.keys() == entries.keys()
    assert all(spec_schema._RESOLVED[k][1] is entries[k][1] for k in entries)


def test_the_plain_type_shortcut_gives_the_stock_type_errors():
    """`_check_finite`'s shortcut for string/object/array answers as jsonschema's `type` (plus NaN)."""
    validator = spec_schema.validator_for("Stream")
    values = ["s", "", {}, {"a": 1}, [], [1], 1, 1.0, float("nan"), float("inf"), True, None, ("t",), b"b"]
    for types in ("string", "object", "array", "integer", "number", "boolean", "null", ["string", "null"]):
        for value in values:
            ours = [e.message for e in spec_schema._check_finite(validator, types, value, {})]
            stock = [e.message for e in jsonschema._keywords.type(validator, types, value, {})]
            if isinstance(value, float) and not math.isfinite(value):
                assert ours[: len(stock)] == stock and len(ours) == len(stock) + 1
            else:
                assert ours == stock, (types, value)
