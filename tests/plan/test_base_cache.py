"""The cached base of `plan --base-ref`: a hit skips the synth; corrupt and foreign entries are rebuilt."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from streamplane import cli
from streamplane.baselines import Baseline, from_git_ref
from streamplane.baselines import gitref as gitref_module
from streamplane.baselines.cache import CACHE_ENV, cache_key, load_graph, store_graph
from streamplane.baselines.gitref import cached_at_ref
from streamplane.targets import Target
from tests.plan.test_baselines import git, repo, run_cli  # noqa: F401  (the repo fixture)

KEY = {"format": "1", "stack": "dev", "stacks": "a" * 40, "code": "b" * 64, "pulumi": "3.272.0", "tool": "0.1.0"}
GRAPH = {"resources": [{"urn": "urn:pulumi:dev::p::t::n"}]}


def test_an_entry_is_read_back_under_its_own_key_only(tmp_path: Path) -> None:
    store_graph(tmp_path, KEY, GRAPH)
    assert load_graph(tmp_path, KEY) == GRAPH
    assert load_graph(tmp_path, {**KEY, "code": "c" * 64}) is None


def test_a_corrupt_entry_is_ignored(tmp_path: Path) -> None:
    store_graph(tmp_path, KEY, GRAPH)
    (entry,) = tmp_path.iterdir()
    entry.write_text('{"key": ', encoding="utf-8")
    assert load_graph(tmp_path, KEY) is None


def test_a_foreign_entry_under_the_same_file_name_is_ignored(tmp_path: Path) -> None:
    store_graph(tmp_path, KEY, GRAPH)
    (entry,) = tmp_path.iterdir()
    entry.write_text(json.dumps({"key": {**KEY, "stack": "prod"}, "graph": GRAPH}), encoding="utf-8")
    assert load_graph(tmp_path, KEY) is None


def test_the_key_follows_specs_and_code_but_not_docs(repo: Path) -> None:  # noqa: F811
    def key_at(ref: str) -> dict[str, str] | None:
        return cache_key(repo, git(repo, "rev-parse", ref).strip(), "", "dev")

    first = key_at("HEAD")
    (repo / "docs" / "extra.md").write_text("notes\n")
    git(repo, "add", "-A")
    git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "docs")
    assert key_at("HEAD") == first
    (repo / "streamplane" / "synth" / "__init__.py").write_text(
        (repo / "streamplane" / "synth" / "__init__.py").read_text() + "\n# changed\n")
    git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "code")
    changed = key_at("HEAD")
    assert changed is not None and first is not None
    assert changed["code"] != first["code"] and changed["stacks"] == first["stacks"]


def test_a_replan_uses_the_cache_and_a_corrupt_entry_is_rebuilt(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    assert not cached_at_ref("HEAD", ["dev"], repo)
    cold = from_git_ref("HEAD", "dev", repo)
    assert "cached" not in cold.label
    (entry,) = cache.iterdir()
    assert cached_at_ref("HEAD", ["dev"], repo)
    assert not cached_at_ref("HEAD", ["dev", "staging"], repo)  # every stack, or the base still synthesizes

    synths: list[str] = []
    real = gitref_module._own_synth
    monkeypatch.setattr(gitref_module, "_own_synth", lambda *a: synths.append("synth") or real(*a))
    warm = from_git_ref("HEAD", "dev", repo)
    assert warm.label.endswith(", cached synth") and synths == []
    assert warm.graph == cold.graph and warm.spec is not None

    entry.write_text("not json", encoding="utf-8")
    rebuilt = from_git_ref("HEAD", "dev", repo)
    assert "cached" not in rebuilt.label and synths == ["synth"]
    assert rebuilt.graph == cold.graph
    assert json.loads(entry.read_text(encoding="utf-8"))["graph"] == cold.graph


def test_base_ref_builds_the_base_while_the_head_synthesizes(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The base waits for the head's synth to start: run one after the other, it would time out.
    head_started = threading.Event()
    base_threads: list[str] = []
    real_synth = Target.synth

    def head_synth(self: Target, loaded, workers=None):  # type: ignore[no-untyped-def]
        head_started.set()
        return real_synth(self, loaded, workers)

    def base(ref: str, stack: str, root: Path, workers: int = 1) -> Baseline:
        assert head_started.wait(30), "the base was built before the head synth started"
        base_threads.append(threading.current_thread().name)
        return Baseline(f"fake base {ref}", None)

    monkeypatch.setattr(Target, "synth", head_synth)
    monkeypatch.setattr(cli, "from_git_ref", base)
    code, out, _ = run_cli(["plan", "--stack", "dev", "--base-ref", "HEAD", "--format", "markdown"], capsys)
    assert code == 0 and "fake base HEAD" in out
    assert len(base_threads) == 1 and base_threads[0].startswith("streamplane-base")


@pytest.mark.parametrize(("cached", "head", "base"), [(False, 2, 2), (True, 4, 1)])
def test_a_cached_base_leaves_the_head_every_worker(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cached: bool, head: int, base: int) -> None:
    seen: dict[str, int | None] = {}
    real_synth = Target.synth

    def head_synth(self: Target, loaded, workers=None):  # type: ignore[no-untyped-def]
        seen["head"] = workers
        return real_synth(self, loaded, workers)

    def base_synth(ref: str, stack: str, root: Path, workers: int = 1) -> Baseline:
        seen["base"] = workers
        return Baseline(f"fake base {ref}", None)

    monkeypatch.setattr(Target, "synth", head_synth)
    monkeypatch.setattr(cli, "from_git_ref", base_synth)
    monkeypatch.setattr(cli, "cached_at_ref", lambda ref, stacks, root: cached)
    code, _, _ = run_cli(["plan", "--stack", "dev", "--base-ref", "HEAD", "--workers", "4"], capsys)
    assert code == 0
    assert seen == {"head": head, "base": base}
