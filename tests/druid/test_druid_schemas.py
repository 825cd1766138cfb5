"""The JSON Schemas of DruidCluster / DruidDatasource and their dataclasses name the same fields."""

from __future__ import annotations

import dataclasses
import json

import pytest

from streamplane.druid.kinds.cluster import (
    Brokers,
    DruidClusterSpec,
    Http,
    MetadataStore,
    MiddleManagers,
    Nodes,
    Processing,
    Resources,
    Tier,
)
from streamplane.druid.kinds.datasource import (
    Compaction,
    Dimension,
    DruidDatasourceSpec,
    Ingestion,
    Metric,
    RetentionRule,
    Timestamp,
)
from streamplane.paths import SCHEMAS_DIR
from streamplane.spec.kinds import KINDS
from streamplane.spec.typed import spec_key

CLUSTER = json.loads((SCHEMAS_DIR / "druid-cluster.json").read_text())
DATASOURCE = json.loads((SCHEMAS_DIR / "druid-datasource.json").read_text())
C_SPEC, D_SPEC = CLUSTER["properties"]["spec"], DATASOURCE["properties"]["spec"]
C_DEFS = CLUSTER["$defs"]


def _keys(cls) -> set[str]:
    return {spec_key(f) for f in dataclasses.fields(cls)}


def _retention_keys() -> set[str]:
    return set().union(*(item["properties"] for item in D_SPEC["properties"]["retention"]["items"]["oneOf"]))


@pytest.mark.parametrize("cls, properties", [
    (DruidClusterSpec, C_SPEC["properties"]),
    (MetadataStore, C_SPEC["properties"]["metadataStore"]["properties"]),
    (MiddleManagers, C_SPEC["properties"]["middleManagers"]["properties"]),
    (Tier, C_DEFS["tier"]["properties"]),
    (Brokers, C_DEFS["queryNodes"]["properties"]),
    (Nodes, C_DEFS["nodes"]["properties"]),
    (Processing, C_DEFS["processing"]["properties"]),
    (Http, C_DEFS["http"]["properties"]),
    (Resources, C_DEFS["resources"]["properties"]),
    (DruidDatasourceSpec, D_SPEC["properties"]),
    (Timestamp, D_SPEC["properties"]["timestamp"]["properties"]),
    (Dimension, D_SPEC["properties"]["dimensions"]["items"]["oneOf"][1]["properties"]),
    (Metric, D_SPEC["properties"]["metrics"]["items"]["properties"]),
    (Ingestion, D_SPEC["properties"]["ingestion"]["properties"]),
    (Compaction, D_SPEC["properties"]["compaction"]["properties"]),
])
def test_schema_and_dataclass_name_the_same_fields(cls, properties):
    assert _keys(cls) == set(properties)


def test_retention_rule_covers_every_rule_shape():
    assert _keys(RetentionRule) == _retention_keys()


@pytest.mark.parametrize("schema", [CLUSTER, DATASOURCE], ids=["cluster", "datasource"])
def test_every_spec_field_is_described(schema):
    undocumented = [k for k, v in schema["properties"]["spec"]["properties"].items() if not v.get("description")]
    assert undocumented == []


def test_kinds_are_registered():
    assert KINDS["DruidCluster"].spec_class is DruidClusterSpec
    assert KINDS["DruidDatasource"].spec_class is DruidDatasourceSpec
