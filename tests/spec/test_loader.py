"""The spec pipeline: one valid baseline, then one mutation per rule with its exact message and place."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamplane.checks import load_layers
from streamplane.errors import SpecError

VALID_STORE = """
    apiVersion: streamplane.io/v1
    kind: CheckpointStore
    metadata:
      name: flink-state
      owner: stream-platform
    spec:
      noncurrentVersionExpirationDays: 14
"""

CLUSTER_AND_STREAM = """
    apiVersion: streamplane.io/v1
    kind: KafkaCluster
    metadata: {name: fronting, owner: stream-platform}
    spec: {engine: strimzi, brokers: 3}
    ---
    apiVersion: streamplane.io/v1
    kind: Stream
    metadata: {name: playback-events, owner: playback}
    spec:
      cluster: fronting
      partitions: 12
"""


def messages(err: SpecError) -> list[str]:
    return [str(p) for p in err.problems]


def test_valid_baseline_loads_typed_objects(tree):
    tree({"base/stores.yaml": VALID_STORE, "base/kafka.yaml": CLUSTER_AND_STREAM})
    loaded = load_layers([Path("base")], "dev")
    store = loaded.spec.get("CheckpointStore", "flink-state")
    assert store.owner == "stream-platform"
    assert store.spec.noncurrent_version_expiration_days == 14
    assert store.spec.abort_incomplete_multipart_upload_days == 7
    stream = loaded.spec.get("Stream", "playback-events")
    assert (stream.spec.partitions, stream.spec.replication_factor, stream.spec.retention) == (12, 3, "7d")
    assert loaded.warnings == []


def test_wrong_type_names_field_value_and_allowed_type(tree):
    tree({"base/stores.yaml": VALID_STORE.replace("14", "fourteen")})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    assert messages(err.value) == [
        'base/stores.yaml:7:3: /spec/noncurrentVersionExpirationDays: must be integer, got string "fourteen".']


def test_unknown_field_suggests_the_closest_one(tree):
    tree({"base/stores.yaml": VALID_STORE.replace("noncurrentVersionExpirationDays", "noncurrentVersionExpirationDay")})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    assert messages(err.value) == [
        'base/stores.yaml:7:3: /spec/noncurrentVersionExpirationDay: unknown field "noncurrentVersionExpirationDay", '
        "allowed: abortIncompleteMultipartUploadDays, acknowledge, bucketName, kmsKeyArn, noncurrentVersionExpirationDays, protect. "
        'Did you mean "noncurrentVersionExpirationDays"?']


def test_missing_reference_lists_declared_names(tree):
    tree({"base/kafka.yaml": CLUSTER_AND_STREAM.replace("cluster: fronting", "cluster: frontng")})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    assert messages(err.value) == [
        'base/kafka.yaml:10:3: /spec/cluster: KafkaCluster "frontng" is not declared in this stack (declared: fronting). Did you mean "fronting"?']


def test_duplicate_name_in_one_layer_points_at_both(tree):
    tree({"base/a.yaml": VALID_STORE, "base/b.yaml": VALID_STORE})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    assert messages(err.value) == [
        'base/b.yaml:4:3: /metadata/name: duplicate CheckpointStore "flink-state": already declared at base/a.yaml:4:3. '
        "Names are unique per kind; rename one."]


def test_every_problem_is_reported_in_one_run(tree):
    broken = CLUSTER_AND_STREAM.replace("partitions: 12", "partitions: many\n      partitons: 3").replace("cluster: fronting", "cluster: nowhere")
    tree({"base/kafka.yaml": broken, "base/a.yaml": VALID_STORE, "base/b.yaml": VALID_STORE})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    pointers = sorted(p.pointer for p in err.value.problems)
    assert pointers == ["/metadata/name", "/spec/cluster", "/spec/partitions", "/spec/partitons"]


def test_missing_required_field_points_at_its_parent(tree):
    tree({"base/kafka.yaml": CLUSTER_AND_STREAM.replace("  partitions: 12\n", "")})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    assert messages(err.value) == ['base/kafka.yaml:9:1: /spec/partitions: missing required field "partitions".']


def test_unknown_kind_suggests_a_known_one(tree):
    tree({"base/stores.yaml": VALID_STORE.replace("kind: CheckpointStore", "kind: CheckpointStor")})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    assert messages(err.value) == [
        'base/stores.yaml:2:1: /kind: unknown kind "CheckpointStor", allowed: '
        + ", ".join(sorted(__import__("streamplane.spec.kinds", fromlist=["KINDS"]).KINDS))
        + '. Did you mean "CheckpointStore"?']


def test_invalid_yaml_reports_line_and_column(tree):
    tree({"base/stores.yaml": "apiVersion: streamplane.io/v1\nkind: [unclosed\n"})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    [problem] = err.value.problems
    assert str(problem).startswith("base/stores.yaml:3:1: /: invalid YAML:")


def test_duplicate_yaml_key_is_an_error(tree):
    tree({"base/stores.yaml": VALID_STORE.replace("noncurrentVersionExpirationDays: 14", "noncurrentVersionExpirationDays: 14\n      noncurrentVersionExpirationDays: 3")})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    assert messages(err.value) == [
        'base/stores.yaml:8:3: /spec/noncurrentVersionExpirationDays: duplicate key "noncurrentVersionExpirationDays" '
        "(first written at line 7); YAML keeps only the last one. Remove one of them."]


def test_bad_name_pattern_explains_the_format(tree):
    tree({"base/stores.yaml": VALID_STORE.replace("name: flink-state", "name: Flink_State")})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base")], "dev")
    assert messages(err.value) == [
        'base/stores.yaml:4:3: /metadata/name: string "Flink_State" is not valid here: expected A DNS-1123 label: lowercase '
        "letters, digits and '-', starting and ending with a letter or digit, at most 63 characters."]
