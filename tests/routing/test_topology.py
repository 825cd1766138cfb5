"""The route graph as data, from the example stacks and from small specs; and the example routes' synth."""

from __future__ import annotations

from pathlib import Path

import pytest

from streamplane.checks import load_layers, load_stack
from streamplane.routing.topology import ROUTE_TYPE, Edge, route_of, topology
from streamplane.synth import synth_spec

from .route_fixtures import PLATFORM, TO_ES, TO_KAFKA, TO_S3, write

STACKS = Path(__file__).resolve().parents[2] / "stacks"
EXAMPLE_ROUTES = ["playback-errors-to-search", "playback-to-consumer", "playback-to-warehouse"]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = write(tmp_path_factory.mktemp("topo"), {"platform.yaml": PLATFORM,
                                                     "routes.yaml": "---\n".join((TO_KAFKA, TO_S3, TO_ES))})
    return topology(load_layers([folder], "dev").spec)


def test_topology_lists_every_stream_route_sink_edge(small):
    assert small.edges == (
        Edge("stream:playback-events", "route:errors-to-search", "reads", "errors-to-search"),
        Edge("route:errors-to-search", "elasticsearch:https://logs.es.example.com:9243/playback-errors-{yyyy.MM.dd}",
             "writes", "errors-to-search"),
        Edge("stream:playback-events", "route:to-warehouse", "reads", "to-warehouse"),
        Edge("route:to-warehouse", "s3:warehouse/playback/events/", "writes", "to-warehouse"),
        Edge("stream:playback-events", "route:us-copy", "reads", "us-copy"),
        Edge("route:us-copy", "stream:playback-us", "writes", "us-copy"),
    )
    assert [(n.id, n.kind) for n in small.nodes] == [
        ("stream:playback-events", "stream"), ("route:errors-to-search", "route"),
        ("elasticsearch:https://logs.es.example.com:9243/playback-errors-{yyyy.MM.dd}", "elasticsearch"),
        ("route:to-warehouse", "route"), ("s3:warehouse/playback/events/", "s3"), ("route:us-copy", "route"),
        ("stream:playback-us", "stream")]


def test_topology_of_some_routes_keeps_only_their_edges_and_nodes(small):
    part = small.of_routes(["us-copy"])
    assert part.as_dict() == {
        "nodes": [{"id": "stream:playback-events", "kind": "stream", "label": "playback-events"},
                  {"id": "route:us-copy", "kind": "route", "label": "us-copy"},
                  {"id": "stream:playback-us", "kind": "stream", "label": "playback-us"}],
        "edges": [{"source": "stream:playback-events", "target": "route:us-copy", "kind": "reads", "route": "us-copy"},
                  {"source": "route:us-copy", "target": "stream:playback-us", "kind": "writes", "route": "us-copy"}]}


def test_route_of_is_none_outside_routes():
    resources = {"a": {"type": "aws:s3/bucket:Bucket", "name": "b", "parent": "s"},
                 "s": {"type": "streamplane:index:CheckpointStore", "name": "flink-state", "parent": None}}
    assert route_of("a", resources) is None
    resources["s"] = {"type": ROUTE_TYPE, "name": "r", "parent": None}
    assert route_of("a", resources) == "r"


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_example_stack_routes_each_run_their_own_router_with_acls(env):
    spec = load_stack(STACKS, env).spec
    assert sorted(topology(spec).routes()) == EXAMPLE_ROUTES
    edges = {(e.source, e.target) for e in topology(spec).edges}
    assert {("stream:playback-events", f"route:{r}") for r in EXAMPLE_ROUTES} <= edges
    assert ("route:playback-to-consumer", "stream:playback-events-enriched") in edges
    assert ("route:playback-to-warehouse", "s3:warehouse/playback/events/") in edges

    graph = synth_spec(spec, env, STACKS)
    by_urn = {r["urn"]: r for r in graph["resources"]}
    deployments = {r["name"]: route_of(r["urn"], by_urn) for r in graph["resources"]
                   if r["type"] == "kubernetes:flink.apache.org/v1beta1:FlinkDeployment" and r["name"].startswith("route-")}
    assert deployments == {f"route-{r}": r for r in EXAMPLE_ROUTES}
    acls = {}
    for r in graph["resources"]:  # each router's ACLs, by its principal (they are its clusters' children)
        principal = r["inputs"].get("aclPrincipal", "") if r["type"] == "kafka:index/acl:Acl" else ""
        if principal.startswith("User:route-"):
            acls.setdefault(principal.removeprefix("User:route-"), set()).add(
                (r["inputs"]["aclOperation"], r["inputs"]["aclResourceName"]))
    assert acls == {
        "playback-errors-to-search": {("Read", "playback-events"), ("Describe", "playback-events"),
                                      ("Read", "route-playback-errors-to-search.playback-events")},
        "playback-to-warehouse": {("Read", "playback-events"), ("Describe", "playback-events"),
                                  ("Read", "route-playback-to-warehouse.playback-events")},
        "playback-to-consumer": {("Read", "playback-events"), ("Describe", "playback-events"),
                                 ("Read", "route-playback-to-consumer.playback-events"),
                                 ("Write", "playback-events-enriched"), ("Describe", "playback-events-enriched")},
    }


def test_topology_command_lists_every_stream_route_sink_edge_of_the_dev_stack(capsys):
    import json

    from streamplane.cli import main

    try:
        main(["topology", "--stack", "dev"])
    except SystemExit as exit_info:
        assert exit_info.code in (0, None)
    edges = {(e["source"], e["target"]) for e in json.loads(capsys.readouterr().out)["edges"]}
    assert edges == {
        ("stream:playback-events", "route:playback-errors-to-search"),
        ("route:playback-errors-to-search",
         "elasticsearch:https://playback-logs.dev-es.example.com:9243/playback-errors-{yyyy.MM.dd}"),
        ("stream:playback-events", "route:playback-to-consumer"),
        ("route:playback-to-consumer", "stream:playback-events-enriched"),
        ("stream:playback-events", "route:playback-to-warehouse"),
        ("route:playback-to-warehouse", "s3:warehouse/playback/events/"),
    }
