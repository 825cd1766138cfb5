"""ACL bindings are owned by their KafkaCluster and named from the binding (issue 12 point 5), so
who declares a binding, or who declares it first, never changes its URN; the move from the old
per-declarer names is a no-op through aliases (docs/UPGRADE.md)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from components.kafka import grant_consumer
from tests.conftest import run_cli

from .helpers import ACL, EXISTING_CLUSTER, STREAM, by_type, synth, write_spec
from .test_acl_grants import CLUSTER_URN, PASSWORDS

PREVIOUS_STATE = Path(__file__).parent / "data" / "dev-export-stream-owned-acls.json.gz"
"""`python -m tests.engine_state dev` at commit 0f1664f, the last one where a binding belonged to the
first component that declared it (Stream, Route or DruidDatasource) and was named after it."""
ROUTER = "User:playback-router"


def graph_of(tmp_path: Path, stream_text: str, with_route: bool) -> dict:
    folder = write_spec(tmp_path, {"clusters.yaml": EXISTING_CLUSTER, "streams.yaml": stream_text})

    def extra(platform):
        if with_route:
            stream = platform.streams["playback-events"]
            grant_consumer(stream.stream, "playback-router", platform.clusters[stream.cluster])

    return synth(folder, config=PASSWORDS, secret_keys=["streamplane:kafkaPasswords"], extra=extra)


def router_urns(graph: dict) -> list[str]:
    return sorted(a["urn"] for a in by_type(graph, ACL).values() if a["inputs"]["aclPrincipal"] == ROUTER)


def test_dropping_one_of_two_declarers_keeps_the_binding_urn(tmp_path):
    """The stream lists playback-router as consumer and a route grants it the same bindings: dropping
    either declarer leaves the other's bindings exactly where they were (no delete + create)."""
    both = router_urns(graph_of(tmp_path / "both", STREAM, with_route=True))
    without_consumer = STREAM.replace("consumers: [playback-router]", "consumers: [playback-ui]")
    route_only = router_urns(graph_of(tmp_path / "route", without_consumer, with_route=True))
    stream_only = router_urns(graph_of(tmp_path / "stream", STREAM, with_route=False))
    assert len(both) == 3
    assert both == route_only == stream_only
    assert all(urn.startswith("urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster$kafka:index/acl:Acl::"
                              "fronting-acl-playback-router-") for urn in both)


def test_a_stream_binding_keeps_its_stream_owned_urn_as_an_alias(tmp_path):
    graph = graph_of(tmp_path, STREAM, with_route=False)
    (read,) = [a for a in by_type(graph, ACL).values()
               if a["inputs"]["aclPrincipal"] == ROUTER and a["inputs"]["aclResourceType"] == "Topic"
               and a["inputs"]["aclOperation"] == "Read"]
    assert read["parent"] == CLUSTER_URN
    assert read["aliases"] == ["urn:pulumi:dev::streamplane::streamplane:index:Stream$kafka:index/acl:Acl::"
                               "playback-events-acl-playback-router-read-topic-playback-events"]


def _acls(resources: list[dict]) -> dict[tuple, dict]:
    """ACL resources by their binding (principal, operation, resource type, name, pattern)."""
    return {(r["inputs"]["aclPrincipal"], r["inputs"]["aclOperation"], r["inputs"]["aclResourceType"],
             r["inputs"]["aclResourceName"], r["inputs"]["resourcePatternTypeFilter"]): r
            for r in resources if r["type"] == ACL}


def test_plan_against_the_stream_owned_state_moves_every_binding_without_delete_or_create(tmp_path, capsys):
    text = gzip.decompress(PREVIOUS_STATE.read_bytes()).decode("utf-8")
    before = _acls(json.loads(text)["deployment"]["resources"])
    moved = [b for b, r in before.items() if "streamplane:index:KafkaCluster$" not in r["urn"]]
    assert len(moved) == 27  # the state really holds the old layout: only IDEMPOTENT_WRITE was the cluster's
    state = tmp_path / "previous.json"
    state.write_text(text, encoding="utf-8")

    code, out, err = run_cli(["plan", "--stack", "dev", "--state", str(state), "--format", "json"], capsys)
    assert code == 0, err
    plan = json.loads(out)
    assert [(c["action"], c["urn"]) for c in plan["changes"] if c["type"] == ACL] == []
    code, out, _ = run_cli(["synth", "--stack", "dev"], capsys)
    after = _acls(json.loads(out)["resources"])
    for binding in moved:
        assert before[binding]["urn"] in after[binding]["aliases"], binding
        assert after[binding]["parent"].startswith("urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster::")
