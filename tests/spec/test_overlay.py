"""Environment overlays: merged onto the base by (kind, name); maps deep-merge, lists replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamplane.checks import load_layers
from streamplane.errors import SpecError

BASE = """
    apiVersion: streamplane.io/v1
    kind: KafkaCluster
    metadata: {name: fronting, owner: stream-platform, labels: {tier: gold, region: east}}
    spec: {engine: strimzi, brokers: 3}
    ---
    apiVersion: streamplane.io/v1
    kind: Stream
    metadata: {name: playback-events, owner: playback}
    spec:
      cluster: fronting
      partitions: 12
      retention: 3d
      producers: [playback-api, playback-batch]
      config: {max.message.bytes: 1048576, segment.ms: 3600000}
"""


def load(tree, overlay: str):
    tree({"base/kafka.yaml": BASE, "dev/kafka.yaml": overlay})
    return load_layers([Path("base"), Path("dev")], "dev").spec


def test_overlay_changes_only_the_fields_it_states(tree):
    spec = load(tree, """
        apiVersion: streamplane.io/v1
        kind: Stream
        metadata: {name: playback-events, owner: playback}
        spec: {partitions: 4}
    """)
    stream = spec.get("Stream", "playback-events").spec
    assert (stream.partitions, stream.retention, stream.cluster) == (4, "3d", "fronting")
    assert stream.producers == ("playback-api", "playback-batch")


def test_maps_merge_deeply_and_lists_replace(tree):
    spec = load(tree, """
        apiVersion: streamplane.io/v1
        kind: Stream
        metadata: {name: playback-events, owner: playback}
        spec:
          producers: [playback-api]
          config: {segment.ms: 600000}
    """)
    stream = spec.get("Stream", "playback-events").spec
    assert stream.producers == ("playback-api",)
    assert stream.config == {"max.message.bytes": 1048576, "segment.ms": 600000}


def test_metadata_labels_merge_deeply(tree):
    spec = load(tree, """
        apiVersion: streamplane.io/v1
        kind: KafkaCluster
        metadata: {name: fronting, owner: stream-platform, labels: {tier: bronze}}
        spec: {brokers: 5}
    """)
    cluster = spec.get("KafkaCluster", "fronting")
    assert cluster.meta.labels == {"tier": "bronze", "region": "east"}
    assert (cluster.spec.engine, cluster.spec.brokers) == ("strimzi", 5)


def test_null_in_overlay_removes_the_base_value(tree):
    spec = load(tree, """
        apiVersion: streamplane.io/v1
        kind: Stream
        metadata: {name: playback-events, owner: playback}
        spec: {retention: null}
    """)
    assert spec.get("Stream", "playback-events").spec.retention == "7d"


def test_errors_in_merged_values_point_at_the_overlay_file(tree):
    tree({"base/kafka.yaml": BASE, "dev/kafka.yaml": """
        apiVersion: streamplane.io/v1
        kind: Stream
        metadata: {name: playback-events, owner: playback}
        spec:
          partitions: 0
    """})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base"), Path("dev")], "dev")
    assert [str(p) for p in err.value.problems] == ["dev/kafka.yaml:5:3: /spec/partitions: must be >= 1, got number 0."]


def test_overlay_adding_an_incomplete_object_is_an_error(tree):
    tree({"base/kafka.yaml": BASE, "dev/kafka.yaml": """
        apiVersion: streamplane.io/v1
        kind: Stream
        metadata: {name: dev-only-events, owner: playback}
        spec: {partitions: 1}
    """})
    with pytest.raises(SpecError) as err:
        load_layers([Path("base"), Path("dev")], "dev")
    assert [str(p) for p in err.value.problems] == [
        'dev/kafka.yaml:4:1: /spec/cluster: missing required field "cluster". '
        "This object is not in the base layer, so the overlay that adds it must be complete."]


def test_overlay_adding_a_complete_object_is_accepted(tree):
    spec = load(tree, """
        apiVersion: streamplane.io/v1
        kind: Stream
        metadata: {name: dev-only-events, owner: playback}
        spec: {cluster: fronting, partitions: 1}
    """)
    assert [s.name for s in spec.of("Stream")] == ["dev-only-events", "playback-events"]
