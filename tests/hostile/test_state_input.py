"""Hostile `plan --state` and `--base-ref` inputs (issue 18, Build 3): each exits 1 with one line
naming the file and the JSON pointer (or the ref), no traceback, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streamplane.cli import INTERNAL_ERROR_PREFIX
from streamplane.paths import display_path
from tests.conftest import run_cli
from tests.plan.test_baselines import git, repo  # noqa: F401  (repo: the fixture)

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "pulumi"
BUCKET = "urn:pulumi:dev::streamplane::aws:s3/bucket:Bucket::b"


def export(*resources: object) -> dict:
    return {"version": 3, "deployment": {"resources": list(resources)}}


def plan_state(tmp_path: Path, capsys, path: Path, stack: str = "dev") -> tuple[int, str]:
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run_cli(["plan", "--stack", stack, "--state", str(path)], capsys)
    assert sorted(tmp_path.rglob("*")) == before  # nothing written
    assert "Traceback" not in err and INTERNAL_ERROR_PREFIX not in err
    if code == 1:
        assert out == "" and len(err.splitlines()) == 1
    return code, err


@pytest.mark.parametrize(("document", "message"), [
    (export(1), "/deployment/resources/0: a resource must be an object, got a number."),
    (export({"type": "aws:s3/bucket:Bucket"}), "/deployment/resources/0/urn: must be a string (missing)."),
    (export({"urn": BUCKET, "type": 5}), "/deployment/resources/0/type: must be a string (got a number)."),
    (export({"urn": "not-a-urn", "type": "t"}),
     "/deployment/resources/0/urn: not a Pulumi URN: 'not-a-urn' (expected urn:pulumi:STACK::PROJECT::TYPE::NAME)."),
    (export({"urn": BUCKET, "type": "t", "inputs": [1]}), "/deployment/resources/0/inputs: must be an object, got a list."),
    (export({"urn": BUCKET, "type": "t", "dependencies": [1]}), "/deployment/resources/0/dependencies: must list URN strings."),
    ({"version": 3, "deployment": {"resources": {}}}, "/deployment/resources: must be a list, got an object."),
    ({"version": 3, "deployment": []}, "/deployment: must be an object, got a list."),
    ({"version": True, "deployment": {}}, "/version: unsupported state version true: expected a `pulumi stack export` with version 3."),
    ([1], "/: not a Pulumi state export: expected an object, got a list."),
])
def test_malformed_export_is_a_located_user_error(tmp_path, capsys, document, message):
    path = tmp_path / "state.json"
    path.write_text(json.dumps(document))
    code, err = plan_state(tmp_path, capsys, path)
    assert code == 1
    assert err == f"error: {path}: {message}\n"


def test_binary_export(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    code, err = plan_state(tmp_path, capsys, path)
    assert code == 1
    assert err == f"error: {path}: /: not a text file (byte 0 is not UTF-8); expected `pulumi stack export` JSON.\n"


def test_invalid_json_is_located(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text('{"version": 3,\n  "deployment": }')
    code, err = plan_state(tmp_path, capsys, path)
    assert code == 1
    assert err == f"error: {path}:2:17: /: invalid JSON: Expecting value.\n"


def test_100k_deep_arrays_do_not_crash(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    code, err = plan_state(tmp_path, capsys, path)
    assert code == 1
    assert err == f"error: {path}: /: JSON nested too deeply to decode; a stack export is far shallower.\n"


def test_inputs_json_decodes_but_too_deep_to_read(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text(json.dumps(export({"urn": BUCKET, "type": "t", "inputs": {"a": []}})).replace("[]", "[" * 900 + "]" * 900))
    code, err = plan_state(tmp_path, capsys, path)
    assert code == 1
    assert err == f"error: {path}: /deployment/resources/0/inputs: nested deeper than 100 levels; an engine-written state is far shallower.\n"


def test_another_projects_export_is_refused(tmp_path, capsys):
    code, err = plan_state(tmp_path, capsys, REFERENCE / "stack-export-v3.json")
    assert code == 1
    assert err == (f'error: {display_path(REFERENCE / "stack-export-v3.json")}: /deployment/resources/0/urn: an export of '
                   'stack "dev" of project "sample", but this plan is of stack "dev" of project "streamplane"; '
                   "export the right one (pulumi stack export --stack dev).\n")


def test_another_stacks_export_is_refused(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text(json.dumps(export({"urn": BUCKET, "type": "aws:s3/bucket:Bucket"})))
    code, err = plan_state(tmp_path, capsys, path, stack="prod")
    assert code == 1
    assert err == (f'error: {path}: /deployment/resources/0/urn: an export of stack "dev" of project "streamplane", '
                   'but this plan is of stack "prod" of project "streamplane"; export the right one (pulumi stack export --stack prod).\n')


def test_own_stacks_export_is_accepted(tmp_path, capsys):
    path = tmp_path / "state.json"
    path.write_text(json.dumps(export({"urn": "urn:pulumi:dev::streamplane::pulumi:pulumi:Stack::streamplane-dev",
                                       "type": "pulumi:pulumi:Stack"})))
    code, err = plan_state(tmp_path, capsys, path)
    assert code == 0 and err == ""


def test_empty_base_ref_is_refused(capsys):
    code, out, err = run_cli(["plan", "--stack", "dev", "--base-ref", ""], capsys)
    assert code == 1 and out == ""
    assert err == 'error: --base-ref "": an empty git ref; name a commit, e.g. --base-ref origin/main.\n'


def test_orphan_base_ref_is_refused(repo, monkeypatch, capsys):  # noqa: F811
    orphan = git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit-tree", "HEAD^{tree}", "-m", "orphan").strip()
    monkeypatch.chdir(repo)
    before = sorted(repo.rglob("*"))
    code, out, err = run_cli(["plan", "--stack", "dev", "--base-ref", orphan], capsys)
    assert code == 1 and out == ""
    assert err == (f'error: --base-ref "{orphan}" ({orphan[:10]}) shares no history with HEAD (git merge-base finds no '
                   "common commit); name a commit of this branch's history, e.g. --base-ref origin/main.\n")
    assert sorted(repo.rglob("*")) == before


def test_defaults_that_are_not_names_are_ignored(tmp_path, capsys):
    """Found by the in-suite fuzz: `__defaults: [[]]` (engine bookkeeping, property names) crashed the plan."""
    path = tmp_path / "state.json"
    path.write_text(json.dumps(export({"urn": BUCKET, "type": "aws:s3/bucket:Bucket", "custom": True,
                                       "inputs": {"__defaults": [[], 1, "acl"], "acl": "private", "bucket": "b"}})))
    code, err = plan_state(tmp_path, capsys, path)
    assert (code, err) == (0, "")
