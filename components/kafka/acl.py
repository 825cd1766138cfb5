"""ACL bindings: one kafka.Acl per (principal, operation, resource), named from that key.

Which bindings an operation needs is a pure rule (streamplane/kafka/acls.py); this module declares them.

Every kafka.Acl field forces a replacement upstream, so a binding is never updated in place: a
changed binding is a different resource. Naming each binding from its own key means adding or
removing a producer or consumer adds or removes exactly its bindings and leaves every other URN alone.

Other components (a route's router job, a Druid datasource) call grant_consumer / grant_producer to
give their principal access to a stream; a binding that already exists on the cluster (e.g. the stream
lists the same consumer) is reused, never declared twice: two resources for one Kafka ACL would let the
deletion of one silently revoke the other. Every binding is the KafkaCluster's child, named from the
binding, so dropping one of two declarers leaves it alone (docs/UPGRADE.md: the move from per-declarer
names is a no-op through aliases).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pulumi
import pulumi_kafka as kafka

from streamplane.kafka.acls import Binding, consumer_bindings, producer_bindings, transactional_bindings
from streamplane.kafka.naming import consumer_group
from streamplane.spec.model import Declared

from .. import TYPE_PREFIX

if TYPE_CHECKING:
    from .cluster import KafkaCluster

DECLARER_TYPES = {"Stream": f"{TYPE_PREFIX}Stream", "Route": f"{TYPE_PREFIX}Route",
                  "DruidDatasource": f"{TYPE_PREFIX}DruidDatasource"}
"""The component type of each spec kind whose clients get ACLs: the parents bindings had before the
cluster owned them (their URNs are kept as aliases)."""


def binding_name(owner: str, binding: Binding) -> str:
    """`<owner>-acl-<principal>-<operation>-<type>-<resource>[-prefixed]`: named from the binding alone."""
    return f"{owner}-acl-{binding.key}"


def previous_names(binding: Binding, cluster: KafkaCluster) -> list[pulumi.Alias]:
    """Where the binding lived before the cluster owned it: under whichever of its declarers (a Stream,
    Route or DruidDatasource, all children of the stack) registered it first, named after that
    declarer. Every declarer is listed; the engine uses the one alias its state holds and ignores the
    rest (pulumi/pulumi pkg/resource/deploy/step_generator.go getOldResource)."""
    return [pulumi.Alias(name=binding_name(name, binding), parent=pulumi.create_urn(name, DECLARER_TYPES[kind]))
            for kind, name in cluster.declarers.get(binding, []) if kind in DECLARER_TYPES]


def create_bindings(bindings: list[Binding], cluster: KafkaCluster) -> dict[str, kafka.Acl]:
    """One kafka.Acl per binding unless the cluster already has it (`cluster.bindings`: per cluster
    component, so nothing outlives one synthesis).

    A KafkaCluster component owns every binding on it: the Acl is its child, named
    `<cluster>-acl-<key>`, so which component declares it (and which declares it first) never changes
    its URN. The stand-in cluster of a sharded owner stack is no resource: there the binding, named
    the same, is a child of the stack itself, for the same reason.
    """
    existing = cluster.bindings
    owner = cluster if isinstance(cluster, pulumi.Resource) else None
    created: dict[str, kafka.Acl] = {}
    for binding in bindings:
        if binding in existing:
            owned = existing[binding]
            if owned is not None:  # None: another stack of a sharded environment declares it
                created[binding.key] = owned
            continue
        acl = kafka.Acl(
            binding_name(cluster.cluster.name, binding),
            acl_principal=binding.principal,
            acl_host="*",
            acl_operation=binding.operation,
            acl_permission_type="Allow",
            acl_resource_type=binding.resource_type,
            acl_resource_name=binding.resource_name,
            resource_pattern_type_filter=binding.pattern,
            opts=pulumi.ResourceOptions(parent=owner, provider=cluster.provider, aliases=previous_names(binding, cluster)),
        )
        existing[binding] = acl
        created[binding.key] = acl
    return created


def grant_consumer(stream_declared: Declared, principal: str, cluster: KafkaCluster,
                   group: str | None = None) -> list[kafka.Acl]:
    """Let `principal` consume a stream: READ + DESCRIBE on its topic, READ on `group`.

    group None: the convention `<principal>.<stream name>` (naming.consumer_group). The resources are
    the cluster's (create_bindings), shared with every other declarer of the same binding.
    """
    topic = stream_declared.spec.topic_name(stream_declared.name)
    who = cluster.principal(principal)
    bindings = consumer_bindings(who, topic, group or consumer_group(principal, stream_declared.name))
    return list(create_bindings(bindings, cluster).values())


def grant_producer(stream_declared: Declared, principal: str, cluster: KafkaCluster,
                   *, transactional_id_prefix: str | None = None) -> list[kafka.Acl]:
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
    return list(create_bindings(bindings, cluster).values())
