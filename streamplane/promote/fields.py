"""Which values promotion carries from one environment to the next: kind -> JSON pointers.

Promotable values are the ones that say *what* runs (images, versions, artifacts): they are tested in
one environment and then carried forward. Everything else is environment-specific and never
promoted: sizes (brokers, parallelism, replicas, resources), retention, partitions, lifecycle days,
protection. Objects that an environment's overlay adds and the next environment lacks are promoted
whole (see docs/promotion.md).

To make a field promotable, add its pointer here (and a line to docs/promotion.md). Promotion edits
YAML text, so a kind listed here need not be registered in this build: its documents are edited all
the same, and the plan step reports what it could not check.
"""

from __future__ import annotations

PROMOTABLE: dict[str, tuple[str, ...]] = {
    # Flink job clusters: the application image, the job artifact inside it, the Flink runtime.
    "FlinkJob": ("/spec/image", "/spec/jarURI", "/spec/flinkVersion"),
    # Keystone routes: the platform router image, pinned per environment.
    "Route": ("/spec/routerImage",),
    # Kafka: the broker version (MSK kafkaVersion / Strimzi's Kafka version).
    "KafkaCluster": ("/spec/msk/kafkaVersion", "/spec/strimzi/version"),
    # Druid: the image every node of the cluster runs.
    "DruidCluster": ("/spec/image",),
}


def promotable(kind: str) -> tuple[str, ...]:
    return PROMOTABLE.get(kind, ())
