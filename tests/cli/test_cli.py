"""The command line contract: exit codes, error output, deterministic synth, nothing written on error."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from streamplane.cli import main
from tests.conftest import REPO

STORE = """
    apiVersion: streamplane.io/v1
    kind: CheckpointStore
    metadata: {name: NAME, owner: stream-platform}
    spec: {noncurrentVersionExpirationDays: DAYS}
"""
CLUSTER = """
    apiVersion: streamplane.io/v1
    kind: KafkaCluster
    metadata: {name: fronting, owner: stream-platform}
    spec: {engine: strimzi, brokers: 3}
"""


def store(name: str = "flink-state", days: str = "14") -> str:
    return STORE.replace("NAME", name).replace("DAYS", days)


def run(*argv: str) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
        raise SystemExit(0)
    return exit_info.value.code or 0


def test_validate_accepts_a_valid_spec(tree, capsys):
    tree({"base/stores.yaml": store()})
    assert run("validate", "--spec", "base") == 0
    assert capsys.readouterr().out == "base: valid (1 CheckpointStore).\n"


def test_broken_spec_reports_one_line_per_problem_and_exits_1(tree, capsys):
    tree({
        "base/stores.yaml": store(days="many"),
        "base/stores-copy.yaml": store(),
        "base/kafka.yaml": CLUSTER + """
    ---
    apiVersion: streamplane.io/v1
    kind: Stream
    metadata: {name: playback-events, owner: playback}
    spec: {cluster: consumer, partitions: 3, retension: 3d}
""",
    })
    assert run("validate", "--spec", "base") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        'base/kafka.yaml:10:8: /spec/cluster: KafkaCluster "consumer" is not declared in this stack (declared: fronting).',
        'base/kafka.yaml:10:42: /spec/retension: unknown field "retension", allowed: acknowledge, cluster, compaction, config, consumerGroups, consumers, idempotentProducers, '
        'partitions, producers, protect, replicationFactor, retention, schema, topic. Did you mean "retention"?',
        'base/stores.yaml:3:12: /metadata/name: duplicate CheckpointStore "flink-state": already declared at '
        'base/stores-copy.yaml:3:12. Names are unique per kind; rename one.',
        'base/stores.yaml:4:8: /spec/noncurrentVersionExpirationDays: must be integer, got string "many".',
        "4 error(s); nothing was written.",
    ]


def test_user_errors_never_print_a_traceback(tree):
    tree({"base/stores.yaml": store(days="many")})
    result = subprocess.run([sys.executable, "-m", "streamplane.cli", "plan", "--spec", "base"],
                            check=False, capture_output=True, text=True, cwd=tree({}))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("base/stores.yaml:4:8: /spec/noncurrentVersionExpirationDays:")


def test_bad_arguments_exit_1(tree, capsys):
    assert run("plan", "--format", "yaml") == 1
    assert "Invalid value for '--format'" in capsys.readouterr().err


def test_unknown_stack_exits_1_naming_the_folder(tree, capsys):
    tree({"stacks/base/stores.yaml": store(), "stacks/dev/stores.yaml": store(), "Pulumi.yaml": "name: streamplane\n"})
    assert run("validate", "--stack", "qa") == 1
    assert 'no spec folder for stack "qa" (stacks with folders: dev)' in capsys.readouterr().err


def test_synth_is_byte_identical_and_follows_the_contract(tree):
    tree({"base/stores.yaml": store()})
    assert run("synth", "--spec", "base", "--out", "one.json") == 0
    assert run("synth", "--spec", "base", "--out", "two.json") == 0
    first, second = (tree({}) / "one.json").read_bytes(), (tree({}) / "two.json").read_bytes()
    assert first == second
    graph = json.loads(first)
    assert set(graph) == {"project", "stack", "resources"}
    assert {r["type"] for r in graph["resources"]} >= {"aws:s3/bucket:Bucket", "streamplane:index:CheckpointStore"}


def test_nothing_is_written_when_the_spec_is_invalid(tree):
    tree({"base/stores.yaml": store(days="many")})
    assert run("synth", "--spec", "base", "--out", "graph.json") == 1
    assert not (tree({}) / "graph.json").exists()


def test_plan_detailed_exitcode(tree, capsys):
    tree({"base/stores.yaml": store(), "old/stores.yaml": store(days="7")})
    assert run("plan", "--spec", "base", "--base-spec", "base", "--detailed-exitcode") == 0
    assert run("plan", "--spec", "base", "--base-spec", "old", "--detailed-exitcode") == 2
    assert run("plan", "--spec", "base", "--base-spec", "old") == 0
    out = capsys.readouterr().out
    assert "0 to create, 1 to update, 0 to replace, 0 to delete" in out
    assert "rules[0].noncurrentVersionExpiration.noncurrentDays" in out


def test_plan_json_follows_the_contract(tree, capsys):
    tree({"base/stores.yaml": store(), "old/stores.yaml": store(days="7")})
    assert run("plan", "--spec", "base", "--base-spec", "old", "--format", "json") == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["summary"] == {"create": 0, "update": 1, "replace": 0, "delete": 0, "same": 10}
    [change] = plan["changes"]
    assert change == {
        "urn": "urn:pulumi:base::streamplane::streamplane:index:CheckpointStore$aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration::flink-state",
        "type": "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "action": "update",
        "paths": ["rules[0].noncurrentVersionExpiration.noncurrentDays"],
        "risks": [],
    }


def test_plan_that_deletes_a_store_is_blocked(tree, capsys):
    tree({"base/stores.yaml": store("druid-deep-storage"),
          "old/stores.yaml": store("druid-deep-storage") + "---\n" + store()})
    assert run("plan", "--spec", "base", "--base-spec", "old", "--format", "json") == 3
    plan = json.loads(capsys.readouterr().out)
    codes = [r["code"] for c in plan["changes"] for r in c["risks"]]
    # The store's own key goes with its bucket: the data it encrypted goes too, so only store.delete.
    assert sorted(codes) == ["store.delete"]


def test_repository_dev_plan_runs_from_any_folder():
    result = subprocess.run([sys.executable, "-m", "streamplane.cli", "plan", "--stack", "dev", "--format", "json"],
                            check=False, capture_output=True, text=True, cwd=REPO / "stacks")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["create"] > 0


def test_output_files_get_the_mode_a_plainly_created_file_would(tree):
    import os

    tree({"base/stores.yaml": store()})
    mask = os.umask(0o022)
    try:
        assert run("synth", "--spec", "base", "--out", "graph.json") == 0
    finally:
        os.umask(mask)
    assert (tree({}) / "graph.json").stat().st_mode & 0o777 == 0o644
