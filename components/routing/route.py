"""Route: one Keystone delivery route as its own router Flink job, with the Kafka ACLs and IAM it needs."""

from __future__ import annotations

from collections.abc import Callable

import pulumi

from streamplane.kafka.clients import client_listener
from streamplane.routing.kinds import ElasticsearchSink, KafkaSink, RouteSpec, S3Sink, router_name
from streamplane.routing.router_job import router_job
from streamplane.settings import StackSettings
from streamplane.spec.model import Declared, PlatformSpec

from .. import TYPE_PREFIX
from ..checkpoint import CheckpointStore, bucket_name
from ..flink import FlinkJob, FlinkOperator, Tenancy
from ..iam import policy_json
from ..kafka import KafkaCluster
from ..kafka.acl import grant_consumer, grant_producer
from ..kafka.credentials import deliver
from .router import KafkaAuth, route_configuration, sink_policy, transactional_id_prefix


class Route(pulumi.ComponentResource):
    """One route, `streamplane:index:Route` named after it.

    Creates (children): the router `streamplane:index:FlinkJob` `route-<name>` (its FlinkDeployment,
    IRSA role with the checkpoint-store policy and, for an S3 sink, `route-<name>-sink` limited to the
    sink prefix; service account; role binding); consumer ACLs for principal `route-<name>` on the
    source topic and its group `route-<name>.<source>`; producer ACLs on a Kafka sink's topic. The ACLs
    are children of their KafkaCluster (components/kafka/acl.py), shared with any stream listing the router. An Elasticsearch sink's credentials are a Kubernetes Secret reference.
    """

    principal: str
    """The router's Kafka principal (before the cluster's User: form)."""
    job: FlinkJob
    """The router job."""

    def __init__(self, route: Declared[RouteSpec], *, spec: PlatformSpec, settings: StackSettings,
                 tenancy: Tenancy, stores: dict[str, CheckpointStore], clusters: dict[str, KafkaCluster],
                 operator: FlinkOperator | None = None,
                 opts: pulumi.ResourceOptions | None = None):
        super().__init__(f"{TYPE_PREFIX}Route", route.name, None, opts)
        rspec = route.spec
        source = spec.require("Stream", rspec.source)
        source_cluster = clusters[source.spec.cluster]
        self.principal = router_name(route.name)

        sink_topic = sink_bootstrap = sink_bucket = None
        policies: dict[str, pulumi.Input[str]] = {}
        sink_stream = None
        match rspec.sink:
            case KafkaSink(stream=stream):
                sink_stream = spec.require("Stream", stream)
                sink_topic = sink_stream.spec.topic_name(sink_stream.name)
                sink_bootstrap = clusters[sink_stream.spec.cluster].bootstrap_servers
            case S3Sink(store=store_name, prefix=prefix):
                store = stores[store_name]
                sink_bucket = bucket_name(store.store, settings)
                policies["sink"] = policy_json(lambda arn, key: sink_policy(arn, key, prefix),
                                               store.bucket_arn, store.kms_key_arn)
            case ElasticsearchSink():
                pass  # credentials come from the owner's Secret (route_configuration), no AWS policy

        # The router's credential on each cluster it uses, as a Secret in its namespace (by name only).
        namespace = tenancy.namespace_for(route.owner)
        auth: dict[str, KafkaAuth] = {}
        sides = [("source", source_cluster)]
        if sink_stream is not None:
            sides.append(("sink", clusters[sink_stream.spec.cluster]))
        for side, kafka_cluster in sides:
            credential = kafka_cluster.credentials.get(self.principal)
            if credential is None:
                continue
            secret = deliver(f"{route.name}-{side}-kafka", credential, namespace.name,
                             {"streamplane.io/route": route.name}, self, depends_on=[namespace.namespace])
            auth[side] = KafkaAuth(client_listener(kafka_cluster.cluster.spec), secret, credential.tls)
        configuration = route_configuration(
            route, source_topic=source.spec.topic_name(source.name), source_bootstrap=source_cluster.bootstrap_servers,
            sink_topic=sink_topic, sink_bootstrap=sink_bootstrap, sink_bucket=sink_bucket,
            source_auth=auth.get("source"), sink_auth=auth.get("sink"))
        job = router_job(route, source.spec.partitions)
        # The ACLs exist before the router starts reading and writing.
        acls = grant_consumer(source, self.principal, source_cluster)
        if sink_stream is not None:
            acls += grant_producer(sink_stream, self.principal, clusters[sink_stream.spec.cluster],
                                   transactional_id_prefix=transactional_id_prefix(route))
        self.job = FlinkJob(job, stores.get(rspec.checkpoint_store), settings, tenancy, extra_policies=policies,
                            platform_configuration=configuration, operator=operator,
                            opts=pulumi.ResourceOptions(parent=self, depends_on=acls))
        self.register_outputs({"principal": self.principal, "namespace": self.job.namespace,
                               "roleArn": self.job.role_arn})


def build_routes(spec: PlatformSpec, settings: StackSettings, *, tenancy: Tenancy, stores, clusters,
                 operator: FlinkOperator | None = None, only: Callable[[Declared], bool] | None = None,
                 ) -> dict[str, Route]:
    """Every declared route (`only`: those it accepts, in a partitioned synth), by name (after streams
    and Flink jobs: it reuses their clusters and tenancy)."""
    return {route.name: Route(route, spec=spec, settings=settings, tenancy=tenancy, stores=stores, clusters=clusters,
                              operator=operator) for route in spec.of("Route") if only is None or only(route)}
