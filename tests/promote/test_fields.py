"""Every promotable pointer names a field its kind's schema declares (once the kind is registered)."""

from __future__ import annotations

import json

import pytest

from streamplane.paths import SCHEMAS_DIR
from streamplane.promote.fields import PROMOTABLE
from streamplane.spec.kinds import KINDS

# Fields the domain branches add in parallel; strict: once a branch adds its field, this xfail
# turns into a failure, and the entry must go.
ADDED_BY_OTHER_BRANCHES = {("KafkaCluster", "/spec/kafkaVersion"): "kafkaVersion comes with the Kafka branch"}


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
            marks = []
            if kind not in KINDS:
                marks.append(pytest.mark.skip(reason=f"{kind} is not registered in this build (its branch adds it)"))
            elif (kind, pointer) in ADDED_BY_OTHER_BRANCHES:
                marks.append(pytest.mark.xfail(strict=True, reason=ADDED_BY_OTHER_BRANCHES[(kind, pointer)]))
            yield pytest.param(kind, pointer, marks=marks, id=f"{kind}{pointer}")


@pytest.mark.parametrize("kind, pointer", list(_cases()))
def test_promotable_pointer_is_declared_in_the_kind_schema(kind, pointer):
    schema = json.loads(_schema_file(kind).read_text(encoding="utf-8"))
    assert _declares(schema, pointer), f"{pointer} is not a field of schemas/{_schema_file(kind).name}"


def test_schema_lookup_finds_declared_fields_and_rejects_others():
    schema = json.loads(_schema_file("CheckpointStore").read_text(encoding="utf-8"))
    assert _declares(schema, "/spec/noncurrentVersionExpirationDays")
    assert not _declares(schema, "/spec/image")
