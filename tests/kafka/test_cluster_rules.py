"""KafkaCluster specs: engine blocks, client auth, Strimzi versions, quotas, MSK partition capacity."""

from __future__ import annotations

from .helpers import MSK_CLUSTER, STRIMZI_CLUSTER, spec_problems, write_spec


def problems_of(tmp_path, cluster: str, streams: str = "") -> list[str]:
    files = {"clusters.yaml": cluster}
    if streams:
        files["streams.yaml"] = streams
    return spec_problems(write_spec(tmp_path / "spec", files))


def test_cluster_baselines_are_valid(tmp_path):
    assert problems_of(tmp_path / "msk", MSK_CLUSTER) == []
    assert problems_of(tmp_path / "strimzi", STRIMZI_CLUSTER) == []


def test_msk_engine_requires_msk_settings(tmp_path):
    cluster = MSK_CLUSTER.split("  msk:")[0]
    assert problems_of(tmp_path, cluster) == ['clusters.yaml:4:1: /spec/msk: missing required field "msk".']


def test_settings_of_another_engine_fail(tmp_path):
    cluster = STRIMZI_CLUSTER + "  msk: {instanceType: kafka.m5.large, kafkaVersion: 3.9.x}\n"
    assert problems_of(tmp_path, cluster) == [
        'clusters.yaml:7:3: /spec/msk: "msk" settings apply to engine msk, but this cluster\'s engine is strimzi. '
        "Remove them or change engine."]


def test_msk_rejects_tls_client_auth(tmp_path):
    cluster = MSK_CLUSTER + "  clientAuth: [iam, tls]\n"
    assert problems_of(tmp_path, cluster) == [
        'clusters.yaml:10:21: /spec/clientAuth/1: engine msk does not support client auth "tls" (allowed: iam, scram).']


def test_strimzi_takes_tls_and_scram_together(tmp_path):
    """One listener each: the admin over mutual TLS, applications over SCRAM (the default)."""
    cluster = STRIMZI_CLUSTER + "  clientAuth: [tls, scram]\n"
    assert problems_of(tmp_path, cluster) == []


def test_strimzi_version_must_be_one_strimzi_runs(tmp_path):
    cluster = STRIMZI_CLUSTER + "  strimzi: {version: 3.9.0}\n"
    assert problems_of(tmp_path, cluster) == [
        'clusters.yaml:7:13: /spec/strimzi/version: Strimzi 1.2.0 runs Kafka 4.2.0, 4.2.1, 4.3.0, 4.3.1, got "3.9.0".']


def test_quota_principal_twice_fails(tmp_path):
    cluster = MSK_CLUSTER + ("  quotas:\n    - {principal: playback-api, producerByteRate: 1048576}\n"
                             "    - {principal: playback-api, consumerByteRate: 1048576}\n")
    assert problems_of(tmp_path, cluster) == [
        'clusters.yaml:12:8: /spec/quotas/1/principal: principal "playback-api" has two quotas on this cluster; '
        "Kafka keeps one per user. Merge them."]


def test_quota_without_a_limit_fails(tmp_path):
    cluster = MSK_CLUSTER + "  quotas:\n    - {principal: playback-api}\n"
    assert problems_of(tmp_path, cluster) == [
        'clusters.yaml:11:7: /spec/quotas/0: quota for "playback-api" sets no limit; set producerByteRate, '
        "consumerByteRate or requestPercentage, or remove it."]


def stream(partitions: int) -> str:
    return f"""\
apiVersion: streamplane.io/v1
kind: Stream
metadata: {{name: big, owner: playback}}
spec: {{cluster: fronting, partitions: {partitions}}}
"""


def test_msk_capacity_below_recommended_is_quiet(tmp_path):
    assert problems_of(tmp_path, MSK_CLUSTER, stream(999)) == []


def test_msk_capacity_warns_at_recommended(tmp_path):
    assert problems_of(tmp_path, MSK_CLUSTER, stream(1000)) == [
        "clusters.yaml:8:5: /spec/msk/instanceType: warning: 1000 partition replicas per broker (3000 over 3 brokers) "
        "reach MSK's recommended 1000 for kafka.m5.large. Plan more brokers or a larger instance type."]


def test_msk_capacity_fails_above_update_operations_maximum(tmp_path):
    assert problems_of(tmp_path, MSK_CLUSTER, stream(1501)) == [
        "clusters.yaml:8:5: /spec/msk/instanceType: 1501 partition replicas per broker (4503 over 3 brokers) exceed "
        "the 1500 MSK supports update operations with on kafka.m5.large. Add brokers, use a larger instance type, "
        "or lower partitions/replicationFactor."]
