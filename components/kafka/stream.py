"""Stream: one Kafka topic through its cluster's provider, and the ACL bindings of its producers and consumers."""

from __future__ import annotations

import pulumi
import pulumi_kafka as kafka

from streamplane.kafka.acls import Binding, consumer_bindings, producer_bindings
from streamplane.kafka.broker import config_string_map
from streamplane.kafka.kinds.stream import StreamSpec
from streamplane.kafka.naming import consumer_group
from streamplane.platform.rules.durations import parse_duration_ms
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared

from .. import TYPE_PREFIX
from ..checkpoint import is_protected
from .acl import create_bindings
from .cluster import KafkaCluster


def topic_config(spec: StreamSpec) -> dict[str, str]:
    """The topic's config map: the spec's `config`, retention.ms from `retention`, cleanup.policy from
    `compaction`, and min.insync.replicas (2 unless set; below replicationFactor). Every key is written
    explicitly, so a broker default changing under the topic shows up as drift, not as a surprise."""
    return {
        **config_string_map(spec.config),
        "retention.ms": str(parse_duration_ms(spec.retention)),
        "cleanup.policy": "compact" if spec.compaction else "delete",
        "min.insync.replicas": str(spec.min_insync_replicas),
    }


def stream_bindings(stream: Declared[StreamSpec], cluster: KafkaCluster) -> list[Binding]:
    """Producers: WRITE + DESCRIBE on the topic; consumers: READ + DESCRIBE on it and READ on their group."""
    spec = stream.spec
    topic = spec.topic_name(stream.name)
    bindings: list[Binding] = []
    for producer in spec.producers:
        bindings += producer_bindings(cluster.principal(producer), topic)
    for consumer in spec.consumers:
        group = spec.consumer_groups.get(consumer) or consumer_group(consumer, stream.name)
        bindings += consumer_bindings(cluster.principal(consumer), topic, group)
    return bindings


class Stream(pulumi.ComponentResource):
    """A Kafka topic on a declared cluster with its producers' and consumers' ACL bindings.

    Creates: kafka.Topic (name, partitions, replicationFactor, config) through the cluster's provider;
    one kafka.Acl per binding, a child of the KafkaCluster (shared with routes and datasources that
    need the same binding), named `<cluster>-acl-<principal>-<operation>-<type>-<resource>`.
    Defaults: replicationFactor 3, retention 7d, min.insync.replicas 2, cleanup.policy delete;
    `protect` follows the stack setting (on in prod). IDEMPOTENT_WRITE is granted by the cluster.
    Hazards: renaming the topic or lowering partitions deletes and recreates it (data and offsets lost);
    raising partitions remaps keys.
    """

    topic_name: str
    """The Kafka topic's name (known at construction)."""
    cluster: str
    """The name of the KafkaCluster the topic lives on."""

    def __init__(self, stream: Declared[StreamSpec], cluster: KafkaCluster, settings: StackSettings,
                 opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}Stream", stream.name, None, opts)
        self.stream = stream
        spec = stream.spec
        self.topic_name = spec.topic_name(stream.name)
        self.cluster = spec.cluster
        self.provider = cluster.provider
        self.topic = kafka.Topic(
            stream.name,
            name=self.topic_name,
            partitions=spec.partitions,
            replication_factor=spec.replication_factor,
            config=topic_config(spec),
            opts=pulumi.ResourceOptions(parent=self, provider=cluster.provider,
                                        protect=is_protected(spec.protect, settings)),
        )
        self.acls = create_bindings(stream_bindings(stream, cluster), cluster)
        self.register_outputs({"topicName": self.topic_name})
