"""Each semantic rule of DruidCluster / DruidDatasource: the baseline passes, one mutation fails with one exact message."""

from __future__ import annotations

import re

import pytest

from streamplane.checks import load_layers
from tests.conftest import REPO
from tests.druid.helpers import BASELINE, mutate

LATE_AND_TASK = "lateMessageRejectionPeriod: PT1H"
SKIP = "compaction: {skipOffsetFromLatest: PT6H}"

COMPACTION_REASON = (
    "A compaction task writes a newer segment version over its time chunk; segments still receiving late rows "
    "or being handed off by indexing tasks are overshadowed and their rows are lost.")


def test_baseline_is_valid(problems_of, warnings_of):
    assert problems_of() == []
    assert warnings_of() == []


def blocked(at: str, skip: str, terms: str, minimum: str) -> str:
    return (f"druid.yaml:{at}: /spec/compaction/skipOffsetFromLatest: compaction would start before late data and "
            f"handoff are done: skipOffsetFromLatest {skip} is shorter than {terms}. {COMPACTION_REASON} "
            f"Set skipOffsetFromLatest to at least {minimum}.")


DEFAULT_TERMS = ("lateMessageRejectionPeriod PT1H + taskDuration PT1H + completionTimeout PT30M + "
                 "earlyMessageRejectionPeriod PT1H + 2 x segmentGranularity HOUR = PT5H30M")


def test_compaction_before_late_data_and_handoff_is_blocked(problems_of):
    # The acceptance case: skipOffsetFromLatest PT1H with lateMessageRejectionPeriod PT2H.
    text = mutate(BASELINE, (SKIP, "compaction: {skipOffsetFromLatest: PT1H}"),
                  (LATE_AND_TASK, "lateMessageRejectionPeriod: PT2H"))
    assert problems_of(text) == [blocked(
        "37:16", "PT1H", "lateMessageRejectionPeriod PT2H + taskDuration PT1H + completionTimeout PT30M + "
        "earlyMessageRejectionPeriod PT1H + 2 x segmentGranularity HOUR = PT6H30M", "PT6H30M")]


def test_compaction_just_below_the_sum_is_blocked_and_at_it_passes(problems_of):
    text = mutate(BASELINE, (SKIP, "compaction: {skipOffsetFromLatest: PT5H29M}"))
    assert problems_of(text) == [blocked("37:16", "PT5H29M", DEFAULT_TERMS, "PT5H30M")]
    assert problems_of(mutate(BASELINE, (SKIP, "compaction: {skipOffsetFromLatest: PT5H30M}"))) == []


def test_compaction_counts_early_rejection_completion_timeout_and_segment_granularity(problems_of):
    text = mutate(BASELINE, (SKIP, "compaction: {skipOffsetFromLatest: P2D}"),
                  ("taskDuration: PT1H}", "taskDuration: PT1H, completionTimeout: PT2H}"),
                  (LATE_AND_TASK, "lateMessageRejectionPeriod: PT1H\n  earlyMessageRejectionPeriod: PT3H\n"
                                  "  segmentGranularity: DAY\n  queryGranularity: HOUR"))
    assert problems_of(text) == [blocked(
        "40:16", "P2D", "lateMessageRejectionPeriod PT1H + taskDuration PT1H + completionTimeout PT2H + "
        "earlyMessageRejectionPeriod PT3H + 2 x segmentGranularity DAY = P2DT7H", "P2DT7H")]


def test_compaction_month_offset_counts_as_its_shortest_month(problems_of):
    # P1M may be 28 days: shorter than 27 days 20 hours of lateness and the rest (a 30-day month would pass).
    text = mutate(BASELINE, (SKIP, "compaction: {skipOffsetFromLatest: P1M}"),
                  (LATE_AND_TASK, "lateMessageRejectionPeriod: P27DT20H"))
    assert problems_of(text) == [blocked(
        "37:16", "P1M", "lateMessageRejectionPeriod P27DT20H + taskDuration PT1H + completionTimeout PT30M + "
        "earlyMessageRejectionPeriod PT1H + 2 x segmentGranularity HOUR = P28DT30M", "P28DT30M")]


def test_compaction_default_offset_is_checked_against_late_data(problems_of):
    # Without skipOffsetFromLatest, Druid's default P1D applies and must still clear late data + handoff;
    # the error points at the compaction block, where the offset would go.
    text = mutate(BASELINE, (SKIP, "compaction: {enabled: true}"), (LATE_AND_TASK, "lateMessageRejectionPeriod: P1D"))
    assert problems_of(text) == [blocked(
        "37:3", "P1D", "lateMessageRejectionPeriod P1D + taskDuration PT1H + completionTimeout PT30M + "
        "earlyMessageRejectionPeriod PT1H + 2 x segmentGranularity HOUR = P1DT4H30M", "P1DT4H30M")]


def test_disabled_compaction_is_not_checked(problems_of):
    text = mutate(BASELINE, (SKIP, "compaction: {enabled: false, skipOffsetFromLatest: PT1H}"))
    assert problems_of(text) == []


def test_timestamp_column_must_be_in_stream_schema(problems_of):
    text = mutate(BASELINE, ("timestamp: {column: ts}", "timestamp: {column: tss}"))
    assert problems_of(text) == [
        'druid.yaml:28:15: /spec/timestamp/column: field "tss" is not in the schema of stream "playback-events" '
        "(fields: ts, device_type, country, title_id, bitrate_kbps, event_type, session_id, attributes). "
        'Did you mean "ts"?']


def test_timestamp_column_must_have_a_time_type(problems_of):
    text = mutate(BASELINE, ("timestamp: {column: ts}", "timestamp: {column: attributes}"))
    assert problems_of(text) == [
        'druid.yaml:28:15: /spec/timestamp/column: field "attributes" of stream "playback-events" has type map, '
        "which cannot be used as the timestamp column (usable: timestamp, long, string). "
        "Pick another field or change the schema."]


def test_dimension_must_be_in_stream_schema(problems_of):
    text = mutate(BASELINE, ("[device_type, country,", "[device_type, contry,"))
    assert problems_of(text) == [
        'druid.yaml:29:29: /spec/dimensions/1: field "contry" is not in the schema of stream "playback-events" '
        "(fields: ts, device_type, country, title_id, bitrate_kbps, event_type, session_id, attributes). "
        'Did you mean "country"?']


def test_dimension_renamed_from_a_field_checks_the_field(problems_of):
    text = mutate(BASELINE, ("event_type, title_id]", "{name: event, field: event_kind}, title_id]"))
    assert problems_of(text) == [
        'druid.yaml:29:52: /spec/dimensions/2/field: field "event_kind" is not in the schema of stream '
        '"playback-events" (fields: ts, device_type, country, title_id, bitrate_kbps, event_type, session_id, '
        'attributes). Did you mean "event_type"?']


def test_dimension_must_have_a_usable_type(problems_of):
    text = mutate(BASELINE, ("title_id]", "title_id, attributes]"))
    assert problems_of(text) == [
        'druid.yaml:29:60: /spec/dimensions/4: field "attributes" of stream "playback-events" has type map, which '
        "cannot be used as a dimension (usable: string, int, long, float, double, boolean, timestamp, array). "
        "Pick another field or change the schema."]


def test_metric_field_must_be_in_stream_schema(problems_of):
    text = mutate(BASELINE, ("type: longSum, field: bitrate_kbps}", "type: longSum, field: bitrate}"))
    assert problems_of(text) == [
        'druid.yaml:32:47: /spec/metrics/1/field: field "bitrate" is not in the schema of stream "playback-events" '
        "(fields: ts, device_type, country, title_id, bitrate_kbps, event_type, session_id, attributes). "
        'Did you mean "bitrate_kbps"?']


def test_sum_metric_needs_a_numeric_field(problems_of):
    text = mutate(BASELINE, ("type: longSum, field: bitrate_kbps}", "type: longSum, field: country}"))
    assert problems_of(text) == [
        'druid.yaml:32:47: /spec/metrics/1/field: field "country" of stream "playback-events" has type string, '
        "which cannot be used as a longSum metric (usable: int, long, float, double). "
        "Pick another field or change the schema."]


def test_sketch_metric_rejects_map_fields(problems_of):
    text = mutate(BASELINE, ("type: thetaSketch, field: session_id}", "type: thetaSketch, field: attributes}"))
    assert problems_of(text) == [
        'druid.yaml:34:43: /spec/metrics/3/field: field "attributes" of stream "playback-events" has type map, '
        "which cannot be used as a thetaSketch metric (usable: string, int, long, float, double, boolean, array). "
        "Pick another field or change the schema."]


def test_aggregating_metric_needs_a_field(problems_of):
    text = mutate(BASELINE, ("type: longSum, field: bitrate_kbps}", "type: longSum}"))
    assert problems_of(text) == [
        "druid.yaml:32:7: /spec/metrics/1: a longSum metric needs the schema field it aggregates. "
        "Add field: <name of a stream schema field>."]


def test_count_metric_reads_no_field(problems_of):
    text = mutate(BASELINE, ("{name: count, type: count}", "{name: count, type: count, field: title_id}"))
    assert problems_of(text) == [
        'druid.yaml:31:34: /spec/metrics/0/field: a count metric counts rows and reads no field, got field '
        '"title_id". Remove field, or use longSum to add it up.']


def test_column_names_must_be_unique(problems_of):
    text = mutate(BASELINE, ("{name: sessions, type: thetaSketch", "{name: country, type: thetaSketch"))
    assert problems_of(text) == [
        'druid.yaml:34:8: /spec/metrics/3/name: column "country" is already declared at /spec/dimensions/1; '
        "every dimension and metric needs its own name."]


def test_stream_without_schema_is_rejected(problems_of):
    extra = ("apiVersion: streamplane.io/v1\nkind: Stream\nmetadata: {name: raw-events, owner: playback}\n"
             "spec: {cluster: fronting, partitions: 8}\n")
    text = mutate(BASELINE, ("stream: playback-events", "stream: raw-events"))
    assert problems_of(text, extra) == [
        'druid.yaml:27:3: /spec/stream: stream "raw-events" declares no schema, so the timestamp, dimensions and '
        "metrics cannot be checked or typed. Add spec.schema.fields to the stream."]


def test_query_granularity_no_coarser_than_segment_granularity(problems_of):
    text = mutate(BASELINE, ("  lateMessageRejectionPeriod: PT1H\n", "  lateMessageRejectionPeriod: PT1H\n  queryGranularity: DAY\n"))
    assert problems_of(text) == [
        "druid.yaml:36:3: /spec/queryGranularity: queryGranularity DAY is coarser than segmentGranularity HOUR: "
        "a segment's rows could not be truncated to buckets inside it. Use a queryGranularity no coarser than HOUR."]


def test_query_granularity_equal_to_segment_granularity_is_allowed(problems_of):
    text = mutate(BASELINE, ("  lateMessageRejectionPeriod: PT1H\n", "  lateMessageRejectionPeriod: PT1H\n  queryGranularity: HOUR\n"))
    assert problems_of(text) == []


def test_tiered_replicants_at_most_the_tiers_historicals(problems_of):
    text = mutate(BASELINE, ("tieredReplicants: {hot: 2}", "tieredReplicants: {hot: 3}"))
    assert problems_of(text) == [
        'druid.yaml:39:60: /spec/retention/0/tieredReplicants/hot: asks for 3 replicas on tier "hot", but '
        'DruidCluster "metrics" has 2 historicals there; the coordinator can place at most one replica per '
        "historical, so these segments would stay under-replicated. Lower it to 2 or add historicals to the tier."]


def test_tiered_replicants_name_a_declared_tier(problems_of):
    text = mutate(BASELINE, ("tieredReplicants: {cold: 1}", "tieredReplicants: {cool: 1}"))
    assert problems_of(text) == [
        'druid.yaml:40:61: /spec/retention/1/tieredReplicants/cool: tier "cool" is not declared on DruidCluster '
        '"metrics" (tiers: hot, cold). Did you mean "cold"?']


def test_retention_must_end_with_a_drop_rule(problems_of):
    text = mutate(BASELINE, ("    - {type: dropForever}\n", ""))
    assert problems_of(text) == [
        "druid.yaml:40:7: /spec/retention/1: retention must end with an explicit drop rule: segments older than the "
        "last load period would fall through to the cluster default rule (load forever, 2 replicas on "
        "_default_tier). Add {type: dropForever} as the last rule."]


def test_rules_after_drop_forever_are_unreachable(problems_of):
    text = mutate(BASELINE, ("  retention:\n", "  retention:\n    - {type: dropForever}\n"))
    assert problems_of(text) == [
        "druid.yaml:40:7: /spec/retention/1: this rule is never applied: dropForever before it matches every "
        "segment. Move dropForever to the end."]


def test_task_count_beyond_partitions_is_a_warning(problems_of, warnings_of):
    text = mutate(BASELINE, ("ingestion: {taskCount: 2, replicas: 2,", "ingestion: {taskCount: 80, replicas: 2,"),
                  ("middleManagers: {replicas: 2, workerCapacity: 5}", "middleManagers: {replicas: 40, workerCapacity: 9}"))
    assert problems_of(text) == []
    assert warnings_of(text) == [
        "druid.yaml:36:15: /spec/ingestion/taskCount: taskCount 80 is more than the 64 partitions of stream "
        '"playback-events": each task reads whole partitions, so 16 task(s) per replica would sit idle in task '
        "slots. Lower taskCount to 64."]


def test_middle_managers_hold_every_datasources_tasks_twice(problems_of):
    text = mutate(BASELINE, ("ingestion: {taskCount: 2, replicas: 2,", "ingestion: {taskCount: 3, replicas: 2,"))
    assert problems_of(text) == [
        "druid.yaml:17:33: /spec/middleManagers/workerCapacity: middle managers have 10 task slots (replicas 2 x "
        "workerCapacity 5) but the datasources on this cluster need 13 (taskCount x replicas x 2 for handoff "
        "overlap: playback-metrics 12; auto-compaction 1); tasks would wait for slots and ingestion would lag. "
        "Raise workerCapacity to 7 or middleManagers.replicas."]


def test_the_capacity_advice_for_a_huge_task_count_is_computed_not_counted(problems_of):
    """Found by the schema fuzz: a counting loop to the needed workerCapacity hung on taskCount 10^12.
    4 x 10^12 tasks on 2 middle managers less a tenth for compaction need 2 x 2,222,222,222,222 slots."""
    text = mutate(BASELINE, ("ingestion: {taskCount: 2, replicas: 2,", "ingestion: {taskCount: 1000000000000, replicas: 2,"))
    [problem] = [p for p in problems_of(text) if "/spec/middleManagers/workerCapacity" in p]
    assert problem.endswith("Raise workerCapacity to 2222222222222 or middleManagers.replicas.")


def test_direct_memory_holds_processing_buffers(problems_of):
    text = mutate(BASELINE, ("    directMemory: 2Gi\n", "    directMemory: 1Gi\n"))
    assert problems_of(text) == [
        "druid.yaml:15:5: /spec/brokers/directMemory: directMemory 1Gi (1073741824 bytes) cannot hold the processing "
        "buffers: bufferSizeBytes 268435456 x (numThreads 3 + numMergeBuffers 2 + 1) = 1610612736 bytes, and Druid "
        "refuses to start. Raise directMemory to at least 1536Mi or shrink the buffers."]




def test_datasource_must_name_a_declared_cluster(problems_of):
    text = mutate(BASELINE, ("  cluster: metrics\n", "  cluster: metric\n"))
    assert problems_of(text) == [
        'druid.yaml:26:3: /spec/cluster: DruidCluster "metric" is not declared in this stack (declared: metrics). '
        'Did you mean "metrics"?']


def test_cluster_must_name_a_declared_deep_storage_store(problems_of):
    text = mutate(BASELINE, ("  deepStorage: druid-deep-storage\n", "  deepStorage: druid-storage\n"))
    assert problems_of(text) == [
        'druid.yaml:9:3: /spec/deepStorage: CheckpointStore "druid-storage" is not declared in this stack '
        '(declared: druid-deep-storage). Did you mean "druid-deep-storage"?']


def test_periods_must_be_iso_8601(problems_of):
    text = mutate(BASELINE, (LATE_AND_TASK, "lateMessageRejectionPeriod: 1h"))
    assert problems_of(text) == [
        f'druid.yaml:35:3: /spec/lateMessageRejectionPeriod: string "1h" is not valid here: expected {STANDARD_PERIOD}.']


def test_tier_names_are_lowercase_labels(problems_of):
    text = mutate(BASELINE, ("    hot: {replicas: 2,", "    Hot: {replicas: 2,"),
                  ("tieredReplicants: {hot: 2}", "tieredReplicants: {Hot: 2}"))
    assert problems_of(text) == [
        'druid.yaml:18:3: /spec/tiers: string "Hot" is not valid here: expected A tier name: lowercase letters, '
        "digits and '-', starting with a letter, at most 31 characters (it becomes druid.server.tier and part of a "
        "StatefulSet name)."]


STANDARD_PERIOD = (
    "an ISO-8601 period in weeks, days, hours, minutes or seconds (PT1H, P1D, P1W), without months or years, "
    "which Druid refuses here: it converts this period to a fixed duration with Joda's "
    "Period.toStandardDuration(), which throws for P1M or P1Y (write P28D or P30D instead)")


@pytest.mark.parametrize("old, new, at, pointer, value", [
    ("taskDuration: PT1H}", "taskDuration: P1M}", "36:42", "/spec/ingestion/taskDuration", "P1M"),
    ("taskDuration: PT1H}", "taskDuration: PT1H, completionTimeout: P1Y}", "36:62", "/spec/ingestion/completionTimeout",
     "P1Y"),
    (LATE_AND_TASK, "lateMessageRejectionPeriod: P1MT1H", "35:3", "/spec/lateMessageRejectionPeriod", "P1MT1H"),
    (LATE_AND_TASK, "lateMessageRejectionPeriod: PT1H\n  earlyMessageRejectionPeriod: P1Y", "36:3",
     "/spec/earlyMessageRejectionPeriod", "P1Y"),
])
def test_months_and_years_are_refused_where_druid_needs_a_fixed_duration(problems_of, old, new, at, pointer, value):
    assert problems_of(mutate(BASELINE, (old, new))) == [
        f'druid.yaml:{at}: {pointer}: string "{value}" is not valid here: expected {STANDARD_PERIOD}.']


@pytest.mark.parametrize("old, new", [
    ("taskDuration: PT1H}", "taskDuration: P1W}"),   # weeks are 7 standard days for Joda
    (LATE_AND_TASK, "lateMessageRejectionPeriod: P1DT12H"),
])
def test_weeks_days_and_hours_are_fixed_durations(problems_of, old, new):
    text = mutate(BASELINE, (old, new), (SKIP, "compaction: {skipOffsetFromLatest: P30D}"))
    assert problems_of(text) == []


def test_compaction_and_retention_periods_may_use_months(problems_of):
    # The coordinator subtracts these with calendar arithmetic, so a month is fine there.
    text = mutate(BASELINE, (SKIP, "compaction: {skipOffsetFromLatest: P1M}"), ("period: P90D", "period: P3M"))
    assert problems_of(text) == []


def test_broker_connections_beyond_historical_http_threads_are_refused(problems_of):
    # 2 brokers x numConnections 30 = 60 connections to each historical, which serves 50 threads.
    text = mutate(BASELINE, ("  brokers:\n", "  brokers:\n    numConnections: 30\n"),
                  ("    hot: {replicas: 2, segmentCacheSize: 100Gi}", "    hot: {replicas: 2, segmentCacheSize: 100Gi, http: {numThreads: 50}}"))
    assert problems_of(text) == [
        "druid.yaml:20:56: /spec/tiers/hot/http/numThreads: historicals of tier hot serve 50 HTTP threads "
        "(druid.server.http.numThreads) but brokers.replicas 2 x druid.broker.http.numConnections 30 = 60 broker "
        "connections can be open to each of them: queries would wait for a thread while brokers hold connections. "
        "Raise numThreads to at least 70 (60 + 10 for non-query requests) or lower brokers.numConnections to 25."]


def test_broker_connections_up_to_historical_http_threads_pass(problems_of):
    text = mutate(BASELINE, ("  brokers:\n", "  brokers:\n    numConnections: 25\n"),
                  ("    hot: {replicas: 2, segmentCacheSize: 100Gi}", "    hot: {replicas: 2, segmentCacheSize: 100Gi, http: {numThreads: 50}}"))
    assert problems_of(text) == []


def test_max_size_without_headroom_on_the_volume_is_refused(problems_of):
    text = mutate(BASELINE, ("    hot: {replicas: 2, segmentCacheSize: 100Gi}",
                             "    hot: {replicas: 2, segmentCacheSize: 100Gi, maxSize: 100Gi}"))
    assert problems_of(text) == [
        "druid.yaml:19:49: /spec/tiers/hot/maxSize: maxSize 100Gi (107374182400 bytes) leaves too little headroom on "
        "the 100Gi segment-cache volume: the coordinator fills each historical up to druid.server.maxSize, which must "
        "stay within 90% of the volume (96636764160 bytes) for filesystem metadata and files Druid does not count, or "
        "segment loads fail on a full disk. Lower maxSize to 90Gi or raise segmentCacheSize to 112Gi."]


def test_a_huge_max_size_gets_an_exact_volume_advice(problems_of):
    """Found by the schema fuzz: maxSize 1e300 made the advised volume a float infinity (a crash)."""
    text = mutate(BASELINE, ("    hot: {replicas: 2, segmentCacheSize: 100Gi}",
                             "    hot: {replicas: 2, segmentCacheSize: 100Gi, maxSize: 1.0e+300}"))
    [problem] = problems_of(text)
    advice = re.fullmatch(r".* raise segmentCacheSize to ([0-9]+)Gi\.", problem)
    assert advice, problem
    have, gib = int(1.0e300), int(advice.group(1)) * 2**30
    assert gib * 9 >= have * 10 > (gib - 2**30) * 9  # the least whole Gi whose 90% holds maxSize


def test_max_size_at_ninety_percent_of_the_volume_passes(problems_of):
    text = mutate(BASELINE, ("    hot: {replicas: 2, segmentCacheSize: 100Gi}",
                             "    hot: {replicas: 2, segmentCacheSize: 100Gi, maxSize: 96636764160}"))
    assert problems_of(text) == []


MM = "middleManagers: {replicas: 2, workerCapacity: 5}"


def test_middle_manager_pods_must_hold_every_task_at_once(problems_of):
    # 256Mi + 512Mi + 5 x (3Gi + 3Gi + 512Mi) = 34048Mi > 32Gi.
    text = mutate(BASELINE, (MM, "middleManagers: {replicas: 2, workerCapacity: 5, resources: {memory: 32Gi}, "
                                 "taskHeap: 3Gi, taskDirectMemory: 3Gi}"))
    assert problems_of(text) == [
        "druid.yaml:17:64: /spec/middleManagers/resources/memory: middle-manager pods have 32Gi but need 34048Mi: "
        "heap 256Mi + JVM overhead 512Mi + workerCapacity 5 x (taskHeap 3Gi + taskDirectMemory 3Gi + JVM overhead "
        "512Mi); with every slot busy the kernel OOM-kills tasks. Raise resources.memory to 34Gi, or lower "
        "workerCapacity to 4 (and add middleManagers.replicas) or taskHeap / taskDirectMemory."]


def test_middle_manager_pods_that_hold_every_task_pass(problems_of):
    text = mutate(BASELINE, (MM, "middleManagers: {replicas: 2, workerCapacity: 5, resources: {memory: 34048Mi}, "
                                 "taskHeap: 3Gi, taskDirectMemory: 3Gi}"))
    assert problems_of(text) == []


def test_the_prod_middle_managers_fit_their_pods():
    """stacks/base (prod takes it unchanged): 64Gi pods, workerCapacity 9, 3Gi + 3Gi per task."""
    spec = load_layers([REPO / "stacks" / "base", REPO / "stacks" / "prod"], "prod").spec
    mm = spec.get("DruidCluster", "metrics").spec.middle_managers
    assert (mm.worker_capacity, mm.resources.memory, mm.heap) == (9, "64Gi", "256Mi")
    assert mm.pod_bytes_needed == (256 + 512 + 9 * (3072 + 3072 + 512)) * 2**20 <= 64 * 2**30


def test_task_direct_memory_must_hold_the_task_processing_buffers(problems_of):
    text = mutate(BASELINE, (MM, "middleManagers: {replicas: 2, workerCapacity: 5, taskDirectMemory: 512Mi, "
                                 "processing: {bufferSizeBytes: 268435456, numThreads: 2, numMergeBuffers: 2}}"))
    assert problems_of(text) == [
        "druid.yaml:17:52: /spec/middleManagers/taskDirectMemory: taskDirectMemory 512Mi (536870912 bytes) cannot hold "
        "the processing buffers: bufferSizeBytes 268435456 x (numThreads 2 + numMergeBuffers 2 + 1) = 1342177280 bytes, "
        "and Druid refuses to start. Raise taskDirectMemory to at least 1280Mi or shrink the buffers."]
