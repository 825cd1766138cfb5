"""`streamplane touched --base-ref REF`: the stacks whose inputs differ from REF's, per environment
(what the pull-request workflow previews for real, one matrix job each)."""

from __future__ import annotations

import json

from tests.plan.test_baselines import commit_all, repo, run_cli  # noqa: F401  (the repo fixture)

ENVIRONMENTS = ["dev", "loadtest", "prod", "staging"]
LOADTEST = ["loadtest", "loadtest-playback", "loadtest-recommendations"]


def touched(repo, monkeypatch, capsys, ref: str = "HEAD~1") -> dict:  # noqa: F811
    monkeypatch.chdir(repo)
    code, out, err = run_cli(["touched", "--base-ref", ref, "--format", "json"], capsys)
    assert code == 0, err
    return json.loads(out)


def edit(repo, path: str, old: str, new: str) -> None:  # noqa: F811
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_touches_nothing(repo, monkeypatch, capsys):  # noqa: F811
    result = touched(repo, monkeypatch, capsys, "HEAD")
    assert result["stacks"] == []
    assert sorted(result["environments"]) == ENVIRONMENTS
    assert result["environments"]["loadtest"] == {"touched": [], "unchanged": LOADTEST}
    assert result["environments"]["dev"] == {"touched": [], "unchanged": ["dev"]}


def test_a_stack_config_value_touches_that_stack_and_a_comment_does_not(repo, monkeypatch, capsys):  # noqa: F811
    edit(repo, "stacks/Pulumi.staging.yaml", "    cost-center: data-platform\n", "    cost-center: data-platform  # who pays\n")
    commit_all(repo, "a comment")
    assert touched(repo, monkeypatch, capsys)["stacks"] == []
    edit(repo, "stacks/Pulumi.staging.yaml", "cost-center: data-platform", "cost-center: streaming")
    commit_all(repo, "another cost center")
    assert touched(repo, monkeypatch, capsys)["stacks"] == ["staging"]


def test_an_owners_overlay_change_touches_only_that_owners_stack(repo, monkeypatch, capsys):  # noqa: F811
    edit(repo, "stacks/loadtest/recommendations.yaml", "partitions: 16", "partitions: 24")
    commit_all(repo, "more partitions in loadtest")
    assert touched(repo, monkeypatch, capsys)["stacks"] == ["loadtest-recommendations"]


def test_a_base_layer_change_touches_only_the_stacks_whose_merged_spec_changes(repo, monkeypatch, capsys):  # noqa: F811
    """dev, staging and prod each set playback-events' retention in their overlay, so the base's value
    reaches only loadtest: its owner's stack and the stack whose route reads the stream."""
    edit(repo, "stacks/base/streams.yaml", "  retention: 3d\n", "  retention: 4d\n")  # playback-events
    commit_all(repo, "a longer retention for playback-events")
    result = touched(repo, monkeypatch, capsys)
    assert result["stacks"] == ["loadtest-playback", "loadtest-recommendations"]
    assert result["environments"]["loadtest"]["unchanged"] == ["loadtest"]
    assert result["environments"]["prod"] == {"touched": [], "unchanged": ["prod"]}
    edit(repo, "stacks/base/streams.yaml", "  partitions: 64\n", "  partitions: 96\n")  # not overridden in prod
    commit_all(repo, "more partitions for playback-events")
    assert "prod" in touched(repo, monkeypatch, capsys)["stacks"]


def test_a_code_change_touches_every_stack(repo, monkeypatch, capsys):  # noqa: F811
    platform = repo / "components" / "platform.py"
    platform.write_text(platform.read_text(encoding="utf-8") + "\n# a comment is a code change too\n", encoding="utf-8")
    assert touched(repo, monkeypatch, capsys, "HEAD")["stacks"] == ["dev", *LOADTEST, "prod", "staging"]


def test_text_format_lists_one_stack_per_line(repo, monkeypatch, capsys):  # noqa: F811
    edit(repo, "stacks/Pulumi.prod.yaml", "cost-center: data-platform", "cost-center: streaming")
    monkeypatch.chdir(repo)
    code, out, err = run_cli(["touched", "--base-ref", "HEAD"], capsys)
    assert (code, out) == (0, "prod\n"), err


def test_an_unknown_ref_is_a_located_error(repo, monkeypatch, capsys):  # noqa: F811
    monkeypatch.chdir(repo)
    code, out, err = run_cli(["touched", "--base-ref", "no-such-ref"], capsys)
    assert code == 1 and out == ""
    assert 'unknown git ref "no-such-ref"' in err and "Traceback" not in err
