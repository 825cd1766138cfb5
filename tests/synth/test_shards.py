"""Sharded environments (streamplane/shards.py): a platform stack and per-owner stacks linked by a
StackReference that resolves offline from the platform stack's synth graph."""

from __future__ import annotations

import json
import shutil

import pytest

from streamplane.checks import load_stack
from streamplane.program import build
from streamplane.settings import StackSettings
from streamplane.shards import Shard, shard_config, shard_of_stack, shards_of, touched_shards
from streamplane.synth import run_offline, synth_shard, synth_shards
from streamplane.synth.capture import STACK_REFERENCE_TYPE
from tests.conftest import REPO

ENV = "loadtest"


def by_type(graph: dict, type_: str) -> list[dict]:
    return [r for r in graph["resources"] if r["type"] == type_]


@pytest.fixture(scope="module")
def graphs():
    stacks = REPO / "stacks"
    spec = load_stack(stacks, ENV).spec
    return synth_shards(spec, stacks, shards_of(spec, ENV))


@pytest.fixture
def stacks_copy(tmp_path):
    """A copy of stacks/ to edit."""
    copy = tmp_path / "stacks"
    shutil.copytree(REPO / "stacks", copy)
    return copy


def test_stack_names_of_a_sharded_environment():
    stacks = REPO / "stacks"
    assert shard_of_stack(stacks, "loadtest") == Shard("loadtest")
    assert shard_of_stack(stacks, "loadtest-playback") == Shard("loadtest", "playback")
    assert shard_of_stack(stacks, "dev") is None  # single-stack layout
    spec = load_stack(stacks, ENV).spec
    assert [s.stack for s in shards_of(spec, ENV)] == ["loadtest", "loadtest-playback", "loadtest-recommendations"]


def test_owner_stack_resolves_its_stack_reference_from_the_platform_graph(graphs):
    platform, owner = graphs["loadtest"], graphs["loadtest-recommendations"]
    exported = platform["outputs"]
    # The platform stack exports its clusters' and stores' connection facts, and the generated
    # passwords of its clients as secrets ...
    assert set(exported) == {"kafka", "kafkaCredentials", "stores", "druid"}
    assert exported["kafkaCredentials"]["consumer"]["route-playback-to-recommendations"] == "<secret>"
    msk = "urn:pulumi:loadtest::streamplane::streamplane:index:KafkaCluster$aws:msk/cluster:Cluster::consumer"
    assert exported["kafka"]["consumer"]["adminBootstrapServers"] == f"<computed:{msk}#bootstrapBrokersSaslIam>"
    # ... the owner stack reads them through one StackReference (a read resource in its state) ...
    [reference] = by_type(owner, STACK_REFERENCE_TYPE)
    assert reference["urn"] == "urn:pulumi:loadtest-recommendations::streamplane::pulumi:pulumi:StackReference::loadtest"
    assert reference["inputs"] == {"name": "organization/streamplane/loadtest"}
    # ... and its own Kafka provider and router configuration carry the platform graph's values.
    providers = {r["name"]: r for r in by_type(owner, "pulumi:providers:kafka")}
    assert json.loads(providers["consumer"]["inputs"]["bootstrapServers"]) == [
        exported["kafka"]["consumer"]["adminBootstrapServers"]]
    assert providers["consumer"]["dependencies"] == [reference["urn"]]
    [router] = [r for r in by_type(owner, "kubernetes:flink.apache.org/v1beta1:FlinkDeployment")
                if r["name"] == "route-playback-to-recommendations"]
    conf = router["inputs"]["spec"]["flinkConfiguration"]
    assert conf["streamplane.route.source.bootstrap-servers"] == exported["kafka"]["fronting"]["bootstrapServers"]
    assert conf["streamplane.route.sink.bootstrap-servers"] == exported["kafka"]["consumer"]["bootstrapServers"]
    assert exported["stores"]["flink-state"]["bucketName"] in json.dumps(router["inputs"])
    # ... and the owner stack delivers its router's credentials as Secrets in its own namespace.
    secrets = {r["inputs"]["metadata"]["name"]: r for r in by_type(owner, "kubernetes:core/v1:Secret")}
    assert set(secrets) >= {"kafka-consumer-route-playback-to-recommendations",
                            "kafka-fronting-route-playback-to-recommendations"}
    assert all(s["inputs"]["metadata"]["namespace"] == "recommendations" and s["inputs"]["stringData"] == "<secret>"
               for s in secrets.values())


def test_owner_stack_without_the_platform_graph_fails_clearly():
    stacks = REPO / "stacks"
    spec = load_stack(stacks, ENV).spec
    with pytest.raises(Exception, match='no graph of stack "organization/streamplane/loadtest"'):
        synth_shard(spec, Shard(ENV, "recommendations"), stacks, references={})


def test_every_object_is_built_by_exactly_one_stack(stacks_copy):
    """The shards together declare what one stack of the same spec declares, each resource once:
    ACLs included, even when another owner's stream already grants a route's principal (the stream's
    stack owns that binding)."""
    overlay = stacks_copy / "loadtest" / "streams.yaml"
    overlay.write_text("apiVersion: streamplane.io/v1\nkind: Stream\nmetadata: {name: playback-events, owner: playback}\n"
                       "spec:\n  consumers: [playback-qoe-monitor, route-playback-to-recommendations]\n", encoding="utf-8")
    spec = load_stack(stacks_copy, ENV).spec
    sharded = synth_shards(spec, stacks_copy, shards_of(spec, ENV))
    config, secrets = shard_config(stacks_copy, Shard(ENV))
    settings = StackSettings.from_config_map(config, ENV)
    single = run_offline(lambda: build(spec, ENV, settings), ENV, config, secrets)

    def owned(graph: dict) -> list[tuple[str, str]]:
        return sorted((r["type"], r["name"]) for r in graph["resources"]
                      if not r["type"].startswith("pulumi:"))

    union = sorted(pair for graph in sharded.values() for pair in owned(graph))
    assert union == owned(single)
    acl_topics = [(r["inputs"]["aclPrincipal"], r["inputs"]["aclOperation"], r["inputs"]["aclResourceName"])
                  for graph in sharded.values() for r in by_type(graph, "kafka:index/acl:Acl")]
    assert len(acl_topics) == len(set(acl_topics))
    shared = ("User:route-playback-to-recommendations", "Read", "playback-events")
    assert shared in {key for r in by_type(sharded["loadtest-playback"], "kafka:index/acl:Acl")
                      for key in [(r["inputs"]["aclPrincipal"], r["inputs"]["aclOperation"], r["inputs"]["aclResourceName"])]}


def test_a_change_to_one_owners_spec_touches_only_that_owners_stack(stacks_copy):
    base = load_stack(stacks_copy, ENV).spec
    overlay = stacks_copy / "loadtest" / "recommendations.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("partitions: 16", "partitions: 24"), encoding="utf-8")
    head = load_stack(stacks_copy, ENV).spec
    assert touched_shards(head, stacks_copy, base, stacks_copy, ENV) == [Shard(ENV, "recommendations")]


def test_a_change_to_a_shared_stream_touches_its_readers_too(stacks_copy):
    """playback-events is playback's; the recommendations route reads its partitions (its parallelism)."""
    base = load_stack(stacks_copy, ENV).spec
    (stacks_copy / "loadtest" / "streams.yaml").write_text(
        "apiVersion: streamplane.io/v1\nkind: Stream\nmetadata: {name: playback-events, owner: playback}\n"
        "spec:\n  partitions: 96\n", encoding="utf-8")
    head = load_stack(stacks_copy, ENV).spec
    assert touched_shards(head, stacks_copy, base, stacks_copy, ENV) == [
        Shard(ENV, "playback"), Shard(ENV, "recommendations")]


def test_platform_config_and_new_producers_touch_the_platform_stack(stacks_copy):
    base = load_stack(stacks_copy, ENV).spec
    overlay = stacks_copy / "loadtest" / "recommendations.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("  consumers: [recs-trainer]",
                                                                   "  producers: [recs-api]\n  consumers: [recs-trainer]"),
                       encoding="utf-8")
    head = load_stack(stacks_copy, ENV).spec
    # A new producer gets the cluster-wide IDEMPOTENT_WRITE, which the platform stack owns.
    assert touched_shards(head, stacks_copy, base, stacks_copy, ENV) == [Shard(ENV), Shard(ENV, "recommendations")]
    owner_config = stacks_copy / "Pulumi.loadtest-playback.yaml"
    owner_config.write_text(owner_config.read_text(encoding="utf-8") + "  streamplane:tags: {team: playback}\n",
                            encoding="utf-8")
    assert Shard(ENV, "playback") in touched_shards(head, stacks_copy, base, REPO / "stacks", ENV)
