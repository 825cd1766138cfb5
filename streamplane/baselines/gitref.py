"""`--base-ref GITREF`: the goal state of another commit, built by that commit's own code.

The commit is checked out in a temporary detached worktree and synthesized there in a subprocess
(the current interpreter, PYTHONPATH = the worktree), so a change to a component shows its effect
on every resource. If that commit's code cannot synth (an older layout), its specs are synthesized
with the current code instead, and the plan's `base` label says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..checks import load_layers
from ..errors import SpecError
from ..shards import shard_of_stack
from ..spec.loader import stack_layers
from ..synth import synth_spec
from ..synth.workers import WORKERS_ENV
from . import Baseline, BaselineError
from .cache import cache_dir, cache_key, has_graph, load_graph, store_graph

SYNTH_TIMEOUT_S = 600


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], check=False, capture_output=True, text=True)
    except FileNotFoundError:
        raise BaselineError("--base-ref needs git, which is not on PATH; use --base-spec DIR or --state EXPORT.json.") from None
    if result.returncode != 0:
        raise BaselineError(f"git {' '.join(args)}: {result.stderr.strip() or 'failed'}")
    return result.stdout.strip()


def _spec_environment(stacks: Path, stack: str) -> str:
    """Whose spec folders `stack` reads: its own, or its environment's for a stack of a sharded
    environment (`loadtest-playback` reads stacks/loadtest). The base's config, read leniently."""
    try:
        shard = shard_of_stack(stacks, stack, strict=False)
    except SpecError:
        return stack
    return shard.environment if shard is not None else stack


def _read_specs(stacks: Path, stack: str):
    environment = _spec_environment(stacks, stack)
    return load_layers(stack_layers(stacks, environment), environment).spec


def _load_spec(worktree: Path, stack: str):
    """The commit's specs read with the current code (for owners and schemas), or None if they no longer load."""
    try:
        return _read_specs(worktree / "stacks", stack)
    except SpecError:
        return None


def _own_synth(worktree: Path, stack: str, out: Path, workers: int) -> tuple[dict | None, str]:
    env = dict(os.environ, PYTHONPATH=str(worktree), PYTHONDONTWRITEBYTECODE="1", **{WORKERS_ENV: str(workers)})
    try:
        result = subprocess.run(
            [sys.executable, "-m", "streamplane.cli", "synth", "--stack", stack, "--out", str(out)],
            check=False, cwd=worktree, env=env, capture_output=True, text=True, timeout=SYNTH_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, f"its synth ran over {SYNTH_TIMEOUT_S} s"
    if result.returncode != 0 or not out.is_file():
        lines = [line for line in (result.stderr or result.stdout).strip().splitlines() if line.strip()]
        return None, lines[-1] if lines else f"exit code {result.returncode}"
    try:
        return json.loads(out.read_text(encoding="utf-8")), ""
    except ValueError as err:
        return None, f"its synth wrote invalid JSON ({err})"


def resolve_base_ref(ref: str, root: Path) -> str:
    """The commit `ref` names, refused when empty, unknown, or sharing no history with HEAD: an
    unrelated (orphan) commit's stack would make every resource of this one look new, hiding its
    deletes, as an empty ref would."""
    if not ref.strip():
        raise BaselineError('--base-ref "": an empty git ref; name a commit, e.g. --base-ref origin/main.')
    try:
        _git(root, "rev-parse", "--git-dir")
    except BaselineError:
        raise BaselineError(f"--base-ref {ref}: {root} is not inside a git repository, so there is no commit to "
                            "compare with; run it in a clone, or use --base-spec DIR or --state EXPORT.json.") from None
    try:
        sha = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except BaselineError:
        sha = ""
    if not sha:
        raise BaselineError(f'unknown git ref "{ref}" in {root}.')
    merge_base = subprocess.run(["git", "-C", str(root), "merge-base", sha, "HEAD"], check=False, capture_output=True, text=True)
    if merge_base.returncode != 0:
        raise BaselineError(f'--base-ref "{ref}" ({sha[:10]}) shares no history with HEAD (git merge-base finds no common '
                            "commit); name a commit of this branch's history, e.g. --base-ref origin/main.")
    return sha


def _repository(root: Path) -> tuple[Path, Path]:
    """The top of the git repository holding the project at `root`, and the project's folder in it."""
    top = Path(_git(root, "rev-parse", "--show-toplevel"))
    sub = root.resolve().relative_to(top.resolve()) if root.resolve() != top.resolve() else Path()
    return top, sub


def cached_at_ref(ref: str, stacks: list[str], root: Path) -> bool:
    """Whether the cache holds the graph of every one of `stacks` at commit `ref`: its baselines then
    synthesize nothing, and the head may have every worker."""
    sha = resolve_base_ref(ref, root)
    top, sub = _repository(root)
    keys = [cache_key(top, sha, sub.as_posix() if sub != Path() else "", stack) for stack in stacks]
    return all(key is not None and has_graph(cache_dir(root), key) for key in keys)


def from_git_ref(ref: str, stack: str, root: Path, workers: int = 1) -> Baseline:
    """Synthesize commit `ref` of the repository at `root` for `stack` (its synth may use `workers`
    worker processes: $STREAMPLANE_WORKERS of the subprocess)."""
    return from_git_ref_stacks(ref, [stack], root, workers)[stack]


def from_git_ref_stacks(ref: str, stacks: list[str], root: Path, workers: int = 1, *,
                        load_spec: bool = True) -> dict[str, Baseline]:
    """The baselines of `stacks` at commit `ref`, by stack, from one worktree of it: at most `workers`
    subprocesses side by side, each synthesizing one stack in one process. `load_spec` False: the
    caller has the commit's spec already; the baselines carry none (unless their own code failed)."""
    sha = resolve_base_ref(ref, root)
    top, sub = _repository(root)
    with tempfile.TemporaryDirectory(prefix="streamplane-base-") as tmp:
        worktree = Path(tmp) / "tree"
        _git(top, "worktree", "add", "--detach", "--quiet", str(worktree), sha)
        try:
            project = worktree / sub
            label = f"git {ref} ({sha[:10]})"
            if not (project / "stacks").is_dir():
                return {stack: Baseline(f"{label}: no stacks/ folder, so an empty stack", None) for stack in stacks}
            subdir = sub.as_posix() if sub != Path() else ""
            one_each = 1 if len(stacks) > 1 else workers

            def baseline(stack: str) -> Baseline:
                key = cache_key(top, sha, subdir, stack)
                return _baseline(project, stack, label, key, root, Path(tmp) / f"base-graph-{stack}.json", one_each,
                                 load_spec)

            if len(stacks) == 1:
                return {stacks[0]: baseline(stacks[0])}
            with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="streamplane-base") as pool:
                return dict(zip(stacks, pool.map(baseline, stacks), strict=True))
        finally:
            subprocess.run(["git", "-C", str(top), "worktree", "remove", "--force", str(worktree)], check=False, capture_output=True)
            subprocess.run(["git", "-C", str(top), "worktree", "prune"], check=False, capture_output=True)


def _baseline(project: Path, stack: str, label: str, key: dict[str, str] | None, root: Path, out: Path,
              workers: int, load_spec: bool) -> Baseline:
    """One stack's baseline from the commit's worktree: cached, else its own code's synth, else (that
    code fails) its specs synthesized with the current code."""
    cached = load_graph(cache_dir(root), key) if key else None
    if cached is not None:
        return Baseline(f"{label}, cached synth", cached, _load_spec(project, stack) if load_spec else None)
    graph, why = _own_synth(project, stack, out, workers)
    if graph is not None and key:
        store_graph(cache_dir(root), key, graph)
    if graph is None:
        try:
            fallback_spec = _read_specs(project / "stacks", stack)
        except SpecError as err:
            raise BaselineError(f"{label}: its code could not synth ({why}) and its specs do not load "
                                f"with the current code:\n{err}") from None
        # The commit's stack config was valid for its own code; today's schema may know
        # other keys or types, and the plan is about the head's config, not the base's.
        graph = synth_spec(fallback_spec, stack, project / "stacks", strict_config=False, workers=workers)
        return Baseline(f"{label}, specs synthesized with the current code (its own code failed: {why})",
                        graph, fallback_spec)
    return Baseline(label, graph, _load_spec(project, stack) if load_spec else None)
