"""ACL bindings: one kafka.Acl per (principal, operation, resource), named from that key.

Which bindings an operation needs is a pure rule (streamplane/kafka/acls.py); this module declares them.

Every kafka.Acl field forces a replacement upstream, so a binding is never updated in place: a
changed binding is a different resource. Naming each binding from its own key means adding or
removing a producer or consumer adds or removes exactly its bindings and leaves every other URN alone.

Other components (a route's router job) call grant_consumer / grant_producer to give their principal
access to a stream; a binding that already exists on the cluster (e.g. the stream lists the same
consumer) is reused, never declared twice: two resources for one Kafka ACL would let the deletion
of one silently revoke the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi
import pulumi_kafka as kafka

from streamplane.kafka.acls import Binding, consumer_bindings, producer_bindings, transactional_bindings
from streamplane.kafka.naming import consumer_group
from streamplane.spec.model import Declared

if TYPE_CHECKING:
    from .cluster import KafkaCluster

def create_bindings(prefix: str, bindings: list[Binding], parent: pulumi.Resource,
                    cluster: KafkaCluster) -> dict[str, kafka.Acl]:
    """One kafka.Acl per binding, named `<prefix>-acl-<key>`, unless the cluster already has that binding
    (`cluster.bindings`: per cluster component, so nothing outlives one synthesis)."""
    existing = cluster.bindings
    created: dict[str, kafka.Acl] = {}
    for binding in bindings:
        if binding in existing:
            owned = existing[binding]
            if owned is not None:  # None: another stack of a sharded environment declares it
                created[binding.key] = owned
            continue
        acl = kafka.Acl(
            f"{prefix}-acl-{binding.key}",
            acl_principal=binding.principal,
            acl_host="*",
            acl_operation=binding.operation,
            acl_permission_type="Allow",
            acl_resource_type=binding.resource_type,
            acl_resource_name=binding.resource_name,
            resource_pattern_type_filter=binding.pattern,
            opts=pulumi.ResourceOptions(parent=parent, provider=cluster.provider),
        )
        existing[binding] = acl
        created[binding.key] = acl
    return created


def _prefix(parent: pulumi.Resource, name_prefix: str | None) -> str:
    return name_prefix or parent._name


def grant_consumer(parent: pulumi.Resource, stream_declared: Declared, principal: str, cluster: KafkaCluster,
                   group: str | None = None, *, name_prefix: str | None = None) -> list[kafka.Acl]:
    """Let `principal` consume a stream: READ + DESCRIBE on its topic, READ on `group`.

    group None: the convention `<principal>.<stream name>` (naming.consumer_group). Resources are
    children of `parent`, named `<name_prefix or parent's name>-acl-<principal>-<operation>-<type>-<resource>`.
    """
    topic = stream_declared.spec.topic_name(stream_declared.name)
    who = cluster.principal(principal)
    bindings = consumer_bindings(who, topic, group or consumer_group(principal, stream_declared.name))
    return list(create_bindings(_prefix(parent, name_prefix), bindings, parent, cluster).values())


def grant_producer(parent: pulumi.Resource, stream_declared: Declared, principal: str, cluster: KafkaCluster,
                   *, name_prefix: str | None = None, transactional_id_prefix: str | None = None) -> list[kafka.Acl]:
    """Let `principal` produce to a stream: WRITE + DESCRIBE on its topic, and with
    `transactional_id_prefix` (exactly-once producers) WRITE + DESCRIBE on those transactional ids.

    IDEMPOTENT_WRITE is cluster-wide and owned by the KafkaCluster component (granted to every
    producer its streams list); on Kafka >= 3.0 WRITE on a topic implies it anyway (KIP-679).
    """
    topic = stream_declared.spec.topic_name(stream_declared.name)
    who = cluster.principal(principal)
    bindings = producer_bindings(who, topic)
    if transactional_id_prefix:
        bindings += transactional_bindings(who, transactional_id_prefix)
    return list(create_bindings(_prefix(parent, name_prefix), bindings, parent, cluster).values())
