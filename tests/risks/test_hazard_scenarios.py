"""One scenario per hazard code: a base, a head, and the exact risks expected (level, code, message parts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamplane.kafka.kinds.cluster import KafkaClusterSpec
from streamplane.kafka.kinds.stream import StreamSpec
from streamplane.risks.assess import CATALOGUE
from tests.plan.builders import (
    codes,
    druid_cluster,
    druid_ingestion,
    flink_deployment,
    msk_cluster,
    only,
    plan_of,
    platform,
    role_policy,
    route_spec,
    topic,
)

TOPIC = "kafka:index/topic:Topic"
ACL = "kafka:index/acl:Acl"
MSK = "aws:msk/cluster:Cluster"
FLINK = "kubernetes:flink.apache.org/v1beta1:FlinkDeployment"
INGESTION = "kubernetes:druid.apache.org/v1alpha1:DruidIngestion"


def playback_spec(brokers: int = 3, partitions: int = 8):
    return platform(
        KafkaCluster=[("fronting", "stream-platform", KafkaClusterSpec(engine="msk", brokers=brokers))],
        Stream=[("playback-events", "playback", StreamSpec(cluster="fronting", partitions=partitions,
                                                           producers=("playback-api",), consumers=("playback-router",)))])


def test_partition_decrease_is_blocked_and_names_stream_owner_and_consumers():
    spec = playback_spec()
    plan = plan_of([lambda: topic("playback-events", partitions=8)], [lambda: topic("playback-events", partitions=4)],
                   head_spec=spec, base_spec=spec)
    change = only(plan, TOPIC)
    assert change.action == "replace" and change.replace_paths == ["partitions"]
    assert codes(change) == [("block", "kafka.partitions-decrease")]
    message = change.risks[0].message
    assert message.startswith('stream "playback-events" (owner playback): partitions 8 -> 4.')
    assert "Consumers affected: playback-router." in message
    assert plan.blocked


def test_topic_rename_is_a_dangerous_replace():
    plan = plan_of([lambda: topic("playback-events")], [lambda: topic("playback-events", name="playback-events-v2")])
    change = only(plan, TOPIC)
    assert (change.action, change.replace_paths) == ("replace", ["name"])
    assert codes(change) == [("danger", "kafka.topic-replace")]
    assert 'topic "playback-events" becomes "playback-events-v2"' in change.risks[0].message
    assert not plan.blocked


def test_stream_removal_is_a_dangerous_topic_delete():
    plan = plan_of([lambda: topic("playback-events"), lambda: topic("other")], [lambda: topic("other")])
    change = next(c for c in plan.changes if c.type == TOPIC and c.action == "delete")
    assert codes(change) == [("danger", "kafka.topic-delete")]
    assert 'stream "playback-events" is removed' in change.risks[0].message


def test_topic_delete_with_retain_on_delete_is_not_a_risk():
    plan = plan_of([lambda: topic("playback-events", retain_on_delete=True)], [])
    change = next(c for c in plan.changes if c.type == TOPIC)
    assert change.action == "delete" and change.risks == []


def test_partition_increase_warns_about_key_order_for_producers():
    spec = playback_spec()
    plan = plan_of([lambda: topic("playback-events", partitions=8)], [lambda: topic("playback-events", partitions=16)],
                   head_spec=spec, base_spec=spec)
    change = only(plan, TOPIC)
    assert change.action == "update"
    assert codes(change) == [("warn", "kafka.partitions-increase")]
    assert "(producers: playback-api)" in change.risks[0].message


def test_replication_factor_change_is_an_in_place_reassignment_warning():
    plan = plan_of([lambda: topic("playback-events", replication_factor=2)], [lambda: topic("playback-events", replication_factor=3)])
    change = only(plan, TOPIC)
    assert change.action == "update"
    assert codes(change) == [("warn", "kafka.replication-change")]


def test_min_insync_replicas_equal_to_replication_factor_is_blocked():
    plan = plan_of(None, [lambda: topic("playback-events", replication_factor=3, config={"min.insync.replicas": "3"})])
    change = only(plan, TOPIC)
    assert codes(change) == [("block", "kafka.min-isr-unsafe")]
    assert "min.insync.replicas=3 with replicationFactor 3" in change.risks[0].message


def test_replication_factor_above_broker_count_is_blocked():
    spec = playback_spec(brokers=2)
    plan = plan_of(None, [lambda: topic("playback-events", replication_factor=3)], head_spec=spec)
    change = only(plan, TOPIC)
    assert codes(change) == [("block", "kafka.min-isr-unsafe")]
    assert 'exceeds the 2 broker(s) of cluster "fronting"' in change.risks[0].message


def test_safe_min_insync_replicas_has_no_risk():
    plan = plan_of(None, [lambda: topic("playback-events", replication_factor=3, config={"min.insync.replicas": "2"})],
                   head_spec=playback_spec())
    assert only(plan, TOPIC).risks == []


def test_acl_change_replaces_the_binding_with_an_access_gap_warning():
    plan = plan_of([lambda: topic("playback-events", acls=(("User:playback-api", "Write"),))],
                   [lambda: topic("playback-events", acls=(("User:playback-api-v2", "Write"),))])
    change = only(plan, ACL)
    assert (change.action, change.replace_paths) == ("replace", ["aclPrincipal"])
    assert codes(change) == [("warn", "kafka.acl-gap")]


@pytest.mark.parametrize("head, path", [
    ({"subnets": ("subnet-a", "subnet-b", "subnet-d")}, "brokerNodeGroupInfo.clientSubnets"),
    ({"security_groups": ("sg-2",)}, "brokerNodeGroupInfo.securityGroups"),
    ({"kms_key": "arn:aws:kms:us-east-1:1:key/k2"}, "encryptionInfo.encryptionAtRestKmsKeyArn"),
    ({"in_cluster": False}, "encryptionInfo.encryptionInTransit.inCluster"),
    ({"version": "3.5.1"}, "kafkaVersion"),
])
def test_msk_cluster_replacement_is_blocked(head, path):
    plan = plan_of([lambda: msk_cluster()], [lambda: msk_cluster(**head)])
    change = only(plan, MSK)
    assert (change.action, change.replace_paths) == ("replace", [path])
    assert codes(change) == [("block", "msk.cluster-replace")]


def test_msk_version_upgrade_is_an_update_without_risk():
    plan = plan_of([lambda: msk_cluster()], [lambda: msk_cluster(version="3.7.0")])
    change = only(plan, MSK)
    assert (change.action, change.risks) == ("update", [])


def test_stateless_upgrade_of_stateful_job_drops_state():
    plan = plan_of([lambda: flink_deployment("sessions", upgrade_mode="savepoint")],
                   [lambda: flink_deployment("sessions", upgrade_mode="stateless", image="acme/job:2.0")])
    change = only(plan, FLINK)
    # flink.restart is subsumed by the dropped state (risks._consistent): no "restarts and restores" line beside it.
    assert codes(change) == [("danger", "flink.state-dropped")]
    assert change.risks[0].message.startswith('flinkjob "sessions" (owner playback): the stateful job restarts without its state')


def test_checkpoint_dir_move_drops_state():
    moved = {"state.checkpoints.dir": "s3://other/jobs/sessions/checkpoints"}
    plan = plan_of([lambda: flink_deployment("sessions", upgrade_mode="last-state")],
                   [lambda: flink_deployment("sessions", upgrade_mode="last-state", config=moved)])
    change = only(plan, FLINK)
    assert ("danger", "flink.state-dropped") in codes(change)
    assert "the checkpoint directory moves from s3://acme-dev-flink-state/jobs/sessions/checkpoints to " \
        "s3://other/jobs/sessions/checkpoints" in change.risks[0].message


def test_renaming_the_state_dir_keys_to_their_flink_1_20_spelling_moves_no_state():
    """A baseline written with state.*.dir and a head with execution.checkpointing.* naming the same
    directories: the job restores from the same checkpoint, so nothing is dropped or moved."""
    renamed = {"execution.checkpointing.dir": "s3://acme-dev-flink-state/jobs/sessions/checkpoints",
               "execution.checkpointing.savepoint-dir": "s3://acme-dev-flink-state/jobs/sessions/savepoints"}
    plan = plan_of([lambda: flink_deployment("sessions", upgrade_mode="last-state")],
                   [lambda: flink_deployment("sessions", upgrade_mode="last-state", config=renamed)])
    change = only(plan, FLINK)
    assert change.action == "update"
    assert ("danger", "flink.state-dropped") not in codes(change)
    assert all("moves" not in risk.message for risk in change.risks)


def test_renaming_the_state_dir_key_and_moving_the_directory_drops_state():
    moved = {"execution.checkpointing.dir": "s3://other/jobs/sessions/checkpoints"}
    plan = plan_of([lambda: flink_deployment("sessions", upgrade_mode="last-state")],
                   [lambda: flink_deployment("sessions", upgrade_mode="last-state", config=moved)])
    change = only(plan, FLINK)
    assert ("danger", "flink.state-dropped") in codes(change)
    assert "the checkpoint directory moves from s3://acme-dev-flink-state/jobs/sessions/checkpoints to " \
        "s3://other/jobs/sessions/checkpoints" in change.risks[0].message


def test_max_parallelism_change_drops_state():
    base = {"state.checkpoints.dir": "s3://b/jobs/s/checkpoints", "pipeline.max-parallelism": "128"}
    head = {**base, "pipeline.max-parallelism": "256"}
    plan = plan_of([lambda: flink_deployment("s", config=base)], [lambda: flink_deployment("s", config=head)])
    assert ("danger", "flink.state-dropped") in codes(only(plan, FLINK))


def test_turning_on_allow_non_restored_state_warns_of_silently_dropped_state():
    plan = plan_of([lambda: flink_deployment("sessions")],
                   [lambda: flink_deployment("sessions", job_extra={"allowNonRestoredState": True})])
    change = only(plan, FLINK)
    assert codes(change) == [("danger", "flink.state-dropped")]
    assert "allowNonRestoredState is turned on" in change.risks[0].message


def test_deleting_a_stateful_flink_deployment_drops_state():
    plan = plan_of([lambda: flink_deployment("sessions")], [])
    change = only(plan, FLINK)
    assert change.action == "delete"
    assert codes(change) == [("danger", "flink.state-dropped")]


def test_renaming_a_stateful_flink_deployment_without_a_migration_is_blocked():
    plan = plan_of([lambda: flink_deployment("sessions")], [lambda: flink_deployment("sessions", name="sessions-v2")])
    change = only(plan, FLINK)
    assert (change.action, change.replace_paths) == ("replace", ["metadata.name"])
    assert codes(change) == [("block", "flink.state-replaced"), ("danger", "flink.state-dropped")]
    assert change.risks[0].message.endswith(
        "the stateful FlinkDeployment is replaced (metadata.name) and the new one starts empty. Declare "
        "spec.migrateFrom.savepoint (a savepoint under s3://<bucket>/jobs/sessions/) or keep metadata.name/namespace.")


OLD_SAVEPOINT = "s3://acme-dev-flink-state/jobs/sessions/savepoints/savepoint-final"


def test_owner_change_with_a_declared_migration_is_delete_first_from_the_old_savepoint():
    plan = plan_of([lambda: flink_deployment("sessions")],
                   [lambda: flink_deployment("sessions", namespace="search", delete_first=True,
                                             job_extra={"initialSavepointPath": OLD_SAVEPOINT})])
    change = only(plan, FLINK)
    assert (change.action, change.delete_first) == ("replace", True)
    assert codes(change) == []
    assert ("Flink operator: declared migration: the old deployment is deleted first (savepoint-on-deletion), "
            f"then the new one starts from {OLD_SAVEPOINT}") in change.notes


def test_owner_change_with_a_savepoint_but_create_first_is_blocked():
    plan = plan_of([lambda: flink_deployment("sessions")],
                   [lambda: flink_deployment("sessions", namespace="search",
                                             job_extra={"initialSavepointPath": OLD_SAVEPOINT})])
    change = only(plan, FLINK)
    assert codes(change)[0] == ("block", "flink.state-replaced")
    assert "created before the old deployment is deleted" in change.risks[0].message


def test_recreation_that_still_carries_an_applied_restore_is_blocked():
    restore = {"initialSavepointPath": OLD_SAVEPOINT, "savepointRedeployNonce": 2}
    plan = plan_of([lambda: flink_deployment("sessions", job_extra=restore)],
                   [lambda: flink_deployment("sessions", namespace="search", delete_first=True, job_extra=restore)])
    change = only(plan, FLINK)
    assert codes(change)[0] == ("block", "flink.state-replaced")
    assert change.risks[0].message.endswith(
        f"the FlinkDeployment is re-created with the restore it already applied ({OLD_SAVEPOINT}): the new job would "
        "rewind to that old savepoint. Remove spec.restore and declare spec.migrateFrom.savepoint with the "
        "job's latest savepoint.")


def test_rename_as_delete_and_create_is_blocked_unless_the_new_job_starts_from_the_old_prefix():
    plan = plan_of([lambda: flink_deployment("sessions")], [lambda: flink_deployment("sessions-v2")])
    deleted = [c for c in plan.changes if c.type == FLINK and c.action == "delete"]
    assert [codes(c) for c in deleted] == [[("block", "flink.state-replaced"), ("danger", "flink.state-dropped")]]
    assert "is deleted while sessions-v2 is created" in deleted[0].risks[0].message
    migrated = plan_of([lambda: flink_deployment("sessions")],
                       [lambda: flink_deployment("sessions-v2", job_extra={"initialSavepointPath": OLD_SAVEPOINT})])
    deleted = [c for c in migrated.changes if c.type == FLINK and c.action == "delete"]
    assert [codes(c) for c in deleted] == [[("danger", "flink.state-dropped")]]


def test_image_change_with_savepoint_mode_is_a_restart_with_state():
    plan = plan_of([lambda: flink_deployment("sessions")], [lambda: flink_deployment("sessions", image="acme/job:2.0")])
    change = only(plan, FLINK)
    assert codes(change) == [("warn", "flink.restart")]
    assert "takes a savepoint at suspend and restores from it" in change.risks[0].message
    assert change.notes[0].startswith("Flink operator: upgrade")


def test_route_router_restart_is_not_a_state_risk():
    plan = plan_of([lambda: flink_deployment("r1", kind="Route", upgrade_mode="stateless")],
                   [lambda: flink_deployment("r1", kind="Route", upgrade_mode="stateless", image="acme/router:2")])
    assert codes(only(plan, FLINK)) == [("warn", "flink.restart")]


def test_store_bucket_replacement_is_blocked(tmp_path):
    from tests.plan.builders import make_plan_from_specs

    plan = make_plan_from_specs(tmp_path, base_bucket=None, head_bucket="acme-renamed-flink-state")
    change = next(c for c in plan.changes if c.type == "aws:s3/bucket:Bucket" and c.action != "same")
    assert change.action == "replace"
    assert codes(change) == [("block", "store.delete")]
    assert change.risks[0].message.startswith('checkpoint store "flink-state" (owner stream-platform): bucket "acme-streamplane-dev-flink-state"')


def test_compaction_inside_late_data_window_is_blocked():
    plan = plan_of(None, [lambda: druid_ingestion("playback-metrics", late="PT1H", task="PT1H", skip="PT5H")])
    change = only(plan, INGESTION)
    assert codes(change) == [("block", "druid.compaction-overlaps-late-data")]
    assert change.risks[0].message == (
        'druiddatasource "playback-metrics" (owner observability): compaction skipOffsetFromLatest PT5H < lateMessageRejectionPeriod PT1H + '
        "taskDuration PT1H + completionTimeout PT30M + earlyMessageRejectionPeriod PT1H + 2 x segmentGranularity "
        "HOUR = PT5H30M: compaction can overwrite segments still being written or handed off, and those rows are "
        "lost. Raise skipOffsetFromLatest to at least PT5H30M.")


def test_compaction_without_early_rejection_is_blocked_at_any_delay():
    plan = plan_of(None, [lambda: druid_ingestion("playback-metrics", early=None, skip="P30D")])
    message = only(plan, INGESTION).risks[0].message
    assert "earlyMessageRejectionPeriod unset" in message
    assert message.endswith("Raise skipOffsetFromLatest to at least PT4H30M and set earlyMessageRejectionPeriod.")


def test_compaction_counts_the_emitted_completion_timeout():
    plan = plan_of(None, [lambda: druid_ingestion("playback-metrics", completion="PT2H", skip="PT6H")])
    assert "= PT7H:" in only(plan, INGESTION).risks[0].message


def test_compaction_after_late_data_window_is_safe():
    plan = plan_of(None, [lambda: druid_ingestion("playback-metrics", late="PT1H", task="PT1H", skip="PT5H30M")])
    assert only(plan, INGESTION).risks == []


def test_segment_granularity_change_warns_of_mixed_data():
    plan = plan_of([lambda: druid_ingestion("m", segment="HOUR")], [lambda: druid_ingestion("m", segment="DAY", skip="P3D")])
    change = only(plan, INGESTION)
    assert codes(change) == [("warn", "druid.granularity-change")]
    assert "segmentGranularity HOUR -> DAY" in change.risks[0].message


def test_datasource_topic_change_resets_ingestion():
    plan = plan_of([lambda: druid_ingestion("m", topic="metrics", native=True)],
                   [lambda: druid_ingestion("m", topic="metrics-v2", native=True)])
    change = only(plan, INGESTION)
    assert codes(change) == [("danger", "druid.ingestion-reset")]
    assert 'topic "metrics" -> "metrics-v2"' in change.risks[0].message


def test_load_rule_replicas_above_tier_size_is_blocked():
    rules = [{"type": "loadByPeriod", "period": "P30D", "tieredReplicants": {"hot": 3}}]
    plan = plan_of(None, [lambda: druid_cluster(tiers={"hot": 2, "_default_tier": 1}),
                          lambda: druid_ingestion("m", rules=rules)])
    change = only(plan, INGESTION)
    assert codes(change) == [("block", "druid.replicas-exceed-tier")]
    assert 'tier "hot", which has 2 historical(s)' in change.risks[0].message


def test_route_sink_change_from_specs():
    base = platform(Route=[("r1", "playback", route_spec("playback-events", {"kafka": {"stream": "a"}}))])
    head = platform(Route=[("r1", "playback", route_spec("playback-events", {"kafka": {"stream": "b"}}))])
    plan = plan_of([lambda: flink_deployment("r1", kind="Route", upgrade_mode="stateless")],
                   [lambda: flink_deployment("r1", kind="Route", upgrade_mode="stateless", job_extra={"args": ["--sink", "b"]})],
                   head_spec=head, base_spec=base)
    change = only(plan, FLINK)
    assert ("danger", "route.sink-change") in codes(change)
    assert "sink kafka stream a -> kafka stream b" in next(r.message for r in change.risks if r.code == "route.sink-change")


def test_protected_resource_delete_is_blocked():
    plan = plan_of([lambda: topic("playback-events", protect=True)], [])
    change = only(plan, TOPIC)
    assert ("block", "protected.delete") in codes(change)


ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
READ_PREFIX = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::acme-state/jobs/j1/*"]}


def test_iam_grant_widened_by_a_wildcard_resource_is_danger():
    wide = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::acme-state/*"]}
    plan = plan_of([lambda: role_policy("j1", [READ_PREFIX])], [lambda: role_policy("j1", [wide])])
    change = only(plan, ROLE_POLICY)
    assert codes(change) == [("danger", "iam.grant-widened")]
    assert "adds Allow s3:GetObject on arn:aws:s3:::acme-state/*" in change.risks[0].message


def test_iam_grant_narrowed_has_no_risk():
    both = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::acme-state/jobs/j1/*"]}
    plan = plan_of([lambda: role_policy("j1", [both])], [lambda: role_policy("j1", [READ_PREFIX])])
    assert codes(only(plan, ROLE_POLICY)) == []


def test_every_catalogue_code_has_a_scenario_and_a_documented_fix():
    # Scenarios live beside their domain's tests (tests/<domain>/, tests/risks for cross-domain ones).
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parents[1].rglob("test_*.py")))
    missing = [code for code in CATALOGUE if f'"{code}"' not in source]
    assert missing == []
    doc = (Path(__file__).parents[2] / "docs" / "review.md").read_text(encoding="utf-8")
    undocumented = [code for code, hz in CATALOGUE.items()
                    if f"| `{code}` | {' | '.join(hz.levels)} | {hz.when} | {hz.fix} |" not in doc]
    assert undocumented == []


def test_router_job_inside_a_route_is_reported_as_the_route():
    base = platform(Route=[("r1", "playback", route_spec("playback-events", {"kafka": {"stream": "a"}}))])
    head = platform(Route=[("r1", "playback", route_spec("playback-events", {"kafka": {"stream": "b"}}))])
    plan = plan_of([lambda: flink_deployment("r1", kind="FlinkJob", inside="Route", upgrade_mode="savepoint")],
                   [lambda: flink_deployment("r1", kind="FlinkJob", inside="Route", upgrade_mode="stateless", image="acme/router:2")],
                   head_spec=head, base_spec=base)
    change = only(plan, FLINK)
    assert str(change.subject) == 'route "r1" (owner playback)'
    assert codes(change) == [("warn", "flink.restart"), ("danger", "route.sink-change")]
