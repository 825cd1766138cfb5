"""`streamplane plan --stack <env> --base-ref REF` on a sharded environment plans only the touched stacks."""

from __future__ import annotations

import json

from tests.plan.test_baselines import commit_all, git, repo, run_cli  # noqa: F401  (the repo fixture)


def test_a_one_owner_change_plans_only_that_owners_stack(repo, monkeypatch, capsys):  # noqa: F811
    overlay = repo / "stacks" / "loadtest" / "recommendations.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace("partitions: 16", "partitions: 24"), encoding="utf-8")
    commit_all(repo, "more partitions for recommendation-signals")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("STREAMPLANE_CACHE_DIR", str(repo / ".cache"))
    code, out, err = run_cli(["plan", "--stack", "loadtest", "--base-ref", "HEAD~1", "--format", "json"], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["unchanged"] == ["loadtest", "loadtest-playback"]
    [plan] = result["stacks"]
    assert plan["stack"] == "loadtest-recommendations"
    assert plan["summary"]["update"] == 1 and plan["summary"]["create"] == 0 and plan["summary"]["delete"] == 0
    [change] = plan["changes"]
    assert change["type"] == "kafka:index/topic:Topic" and change["paths"] == ["partitions"]


def test_a_code_change_plans_every_stack(repo, monkeypatch, capsys):  # noqa: F811
    platform = repo / "components" / "platform.py"
    platform.write_text(platform.read_text(encoding="utf-8") + "\n# a comment is a code change too\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("STREAMPLANE_CACHE_DIR", str(repo / ".cache"))
    code, out, err = run_cli(["plan", "--stack", "loadtest", "--base-ref", "HEAD", "--format", "json"], capsys)
    assert code == 0, err
    result = json.loads(out)
    assert result["unchanged"] == []
    assert [p["stack"] for p in result["stacks"]] == ["loadtest", "loadtest-playback", "loadtest-recommendations"]
    assert all(p["summary"]["create"] == p["summary"]["update"] == p["summary"]["delete"] == 0 for p in result["stacks"])


def test_moving_an_object_to_another_owner_is_blocked(repo, monkeypatch, capsys):  # noqa: F811
    overlay = repo / "stacks" / "loadtest" / "recommendations.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace(
        "name: recommendation-signals\n  owner: recommendations", "name: recommendation-signals\n  owner: playback"),
        encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("STREAMPLANE_CACHE_DIR", str(repo / ".cache"))
    code, out, err = run_cli(["plan", "--stack", "loadtest", "--base-ref", "HEAD", "--format", "json"], capsys)
    assert code == 3, err
    result = json.loads(out)
    [move] = result["moves"]
    assert move.startswith("Stream recommendation-signals moves from stack loadtest-recommendations to loadtest-playback")
    deleted = {c["urn"] for p in result["stacks"] for c in p["changes"] if c["action"] == "delete"}
    assert "urn:pulumi:loadtest-recommendations::streamplane::streamplane:index:Stream$kafka:index/topic:Topic::" \
           "recommendation-signals" in deleted
