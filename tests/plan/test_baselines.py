"""The three baselines of `streamplane plan`: --base-spec, --state (stack export v3), --base-ref (git)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from streamplane.baselines import BaselineError, from_git_ref, graph_from_deployment
from streamplane.paths import project_root
from streamplane.plan.pipeline import make_plan
from streamplane.synth.wire import SECRET_SIG, SIGNATURE_KEY
from tests.conftest import run_cli

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "pulumi"
STORE = """apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {{name: flink-state, owner: stream-platform}}
spec: {{{spec}}}
"""


def spec_dir(root: Path, name: str, spec: str) -> Path:
    folder = root / name / "dev"
    folder.mkdir(parents=True)
    (folder / "stores.yaml").write_text(STORE.format(spec=spec), encoding="utf-8")
    return folder


def test_base_spec_plan_blocks_a_store_rename(tmp_path, capsys):
    base = spec_dir(tmp_path, "base", "")
    head = spec_dir(tmp_path, "head", "bucketName: acme-other")
    code, out, _ = run_cli(["plan", "--spec", str(head), "--base-spec", str(base), "--format", "json"], capsys)
    plan = json.loads(out)
    assert code == 3
    assert plan["base"].startswith("specs ")
    buckets = [c for c in plan["changes"] if c["type"] == "aws:s3/bucket:Bucket"]
    assert [(c["action"], c["paths"], [r["code"] for r in c["risks"]]) for c in buckets] == \
        [("replace", ["bucket"], ["store.delete"])]


def test_base_spec_without_changes_exits_zero_even_with_detailed_exitcode(tmp_path, capsys):
    base = spec_dir(tmp_path, "base", "")
    code, out, _ = run_cli(["plan", "--spec", str(base), "--base-spec", str(base), "--detailed-exitcode"], capsys)
    assert code == 0
    assert "No changes." in out


def test_two_baselines_at_once_are_a_usage_error(tmp_path, capsys):
    base = spec_dir(tmp_path, "base", "")
    code, _, err = run_cli(["plan", "--spec", str(base), "--base-spec", str(base), "--base-ref", "HEAD"], capsys)
    assert code == 1
    assert "choose one baseline, got --base-ref and --base-spec" in err


def to_export(graph: dict) -> dict:
    """A `pulumi stack export` (deployment v3) of a synth graph, as the engine would record it."""
    resources = []
    for r in graph["resources"]:
        entry = {"urn": r["urn"], "custom": r["custom"], "type": r["type"], "inputs": dict(r["inputs"]),
                 "outputs": {}, "parent": r["parent"], "dependencies": r["dependencies"]}
        if r["provider"]:
            entry["provider"] = r["provider"] + "::0e0e0e0e-1111-2222-3333-444444444444"
        if r["protect"]:
            entry["protect"] = True
        resources.append(entry)
    return {"version": 3, "deployment": {"manifest": {}, "resources": resources}}


@pytest.fixture(scope="module")
def dev_graph():
    from streamplane.targets import resolve

    target = resolve("dev", ())
    loaded = target.load()
    return target.synth(loaded), loaded.spec


def test_state_export_of_the_same_goal_state_plans_no_changes(dev_graph):
    graph, spec = dev_graph
    plan = make_plan("dev", "state", graph, graph_from_deployment(to_export(graph)), spec)
    assert plan.pending() == []


def test_state_provider_defaults_and_internal_keys_are_not_changes(dev_graph):
    graph, spec = dev_graph
    export = to_export(graph)
    bucket = next(r for r in export["deployment"]["resources"] if r["type"] == "aws:s3/bucket:Bucket")
    bucket["inputs"].update({"__defaults": ["acl"], "acl": "private"})
    plan = make_plan("dev", "state", graph, graph_from_deployment(export), spec)
    assert plan.pending() == []


def test_state_input_drift_is_an_update_matched_by_urn(dev_graph):
    graph, spec = dev_graph
    export = to_export(graph)
    versioning = next(r for r in export["deployment"]["resources"] if r["type"] == "aws:s3/bucketVersioning:BucketVersioning")
    versioning["inputs"]["versioningConfiguration"] = {"status": "Suspended"}
    plan = make_plan("dev", "state", graph, graph_from_deployment(export), spec)
    assert [(c.action, c.urn, c.paths) for c in plan.pending()] == [
        ("update", versioning["urn"], ["versioningConfiguration.status"])]


def test_state_secrets_become_placeholders_never_ciphertext(dev_graph):
    graph, _ = dev_graph
    export = to_export(graph)
    export["deployment"]["resources"][0]["inputs"]["token"] = {SIGNATURE_KEY: SECRET_SIG, "ciphertext": "v1:abc:SECRETVALUE"}
    loaded = graph_from_deployment(export)
    assert "SECRETVALUE" not in json.dumps(loaded)
    assert loaded["resources"][0]["inputs"]["token"] == "<secret>"


@pytest.mark.parametrize("name, count", [("stack-export-v3.json", 16), ("checkpoint-v3.json", 30)])
def test_reference_states_load_by_urn_without_the_stack(name, count):
    graph = graph_from_deployment(json.loads((REFERENCE / name).read_text()))
    assert len(graph["resources"]) == count
    assert all(r["type"] != "pulumi:pulumi:Stack" for r in graph["resources"])
    assert all("::" not in (r["provider"] or "urn:pulumi:a::b::c::d").split("::", 3)[-1] for r in graph["resources"])
    bucket = next(r for r in graph["resources"] if r["type"] == "aws:s3/bucket:Bucket") if name.startswith("stack") else None
    if bucket:
        assert bucket["inputs"] == {}  # acl, bucket, forceDestroy were all provider defaults


def test_state_cli_with_an_unsupported_file_exits_one(tmp_path, capsys):
    bad = tmp_path / "state.json"
    bad.write_text('{"version": 2, "deployment": {}}')
    code, _, err = run_cli(["plan", "--stack", "dev", "--state", str(bad)], capsys)
    assert code == 1
    assert "unsupported state version 2" in err


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A copy of this project's tracked files as its own git repository, one commit."""
    root = project_root()
    target = tmp_path / "repo"
    for path in git(root, "ls-files").splitlines():
        if not (root / path).is_file():
            continue
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / path, target / path)
    git(target, "init", "-q")
    git(target, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    git(target, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    return target


def commit_all(repo: Path, message: str) -> None:
    git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", message)


OWN_STORE = """apiVersion: streamplane.io/v1
kind: CheckpointStore
metadata: {{name: review-test-store, owner: review}}
spec: {{{spec}}}
"""


def test_base_ref_synthesizes_the_commit_with_its_own_code_and_blocks(repo, monkeypatch, capsys):
    spec_file = repo / "stacks" / "dev" / "review-test-store.yaml"
    spec_file.write_text(OWN_STORE.format(spec=""))
    git(repo, "add", "-A")
    commit_all(repo, "add a store")
    spec_file.write_text(OWN_STORE.format(spec="bucketName: acme-renamed-review-store"))
    commit_all(repo, "rename its bucket")
    monkeypatch.chdir(repo)
    code, out, _ = run_cli(["plan", "--stack", "dev", "--base-ref", "HEAD~1", "--format", "markdown"], capsys)
    assert code == 3
    assert '`store.delete`: checkpoint store "review-test-store" (owner review)' in out and "⛔ **Blocked**" in out
    sha = git(repo, "rev-parse", "HEAD~1").strip()
    assert f"against git HEAD~1 ({sha[:10]})" in out
    assert "synthesized with the current code" not in out
    assert len(git(repo, "worktree", "list").splitlines()) == 1


def test_base_ref_falls_back_to_current_code_when_its_code_cannot_synth(repo, monkeypatch):
    synth_module = repo / "streamplane" / "synth" / "__init__.py"
    original = synth_module.read_text()
    synth_module.write_text(original + "\nraise ImportError('an older layout')\n")
    commit_all(repo, "broken synth")
    synth_module.write_text(original)
    commit_all(repo, "fixed synth")
    baseline = from_git_ref("HEAD~1", "dev", repo)
    assert "specs synthesized with the current code" in baseline.label
    assert "an older layout" in baseline.label
    assert any(r["type"] == "aws:s3/bucket:Bucket" for r in baseline.graph["resources"])
    assert len(git(repo, "worktree", "list").splitlines()) == 1


def test_unknown_base_ref_is_an_error(repo):
    with pytest.raises(BaselineError, match='unknown git ref "no-such-ref"'):
        from_git_ref("no-such-ref", "dev", repo)


ACCEPTANCE_STREAM = """apiVersion: streamplane.io/v1
kind: Stream
metadata: {{name: review-acceptance-events, owner: review}}
spec:
  cluster: {cluster}
  partitions: {partitions}
  replicationFactor: {rf}
"""


def test_base_ref_reports_a_partition_decrease_as_blocked(repo, monkeypatch, capsys):
    """Issue #7 acceptance: a commit that lowers a stream's partitions is blocked (exit 3)."""
    from streamplane.checks import load_stack

    cluster = load_stack(repo / "stacks", "dev").spec.of("KafkaCluster")[0]
    rf = min(3, cluster.spec.brokers)
    spec_file = repo / "stacks" / "dev" / "review-acceptance.yaml"
    spec_file.write_text(ACCEPTANCE_STREAM.format(cluster=cluster.name, partitions=8, rf=rf))
    git(repo, "add", "-A")
    commit_all(repo, "add a stream")
    spec_file.write_text(ACCEPTANCE_STREAM.format(cluster=cluster.name, partitions=4, rf=rf))
    commit_all(repo, "lower its partitions")
    monkeypatch.chdir(repo)
    code, out, _ = run_cli(["plan", "--stack", "dev", "--base-ref", "HEAD~1", "--format", "markdown"], capsys)
    assert code == 3
    assert '⛔ **block** `kafka.partitions-decrease`: stream "review-acceptance-events" (owner review): partitions 8 -> 4.' in out


def test_options_a_state_does_not_record_are_not_changes():
    urn = "urn:pulumi:dev::streamplane::streamplane:index:KafkaCluster$kafka:index/quota:Quota::fronting-quota-a"
    head = {"resources": [{"urn": urn, "type": "kafka:index/quota:Quota", "name": "fronting-quota-a", "parent": None,
                           "custom": True, "provider": None, "inputs": {"entityName": "a"}, "dependencies": [],
                           "protect": False, "retainOnDelete": False, "deleteBeforeReplace": True}]}
    export = {"version": 3, "deployment": {"resources": [
        {"urn": urn, "custom": True, "type": "kafka:index/quota:Quota", "inputs": {"entityName": "a"}}]}}
    assert make_plan("dev", "state", head, graph_from_deployment(export)).pending() == []
    export["deployment"]["resources"][0]["protect"] = True
    (change,) = make_plan("dev", "state", head, graph_from_deployment(export)).pending()
    assert (change.action, change.paths) == ("update", ["<protect>"])


def _retire_a_setting(repo: Path, stack: str) -> str:
    """Commit a stack config holding a key today's schema refuses (as a config of an older commit may),
    then commit it removed again; the original text."""
    config = repo / "stacks" / f"Pulumi.{stack}.yaml"
    original = config.read_text()
    config.write_text(original.replace("  streamplane:protect: false\n",
                                       "  streamplane:protect: false\n  streamplane:retiredSetting: 1\n", 1))
    commit_all(repo, "a setting this code does not know")
    config.write_text(original)
    commit_all(repo, "retire it")
    return original


def test_base_ref_tolerates_a_base_stack_config_the_current_schema_refuses(repo, monkeypatch, capsys):
    _retire_a_setting(repo, "dev")
    monkeypatch.chdir(repo)
    code, out, err = run_cli(["plan", "--stack", "dev", "--base-ref", "HEAD~1", "--format", "json"], capsys)
    assert code == 0, err
    plan = json.loads(out)
    # Its own code refuses the config (strictly, as a head); the current code reads it leniently as a base.
    assert "specs synthesized with the current code" in plan["base"]
    assert plan["changes"] == [] and plan["summary"]["same"] > 0


def test_base_ref_still_checks_the_head_stack_config(repo, monkeypatch, capsys):
    config = repo / "stacks" / "Pulumi.dev.yaml"
    config.write_text(config.read_text().replace("  streamplane:protect: false\n", "  streamplane:protect: [1]\n", 1))
    monkeypatch.chdir(repo)
    code, _, err = run_cli(["plan", "--stack", "dev", "--base-ref", "HEAD"], capsys)
    assert code == 1
    assert "stacks/Pulumi.dev.yaml:7:3: /config/streamplane:protect: must be boolean, got a list of 1." in err


def test_base_ref_of_a_sharded_environment_tolerates_its_base_stack_config(repo, monkeypatch, capsys):
    """The shard comparison (touched_shards) and each shard's fallback synth read the base config leniently."""
    _retire_a_setting(repo, "loadtest")
    monkeypatch.chdir(repo)
    code, out, err = run_cli(["plan", "--stack", "loadtest", "--base-ref", "HEAD~1", "--format", "json"], capsys)
    assert code == 0, err
    stacks = json.loads(out)["stacks"]
    assert stacks and all("specs synthesized with the current code" in s["base"] and s["changes"] == [] for s in stacks)
