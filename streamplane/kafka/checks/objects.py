"""Semantic checks of KafkaCluster and Stream specs: what Kafka itself would refuse, found before any apply."""

from __future__ import annotations

from collections.abc import Iterator

from streamplane.kafka.kinds.cluster import ALLOWED_CLIENT_AUTH, ENGINES
from streamplane.spec.model import Declared, Finding, PlatformSpec
from streamplane.spec.source import join_pointer

from ..capacity import capacity_problem, replicas_per_broker
from ..naming import topic_name_problem, topic_name_warning
from ..rules.topics import MIN_ISR, min_isr_blocks_writes
from ..topic_config import check_topic_config

STRIMZI_KAFKA_VERSIONS = ("4.2.0", "4.2.1", "4.3.0", "4.3.1")
"""Kafka versions Strimzi 1.2.0 supports (`supported: true` in its kafka-versions.yaml)."""


def streams_on(platform: PlatformSpec, cluster: str) -> list[Declared]:
    return platform.derived("streams-by-cluster", _streams_by_cluster).get(cluster, [])


def _streams_by_topic(platform: PlatformSpec) -> dict[tuple[str, str], list[Declared]]:
    """Streams per (cluster, topic name): a topic claimed twice is found without comparing every pair."""
    by_topic: dict[tuple[str, str], list[Declared]] = {}
    for stream in platform.of("Stream"):
        by_topic.setdefault((stream.spec.cluster, stream.spec.topic_name(stream.name)), []).append(stream)
    return by_topic


def _streams_by_cluster(platform: PlatformSpec) -> dict[str, list[Declared]]:
    """Streams per cluster, built once per platform (checks ask for every stream: linear, not quadratic)."""
    by_cluster: dict[str, list[Declared]] = {}
    for stream in platform.of("Stream"):
        by_cluster.setdefault(stream.spec.cluster, []).append(stream)
    return by_cluster


def check_cluster(obj: Declared, platform: PlatformSpec) -> Iterator[Finding]:
    spec = obj.spec
    for block in ENGINES:
        if block != spec.engine and getattr(spec, block) is not None:
            yield Finding(f"/spec/{block}", f'"{block}" settings apply to engine {block}, but this cluster\'s engine is '
                                            f"{spec.engine}. Remove them or change engine.")
    allowed = ALLOWED_CLIENT_AUTH[spec.engine]
    for index, auth in enumerate(spec.client_auth):
        if auth not in allowed:
            yield Finding(f"/spec/clientAuth/{index}", f'engine {spec.engine} does not support client auth "{auth}" '
                                                      f"(allowed: {', '.join(allowed)}).")
    if spec.engine == "existing" and len(spec.client_auth) > 1:
        yield Finding("/spec/clientAuth", f"engine {spec.engine} takes one client auth mechanism (one TLS listener), "
                                          f"got {len(spec.client_auth)}. Keep one.")
    if spec.engine == "strimzi" and spec.strimzi is not None and spec.strimzi.version not in STRIMZI_KAFKA_VERSIONS:
        yield Finding("/spec/strimzi/version", f'Strimzi 1.2.0 runs Kafka {", ".join(STRIMZI_KAFKA_VERSIONS)}, '
                                               f'got "{spec.strimzi.version}".')
    seen: set[str] = set()
    for index, quota in enumerate(spec.quotas):
        if quota.principal in seen:
            yield Finding(f"/spec/quotas/{index}/principal", f'principal "{quota.principal}" has two quotas on this '
                                                            "cluster; Kafka keeps one per user. Merge them.")
        seen.add(quota.principal)
        if quota.producer_byte_rate is None and quota.consumer_byte_rate is None and quota.request_percentage is None:
            yield Finding(f"/spec/quotas/{index}", f'quota for "{quota.principal}" sets no limit; set producerByteRate, '
                                                  "consumerByteRate or requestPercentage, or remove it.")
    if spec.engine == "msk" and spec.msk is not None:
        yield from _capacity(obj, platform)


def _capacity(obj: Declared, platform: PlatformSpec) -> Iterator[Finding]:
    streams = streams_on(platform, obj.name)
    shapes = [(s.spec.partitions, s.spec.replication_factor) for s in streams]
    per_broker = replicas_per_broker(shapes, obj.spec.brokers)
    total = sum(p * rf for p, rf in shapes)
    found = capacity_problem(obj.spec.msk.instance_type, per_broker, total, obj.spec.brokers)
    if found:
        level, message = found
        yield Finding("/spec/msk/instanceType", message, level)


def check_stream(obj: Declared, platform: PlatformSpec) -> Iterator[Finding]:
    spec = obj.spec
    topic = spec.topic_name(obj.name)
    name_pointer = "/spec/topic" if spec.topic else "/metadata/name"
    problem = topic_name_problem(topic)
    if problem:
        yield Finding(name_pointer, problem)
    warning = topic_name_warning(topic)
    if warning:
        yield Finding(name_pointer, warning, "warning")
    for other in platform.derived("streams-by-topic", _streams_by_topic).get((spec.cluster, topic), ()):
        if other.name < obj.name:
            yield Finding(name_pointer, f'topic "{topic}" on cluster "{spec.cluster}" is already Stream "{other.name}"\'s '
                                        f"({other.where('/metadata/name')}). One topic, one stream: rename one.")

    yield from _config(spec)
    yield from _replication(obj, platform)
    yield from _iam_only(obj, platform)

    consumers = set(spec.consumers)
    for consumer in sorted(spec.consumer_groups):
        if consumer not in consumers:
            yield Finding(join_pointer("/spec/consumerGroups", consumer),
                          f'"{consumer}" has a consumer group but is not in consumers ({", ".join(spec.consumers) or "none"}). '
                          "Add it to consumers or remove this entry.")


def _iam_only(obj: Declared, platform: PlatformSpec) -> Iterator[Finding]:
    cluster = platform.get("KafkaCluster", obj.spec.cluster)
    if cluster is None or cluster.spec.application_auth != "iam" or not (obj.spec.producers or obj.spec.consumers):
        return
    pointer = "/spec/producers" if obj.spec.producers else "/spec/consumers"
    yield Finding(pointer, f'cluster "{obj.spec.cluster}" authenticates clients with IAM only, and Kafka ACLs do not apply '
                           "to IAM clients: these bindings grant nothing. Grant access with IAM policies, or add scram "
                           "to the cluster's clientAuth.", "warning")


def _config(spec) -> Iterator[Finding]:
    for key in sorted(spec.config):
        message = check_topic_config(key, spec.config[key])
        if message:
            yield Finding(join_pointer("/spec/config", key), message)


def _replication(obj: Declared, platform: PlatformSpec) -> Iterator[Finding]:
    spec = obj.spec
    rf = spec.replication_factor
    cluster = platform.get("KafkaCluster", spec.cluster)
    if cluster is not None and rf > cluster.spec.brokers:
        yield Finding("/spec/replicationFactor",
                      f'must be at most the broker count of cluster "{spec.cluster}" ({cluster.spec.brokers}), got {rf}. '
                      "Lower replicationFactor or add brokers.")
    explicit = MIN_ISR in spec.config
    if explicit and check_topic_config(MIN_ISR, spec.config[MIN_ISR]):
        return
    min_isr = spec.min_insync_replicas
    pointer = f"/spec/config/{MIN_ISR}" if explicit else "/spec/replicationFactor"
    if rf == 1:
        yield Finding("/spec/replicationFactor", "replicationFactor 1 keeps a single copy: losing one broker makes the "
                                                 "topic unavailable and can lose data. Use 3 outside development.", "warning")
        if min_isr > 1:
            yield Finding(pointer, f"min.insync.replicas ({min_isr}) must be lower than replicationFactor ({rf}): "
                                   "no write could ever succeed. Lower min.insync.replicas or raise replicationFactor.")
    elif min_isr_blocks_writes(min_isr, rf):
        yield Finding(pointer, f"min.insync.replicas ({min_isr}) must be lower than replicationFactor ({rf}): with every "
                               "replica required, one broker down stops all writes with acks=all. "
                               "Lower min.insync.replicas or raise replicationFactor.")
