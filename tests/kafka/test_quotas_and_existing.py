"""Quotas per principal (stable names, delete before replace) and the `existing` engine."""

from __future__ import annotations

from streamplane.plan.diff import diff_graphs

from .helpers import EXISTING_CLUSTER, PROVIDER, QUOTA, by_type, children, config_for, synth, write_spec

PASSWORDS = config_for(extra={"streamplane:kafkaPasswords": '{"fronting": "s3cret"}'})
CLUSTER_URN = "urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster::fronting"
QUOTAS = EXISTING_CLUSTER + """\
  quotas:
    - {principal: playback-api, producerByteRate: 52428800}
    - {principal: playback-router, consumerByteRate: 104857600, requestPercentage: 50}
"""


def synth_cluster(tmp_path, cluster: str) -> dict:
    return synth(write_spec(tmp_path, {"clusters.yaml": cluster}), config=PASSWORDS,
                 secret_keys=["streamplane:kafkaPasswords"])


def test_existing_cluster_creates_only_its_provider(tmp_path):
    graph = synth_cluster(tmp_path, EXISTING_CLUSTER)
    assert children(graph, CLUSTER_URN) == [(PROVIDER, "fronting")]
    provider = by_type(graph, PROVIDER)["fronting"]["inputs"]
    assert provider["bootstrapServers"] == '["b-1.kafka.internal:9096", "b-2.kafka.internal:9096"]'
    assert (provider["saslMechanism"], provider["saslUsername"], provider["saslPassword"]) == (
        "scram-sha512", "streamplane-admin", "<secret>")


def test_quotas_are_one_resource_per_principal(tmp_path):
    quotas = by_type(synth_cluster(tmp_path, QUOTAS), QUOTA)
    assert {name: q["inputs"] for name, q in quotas.items()} == {
        "fronting-quota-playback-api": {"entityType": "user", "entityName": "playback-api",
                                        "config": {"producer_byte_rate": "52428800"}},
        "fronting-quota-playback-router": {"entityType": "user", "entityName": "playback-router",
                                           "config": {"consumer_byte_rate": "104857600", "request_percentage": "50"}},
    }
    assert all(q["deleteBeforeReplace"] for q in quotas.values())
    assert all(q["parent"] == CLUSTER_URN for q in quotas.values())


def test_changing_one_quota_touches_only_that_quota(tmp_path):
    base = synth_cluster(tmp_path / "a", QUOTAS)
    head = synth_cluster(tmp_path / "b", QUOTAS.replace("producerByteRate: 52428800", "producerByteRate: 10485760"))
    changed = [(c.action, c.urn.rsplit("::", 1)[1], c.paths) for c in diff_graphs(base, head) if c.action != "same"]
    # kafka_quota has no Update in terraform-provider-kafka: every field is ForceNew, so diff_graphs
    # (which classifies replacements as it diffs) reports the one quota as replaced.
    assert changed == [("replace", "fronting-quota-playback-api", ["config.producer_byte_rate"])]
