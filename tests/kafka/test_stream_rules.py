"""Stream specs are checked against Kafka's rules at load time: names, replication, min.insync.replicas."""

from __future__ import annotations

from .helpers import MSK_CLUSTER, STREAM, spec_problems, write_spec


def problems_of(tmp_path, stream: str, cluster: str = MSK_CLUSTER) -> list[str]:
    return spec_problems(write_spec(tmp_path / "spec", {"clusters.yaml": cluster, "streams.yaml": stream}))


def test_stream_baseline_is_valid(tmp_path):
    assert problems_of(tmp_path, STREAM) == []


def test_replication_factor_above_broker_count_fails(tmp_path):
    stream = STREAM + "  replicationFactor: 5\n"
    assert problems_of(tmp_path, stream) == [
        'streams.yaml:9:3: /spec/replicationFactor: must be at most the broker count of cluster "fronting" (3), got 5. '
        "Lower replicationFactor or add brokers."]


def test_min_insync_replicas_not_below_replication_factor_fails(tmp_path):
    stream = STREAM + "  replicationFactor: 3\n  config:\n    min.insync.replicas: 3\n"
    assert problems_of(tmp_path, stream) == [
        "streams.yaml:11:5: /spec/config/min.insync.replicas: min.insync.replicas (3) must be lower than "
        "replicationFactor (3): with every replica required, one broker down stops all writes with acks=all. "
        "Lower min.insync.replicas or raise replicationFactor."]


def test_min_insync_replicas_default_stays_below_replication_factor(tmp_path):
    stream = STREAM + "  replicationFactor: 2\n"
    assert problems_of(tmp_path, stream) == []


def test_single_replica_warns(tmp_path):
    stream = STREAM + "  replicationFactor: 1\n"
    assert problems_of(tmp_path, stream) == [
        "streams.yaml:9:3: /spec/replicationFactor: warning: replicationFactor 1 keeps a single copy: losing one "
        "broker makes the topic unavailable and can lose data. Use 3 outside development."]


def test_illegal_topic_name_fails_at_the_topic_field(tmp_path):
    stream = STREAM + '  topic: "playback events"\n'
    assert problems_of(tmp_path, stream) == [
        "streams.yaml:9:3: /spec/topic: topic name \"playback events\" contains ' ': Kafka allows only ASCII letters, "
        'digits, ".", "_" and "-". Replace those characters.']


def test_topic_name_mixing_separators_warns(tmp_path):
    stream = STREAM + "  topic: playback.events_v2\n"
    assert problems_of(tmp_path, stream) == [
        'streams.yaml:9:3: /spec/topic: warning: topic name "playback.events_v2" mixes "." and "_": Kafka metric '
        "names turn both into \"_\", so it can collide with another topic's metrics. Use one separator."]


def test_two_streams_on_one_topic_fail(tmp_path):
    other = STREAM.replace("name: playback-events,", "name: playback-copy,") + "  topic: playback-events\n"
    problems = problems_of(tmp_path, STREAM + "---\n" + other)
    # Reported on the stream that sorts last, pointing at the first one's declaration.
    assert problems == [
        'streams.yaml:3:12: /metadata/name: topic "playback-events" on cluster "fronting" is already Stream '
        '"playback-copy"\'s (streams.yaml:12:12). One topic, one stream: rename one.']


def test_consumer_group_override_must_name_a_consumer(tmp_path):
    stream = STREAM + "  consumerGroups:\n    playback-api: some-group\n"
    assert problems_of(tmp_path, stream) == [
        'streams.yaml:10:5: /spec/consumerGroups/playback-api: "playback-api" has a consumer group but is not in '
        "consumers (playback-router). Add it to consumers or remove this entry."]


def test_stream_on_undeclared_cluster_fails(tmp_path):
    stream = STREAM.replace("cluster: fronting", "cluster: frontin")
    assert problems_of(tmp_path, stream) == [
        'streams.yaml:5:3: /spec/cluster: KafkaCluster "frontin" is not declared in this stack (declared: fronting). '
        'Did you mean "fronting"?']


def test_acls_on_an_iam_only_cluster_warn(tmp_path):
    cluster = MSK_CLUSTER + "  clientAuth: [iam]\n"
    assert problems_of(tmp_path, STREAM, cluster) == [
        'streams.yaml:7:3: /spec/producers: warning: cluster "fronting" authenticates clients with IAM only, and Kafka '
        "ACLs do not apply to IAM clients: these bindings grant nothing. Grant access with IAM policies, or add scram "
        "to the cluster's clientAuth."]
