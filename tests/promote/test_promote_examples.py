"""Acceptance on the example stacks: dev's pending router release promoted to staging."""

from __future__ import annotations

import pytest
from promote_fixtures import git, make_repo


@pytest.fixture
def example_repo(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, {}, keep_example_pins=True)
    monkeypatch.chdir(repo)
    return repo


def test_dry_run_prints_the_staging_plan_and_the_three_environment_table(example_repo, run):
    code, out, err = run("promote", "dev", "staging", "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Plan of staging after promotion:"
    assert "0 to create, 3 to update, 0 to replace, 0 to delete" in lines[1]
    restarts = [ln for ln in lines if "flink.restart" in ln]
    assert len(restarts) == 3 and all("(image changed)" in ln for ln in restarts)
    header = next(ln for ln in lines if "object" in ln and "field" in ln)
    assert header.index("dev") < header.index("staging") < header.index("prod")
    row = next(ln for ln in lines if "Route/playback-to-warehouse" in ln)
    assert "router:2.4.0 -> registry.example.com/platform/router:2.5.0" in row
    assert "Dry run: 1 file(s) would change (stacks/staging/routes.yaml); nothing was written." in out
    assert [ln for ln in lines if ln.startswith(("-  routerImage", "+  routerImage"))] == [
        "-  routerImage: registry.example.com/platform/router:2.4.0",
        "+  routerImage: registry.example.com/platform/router:2.5.0"] * 3
    assert git(example_repo, "status", "--porcelain") == ""


def test_promotion_edits_only_the_router_pins_and_keeps_comments(example_repo, run):
    code, _out, err = run("promote", "dev", "staging")
    assert code == 0, err
    assert git(example_repo, "status", "--porcelain") == " M stacks/staging/routes.yaml\n"
    diff = git(example_repo, "diff", "-U0", "--", "stacks/staging/routes.yaml").splitlines()
    removed = [ln for ln in diff if ln.startswith("-") and not ln.startswith("---")]
    added = [ln for ln in diff if ln.startswith("+") and not ln.startswith("+++")]
    assert removed == ["-  routerImage: registry.example.com/platform/router:2.4.0"] * 3
    assert added == ["+  routerImage: registry.example.com/platform/router:2.5.0"] * 3
