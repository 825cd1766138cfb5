"""The two halves of a sharded environment (streamplane/shards.py): what the platform stack exports,
and how an owner stack stands in for the platform objects it reads through a StackReference.

The stand-ins expose exactly the attributes the owner-side components read from a CheckpointStore,
KafkaCluster or DruidCluster (names, ARNs, bootstrap servers, the admin provider, the ACL registry),
with values taken from the platform stack's outputs instead of from resources of this stack.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import pulumi
import pulumi_kafka as kafka

from streamplane.druid.kinds.cluster import namespace_of
from streamplane.kafka.acls import Binding, binding_declarers
from streamplane.kafka.admin import checked_admin_connection
from streamplane.kafka.clients import client_edges, issues_tls_users, principals_by_cluster, tls_stores
from streamplane.kafka.naming import principal
from streamplane.settings import StackSettings
from streamplane.shards import Shard
from streamplane.spec.model import Declared, PlatformSpec

from .druid import DruidDatasource
from .flink import FlinkJob, FlinkSettings, Tenancy
from .iam import job_prefix_policy, policy_json
from .kafka import KafkaCluster, Stream
from .kafka.connection import provider_args
from .kafka.credentials import Credential, named_credentials
from .kafka.stream import stream_bindings
from .routing import Route

if TYPE_CHECKING:
    from .platform import Platform

KAFKA_OUTPUTS = "kafka"
CREDENTIAL_OUTPUTS = "kafkaCredentials"
"""Per KafkaCluster, the generated password of each client principal: a secret output, read by the
owner stack that delivers it to its workloads (as a Kubernetes Secret in the owner's namespace)."""
STORE_OUTPUTS = "stores"
DRUID_OUTPUTS = "druid"
DIY_ORGANIZATION = "organization"
"""The organization name of self-managed (DIY) backends, where stacks are `organization/<project>/<stack>`."""


def platform_outputs(platform: Platform) -> dict[str, Any]:
    """The platform stack's exports: per KafkaCluster its bootstrap servers, per CheckpointStore its
    bucket name, ARN and key ARN, per DruidCluster its namespace and Druid name."""
    return {
        KAFKA_OUTPUTS: {name: {"bootstrapServers": c.bootstrap_servers, "adminBootstrapServers": c.admin_bootstrap_servers}
                        for name, c in platform.clusters.items()},
        CREDENTIAL_OUTPUTS: {name: {p: pulumi.Output.secret(cred.password) for p, cred in c.credentials.items()
                                    if cred.password is not None}
                             for name, c in platform.clusters.items()},
        STORE_OUTPUTS: {name: {"bucketName": s.bucket_name, "bucketArn": s.bucket_arn, "kmsKeyArn": s.kms_key_arn}
                        for name, s in platform.stores.items()},
        DRUID_OUTPUTS: {name: {"namespace": d.namespace, "druidName": d.druid_name}
                        for name, d in platform.druid_clusters.items()},
    }


def export_platform_outputs(platform: Platform) -> None:
    for key, value in platform_outputs(platform).items():
        pulumi.export(key, value)


def _output(reference: pulumi.StackReference, group: str, name: str, key: str) -> pulumi.Output[str]:
    return reference.require_output(group).apply(lambda values: values[name][key])


class RemoteStore:
    """A CheckpointStore of the platform stack, as an owner stack's jobs and routes see it."""

    def __init__(self, store: Declared, reference: pulumi.StackReference):
        self.store = store
        self.bucket_name = _output(reference, STORE_OUTPUTS, store.name, "bucketName")
        self.bucket_arn = _output(reference, STORE_OUTPUTS, store.name, "bucketArn")
        self.kms_key_arn = _output(reference, STORE_OUTPUTS, store.name, "kmsKeyArn")

    def job_policy(self, job: str) -> pulumi.Output[str]:
        """The same least-privilege policy CheckpointStore.job_policy builds, from the exported ARNs."""
        return policy_json(lambda arn, key: job_prefix_policy(arn, key, job), self.bucket_arn, self.kms_key_arn)


class RemoteKafkaCluster:
    """A KafkaCluster of the platform stack. The owner stack manages its own topics and ACLs on it,
    so it has its own kafka.Provider (named after the cluster), created on first use from the
    exported admin bootstrap servers and this stack's connection config."""

    def __init__(self, cluster: Declared, settings: StackSettings, reference: pulumi.StackReference,
                 principals: list[str], spec: PlatformSpec):
        self.cluster = cluster
        self.settings = settings
        self.client_auth = cluster.spec.application_auth
        self.bootstrap_servers = _output(reference, KAFKA_OUTPUTS, cluster.name, "bootstrapServers")
        self.admin_bootstrap_servers = _output(reference, KAFKA_OUTPUTS, cluster.name, "adminBootstrapServers")
        self.reference = reference
        self.bindings: dict[Binding, kafka.Acl | None] = {}
        """ACL bindings on this cluster declared by this stack, or None: declared by another stack."""
        self.declarers = binding_declarers(spec, cluster.name, self.client_auth)
        """As KafkaCluster.declarers: whose clients need each binding (their old ACL names are aliases)."""
        self.credentials = self._credentials(principals)
        """As KafkaCluster.credentials: the platform stack issued them; generated passwords come through
        the StackReference as secrets, an existing cluster's named Secrets from the spec."""

    def _credentials(self, principals: list[str]) -> dict[str, Credential]:
        spec, name = self.cluster.spec, self.cluster.name
        if issues_tls_users(spec):
            # The platform stack made the KafkaUsers; their Secrets are known by name.
            return {p: Credential(name, p, secret_name=p, tls=tls_stores(self.cluster, p)) for p in principals}
        if spec.engine == "existing" or "scram" not in spec.auth:
            return named_credentials(self.cluster, principals)
        exported = self.reference.require_output(CREDENTIAL_OUTPUTS)

        def password(principal: str) -> pulumi.Output[str]:
            return pulumi.Output.secret(exported.apply(lambda values: values[name][principal]))

        return {p: Credential(name, p, password(p)) for p in principals}

    @cached_property
    def provider(self) -> kafka.Provider:
        connection = checked_admin_connection(self.cluster.name, self.cluster.spec, self.settings)
        return kafka.Provider(self.cluster.name, **provider_args(self.cluster.name, connection, self.admin_bootstrap_servers))

    def principal(self, name: str) -> str:
        return principal(name, self.client_auth)


class RemoteDruidCluster:
    """A DruidCluster of the platform stack: where an owner's ingestion specs go. Datasources are
    created after the StackReference (the platform stack, with the cluster, is deployed first)."""

    def __init__(self, cluster: Declared, reference: pulumi.StackReference):
        self.namespace = namespace_of(cluster)
        self.druid_name = cluster.name
        self.druid = reference


def platform_reference(shard: Shard, settings: StackSettings) -> pulumi.StackReference:
    """The owner stack's reference to its platform stack: `streamplane:platformStackRef`, default
    `<organization>/<project>/<environment>` (the fully qualified name every backend accepts)."""
    name = settings.objects.get("platformStackRef") if settings.objects else None
    organization = pulumi.get_organization() or DIY_ORGANIZATION
    target = str(name or f"{organization}/{pulumi.get_project()}/{shard.environment}")
    return pulumi.StackReference(shard.environment, stack_name=target)


def seed_foreign_bindings(spec: PlatformSpec, shard: Shard, clusters: dict[str, RemoteKafkaCluster]) -> None:
    """Mark the ACL bindings other stacks' Streams declare on the clusters this stack uses, so a route
    here granting the same binding reuses it instead of declaring one Kafka ACL in two stacks (the
    deletion of either would revoke it). A stream owns its bindings, as in a single stack."""
    for stream in spec.of("Stream"):
        remote = clusters.get(stream.spec.cluster)
        if shard.builds(stream) or remote is None:
            continue
        for binding in stream_bindings(stream, cast(Any, remote)):
            remote.bindings.setdefault(binding, None)


def build_owner_stack(platform: Platform, shard: Shard) -> None:
    """An owner's stack: its Streams, FlinkJobs (in its tenant namespace), DruidDatasources and Routes,
    on the platform stack's stores, clusters and Druid clusters (read through one StackReference).
    The Flink operator is the platform stack's: it is deployed before any owner stack."""
    spec, settings = platform.spec, platform.settings
    reference = platform_reference(shard, settings)
    stores = {s.name: RemoteStore(s, reference) for s in spec.of("CheckpointStore")}
    principals = principals_by_cluster(client_edges(spec))
    clusters = {c.name: RemoteKafkaCluster(c, settings, reference, principals.get(c.name, []), spec)
                for c in spec.of("KafkaCluster")}
    seed_foreign_bindings(spec, shard, clusters)
    # The stand-ins have what the components read from the real ones (duck-typed).
    as_stores = cast(dict[str, Any], stores)
    as_clusters = cast(dict[str, KafkaCluster], clusters)
    for stream in spec.of("Stream"):
        if shard.builds(stream):
            platform.streams[stream.name] = Stream(stream, as_clusters[stream.spec.cluster], settings)
    flink = FlinkSettings.from_stack(settings)
    platform.tenancy = Tenancy(settings, flink)
    for job in spec.of("FlinkJob"):
        if shard.builds(job):
            store = as_stores.get(job.spec.checkpoint_store) if job.spec.checkpoint_store else None
            platform.jobs[job.name] = FlinkJob(job, store, settings, platform.tenancy, flink=flink)
    druid = {c.name: RemoteDruidCluster(c, reference) for c in spec.of("DruidCluster")}
    for ds in spec.of("DruidDatasource"):
        if shard.builds(ds):
            stream = spec.require("Stream", ds.spec.stream)
            platform.druid_datasources[ds.name] = DruidDatasource(
                ds, stream, cast(Any, druid[ds.spec.cluster]), as_clusters[stream.spec.cluster], settings)
    for route in spec.of("Route"):
        if shard.builds(route):
            platform.routes[route.name] = Route(route, spec=spec, settings=settings, tenancy=platform.tenancy,
                                                stores=as_stores, clusters=as_clusters)
