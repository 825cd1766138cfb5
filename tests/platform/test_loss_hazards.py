"""Scenarios for the data-loss codes (streamplane/platform/risks/loss.py) and the per-environment level table."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest
from pulumi_kubernetes.core.v1 import Namespace

from streamplane.risks.assess import CATALOGUE, ENVIRONMENTS
from tests.plan.builders import (
    Component,
    child,
    codes,
    druid_cluster,
    druid_ingestion,
    msk_cluster,
    only,
    plan_of,
    platform,
    topic,
)

TOPIC = "kafka:index/topic:Topic"
INGESTION = "kubernetes:druid.apache.org/v1alpha1:DruidIngestion"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
FLINK = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"


def in_env(environment: str):
    return platform(environment=environment)


def test_kafka_cluster_deletion_is_blocked_everywhere():
    plan = plan_of([msk_cluster], [])
    change = only(plan, "aws:msk/cluster:Cluster")
    assert change.action == "delete"
    assert codes(change) == [("block", "kafka.cluster-delete")]
    assert change.risks[0].message.startswith(
        'kafkacluster "fronting": cluster "streamplane-dev-fronting" is deleted: every topic on it')
    assert plan.blocked


def strimzi_cluster(name: str = "consumer"):
    from pulumi_kubernetes.apiextensions import CustomResource
    component = Component("KafkaCluster", name)
    CustomResource(name, api_version="kafka.strimzi.io/v1", kind="Kafka",
                   metadata={"name": name, "namespace": "kafka"}, spec={"kafka": {"listeners": []}}, opts=child(component))


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_strimzi_kafka_cr_deletion_is_a_blocked_cluster_delete(environment):
    spec = in_env(environment)
    plan = plan_of([strimzi_cluster], [], head_spec=spec, base_spec=spec)
    change = only(plan, "kubernetes:kafka.strimzi.io/v1:Kafka")
    assert codes(change) == [("block", "kafka.cluster-delete")]
    assert 'cluster "consumer" is deleted: every topic on it' in change.risks[0].message
    assert "deleteClaim: false, as orphaned PersistentVolumeClaims" in change.risks[0].message


def test_msk_cluster_deletion_names_no_strimzi_volumes():
    plan = plan_of([msk_cluster], [])
    assert "PersistentVolumeClaims" not in only(plan, "aws:msk/cluster:Cluster").risks[0].message


OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"


def store_with_key(own_key: bool = True, bucket: bool = True, retain: bool = False):
    """A CheckpointStore's bucket encrypted with its own key (own_key), or with a given ARN."""
    def build():
        component = Component("CheckpointStore", "flink-state")
        key_arn: pulumi.Input[str] = OTHER_KEY
        if own_key:
            key_arn = aws.kms.Key("flink-state", deletion_window_in_days=30, opts=child(component)).arn
        if bucket:
            store = aws.s3.Bucket("flink-state", bucket="acme-dev-flink-state", opts=child(component, retain_on_delete=retain))
            aws.s3.BucketServerSideEncryptionConfiguration("flink-state", bucket=store.id, rules=[
                {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": key_arn}}],
                opts=child(component, depends_on=[store]))
    return build


def test_kms_key_deleted_while_its_bucket_keeps_the_data_it_encrypted_is_blocked():
    """A store gets kmsKeyArn: the bucket now names another key, its key is deleted; every object
    written before is still encrypted with the deleted key."""
    plan = plan_of([store_with_key()], [store_with_key(own_key=False)])
    change = only(plan, "aws:kms/key:Key")
    assert codes(change) == [("block", "kms.key-delete")]
    assert 'while Bucket "acme-dev-flink-state" still hold data it encrypted' in change.risks[0].message
    assert "after its 30-day waiting period they are unrecoverable" in change.risks[0].message
    assert plan.blocked


def test_kms_key_that_encrypted_nothing_is_no_risk():
    def lone_key():
        aws.kms.Key("spare", deletion_window_in_days=7, opts=child(Component("CheckpointStore", "spare")))
    plan = plan_of([lone_key], [])
    assert only(plan, "aws:kms/key:Key").risks == []


def test_kms_key_deleted_with_the_bucket_it_encrypted_is_the_store_delete_only():
    plan = plan_of([store_with_key()], [])
    assert only(plan, "aws:kms/key:Key").risks == []


def test_kms_key_deleted_while_its_bucket_is_retained_on_delete_is_blocked():
    plan = plan_of([store_with_key(retain=True)], [])
    assert codes(only(plan, "aws:kms/key:Key")) == [("block", "kms.key-delete")]


def namespace(owner: str = "playback"):
    component = Component("TenantNamespace", owner)
    Namespace(owner, metadata={"name": owner}, opts=child(component))


@pytest.mark.parametrize("environment, level", [("dev", "danger"), ("staging", "danger"), ("prod", "block")])
def test_namespace_deletion_cascades_and_is_levelled_per_environment(environment, level):
    spec = in_env(environment)
    plan = plan_of([namespace], [], head_spec=spec, base_spec=spec)
    change = only(plan, "kubernetes:core/v1:Namespace")
    assert codes(change) == [(level, "k8s.namespace-delete")]
    assert 'Namespace "playback" is deleted: Kubernetes deletes every object in it' in change.risks[0].message


@pytest.mark.parametrize("before, after, part", [
    ({"retention.ms": "604800000"}, {"retention.ms": "3600000"},
     "retention.ms 604800000 -> 3600000 (7d -> 1h: the oldest 167h go)"),
    ({"retention.ms": "-1"}, {"retention.ms": "86400000"}, "retention.ms -1 -> 86400000"),
    ({"retention.ms": "604800000", "cleanup.policy": "delete"},
     {"retention.ms": "604800000", "cleanup.policy": "compact"},
     "cleanup.policy delete -> compact (compaction keeps only the latest record per key)"),
])
def test_retention_decrease_or_compaction_switch_is_danger(before, after, part):
    plan = plan_of([lambda: topic("playback-events", config=before)], [lambda: topic("playback-events", config=after)])
    change = only(plan, TOPIC)
    assert change.action == "update"
    assert codes(change) == [("danger", "kafka.retention-decrease")]
    assert part in change.risks[0].message


def test_retention_increase_is_no_risk():
    plan = plan_of([lambda: topic("t", config={"retention.ms": "3600000"})],
                   [lambda: topic("t", config={"retention.ms": "604800000"})])
    assert only(plan, TOPIC).risks == []


def test_retention_decrease_is_blocked_in_prod():
    spec = in_env("prod")
    plan = plan_of([lambda: topic("t", config={"retention.ms": "604800000"})],
                   [lambda: topic("t", config={"retention.ms": "3600000"})], head_spec=spec, base_spec=spec)
    assert codes(only(plan, TOPIC)) == [("block", "kafka.retention-decrease")]


RULES_90D = [{"type": "loadByPeriod", "period": "P90D", "includeFuture": True, "tieredReplicants": {"_default_tier": 2}},
             {"type": "dropForever"}]
RULES_1D = [{"type": "loadByPeriod", "period": "P1D", "includeFuture": True, "tieredReplicants": {"_default_tier": 2}},
            {"type": "dropForever"}]


def test_shrinking_load_rules_drop_segments_from_historicals_but_not_deep_storage():
    plan = plan_of([lambda: druid_ingestion("playback-metrics", rules=RULES_90D)],
                   [lambda: druid_ingestion("playback-metrics", rules=RULES_1D)])
    change = only(plan, INGESTION)
    assert codes(change) == [("danger", "druid.load-rules-shrink")]
    message = change.risks[0].message
    assert 'tier "_default_tier" P90D -> P1D' in message and "Deep storage keeps them" in message


def test_widening_load_rules_is_no_risk():
    plan = plan_of([lambda: druid_ingestion("m", rules=RULES_1D)], [lambda: druid_ingestion("m", rules=RULES_90D)])
    assert only(plan, INGESTION).risks == []


def test_druid_cluster_and_datasource_deletion_say_what_remains_in_deep_storage():
    plan = plan_of([druid_cluster, lambda: druid_ingestion("playback-metrics")], [])
    ingestion = only(plan, INGESTION)
    cluster = only(plan, "kubernetes:druid.apache.org/v1alpha1:Druid")
    assert codes(ingestion) == [("danger", "druid.datasource-delete")]
    assert codes(cluster) == [("danger", "druid.datasource-delete")]
    assert "its Kafka supervisor stops" in ingestion.risks[0].message
    assert "Segments already handed off remain in deep storage" in cluster.risks[0].message


def lifecycle(days: int):
    def build():
        component = Component("CheckpointStore", "flink-state")
        aws.s3.BucketLifecycleConfiguration("flink-state-lifecycle", bucket="acme-dev-flink-state", rules=[
            {"id": "expire-noncurrent-versions", "status": "Enabled", "filter": {},
             "noncurrent_version_expiration": {"noncurrent_days": days}}], opts=child(component))
    return build


def test_shorter_noncurrent_expiration_is_danger_the_rewind_window_shrinks():
    plan = plan_of([lifecycle(30)], [lifecycle(1)])
    change = only(plan, LIFECYCLE)
    assert codes(change) == [("danger", "store.lifecycle-shorter")]
    assert "noncurrent versions expire after 1 day(s) (was 30)" in change.risks[0].message


def test_protect_dropped_on_a_topic_is_danger():
    plan = plan_of([lambda: topic("playback-events", protect=True)], [lambda: topic("playback-events")])
    change = only(plan, TOPIC)
    assert change.action == "update"
    assert codes(change) == [("danger", "protect.dropped")]


def test_protect_dropped_on_a_marked_resource_is_danger():
    def role(protect: bool):
        def build():
            aws.iam.Role("r", assume_role_policy="{}", tags={"streamplane.io/stateful": "true"},
                         opts=pulumi.ResourceOptions(protect=protect))
        return build
    plan = plan_of([role(True)], [role(False)])
    assert codes(only(plan, "aws:iam/role:Role")) == [("danger", "protect.dropped")]


def test_every_data_losing_code_is_danger_or_above_everywhere_and_block_in_prod():
    for code, hz in CATALOGUE.items():
        assert hz.fix and hz.when, code
        if hz.loses_data:
            assert [hz.level(env) for env in ENVIRONMENTS][:2] != ["warn"] * 2, code
            assert all(hz.level(env) in ("danger", "block") for env in ENVIRONMENTS), code
            assert hz.level("prod") == "block", code


def test_unknown_environment_uses_dev_levels():
    hz = CATALOGUE["kafka.topic-delete"]
    assert (hz.level(None), hz.level("prod"), hz.level("qa")) == ("danger", "block", "danger")


def test_consumer_losing_its_acl_on_a_topic_that_stays_is_danger_naming_principal_and_operation():
    plan = plan_of([lambda: topic("playback-events", acls=(("User:playback-api", "Write"), ("User:router", "Read")))],
                   [lambda: topic("playback-events", acls=(("User:playback-api", "Write"),))])
    change = next(c for c in plan.changes if c.type == "kafka:index/acl:Acl" and c.action == "delete")
    assert codes(change) == [("danger", "kafka.access-lost")]
    assert 'principal User:router loses Read on topic "playback-events"' in change.risks[0].message


def test_acl_deleted_with_its_topic_is_only_the_topic_delete():
    plan = plan_of([lambda: topic("playback-events", acls=(("User:router", "Read"),))], [])
    acl = next(c for c in plan.changes if c.type == "kafka:index/acl:Acl")
    assert acl.risks == []


def schema_stream(fields, consumers=("playback-router",)):
    from streamplane.kafka.kinds.stream import EventSchema, SchemaField, StreamSpec
    return StreamSpec(cluster="fronting", partitions=8, consumers=consumers,
                      schema=EventSchema(tuple(SchemaField(n, t, nullable) for n, t, nullable in fields)))


def schema_platform(fields):
    from tests.plan.builders import route_spec
    return platform(Stream=[("playback-events", "playback", schema_stream(fields))],
                    Route=[("to-archive", "playback", route_spec("playback-events", {"kafka": {"stream": "archive"}}))])


BASE_FIELDS = [("ts", "long", False), ("title", "string", False), ("bitrate", "int", False)]


@pytest.mark.parametrize("head_fields, part", [
    ([("ts", "long", False), ("bitrate", "int", False)],
     'field "title" (string, required) removed: readers on the old schema find it missing (not FORWARD compatible)'),
    ([("ts", "int", False), ("title", "string", False), ("bitrate", "int", False)],
     'field "ts" type long -> int narrows: records already written cannot be read with the new type (not BACKWARD compatible)'),
    ([*BASE_FIELDS, ("device", "string", False)],
     'field "device" (string) added as required without a default: records already written lack it (not BACKWARD compatible)'),
])
def test_incompatible_schema_change_names_what_it_breaks(head_fields, part):
    component = lambda: Component("Stream", "playback-events")  # noqa: E731
    plan = plan_of([component], [component], head_spec=schema_platform(head_fields), base_spec=schema_platform(BASE_FIELDS))
    change = only(plan, "streamplane:index:Stream")
    assert change.action == "same"
    assert codes(change) == [("danger", "schema.incompatible")]
    message = change.risks[0].message
    assert part in message
    assert "It breaks: consumer playback-router, route \"to-archive\"." in message


def test_compatible_schema_change_is_no_risk():
    component = lambda: Component("Stream", "playback-events")  # noqa: E731
    head = [("ts", "long", False), ("title", "string", False), ("bitrate", "long", False), ("device", "string", True)]
    plan = plan_of([component], [component], head_spec=schema_platform(head), base_spec=schema_platform(BASE_FIELDS))
    assert only(plan, "streamplane:index:Stream").risks == []


def stateless_label(environment: str = "dev"):
    """The base spec after PR 1 of the two-PR sneak: the job is now *called* stateless."""
    from types import SimpleNamespace
    return platform(environment=environment,
                    FlinkJob=[("playback-sessions", "playback", SimpleNamespace(stateful=False, upgrade_mode=None))])


@pytest.mark.parametrize("environment, level", [("dev", "danger"), ("staging", "danger"), ("prod", "block")])
def test_two_pr_sneak_deleting_a_job_relabelled_stateless_keeps_its_state_hazard(environment, level):
    from tests.plan.builders import flink_deployment
    spec = stateless_label(environment)
    plan = plan_of([lambda: flink_deployment("playback-sessions", upgrade_mode="savepoint")], [],
                   head_spec=spec, base_spec=spec)
    change = only(plan, "kubernetes:flink.apache.org/v1beta1:FlinkDeployment")
    assert change.action == "delete"
    assert codes(change) == [(level, "flink.state-dropped")]
    assert "the FlinkDeployment would be deleted" in change.risks[0].message


def test_two_pr_sneak_pr1_dropping_protect_on_a_job_that_held_state_is_blocked_in_prod():
    from tests.plan.builders import flink_deployment
    spec = stateless_label("prod")
    plan = plan_of([lambda: flink_deployment("playback-sessions", upgrade_mode="savepoint", protect=True)],
                   [lambda: flink_deployment("playback-sessions", upgrade_mode="savepoint")],
                   head_spec=spec, base_spec=spec)
    change = only(plan, "kubernetes:flink.apache.org/v1beta1:FlinkDeployment")
    assert ("block", "protect.dropped") in codes(change)


def test_unprotecting_and_replacing_in_one_update_is_protect_dropped_not_an_engine_refusal():
    """pulumi refuses a replace only when state and program both protect the resource
    (pkg/resource/deploy/step_generator.go): dropping protect in the same update lets it through."""
    plan = plan_of([lambda: topic("playback-events", protect=True)],
                   [lambda: topic("playback-events", name="playback-events-v2")])
    change = only(plan, TOPIC)
    assert change.action == "replace"
    assert codes(change) == [("danger", "kafka.topic-replace"), ("danger", "protect.dropped")]
    assert "in the same update that replaces it, so the engine lets the replace through" in change.risks[1].message


def test_replacing_a_resource_the_program_still_protects_is_refused():
    plan = plan_of([lambda: topic("playback-events", protect=True)],
                   [lambda: topic("playback-events", name="playback-events-v2", protect=True)])
    assert ("block", "protected.delete") in codes(only(plan, TOPIC))


def test_a_declared_migration_of_a_protected_job_is_refused_until_the_state_is_unprotected():
    """docs/review.md, "Prod protection": the program keeps protecting a stateful job, so the engine
    refuses the migration's replace while the state protects it; unprotected in the state, it passes."""
    from tests.plan.builders import flink_deployment
    savepoint = {"initialSavepointPath": "s3://acme-prod-flink-state/jobs/sessions/savepoints/savepoint-final"}
    head = [lambda: flink_deployment("sessions", namespace="search", delete_first=True, job_extra=savepoint, protect=True)]
    refused = only(plan_of([lambda: flink_deployment("sessions", protect=True)], head), FLINK)
    assert (refused.action, codes(refused)) == ("replace", [("block", "protected.delete")])
    unprotected = only(plan_of([lambda: flink_deployment("sessions")], head), FLINK)
    assert (unprotected.action, codes(unprotected)) == ("replace", [])
