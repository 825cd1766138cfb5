"""What the real engine would do, planned offline: replacements that propagate through unknowns,
provider swaps decided by the new provider's DiffConfig, MSK downgrades the API refuses, and an IAM
grant change visible as a policy update. Scenarios plan the real stacks against engine-shaped
exports (tests/engine_state.py) where they can, so every unknown is resolved as in a real deployment."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from streamplane.baselines import graph_from_deployment
from streamplane.paths import project_root
from streamplane.plan.diff import diff_graphs
from streamplane.plan.pipeline import make_plan
from streamplane.plan.replace import classify
from streamplane.targets import resolve
from tests.conftest import run_cli
from tests.engine_state import engine_export

BUCKET_PARTS = ("BucketLifecycleConfiguration", "BucketOwnershipControls", "BucketPolicy", "BucketPublicAccessBlock",
                "BucketServerSideEncryptionConfiguration", "BucketVersioning")


@pytest.fixture(scope="module")
def exports() -> dict[str, dict]:
    return {stack: engine_export(stack) for stack in ("dev", "prod")}


def plan_with_overlay(tmp_path: Path, capsys, export: dict, overlay: str, fmt: str = "json") -> tuple[int, str]:
    """`plan --spec stacks/base stacks/dev <overlay> --state <export>`: the dev stack with one more layer."""
    layer = tmp_path / "dev"
    layer.mkdir()
    (layer / "change.yaml").write_text(overlay, encoding="utf-8")
    state = tmp_path / "export.json"
    state.write_text(json.dumps(export), encoding="utf-8")
    stacks = project_root() / "stacks"
    code, out, _ = run_cli(["plan", "--spec", str(stacks / "base"), "--spec", str(stacks / "dev"), "--spec", str(layer),
                            "--state", str(state), "--format", fmt], capsys)
    return code, out


def changes_of(out: str) -> dict[str, dict]:
    return {c["urn"].rsplit("::", 2)[-2].rsplit(":", 1)[-1] + "::" + c["urn"].rsplit("::", 1)[-1]: c
            for c in json.loads(out)["changes"]}


def test_bucket_rename_replaces_the_bucket_and_its_six_sub_resources(exports, tmp_path, capsys):
    code, out = plan_with_overlay(tmp_path, capsys, exports["dev"], """apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {name: warehouse, owner: data-platform}
spec: {bucketName: acme-streamplane-dev-warehouse-2}
""")
    changes = changes_of(out)
    assert code == 3
    assert (changes["Bucket::warehouse"]["action"], changes["Bucket::warehouse"]["paths"]) == ("replace", ["bucket"])
    for part in BUCKET_PARTS:
        assert changes[f"{part}::warehouse"]["action"] == "replace", part
    assert "store.delete" in [r["code"] for r in changes["Bucket::warehouse"]["risks"]]


def test_moved_s3_prefix_is_a_role_policy_update_showing_the_new_statement(exports, tmp_path, capsys):
    overlay = """apiVersion: streamplane.io/v1
kind: Route
metadata: {name: playback-to-warehouse, owner: playback}
spec:
  sink:
    s3: {prefix: playback/events-v2/}
"""
    _, out = plan_with_overlay(tmp_path, capsys, exports["dev"], overlay)
    sink = changes_of(out)["RolePolicy::route-playback-to-warehouse-sink"]
    assert (sink["action"], sink["paths"]) == ("update", ["policy"])
    assert "iam.grant-widened" in [r["code"] for r in sink["risks"]]
    (tmp_path / "dev").rename(tmp_path / "first")
    _, text = plan_with_overlay(tmp_path, capsys, exports["dev"], overlay, fmt="text")
    assert "arn:aws:s3:::acme-streamplane-dev-warehouse/playback/events-v2/*" in text


def prod_plan(exports, mutate):
    export = copy.deepcopy(exports["prod"])
    mutate(export["deployment"]["resources"])
    target = resolve("prod", ())
    loaded = target.load()
    plan = make_plan("prod", "state", target.synth(loaded), graph_from_deployment(export), loaded.spec)
    return {c.urn.rsplit("::", 2)[-2].rsplit(":", 1)[-1] + "::" + c.urn.rsplit("::", 1)[-1]: c for c in plan.pending()}


def test_replaced_kms_key_replaces_the_msk_cluster_that_uses_it(exports):
    """The key was created RSA_2048 (not a default): the head's symmetric key replaces it, and the
    cluster's at-rest key ARN, unknown until the new key exists, forces the cluster's replacement."""
    def mutate(resources):
        key = next(r for r in resources if r["urn"].endswith("KafkaCluster$aws:kms/key:Key::consumer"))
        key["inputs"]["customerMasterKeySpec"] = "RSA_2048"
        key["inputs"]["__defaults"].remove("customerMasterKeySpec")
    changes = prod_plan(exports, mutate)
    assert (changes["Key::consumer"].action, changes["Key::consumer"].replace_paths) == ("replace", ["customerMasterKeySpec"])
    cluster = changes["Cluster::consumer"]
    assert (cluster.action, cluster.replace_paths) == ("replace", ["encryptionInfo.encryptionAtRestKmsKeyArn"])
    assert [(r.level, r.code) for r in cluster.risks if r.code == "msk.cluster-replace"] == [("block", "msk.cluster-replace")]


def test_renamed_role_replaces_its_role_policies(exports):
    """The deployed role had an explicit name; the program now lets the provider name it: a new
    role, so every RolePolicy naming it (by an unknown id) is replaced too."""
    def mutate(resources):
        role = next(r for r in resources if r["urn"].endswith("aws:iam/role:Role::playback-enricher"))
        role["inputs"]["name"] = "playback-enricher-legacy"
        role["inputs"]["__defaults"].remove("name")
    changes = prod_plan(exports, mutate)
    assert (changes["Role::playback-enricher"].action, changes["Role::playback-enricher"].replace_paths) == ("replace", ["name"])
    policy = changes["RolePolicy::playback-enricher-checkpoint-store"]
    assert (policy.action, policy.replace_paths) == ("replace", ["role"])
    assert changes["ServiceAccount::playback-enricher"].action == "update"


PROVIDERS = "urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster$pulumi:providers:kafka::"
TOPIC = {"name": "t", "partitions": 8, "replicationFactor": 3}


def resource(type_: str, inputs: dict, provider: str) -> dict:
    return {"urn": f"urn:pulumi:dev::streamplane::{type_}::r", "type": type_, "name": "r", "parent": None, "custom": True,
            "provider": provider, "inputs": inputs, "dependencies": [], "protect": False, "retainOnDelete": False,
            "deleteBeforeReplace": False}


def test_topic_moved_to_another_clusters_provider_is_an_update_with_a_hazard():
    base = {"resources": [resource("kafka:index/topic:Topic", TOPIC, PROVIDERS + "fronting")]}
    head = {"resources": [resource("kafka:index/topic:Topic", TOPIC, PROVIDERS + "consumer")]}
    (change,) = make_plan("dev", "base", head, base).pending()
    assert (change.action, change.paths) == ("update", ["<provider>"])
    assert [(r.level, r.code) for r in change.risks] == [("danger", "kafka.provider-moved")]
    assert 'from the Kafka provider of cluster "fronting" to "consumer"' in change.risks[0].message


def test_kubernetes_explicit_provider_swap_replaces():
    k8s = "urn:pulumi:dev::streamplane::pulumi:providers:kubernetes::"
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}}
    before = resource("kubernetes:core/v1:Namespace", obj, k8s + "east")
    after = resource("kubernetes:core/v1:Namespace", obj, k8s + "west")
    (change,) = classify(diff_graphs({"resources": [before]}, {"resources": [after]}))
    assert (change.action, change.replace_paths) == ("replace", ["<provider>"])


MSK = {"clusterName": "c", "kafkaVersion": "3.9.x", "numberOfBrokerNodes": 3}
AWS = "urn:pulumi:dev::streamplane::pulumi:providers:aws::default_7_51_1"


@pytest.mark.parametrize("old, new, action, code", [
    ("3.9.x", "3.8.x", "update", "msk.version-downgrade"),      # unparsable: in place, refused by MSK
    ("4.0.x.kraft", "3.9.x", "update", "msk.version-downgrade"),
    ("3.6.0", "3.5.1", "replace", "msk.cluster-replace"),        # semver: the provider forces new
])
def test_msk_kafka_version_downgrade(old, new, action, code):
    base = {"resources": [resource("aws:msk/cluster:Cluster", {**MSK, "kafkaVersion": old}, AWS)]}
    head = {"resources": [resource("aws:msk/cluster:Cluster", {**MSK, "kafkaVersion": new}, AWS)]}
    (change,) = make_plan("dev", "base", head, base).pending()
    assert change.action == action
    assert [(r.level, r.code) for r in change.risks] == [("block", code)]


def test_msk_kafka_version_upgrade_is_a_plain_update():
    base = {"resources": [resource("aws:msk/cluster:Cluster", MSK, AWS)]}
    head = {"resources": [resource("aws:msk/cluster:Cluster", {**MSK, "kafkaVersion": "4.0.x.kraft"}, AWS)]}
    (change,) = make_plan("dev", "base", head, base).pending()
    assert (change.action, change.risks) == ("update", [])


def test_topic_replaced_under_its_name_new_first_notes_the_name_clash():
    base = {"resources": [resource("kafka:index/topic:Topic", TOPIC, PROVIDERS + "fronting")]}
    head = {"resources": [resource("kafka:index/topic:Topic", {**TOPIC, "partitions": 4}, PROVIDERS + "fronting")]}
    (change,) = make_plan("dev", "base", head, base).pending()
    assert change.action == "replace" and any("Kafka refuses a second topic of the same name" in n for n in change.notes)
    head["resources"][0]["deleteBeforeReplace"] = True
    (change,) = make_plan("dev", "base", head, base).pending()
    assert change.notes == []


def test_kubernetes_replace_that_keeps_the_name_is_delete_first():
    k8s = "urn:pulumi:dev::streamplane::pulumi:providers:kubernetes::default_4_34_2"
    binding = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
               "metadata": {"name": "b", "namespace": "n"}, "roleRef": {"kind": "Role", "name": "r1"}}
    type_ = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding"
    changed = {**binding, "roleRef": {"kind": "Role", "name": "r2"}}
    (change,) = classify(diff_graphs({"resources": [resource(type_, binding, k8s)]}, {"resources": [resource(type_, changed, k8s)]}))
    assert (change.action, change.replace_paths, change.delete_first) == ("replace", ["roleRef"], True)
    moved = {**binding, "metadata": {"name": "b", "namespace": "m"}}
    (change,) = classify(diff_graphs({"resources": [resource(type_, binding, k8s)]}, {"resources": [resource(type_, moved, k8s)]}))
    assert (change.action, change.delete_first) == ("replace", False)
