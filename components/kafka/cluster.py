"""KafkaCluster: a Kafka cluster (MSK, Strimzi or existing), the kafka.Provider that manages it, its quotas."""

from __future__ import annotations

import pulumi
import pulumi_kafka as kafka

from streamplane.kafka.acls import Binding, binding_declarers, idempotent_binding
from streamplane.kafka.admin import KAFKA_CONFIG_KEY, AdminConnection, admin_mechanism, admin_username
from streamplane.kafka.broker import broker_defaults
from streamplane.kafka.checks.msk import msk_cluster_name
from streamplane.kafka.clients import client_edges, principals_by_cluster
from streamplane.kafka.kinds.cluster import KafkaClusterSpec
from streamplane.kafka.naming import principal
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared, PlatformSpec

from .. import TYPE_PREFIX
from ..checkpoint import is_protected
from . import credentials as client_credentials
from . import existing, msk, strimzi
from .acl import create_bindings
from .connection import create_provider
from .quota import create_quota


def idempotent_producers(cluster: str, platform: PlatformSpec) -> list[str]:
    """Every producer that some stream on `cluster` marks idempotent, once each, sorted."""
    names = {p for s in platform.of("Stream") if s.spec.cluster == cluster and s.spec.idempotent_producers
             for p in s.spec.producers}
    return sorted(names)


class KafkaCluster(pulumi.ComponentResource):
    """A Kafka cluster and the provider that manages its topics, ACLs and quotas.

    Creates, by engine: msk — aws.msk.Configuration (broker defaults), aws.msk.Cluster (TLS in transit
    and in cluster, KMS at rest, IAM/SCRAM auth, enhanced + open monitoring, broker logs), a KMS key
    unless given, a CloudWatch log group; strimzi — Kafka, two KafkaNodePools (controllers, brokers)
    and the admin KafkaUser, plus one `tls` KafkaUser per application principal when applications use
    mutual TLS; existing — nothing. Then one kafka.Provider; a SCRAM credential for every
    client principal of its streams, routes and datasources (components/kafka/credentials.py); every
    kafka.Acl on the cluster, whoever declares it (streams, routes, datasources, and IDEMPOTENT_WRITE
    for the idempotent producers of its streams), named `<cluster>-acl-<binding key>`;
    one kafka.Quota per spec.quotas entry.
    Hazards: on MSK, the name, subnets, security groups, KMS key, in-cluster encryption or a version
    downgrade replace the cluster (the plan blocks it as msk.cluster-replace).
    """

    bootstrap_servers: pulumi.Output[str]
    """Comma-separated bootstrap servers for applications (producers, consumers), for their auth."""
    admin_bootstrap_servers: pulumi.Output[str]
    """Bootstrap servers of the admin connection (differs from bootstrap_servers on MSK with IAM + SCRAM)."""
    provider: kafka.Provider
    """The pulumi_kafka provider for this cluster: topics, ACLs and quotas on it use it."""

    def __init__(self, cluster: Declared[KafkaClusterSpec], platform: PlatformSpec, settings: StackSettings,
                 connection: AdminConnection, opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}KafkaCluster", cluster.name, None, opts)
        self.cluster = cluster
        spec = cluster.spec
        name = cluster.name
        self.client_auth = spec.application_auth
        mechanism = admin_mechanism(spec)
        defaults = broker_defaults(spec.brokers)

        principals = principals_by_cluster(client_edges(platform)).get(name, [])
        tls_users: dict[str, pulumi.Resource] = {}
        msk_cluster = None
        if spec.engine == "msk":
            application, admin, msk_cluster = msk.create(
                self, cluster, settings, {**defaults, "allow.everyone.if.no.acl.found": "false"}, mechanism)
        elif spec.engine == "strimzi":
            admin_user = admin_username(name, spec, settings)
            app_address, admin_address, tls_users = strimzi.create(
                self, cluster, settings, defaults, admin_user, settings.object(KAFKA_CONFIG_KEY), principals)
            application, admin = pulumi.Output.from_input(app_address), pulumi.Output.from_input(admin_address)
        else:
            application = admin = pulumi.Output.from_input(existing.bootstrap(cluster))

        self.bootstrap_servers = application
        self.admin_bootstrap_servers = admin
        self.provider = create_provider(name, connection, admin, self)
        self.credentials = client_credentials.issue(
            self, cluster, principals, settings.base_tags(cluster.owner, cluster.meta.labels),
            is_protected(spec.protect, settings), msk_cluster=msk_cluster,
            msk_name=msk_cluster_name(settings, name), provider=self.provider, tls_users=tls_users)
        """Each client principal's credential on this cluster (streamplane.kafka.clients), by principal."""
        self.bindings: dict[Binding, kafka.Acl | None] = {}
        """Every ACL declared on this cluster, by binding: one Kafka ACL is never declared twice."""
        self.declarers = binding_declarers(platform, name, self.client_auth)
        """Per binding, the spec objects whose clients need it (their old ACL names become aliases)."""

        producers = [principal(p, self.client_auth) for p in idempotent_producers(name, platform)]
        self.acls = create_bindings([idempotent_binding(p) for p in producers], self)
        # A mutual-TLS KafkaUser carries its own quota (components/kafka/strimzi.py): the User Operator
        # would delete a kafka.Quota of that principal.
        self.quotas = {q.principal: create_quota(name, q, principal(q.principal, self.client_auth), self, self.provider)
                       for q in spec.quotas if q.principal not in tls_users}
        self.register_outputs({"bootstrapServers": self.bootstrap_servers,
                               "adminBootstrapServers": self.admin_bootstrap_servers})

    def principal(self, name: str) -> str:
        """An application's Kafka principal on this cluster (User:<name>, or User:CN=<name> with mutual TLS)."""
        return principal(name, self.client_auth)
