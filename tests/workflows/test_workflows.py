"""The GitHub workflows validate against GitHub's published workflow schema and call only real
commands of this repository (streamplane subcommands with their options, Makefile targets)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from ruamel.yaml import YAML

from streamplane.cli import cli

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# Commands and option values the workflows rely on that other branches add (review engine: the
# `review` command and the markdown renderer). Remove an entry once its branch is merged; the
# test below fails if an entry is already provided, so the list cannot go stale silently.

STREAMPLANE = re.compile(r"(?:^|[;&|(]\s*|/)streamplane\s+(.*)$")
MAKE = re.compile(r"(?:^|[;&|(]\s*)make\s+([A-Za-z0-9_-]+)")
SHELL_STOP = {"||", "&&", ";", "|", ">", ">>", "2>", ")", "2>&1"}


def _load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _run_lines(workflow: dict):
    """(job id, one logical shell line) for every `run:` step, continuation lines joined."""
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            script = step.get("run")
            if script:
                for line in script.replace("\\\n", " ").splitlines():
                    yield job_id, line.strip()


def _streamplane_calls(line: str) -> list[list[str]]:
    match = STREAMPLANE.search(line)
    if not match:
        return []
    words: list[str] = []
    for word in shlex.split(match.group(1), comments=True):
        if word in SHELL_STOP or word.startswith(">"):
            break
        words.append(word)
    return [words]


def _makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_-]+):", text, flags=re.M))


def _problems(words: list[str]) -> list[tuple]:
    """What in `streamplane <words>` is not a real command, option or choice: (cmd, option, value)."""
    name, args = words[0], words[1:]
    command = cli.commands.get(name)
    if command is None:
        return [(name, None, None)]
    options = {opt: p for p in command.params if isinstance(p, click.Option) for opt in p.opts}
    found = []
    i = 0
    while i < len(args):
        word = args[i]
        if word.startswith("--"):
            opt, _, inline = word.partition("=")
            param = options.get(opt)
            if param is None:
                found.append((name, opt, None))
            elif not param.is_flag:
                value = inline or (args[i + 1] if i + 1 < len(args) else "")
                i += 0 if inline else 1
                if isinstance(param.type, click.Choice) and "$" not in value and value not in param.type.choices:
                    found.append((name, opt, value))
        i += 1
    return found


def test_workflows_exist_for_each_part_of_the_delivery_story():
    assert {p.name for p in WORKFLOWS} == {"ci.yml", "pull-request.yml", "main.yml", "promotion.yml", "drift.yml"}


def test_every_workflow_validates_against_the_github_workflow_schema():
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             *map(str, WORKFLOWS)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("name: broken\non: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    step:\n      - run: make test\n")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(broken)], capture_output=True, text=True, check=False)
    assert result.returncode == 1


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_calls_real_commands_of_this_repo(path):
    workflow = _load(path)
    targets = _makefile_targets()
    calls_by_job: dict[str, int] = dict.fromkeys(workflow["jobs"], 0)
    problems = []
    for job_id, line in _run_lines(workflow):
        for target in MAKE.findall(line):
            calls_by_job[job_id] += 1
            if target not in targets:
                problems.append(f"{job_id}: make {target}: no such Makefile target")
        for words in _streamplane_calls(line):
            calls_by_job[job_id] += 1
            for problem in _problems(words):
                problems.append(f"{job_id}: streamplane {' '.join(words)}: {problem}")
    assert problems == []
    assert [job for job, n in calls_by_job.items() if n == 0] == []


def test_command_check_catches_unknown_commands_options_and_choices():
    assert _problems(["deploy"]) == [("deploy", None, None)]
    assert _problems(["plan", "--stack", "dev", "--colour"]) == [("plan", "--colour", None)]
    assert _problems(["plan", "--format", "yaml"]) == [("plan", "--format", "yaml")]
    assert _problems(["promote", "dev", "staging", "--dry-run"]) == []
    assert _streamplane_calls('.venv/bin/streamplane drift --stack "$STACK" --out x.md || code=$?') == [
        ["drift", "--stack", "$STACK", "--out", "x.md"]]


def test_prod_is_applied_only_inside_a_github_environment():
    promotion = _load(ROOT / ".github/workflows/promotion.yml")
    apply = promotion["jobs"]["apply"]
    assert apply["environment"] == "${{ needs.resolve.outputs.stack }}"
    assert promotion["on"]["workflow_dispatch"]["inputs"]["stack"]["options"] == ["staging", "prod"]
    ups = [s for s in apply["steps"] if s.get("uses", "").startswith("pulumi/actions") and s.get("with", {}).get("command") == "up"]
    assert [s["with"]["policyPacks"] for s in ups] == ["policies"]


def test_auto_remediation_is_for_dev_only():
    drift = _load(ROOT / ".github/workflows/drift.yml")
    ups = [(job_id, s["with"]) for job_id, job in drift["jobs"].items() for s in job["steps"]
           if s.get("with", {}).get("command") == "up"]
    assert ups == [("remediate-dev", {"command": "up", "stack-name": "dev", "refresh": True, "policyPacks": "policies"})]
    assert drift["on"]["schedule"] == [{"cron": "17 5 * * *"}]


def test_cloud_preview_never_runs_for_forks_and_previews_only_the_touched_stacks():
    pr = _load(ROOT / ".github/workflows/pull-request.yml")
    touched, preview = pr["jobs"]["touched"], pr["jobs"]["cloud-preview"]
    # A job whose `needs` was skipped is skipped too: the fork guard on `touched` covers the preview.
    assert touched["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    assert preview["needs"] == "touched" and preview["if"] == "needs.touched.outputs.stacks != '[]'"
    assert preview["strategy"]["matrix"]["stack"] == "${{ fromJSON(needs.touched.outputs.stacks) }}"
    [listing] = [s["run"] for s in touched["steps"] if s.get("id") == "touched"]
    assert "streamplane touched --base-ref" in listing and "--format json" in listing


def _nothing_to_promote_condition(path: Path) -> str:
    """The shell condition with which a workflow decides a promotion changed nothing."""
    for _job, line in _run_lines(_load(path)):
        if line.startswith("if ") and "-- stacks" in line:
            return line.split("if ", 1)[1].split("; then", 1)[0]
    raise AssertionError(f"{path.name}: no 'nothing to promote' check")


@pytest.mark.parametrize("name", ["promotion.yml", "main.yml"])
def test_promotion_workflows_see_files_a_promotion_only_adds(tmp_path, name):
    """A promotion that only adds a file (an object only dev had, in a file staging lacks) is a change:
    `git diff --quiet` would miss the untracked file and skip the pull request."""
    condition = _nothing_to_promote_condition(ROOT / ".github/workflows" / name)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "a.yaml").write_text("a: 1\n")
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a"], cwd=tmp_path, check=True)

    def nothing_to_promote() -> bool:
        return subprocess.run(["bash", "-c", condition], cwd=tmp_path, check=False).returncode == 0

    assert nothing_to_promote()
    (tmp_path / "stacks" / "new.yaml").write_text("b: 2\n")
    assert not nothing_to_promote()
