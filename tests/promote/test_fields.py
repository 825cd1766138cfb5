"""Every promotable pointer names a field its kind's schema declares (once the kind is registered)."""

from __future__ import annotations

import json

import pytest

from streamplane.paths import SCHEMAS_DIR
from streamplane.promote.fields import PROMOTABLE
from streamplane.spec.kinds import KINDS


def _schema_file(kind: str):
    stem = "".join("-" + c.lower() if c.isupper() else c for c in kind).lstrip("-")
    return SCHEMAS_DIR / f"{stem}.json"


def _declares(schema: dict, pointer: str) -> bool:
    node = schema
    for token in pointer.split("/")[1:]:
        props = node.get("properties", {})
        if token not in props:
            return False
        node = props[token]
    return True


def _cases():
    for kind, pointers in sorted(PROMOTABLE.items()):
        for pointer in pointers:
            yield pytest.param(kind, pointer, id=f"{kind}{pointer}")


@pytest.mark.parametrize("kind, pointer", list(_cases()))
def test_promotable_pointer_is_declared_in_the_kind_schema(kind, pointer):
    assert kind in KINDS, f"{kind} is promotable but not a registered kind"
    schema = json.loads(_schema_file(kind).read_text(encoding="utf-8"))
    assert _declares(schema, pointer), f"{pointer} is not a field of schemas/{_schema_file(kind).name}"


def test_schema_lookup_finds_declared_fields_and_rejects_others():
    schema = json.loads(_schema_file("CheckpointStore").read_text(encoding="utf-8"))
    assert _declares(schema, "/spec/noncurrentVersionExpirationDays")
    assert not _declares(schema, "/spec/image")
