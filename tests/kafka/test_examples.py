"""The example stacks, the acceptance paths through the CLI, and the data copied from tests/reference."""

from __future__ import annotations

import dataclasses
import json
import shutil
from functools import cache

import pytest
import yaml

from streamplane.checks import load_stack
from streamplane.cli import main
from streamplane.kafka.capacity import GUIDANCE_FILE
from streamplane.kafka.checks.objects import STRIMZI_KAFKA_VERSIONS
from streamplane.kafka.kinds import cluster as kafka_cluster
from streamplane.kafka.kinds import stream
from streamplane.kafka.rules.topics import TOPIC_CONFIGS_FILE
from streamplane.paths import PACKAGE_ROOT, SCHEMAS_DIR
from streamplane.spec import typed
from streamplane.synth import synth_spec
from tests.conftest import REFERENCE
from tests.crd import crd_errors

from .helpers import ACL, QUOTA, TOPIC, by_type

STACKS = PACKAGE_ROOT / "stacks"


@cache
def stack_graph(environment: str) -> dict:
    return synth_spec(load_stack(STACKS, environment).spec, environment, STACKS)


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_example_stack_has_clusters_topics_acls_and_quotas(environment):
    graph = stack_graph(environment)
    components = {(r["type"], r["name"]) for r in graph["resources"] if not r["custom"]}
    assert {("streamplane:index:KafkaCluster", "fronting"), ("streamplane:index:KafkaCluster", "consumer"),
            ("streamplane:index:Stream", "playback-events"),
            ("streamplane:index:Stream", "playback-events-enriched")} <= components
    assert set(by_type(graph, TOPIC)) == {"playback-events", "playback-sessions", "playback-events-enriched"}
    # The streams' own ACLs and the Druid datasource's 3, besides the routers' (tests/routing); every
    # binding is a child of its cluster.
    acls = by_type(graph, ACL).values()
    assert len([a for a in acls if not a["inputs"]["aclPrincipal"].startswith("User:route-")]) == 17
    assert {a["parent"].rsplit("::", 2)[1] for a in acls} == {"streamplane:index:KafkaCluster"}
    assert set(by_type(graph, QUOTA)) == {"fronting-quota-playback-api", "fronting-quota-route-playback-to-warehouse"}
    protected = {r["protect"] for r in by_type(graph, TOPIC).values()}
    assert protected == {environment == "prod"}


@pytest.mark.parametrize("environment,engine_type", [
    ("dev", "kubernetes:kafka.strimzi.io/v1:Kafka"), ("staging", "aws:msk/cluster:Cluster"), ("prod", "aws:msk/cluster:Cluster")])
def test_example_stack_engines(environment, engine_type):
    assert set(by_type(stack_graph(environment), engine_type)) == {"fronting", "consumer"}


def test_dev_strimzi_custom_resources_validate_against_the_crds():
    manifests = [r["inputs"] for r in stack_graph("dev")["resources"] if r["type"].startswith("kubernetes:kafka.strimzi.io/")]
    assert len(manifests) == 8
    for manifest in manifests:
        assert manifest["apiVersion"] == "kafka.strimzi.io/v1"
        assert crd_errors(manifest) == [], manifest["metadata"]["name"]


def test_playback_events_schema_has_what_druid_and_routes_need():
    spec = load_stack(STACKS, "dev").spec
    playback = spec.get("Stream", "playback-events")
    assert (playback.owner, playback.spec.cluster) == ("playback", "fronting")
    fields = {f.name: f.type for f in playback.spec.schema.fields}
    assert {"ts": "timestamp", "device_type": "string", "country": "string", "title_id": "long",
            "bitrate_kbps": "long", "event_type": "string", "session_id": "string"}.items() <= fields.items()
    assert spec.get("Stream", "playback-events-enriched").spec.cluster == "consumer"


@pytest.mark.parametrize("shipped, name", [(TOPIC_CONFIGS_FILE, "topic-configs.json"),
                                           (GUIDANCE_FILE, "msk-partitions-per-broker.json")])
def test_shipped_tables_are_the_reference_copy(shipped, name):
    """The code reads one copy of each table; this keeps it identical to the provenance-noted reference."""
    assert json.loads(shipped.read_text()) == json.loads((REFERENCE / "kafka" / name).read_text())


def test_strimzi_versions_are_the_ones_strimzi_supports():
    reference = REFERENCE / "kafka" / "strimzi-kafka-versions.yaml"
    supported = tuple(v["version"] for v in yaml.safe_load(reference.read_text()) if v.get("supported"))
    assert supported == STRIMZI_KAFKA_VERSIONS
    assert next(
        v["version"] for v in yaml.safe_load(reference.read_text()) if v.get("default")) == kafka_cluster.DEFAULT_STRIMZI_KAFKA_VERSION


def schema_keys(node: dict) -> set[str]:
    return set(node["properties"])


@pytest.mark.parametrize("schema_file,cls,nested", [
    ("kafka-cluster.json", kafka_cluster.KafkaClusterSpec,
     {"msk": kafka_cluster.MskSettings, "strimzi": kafka_cluster.StrimziSettings, "existing": kafka_cluster.ExistingSettings}),
    ("stream.json", stream.StreamSpec, {}),
])
def test_schemas_and_dataclasses_do_not_drift(schema_file, cls, nested):
    spec = json.loads((SCHEMAS_DIR / schema_file).read_text())["properties"]["spec"]
    assert schema_keys(spec) == {typed.spec_key(f) for f in dataclasses.fields(cls)}
    for key, nested_cls in nested.items():
        assert schema_keys(spec["properties"][key]) == {typed.spec_key(f) for f in dataclasses.fields(nested_cls)}
    if cls is kafka_cluster.KafkaClusterSpec:
        quota = spec["properties"]["quotas"]["items"]
        assert schema_keys(quota) == {typed.spec_key(f) for f in dataclasses.fields(kafka_cluster.QuotaSpec)}


def copy_stacks(tmp_path):
    target = tmp_path / "stacks"
    shutil.copytree(STACKS, target)
    return target


def run_cli(args, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def test_cli_reports_topic_config_typo(tmp_path, capsys):
    stacks = copy_stacks(tmp_path)
    streams = stacks / "base" / "streams.yaml"
    text = streams.read_text().replace("    max.message.bytes: 1048576\n", "    retention.msec: 86400000\n", 1)
    streams.write_text(text)
    line = text.splitlines().index("    retention.msec: 86400000") + 1
    code, _, err = run_cli(["validate", "--spec", str(stacks / "base"), "--spec", str(stacks / "dev")], capsys)
    assert code == 1
    assert f"streams.yaml:{line}:5: /spec/config/retention.msec: unknown topic config \"retention.msec\"" in err
    assert 'Did you mean "retention.ms"?' in err


def test_cli_plan_removing_a_consumer_changes_only_its_acls(tmp_path, capsys):
    base = copy_stacks(tmp_path / "base")
    head = copy_stacks(tmp_path / "head")
    streams = head / "base" / "streams.yaml"
    streams.write_text(streams.read_text().replace("  consumers: [playback-qoe-monitor]\n", "  consumers: []\n", 1))
    out_file = tmp_path / "plan.json"
    main_args = ["plan", "--stack", "dev", "--spec", str(head / "base"), "--spec", str(head / "dev"),
                 "--base-spec", str(base / "base"), "--base-spec", str(base / "dev"), "--format", "json",
                 "--out", str(out_file)]
    try:
        main(main_args)
    except SystemExit as exit_info:  # exit 0 is fine; blocked (3) is not expected here
        assert exit_info.code in (0, None)
    plan = json.loads(out_file.read_text())
    # Its ACLs, and its credential (the generated password and its SCRAM credential on the cluster).
    assert sorted((c["action"], c["urn"].rsplit("::", 1)[1]) for c in plan["changes"] if c["action"] != "same") == [
        ("delete", "fronting-acl-playback-qoe-monitor-describe-topic-playback-events"),
        ("delete", "fronting-acl-playback-qoe-monitor-read-group-playback-qoe-monitor.playback-events"),
        ("delete", "fronting-acl-playback-qoe-monitor-read-topic-playback-events"),
        ("delete", "fronting-playback-qoe-monitor"),
        ("delete", "fronting-playback-qoe-monitor"),
    ]
