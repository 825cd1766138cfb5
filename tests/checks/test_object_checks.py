"""The per-kind check registry of the check layer: every spec kind is registered, and load_layers runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamplane.checks import OBJECT_CHECKS, load_layers
from streamplane.errors import SpecError
from streamplane.kafka.checks.objects import check_stream
from streamplane.routing.checks import check_route
from streamplane.spec.kinds import KINDS
from streamplane.spec.loader import read_layers

CLUSTER = """apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: fronting, owner: platform}
spec: {engine: strimzi, brokers: 3}
---
apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: plays, owner: playback}
spec: {cluster: fronting, partitions: 8, replicationFactor: 5}
"""


def test_every_kind_has_a_registered_check() -> None:
    assert set(OBJECT_CHECKS) == set(KINDS)
    assert OBJECT_CHECKS["Stream"] is check_stream
    assert OBJECT_CHECKS["Route"] is check_route


def test_load_layers_runs_the_object_checks_and_read_layers_does_not(tmp_path: Path) -> None:
    (tmp_path / "specs.yaml").write_text(CLUSTER, encoding="utf-8")
    assert read_layers([tmp_path], "dev").spec.get("Stream", "plays") is not None
    with pytest.raises(SpecError) as err:
        load_layers([tmp_path], "dev")
    assert [p.pointer for p in err.value.problems] == ["/spec/replicationFactor"]
