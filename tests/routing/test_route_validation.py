"""Route specs: the filter, projection and sink are checked against the declared schemas at validate time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .route_fixtures import PLATFORM, TO_ES, TO_KAFKA, TO_S3, problems, write

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write(tmp_path / "spec", {"platform.yaml": PLATFORM})


def route_problems(folder: Path, text: str) -> list[str]:
    write(folder, {"routes.yaml": text})
    return problems(folder)


def test_valid_routes_of_every_sink_have_no_problems(folder):
    assert route_problems(folder, "---\n".join((TO_KAFKA, TO_S3, TO_ES))) == []


def test_filter_naming_a_missing_field_fails_with_column_and_field(folder):
    text = TO_KAFKA.replace('country == "US" and bitrate_kbps', 'country == "US" and bitrate_kpbs')
    assert route_problems(folder, text) == [
        'routes.yaml:6:3: /spec/filter: at column 21 of the filter: field "bitrate_kpbs" is not in the schema of '
        'stream "playback-events" (fields: ts, event_type, country, title_id, bitrate_kbps, error_code). '
        'Did you mean "bitrate_kbps"?']


def test_filter_syntax_error_points_at_its_column(folder):
    text = TO_KAFKA.replace('country == "US"', 'country = "US"')
    assert route_problems(folder, text) == [
        'routes.yaml:6:3: /spec/filter: syntax error at column 9 of the filter: unexpected character "=": '
        'compare with "==", not "=".']


def test_filter_comparing_a_string_field_with_a_number_is_rejected(folder):
    text = TO_KAFKA.replace('country == "US"', "country == 1")
    assert route_problems(folder, text) == [
        'routes.yaml:6:3: /spec/filter: at column 12 of the filter: number 1 cannot be compared with field "country" '
        "(string); expected a string."]


def test_projection_of_a_missing_field_points_at_the_item(folder):
    text = TO_S3.replace("  sink:\n", "  projection: [ts, countri]\n  sink:\n").replace("[country]", "[ts]")
    assert route_problems(folder, text) == [
        'routes.yaml:7:20: /spec/projection/1: field "countri" is not in the schema of stream "playback-events" '
        '(fields: ts, event_type, country, title_id, bitrate_kbps, error_code). Did you mean "country"?']


def test_kafka_sink_missing_a_required_field_names_both_streams_and_the_field(folder):
    text = TO_KAFKA.replace("{field: title_id, as: title}", "{field: title_id, as: titel}")
    assert route_problems(folder, text) == [
        'routes.yaml:9:13: /spec/sink/kafka/stream: sink stream "playback-us" requires field "title" (long), which '
        'the route from "playback-events" does not produce. Add it to the projection or make it nullable in '
        '"playback-us".']


def test_kafka_sink_with_an_incompatible_type_names_both_streams_and_the_field(folder):
    text = TO_KAFKA.replace("{field: title_id, as: title}", "{field: country, as: title}")
    assert route_problems(folder, text) == [
        'routes.yaml:9:13: /spec/sink/kafka/stream: field "title" is string in the record routed from '
        '"playback-events" but long in sink stream "playback-us".']


def test_kafka_sink_into_its_own_source_is_rejected(folder):
    text = TO_KAFKA.replace("  projection: [ts, event_type, {field: title_id, as: title}]\n", "").replace(
        "stream: playback-us", "stream: playback-events")
    assert route_problems(folder, text) == [
        "routes.yaml:8:13: /spec/sink/kafka/stream: the route's events would come back to its source: "
        "playback-events -> route us-copy -> playback-events (an endless loop). "
        "Route to a stream no route leads back from."]


def test_two_routes_feeding_each_other_are_a_loop(folder):
    back = """\
apiVersion: streamplane.io/v1
kind: Route
metadata: {name: us-back, owner: playback}
spec:
  source: playback-us
  sink:
    kafka: {stream: playback-events}
  routerImage: registry.example.com/platform/router:2.4.0
"""
    loops = [p for p in route_problems(folder, TO_KAFKA + "---\n" + back) if "endless loop" in p]
    assert loops == [
        "routes.yaml:9:13: /spec/sink/kafka/stream: the route's events would come back to its source: "
        "playback-events -> route us-copy -> playback-us -> route us-back -> playback-events (an endless loop). "
        "Route to a stream no route leads back from.",
        "routes.yaml:18:13: /spec/sink/kafka/stream: the route's events would come back to its source: "
        "playback-us -> route us-back -> playback-events -> route us-copy -> playback-us (an endless loop). "
        "Route to a stream no route leads back from."]


def test_s3_partition_field_must_be_delivered(folder):
    text = TO_S3.replace("partitionBy: [country]", "partitionBy: [dt]")
    [problem] = route_problems(folder, text)
    assert problem.startswith('routes.yaml:8:68: /spec/sink/s3/partitionBy/0: partition field "dt" is not in the '
                              "record the route delivers")


def test_a_route_declares_exactly_one_sink(folder):
    text = TO_S3.replace("    s3: {store", "    kafka: {stream: playback-us}\n    s3: {store")
    assert route_problems(folder, text) == [
        "routes.yaml:7:3: /spec/sink: must declare exactly one sink (kafka, s3 or elasticsearch), got kafka, s3. "
        "Split the route: one route per sink."]


def test_a_route_without_a_sink_says_which_it_may_declare(folder):
    text = TO_S3.replace("    s3: {store: warehouse, prefix: playback/events/, partitionBy: [country]}\n", "    {}\n")
    assert route_problems(folder, text) == [
        "routes.yaml:7:3: /spec/sink: must declare exactly one sink (kafka, s3 or elasticsearch), got none. "
        "Split the route: one route per sink."]


def test_a_mistyped_sink_is_reported_once_with_the_closest_type(folder):
    text = TO_S3.replace("    s3: {store", "    s3s: {store")
    assert route_problems(folder, text) == [
        'routes.yaml:8:5: /spec/sink/s3s: unknown field "s3s", allowed: elasticsearch, kafka, s3. Did you mean "s3"?']


def test_each_sink_type_builds_its_own_member(folder):
    from streamplane.routing.kinds import ElasticsearchSink, KafkaSink, RouteSpec, S3Sink
    from streamplane.spec import typed

    base = {"source": "a", "routerImage": "r:1"}
    assert typed.build(RouteSpec, {**base, "sink": {"kafka": {"stream": "b"}}}).sink == KafkaSink("b")
    s3 = typed.build(RouteSpec, {**base, "sink": {"s3": {"store": "w", "prefix": "p/", "partitionBy": ["c"]}}}).sink
    assert s3 == S3Sink("w", "p/", partition_by=("c",))
    es = typed.build(RouteSpec, {**base, "sink": {"elasticsearch": {"endpoint": "https://e", "indexPattern": "i",
                                                                      "credentials": {"secret": "s"}}}}).sink
    assert isinstance(es, ElasticsearchSink) and es.credentials.username_key == "username"


def test_s3_prefix_under_the_jobs_prefix_is_rejected(folder):
    text = TO_S3.replace("prefix: playback/events/", "prefix: jobs/route-x/")
    [problem] = route_problems(folder, text)
    assert problem.startswith('routes.yaml:8:28: /spec/sink/s3/prefix: string "jobs/route-x/" is not valid here: '
                              "expected A key prefix ending with '/', not under jobs/ (the Flink jobs' own prefixes), "
                              "without IAM wildcards (* ?).")


def test_s3_prefix_with_an_iam_wildcard_is_rejected(folder):
    # "*/" would become the IAM resource bucket/*/*: every job's checkpoints, deletable.
    text = TO_S3.replace("prefix: playback/events/", "prefix: '*/'")
    [problem] = route_problems(folder, text)
    assert problem.startswith('routes.yaml:8:28: /spec/sink/s3/prefix: string "*/" is not valid here:')


def test_parallelism_above_the_partition_count_warns(folder):
    text = TO_S3.replace("parallelism: 6", "parallelism: 16")
    assert route_problems(folder, text) == [
        'routes.yaml:10:3: /spec/parallelism: warning: 16 is more than the 12 partitions of stream "playback-events": '
        "the extra router subtasks would stay idle. Lower parallelism or omit it (default: the partition count)."]


def test_route_name_leaves_room_for_the_router_prefix(folder):
    long_name = "r" * 40
    text = TO_S3.replace("name: to-warehouse", f"name: {long_name}")
    assert route_problems(folder, text) == [
        "routes.yaml:3:12: /metadata/name: must be at most 39 characters (the router job "
        f'"route-{long_name}" is a FlinkDeployment, at most 45), got 40. Shorten the route\'s name.']


def test_default_checkpoint_store_must_exist(folder):
    write(folder, {"platform.yaml": PLATFORM.replace("name: flink-state", "name: state")})
    assert route_problems(folder, TO_S3) == [
        'routes.yaml:4:1: /spec/checkpointStore: the router needs checkpoint store "flink-state", which is not declared (declared: '
        "state, warehouse). Set checkpointStore to one of them."]


def test_elasticsearch_credentials_take_a_secret_reference_only(folder):
    text = TO_ES.replace("credentials: {secret: es-writer, passwordKey: token}",
                         "credentials: {secret: es-writer, password: hunter2}")
    [problem] = route_problems(folder, text)
    assert problem.startswith('routes.yaml:12:40: /spec/sink/elasticsearch/credentials/password: unknown field '
                              '"password", allowed: passwordKey, secret, usernameKey.')


def test_validate_cli_reports_the_missing_field_and_exits_1(folder):
    write(folder, {"routes.yaml": TO_KAFKA.replace('country == "US"', 'countri == "US"')})
    run = subprocess.run([sys.executable, "-m", "streamplane.cli", "validate", "--spec", str(folder)],
                         check=False, capture_output=True, text=True, cwd=REPO, timeout=120)
    assert run.returncode == 1
    output = run.stdout + run.stderr
    assert (f'{folder}/routes.yaml:6:3: /spec/filter: at column 1 of the filter: field "countri" is not in the schema '
            'of stream "playback-events"') in output


def test_route_schema_and_dataclasses_do_not_drift():
    import dataclasses
    import json

    from streamplane.routing import kinds as kind
    from streamplane.spec import typed

    schema = json.loads((REPO / "schemas" / "route.json").read_text())["properties"]["spec"]
    sink = schema["properties"]["sink"]["properties"]

    def keys(cls):
        return {typed.spec_key(f) for f in dataclasses.fields(cls)}

    assert set(schema["properties"]) == keys(kind.RouteSpec)
    assert list(sink) == [member.type for member in kind.SINK_TYPES]
    assert schema["properties"]["sink"]["oneOf"] == [{"required": [member.type]} for member in kind.SINK_TYPES]
    assert set(sink["kafka"]["properties"]) == keys(kind.KafkaSink)
    assert set(sink["s3"]["properties"]) == keys(kind.S3Sink)
    assert set(sink["elasticsearch"]["properties"]) == keys(kind.ElasticsearchSink)
    assert set(sink["elasticsearch"]["properties"]["credentials"]["properties"]) == keys(kind.SecretRef)
