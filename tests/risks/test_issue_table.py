"""Issue 19's table, row by row, planned the way a pull request is: a copy of this repository as its
own git repository, the base committed, the row's change applied to the head specs, then
`streamplane plan --stack ENV --base-ref <base> --format json --detailed-exitcode`.

Every row must be flagged at danger or above in dev and staging and block in prod; the base is
synthesized by the committed code (baselines/gitref.py), the head by this process.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from streamplane.cli import main
from tests.conftest import REPO

ENVS = ("dev", "staging", "prod")
DOC_SEP = "\n---\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """This project's tracked files as a fresh git repository with one commit (the base)."""
    root = REPO
    target = tmp_path_factory.mktemp("table") / "repo"
    for path in git(root, "ls-files").splitlines():
        if (root / path).is_file():
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / path, target / path)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "base")
    return target


@pytest.fixture
def repo(project, monkeypatch) -> Path:
    """The project reset to its base commit for each scenario; base synths are cached per repository."""
    root_commit = git(project, "rev-list", "--max-parents=0", "HEAD").strip()
    git(project, "reset", "-q", "--hard", root_commit)
    git(project, "clean", "-qfd")
    monkeypatch.chdir(project)
    monkeypatch.setenv("STREAMPLANE_CACHE_DIR", str(project.parent / "cache"))
    return project


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in `path`; the scenario is wrong if `old` is not there `count` times."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, f"{path}: expected {count} x {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def drop_doc(path: Path, name: str) -> None:
    """Remove the YAML document whose metadata names `name` (block or flow style)."""
    docs = path.read_text(encoding="utf-8").split(DOC_SEP)
    kept = [d for d in docs if not re.search(rf"(name: {re.escape(name)}[,}}\n])", d)]
    assert len(kept) == len(docs) - 1, f"{path}: no single document named {name}"
    path.write_text(DOC_SEP.join(kept), encoding="utf-8")


def overlay(repo: Path, env: str, file: str) -> Path:
    return repo / "stacks" / env / file


def base(repo: Path, file: str) -> Path:
    return repo / "stacks" / "base" / file


# The rows. Each change edits the head specs of `env`; `pr1` (the two-PR sneak) is committed first
# and becomes the base.

def delete_druid(repo: Path, env: str) -> None:
    base(repo, "druid.yaml").unlink()
    overlay(repo, env, "druid.yaml").unlink(missing_ok=True)


def druid_rules_to_p1d(repo: Path, env: str) -> None:
    edit(base(repo, "druid.yaml"),
         "    - {type: loadByPeriod, period: P7D, tieredReplicants: {hot: 2}}\n"
         "    - {type: loadByPeriod, period: P90D, tieredReplicants: {cold: 1}}\n",
         "    - {type: loadByPeriod, period: P1D, tieredReplicants: {hot: 2}}\n")


def retention_to_1h(repo: Path, env: str) -> None:
    old = {"dev": "1d", "staging": "1d", "prod": "7d"}[env]
    edit(overlay(repo, env, "streams.yaml"), f"  retention: {old}\n", "  retention: 1h\n")


def compaction_on(repo: Path, env: str) -> None:
    edit(base(repo, "streams.yaml"), "  retention: 3d\n", "  retention: 3d\n  compaction: true\n")


def noncurrent_expiry_to_1_day(repo: Path, env: str) -> None:
    old = {"dev": 3, "staging": 7, "prod": 30}[env]
    edit(overlay(repo, env, "stores.yaml"), f"name: flink-state, owner: stream-platform}}\nspec:\n  noncurrentVersionExpirationDays: {old}\n",
         "name: flink-state, owner: stream-platform}\nspec:\n  noncurrentVersionExpirationDays: 1\n")


def store_gets_kms_key(repo: Path, env: str) -> None:
    edit(base(repo, "stores.yaml"), "spec:\n  noncurrentVersionExpirationDays: 14\n",
         "spec:\n  noncurrentVersionExpirationDays: 14\n"
         "  kmsKeyArn: arn:aws:kms:us-east-1:111122223333:key/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d\n")


def rename_kafka_cluster(repo: Path, env: str) -> None:
    edit(base(repo, "kafka-clusters.yaml"), "  name: consumer\n", "  name: consumer-v2\n")
    edit(base(repo, "streams.yaml"), "  cluster: consumer\n", "  cluster: consumer-v2\n")
    path = overlay(repo, env, "kafka-clusters.yaml")
    if "name: consumer," in path.read_text(encoding="utf-8"):
        edit(path, "name: consumer,", "name: consumer-v2,")
    config = repo / "stacks" / f"Pulumi.{env}.yaml"
    if "      consumer:\n" in config.read_text(encoding="utf-8"):  # dev: the admin connection of the cluster
        edit(config, "      consumer:\n", "      consumer-v2:\n")


def delete_kafka_cluster(repo: Path, env: str) -> None:
    """The consumer cluster goes with the stream on it, the route that sinks there and the datasource
    that reads it."""
    drop_doc(base(repo, "kafka-clusters.yaml"), "consumer")
    drop_doc(base(repo, "streams.yaml"), "playback-events-enriched")
    drop_doc(base(repo, "routes.yaml"), "playback-to-consumer")
    drop_doc(base(repo, "druid.yaml"), "playback-metrics")
    for file, name in (("kafka-clusters.yaml", "consumer"), ("streams.yaml", "playback-events-enriched"),
                       ("routes.yaml", "playback-to-consumer"), ("druid.yaml", "playback-metrics")):
        path = overlay(repo, env, file)
        if path.exists() and re.search(rf"name: {name}[,}}]", path.read_text(encoding="utf-8")):
            drop_doc(path, name)


def delete_stream(repo: Path, env: str) -> None:
    drop_doc(base(repo, "streams.yaml"), "playback-sessions")


def rename_stream(repo: Path, env: str) -> None:
    edit(base(repo, "streams.yaml"), "  name: playback-sessions\n", "  name: playback-sessions-v2\n")


def move_stream(repo: Path, env: str) -> None:
    edit(base(repo, "streams.yaml"), "  cluster: fronting\n  partitions: 16\n", "  cluster: consumer\n  partitions: 16\n")


def rename_topic_in_overlay(repo: Path, env: str) -> None:
    path = overlay(repo, env, "streams.yaml")
    path.write_text(path.read_text(encoding="utf-8") + DOC_SEP.lstrip("\n") +
                    "apiVersion: streamplane.io/v1\nkind: Stream\nmetadata: {name: playback-sessions, owner: playback}\n"
                    f"spec:\n  topic: {env}.playback-sessions.v2\n", encoding="utf-8")


SESSIONIZER = "playback-sessions"


def delete_stateful_job(repo: Path, env: str) -> None:
    drop_doc(base(repo, "flink-jobs.yaml"), SESSIONIZER)
    drop_doc(overlay(repo, env, "flink-jobs.yaml"), SESSIONIZER)


def rename_stateful_job(repo: Path, env: str) -> None:
    edit(base(repo, "flink-jobs.yaml"), f"  name: {SESSIONIZER}\n", f"  name: {SESSIONIZER}-v2\n")
    edit(overlay(repo, env, "flink-jobs.yaml"), f"name: {SESSIONIZER},", f"name: {SESSIONIZER}-v2,")
    if env == "dev":  # dev restores from a savepoint of the old job: not a migration, the scenario drops it
        text = overlay(repo, env, "flink-jobs.yaml").read_text(encoding="utf-8")
        overlay(repo, env, "flink-jobs.yaml").write_text(re.sub(r"  restore:\n(    .*\n)+", "", text), encoding="utf-8")


def change_job_owner(repo: Path, env: str) -> None:
    edit(base(repo, "flink-jobs.yaml"), f"  name: {SESSIONIZER}\n  owner: playback\n", f"  name: {SESSIONIZER}\n  owner: sessions\n")
    edit(overlay(repo, env, "flink-jobs.yaml"), f"name: {SESSIONIZER}, owner: playback", f"name: {SESSIONIZER}, owner: sessions")


def move_every_object_of_an_owner(repo: Path, env: str) -> None:
    for path in sorted((repo / "stacks").glob("*/*.yaml")):
        text = path.read_text(encoding="utf-8")
        moved = re.sub(r"owner: playback\b", "owner: media", text)
        if moved != text:
            path.write_text(moved, encoding="utf-8")


def sessionizer_relabelled_stateless(repo: Path, env: str) -> None:
    """PR 1 of the two-PR sneak: `state: stateless, redeploy: no-duplicates` (the prod protect goes with it)."""
    path = base(repo, "flink-jobs.yaml")
    text = path.read_text(encoding="utf-8")
    text = text.replace("  state: stateful\n", "  state: stateless\n  redeploy: no-duplicates\n", 1)
    for line in ("  maxParallelism: 720\n", "  upgradeMode: savepoint\n", "  stateBackend: rocksdb\n",
                 "  savepoints: {interval: 6h, maxAge: 3d, maxCount: 12}\n",
                 "  configuration:\n    state.backend.rocksdb.memory.managed: true\n"):
        assert line in text, line
        text = text.replace(line, "", 1)
    text = re.sub(r"  # Set once: the key groups.*\n", "", text)
    path.write_text(text, encoding="utf-8")
    over = overlay(repo, env, "flink-jobs.yaml")
    over_text = over.read_text(encoding="utf-8")
    over_text = re.sub(r"  restore:\n(    .*\n)+", "", over_text)
    over_text = over_text.replace("  savepoints: {interval: 2h, maxAge: 7d, maxCount: 84}\n", "")
    over.write_text(over_text, encoding="utf-8")


def route_sink_to_s3(repo: Path, env: str) -> None:
    edit(base(repo, "routes.yaml"), "    kafka: {stream: playback-events-enriched}\n",
         "    s3: {store: warehouse, prefix: playback/valid-events/, format: parquet}\n")


def schema_drops_a_field(repo: Path, env: str) -> None:
    edit(base(repo, "streams.yaml"), "      - {name: state, type: string}\n", "")


def schema_narrows_a_type(repo: Path, env: str) -> None:
    edit(base(repo, "streams.yaml"), "      - {name: state, type: string}\n      - {name: title_id, type: long}\n",
         "      - {name: state, type: string}\n      - {name: title_id, type: int}\n")


@dataclass(frozen=True)
class Row:
    id: str
    change: Callable[[Path, str], None]
    code: str
    """The code the row must carry (danger or above in dev and staging, block in prod)."""
    on: tuple[str, ...]
    """The resource types (the part after the last colon) the code must be on, one of them at least."""
    pr1: Callable[[Path, str], None] | None = None


ROWS = [
    Row("druid-cluster-and-datasource-deleted", delete_druid, "druid.datasource-delete", ("Druid", "DruidIngestion")),
    Row("druid-load-rules-cut-to-P1D", druid_rules_to_p1d, "druid.load-rules-shrink", ("DruidIngestion",)),
    Row("stream-retention-to-1h", retention_to_1h, "kafka.retention-decrease", ("Topic",)),
    Row("stream-compaction-turned-on", compaction_on, "kafka.retention-decrease", ("Topic",)),
    Row("store-noncurrent-expiry-to-1-day", noncurrent_expiry_to_1_day, "store.lifecycle-shorter", ("BucketLifecycleConfiguration",)),
    Row("store-gets-kmsKeyArn-platform-key-deleted", store_gets_kms_key, "kms.key-delete", ("Key",)),
    Row("kafka-cluster-renamed", rename_kafka_cluster, "kafka.cluster-delete", ("Cluster", "Kafka")),
    Row("kafka-cluster-deleted", delete_kafka_cluster, "kafka.cluster-delete", ("Cluster", "Kafka")),
    Row("stream-deleted", delete_stream, "kafka.topic-delete", ("Topic",)),
    Row("stream-renamed", rename_stream, "kafka.topic-delete", ("Topic",)),
    Row("stream-moved-to-another-cluster", move_stream, "kafka.provider-moved", ("Topic",)),
    Row("topic-renamed-through-an-overlay", rename_topic_in_overlay, "kafka.topic-replace", ("Topic",)),
    Row("stateful-job-deleted", delete_stateful_job, "flink.state-dropped", ("FlinkDeployment",)),
    Row("stateful-job-renamed", rename_stateful_job, "flink.state-dropped", ("FlinkDeployment",)),
    Row("stateful-job-owner-changed", change_job_owner, "flink.state-replaced", ("FlinkDeployment",)),
    Row("every-object-of-an-owner-moves-namespace-deleted", move_every_object_of_an_owner, "k8s.namespace-delete", ("Namespace",)),
    Row("two-pr-sneak-pr1-relabels-the-job-stateless", sessionizer_relabelled_stateless, "flink.state-dropped", ("FlinkDeployment",)),
    Row("two-pr-sneak-pr2-deletes-the-relabelled-job", delete_stateful_job, "flink.state-dropped", ("FlinkDeployment",),
        pr1=sessionizer_relabelled_stateless),
    Row("route-sink-kafka-to-s3", route_sink_to_s3, "route.sink-change", ("FlinkDeployment",)),
    Row("stream-schema-drops-a-field", schema_drops_a_field, "schema.incompatible", ("Stream",)),
    Row("stream-schema-narrows-a-type", schema_narrows_a_type, "schema.incompatible", ("Stream",)),
]

REQUIRED = {"dev": ("danger", "block"), "staging": ("danger", "block"), "prod": ("block",)}


def plan_json(repo: Path, env: str, base_ref: str, capsys) -> tuple[int, dict]:
    with pytest.raises(SystemExit) as exit_info:
        main(["plan", "--stack", env, "--base-ref", base_ref, "--format", "json", "--detailed-exitcode"])
    captured = capsys.readouterr()
    assert captured.out.startswith("{"), captured.err
    return exit_info.value.code or 0, json.loads(captured.out)


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_issue_table_row_is_flagged_danger_or_above_and_blocked_in_prod(row, env, repo, capsys):
    if row.pr1 is not None:
        row.pr1(repo, env)
        git(repo, "commit", "-qam", "PR 1")
    base_sha = git(repo, "rev-parse", "HEAD").strip()
    row.change(repo, env)
    code, plan = plan_json(repo, env, base_sha, capsys)
    assert plan["base"].startswith(f"git {base_sha} (") and "current code" not in plan["base"], plan["base"]
    found = [(r["level"], c["type"], c["action"]) for c in plan["changes"] for r in c["risks"] if r["code"] == row.code]
    assert found, f"{row.code} not raised; risks: " + json.dumps(
        sorted({(r['level'], r['code']) for c in plan['changes'] for r in c['risks']}))
    assert all(level in REQUIRED[env] for level, _, _ in found), found
    assert {type_.rsplit(":", 1)[-1] for _, type_, _ in found} & set(row.on), found
    blocked = any(r["level"] == "block" and not r.get("acknowledged") for c in plan["changes"] for r in c["risks"])
    assert code == (3 if blocked else 2)
    if env == "prod":
        assert code == 3
