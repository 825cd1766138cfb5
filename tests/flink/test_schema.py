"""The FlinkJob JSON Schema and the Python spec classes describe the same fields."""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

from streamplane.flink.kinds import MANAGED_KEYS, FlinkJobSpec
from streamplane.spec import typed
from streamplane.spec.kinds import KINDS

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schemas" / "flink-job.json").read_text())


def _resolve(node: dict) -> dict:
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return SCHEMA["$defs"][ref.removeprefix("#/$defs/")]
    return node


def _pairs(cls, node: dict, path: str = "spec"):
    node = _resolve(node)
    keys = {typed.spec_key(f) for f in dataclasses.fields(cls)}
    yield path, keys, set(node.get("properties", {}))
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = typed._unwrap_optional(hints[f.name])
        if dataclasses.is_dataclass(tp):
            yield from _pairs(tp, node["properties"][typed.spec_key(f)], f"{path}.{typed.spec_key(f)}")


def test_schema_and_dataclasses_do_not_drift():
    for path, python_keys, schema_keys in _pairs(FlinkJobSpec, SCHEMA["properties"]["spec"]):
        assert python_keys == schema_keys, path


def test_every_spec_field_documents_its_default_or_meaning():
    for name, prop in SCHEMA["properties"]["spec"]["properties"].items():
        assert _resolve(prop).get("description") or prop.get("description"), name


def test_flink_job_kind_is_registered():
    assert KINDS["FlinkJob"].spec_class is FlinkJobSpec


def test_operator_forbidden_keys_are_managed():
    assert {"kubernetes.namespace", "kubernetes.cluster-id", "high-availability.cluster-id"} <= set(MANAGED_KEYS)
