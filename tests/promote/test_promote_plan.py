"""With kinds this build knows, promotion validates TO and prints its plan before vs after."""

from __future__ import annotations

import re

import pytest
from promote_fixtures import git, make_repo

from streamplane.promote import fields

KAFKA_BASE = """\
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: edge, owner: stream-platform}
spec: {engine: strimzi, brokers: 3}
---
apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: plays, owner: playback}
spec:
  cluster: edge
  partitions: 8
"""

KAFKA_DEV = """\
apiVersion: streamplane.io/v1
kind: KafkaCluster
metadata: {name: canary, owner: stream-platform}
spec: {engine: strimzi, brokers: 3}
---
apiVersion: streamplane.io/v1
kind: Stream
metadata: {name: plays, owner: playback}
spec:
  cluster: canary   # trying the canary cluster
"""


@pytest.fixture
def known_kinds(monkeypatch):
    """Promotable fields on kinds this build registers, so the plan step runs for real."""
    monkeypatch.setitem(fields.PROMOTABLE, "CheckpointStore", ("/spec/noncurrentVersionExpirationDays",))
    monkeypatch.setitem(fields.PROMOTABLE, "Stream", ("/spec/cluster",))


def test_promote_dry_run_prints_the_plan_of_target_before_vs_after(store_repo, known_kinds, run):
    code, out, err = run("promote", "dev", "staging", "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert re.fullmatch(r"Plan for stack staging of stacks/base \+ stacks/staging with the promotion \(against stacks/base "
                        r"\+ stacks/staging\): 0 to create, 1 to update, "
                        r"0 to replace, 0 to delete, \d+ unchanged\.", lines[1])
    # Promotion shortens staging's noncurrent expiry to dev's: S3 deletes the older versions (danger).
    assert lines[:7] == [
        "Plan of staging after promotion:",
        lines[1],
        '  DANGER store.lifecycle-shorter: checkpointstore "flink-state" (owner stream-platform): noncurrent versions '
        "expire after 3 day(s) (was 7): overwritten or deleted checkpoints older than that are gone, so the rewind "
        "window shrinks to 3 day(s). Keep the expiration, or take the savepoints you may rewind to first.",
        "",
        "~  update  aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration  flink-state",
        "             ~ rules[0].noncurrentVersionExpiration.noncurrentDays: 7 -> 3",
        "             DANGER store.lifecycle-shorter (above)",
    ]
    rows = [re.split(r" *│ *", line.strip("│ ")) for line in out.splitlines() if line.startswith("│ CheckpointStore")]
    # Only the value that changes is listed, with its file; the ones that already match are counted.
    assert rows == [["CheckpointStore/flink-state", "/spec/noncurrentVersionExpirationDays", "3", "7 -> 3", "30",
                     "stacks/staging/stores.yaml"]]
    assert any(re.fullmatch(r"\d+ other promotable value\(s\) already match dev\.", x) for x in lines)
    assert git(store_repo, "status", "--porcelain") == ""


def test_promote_fails_cleanly_when_the_promoted_target_spec_is_invalid(tmp_path, monkeypatch, known_kinds, run):
    repo = make_repo(tmp_path, {"stacks/base/kafka.yaml": KAFKA_BASE, "stacks/dev/kafka.yaml": KAFKA_DEV})
    monkeypatch.chdir(repo)
    code, _out, err = run("promote", "dev", "staging", "--only", "plays")
    assert code == 1
    assert err == ('stacks/staging/kafka.yaml:6:3: /spec/cluster: (after promotion) KafkaCluster "canary" is not '
                   "declared in this stack (declared: consumer, edge, fronting).\n1 error(s); nothing was written.\n")
    assert git(repo, "status", "--porcelain") == ""


def test_promote_refuses_a_target_whose_spec_is_already_invalid(store_repo, known_kinds, run):
    broken = store_repo / "stacks/staging/stores.yaml"
    broken.write_text(broken.read_text().replace("noncurrentVersionExpirationDays: 7", "noncurrentVersionExpirationDays: 0"))
    git(store_repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "broken")
    code, _, err = run("promote", "dev", "staging")
    assert code == 1
    assert err == ("stacks/staging/stores.yaml:6:3: /spec/noncurrentVersionExpirationDays: must be >= 1, got number 0.\n"
                   "1 error(s); nothing was written.\n")
    assert git(store_repo, "status", "--porcelain") == ""


def test_promote_without_a_plan_when_target_uses_unknown_kinds(store_repo, known_kinds, run):
    (store_repo / "stacks/base/unicorn.yaml").write_text(
        "apiVersion: streamplane.io/v1\nkind: Unicorn\nmetadata: {name: u, owner: o}\nspec: {}\n")
    git(store_repo, "add", "-A")
    git(store_repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "unicorn")
    code, _out, err = run("promote", "dev", "staging", "--dry-run")
    assert code == 0, err
    assert "no plan: staging uses kinds this build does not know (Unicorn); the edits were checked as YAML only." in err


@pytest.mark.parametrize("dry_run", [False, True])
def test_promote_refuses_a_promotion_whose_plan_is_blocked(store_repo, monkeypatch, run, dry_run):
    """Fewer partitions in staging's plan is a `block` risk (kafka.partitions-decrease): exit 3, nothing written."""
    monkeypatch.setitem(fields.PROMOTABLE, "Stream", ("/spec/partitions",))
    code, out, err = run("promote", "dev", "staging", "--only", "playback-events", *(["--dry-run"] if dry_run else []))
    assert code == 3, err
    assert "kafka.partitions-decrease" in out
    assert err == ("error: promotion refused: the plan of staging after promotion is blocked (a block risk or a mandatory "
                   "policy violation, above); nothing was written.\n")
    assert git(store_repo, "status", "--porcelain") == ""
