"""The prod graph protects every resource whose deletion loses data, state or access to it."""

from __future__ import annotations

import pytest

from streamplane.risks.rules.loss import FLINK_DEPLOYMENT, STATEFUL_TYPES
from streamplane.spec import load_stack
from streamplane.synth import synth_spec
from tests.conftest import REPO

STACKS = REPO / "stacks"


def graph_of(env: str) -> dict:
    return synth_spec(load_stack(STACKS, env).spec, env, STACKS)


def stateful_jobs(env: str) -> set[str]:
    return {j.name for j in load_stack(STACKS, env).spec.of("FlinkJob") if j.spec.stateful}


def test_prod_protects_every_resource_that_holds_data_state_or_access():
    graph = graph_of("prod")
    jobs = stateful_jobs("prod")
    must = [r for r in graph["resources"]
            if r["type"] in STATEFUL_TYPES or (r["type"] == FLINK_DEPLOYMENT and r["name"] in jobs)]
    unprotected = sorted((r["type"], r["name"]) for r in must if not r.get("protect"))
    assert unprotected == []
    kinds = {r["type"] for r in must}
    # The walk covers what the issue named, so the list cannot silently go empty.
    for expected in ("kubernetes:druid.apache.org/v1alpha1:Druid", "kubernetes:druid.apache.org/v1alpha1:DruidIngestion",
                     "kubernetes:core/v1:Namespace", "aws:msk/configuration:Configuration",
                     "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                     "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketPolicy:BucketPolicy",
                     "aws:cloudwatch/logGroup:LogGroup", FLINK_DEPLOYMENT):
        assert expected in kinds, expected


@pytest.mark.parametrize("env", ["dev"])
def test_dev_protects_nothing_by_default(env):
    graph = graph_of(env)
    assert [r["name"] for r in graph["resources"] if r.get("protect")] == []
