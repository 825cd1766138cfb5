"""The prod graph protects every resource whose deletion loses data, state or access to it, judged by
the documented classification of every resource type (streamplane/risks/holdings.py)."""

from __future__ import annotations

import shutil

import pytest

from streamplane.checks import load_stack
from streamplane.risks.holdings import FLINK_DEPLOYMENT, LOSES, REBUILT, STATEFUL_WHEN_JOB_IS, classify
from streamplane.synth import synth_spec
from tests.conftest import REPO
from tests.kafka.helpers import STRIMZI_CLUSTER, synth, write_spec

STACKS = REPO / "stacks"


def graph_of(env: str) -> dict:
    return synth_spec(load_stack(STACKS, env).spec, env, STACKS)


def stateful_jobs(env: str) -> set[str]:
    return {j.name for j in load_stack(STACKS, env).spec.of("FlinkJob") if j.spec.stateful}


@pytest.fixture(scope="module")
def graphs() -> dict[str, dict]:
    return {env: graph_of(env) for env in ("dev", "staging", "prod")}


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_resource_type_of_the_stack_is_classified(graphs, env):
    unclassified = sorted({r["type"] for r in graphs[env]["resources"] if classify(r["type"]) is None})
    assert unclassified == [], "add each type to LOSES or REBUILT in streamplane/risks/holdings.py"


def test_an_unknown_type_is_unclassified():
    assert classify("aws:rds/instance:Instance") is None
    assert classify("aws:s3/bucket:Bucket") == "loses"
    assert classify("kafka:index/acl:Acl") == "rebuilt"
    assert classify("streamplane:index:Stream") == "rebuilt"


def must_protect(graph: dict, jobs: set[str]) -> list[dict]:
    return [r for r in graph["resources"]
            if classify(r["type"]) == "loses" or (classify(r["type"]) == "stateful-job" and r["name"] in jobs)]


def test_prod_protects_every_resource_that_holds_data_state_or_access(graphs):
    must = must_protect(graphs["prod"], stateful_jobs("prod"))
    unprotected = sorted((r["type"], r["name"]) for r in must if not r.get("protect"))
    assert unprotected == []
    kinds = {r["type"] for r in must}
    # The walk covers what the issue named, so the list cannot silently go empty.
    for expected in ("kubernetes:druid.apache.org/v1alpha1:Druid", "kubernetes:druid.apache.org/v1alpha1:DruidIngestion",
                     "kubernetes:core/v1:Namespace", "aws:msk/configuration:Configuration",
                     "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                     "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketPolicy:BucketPolicy",
                     "aws:cloudwatch/logGroup:LogGroup", "aws:kms/key:Key", "kafka:index/topic:Topic", FLINK_DEPLOYMENT):
        assert expected in kinds, expected


def test_prod_leaves_stateless_jobs_and_routers_unprotected(graphs):
    """protect refuses replaces too: a router or stateless job must stay replaceable (an owner move)."""
    jobs = stateful_jobs("prod")
    deployments = [r for r in graphs["prod"]["resources"] if r["type"] == FLINK_DEPLOYMENT]
    assert {r["name"] for r in deployments if r["protect"]} == jobs == {"playback-sessions"}
    assert len(deployments) > len(jobs)


@pytest.mark.parametrize("env", ["dev"])
def test_dev_protects_nothing_by_default(graphs, env):
    assert [r["name"] for r in graphs[env]["resources"] if r.get("protect")] == []


def test_docs_list_every_classified_type_with_what_it_loses():
    doc = (REPO / "docs" / "review.md").read_text(encoding="utf-8")
    rows = {**LOSES, **STATEFUL_WHEN_JOB_IS}
    missing = [t for t, what in rows.items() if f"| `{t}` | protect in prod | {what} |" not in doc]
    missing += [t for t, why in REBUILT.items() if t != FLINK_DEPLOYMENT and f"| `{t}` | rebuilt | {why} |" not in doc]
    assert missing == []


def test_a_strimzi_cluster_under_prod_settings_protects_its_crs_and_admin_user(tmp_path):
    """The stacks run Strimzi only in dev; the same check on a Strimzi cluster with prod's protect."""
    graph = synth(write_spec(tmp_path, {"clusters.yaml": STRIMZI_CLUSTER}), environment="prod", protect=True)
    assert sorted({r["type"] for r in graph["resources"] if classify(r["type"]) is None}) == []
    must = must_protect(graph, set())
    assert sorted(r["type"].rsplit(":", 1)[-1] for r in must) == ["Kafka", "KafkaNodePool", "KafkaNodePool", "KafkaUser"]
    assert [r["name"] for r in must if not r["protect"]] == []


def prod_plan(tmp_path, edits: dict[str, tuple[str, str]]):
    """Prod planned against itself after text edits {stacks-relative file: (old, new)}."""
    from streamplane.plan.pipeline import make_plan

    head = tmp_path / "stacks"
    shutil.copytree(STACKS, head)
    for file, (old, new) in edits.items():
        path = head / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    base_spec, head_spec = load_stack(STACKS, "prod").spec, load_stack(head, "prod").spec
    return make_plan("prod", "prod", synth_spec(head_spec, "prod", head), synth_spec(base_spec, "prod", STACKS),
                     head_spec, base_spec)


@pytest.mark.parametrize("edits, changed", [
    ({"base/kafka-clusters.yaml": ("    kafkaVersion: 3.9.x\n    ebsVolumeGiB: 2000\n",
                                   "    kafkaVersion: 4.0.x.kraft\n    ebsVolumeGiB: 2000\n")},
     ("aws:msk/cluster:Cluster", "update")),
    ({"prod/stores.yaml": ("noncurrentVersionExpirationDays: 30\n", "noncurrentVersionExpirationDays: 45\n")},
     ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "update")),
    ({"base/flink-jobs.yaml": ("  name: playback-enricher\n  owner: playback\n", "  name: playback-enricher\n  owner: search\n")},
     ("kubernetes:flink.apache.org/v1beta1:FlinkDeployment", "replace")),
])
def test_prod_protection_refuses_no_change_the_plan_otherwise_allows(tmp_path, edits, changed):
    """A Kafka upgrade (the MSK configuration sets no kafkaVersions), a longer rewind window, a
    stateless job moving owner: protected resources update in place or are not touched."""
    plan = prod_plan(tmp_path, edits)
    assert (changed[0], changed[1]) in {(c.type, c.action) for c in plan.pending()}
    assert [(c.type, c.name) for c in plan.changes for r in c.risks if r.code == "protected.delete"] == []
    assert not [c for c in plan.pending() if c.action in ("replace", "delete") and c.before and c.before.get("protect")]
