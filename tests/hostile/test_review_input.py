"""Hostile `streamplane review` inputs (issue 18): each a user error on one line, exit 1, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streamplane.cli import INTERNAL_ERROR_PREFIX
from streamplane.paths import display_path
from tests.conftest import run_cli

URN = "urn:pulumi:dev::streamplane::aws:s3/bucket:Bucket::b"


@pytest.mark.parametrize(("content", "message"), [
    ({"steps": [1]}, "/steps/0: a preview step must be an object, got int."),
    ({"steps": [{"op": "create", "urn": "not-a-urn"}]}, "/steps/0/urn: not a Pulumi URN: 'not-a-urn' (expected urn:pulumi:STACK::PROJECT::TYPE::NAME)."),
    ({"steps": [{"op": "create", "urn": URN, "newState": {"type": 5}}]}, "/steps/0/newState/type: must be a str, got int."),
    ({"steps": [{"op": "update", "urn": URN, "detailedDiff": [1]}]}, "/steps/0/detailedDiff: must be an object of property path -> {kind, inputDiff}."),
    ({"steps": [{"op": "update", "urn": URN, "diffReasons": [1]}]}, "/steps/0/diffReasons: must be a list of property paths (strings)."),
    ({"steps": [{"op": 3, "urn": URN}]}, "/steps/0/op: must be a string, got int."),
])
def test_malformed_preview_is_a_located_user_error(tmp_path, capsys, content, message):
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(content))
    code, out, err = run_cli(["review", str(path)], capsys)
    assert code == 1 and out == ""
    assert err == f"error: {path}: {message}\n"


def test_event_with_a_bad_urn(tmp_path, capsys):
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps({"resourcePreEvent": {"metadata": {"op": "create", "urn": "x"}}}) + "\n")
    code, _, err = run_cli(["review", str(path), "--event-log"], capsys)
    assert code == 1
    assert err.startswith(f"error: {path}:1: /resourcePreEvent/metadata/urn: not a Pulumi URN: 'x'")


def test_binary_file_is_a_user_error(tmp_path, capsys):
    path = tmp_path / "preview.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    code, _, err = run_cli(["review", str(path)], capsys)
    assert code == 1 and INTERNAL_ERROR_PREFIX not in err and "Traceback" not in err
    assert err == f"error: {path}: not a text file (byte 0 is not UTF-8); expected pulumi preview --json output or an event log.\n"


REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "pulumi"


@pytest.mark.parametrize("name", ["preview-update.json", "events-up-update.ndjson"])
def test_another_projects_preview_is_refused(capsys, name):
    path = REFERENCE / name
    code, out, err = run_cli(["review", str(path)], capsys)
    assert code == 1 and out == ""
    where = f"{display_path(path)}: /steps/0/urn" if name.endswith(".json") else f"{display_path(path)}:2: /resourcePreEvent/metadata/urn"
    project = "sample" if name.endswith(".json") else "eks"
    assert err == (f'error: {where}: a preview of project "{project}", but this is project "streamplane" (Pulumi.yaml); '
                   "review a preview of this project's stacks.\n")


def test_a_preview_of_two_stacks_is_refused(tmp_path, capsys):
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": [{"op": "create", "urn": URN}, {"op": "create", "urn": URN.replace(":dev::", ":prod::")}]}))
    code, _, err = run_cli(["review", str(path)], capsys)
    assert code == 1
    assert err == f'error: {path}: /steps/1/urn: steps of stack "prod" and of stack "dev" in one file; review one stack\'s preview.\n'


def test_an_event_without_its_type_takes_it_from_the_urn(tmp_path, capsys):
    """Found by bench/fuzz.py: a step event whose metadata has `"type": null` crashed the text renderer."""
    path = tmp_path / "events.ndjson"
    path.write_text(json.dumps({"resourcePreEvent": {"metadata": {"op": "delete", "urn": URN, "type": None, "old": {"urn": URN}}}}) + "\n")
    code, out, err = run_cli(["review", str(path), "--event-log"], capsys)
    assert (code, err) == (0, "")
    assert "-  delete  aws:s3/bucket:Bucket  b" in out
