"""Druid rules on the druid-operator's Druid and DruidIngestion CRs: baseline passes, one change fails."""

import copy
import json

import pytest
from policy_harness import graph, messages, resource

from policies.rules import (
    druid_cluster_deny_broker_cache as broker_cache,
)
from policies.rules import (
    druid_cluster_require_historical_cache as historical_cache,
)
from policies.rules import (
    druid_ingestion_require_compaction_delay as compaction_delay,
)
from tests.crd import crd_errors

DRUID = "kubernetes:druid.apache.org/v1alpha1:Druid"
INGESTION = "kubernetes:druid.apache.org/v1alpha1:DruidIngestion"
CLUSTER = {
    "apiVersion": "druid.apache.org/v1alpha1", "kind": "Druid",
    "metadata": {"name": "metrics", "namespace": "observability"},
    "spec": {
        "image": "apache/druid:32.0.0", "commonConfigMountPath": "/opt/druid/conf/druid/cluster/_common",
        "common.runtime.properties": "druid.storage.type=s3\ndruid.storage.bucket=acme-dev-druid-deep-storage\n",
        "nodes": {
            "brokers": {"nodeType": "broker", "druid.port": 8088, "replicas": 2,
                        "nodeConfigMountPath": "/opt/druid/conf/druid/cluster/query/broker",
                        "runtime.properties": "druid.service=druid/broker\ndruid.broker.cache.useCache=false\n"},
            "historicals-hot": {"nodeType": "historical", "druid.port": 8088, "replicas": 3,
                                "nodeConfigMountPath": "/opt/druid/conf/druid/cluster/data/historical",
                                "runtime.properties": "druid.service=druid/historical\ndruid.server.tier=hot\n"
                                                      "druid.historical.cache.useCache=true\n"
                                                      "druid.historical.cache.populateCache=true\n"},
        },
    },
}
SUPERVISOR = {"type": "kafka", "spec": {
    "dataSchema": {"dataSource": "playback-metrics"},
    "ioConfig": {"topic": "playback-metrics", "taskDuration": "PT1H", "lateMessageRejectionPeriod": "PT2H",
                 "earlyMessageRejectionPeriod": "PT1H"}}}
INGESTION_CR = {
    "apiVersion": "druid.apache.org/v1alpha1", "kind": "DruidIngestion",
    "metadata": {"name": "playback-metrics", "namespace": "observability"},
    "spec": {"druidCluster": "metrics", "suspend": False, "ingestion": {
        "type": "kafka", "nativeSpec": SUPERVISOR, "compaction": {"skipOffsetFromLatest": "P3D"}}},
}


def cluster_graph(mutate=lambda c: None):
    inputs = copy.deepcopy(CLUSTER)
    mutate(inputs)
    return graph(resource(DRUID, "metrics", inputs))


def ingestion_graph(mutate=lambda c: None):
    inputs = copy.deepcopy(INGESTION_CR)
    mutate(inputs)
    return graph(resource(INGESTION, "playback-metrics", inputs))


def node(inputs, name):
    return inputs["spec"]["nodes"][name]


def test_baselines_validate_against_the_operator_crds():
    assert crd_errors(CLUSTER) == [] and crd_errors(INGESTION_CR) == []


@pytest.mark.parametrize("rule, graph_", [(broker_cache, cluster_graph()), (historical_cache, cluster_graph()),
                                          (compaction_delay, ingestion_graph())],
                         ids=["broker-cache", "historical-cache", "compaction-delay"])
def test_druid_rule_passes_baseline(rule, graph_):
    assert messages(rule, graph_) == []


def test_broker_cache_rule_rejects_cache_on_brokers():
    g = cluster_graph(lambda c: node(c, "brokers").update(
        {"runtime.properties": "druid.broker.cache.useCache=true\ndruid.broker.cache.populateCache=true\n"}))
    assert messages(broker_cache, g) == [
        'Druid cluster "metrics" broker node group "brokers" turns on druid.broker.cache.useCache, '
        "druid.broker.cache.populateCache: set them to false and cache on historicals instead (broker caches miss "
        "on fresh data and cost heap)."]


def test_broker_cache_rule_reads_common_runtime_properties():
    g = cluster_graph(lambda c: c["spec"].update({"common.runtime.properties": "druid.broker.cache.useCache=true"}))
    assert messages(broker_cache, g) == []  # the broker's own useCache=false wins over common
    g = cluster_graph(lambda c: c["spec"].update({"common.runtime.properties": "druid.broker.cache.populateCache=true"}))
    assert len(messages(broker_cache, g)) == 1


def test_historical_cache_rule_rejects_historicals_without_cache():
    g = cluster_graph(lambda c: node(c, "historicals-hot").update(
        {"runtime.properties": "druid.service=druid/historical\ndruid.historical.cache.useCache=true\n"}))
    assert messages(historical_cache, g) == [
        'Druid cluster "metrics" historical node group "historicals-hot" leaves '
        "druid.historical.cache.populateCache off: set them to true in its runtime.properties."]


def test_compaction_rule_rejects_delay_within_late_window_plus_task():
    # No granularitySpec: Druid's DAY segments, so 2 x P1D count on top of the windows.
    g = ingestion_graph(lambda c: c["spec"]["ingestion"]["compaction"].update({"skipOffsetFromLatest": "P2D"})
                        or c["spec"]["ingestion"]["nativeSpec"]["spec"]["ioConfig"].update({"completionTimeout": "PT1H"}))
    assert messages(compaction_delay, g) == [
        'Druid ingestion "playback-metrics" compacts after skipOffsetFromLatest P2D, less than '
        "lateMessageRejectionPeriod PT2H + taskDuration PT1H + completionTimeout PT1H + earlyMessageRejectionPeriod "
        "PT1H + 2 x segmentGranularity DAY = P2DT5H: compaction can overwrite segments still being written or handed "
        "off; raise compaction.skipOffsetFromLatest to at least P2DT5H."]


def test_compaction_rule_passes_hourly_segments_past_the_windows():
    def hourly(c):
        c["spec"]["ingestion"]["nativeSpec"]["spec"]["dataSchema"]["granularitySpec"] = {"segmentGranularity": "HOUR"}
        c["spec"]["ingestion"]["compaction"]["skipOffsetFromLatest"] = "PT6H30M"
    assert messages(compaction_delay, ingestion_graph(hourly)) == []


@pytest.mark.parametrize("field", ["lateMessageRejectionPeriod", "earlyMessageRejectionPeriod"])
def test_compaction_rule_rejects_unbounded_rows(field):
    g = ingestion_graph(lambda c: c["spec"]["ingestion"]["nativeSpec"]["spec"]["ioConfig"].pop(field))
    assert messages(compaction_delay, g) == [
        'Druid ingestion "playback-metrics" compacts but accepts rows without a bound on how late or early they are, '
        f"so compaction can overwrite segments still being written: set ioConfig.{field}."]


def test_compaction_rule_reads_the_json_string_spec():
    def as_string(c):
        ingestion = c["spec"]["ingestion"]
        supervisor = ingestion.pop("nativeSpec")
        supervisor["spec"]["ioConfig"]["lateMessageRejectionPeriod"] = "P1D"
        ingestion["spec"] = json.dumps(supervisor)
    assert len(messages(compaction_delay, ingestion_graph(as_string))) == 1


def test_compaction_rule_ignores_ingestion_without_compaction():
    assert messages(compaction_delay, ingestion_graph(lambda c: c["spec"]["ingestion"].pop("compaction"))) == []
