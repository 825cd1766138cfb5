"""Promotion edits only promotable values, keeps comments, writes all files or none, refuses dirty files."""

from __future__ import annotations

import re

import pytest
from promote_fixtures import FLINK_PROD, FLINK_STAGING, git

from streamplane.promote import compute, engine, fields
from streamplane.promote.write import PromotionError

STAGING_AFTER = """\
# yaml-language-server: $schema=../../schemas/flink-job.json
# staging: half of prod.
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata: {name: sessionizer, owner: playback}
spec:
  image: 'registry.example.com/sessionizer:1.4.2'  # last promoted
  parallelism: 4
  jarURI: local:///opt/flink/usrlib/sessionizer-1.4.2.jar
  flinkVersion: v1_20
---
# A job only dev has so far: promotion copies it whole.
apiVersion: streamplane.io/v1
kind: FlinkJob
metadata:
  name: anomaly-detector
  owner: observability
spec:
  state: stateless
  flinkVersion: v1_20
  jarURI: local:///opt/flink/usrlib/anomaly.jar
  image: registry.example.com/anomaly:0.1.0
  parallelism: 1    # dev size
---
# yaml-language-server: $schema=../../schemas/route.json
apiVersion: streamplane.io/v1
kind: Route
metadata: {name: playback-to-s3, owner: playback}
spec:
  routerImage: registry.example.com/router:2.4.0
"""


def test_promote_writes_promotable_values_and_new_objects_into_target_overlay(flink_repo, run):
    code, out, err = run("promote", "dev", "staging")
    assert code == 0, err
    assert (flink_repo / "stacks/staging/flink-jobs.yaml").read_text() == STAGING_AFTER
    assert "wrote stacks/staging/flink-jobs.yaml" in out
    assert git(flink_repo, "status", "--porcelain") == " M stacks/staging/flink-jobs.yaml\n"


def test_promote_changes_only_promotable_lines_and_keeps_every_comment(flink_repo, run):
    run("promote", "dev", "staging")
    diff = git(flink_repo, "diff", "-U0", "--", "stacks/staging/flink-jobs.yaml")
    removed = [ln for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    assert removed == ["-  image: 'registry.example.com/sessionizer:1.3.0'  # last promoted"]
    new_text = (flink_repo / "stacks/staging/flink-jobs.yaml").read_text()
    for line in FLINK_STAGING.splitlines():
        if "#" in line:
            assert line.split("#", 1)[1] in new_text


def test_promote_leaves_environment_specific_values_alone(flink_repo):
    promotion = compute(flink_repo / "stacks", "staging", "prod")
    assert [(e.kind, e.name, e.pointer, e.before, e.after) for e in promotion.edits] == [
        ("FlinkJob", "sessionizer", "/spec/image", "registry.example.com/sessionizer:1.2.0",
         "registry.example.com/sessionizer:1.3.0")]
    # staging's parallelism (4) differs from prod's (8) but is not promotable.
    assert promotion.files == {(flink_repo / "stacks/prod/flink-jobs.yaml").resolve():
                               FLINK_PROD.replace("1.2.0", "1.3.0")}


def test_promote_adds_an_override_when_target_inherits_the_value_from_base(flink_repo):
    promotion = compute(flink_repo / "stacks", "dev", "staging", only=("playback-to-s3",))
    text = promotion.files[(flink_repo / "stacks/staging/flink-jobs.yaml").resolve()]
    assert text == FLINK_STAGING + ("---\n# yaml-language-server: $schema=../../schemas/route.json\n"
                                    "apiVersion: streamplane.io/v1\nkind: Route\n"
                                    "metadata: {name: playback-to-s3, owner: playback}\nspec:\n"
                                    "  routerImage: registry.example.com/router:2.4.0\n")


def test_promote_only_limits_the_promotion_to_named_objects(flink_repo, run):
    code, out, _ = run("promote", "dev", "staging", "--only", "anomaly-detector", "--dry-run")
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("│ ")]
    assert any("FlinkJob/anomaly-detector" in r for r in rows) and not any("sessionizer" in r for r in rows)


def test_promote_only_rejects_a_name_the_source_does_not_have(flink_repo, run):
    code, _, err = run("promote", "dev", "staging", "--only", "sessionizr")
    assert code == 1
    assert 'no object named sessionizr in "dev"' in err


def test_promote_dry_run_prints_the_three_environment_table_and_writes_nothing(flink_repo, run):
    code, out, err = run("promote", "dev", "staging", "--dry-run")
    assert code == 0, err
    header = next(line for line in out.splitlines() if "object" in line and "field" in line)
    assert header.index("dev") < header.index("staging") < header.index("prod")
    row = next(line for line in out.splitlines() if "/spec/image" in line and "sessionizer" in line)
    assert "registry.example.com/sessionizer:1.3.0 -> registry.example.com/sessionizer:1.4.2" in row
    assert re.search(r"│ registry\.example\.com/sessionizer:1\.2\.0 +│ stacks/staging/flink-jobs\.yaml +│$", row.rstrip())  # prod as it is, the file
    assert "Dry run: 1 file(s) would change (stacks/staging/flink-jobs.yaml); nothing was written." in out
    # The unified diff it would write, as `git diff` will show it after the promotion.
    assert "--- a/stacks/staging/flink-jobs.yaml\n+++ b/stacks/staging/flink-jobs.yaml\n" in out
    assert "-  image: 'registry.example.com/sessionizer:1.3.0'  # last promoted\n" in out
    assert "+  image: 'registry.example.com/sessionizer:1.4.2'  # last promoted\n" in out
    assert git(flink_repo, "status", "--porcelain") == ""


def test_promote_refuses_files_with_uncommitted_changes(flink_repo, run):
    staging = flink_repo / "stacks/staging/flink-jobs.yaml"
    staging.write_text(FLINK_STAGING + "# local edit\n")
    code, _, err = run("promote", "dev", "staging")
    assert code == 1
    assert err == ("error: refusing to overwrite files with uncommitted changes: stacks/staging/flink-jobs.yaml. "
                   "Commit or stash them, then promote again.\n")
    assert staging.read_text() == FLINK_STAGING + "# local edit\n"


def test_promote_refuses_to_run_outside_git(flink_repo, run):
    import shutil
    shutil.rmtree(flink_repo / ".git")
    code, _, err = run("promote", "dev", "staging")
    assert code == 1
    assert "cannot check for uncommitted changes" in err


def test_promote_writes_nothing_when_any_file_fails(flink_repo, run, monkeypatch):
    (flink_repo / "stacks/dev/more-routes.yaml").write_text(
        "apiVersion: streamplane.io/v1\nkind: Route\nmetadata: {name: errors-to-es, owner: playback}\n"
        "spec:\n  routerImage: registry.example.com/router:2.4.0\n  source: playback-events\n"
        "  sink: {kafka: {stream: playback-events-enriched}}\n")
    git(flink_repo, "add", "-A")
    git(flink_repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "more")
    before = {p: p.read_bytes() for p in (flink_repo / "stacks").rglob("*.yaml")}
    import streamplane.promote.write as write
    real_replace = write.os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    code, _, err = run("promote", "dev", "staging")
    assert code == 1
    assert "No space left on device" in err
    assert len(calls) >= 2   # the first file had been renamed, then put back
    assert {p: p.read_bytes() for p in (flink_repo / "stacks").rglob("*.yaml")} == before
    assert {p for p in (flink_repo / "stacks").rglob("*") if p.name.startswith(".")} == set()   # no temp files left


def test_promote_onto_the_same_environment_is_an_error(flink_repo, run):
    code, _, err = run("promote", "dev", "dev")
    assert code == 1
    assert 'cannot promote "dev" onto itself' in err


def test_promote_never_removes_objects_the_source_lacks(flink_repo):
    promotion = compute(flink_repo / "stacks", "prod", "staging")
    assert promotion.kept == []
    promotion = compute(flink_repo / "stacks", "staging", "dev")
    assert promotion.kept == [("FlinkJob", "anomaly-detector")]
    dev_text = promotion.files[(flink_repo / "stacks/dev/flink-jobs.yaml").resolve()]
    assert "name: anomaly-detector" in dev_text


def test_verify_stops_an_edit_that_touches_more_than_promotable_values(flink_repo, monkeypatch):
    original = engine._Files.changed

    def tampered(self):
        return {path: text.replace("parallelism: 4", "parallelism: 40") for path, text in original(self).items()}

    monkeypatch.setattr(engine._Files, "changed", tampered)
    with pytest.raises(PromotionError, match="FlinkJob sessionizer: promotion would change more than its promotable values"):
        compute(flink_repo / "stacks", "dev", "staging")


def test_promotable_table_is_data(monkeypatch, flink_repo):
    monkeypatch.setitem(fields.PROMOTABLE, "FlinkJob", ("/spec/parallelism",))
    promotion = compute(flink_repo / "stacks", "staging", "prod")
    assert [(e.pointer, e.before, e.after) for e in promotion.edits] == [("/spec/parallelism", 8, 4)]
    assert promotion.files[(flink_repo / "stacks/prod/flink-jobs.yaml").resolve()].endswith(
        "  image: registry.example.com/sessionizer:1.2.0\n  parallelism: 4\n")


def test_a_value_that_cannot_be_edited_safely_is_refused_without_a_traceback(flink_repo, run):
    staging = flink_repo / "stacks/staging/flink-jobs.yaml"
    text = staging.read_text()
    old = "image: 'registry.example.com/sessionizer:1.3.0'  # last promoted"
    assert old in text
    staging.write_text(text.replace(old, 'image: "registry.example.com/\n    sessionizer:1.3.0"'))
    git(flink_repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "multi-line image")
    code, _, err = run("promote", "dev", "staging")
    assert code == 1
    assert "a quoted value continues on the next line; edit it by hand" in err
    assert "Traceback" not in err
