"""Small Pulumi programs that emit the resource shapes the domain components will emit (fixed
upstream: pulumi-kafka Topic/Acl/Quota, aws.msk.Cluster, FlinkDeployment/Druid custom resources,
each under a `streamplane:index:<Kind>` component named after its spec object), synthesized offline
with the product's run_offline, so scenario tests use real wire names and URNs."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pulumi_kafka as kafka
from pulumi_kubernetes.apiextensions import CustomResource

from streamplane.plan.pipeline import make_plan
from streamplane.spec.model import Declared, ObjectMeta, PlatformSpec
from streamplane.spec.source import SourceDoc
from streamplane.synth import run_offline


class Component(pulumi.ComponentResource):
    def __init__(self, kind: str, name: str, parent=None):
        super().__init__(f"streamplane:index:{kind}", name, None, pulumi.ResourceOptions(parent=parent))


def child(component, **options) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(parent=component, **options)


def topic(stream: str, *, name: str | None = None, partitions: int = 8, replication_factor: int = 3,
          config: dict | None = None, acls: tuple[tuple[str, str], ...] = (), **options):
    component = Component("Stream", stream)
    kafka.Topic(stream, name=name or stream, partitions=partitions, replication_factor=replication_factor,
                config=config or {"retention.ms": "604800000"}, opts=child(component, **options))
    for principal, operation in acls:
        kafka.Acl(f"{stream}-acl-{operation.lower()}", acl_principal=principal, acl_host="*", acl_operation=operation,
                  acl_permission_type="Allow", acl_resource_name=name or stream, acl_resource_type="Topic",
                  resource_pattern_type_filter="Literal", opts=child(component))


def msk_cluster(name: str = "fronting", *, version: str = "3.6.0", subnets=("subnet-a", "subnet-b", "subnet-c"),
                security_groups=("sg-1",), kms_key: str = "arn:aws:kms:us-east-1:1:key/k1", in_cluster: bool = True):
    component = Component("KafkaCluster", name)
    aws.msk.Cluster(name, cluster_name=f"streamplane-dev-{name}", kafka_version=version, number_of_broker_nodes=3,
                    broker_node_group_info={"client_subnets": list(subnets), "security_groups": list(security_groups),
                                            "instance_type": "kafka.m5.large"},
                    encryption_info={"encryption_at_rest_kms_key_arn": kms_key,
                                     "encryption_in_transit": {"client_broker": "TLS", "in_cluster": in_cluster}},
                    opts=child(component))


def flink_deployment(job: str, *, kind: str = "FlinkJob", namespace: str = "playback", image: str = "acme/job:1.0",
                     upgrade_mode: str = "savepoint", parallelism: int = 4, config: dict | None = None,
                     mode: str | None = None, job_extra: dict | None = None, name: str | None = None,
                     inside: str | None = None, delete_first: bool = False, protect: bool = False):
    """`inside="Route"`: the job is built inside a Route component of the same name (a router).
    `delete_first`: the resource is replaced delete-before-replace (a declared migration)."""
    component = Component(kind, job, parent=Component(inside, job) if inside else None)
    spec = {"image": image, "flinkVersion": "v1_20", "serviceAccount": "flink",
            "flinkConfiguration": config if config is not None else {
                "state.checkpoints.dir": f"s3://acme-dev-flink-state/jobs/{job}/checkpoints",
                "state.savepoints.dir": f"s3://acme-dev-flink-state/jobs/{job}/savepoints"},
            "jobManager": {"resource": {"memory": "2048m", "cpu": 1}},
            "taskManager": {"resource": {"memory": "4096m", "cpu": 2}},
            "job": {"jarURI": "local:///opt/flink/usrlib/job.jar", "parallelism": parallelism,
                    "upgradeMode": upgrade_mode, "state": "running", **(job_extra or {})}}
    if mode:
        spec["mode"] = mode
    CustomResource(job, api_version="flink.apache.org/v1beta1", kind="FlinkDeployment",
                   metadata={"name": name or job, "namespace": namespace}, spec=spec,
                   opts=child(component, delete_before_replace=delete_first, protect=protect))


def druid_cluster(name: str = "metrics", tiers: dict[str, int] | None = None):
    component = Component("DruidCluster", name)
    nodes = {}
    for tier, replicas in (tiers or {"_default_tier": 2}).items():
        nodes[f"historicals-{tier.strip('_')}"] = {
            "nodeType": "historical", "druid.port": 8088, "replicas": replicas,
            "nodeConfigMountPath": "/opt/druid/conf/druid/cluster/data/historical",
            "runtime.properties": f"druid.service=druid/historical\ndruid.server.tier={tier}\n"}
    CustomResource(name, api_version="druid.apache.org/v1alpha1", kind="Druid", metadata={"name": name, "namespace": "druid"},
                   spec={"image": "apache/druid:31.0.0", "commonConfigMountPath": "/opt/druid/conf/druid/cluster/_common",
                         "nodes": nodes}, opts=child(component))


def druid_ingestion(datasource: str, *, topic: str = "metrics", segment: str = "HOUR", query: str = "MINUTE",
                    rollup: bool = True, late: str | None = "PT1H", task: str = "PT1H", skip: str | None = "PT6H",
                    rules: list | None = None, native: bool = False, early: str | None = "PT1H",
                    completion: str | None = None):
    import json

    component = Component("DruidDatasource", datasource)
    io_config = {"topic": topic, "taskDuration": task, "inputFormat": {"type": "json"}}
    if late:
        io_config["lateMessageRejectionPeriod"] = late
    if early:
        io_config["earlyMessageRejectionPeriod"] = early
    if completion:
        io_config["completionTimeout"] = completion
    supervisor = {"type": "kafka", "spec": {
        "dataSchema": {"dataSource": datasource, "timestampSpec": {"column": "ts", "format": "auto"},
                       "granularitySpec": {"segmentGranularity": segment, "queryGranularity": query, "rollup": rollup}},
        "ioConfig": io_config, "tuningConfig": {"type": "kafka"}}}
    ingestion = {"type": "kafka", "rules": rules or [{"type": "loadForever", "tieredReplicants": {"_default_tier": 2}}]}
    if native:
        ingestion["nativeSpec"] = supervisor
    else:
        ingestion["spec"] = json.dumps(supervisor)
    if skip:
        ingestion["compaction"] = {"skipOffsetFromLatest": skip, "tuningConfig": {"type": "kafka"}}
    CustomResource(datasource, api_version="druid.apache.org/v1alpha1", kind="DruidIngestion",
                   metadata={"name": datasource, "namespace": "observability"},
                   spec={"druidCluster": "metrics", "ingestion": ingestion}, opts=child(component))


def synth(*builders) -> dict:
    """The graph of a program that runs each builder (a zero-argument callable)."""
    def program():
        for build in builders:
            build()
    return run_offline(program, "dev")


def plan_of(base_builders, head_builders, head_spec=None, base_spec=None):
    base = synth(*base_builders) if base_builders is not None else None
    return make_plan("dev", "test base", synth(*head_builders), base, head_spec, base_spec)


def only(plan, type_token: str):
    """The single pending change of `type_token` in `plan`."""
    found = [c for c in plan.changes if c.type == type_token]
    assert len(found) == 1, [(c.type, c.action) for c in plan.changes]
    return found[0]


def codes(change) -> list[tuple[str, str]]:
    return [(r.level, r.code) for r in change.risks]


def route_spec(source: str, sink: dict):
    """A real Route spec (streamplane.routing.kinds) with the given source and sink."""
    from streamplane.routing.kinds import RouteSpec
    from streamplane.spec import typed

    return typed.build(RouteSpec, {"source": source, "sink": sink, "routerImage": "registry.example.com/router:1"})


def platform(environment: str = "dev", **objects: list[tuple[str, str, object]]) -> PlatformSpec:
    """A PlatformSpec from (name, owner, spec) tuples per kind: platform(Route=[("r1", "team", FakeSpec(...))])."""
    doc = SourceDoc(data={}, file="<test>", marks={})
    table = {kind: {name: Declared(kind, ObjectMeta(name, owner), spec, doc) for name, owner, spec in entries}
             for kind, entries in objects.items()}
    return PlatformSpec(environment=environment, objects=table)


STORE_YAML = """apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {{name: flink-state, owner: stream-platform}}
spec: {{{bucket}}}
"""


def make_plan_from_specs(tmp_path, base_bucket: str | None, head_bucket: str | None):
    """A plan between two spec folders holding one CheckpointStore (the real component)."""
    from streamplane.checks import load_layers
    from streamplane.paths import project_root
    from streamplane.synth import synth_spec

    stacks = project_root() / "stacks"
    graphs, specs = [], []
    for label, bucket in (("base", base_bucket), ("head", head_bucket)):
        folder = tmp_path / label
        folder.mkdir()
        (folder / "stores.yaml").write_text(STORE_YAML.format(bucket=f"bucketName: {bucket}" if bucket else ""), encoding="utf-8")
        loaded = load_layers([folder], "dev")
        graphs.append(synth_spec(loaded.spec, "dev", stacks))
        specs.append(loaded.spec)
    return make_plan("dev", "base specs", graphs[1], graphs[0], specs[1], specs[0])


def role_policy(job: str, statements: list[dict]):
    """An inline IAM role policy of a job (aws.iam.RolePolicy under its FlinkJob component)."""
    import json

    component = Component("FlinkJob", job)
    aws.iam.RolePolicy(f"{job}-state", role=f"{job}-role",
                       policy=json.dumps({"Version": "2012-10-17", "Statement": statements}), opts=child(component))
