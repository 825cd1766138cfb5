"""`review PREVIEW --against PLAN.json`: recorded engine runs (rewritten to this project, which `review`
requires) against offline plans that agree and disagree."""

from __future__ import annotations

import json

from tests.conftest import REFERENCE, run_cli
from tests.review.test_review_files import as_ours

PREVIEW = REFERENCE / "pulumi" / "preview-update.json"
REPLACE_LOG = REFERENCE / "pulumi" / "events-up-replace.ndjson"
LAMBDA = "urn:pulumi:dev::streamplane::aws:s3/bucket:Bucket$aws:s3:BucketEventSubscription$aws:lambda/function:Function::docsHandler"
BUCKET = "urn:pulumi:dev::streamplane::aws:s3/bucket:Bucket::docs"
INSTANCE = "urn:pulumi:dev::streamplane::aws:ec2/instance:Instance::web-server-www"


def plan_file(tmp_path, *changes: tuple[str, str, list[str]]):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"stack": "dev", "base": "x", "summary": {}, "policies": [], "changes": [
        {"urn": urn, "type": "t", "action": action, "paths": paths, "risks": []} for urn, action, paths in changes]}))
    return path


def test_an_offline_plan_that_agrees_exits_zero(tmp_path, capsys):
    plan = plan_file(tmp_path, (LAMBDA, "update", ["code"]))
    code, out, _ = run_cli(["review", str(as_ours(PREVIEW, tmp_path)), "--against", str(plan)], capsys)
    assert code == 0
    assert out.endswith(f"Engine vs offline plan ({plan}): they agree on every resource.\n")


def test_every_disagreement_is_listed_and_fails_the_check(tmp_path, capsys):
    plan = plan_file(tmp_path, (BUCKET, "update", ["tags"]))
    code, out, _ = run_cli(["review", str(as_ours(PREVIEW, tmp_path)), "--against", str(plan), "--format", "json"], capsys)
    assert code == 3
    assert json.loads(out)["disagreements"] == [
        {"urn": LAMBDA, "engine": "update", "offline": "same", "detail": "the engine plans update"},
        {"urn": BUCKET, "engine": "same", "offline": "update", "detail": "the engine plans same"}]
    code, out, _ = run_cli(["review", str(as_ours(PREVIEW, tmp_path)), "--against", str(plan), "--format", "markdown"], capsys)
    assert code == 3
    assert "### Engine vs offline plan" in out and f"| `{BUCKET}` | same | update | the engine plans same |" in out


def test_a_replacement_forced_by_a_property_the_offline_plan_missed_is_a_disagreement(tmp_path, capsys):
    missed = plan_file(tmp_path, (INSTANCE, "replace", ["tags.Name"]))
    code, out, _ = run_cli(["review", str(as_ours(REPLACE_LOG, tmp_path)), "--against", str(missed)], capsys)
    assert code == 3
    assert f"{INSTANCE}: engine replace, offline plan replace (the engine replaces for userData, which the offline " \
           "plan does not list)" in out
    (tmp_path / "plan.json").unlink()
    seen = plan_file(tmp_path, (INSTANCE, "replace", ["userData"]))
    code, out, _ = run_cli(["review", str(as_ours(REPLACE_LOG, tmp_path)), "--against", str(seen)], capsys)
    assert code == 0 and "they agree on every resource" in out
    (tmp_path / "plan.json").unlink()
    updated = plan_file(tmp_path, (INSTANCE, "update", ["userData"]))
    code, out, _ = run_cli(["review", str(as_ours(REPLACE_LOG, tmp_path)), "--against", str(updated)], capsys)
    assert code == 3 and "engine replace, offline plan update (replaced for userData)" in out


def test_a_malformed_offline_plan_is_an_error_naming_the_field(tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"changes": [{"urn": LAMBDA, "action": "explode"}]}))
    code, out, err = run_cli(["review", str(as_ours(PREVIEW, tmp_path)), "--against", str(path)], capsys)
    assert code == 1 and out == ""
    assert f"{path}: /changes/0/action: must be one of create, update, replace, delete, same, got \"explode\"." in err
