"""The pack itself: naming, metadata, one module per rule, and that CrossGuard runs the same objects."""

import json
import re
import runpy
from pathlib import Path

import pulumi_policy
import pytest
import yaml
from google.protobuf import json_format, struct_pb2
from policy_harness import find, resource, violations
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel, StackValidationPolicy
from pulumi_policy.policy import _PolicyAnalyzerServicer

import policies
from policies import rules
from policies.rules import ALL, kafka_topic_require_min_insync_replicas, s3_bucket_require_sse_kms
from streamplane.checks import load_stack
from streamplane.policy_offline import _properties as offline_properties
from streamplane.policy_offline import evaluate_policies
from streamplane.synth import synth_spec
from tests.conftest import REPO

PACK_DIR = Path(policies.__file__).parent
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+){3,}$")


def test_pack_has_at_least_twenty_rules_with_unique_names():
    names = [p.name for p in ALL]
    assert len(names) >= 20 and len(set(names)) == len(names)


@pytest.mark.parametrize("module", rules.MODULES, ids=lambda m: m.POLICY.name)
def test_rule_module_is_named_after_its_policy(module):
    policy = module.POLICY
    assert NAME.match(policy.name), "<domain>-<resource>-<verb>-<what>"
    assert module.__name__.rsplit(".", 1)[1] == policy.name.replace("-", "_")
    assert policy.description.endswith(".") and policy.description.count(". ") == 0
    assert policy.enforcement_level in (EnforcementLevel.ADVISORY, EnforcementLevel.MANDATORY)


def test_every_rule_file_is_registered():
    files = {p.stem for p in (PACK_DIR / "rules").glob("*.py") if not p.stem.startswith("_")}
    assert files == set(rules.NAMES)


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_environment_config_names_known_policies_and_levels(environment):
    config = policies.load_config(environment)
    by_name = {p.name: p for p in ALL}
    levels = {level.value for level in EnforcementLevel}
    for name, entry in config.items():
        assert name in by_name, name
        level = entry if isinstance(entry, str) else entry.get("enforcementLevel")
        assert level in levels
        if isinstance(entry, dict):
            schema = by_name[name].config_schema.properties
            assert set(entry) - {"enforcementLevel"} <= set(schema), name


def test_pulumi_policy_yaml_is_a_python_pack():
    document = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    assert document["runtime"]["name"] == "python"


def test_main_assembles_the_same_rule_objects(monkeypatch):
    captured = {}

    def fake_pack(**kwargs):
        captured.update(kwargs)

    monkeypatch.setattr(pulumi_policy, "PolicyPack", fake_pack)
    runpy.run_path(str(PACK_DIR / "__main__.py"), run_name="__main__")
    assert captured["name"] == policies.PACK_NAME
    assert all(a is b for a, b in zip(captured["policies"], ALL, strict=False)) and len(captured["policies"]) == len(ALL)


def _struct(value: dict) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    json_format.ParseDict(value, message)
    return message


def _servicer(policy_list):
    return _PolicyAnalyzerServicer(policies.PACK_NAME, "0.1.0", policy_list, EnforcementLevel.ADVISORY)


def test_crossguard_analyzer_reports_what_the_offline_run_reports():
    """The engine's analyzer (pulumi_policy's gRPC servicer, called directly) and the offline runner give the
    same rule the same inputs and get the same message."""
    topic = resource("kafka:index/topic:Topic", "playback-events",
                     {"name": "playback-events", "partitions": 3, "replicationFactor": 3, "config": {}})
    request = analyzer_pb2.AnalyzeRequest(type=topic["type"], properties=_struct(topic["inputs"]), urn=topic["urn"],
                                          name=topic["name"], options=analyzer_pb2.AnalyzerResourceOptions())
    rule = kafka_topic_require_min_insync_replicas
    diagnostics = _servicer([rule.POLICY]).Analyze(request, None).diagnostics
    offline = violations(rule, {"resources": [topic]})
    assert [d.message for d in diagnostics] == [f"{rule.POLICY.description}\n{v.message}" for v in offline]
    assert len(offline) == 1


def test_crossguard_stack_analysis_matches_offline_on_a_store_without_encryption(store_graph):
    store_graph["resources"].remove(find(store_graph, ":BucketServerSideEncryptionConfiguration"))
    wire = [r for r in store_graph["resources"] if r["type"] != "pulumi:pulumi:Stack"]
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    request = analyzer_pb2.AnalyzeStackRequest(resources=[analyzer_pb2.AnalyzerResource(
        type=r["type"], urn=r["urn"], name=r["name"], parent=r["parent"] or "", dependencies=r["dependencies"],
        properties=_struct(json.loads(json.dumps(r["inputs"]).replace('"<computed>"', f'"{unknown}"'))),
        options=analyzer_pb2.AnalyzerResourceOptions(protect=r["protect"])) for r in wire])
    rule = s3_bucket_require_sse_kms
    assert isinstance(rule.POLICY, StackValidationPolicy)
    diagnostics = _servicer([rule.POLICY]).AnalyzeStack(request, None).diagnostics
    offline = violations(rule, store_graph)
    assert [(d.urn, d.message) for d in diagnostics] == [
        (v.urn, f"{rule.POLICY.description}\n{v.message}") for v in offline]
    assert [d.enforcementLevel for d in diagnostics] == [analyzer_pb2.MANDATORY]


def test_docs_list_every_rule():
    text = (PACK_DIR.parent / "docs" / "policies.md").read_text()
    assert [p.name for p in ALL if f"`{p.name}`" not in text] == []


UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown-value sentinel on the wire


def _wire(value: dict) -> struct_pb2.Struct:
    return _struct(json.loads(json.dumps(value).replace('"<computed>"', f'"{UNKNOWN}"')))


def _engine_findings(graph_: dict) -> list[tuple[str, str, str]]:
    """What the engine's analyzer (pulumi_policy's servicer, configured as `pulumi preview` configures it
    with each rule's defaults) reports on `graph_`: Analyze per resource, then AnalyzeStack."""
    servicer = _servicer(list(ALL))
    servicer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={
        p.name: analyzer_pb2.PolicyConfig(properties=_struct(offline_properties(p, {}))) for p in ALL}), None)
    wire = [r for r in graph_["resources"] if r["type"] != "pulumi:pulumi:Stack"]
    found = []
    for r in wire:
        request = analyzer_pb2.AnalyzeRequest(type=r["type"], properties=_wire(r["inputs"]), urn=r["urn"], name=r["name"],
                                              options=analyzer_pb2.AnalyzerResourceOptions(protect=r["protect"]))
        found += [(d, r["urn"]) for d in servicer.Analyze(request, None).diagnostics]
    stack = analyzer_pb2.AnalyzeStackRequest(resources=[analyzer_pb2.AnalyzerResource(
        type=r["type"], urn=r["urn"], name=r["name"], parent=r["parent"] or "", dependencies=r["dependencies"],
        properties=_wire(r["inputs"]), options=analyzer_pb2.AnalyzerResourceOptions(protect=r["protect"]))
        for r in wire])
    found += [(d, d.urn) for d in servicer.AnalyzeStack(stack, None).diagnostics]
    return sorted((d.policyName, urn, "unknown" if d.message.startswith("can't run policy") else d.message)
                  for d, urn in found)


def test_the_whole_pack_reports_on_a_whole_stack_what_the_engine_reports():
    """Every rule, on prod's whole graph with a violation of a stack rule, a typed resource rule and
    an untyped one: the offline runner (lazy props, one linked resource list for the stack rules)
    finds exactly what the engine's analyzer finds, computed inputs included."""
    spec = load_stack(REPO / "stacks", "prod").spec
    graph_ = synth_spec(spec, "prod", REPO / "stacks")
    graph_["resources"].remove(next(r for r in graph_["resources"]
                                    if r["type"].endswith(":BucketServerSideEncryptionConfiguration")))
    topic = next(r for r in graph_["resources"] if r["type"] == "kafka:index/topic:Topic")
    topic["inputs"]["replicationFactor"] = 1
    tagged = next(r for r in graph_["resources"] if r["type"].startswith("aws:") and r["inputs"].get("tags"))
    tagged["inputs"]["tags"] = {}
    offline = evaluate_policies(graph_, "prod", pack_config={})
    described = {p.name: p.description for p in ALL}
    mine = sorted((v.policy, v.urn, "unknown" if v.message.startswith("can't run policy")
                   else f"{described[v.policy]}\n{v.message}") for v in offline)
    assert mine == _engine_findings(graph_)
    rules = {v.policy for v in offline}
    assert {"s3-bucket-require-sse-kms", "kafka-topic-require-min-replication-factor",
            "aws-resource-require-owner-environment-tags"} <= rules
