"""`streamplane review`: real `pulumi preview --json` outputs and engine event logs as plans."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from streamplane.review import ReviewError, read_review
from tests.conftest import REFERENCE as SHARED_REFERENCE
from tests.conftest import run_cli

REFERENCE = SHARED_REFERENCE / "pulumi"
PREVIEWS = ["preview-creates.json", "preview-update.json"]
EVENT_LOGS = ["events-up-creates.ndjson", "events-up-update.ndjson", "events-up-replace.ndjson", "events-destroy.ndjson"]


def expected_summary(path: Path) -> dict:
    """The file's own change summary (Pulumi counts the Stack resource like any other)."""
    if path.suffix == ".ndjson":
        events = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        summary = dict(next(e["summaryEvent"]["resourceChanges"] for e in events if "summaryEvent" in e))
    else:
        summary = dict(json.loads(path.read_text())["changeSummary"])
    return {op: n for op, n in summary.items() if n}


def as_ours(path: Path, folder: Path) -> Path:
    """The recorded sample (project "sample") as a file of this project: the CLI refuses another
    project's preview."""
    copy = folder / path.name
    copy.write_text(re.sub(r"(urn:pulumi:[^:\"]+)::[^:\"]+::", r"\1::streamplane::", path.read_text()))
    return copy


@pytest.mark.parametrize("name", PREVIEWS + EVENT_LOGS)
def test_review_reports_the_actions_the_file_contains(name):
    plan = read_review(REFERENCE / name)
    assert {a: n for a, n in plan.summary().items() if n} == expected_summary(REFERENCE / name)


@pytest.mark.parametrize("name", PREVIEWS + EVENT_LOGS)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_review_cli_renders_every_sample(name, fmt, capsys, tmp_path):
    code, out, err = run_cli(["review", str(as_ours(REFERENCE / name, tmp_path)), "--format", fmt], capsys)
    assert (code, err) == (0, "")
    if fmt == "json":
        assert json.loads(out)["summary"] == {**dict.fromkeys(("create", "update", "replace", "delete", "same"), 0),
                                              **expected_summary(REFERENCE / name)}


def test_preview_update_keeps_detailed_diff_paths():
    plan = read_review(REFERENCE / "preview-update.json")
    (change,) = plan.pending()
    assert (change.action, change.type, change.paths) == ("update", "aws:lambda/function:Function", ["code"])


def test_event_log_replace_merges_its_three_steps_with_replace_keys():
    plan = read_review(REFERENCE / "events-up-replace.ndjson", event_log=True)
    (change,) = plan.pending()
    assert (change.action, change.paths, change.replace_paths) == ("replace", ["userData"], ["userData"])
    assert change.before["inputs"]["instanceType"] == "t2.micro"


def test_event_log_update_uses_diff_kind_paths():
    (change,) = read_review(REFERENCE / "events-up-update.ndjson").pending()
    assert change.paths == ["ingress[1].cidrBlocks[0]", "ingress[1].fromPort", "ingress[1].protocol",
                            "ingress[1].self", "ingress[1].toPort"]


def preview_of(steps: list[dict]) -> dict:
    return {"config": {}, "steps": steps, "changeSummary": {}}


STREAM = "urn:pulumi:dev::streamplane::streamplane:index:Stream::playback-events"
TOPIC = "urn:pulumi:dev::streamplane::streamplane:index:Stream$kafka:index/topic:Topic::playback-events"


def topic_state(partitions: int, password: str = "[secret]") -> dict:
    return {"urn": TOPIC, "type": "kafka:index/topic:Topic", "custom": True, "parent": STREAM,
            "inputs": {"name": "playback-events", "partitions": partitions, "replicationFactor": 3,
                       "config": {"sasl.jaas.config": password}}}


def test_review_of_a_platform_preview_finds_hazards_and_blocks(tmp_path, capsys):
    steps = [
        {"op": "same", "urn": STREAM, "oldState": {"urn": STREAM, "type": "streamplane:index:Stream"},
         "newState": {"urn": STREAM, "type": "streamplane:index:Stream"}},
        {"op": "replace", "urn": TOPIC, "oldState": topic_state(8), "newState": topic_state(4),
         "diffReasons": ["partitions"], "replaceReasons": ["partitions"],
         "detailedDiff": {"partitions": {"kind": "update-replace", "inputDiff": True}}},
    ]
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(preview_of(steps)))
    code, out, _ = run_cli(["review", str(path), "--format", "markdown"], capsys)
    assert code == 3
    assert "`kafka.partitions-decrease`" in out
    assert 'stream "playback-events": partitions 8 -> 4' in out
    assert "[secret]" not in out


def test_review_detailed_exitcode_reports_changes(capsys, tmp_path):
    code, _, _ = run_cli(["review", str(as_ours(REFERENCE / "preview-update.json", tmp_path)), "--detailed-exitcode"], capsys)
    assert code == 2


def test_review_of_a_file_that_is_not_a_preview_exits_one(tmp_path, capsys):
    bad = tmp_path / "x.json"
    bad.write_text('{"hello": 1}')
    code, _, err = run_cli(["review", str(bad)], capsys)
    assert code == 1
    assert 'not a `pulumi preview --json` output: no "steps" list.' in err


def test_review_of_broken_event_log_names_the_line(tmp_path):
    bad = tmp_path / "events.ndjson"
    bad.write_text('{"preludeEvent": {}}\nnot json\n')
    with pytest.raises(ReviewError, match=r"events.ndjson:2: not an engine event"):
        read_review(bad, event_log=True)


def test_review_without_show_sames_still_names_the_stream_from_the_parent_urn(tmp_path):
    steps = [{"op": "update", "urn": TOPIC, "oldState": topic_state(8), "newState": topic_state(16),
              "diffReasons": ["partitions"], "detailedDiff": {"partitions": {"kind": "update", "inputDiff": True}}}]
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(preview_of(steps)))
    (change,) = read_review(path).pending()
    assert str(change.subject) == 'stream "playback-events"'
    assert [r.code for r in change.risks] == ["kafka.partitions-increase"]


def test_review_header_counts_as_pulumi_and_says_so(capsys, tmp_path):
    code, out, _ = run_cli(["review", str(as_ours(REFERENCE / "preview-creates.json", tmp_path))], capsys)
    assert code == 0
    assert out.splitlines()[0].endswith(
        ": 16 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged (the Stack resource counted, as Pulumi counts it).")
    assert out.count("+  create ") == 15  # the Stack itself is counted, not listed
