"""The DruidIngestion body: Kafka supervisor, auto-compaction config and load rules, as pure functions."""

from __future__ import annotations

import json

from components.druid.ingestion_body import (
    aggregator,
    compaction_config,
    consumer_properties,
    ingestion_resource,
    load_rules,
    supervisor_spec,
)
from streamplane.druid.kinds.datasource import Metric
from streamplane.kafka.clients import Listener
from streamplane.kafka.kinds.stream import EventSchema, SchemaField
from tests.conftest import REFERENCE
from tests.crd import crd_errors
from tests.druid.helpers import BASELINE, load_yaml, mutate

DRUID_EXAMPLES = REFERENCE / "druid"

BOOTSTRAP = "b-1.fronting:9096,b-2.fronting:9096"
CONSUMER = consumer_properties("playback-metrics", BOOTSTRAP, Listener("scram", 9096), "druid-playback-metrics.playback-events")
# Keys Druid documents for the Kafka supervisor that its two current-layout examples happen not to use
# (docs/ingestion/kafka-ingestion.md: ioConfig and tuningConfig tables; transformSpec in dataSchema).
DOCUMENTED_EXTRAS = {
    "dataSchema": {"transformSpec"},
    "ioConfig": {"lateMessageRejectionPeriod", "earlyMessageRejectionPeriod", "completionTimeout"},
    "tuningConfig": {"maxRowsInMemory", "intermediatePersistPeriod"},
}


def _datasource(spec):
    ds = spec.get("DruidDatasource", "playback-metrics")
    return ds, spec.get("Stream", ds.spec.stream).spec.schema


def _supervisor(spec):
    ds, schema = _datasource(spec)
    return supervisor_spec(ds, schema, "playback-events", CONSUMER)


def test_supervisor_spec_of_baseline_is_exact(baseline_spec):
    assert _supervisor(baseline_spec()) == {"type": "kafka", "spec": {
        "dataSchema": {
            "dataSource": "playback-metrics",
            "timestampSpec": {"column": "ts", "format": "auto"},
            "dimensionsSpec": {"dimensions": ["device_type", "country", "event_type", {"type": "long", "name": "title_id"}]},
            "metricsSpec": [
                {"type": "count", "name": "count"},
                {"type": "longSum", "name": "bitrate_kbps_sum", "fieldName": "bitrate_kbps"},
                {"type": "longMax", "name": "bitrate_kbps_max", "fieldName": "bitrate_kbps"},
                {"type": "thetaSketch", "name": "sessions", "fieldName": "session_id"},
            ],
            "granularitySpec": {"type": "uniform", "segmentGranularity": "HOUR", "queryGranularity": "MINUTE", "rollup": True},
        },
        "ioConfig": {
            "type": "kafka", "topic": "playback-events", "inputFormat": {"type": "json"},
            "consumerProperties": {
                "bootstrap.servers": BOOTSTRAP, "security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512",
                "group.id": "druid-playback-metrics.playback-events",
                # The JAAS line (the credential) comes from the middle manager's environment, never the spec.
                "druid.dynamic.config.provider": {"type": "environment", "variables": {
                    "sasl.jaas.config": "STREAMPLANE_KAFKA_JAAS_PLAYBACK_METRICS"}}},
            "taskCount": 2, "replicas": 2, "taskDuration": "PT1H", "completionTimeout": "PT30M",
            "useEarliestOffset": False, "lateMessageRejectionPeriod": "PT1H", "earlyMessageRejectionPeriod": "PT1H",
        },
        "tuningConfig": {"type": "kafka"},
    }, "suspended": False}


def test_supervisor_defaults_are_minute_rollup_in_hourly_segments(baseline_spec):
    granularity = _supervisor(baseline_spec())["spec"]["dataSchema"]["granularitySpec"]
    assert (granularity["queryGranularity"], granularity["segmentGranularity"], granularity["rollup"]) == ("MINUTE", "HOUR", True)


def test_supervisor_custom_granularity_and_tuning(baseline_spec):
    text = mutate(BASELINE, ("  lateMessageRejectionPeriod: PT1H\n",
                             "  lateMessageRejectionPeriod: PT1H\n  queryGranularity: FIVE_MINUTE\n  segmentGranularity: DAY\n"
                             "  rollup: false\n  earlyMessageRejectionPeriod: PT2H\n"),
                  ("taskDuration: PT1H}", "taskDuration: PT1H, maxRowsPerSegment: 3000000, useEarliestOffset: true}"),
                  ("skipOffsetFromLatest: PT6H", "skipOffsetFromLatest: P3D"))
    spec = _supervisor(baseline_spec(text))["spec"]
    assert spec["dataSchema"]["granularitySpec"] == {"type": "uniform", "segmentGranularity": "DAY",
                                                     "queryGranularity": "FIVE_MINUTE", "rollup": False}
    assert spec["ioConfig"]["earlyMessageRejectionPeriod"] == "PT2H"
    assert spec["ioConfig"]["useEarliestOffset"] is True
    assert spec["tuningConfig"] == {"type": "kafka", "maxRowsPerSegment": 3000000}


def test_min_and_max_follow_the_field_type():
    schema = EventSchema((SchemaField("n", "int"), SchemaField("x", "double"), SchemaField("f", "float")))
    types = [aggregator(Metric(f"{t}_{f}", t, f), schema)["type"] for t in ("min", "max") for f in ("n", "x", "f")]
    assert types == ["longMin", "doubleMin", "doubleMin", "longMax", "doubleMax", "doubleMax"]


def test_renamed_dimension_is_read_through_a_transform(baseline_spec):
    text = mutate(BASELINE, ("event_type, title_id]", "{name: event, field: event_type}, title_id]"))
    data_schema = _supervisor(baseline_spec(text))["spec"]["dataSchema"]
    assert data_schema["dimensionsSpec"]["dimensions"][2] == "event"
    assert data_schema["transformSpec"] == {"transforms": [{"type": "expression", "name": "event", "expression": '"event_type"'}]}


def test_forced_dimension_type_wins_over_the_schema(baseline_spec):
    text = mutate(BASELINE, ("event_type, title_id]", "event_type, {name: title_id, type: string}]"))
    assert _supervisor(baseline_spec(text))["spec"]["dataSchema"]["dimensionsSpec"]["dimensions"][3] == "title_id"


def test_nested_fields_are_flattened_with_json_path(baseline_spec, spec_dir):
    extra = ("apiVersion: streamplane.io/v1\nkind: Stream\nmetadata: {name: nested-events, owner: playback}\n"
             "spec:\n  cluster: fronting\n  partitions: 8\n  schema:\n    fields:\n      - {name: ts, type: timestamp}\n"
             "      - {name: device.type, type: string}\n      - {name: device.model, type: string}\n"
             "      - {name: bitrate_kbps, type: long}\n      - {name: title_id, type: long}\n"
             "      - {name: session_id, type: string}\n")
    text = mutate(BASELINE, ("stream: playback-events", "stream: nested-events"),
                  ("[device_type, country, event_type, title_id]", "[device.type, {name: model, field: device.model}]"))
    from streamplane.checks import load_layers
    spec = load_layers([spec_dir(text, extra)], "dev").spec
    io = _supervisor(spec)["spec"]["ioConfig"]
    assert io["inputFormat"] == {"type": "json", "flattenSpec": {"useFieldDiscovery": True, "fields": [
        {"type": "path", "name": "device.model", "expr": "$.device.model"},
        {"type": "path", "name": "device.type", "expr": "$.device.type"}]}}


def _shape(value):
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


def test_supervisor_has_the_shape_of_druids_examples(baseline_spec):
    ours = _supervisor(baseline_spec())
    examples = [json.loads((DRUID_EXAMPLES / f).read_text()) for f in
                ("kafka-supervisor-metrics-kafka.json", "kafka-supervisor-social-media.json")]
    for example in examples:
        # `suspended` is KafkaSupervisorSpec's own top-level field; the examples leave it at its default.
        assert set(ours) - {"suspended"} == set(example) == {"type", "spec"}
        assert ours["type"] == example["type"] == "kafka"
        assert set(ours["spec"]) == set(example["spec"]) == {"dataSchema", "ioConfig", "tuningConfig"}
    for section in ("dataSchema", "ioConfig", "tuningConfig"):
        known = set().union(*(ex["spec"][section] for ex in examples))
        assert set(ours["spec"][section]) - known <= DOCUMENTED_EXTRAS.get(section, set()), section
        for example in examples:
            for key in set(ours["spec"][section]) & set(example["spec"][section]):
                assert _shape(ours["spec"][section][key]) == _shape(example["spec"][section][key]), (section, key)
    data_schema = ours["spec"]["dataSchema"]
    metrics_example = examples[0]["spec"]["dataSchema"]
    assert set(metrics_example) <= set(data_schema)
    example_metric_keys = set().union(*(m.keys() for m in metrics_example["metricsSpec"]))
    assert all(set(m) <= example_metric_keys for m in data_schema["metricsSpec"])
    granularity_keys = set().union(*(ex["spec"]["dataSchema"]["granularitySpec"] for ex in examples))
    assert set(data_schema["granularitySpec"]) <= granularity_keys
    typed_dims = [d for d in examples[1]["spec"]["dataSchema"]["dimensionsSpec"]["dimensions"] if isinstance(d, dict)]
    assert all(set(d) == set(typed_dims[0]) for d in data_schema["dimensionsSpec"]["dimensions"] if isinstance(d, dict))
    consumer = examples[0]["spec"]["ioConfig"]["consumerProperties"]
    assert set(consumer) == {"bootstrap.servers"} <= set(ours["spec"]["ioConfig"]["consumerProperties"])


def test_compaction_config_reaches_perfect_rollup_after_handoff(baseline_spec):
    ds, _ = _datasource(baseline_spec())
    assert compaction_config(ds) == {
        "dataSource": "playback-metrics",
        "skipOffsetFromLatest": "PT6H",
        "tuningConfig": {"type": "index_parallel", "partitionsSpec": {"type": "hashed"}, "forceGuaranteedRollup": True},
        "granularitySpec": {"segmentGranularity": "HOUR", "queryGranularity": "MINUTE", "rollup": True},
    }


def test_compaction_without_rollup_uses_dynamic_partitions(baseline_spec):
    text = mutate(BASELINE, ("compaction: {skipOffsetFromLatest: PT6H}",
                             "compaction: {skipOffsetFromLatest: PT6H, targetRowsPerSegment: 1000000}\n  rollup: false"))
    ds, _ = _datasource(baseline_spec(text))
    assert compaction_config(ds)["tuningConfig"] == {"type": "index_parallel",
                                                     "partitionsSpec": {"type": "dynamic", "maxRowsPerSegment": 1000000}}


def test_compaction_config_has_the_shape_of_druids_request(baseline_spec):
    ds, _ = _datasource(baseline_spec())
    ours = compaction_config(ds)
    request = json.loads((DRUID_EXAMPLES / "auto-compaction-config-request.json").read_text())
    stored = json.loads((DRUID_EXAMPLES / "auto-compaction-config-response.json").read_text())
    assert set(request) <= set(ours) <= set(stored)
    for section in ("tuningConfig", "granularitySpec"):
        assert set(request[section]) <= set(ours[section]) <= set(stored[section])
    assert set(ours["tuningConfig"]["partitionsSpec"]) <= set(stored["tuningConfig"]["partitionsSpec"]) | {"targetRowsPerSegment"}


def test_load_rules_keep_the_declared_order_and_end_with_drop(baseline_spec):
    ds, _ = _datasource(baseline_spec())
    assert load_rules(ds.spec) == [
        {"type": "loadByPeriod", "period": "P7D", "includeFuture": True, "tieredReplicants": {"hot": 2}},
        {"type": "loadByPeriod", "period": "P90D", "includeFuture": True, "tieredReplicants": {"cold": 1}},
        {"type": "dropForever"},
    ]


def test_load_rules_custom_include_future_and_drop_before(baseline_spec):
    text = mutate(BASELINE, ("period: P7D, tieredReplicants", "period: P7D, includeFuture: false, tieredReplicants"),
                  ("{type: dropForever}", "{type: dropBeforeByPeriod, period: P90D}"))
    ds, _ = _datasource(baseline_spec(text))
    rules = load_rules(ds.spec)
    assert rules[0]["includeFuture"] is False
    assert rules[-1] == {"type": "dropBeforeByPeriod", "period": "P90D"}


def _resource(spec):
    ds, schema = _datasource(spec)
    return ingestion_resource(ds, schema, "playback-events", CONSUMER, "metrics", "observability", {"a": "b"})


def test_ingestion_resource_validates_against_the_crd(baseline_spec):
    resource = _resource(baseline_spec())
    assert crd_errors(resource) == []
    assert resource["spec"]["druidCluster"] == "metrics"
    assert set(resource["spec"]["ingestion"]) == {"type", "nativeSpec", "compaction", "rules"}


def test_ingestion_resource_has_the_layout_of_the_operators_native_example(baseline_spec):
    example = load_yaml(DRUID_EXAMPLES / "druidingestion-kafka-native.yaml")
    ours = _resource(baseline_spec())
    assert (ours["apiVersion"], ours["kind"]) == (example["apiVersion"], example["kind"])
    assert set(ours["spec"]) == set(example["spec"])
    assert set(ours["spec"]["ingestion"]) == set(example["spec"]["ingestion"])


def test_disabled_compaction_leaves_compaction_out(baseline_spec):
    text = mutate(BASELINE, ("compaction: {skipOffsetFromLatest: PT6H}", "compaction: {enabled: false}"))
    resource = _resource(baseline_spec(text))
    assert "compaction" not in resource["spec"]["ingestion"]
    assert crd_errors(resource) == []


def test_omitted_fields_take_the_documented_defaults(baseline_spec):
    text = mutate(BASELINE,
                  ("  metrics:\n    - {name: count, type: count}\n"
                   "    - {name: bitrate_kbps_sum, type: longSum, field: bitrate_kbps}\n"
                   "    - {name: bitrate_kbps_max, type: max, field: bitrate_kbps}\n"
                   "    - {name: sessions, type: thetaSketch, field: session_id}\n", ""),
                  ("  lateMessageRejectionPeriod: PT1H\n", ""),
                  ("  ingestion: {taskCount: 2, replicas: 2, taskDuration: PT1H}\n", ""),
                  ("  compaction: {skipOffsetFromLatest: PT6H}\n", ""))
    spec = baseline_spec(text)
    supervisor = _supervisor(spec)["spec"]
    assert supervisor["dataSchema"]["metricsSpec"] == [{"type": "count", "name": "count"}]
    assert supervisor["dataSchema"]["timestampSpec"] == {"column": "ts", "format": "auto"}
    io = supervisor["ioConfig"]
    assert {k: io[k] for k in ("taskCount", "replicas", "taskDuration", "completionTimeout", "useEarliestOffset",
                               "lateMessageRejectionPeriod", "earlyMessageRejectionPeriod")} == {
        "taskCount": 1, "replicas": 1, "taskDuration": "PT1H", "completionTimeout": "PT30M",
        "useEarliestOffset": False, "lateMessageRejectionPeriod": "PT1H", "earlyMessageRejectionPeriod": "PT1H"}
    ds, _ = _datasource(spec)
    assert compaction_config(ds)["skipOffsetFromLatest"] == "P1D"


def test_suspend_is_the_supervisors_own_suspended_field(baseline_spec):
    assert _supervisor(baseline_spec())["suspended"] is False
    text = mutate(BASELINE, ("  lateMessageRejectionPeriod: PT1H\n", "  lateMessageRejectionPeriod: PT1H\n  suspend: true\n"))
    assert _supervisor(baseline_spec(text))["suspended"] is True
