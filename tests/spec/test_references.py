"""An object's references are read along the schema's `x-ref` paths; they are exactly the names the
validator's `x-ref` keyword checks, for every object of the example stacks and of every kind."""

from __future__ import annotations

import pytest

from streamplane.checks import load_stack
from streamplane.spec.schema import DECLARED_NAMES, kind_schemas, reference_paths, references, validator_for
from tests.conftest import REPO


def checked_by_the_validator(data: dict) -> set[tuple[str, str]]:
    """With no names declared, the validator reports every name an `x-ref` field holds."""
    token = DECLARED_NAMES.set({})
    try:
        return {(e.validator_value, e.instance) for e in validator_for(data["kind"]).iter_errors(data)
                if e.validator == "x-ref"}
    finally:
        DECLARED_NAMES.reset(token)


@pytest.mark.parametrize("stack", ["dev", "staging", "prod", "loadtest"])
def test_references_are_the_names_the_validator_checks(stack: str) -> None:
    spec = load_stack(REPO / "stacks", stack).spec
    objects = list(spec)
    assert {o.kind for o in objects} >= {"Stream", "Route", "FlinkJob", "DruidDatasource", "DruidCluster"}
    for obj in objects:
        assert references(obj.source.data) == checked_by_the_validator(obj.source.data), (obj.kind, obj.name)


def test_an_s3_sink_names_its_store() -> None:
    route = {"apiVersion": "streamplane.io/v1", "kind": "Route", "metadata": {"name": "r", "owner": "t"},
             "spec": {"source": "events", "sink": {"s3": {"store": "lake", "prefix": "events/"}}}}
    assert references(route) == {("Stream", "events"), ("CheckpointStore", "lake")}


def test_every_kind_has_its_reference_paths_from_the_schema() -> None:
    assert set(kind_schemas()) == {"CheckpointStore", "KafkaCluster", "Stream", "Route", "FlinkJob", "DruidCluster",
                                   "DruidDatasource"}
    assert reference_paths("Stream") == ((("spec", "cluster"), "KafkaCluster"),)
    assert (("spec", "sink", "kafka", "stream"), "Stream") in reference_paths("Route")
