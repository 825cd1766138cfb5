"""Every example stack in stacks/ validates and synthesizes; prod protects what it must."""

from __future__ import annotations

import json
import re

import pytest

from streamplane.checks import load_stack
from streamplane.synth import synth_spec
from tests.conftest import REPO

STACKS = REPO / "stacks"
ENVIRONMENTS = sorted(p.name for p in STACKS.iterdir() if p.is_dir() and p.name != "base")


def test_every_environment_has_a_config_file():
    assert ENVIRONMENTS == ["dev", "loadtest", "prod", "staging"]
    for env in ENVIRONMENTS:
        assert (STACKS / f"Pulumi.{env}.yaml").is_file()


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_example_stack_validates_and_synthesizes(env):
    loaded = load_stack(STACKS, env)
    assert [str(w) for w in loaded.warnings] == []
    graph = synth_spec(loaded.spec, env, STACKS)
    assert graph["stack"] == env
    types = {r["type"] for r in graph["resources"]}
    assert "streamplane:index:CheckpointStore" in types
    # The graph contract: an unknown is the anonymous "<computed>" or a stable unknown of an output
    # of a resource in the same graph, "<computed:URN#output>" (docs/review.md).
    urns = {r["urn"] for r in graph["resources"]}
    unknowns = {m for r in graph["resources"] for m in re.findall(r"<computed[^>]*>", json.dumps(r["inputs"]))}
    stable = {m for m in unknowns if m != "<computed>"}
    assert stable, "the example stacks consume outputs only the cloud assigns"
    for marker in stable:
        found = re.fullmatch(r"<computed:(urn:pulumi:[^#>]+)#([A-Za-z]+)>", marker)
        assert found and found.group(1) in urns, marker


def test_prod_protects_stores_and_dev_does_not():
    def bucket_protect(env):
        graph = synth_spec(load_stack(STACKS, env).spec, env, STACKS)
        return {r["name"]: r["protect"] for r in graph["resources"] if r["type"] == "aws:s3/bucket:Bucket"}

    assert bucket_protect("prod") == {"druid-deep-storage": True, "flink-state": True, "warehouse": True}
    assert bucket_protect("dev") == {"druid-deep-storage": False, "flink-state": False, "warehouse": False}


def test_environments_differ_where_the_overlays_say():
    def noncurrent_days(env):
        return load_stack(STACKS, env).spec.get("CheckpointStore", "flink-state").spec.noncurrent_version_expiration_days

    assert [noncurrent_days(env) for env in ("dev", "staging", "prod")] == [3, 7, 30]
