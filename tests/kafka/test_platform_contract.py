"""What other domains rely on: Platform.clusters / Platform.streams and their attributes."""

from __future__ import annotations

import pulumi
import pulumi_kafka as kafka

from components.kafka import KafkaCluster, Stream

from .helpers import EXISTING_CLUSTER, STREAM, config_for, synth, write_spec


def test_platform_exposes_clusters_and_streams_by_name(tmp_path):
    seen = {}

    def inspect(platform):
        seen["clusters"] = dict(platform.clusters)
        seen["streams"] = dict(platform.streams)
        platform.clusters["fronting"].bootstrap_servers.apply(lambda value: seen.setdefault("bootstrap", value))

    folder = write_spec(tmp_path, {"clusters.yaml": EXISTING_CLUSTER, "streams.yaml": STREAM})
    synth(folder, config=config_for(extra={"streamplane:kafkaPasswords": '{"fronting": "x"}'}),
          secret_keys=["streamplane:kafkaPasswords"], extra=inspect)
    cluster = seen["clusters"]["fronting"]
    assert isinstance(cluster, KafkaCluster)
    assert isinstance(cluster.bootstrap_servers, pulumi.Output)
    assert isinstance(cluster.provider, kafka.Provider)
    assert seen["bootstrap"] == "b-1.kafka.internal:9096,b-2.kafka.internal:9096"
    stream = seen["streams"]["playback-events"]
    assert isinstance(stream, Stream)
    assert (stream.topic_name, stream.cluster) == ("playback-events", "fronting")
    assert stream.provider is cluster.provider
